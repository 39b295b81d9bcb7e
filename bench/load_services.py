"""Load on the services: 8 processes saving discipline-input drafts at once into one SQLite file.

    .venv/bin/python bench/load_services.py [--seconds 20] [--workers 8]

Three cases; on case A two processes share the police seat, two the care seat and one has the legal seat;
on case B two share the labour seat; case C's immigration seat has one. Every process reads its input,
saves a new draft with the version it read (`save_input_draft(..., expected_version)`) and on a
ConflictError reads again and retries. Afterwards `verify` checks the promises: no other error (no
"database is locked"), per record every acknowledged version unique and consecutive, the final text the
one of the last acknowledged save, and the audit trail holding every save, each one's `before` equal to
the previous one's `after` (nothing overwritten unseen). Prints counts and `RESULT` lines for
bench/run_all.py. tests/test_load_services.py runs the same scenario and asserts. Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.errors import ConflictError  # noqa: E402
from assessment.model import InputDraft, Intake, ObservationInput  # noqa: E402
from assessment.store import open_store  # noqa: E402

# (case letter, member) per worker: shared seats and different disciplines of one case, and other cases.
PLAN: tuple[tuple[str, str], ...] = (
    ("A", "police"), ("A", "police"), ("A", "care"), ("A", "care"), ("A", "legal"),
    ("B", "labour"), ("B", "labour"), ("C", "immigration"),
)


@dataclass
class WorkerResult:
    """What one worker saw: every acknowledged save (ref, discipline, version, text), conflicts, errors."""

    worker: int
    username: str
    ref: str
    acks: list[tuple[str, str, int, str]] = field(default_factory=list)
    conflicts: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)


def _intake() -> Intake:
    return Intake.model_validate({
        "received_on": dt.date(2026, 3, 2), "route": "report", "route_end": "dismissal",
        "route_end_on": dt.date(2026, 2, 16), "form": "labour", "gender": "male", "nationality": "UA",
        "birth_year": 1990, "filing_party": "lawyer", "exploitation_in_nl": "in_nl",
        "applicant": {"name": "Synthetische Persoon"}})


def setup(db: Path) -> list[tuple[str, str]]:
    """Demo users and three cases in assessment with the seats of PLAN; returns (username, ref) per worker."""
    store = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(store)
    secretary = services.user_by_name(store, "secretary")
    refs: dict[str, str] = {}
    for letter in sorted({c for c, _ in PLAN}):
        ref = services.create_case(store, secretary, _intake())
        services.record_consent(store, secretary, ref, "police_file", dt.date(2026, 3, 2))
        for member in sorted({m for c, m in PLAN if c == letter}):
            services.assign_panel(store, secretary, ref, member, member)
            services.declare_no_conflict(store, services.user_by_name(store, member), ref, member)  # personally
        services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.",
                                      services.get_case(store, secretary, ref).version)
        refs[letter] = ref
    store.close()
    return [(member, refs[letter]) for letter, member in PLAN]


def _draft(text: str) -> InputDraft:
    return InputDraft(observations=[ObservationInput(indicator="recruitment.s1", status="present",
                                                     source="pv 3 maart", note=text)],
                      overall_view="positive", overall_reasons=text)


def worker(db: str, index: int, username: str, ref: str, seconds: float, out: Any, ready: Any, go: Any,
           think: float = 0.0) -> None:
    """Save drafts for `seconds`: read the version, save with it, retry on ConflictError; after each save pause
    `think` seconds. Puts a WorkerResult."""
    result = WorkerResult(worker=index, username=username, ref=ref)
    try:
        store = open_store(Settings(db_path=Path(db), demo=True))
        user = services.user_by_name(store, username)
        discipline = str(user.discipline)
        ready.put(index)
        go.wait()  # all start together: the load is concurrent, and process start-up is not timed
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline:
            try:
                own = [x for x in services.get_inputs(store, user, ref) if x.discipline == discipline]
                version = own[0].version if own else None
                text = f"w{index}-{i}"
                new = services.save_input_draft(store, user, ref, _draft(text), version)
                result.acks.append((ref, discipline, new, text))
                i += 1
                time.sleep(think)
            except ConflictError:
                result.conflicts += 1
                result.retries += 1  # the loop reads again and retries
            except Exception as exc:  # anything else breaks a promise: record it, keep going
                result.errors.append(f"{type(exc).__name__}: {exc}")
        store.close()
    except Exception as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
    out.put(result)


def run(db: Path, seconds: float, plan: list[tuple[str, str]], think: float = 0.0) -> tuple[list[WorkerResult], float]:
    """Start one spawned process per (username, ref) in `plan`; returns their results and the elapsed time.
    `think`: each worker's pause after a save. 0 (the benchmark) measures the most the store takes; a tight loop
    on a CPU-starved machine can, however, let one process of a shared seat win every race for as long as the
    run lasts (optimistic concurrency favours the faster process), which no person at a screen does."""
    ctx = mp.get_context("spawn")
    queue, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=worker, args=(str(db), i, u, r, seconds, queue, ready, go, think))
             for i, (u, r) in enumerate(plan)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    start = time.monotonic()
    go.set()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    elapsed = time.monotonic() - start
    for p in procs:
        if p.exitcode != 0:
            results.append(WorkerResult(worker=-1, username="?", ref="?", errors=[f"exit code {p.exitcode}"]))
    return sorted(results, key=lambda r: r.worker), elapsed


def _json(value: Any) -> Any:
    """An audit event's before/after, stored as JSON text."""
    return json.loads(value) if isinstance(value, str) else value


