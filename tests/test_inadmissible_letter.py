"""The letter on an inadmissible application is issued like an advice: the chair signs it, it is stored for good
with its SHA-256 and an audit event, a correction is a new version with its reason, and only the chair may
sign it (services and CLI). A database whose `letters` table predates this (a decision required) is migrated
with every issued letter, its bytes and its immutability kept."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from assessment import services
from assessment import store as storage
from assessment.cli import main
from assessment.config import Settings
from assessment.errors import AccessDeniedError, ValidationError
from assessment.model import User
from assessment.services.importing import DEMO_CASES, import_case_file
from assessment.store import Store, now_iso, open_store

INADMISSIBLE = DEMO_CASES / "10-inadmissible-late.yaml"
DECIDED = DEMO_CASES / "04-sexual-decided-positive.yaml"


def who(store: Store, name: str) -> User:
    return services.user_by_name(store, name)


def pdf_text(pdf: bytes, tmp: Path) -> str:
    (tmp / "l.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(tmp / "l.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


@pytest.fixture
def world(tmp_path: Path) -> tuple[Store, str, Path]:
    settings = Settings(db_path=tmp_path / "db.sqlite3", demo=True)
    store = open_store(settings)
    services.load_demo_users(store)
    ref = import_case_file(store, who(store, "chair"), INADMISSIBLE, services.shipped_rubric(), lang="nl")
    return store, ref, settings.db_path


def test_the_chair_issues_signs_and_archives_the_inadmissible_letter(world: tuple[Store, str, Path],
                                                                     tmp_path: Path) -> None:
    store, ref, _ = world
    chair = who(store, "chair")
    assert services.get_case(store, chair, ref).status == "inadmissible"  # the curated case file's own status
    issued = services.issue_letter(store, chair, ref, "nl")
    assert (issued.kind, issued.version, issued.decision_id, issued.rubric_id) == ("inadmissible", 1, None, None)
    stored = services.get_issued_letter(store, who(store, "secretary"), ref)
    assert hashlib.sha256(stored.content).hexdigest() == issued.sha256 == stored.letter.sha256
    text = pdf_text(stored.content, tmp_path)
    # The requirement not met, why (the dates from the case file), what the applicant can do; signed, no draft.
    assert [s in text for s in ("niet-ontvankelijk", "binnen vier weken", "30 maart 2026", "Wat u kunt doen")] == [
        True] * 4
    assert "CONCEPT" not in text
    # After issuing, the issued version is the letter: a preview or a second issue needs a correction's reason.
    with pytest.raises(ValidationError):
        services.issue_letter(store, chair, ref, "nl")
    with pytest.raises(ValidationError):
        services.preview_letter(store, chair, ref, "nl", "pdf")
    corrected = services.issue_letter(store, chair, ref, "nl", reason="De datum van ontvangst was onjuist.")
    assert (corrected.version, corrected.replaces_version, corrected.kind) == (2, 1, "inadmissible")
    assert "Deze brief vervangt versie 1" in pdf_text(services.get_issued_letter(store, chair, ref).content, tmp_path)
    assert [(x.lang, x.version, x.kind) for x in services.list_letters(store, chair, ref)] == [
        ("nl", 1, "inadmissible"), ("nl", 2, "inadmissible")]
    events = [e for e in services.case_audit(store, chair, ref) if e["action"] == "letter.issue"]
    assert [e["actor"] for e in events] == ["chair", "chair"]
    assert '"kind": "inadmissible"' in events[0]["after"] and issued.sha256 in events[0]["after"]
    assert events[1]["reason"] == "De datum van ontvangst was onjuist."
    assert services.verify_audit(store, chair) >= 2
    # The case closed on its admissibility decision; the letter does not date an advice.
    assert services.get_case(store, chair, ref).letter_issued_on is None
    with pytest.raises(sqlite3.DatabaseError, match="never changes"):
        store.db.conn.execute("UPDATE letters SET sha256 = 'x'")


@pytest.mark.parametrize("member", ["secretary", "police", "care"])
def test_only_the_chair_signs_it(world: tuple[Store, str, Path], member: str) -> None:
    store, ref, _ = world
    with pytest.raises(AccessDeniedError):
        services.issue_letter(store, who(store, member), ref, "nl")
    assert services.list_letters(store, who(store, "chair"), ref) == []


def test_the_cli_issues_it_for_the_chair_only(world: tuple[Store, str, Path], capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, ref, path = world
    store.close()
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    assert main(["letter", ref, "--lang", "en", "--issue", "--db", str(path), "--as", "secretary"]) != 0
    assert main(["letter", ref, "--lang", "en", "--issue", "--db", str(path), "--as", "chair"]) == 0
    assert re.search(rf"{ref} v1 en sha256:[0-9a-f]{{64}}", capsys.readouterr().out)


def _old_database(path: Path) -> tuple[str, bytes]:
    """A database of the schema before migration 0013 (a decision required on every letter) holding the
    advice letter of a decided curated case, written through the services and the storage layer as that
    version wrote it; returns the case's reference and the letter's bytes."""
    kept = [m for m in storage.migrations._migrations if m.name != "0013_inadmissible_letters"]  # noqa: SLF001
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(storage.migrations, "_migrations", kept)
        store = open_store(Settings(db_path=path, demo=True))
        services.load_demo_users(store)
        ref = import_case_file(store, who(store, "chair"), DECIDED, services.shipped_rubric(), lang="nl")
        pdf = b"%PDF-1.7 the letter as issued before the migration"
        with store.write() as tx:
            case = tx.get("cases", ref=ref)
            assert case is not None
            decision = tx.select("decisions", case_id=case["id"])[-1]
            letter_id = tx.insert("letters", {
                "case_id": case["id"], "lang": "nl", "version": 1, "replaces_version": None, "format": "pdf",
                "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf), "template_version": "sha256:old",
                "rubric_id": "legal-273f", "rubric_version": "2026.1", "rubric_hash": "sha256:rubric",
                "decision_id": decision["id"], "issued_by": "chair", "issued_at": now_iso()})
            tx.insert("p_letters", {"letter_id": letter_id, "content": pdf, "correction_reason": ""})
        assert "kind" not in {r[1] for r in store.db.conn.execute("PRAGMA table_info(letters)")}
        store.close()
    return ref, pdf


def test_an_existing_database_keeps_its_letters_and_can_then_issue_an_inadmissible_one(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    ref, pdf = _old_database(path)
    store = open_store(Settings(db_path=path, demo=True))
    assert storage.schema_migrations(store)[-1] == "0013_inadmissible_letters"
    chair = who(store, "chair")
    [letter] = services.list_letters(store, chair, ref)
    assert (letter.kind, letter.version, letter.rubric_id, letter.sha256) == (
        "advice", 1, "legal-273f", hashlib.sha256(pdf).hexdigest())
    assert services.get_issued_letter(store, chair, ref).content == pdf  # the bytes, checked against their hash
    for statement in ("UPDATE letters SET sha256 = 'x'", "DELETE FROM letters", "UPDATE p_letters SET content = x''",
                      "DELETE FROM p_letters"):
        with pytest.raises(sqlite3.DatabaseError, match="never changes"):
            store.db.conn.execute(statement)
    if store.db.conn.in_transaction:  # the refused statements' implicit transaction
        store.db.conn.rollback()
    assert store.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # An advice letter without its decision is refused by the table itself.
    with pytest.raises(sqlite3.IntegrityError), store.write() as tx:
        tx.insert("letters", {"case_id": 1, "lang": "en", "version": 1, "format": "pdf", "sha256": "x", "size": 1,
                              "template_version": "t", "kind": "advice", "issued_by": "chair",
                              "issued_at": now_iso()})
    late = import_case_file(store, chair, INADMISSIBLE, services.shipped_rubric(), lang="nl")
    assert services.issue_letter(store, chair, late, "nl").kind == "inadmissible"
    assert services.verify_audit(store, chair) > 0
