"""A decision renders with the rubric it was made with, whatever becomes of the shipped file (issue 11's risk:
the shipped rubric was found by hash in the file, so a reworded text under the same version left older
decisions without their rubric). Two guards: every decision keeps its rubric's text in the database, and a
shipped rubric whose content changes must carry a new version (pilot_data/rubrics/released-versions.txt)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from assessment import services
from assessment.config import Settings
from assessment.letters.render import render_pdf
from assessment.rubric import LEGAL_RUBRIC, load_rubric
from assessment.services import rubrics
from assessment.services.letter_context import build_letter_context
from assessment.store import open_store
from tests.conftest import copy_database

SHIPPED = LEGAL_RUBRIC.parent
RELEASED = SHIPPED / "released-versions.txt"


def released() -> dict[tuple[str, str], str]:
    """(rubric id, version) -> content hash, as the manifest records them (read as plain text)."""
    out = {}
    for line in RELEASED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rubric_id, version, content_hash = line.split()
            out[(rubric_id, version)] = content_hash
    return out


def unreleased_changes(folder: Path, manifest: dict[tuple[str, str], str]) -> list[str]:
    """Shipped rubric files whose (id, version) is not in the manifest, or whose content differs from it."""
    problems = []
    for path in sorted(folder.glob("*.yaml")):
        rubric = load_rubric(path)
        recorded = manifest.get((rubric.id, rubric.version))
        if recorded is None:
            problems.append(f"{path.name}: {rubric.id} {rubric.version} is not in {RELEASED.name}")
        elif recorded != rubric.content_hash:
            problems.append(f"{path.name}: {rubric.id} {rubric.version} changed since its release: give it a new version")
    return problems


def test_every_shipped_rubric_is_a_released_version_unchanged() -> None:
    assert unreleased_changes(SHIPPED, released()) == []


def test_the_release_check_catches_a_changed_text_under_the_same_version(tmp_path: Path) -> None:
    shutil.copy(LEGAL_RUBRIC, tmp_path / LEGAL_RUBRIC.name)
    assert unreleased_changes(tmp_path, released()) == []
    text = LEGAL_RUBRIC.read_text(encoding="utf-8")
    (tmp_path / LEGAL_RUBRIC.name).write_text(text.replace('nl: "Gedraging"', 'nl: "Handeling"', 1), encoding="utf-8")
    assert unreleased_changes(tmp_path, released()) == [
        "legal-273f.yaml: legal-273f 2026.1 changed since its release: give it a new version"]
    (tmp_path / LEGAL_RUBRIC.name).write_text(text.replace('version: "2026.1"', 'version: "2026.2"', 1), encoding="utf-8")
    assert unreleased_changes(tmp_path, released()) == [
        "legal-273f.yaml: legal-273f 2026.2 is not in released-versions.txt"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_decision_renders_with_its_own_rubric_after_the_shipped_file_changed(
        tmp_path: Path, demo_db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's decisions were recorded under the shipped legal test (its element "Gedraging").
    store = open_store(Settings(db_path=copy_database(demo_db_file, tmp_path / "demo.sqlite3"), demo=True))
    chair = services.user_by_name(store, "chair")
    ref = next(c.ref for c in services.list_cases(store, chair, status="decided", limit=1000))
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None and decision.rubric_hash == load_rubric(LEGAL_RUBRIC).content_hash
    # A new release rewords the shipped file under the same version (what the guard above forbids).
    changed = tmp_path / LEGAL_RUBRIC.name
    changed.write_text(LEGAL_RUBRIC.read_text(encoding="utf-8").replace(
        'name: {nl: "Gedraging", en: "Act"}', 'name: {nl: "Gedraging HERZIEN", en: "Act REVISED"}', 1), encoding="utf-8")
    monkeypatch.setattr(rubrics, "DEFAULT_RUBRIC", changed)
    assert rubrics.shipped_rubric().content_hash != decision.rubric_hash
    assert rubrics.shipped_rubric().elements[0].name.nl == "Gedraging HERZIEN"
    for lang, original in (("nl", "Gedraging"), ("en", "Act")):
        ctx = build_letter_context(store, chair, ref, lang, letter_date=dt.date(2026, 5, 1))
        assert ctx.rubric is not None and ctx.rubric.content_hash == decision.rubric_hash
        pdf = render_pdf(ctx)
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert original in text and "HERZIEN" not in text and "REVISED" not in text
    store.close()


def test_a_decision_from_before_rubrics_were_kept_keeps_it_when_first_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.services import decisions
    from assessment.services.importing import DEMO_CASES, import_case_file

    store = open_store(Settings(db_path=tmp_path / "old.sqlite3", demo=True))
    services.load_demo_users(store)
    chair, admin = services.user_by_name(store, "chair"), services.user_by_name(store, "admin")
    with monkeypatch.context() as m:  # a database of an earlier release: the decision did not keep its rubric
        m.setattr(decisions, "keep_rubric", lambda *_args, **_kw: None)
        ref = import_case_file(store, chair, DEMO_CASES / "04-sexual-decided-positive.yaml", rubrics.shipped_rubric())
    assert services.list_rubric_versions(store, admin) == []
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None
    assert rubrics.decision_rubric(store, decision).content_hash == decision.rubric_hash  # the file still matches
    assert [v.hash for v in services.list_rubric_versions(store, admin)] == [decision.rubric_hash]  # kept now
    changed = tmp_path / LEGAL_RUBRIC.name
    changed.write_text(LEGAL_RUBRIC.read_text(encoding="utf-8").replace('nl: "Gedraging"', 'nl: "Handeling"', 1),
                       encoding="utf-8")
    monkeypatch.setattr(rubrics, "DEFAULT_RUBRIC", changed)
    kept = rubrics.decision_rubric(store, decision)
    assert (kept.content_hash, kept.elements[0].name.nl) == (decision.rubric_hash, "Gedraging")
    store.close()
