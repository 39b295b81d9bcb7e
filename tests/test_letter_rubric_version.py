"""Defect (issue 11): after an administrator activates a new rubric version, `letter REF` on the CLI must
still render every decided demo case, with the rubric each decision used (as the app does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import load_settings
from assessment.store import open_store
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "pilot_data" / "cases"
OTHER_RUBRIC = ROOT / "pilot_data" / "rubrics" / "police-signals.yaml"


def _decided_case_files() -> list[str]:
    # Independent of the code under test: the demo files that carry a decision, read as plain text.
    return sorted(p.name for p in CASES.glob("*.yaml") if "\ndecision:" in p.read_text())


def test_cli_renders_every_decided_demo_case_after_a_new_rubric_is_activated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        demo_db_file: Path) -> None:
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.delenv("AANNEMELIJK_USER", raising=False)
    db = str(copy_database(demo_db_file, tmp_path / "demo.sqlite3"))  # the demo, loaded once (conftest.py)
    with open_store(load_settings(db)) as store:
        admin = services.user_by_name(store, "admin")
        chair = services.user_by_name(store, "chair")
        trainer = services.user_by_name(store, "trainer")
        new = services.upload_rubric(store, admin, OTHER_RUBRIC.name, OTHER_RUBRIC.read_bytes())
        services.activate_rubric(store, admin, new.key)
        assert services.active_rubric(store).content_hash == new.hash
        decided = [(s.ref, s.space) for who in (chair, trainer)
                   for s in services.list_cases(store, who, status="decided", limit=1000)]
    assert len(decided) == len(_decided_case_files()) >= 8  # every decided demo file; more may be added
    capsys.readouterr()
    # Every decided case once, the languages alternating (both languages rendered; one PDF per case, not
    # two: a PDF costs most of this test's time).
    for i, (ref, space) in enumerate(decided):
        lang = ("nl", "en")[i % 2]
        out = tmp_path / f"{ref}-{lang}.pdf"
        actor = "chair" if space == "real" else "trainer"
        code = main(["letter", ref, "--lang", lang, "--out", str(out), "--db", db, "--as", actor])
        assert (ref, lang, code, capsys.readouterr().err) == (ref, lang, 0, "")
        assert out.read_bytes()[:5] == b"%PDF-"
