"""Importing a case file is all or nothing (issue #15): a file refused halfway, or a fault in the middle of the
import, leaves the database exactly as it was (every table's rows, the case references, the audit chain),
and the CLI says once, naming the file and the field, what is wrong. The expectations come from the shipped
case file 04 edited by hand and from a fresh database, not from the importer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.errors import StorageError, ValidationError
from assessment.model import User
from assessment.services.importing import DEMO_CASES
from assessment.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
GOOD = DEMO_CASES / "04-sexual-decided-positive.yaml"

# (the line in case file 04, its implausible replacement, the field the refusal must name)
EDITS = {
    "third document received in the future": (
        "  received_on: 2026-02-02\n", "  received_on: 2031-02-02\n", "received_on"),
    "chronology fact in 2035": ("- on: 2025-03-04\n", "- on: 2035-03-04\n", "on"),
    "hearing held by one member": ("  members: [chair, legal]\n", "  members: [chair]\n", "members"),
    "police report after the dismissal": ("  reported_on: 2025-03-04\n", "  reported_on: 2031-03-04\n",
                                          "reported_on"),
}


def _edited(tmp_path: Path, name: str) -> Path:
    old, new, _field = EDITS[name]
    text = GOOD.read_text()
    assert text.count(old) == 1, old  # the edit hits exactly the line meant
    path = tmp_path / f"{name.replace(' ', '-')}.yaml"
    path.write_text(text.replace(old, new))
    return path


def _contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (sqlite_sequence included: an id used up would show there)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def _chair_store(tmp_path: Path) -> Path:
    db = tmp_path / "cli.sqlite3"
    s = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(s)
    s.close()
    return db


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_implausible_file_is_refused_at_its_field_and_leaves_nothing(
        store: Store, users: dict[str, User], tmp_path: Path, name: str) -> None:
    bad = _edited(tmp_path, name)
    before = _contents(store.path)
    with pytest.raises(ValidationError) as err:
        services.import_case_file(store, users["chair"], bad, services.shipped_rubric())
    field = EDITS[name][2]
    assert err.value.field == field
    assert err.value.text("en").startswith(f"{bad}: {field}: ")
    assert _contents(store.path) == before
    assert services.list_cases(store, users["chair"]) == []
    services.check_audit_chain(store)
    # No reference was used up: the good file gets the reference it gets in a fresh database.
    fresh = open_store(Settings(db_path=tmp_path / "fresh.sqlite3", demo=True))
    try:
        services.load_demo_users(fresh)
        expected = services.import_case_file(fresh, services.user_by_name(fresh, "chair"), GOOD,
                                             services.shipped_rubric())
    finally:
        fresh.close()
    assert services.import_case_file(store, users["chair"], GOOD, services.shipped_rubric()) == expected


def test_a_fault_late_in_the_import_undoes_every_step_before_it(
        store: Store, users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def disk_full(*_args: object, **_kwargs: object) -> None:
        calls.append("hearing")
        raise StorageError("Saving failed, nothing was saved: database or disk is full")

    before = _contents(store.path)
    head = _head(store)
    monkeypatch.setattr(services.cases, "record_hearing", disk_full)  # after documents, consents and inputs
    with pytest.raises(StorageError, match="disk is full"):
        services.import_case_file(store, users["chair"], GOOD, services.shipped_rubric())
    assert calls == ["hearing"]  # the fault really came after the earlier steps had been written
    assert _contents(store.path) == before
    assert _head(store) == head
    services.check_audit_chain(store)
    monkeypatch.undo()
    ref = services.import_case_file(store, users["chair"], GOOD, services.shipped_rubric())
    case = services.get_case(store, users["chair"], ref)
    assert (len(case.documents), len(case.chronology), case.hearing is not None) == (3, 3, True)


def test_a_savepoint_failure_inside_an_open_write_undoes_only_its_own_part(
        store: Store, users: dict[str, User]) -> None:
    """A service that fails inside a larger write takes back only its own rows and events; the rest of the
    write commits with a chain that verifies."""
    with store.write():
        ref = services.create_case(store, users["chair"], services.read_case_file(GOOD).intake)
        with pytest.raises(ValidationError):
            services.add_chronology(store, users["chair"], ref, services.read_case_file(GOOD).chronology[0].on
                                    .replace(year=2040), "te laat")
    case = services.get_case(store, users["chair"], ref)
    assert case.chronology == []
    assert [e.action for e in store_events(store, ref)] == ["case.create"]
    services.check_audit_chain(store)


def _head(store: Store) -> tuple[int, str] | None:
    with store.read() as tx:
        return tx.audit_head()


def store_events(store: Store, ref: str) -> list[object]:
    with store.read() as tx:
        return list(tx.audit_events(ref))


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m assessment` in its own process: the real entry point's exit code and exact output."""
    env = {**os.environ, "AANNEMELIJK_DEMO": "1", "AANNEMELIJK_PASSWORD": "demo", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "assessment", "--lang", "en", *args, "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def _main(monkeypatch: pytest.MonkeyPatch, db: Path, *args: str, demo: str = "1") -> int:
    """The same command in this process (no interpreter start-up), its output left to capsys."""
    monkeypatch.setenv("AANNEMELIJK_DEMO", demo)
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.delenv("AANNEMELIJK_USER", raising=False)
    return main(["--lang", "en", *args, "--db", str(db)])


def test_the_cli_import_prints_one_error_and_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = _chair_store(tmp_path)
    bad = _edited(tmp_path, "third document received in the future")
    before = _contents(db)
    proc = _cli(db, "import", "--as", "chair", str(bad))
    assert proc.returncode == 2 and proc.stdout == "", (proc.stdout, proc.stderr)
    assert proc.stderr.splitlines() == [
        f"error: {bad}: received_on: The date the document was received (2 February 2031) lies in the future"]
    assert _contents(db) == before
    assert _main(monkeypatch, db, "audit", "verify") == 0, capsys.readouterr().err
    capsys.readouterr()
    assert _main(monkeypatch, db, "import", "--as", "chair", str(GOOD)) == 0
    assert f"{GOOD}: imported as AAN-" in capsys.readouterr().out


def test_the_cli_import_is_refused_in_a_real_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "real.sqlite3"
    open_store(Settings(db_path=db, demo=False)).close()
    assert _main(monkeypatch, db, "import", "--as", "chair", str(GOOD), demo="0") != 0
    assert capsys.readouterr().err.splitlines() == [
        "error: Importing case files is for demo and training databases only"]


def test_a_generated_case_that_fails_halfway_leaves_nothing_and_the_ones_before_stay(
        store: Store, users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.synthetic import generate

    rubric = services.shipped_rubric()
    generated = [g for g in generate(12, "pilot", 11, rubric=rubric) if g.outcome is not None][:2]
    assert len(generated) == 2
    first = services.load_synthetic(store, users["chair"], generated[:1], rubric)
    before = _contents(store.path)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise StorageError("Saving failed, nothing was saved: database or disk is full")

    monkeypatch.setattr(services.decisions, "record_decision", disk_full)  # the last step of a decided case
    with pytest.raises(StorageError):
        services.load_synthetic(store, users["chair"], generated[1:], rubric)
    assert _contents(store.path) == before
    assert [c.ref for c in services.list_cases(store, users["chair"])] == first
    services.check_audit_chain(store)
