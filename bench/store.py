"""Benchmark of the store: median time of one save and of the case-list query, with 100,000 cases.

    .venv/bin/python bench/store.py [--cases 100000] [--repeat 200]

Prints figures; asserts nothing (targets: save < 5 ms, list < 50 ms). Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.model import Intake  # noqa: E402
from assessment.store import now_iso, open_store  # noqa: E402


def fill(store, n: int) -> None:  # type: ignore[no-untyped-def]
    """Insert n synthetic cases in one transaction (bulk load; the timed saves go through the services)."""
    rng = random.Random(7)
    now = now_iso()
    with store.write() as tx:
        for i in range(n):
            year = 2018 + i // 9999
            received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            case_id = tx.insert("cases", {
                "ref": f"AAN-{year}-{i % 9999 + 1:04d}", "year": year, "space": "real",
                "status": rng.choice(["intake", "assessment", "deliberation", "decided", "inadmissible"]),
                "received_on": received, "route": "report", "route_end": "dismissal",
                "route_end_on": received - dt.timedelta(days=10), "form": rng.choice(["sexual", "labour"]),
                "residence_status": "unknown", "gender": "female", "nationality": "NG", "age_group": "adult",
                "filing_party": "lawyer", "created_by": "bench", "created_at": now, "updated_by": "bench",
                "updated_at": now,
            })
            tx.insert("p_applicants", {"case_id": case_id, "name": f"Synthetic {i}"})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        store = open_store(Settings(db_path=Path(d) / "bench.sqlite3", demo=True))
        services.load_demo_users(store)
        chair = services.user_by_name(store, "chair")
        t = time.perf_counter()
        fill(store, args.cases)
        print(f"loaded {args.cases} cases in {time.perf_counter() - t:.1f} s")
        ref = services.create_case(store, chair, Intake.model_validate({
            "received_on": "2035-03-02", "route": "report", "route_end": "dismissal", "route_end_on": "2035-02-16",
            "form": "sexual"}))
        saves = []
        version = 1
        for i in range(args.repeat):
            intake = Intake.model_validate({"received_on": "2035-03-02", "route": "report", "route_end": "dismissal",
                                            "route_end_on": "2035-02-16", "form": "sexual", "sector": f"s{i}"})
            t = time.perf_counter()
            version = services.update_intake(store, chair, ref, intake, version)
            saves.append(time.perf_counter() - t)
        lists = []
        filtered = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            rows = services.list_cases(store, chair, limit=50)
            lists.append(time.perf_counter() - t)
            t = time.perf_counter()
            services.list_cases(store, chair, status="deliberation", limit=50)
            filtered.append(time.perf_counter() - t)
        assert len(rows) == 50
        ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
        print(f"save (services.update_intake: read, versioned update, audit event, commit): "
              f"median {ms(saves):.2f} ms, p90 {statistics.quantiles(saves, n=10)[-1] * 1000:.2f} ms")
        print(f"case list (services.list_cases, newest 50 of {args.cases + 1}): median {ms(lists):.2f} ms")
        print(f"case list filtered by status (newest 50): median {ms(filtered):.2f} ms")
        # Machine-readable lines for bench/run_all.py.
        print(f"RESULT save_median {ms(saves):.2f} ms <5ms")
        print(f"RESULT case_list_median {ms(lists):.2f} ms <50ms")
        store.close()


if __name__ == "__main__":
    main()
