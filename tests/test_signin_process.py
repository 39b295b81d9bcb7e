"""Hole 7 of issue #14: a client guessing passwords must never block anyone's save.

A second process signs in with a wrong password; its password check is held open (the check is the slow
part: argon2 by design, or many guessers at once) until this process has saved. Before the fix the check
ran inside `BEGIN IMMEDIATE`, so the save waited out the busy timeout and failed ("database is busy"). Also:
throttling is per account (a locked account is refused without a password check, and never locks out
anyone else).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assessment import passwords, services
from assessment.errors import AuthenticationError
from assessment.model import User
from assessment.store import Store

ROOT = Path(__file__).resolve().parent.parent

GUESSER = """
import sys, time
from pathlib import Path
from assessment import passwords, services
from assessment.config import Settings
from assessment.errors import AuthenticationError
from assessment.store import open_store

db, key, flags = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

def held_check(password_hash, password):
    (flags / "checking").write_text("1")
    for _ in range(600):  # until the other process has saved (at most a minute)
        if (flags / "saved").exists():
            break
        time.sleep(0.1)
    return False

passwords.verify_password = held_check
with open_store(Settings(db_path=db, demo=True, audit_key_file=key)) as store:
    try:
        services.authenticate(store, "police", "a-guess")
    except AuthenticationError:
        print("refused")
"""


def test_a_password_guess_in_progress_does_not_block_a_save(tmp_path: Path, users: dict[str, User],
                                                             make_case, store: Store) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    flags = tmp_path / "flags"
    flags.mkdir()
    guesser = subprocess.Popen(
        [sys.executable, "-c", GUESSER, str(store.path), str(store.settings.audit_key_file), str(flags)],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if (flags / "checking").exists() or guesser.poll() is not None:
                break
            time.sleep(0.1)
        assert (flags / "checking").exists(), guesser.stderr.read() if guesser.stderr else ""
        # The guess is being checked right now, in the other process: this save must go through.
        services.add_chronology(store, users["secretary"], ref, dt.date(2026, 1, 5), "opgeslagen tijdens het raden")
        (flags / "saved").write_text("1")
        out, err = guesser.communicate(timeout=120)
    finally:
        (flags / "saved").write_text("1")
        if guesser.poll() is None:
            guesser.kill()
    assert guesser.returncode == 0, err
    assert out.strip() == "refused"
    facts = [c.fact for c in services.get_case(store, users["secretary"], ref).chronology]
    assert facts == ["opgeslagen tijdens het raden"]
    with store.read() as tx:
        assert tx.get("users", username="police")["failed_logins"] == 1  # the guess was still counted


def test_throttling_is_per_account(store: Store, users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(store.settings.max_failed_logins):
        with pytest.raises(AuthenticationError):
            services.authenticate(store, "police", "wrong")
    checks: list[str] = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: checks.append(p) or real(h, p))
    with pytest.raises(AuthenticationError):
        services.authenticate(store, "police", "demo")  # locked: even the right password is refused
    assert checks == []  # ... without spending a password check on it
    assert services.authenticate(store, "care", "demo").username == "care"  # everyone else signs in
    assert checks == ["demo"]

