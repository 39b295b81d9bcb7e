"""Benchmarks of the app; prints figures, asserts nothing.

1. The median server-side rerun time of the discipline-input page for a full ILO profile (every indicator
   of adult/labour recorded with source and note, every dimension with a view), with AppTest; the largest
   dimension open (an open dimension draws its widgets, a closed one only its heading and progress).
   Target: under 50 ms (issue #15). Timed is the app script's own run on its thread (wall and that thread's
   CPU), with the compiled scripts kept between runs as the server keeps them; AppTest's own work (building
   its element tree) is shown apart. `--profile` prints cProfile's figures of those runs.
2. The time from `streamlit run app.py` to a healthy `/_stcore/health`. Target: under 2 s.
3. The first start on a fresh clone (issue #15: first page within 5 s of `./scripts/run`): a `git clone` of
   this repository's HEAD (so no database, no compiled project modules), an empty parse cache, the installed
   packages of this venv; from starting `streamlit run app.py` there until the page is served (GET /) and its
   first script run, over the app's websocket as the browser does it, has finished; then until the demo is
   filled and the sign-in shows (polled once a second, as the page's own progress fragment does). Wall time,
   the server's CPU time, and what the first page says.

Run: .venv/bin/python bench/app.py [--runs 30] [--only rerun|first-start]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import closing
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test  # noqa: E402

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
                    route_end_on=dt.date(2026, 2, 20), form="labour", applicant={"name": "Synthetic"},
                    exploitation_in_nl="in_nl")
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


def rerun_times(db: Path, runs: int, profile: bool = False,
                save: bool = False) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds per rerun: AppTest's whole run (wall), and the app script's own run on its thread (wall,
    CPU): what a server spends on a rerun, without AppTest's work of building the element tree. With `save`,
    each run first changes one indicator's status, as a click does: its callback saves the draft (a
    write transaction with its audit event), then the page runs."""
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
    # Only an open dimension draws its widgets: the member works in the largest one, open (the worst case).
    rubric = load_rubric()
    profile_ = rubric.profile_for("adult", "labour")
    sizes = Counter(rubric.indicator_by_id[iid].dimension for iid in profile_.indicators)
    largest, size = sizes.most_common(1)[0]
    at.session_state[f"input.{largest}.open"] = True
    at.run()
    assert not at.exception, at.exception
    print(f"open: the largest dimension ({largest}, {size} of {len(profile_.indicators)} indicators); the others closed")
    print(f"widgets on the page: {len(at.button_group)} status controls, {len(at.toggle)} source/note toggles, "
          f"{len(at.radio)} radios, {len(at.text_input)} text inputs, {len(at.text_area)} text areas, "
          f"{len(at.selectbox)} selectboxes")
    script_runs: list[tuple[float, float]] = []  # the app script's own run: wall and its thread's CPU, ms
    profiler = cProfile.Profile() if profile else None
    original = script_runner.exec_func_with_error_handling

    def timed(func, ctx):  # type: ignore[no-untyped-def]
        """The run of app.py itself, on the script thread (without AppTest's own work before and after)."""
        t, c = time.perf_counter(), time.thread_time()
        if profiler is not None:
            profiler.enable()  # profiles this thread only
        try:
            return original(func, ctx)
        finally:
            if profiler is not None:
                profiler.disable()
            script_runs.append(((time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000))

    statements = [0]  # SQL statements the runs send to SQLite (deterministic, unlike the times)
    real_connect = sqlite3.connect

    def counting_connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(lambda _sql: statements.__setitem__(0, statements[0] + 1))
        return conn

    times = []
    status = next(w for w in at.button_group if (w.key or "").endswith(".status"))
    audit_before = _audit_events(db)
    script_runner.exec_func_with_error_handling = timed  # type: ignore[assignment]
    # A server compiles each page script once (its ScriptCache); AppTest makes a new cache per run. One cache
    # for all runs here, so the figure is the server's rerun, not a compile of app.py and ui/input.py.
    shared_cache = app_test.ScriptCache()
    app_test.ScriptCache = lambda: shared_cache  # type: ignore[assignment,misc]
    sqlite3.connect = counting_connect  # type: ignore[assignment]
    try:
        for i in range(runs):
            if save:
                at.button_group(key=status.key).set_value(("absent", "present")[i % 2])  # indicator 0 starts present
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
    finally:
        script_runner.exec_func_with_error_handling = original  # type: ignore[assignment]
        app_test.ScriptCache = ScriptCache  # type: ignore[misc]
        sqlite3.connect = real_connect  # type: ignore[assignment]
    print(f"SQL statements per run: {statements[0] / runs:.0f}")
    assert not at.exception, at.exception
    saved = _audit_events(db) - audit_before
    assert saved >= runs if save else saved == 0, f"{saved} audit events in {runs} runs"  # each click saved
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(70)
        profiler.dump_stats(os.environ.get("BENCH_PROFILE_OUT", "/tmp/bench_app_rerun.prof"))
    return times, [w for w, _ in script_runs], [c for _, c in script_runs]


def _audit_events(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_events").fetchone()[0])


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


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_run(port: int) -> list[str]:
    """One page load as the browser makes it: the app's websocket, a request for a script run, and every
    message until the run has finished. Returns the texts the page shows (titles, markdown, alerts,
    progress, widget labels)."""
    shown = []
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                 origin=f"http://127.0.0.1:{port}", open_timeout=60, max_size=None) as ws:  # type: ignore[arg-type]
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=120))  # type: ignore[arg-type]
            if msg.WhichOneof("type") == "script_finished":
                return shown
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                kind = element.WhichOneof("type")
                value = getattr(element, kind) if kind else None
                for attr in ("body", "text", "label"):
                    if value is not None and getattr(value, attr, ""):
                        shown.append(f"{kind}: {getattr(value, attr)}")
                        break


