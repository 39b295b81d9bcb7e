"""Faults: the disk full during a save, a corrupted or foreign database at start (CLI and the app's start path),
a backup restored over a newer database, the server killed and restarted mid-session. Each gives a clear
message, never a traceback, and loses nothing that was acknowledged. (A writer SIGKILLed mid-save is in
tests/test_store_concurrency.py.)"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.errors import StorageError
from assessment.model import InputDraft, ObservationInput
from assessment.store import Store, open_store
from tests.test_app_common import as_text

ROOT = Path(__file__).resolve().parent.parent


def disk_full_worker(db: str, ref: str, limit: int) -> None:
    """Save chronology entries under a file-size limit until the disk is 'full'; print each id once committed,
    then the error's class and message."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
    store = open_store(Settings(db_path=Path(db), demo=True))
    user = services.user_by_name(store, "secretary")
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        for i in range(100_000):
            print(services.add_chronology(store, user, ref, dt.date(2026, 1, 1), f"feit {i} " + "x" * 3000), flush=True)
    except Exception as exc:  # noqa: BLE001 (the test wants to see exactly which error came out)
        print(f"ERROR {type(exc).__name__}: {exc}", flush=True)


def test_disk_full_during_a_save_is_a_storage_error_and_loses_nothing_acknowledged(store: Store, users,  # type: ignore[no-untyped-def]
                                                                                    make_case) -> None:
    ref = make_case(stage="intake")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    limit = store.path.stat().st_size + 200_000
    proc = subprocess.run(
        [sys.executable, "-c", f"from tests.test_faults import disk_full_worker; "
                               f"disk_full_worker({str(store.path)!r}, {ref!r}, {limit})"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = proc.stdout.splitlines()
    assert (proc.returncode, proc.stderr) == (0, "")  # no traceback, no crash
    assert lines[-1].startswith("ERROR StorageError: Saving failed, nothing was saved:"), lines[-1]
    acknowledged = [int(x) for x in lines[:-1]]
    assert len(acknowledged) > 5
    case = services.get_case(store, users["secretary"], ref)
    assert [c.id for c in case.chronology] == acknowledged  # every acknowledged save is there, nothing more
    assert store.integrity_ok() and services.check_audit_chain(store) > 0


def test_database_full_by_page_limit_in_process(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    saved = []
    with pytest.raises(StorageError, match="Saving failed, nothing was saved: database or disk is full"):
        for i in range(1000):
            saved.append(services.add_chronology(store, users["secretary"], ref, dt.date(2026, 1, 1), "y" * 4000 + str(i)))
    store.db.execute(f"PRAGMA max_page_count = {pages + 100_000}")
    assert [c.id for c in services.get_case(store, users["secretary"], ref).chronology] == saved
    services.add_chronology(store, users["secretary"], ref, dt.date(2026, 1, 2), "na opruimen / after cleanup")
    assert services.check_audit_chain(store) > 0


# --- a corrupted or foreign file at start -------------------------------------------------------------------


def _corrupt(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[0:100] = b"\x00" * 100  # the header: SQLite no longer recognises the file
    path.write_bytes(bytes(raw))


BAD_FILES = {
    "corrupted": lambda p: _corrupt(p),
    "foreign": lambda p: sqlite3.connect(p).execute("CREATE TABLE invoices (n)").connection.commit(),
    "not_sqlite": lambda p: p.write_text("Dit is een tekstbestand, geen database.\n" * 200),
}


@pytest.fixture(params=sorted(BAD_FILES))
def bad_db(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "bad.sqlite3"
    if request.param == "corrupted":
        s = open_store(Settings(db_path=path, demo=True))
        services.load_demo_users(s)
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        s.close()
    BAD_FILES[request.param](path)
    return request.param, path


def test_cli_start_on_a_bad_file_is_a_message_not_a_traceback(bad_db: tuple[str, Path],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    kind, path = bad_db
    before = path.read_bytes()
    argv = ["--lang", "en", "audit", "verify", "--db", str(path)]
    if kind == "corrupted":  # once through the real entry point, in its own process: its exit code, no traceback
        proc = subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        code, err = proc.returncode, proc.stderr
    else:  # in this process (any exception but ours would fail the test): no interpreter start-up
        code = main(argv)
        err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    expected = "is not an Aannemelijk database" if kind == "foreign" else "cannot be opened"
    assert err.startswith("error: ") and expected in err, err
    assert path.read_bytes() == before  # nothing written into someone else's file


def test_app_start_on_a_bad_file_shows_the_message(bad_db: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    kind, path = bad_db
    monkeypatch.setenv("AANNEMELIJK_DB", str(path))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    expected = "is geen Aannemelijk-database" if kind == "foreign" else "kan niet worden geopend"  # Dutch first
    assert [as_text(e.value) for e in at.error if expected in as_text(e.value)], [as_text(e.value) for e in at.error]


# --- a backup restored over a newer database ---------------------------------------------------------------


def test_restoring_an_older_backup_is_refused_then_forced_keeps_the_newer_file(store: Store, users, make_case,  # type: ignore[no-untyped-def]
                                                                               tmp_path: Path) -> None:
    ref = make_case(stage="intake")
    backup = tmp_path / "old.sqlite3"
    services.backup(store, backup)
    services.add_chronology(store, users["secretary"], ref, dt.date(2026, 1, 1), "na de back-up / after the backup")
    with pytest.raises(StorageError, match="nothing was restored.*older than the database"):
        services.restore(store, backup)
    assert [c.fact for c in services.get_case(store, users["secretary"], ref).chronology] == ["na de back-up / after the backup"]
    kept = services.restore(store, backup, force=True)
    assert kept is not None and kept.exists()
    assert services.get_case(store, users["secretary"], ref).chronology == []  # the backup's state
    old = open_store(Settings(db_path=kept, demo=True))
    try:  # the work saved after the backup is still there, in the kept copy
        assert [c.fact for c in services.get_case(old, users["secretary"], ref).chronology] == [
            "na de back-up / after the backup"]
    finally:
        old.close()
    services.check_audit_chain(store)
    # Restoring the same (or a newer) state needs no force; the replaced file is kept all the same.
    services.backup(store, tmp_path / "same.sqlite3")
    again = services.restore(store, tmp_path / "same.sqlite3")
    assert again is not None and again.exists() and again != kept


# --- the server killed and restarted mid-session ----------------------------------------------------------


def _start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("the server did not start")


@pytest.mark.slow
def test_server_killed_and_restarted_keeps_the_saved_draft(tmp_path: Path, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.harness import free_port
    from tests.conftest import intake

    db = tmp_path / "server.sqlite3"
    store = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(store)
    sec, police = services.user_by_name(store, "secretary"), services.user_by_name(store, "police")
    ref = services.create_case(store, sec, intake())
    services.assign_panel(store, sec, ref, "police", "police")
    services.declare_no_conflict(store, services.user_by_name(store, "police"), ref, "police")  # personally
    services.decide_admissibility(store, sec, ref, "admissible", "ok", services.get_case(store, sec, ref).version)
    store.close()
    port = free_port()
    proc = _start_server(db, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
        store = open_store(Settings(db_path=db, demo=True))
        draft = InputDraft(observations=[ObservationInput(indicator="recruitment.s1", status="present",
                                                          note="opgeslagen vóór de crash")])
        version = services.save_input_draft(store, police, ref, draft, None, rubric=mini_rubric)
        store.close()
        os.killpg(proc.pid, signal.SIGKILL)  # no clean shutdown
        proc.wait(timeout=10)
        proc = _start_server(db, port)
        store = open_store(Settings(db_path=db, demo=True))
        got = services.get_inputs(store, police, ref)
        assert [(i.username, i.version, i.draft.observations[0].note) for i in got] == [
            ("police", version, "opgeslagen vóór de crash")]
        assert store.integrity_ok() and services.check_audit_chain(store) > 0
        store.close()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