def verify(db: Path, results: list[WorkerResult]) -> list[str]:
    """Every broken promise as one line (empty: none). Reads the final state through the services."""
    problems = [f"worker {r.worker} ({r.username}): {e}" for r in results for e in r.errors]
    acks: dict[tuple[str, str], dict[int, str]] = {}
    for r in results:
        for ref, discipline, version, text in r.acks:
            seen = acks.setdefault((ref, discipline), {})
            if version in seen:
                problems.append(f"{ref} {discipline}: version {version} acknowledged twice")
            seen[version] = text
    store = open_store(Settings(db_path=db, demo=True))
    chair = services.user_by_name(store, "chair")
    for (ref, discipline), versions in sorted(acks.items()):
        last = max(versions)
        if sorted(versions) != list(range(1, last + 1)):
            problems.append(f"{ref} {discipline}: acknowledged versions not consecutive")
        member = services.user_by_name(store, discipline)
        stored = [x for x in services.get_inputs(store, member, ref) if x.discipline == discipline][0]
        if (stored.version, stored.draft.overall_reasons, stored.draft.observations[0].note) != (
                last, versions[last], versions[last]):
            problems.append(f"{ref} {discipline}: stored v{stored.version} '{stored.draft.overall_reasons}', "
                            f"last acknowledged v{last} '{versions[last]}'")
        events = [e for e in services.case_audit(store, chair, ref)
                  if e["action"] == "input.save" and e["entity"] == f"input:{discipline}"]
        afters = [_json(e["after"])["overall_reasons"] for e in events]
        if afters != [versions[v] for v in sorted(versions)]:
            problems.append(f"{ref} {discipline}: audit holds {len(afters)} saves, {len(versions)} acknowledged")
        for prev, event in zip(events, events[1:], strict=False):
            if _json(event["before"]) != _json(prev["after"]):
                problems.append(f"{ref} {discipline}: a save overwrote a version it had not seen")
                break
    try:
        services.check_audit_chain(store)
    except Exception as exc:
        problems.append(f"audit chain: {exc}")
    store.close()
    return problems


def summary(results: list[WorkerResult], elapsed: float) -> dict[str, float]:
    """The counts: saves, conflicts, retries, errors, elapsed seconds, saves per second."""
    saves = sum(len(r.acks) for r in results)
    return {"saves": saves, "conflicts": sum(r.conflicts for r in results),
            "retries": sum(r.retries for r in results), "errors": sum(len(r.errors) for r in results),
            "elapsed": elapsed, "saves_per_s": saves / elapsed if elapsed else 0.0}


def report(figures: dict[str, float], workers: int) -> None:
    """Print the figures, and RESULT lines for bench/run_all.py."""
    print(f"{workers} processes, one SQLite file: {figures['saves']:.0f} saves, {figures['conflicts']:.0f} "
          f"conflicts, {figures['retries']:.0f} retries, {figures['errors']:.0f} errors in "
          f"{figures['elapsed']:.1f} s ({figures['saves_per_s']:.0f} saves/s)")
    print(f"RESULT load_services_saves_per_s {figures['saves_per_s']:.0f} saves/s >=100saves/s")
    print(f"RESULT load_services_errors {figures['errors']:.0f} errors =0errors")
    print(f"RESULT load_services_conflicts {figures['conflicts']:.0f} conflicts -")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=len(PLAN))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "load.sqlite3"
        plan = setup(db)
        plan = [plan[i % len(plan)] for i in range(args.workers)]
        results, elapsed = run(db, args.seconds, plan)
        figures = summary(results, elapsed)
        report(figures, len(plan))
        problems = verify(db, results)
        for p in problems[:20]:
            print(f"PROBLEM {p}")
        print(f"RESULT load_services_lost_updates {len(problems)} problems =0problems")


if __name__ == "__main__":
    main()