def first_start(tmp: Path) -> dict[str, float | str]:
    """`streamlit run app.py` in a fresh clone; times (seconds since the process started) to the page
    served, the first run finished, and the sign-in shown (the demo filled); the server's CPU time at each."""
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AANNEMELIJK_")}
    env["AANNEMELIJK_CACHE_DIR"] = str(tmp / "cache")  # the default database of the clone: demo mode
    out: dict[str, float | str] = {}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"],
                            cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    if r.status == 200 and b"<html" in r.read().lower():
                        break
            except OSError:
                if time.perf_counter() - t > 120:
                    raise
                time.sleep(0.02)
        out["served"], out["served_cpu"] = time.perf_counter() - t, server_cpu(proc.pid)
        first = page_run(port)
        out["first_run"], out["first_run_cpu"] = time.perf_counter() - t, server_cpu(proc.pid)
        out["first_page"] = " | ".join(first)
        while not any("Aanmelden" in line for line in first):
            if time.perf_counter() - t > 300:
                raise TimeoutError("no sign-in after 300 s")
            time.sleep(1.0)
            first = page_run(port)
        out["ready"], out["ready_cpu"] = time.perf_counter() - t, server_cpu(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=("rerun", "first-start"))
    parser.add_argument("--profile", action="store_true", help="print cProfile's figures of the reruns")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "first-start":
            db = Path(tmp) / "bench.sqlite3"
            full_profile_case(db)
            for save in (False, True):
                times, script, cpu = rerun_times(db, args.runs, args.profile, save)
                what = "save (status click) and rerun" if save else "rerun"
                print(f"discipline-input {what} ({args.runs} runs), the app script on the server: wall median "
                      f"{statistics.median(script):.1f} ms (min {min(script):.1f}), CPU median "
                      f"{statistics.median(cpu):.1f} ms (min {min(cpu):.1f}) (target < 50 ms); AppTest's whole run: "
                      f"median {statistics.median(times):.1f} ms")
        if args.only is None:
            starts = [time_to_health(db) for _ in range(3)]
            print(f"streamlit run -> healthy: median {statistics.median(starts):.2f} s of 3 starts (target < 2 s)")
        if args.only != "rerun":
            f = first_start(Path(tmp))
            print(f"first start on a fresh clone (new demo database, empty caches): page served {f['served']:.2f} s, "
                  f"first run finished {f['first_run']:.2f} s (target < 5 s), demo filled and sign-in shown "
                  f"{f['ready']:.2f} s; server CPU {f['served_cpu']:.2f} / {f['first_run_cpu']:.2f} / "
                  f"{f['ready_cpu']:.2f} s")
            print(f"  first page shows: {f['first_page']}")
        print(f"load average after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
