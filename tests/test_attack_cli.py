"""Reaching another role's data through the CLI: every command that reads case data, every role that may
not, gets exit 3 and nothing on stdout (and no file written). Issue #8, attack.

Each command also runs once for a role that may, so a check that passes because nothing works cannot pass.
The CLI runs in-process through `assessment.cli.main` (the same parser and handlers as `python -m
assessment`); one entry also runs as a real subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.store import open_store

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "pilot_data" / "rubrics" / "ilo-2009.yaml"
REF = "AAN-2026-0001"  # the first demo case: in assessment; police, care, medical and legal on its panel
NAME = "Synthetic Person A"  # its applicant (synthetic)
PASSWORDS = {"trainee": "trainee-password"}

EVAL = ["secretary", "chair", "police", "admin", "trainer", "trainee"]  # all but the evaluator
# (command, argv with {ref} and {out}, users refused)
REFUSED: list[tuple[str, list[str], list[str]]] = [
    ("cases", ["cases", "--json"], ["evaluator", "admin"]),
    ("letter", ["letter", "{ref}", "--out", "{out}"], ["police", "labour", "evaluator", "admin", "trainer", "trainee"]),
    ("letter-docx", ["letter", "{ref}", "--format", "docx", "--out", "{out}"], ["police", "evaluator", "trainer"]),
    ("letter-issue", ["letter", "{ref}", "--issue", "--out", "{out}"],
     ["secretary", "police", "evaluator", "admin", "trainer"]),
    ("metrics", ["metrics", "--json"], EVAL),
    ("export", ["export", "--out", "{out}"], EVAL),
    ("export-full", ["export", "--profile", "full", "--out", "{out}"],
     ["secretary", "chair", "police", "trainer", "trainee", "evaluator"]),
    ("rescore", ["rescore", "--rubric", str(RUBRIC), "--json"], EVAL),
    ("report", ["report", "--from", "2026-01-01", "--to", "2026-12-31", "--out", "{out}"], EVAL),
    ("subject-export", ["subject-export", "{ref}", "--out", "{out}"],
     ["police", "labour", "evaluator", "admin", "trainer", "trainee"]),
    ("retention", ["retention", "apply", "--dry-run", "--json"], ["secretary", "chair", "police", "evaluator", "trainer"]),
    ("users", ["users", "list"], ["secretary", "chair", "police", "evaluator"]),
]
# (command, argv, a user who may: the same harness shows data then)
ALLOWED: list[tuple[str, list[str], str, str]] = [
    ("cases", ["cases", "--json"], "chair", REF),
    ("metrics", ["metrics", "--json"], "evaluator", "{{"),
    ("subject-export", ["subject-export", "{ref}", "--out", "{out}"], "secretary", "{out}"),
    ("users", ["users", "list"], "admin", "secretary"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo database (accounts and cases) plus a trainee account."""
    path = tmp_path_factory.mktemp("attack-cli") / "demo.sqlite3"
    store = open_store(Settings(db_path=path, demo=True))
    services.load_demo(store)
    services.add_user(store, services.user_by_name(store, "admin"), "trainee", "trainee", PASSWORDS["trainee"])
    assert NAME in services.get_case(store, services.user_by_name(store, "chair"), REF).intake.applicant.name  # type: ignore[union-attr]
    store.close()
    yield path


def cli(db: Path, user: str | None, argv: list[str], out: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run one CLI command as `user`; returns exit code, stdout and stderr."""
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", PASSWORDS.get(user or "", "demo"))
    args = [a.format(ref=REF, out=out) for a in argv] + ["--db", str(db)] + (["--as", user] if user else [])
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("argv", "user"), [pytest.param(argv, u, id=f"{name}-{u}")
                                            for name, argv, users in REFUSED for u in users])
def test_a_role_that_may_not_gets_exit_3_and_no_data(db: Path, argv: list[str], user: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = cli(db, user, argv, out, monkeypatch, capsys)
    assert code == 3, (code, stdout, stderr)
    assert stdout == ""
    assert not out.exists() and not list(tmp_path.glob("out*"))  # nothing written either
    assert NAME not in stderr and "Traceback" not in stderr
    assert "Geen toegang" in stderr or "Access denied" in stderr or "not available" in stderr


@pytest.mark.parametrize(("argv", "user", "shows"), [pytest.param(a, u, s, id=f"{n}-{u}") for n, a, u, s in ALLOWED])
def test_the_same_commands_show_data_to_a_role_that_may(db: Path, argv: list[str], user: str, shows: str,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    code, stdout, stderr = cli(db, user, argv, out, monkeypatch, capsys)
    assert code == 0, stderr
    assert shows.format(out=out) in stdout


def test_the_letter_checks_access_before_anything_else(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The chair may, but the case is not decided: exit 2 with the reason. The refusals above are 3, so the
    access check comes first and says nothing about the case's stage."""
    code, stdout, stderr = cli(db, "chair", ["letter", "{ref}", "--out", "{out}"], tmp_path / "l.pdf", monkeypatch,
                               capsys)
    assert (code, stdout) == (2, "")
    assert NAME not in stderr


@pytest.mark.parametrize("member", ["labour", "immigration"])
def test_a_member_lists_only_the_cases_of_their_own_panels(db: Path, member: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = cli(db, member, ["cases", "--json"], tmp_path / "o", monkeypatch, capsys)
    assert code == 0
    assert REF not in stdout and NAME not in stdout
    store = open_store(Settings(db_path=db, demo=True))
    chair = services.user_by_name(store, "chair")
    own = {c.ref for c in services.list_cases(store, chair)
           if member in {s.username for s in services.get_case(store, chair, c.ref).panel}}
    store.close()
    assert {c["ref"] for c in json.loads(stdout)} == own


def test_audit_verify_shows_no_case_data(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = cli(db, None, ["audit", "verify"], tmp_path / "o", monkeypatch, capsys)
    assert code == 0
    assert "AAN-" not in stdout and NAME not in stdout and "intact" in stdout


def test_a_refusal_through_python_dash_m_is_exit_3_without_traceback(db: Path) -> None:
    env = {"AANNEMELIJK_DEMO": "1", "AANNEMELIJK_PASSWORD": "demo", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "assessment", "subject-export", REF, "--out", "/dev/null",
                           "--db", str(db), "--as", "evaluator"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert (proc.returncode, proc.stdout) == (3, "")
    assert "Traceback" not in proc.stderr and NAME not in proc.stderr
