"""Two processes saving to one database at once; a writer SIGKILLed mid-stream.

Workers run `python -c` on the functions below, so they use the real services in separate processes.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import services
from assessment.config import Settings
from assessment.errors import ConflictError
from assessment.store import open_store
from tests.conftest import intake

ROOT = Path(__file__).resolve().parent.parent
SAVES_PER_PROCESS = 1000


def save_worker(db: str, username: str, ref: str, n: int) -> None:
    """Save the intake `n` times, each based on the version just read; retry on a conflict. Prints counts."""
    store = open_store(Settings(db_path=Path(db), demo=True))
    user = services.user_by_name(store, username)
    saved = conflicts = 0
    while saved < n:
        case = services.get_case(store, user, ref)
        try:
            services.update_intake(store, user, ref, intake(sector=f"{username}-{saved}"), case.version)
            saved += 1
        except ConflictError:
            conflicts += 1
    store.close()
    print(f"{saved} {conflicts}", flush=True)


def stream_worker(db: str, ref: str) -> None:
    """Add chronology entries forever, printing each id only after its transaction committed."""
    store = open_store(Settings(db_path=Path(db), demo=True))
    user = services.user_by_name(store, "secretary")
    i = 0
    while True:
        entry = services.add_chronology(store, user, ref, dt.date(2026, 1, 1), f"feit {i}")
        print(entry, flush=True)
        i += 1


def _spawn(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.slow
def test_two_processes_save_thousands_of_times_without_locks_or_lost_updates(store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    db = str(store.path)
    procs = [_spawn(f"from tests.test_store_concurrency import save_worker; "
                    f"save_worker({db!r}, {who!r}, {ref!r}, {SAVES_PER_PROCESS})") for who in ("secretary", "chair")]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert (p.returncode, err) == (0, "")  # no "database is locked", no other error
        assert int(out.split()[0]) == SAVES_PER_PROCESS
    case = services.get_case(store, users["chair"], ref)
    assert case.version == 1 + 2 * SAVES_PER_PROCESS  # every save counted: zero lost updates
    edits = [e for e in services.case_audit(store, users["chair"], ref) if e["action"] == "case.edit_intake"]
    assert len(edits) == 2 * SAVES_PER_PROCESS
    assert services.check_audit_chain(store) > 2 * SAVES_PER_PROCESS


@pytest.mark.slow
def test_sigkilled_writer_leaves_an_intact_database_with_every_acknowledged_save(store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    proc = _spawn(f"from tests.test_store_concurrency import stream_worker; stream_worker({str(store.path)!r}, {ref!r})")
    assert proc.stdout is not None
    acknowledged = [int(proc.stdout.readline()) for _ in range(300)]
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    acknowledged += [int(x) for x in rest.split()]
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {r[0] for r in conn.execute("SELECT id FROM p_chronology")}
    conn.close()
    assert set(acknowledged) <= stored
    assert services.check_audit_chain(store) > 300
