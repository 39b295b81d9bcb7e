"""Benchmarks of the app; prints figures, asserts nothing.

1. The median server-side rerun time of the discipline-input page for a full ILO profile (every indicator
   of adult/labour recorded with source and note, every dimension with a view), with AppTest.
   Target: under 100 ms. AppTest compiles the page script afresh on every run (20-35 ms for ui/input.py
   on these machines); the server caches the compiled page, so a real rerun is that much faster.
2. The time from `streamlit run app.py` to a healthy `/_stcore/health`. Target: under 2 s.

Run: .venv/bin/python bench/app.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.model import DimensionView, InputDraft, Intake, ObservationInput  # noqa: E402
from assessment.rubric import load_rubric  # noqa: E402
from assessment.store import open_store  # noqa: E402
from ui import state  # noqa: E402


def full_profile_case(db: Path) -> None:
    """A labour case with the police member's input covering the whole adult/labour profile."""
    store = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(store)
    secretary = services.user_by_name(store, "secretary")
    police = services.user_by_name(store, "police")
    intake = Intake(received_on=dt.date(2026, 3, 2), route="report", route_end="dismissal",
                    route_end_on=dt.date(2026, 2, 20), form="labour", applicant={"name": "Synthetic"})
    ref = services.create_case(store, secretary, intake)
    services.assign_panel(store, secretary, ref, "police", "police")
    services.declare_no_conflict(store, services.user_by_name(store, "police"), ref, "police")  # personally
    services.decide_admissibility(store, secretary, ref, "admissible", "ok", services.get_case(store, secretary, ref).version)
    rubric = load_rubric()
    profile = rubric.profile_for("adult", "labour")
    statuses = ("present", "absent", "unknown")
    draft = InputDraft(
        observations=[ObservationInput(indicator=iid, status=statuses[i % 3], source=f"Stuk {i}", note="Toelichting " * 8)
                      for i, iid in enumerate(profile.indicators)],
        dimension_views=[DimensionView(dimension=d.id, view="positive", reasons="Redenen " * 10) for d in rubric.dimensions],
        overall_view="positive", confidence="medium", overall_reasons="Samenvatting", inconsistency_notes="Geen")
    services.save_input_draft(store, police, ref, draft, None, rubric=rubric)
    print(f"profile {profile.id}: {len(profile.indicators)} indicators, {len(rubric.dimensions)} dimensions")
    store.close()


def rerun_times(db: Path, runs: int) -> list[float]:
    os.environ["AANNEMELIJK_DB"] = str(db)
    os.environ["AANNEMELIJK_DEMO"] = "1"
    store = open_store(Settings(db_path=db, demo=True))
    police = services.user_by_name(store, "police")
    store.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[state.USER] = police
    at.run()
    at.switch_page("ui/input.py").run()
    assert not at.exception, at.exception
    print(f"widgets on the page: {len(at.button_group)} status controls, {len(at.toggle)} source/note toggles, "
          f"{len(at.radio)} radios, {len(at.text_input)} text inputs, {len(at.text_area)} text areas, "
          f"{len(at.selectbox)} selectboxes")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_to_health(db: Path) -> float:
    port = free_port()
    env = {**os.environ, "AANNEMELIJK_DB": str(db)}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - t
            except OSError:
                if time.perf_counter() - t > 60:
                    raise
                time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        full_profile_case(db)
        times = rerun_times(db, args.runs)
        print(f"discipline-input rerun (AppTest, {args.runs} runs): median {statistics.median(times):.1f} ms, "
              f"min {min(times):.1f} ms, max {max(times):.1f} ms (target < 100 ms)")
        starts = [time_to_health(db) for _ in range(3)]
        print(f"streamlit run -> healthy: median {statistics.median(starts):.2f} s of 3 starts (target < 2 s)")


if __name__ == "__main__":
    main()
