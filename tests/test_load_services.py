"""8 processes saving discipline input into one SQLite file at once, through the services (issue #8, load).

The scenario lives in bench/load_services.py (which prints the same figures for bench/run_all.py): three
cases, shared member seats and different disciplines of one case, every worker retrying on ConflictError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_services import PLAN, WorkerResult, report, run, setup, summary, verify

SECONDS = 8.0
# Each worker pauses this long after a save, as any client does: without it, on a 2-core machine also running
# the rest of the suite, one process got no save through in the whole run (its conflicts reported and retried)
# while its partner on the same seat saved in a tight loop. The promises checked are the same.
THINK = 0.02


@pytest.mark.slow
def test_eight_processes_save_without_locks_lost_updates_or_silent_overwrites(tmp_path: Path) -> None:
    db = tmp_path / "load.sqlite3"
    plan = setup(db)
    assert len(plan) == 8 and len(set(plan)) < len(plan) and len({ref for _, ref in plan}) == 3
    results, elapsed = run(db, SECONDS, plan, THINK)
    figures = summary(results, elapsed)
    report(figures, len(plan))  # shown with `pytest -s`
    assert [e for r in results for e in r.errors] == []  # no "database is locked", nothing unexpected
    assert all(r.acks for r in results)  # every process got its saves through
    assert figures["saves"] > 100
    # Two processes on one seat must meet: their conflicts were reported as ConflictError and retried.
    shared = {(u, r) for u, r in plan if plan.count((u, r)) > 1}
    assert sum(r.conflicts for r in results if (r.username, r.ref) in shared) > 0
    assert figures["retries"] == figures["conflicts"]
    assert verify(db, results) == []  # versions unique and consecutive, last save stored, audit complete


def test_the_check_catches_a_lost_or_duplicated_save(tmp_path: Path) -> None:
    """The verifier itself can fail: an acknowledged save that is not stored is reported."""
    db = tmp_path / "load.sqlite3"
    plan = setup(db)
    results, elapsed = run(db, 1.0, plan[:1])
    assert results[0].errors == [] and results[0].acks
    ref, discipline, version, _text = results[0].acks[-1]
    lost = WorkerResult(worker=9, username="police", ref=ref,
                        acks=[(ref, discipline, version + 1, "acknowledged but never stored")])
    twice = WorkerResult(worker=10, username="police", ref=ref, acks=[(ref, discipline, version, "again")])
    problems = verify(db, [*results, lost, twice])
    assert any("acknowledged twice" in p for p in problems)
    assert any(f"last acknowledged v{version + 1}" in p for p in problems)
    assert any("audit holds" in p for p in problems)
    assert PLAN[0][1] == "police"
