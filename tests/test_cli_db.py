"""The database commands of the CLI: init, demo, cases, users, audit verify, backup, restore."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from assessment.casefile import read_case_file
from assessment.cli import main
from assessment.services.importing import DEMO_CASES
from tests.access_table import documented_allows
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_db_file: Path) -> Path:
    """A copy of the demo database (loaded once through `init` and `demo`: tests/conftest.py)."""
    path = copy_database(demo_db_file, tmp_path / "cli.sqlite3")
    monkeypatch.setenv("AANNEMELIJK_DB", str(path))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.delenv("AANNEMELIJK_USER", raising=False)
    return path


def run_as(monkeypatch: pytest.MonkeyPatch, user: str, argv: list[str], password: str = "demo") -> int:
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", password)
    return main([*argv, "--as", user])




@pytest.mark.parametrize("user", ["secretary", "police", "chair", "evaluator", "trainer", "admin"])
def test_cases_and_users_obey_the_matrix(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         user: str) -> None:
    role = "member" if user == "police" else user
    expect_cases = 0 if documented_allows("case.list", role) else 3
    expect_users = 0 if documented_allows("users.list", role) else 3
    assert run_as(monkeypatch, user, ["cases", "--json"]) == expect_cases
    out = capsys.readouterr().out
    if expect_cases == 0:
        refs = [c["ref"] for c in json.loads(out)]
        # One case per curated file, in file order; police sees the cases whose panel it sits on.
        files = sorted(DEMO_CASES.glob("*.yaml"))
        every = {f"AAN-2026-{i:04d}" for i in range(1, len(files) + 1)}
        police = {f"AAN-2026-{i:04d}" for i, f in enumerate(files, 1) if "police" in read_case_file(f).panel}
        assert set(refs) == {"trainer": set(), "police": police}.get(user, every)
    assert run_as(monkeypatch, user, ["users", "list"]) == expect_users


def test_cases_status_filter(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_as(monkeypatch, "chair", ["cases", "--status", "intake"]) == 0
    # For a reader, in the run's language (Dutch: no --lang, LANG=C): names, not stored values; no ISO date.
    assert capsys.readouterr().out.rstrip("\n").split("\t") == [
        "AAN-2026-0003", "intake", "20 mei 2026", "criminele uitbuiting", "uitzondering (geen aangifte)"]
    assert run_as(monkeypatch, "chair", ["--lang", "en", "cases", "--status", "intake"]) == 0
    assert capsys.readouterr().out.rstrip("\n").split("\t") == [
        "AAN-2026-0003", "intake", "20 May 2026", "criminal exploitation", "exception (no report)"]


def test_wrong_password_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_as(monkeypatch, "chair", ["cases"], password="nope") == 3
    assert "Aanmelden mislukt" in capsys.readouterr().err  # the run's language: Dutch (no --lang, LANG=C)


def test_users_add_from_stdin_list_and_disable(db: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    assert run_as(monkeypatch, "admin", ["users", "add", "labour2", "--role", "member", "--discipline", "labour",
                                         "--password-stdin"]) == 0
    assert run_as(monkeypatch, "admin", ["users", "disable", "labour2", "--reason", "vertrokken"]) == 0
    capsys.readouterr()
    assert run_as(monkeypatch, "admin", ["users", "list", "--json"]) == 0
    listed = {u["username"]: u for u in json.loads(capsys.readouterr().out)}
    assert (listed["labour2"]["role"], listed["labour2"]["disabled"], "password_hash" in listed["labour2"]) == (
        "member", True, False)
    assert run_as(monkeypatch, "labour2", ["cases"], password="een lang wachtwoord") == 3


def test_audit_verify_exit_codes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # In-process; the same exit codes through `python -m assessment` in its own process are
    # tests/test_integrity_process.py's (intact: 0, a changed log: 1).
    assert main(["audit", "verify"]) == 0
    assert "Auditlog intact" in capsys.readouterr().out  # the run's language: Dutch (no LANG)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit_events SET reason = 'rewritten' WHERE seq = 7")
    conn.commit()
    conn.close()
    assert main(["audit", "verify"]) == 1
    assert "Gebeurtenis #7 is gewijzigd" in capsys.readouterr().err


def test_backup_restore_and_refusing_a_damaged_file(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "backup.sqlite3"
    assert main(["backup", str(backup)]) == 0
    assert sqlite3.connect(backup).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run_as(monkeypatch, "admin", ["users", "disable", "care"]) == 0
    assert main(["restore", str(backup)]) == 2  # older than the database: refused, nothing lost
    assert "er is niets teruggezet" in capsys.readouterr().err
    assert main(["restore", "--force", str(backup)]) == 0
    capsys.readouterr()
    assert run_as(monkeypatch, "admin", ["users", "list", "--json"]) == 0
    assert {u["username"]: u["disabled"] for u in json.loads(capsys.readouterr().out)}["care"] is False
    assert main(["audit", "verify"]) == 0
    damaged = tmp_path / "damaged.sqlite3"
    raw = bytearray(backup.read_bytes())
    raw[5000:9000] = b"\xff" * 4000
    damaged.write_bytes(bytes(raw))
    assert main(["restore", str(damaged)]) == 2
    assert capsys.readouterr().err == f"error: {damaged} is beschadigd (de integriteitscontrole faalt); er is niets teruggezet.\n"
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE x (y)").connection.commit()
    assert main(["restore", str(foreign)]) == 2
    assert "is geen Aannemelijk-database" in capsys.readouterr().err
