"""Holes 3 and 4 of issue #14, as an insider holding the database file (but not the deployment's secrets)
would try them, against the real command-line tool (`assessment.cli.main`, with the process's environment,
stdin, stdout and stderr; one success, one failed verification and one refused restore also through
`python -m assessment` in its own process, for the real entry point's exit codes):

- rewrite an event and re-hash every later one (with any key but the installation's), delete the last
  events and reset the head, empty the log, drop the append-only triggers, or change a case row directly:
  `audit verify` exits 1 and names the problem;
- restore a foreign file (another installation's key, or another database under the same key), a forged
  one, one without triggers, or an older one: refused without `--force`, nothing changed; with `--force`
  the replaced file is kept, the restored chain is resealed and verifies.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import audit
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent


def process(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m assessment ARGS` in its own process."""
    return subprocess.run([sys.executable, "-m", "assessment", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The same command in this process: `main` with exactly `env` as the environment, `stdin` as standard
    input, its output captured (seconds of interpreter start-up saved per command)."""
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        with (pytest.MonkeyPatch.context() as m, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
            m.setattr(sys, "stdin", io.StringIO(stdin or ""))
            code = main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["assessment", *args], code, out.getvalue(), err.getvalue())


def environment(base: Path, name: str = "live", key: str = "secrets/audit.key") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AANNEMELIJK_") and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "en_GB.UTF-8"  # the messages asserted below, in the run's one language
    env.update(AANNEMELIJK_DB=str(base / f"{name}.sqlite3"), AANNEMELIJK_DEMO="1",
               AANNEMELIJK_AUDIT_KEY_FILE=str(base / key), AANNEMELIJK_AUDIT_ANCHOR=str(base / "anchor" / "audit.log"))
    return env


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An installation with the demo loaded (cases, decisions, letters: many events), made once at the path
    every test's site then has, and a pristine copy of it. The anchor lines name the database's path, so a
    copy put back at that same path is anchored exactly as the original was."""
    root = tmp_path_factory.mktemp("integrity")
    base, pristine = root / "site", root / "pristine"
    env = environment(base)
    assert cli(env, "init").returncode == 0
    done = cli(env, "demo")
    assert done.returncode == 0, done.stderr
    shutil.copytree(base, pristine)
    return base, pristine


@pytest.fixture
def site(template: tuple[Path, Path]) -> tuple[Path, dict[str, str]]:
    base, pristine = template
    shutil.rmtree(base)
    shutil.copytree(pristine, base)
    return base, environment(base)


def db(base: Path, name: str = "live") -> Path:
    return base / f"{name}.sqlite3"


def raw(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def rehash(path: Path, key: bytes | None) -> None:
    """Recompute every hash and the head as an attacker without the installation's key can."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    prev = audit.GENESIS
    for row in conn.execute("SELECT * FROM audit_events ORDER BY seq").fetchall():
        event = audit.seal(audit.Event(**dict(row, prev_hash=prev, hash="")), key)
        conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, event.hash, row["seq"]])
        prev = event.hash
    last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    conn.execute("UPDATE audit_head SET seq = ?, hash = ?", [last, prev])
    conn.commit()
    conn.close()


def verify(env: dict[str, str], path: Path | None = None) -> subprocess.CompletedProcess[str]:
    return cli(env, "audit", "verify", *(["--db", str(path)] if path else []))


def test_intact_installation_verifies(site: tuple[Path, dict[str, str]]) -> None:
    base, env = site
    done = process(env, "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "intact" in done.stdout


@pytest.mark.parametrize("key", [None, b"a guessed key"], ids=["sha256", "other-hmac"])
def test_rewritten_and_rehashed_event_is_found(site: tuple[Path, dict[str, str]], key: bytes | None) -> None:
    base, env = site
    raw(db(base), "DROP TRIGGER audit_no_update",
        "UPDATE audit_events SET after = '{\"outcome\": \"niet_aannemelijk\"}' WHERE seq = 5")
    rehash(db(base), key)
    done = verify(env)
    assert done.returncode == 1
    assert "was changed" in done.stderr


def test_truncated_log_with_reset_head_is_found(site: tuple[Path, dict[str, str]]) -> None:
    base, env = site
    raw(db(base), "DROP TRIGGER audit_no_delete",
        "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 3 FROM audit_events)",
        "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_events), "
        "hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events\n"
        "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    done = verify(env)
    assert done.returncode == 1
    assert "no longer reaches" in done.stderr


def test_emptied_log_is_found(site: tuple[Path, dict[str, str]]) -> None:
    base, env = site
    raw(db(base), "DROP TRIGGER audit_no_delete", "DELETE FROM audit_events", "DELETE FROM audit_head")
    done = process(env, "audit", "verify")
    assert done.returncode == 1
    assert "no longer reaches" in done.stderr and "changed outside the application" in done.stderr
    assert "intact" not in done.stdout


def test_dropped_trigger_is_found(site: tuple[Path, dict[str, str]]) -> None:
    base, env = site
    raw(db(base), "DROP TRIGGER audit_no_update")
    done = verify(env)
    assert done.returncode == 1
    assert "Trigger audit_no_update is missing" in done.stderr


def test_direct_case_update_is_found(site: tuple[Path, dict[str, str]]) -> None:
    base, env = site
    ref = sqlite3.connect(db(base)).execute("SELECT ref FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    raw(db(base), f"UPDATE cases SET status = 'withdrawn', withdrawn_on = '2026-01-01' WHERE ref = '{ref}'")
    done = verify(env)
    assert done.returncode == 1
    assert f"Case {ref} was changed outside the application" in done.stderr


# --- restore -----------------------------------------------------------------------------------------------


def head(path: Path) -> tuple[int, str]:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT seq, hash FROM audit_head").fetchone()
    finally:
        conn.close()
    return int(row[0]), str(row[1])


def kept(base: Path) -> list[str]:
    return sorted(p.name for p in base.iterdir() if ".before-restore-" in p.name)


def other_installation(tmp_path: Path, same_key_as: Path | None) -> Path:
    """Another database: under another key, or (same_key_as) another database under this key."""
    other = tmp_path / "other"
    other.mkdir()
    env = environment(other)
    if same_key_as is not None:
        (other / "secrets").mkdir()
        shutil.copy(same_key_as / "secrets" / "audit.key", other / "secrets" / "audit.key")
    made = cli(env, "init", "--admin", "beheer", "--password-stdin", stdin="een-lang-wachtwoord\n")
    assert made.returncode == 0, made.stderr
    return db(other)


@pytest.mark.parametrize("same_key", [False, True], ids=["other-key", "same-key-other-database"])
def test_foreign_file_is_refused_then_forced(site: tuple[Path, dict[str, str]], tmp_path: Path, same_key: bool) -> None:
    base, env = site
    foreign = other_installation(tmp_path, base if same_key else None)
    before = head(db(base))
    done = cli(env, "restore", str(foreign))
    assert done.returncode != 0
    assert "another database" in done.stderr or "another key" in done.stderr
    assert head(db(base)) == before and kept(base) == []
    forced = cli(env, "restore", "--force", str(foreign))
    assert forced.returncode == 0, forced.stderr
    assert len(kept(base)) == 1 and head(base / kept(base)[0]) == before
    assert verify(env).returncode == 0  # resealed with this installation's key, the restore recorded


def test_forged_backup_is_refused(site: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    base, env = site
    backup = tmp_path / "b.sqlite3"
    assert cli(env, "backup", str(backup)).returncode == 0
    raw(backup, "DROP TRIGGER audit_no_update", "UPDATE audit_events SET actor = 'someone' WHERE seq = 3")
    rehash(backup, None)
    before = head(db(base))
    done = process(env, "restore", str(backup))
    assert done.returncode != 0 and "was changed" in done.stderr
    assert head(db(base)) == before and kept(base) == []


def test_backup_without_triggers_is_refused(site: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    base, env = site
    backup = tmp_path / "b.sqlite3"
    assert cli(env, "backup", str(backup)).returncode == 0
    raw(backup, "DROP TRIGGER audit_no_delete", "DROP TRIGGER letters_no_update")
    done = cli(env, "restore", str(backup))
    assert done.returncode != 0 and "Trigger audit_no_delete is missing" in done.stderr


def test_older_backup_is_refused_then_forced_keeping_the_replaced_file(site: tuple[Path, dict[str, str]],
                                                                     tmp_path: Path) -> None:
    base, env = site
    backup = tmp_path / "b.sqlite3"
    assert cli(env, "backup", str(backup)).returncode == 0
    env_admin = dict(env, AANNEMELIJK_PASSWORD="demo")
    added = cli(env_admin, "users", "add", "nieuw", "--role", "secretary", "--password-stdin", "--as", "admin",
                stdin="een-lang-wachtwoord\n")
    assert added.returncode == 0, added.stderr
    before = head(db(base))
    done = cli(env, "restore", str(backup))
    assert done.returncode != 0 and "older" in done.stderr
    assert head(db(base)) == before and kept(base) == []
    forced = cli(env, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    assert len(kept(base)) == 1 and head(base / kept(base)[0]) == before
    assert verify(env).returncode == 0
    assert verify(env, backup).returncode == 0  # the backup verifies on its own (its anchor is beside it)


def test_current_backup_restores_and_keeps_the_replaced_file(site: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    base, env = site
    backup = tmp_path / "b.sqlite3"
    assert cli(env, "backup", str(backup)).returncode == 0
    done = cli(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert len(kept(base)) == 1
    assert verify(env).returncode == 0
    triggers = {r[0] for r in sqlite3.connect(db(base)).execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"audit_no_update", "audit_no_delete"} <= triggers
