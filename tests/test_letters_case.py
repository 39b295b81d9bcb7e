"""The letter of a decided case: built through the services, guarded against the decision, and the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.errors import LetterConsistencyError, LifecycleError
from assessment.letters.render import render_pdf
from assessment.rubric import Rubric
from assessment.services.letter_context import build_letter_context, check_consistency
from assessment.store import Store, open_store
from tests.conftest import copy_database


@pytest.fixture(scope="module")
def decided_file(tmp_path_factory: pytest.TempPathFactory, demo_db_file: Path, rubric: Rubric) -> tuple[Path, str, str]:
    """The demo (a copy of the one loaded once per test process) with its first case decided by the chair
    (quorum 1), built once for the module: the file, the decided and an undecided reference."""
    path = copy_database(demo_db_file, tmp_path_factory.mktemp("letters") / "base.sqlite3")
    store = open_store(Settings(db_path=path, demo=True, quorum_min_disciplines=1))
    chair = services.user_by_name(store, "chair")
    refs = sorted(c.ref for c in services.list_cases(store, chair, limit=1000))
    ref = refs[0]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, rubric)
    reasons = {d.id: f"Redenen bij {d.id}." for d in result.dimensions.values() if d.status != "undetermined"}
    reasons["overall"] = "Het panel acht het geheel aannemelijk."
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons, rubric=rubric,
                             expected_version=services.get_case(store, chair, ref).version,
                             override_reason="Het panel weegt de verklaring op de hoorzitting zwaarder.")
    store.close()
    return path, ref, refs[1]


@pytest.fixture
def decided(tmp_path: Path, decided_file: tuple[Path, str, str]) -> Iterator[tuple[Store, str, str]]:
    """A copy of the decided demo store for one test; returns store, decided, undecided ref."""
    path, ref, undecided = decided_file
    store = open_store(Settings(db_path=copy_database(path, tmp_path / "letters.sqlite3"), demo=True,
                                quorum_min_disciplines=1))
    yield store, ref, undecided
    store.close()


def test_a_decided_case_gives_a_letter_that_matches_the_decision(decided: tuple[Store, str, str],
                                                                  rubric: Rubric) -> None:
    store, ref, _ = decided
    secretary = services.user_by_name(store, "secretary")
    ctx = build_letter_context(store, secretary, ref, "nl", letter_date=dt.date(2026, 5, 1))
    decision = services.get_case(store, secretary, ref).decision
    assert decision is not None
    assert ctx.rubric is not None
    assert (ctx.reference, ctx.conclusion, ctx.conclusion_label, ctx.departs_from_rubric, ctx.rubric.content_hash,
            ctx.conclusion_reasons and ctx.conclusion_reasons.text) == (ref, "plausible", "Aannemelijk", True, rubric.content_hash,
                                        "Het panel acht het geheel aannemelijk.")
    # The annex names every indicator with a finding and counts the unknown ones: together, the whole list.
    result = services.deliberation_result(store, services.user_by_name(store, "chair"), ref, rubric)
    indicators = rubric.profile(result.profile).indicators
    found = [rubric.indicator_by_id[i].name("nl") for i in indicators if result.indicators[i].status != "unknown"]
    assert [r.name for el in ctx.annex for r in el.rows] == found
    assert sum(el.unknown for el in ctx.annex) == len(indicators) - len(found) > 0
    check_consistency(ctx, decision)
    assert render_pdf(ctx).startswith(b"%PDF-")


def test_the_guard_refuses_a_letter_with_another_conclusion(decided: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = decided
    secretary = services.user_by_name(store, "secretary")
    ctx = build_letter_context(store, secretary, ref, "en", letter_date=dt.date(2026, 5, 1))
    decision = services.get_case(store, secretary, ref).decision
    assert decision is not None
    wrong = ctx.model_copy(update={"conclusion": "not_plausible"})
    with pytest.raises(LetterConsistencyError, match="conclusion not_plausible differs from the decision"):
        check_consistency(wrong, decision)
    assert ctx.rubric is not None
    other_rubric = ctx.model_copy(update={"rubric": ctx.rubric.model_copy(update={"version": "0"})})
    with pytest.raises(LetterConsistencyError, match="is not the one the decision used"):
        check_consistency(other_rubric, decision)


def test_an_undecided_case_has_no_letter(decided: tuple[Store, str, str], rubric: Rubric) -> None:
    store, _, undecided = decided
    with pytest.raises(LifecycleError, match=f"Case {undecided} has no recorded decision yet"):
        build_letter_context(store, services.user_by_name(store, "secretary"), undecided, "nl")


@pytest.fixture
def cli_env(decided: tuple[Store, str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, str]:
    store, ref, undecided = decided
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.setenv("AANNEMELIJK_QUORUM", "1")
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    return str(store.path), ref, undecided


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04")])
def test_cli_writes_the_letter(cli_env: tuple[str, str, str], tmp_path: Path, fmt: str, magic: bytes,
                               capsys: pytest.CaptureFixture[str]) -> None:
    db, ref, _ = cli_env
    out = tmp_path / f"brief.{fmt}"
    code = main(["letter", ref, "--format", fmt, "--lang", "nl", "--out", str(out), "--db", db, "--as", "secretary"])
    assert (code, out.read_bytes()[:len(magic)], capsys.readouterr().out) == (0, magic, f"{out}\n")


def test_cli_writes_png_pages(cli_env: tuple[str, str, str], tmp_path: Path) -> None:
    db, ref, _ = cli_env
    code = main(["letter", ref, "--format", "png", "--lang", "en", "--out", str(tmp_path / "p.png"), "--db", db,
                 "--as", "chair"])
    pages = sorted(p.name for p in tmp_path.glob("p-*.png"))
    assert code == 0
    assert pages[0] == "p-1.png" and len(pages) >= 3


@pytest.mark.parametrize("which", ["undecided", "unknown"])
def test_cli_exits_2_with_a_message(cli_env: tuple[str, str, str], tmp_path: Path, which: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    db, _, undecided = cli_env
    ref = undecided if which == "undecided" else "AAN-1999-0042"
    code = main(["letter", ref, "--out", str(tmp_path / "x.pdf"), "--db", db, "--as", "secretary"])
    err = capsys.readouterr().err
    assert code == 2
    assert ref in err and err.startswith("error: ")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_case_letter_names_reference_and_conclusion(decided: tuple[Store, str, str], rubric: Rubric,
                                                        tmp_path: Path) -> None:
    store, ref, _ = decided
    ctx = build_letter_context(store, services.user_by_name(store, "chair"), ref, "en",
                               letter_date=dt.date(2026, 5, 1))
    (tmp_path / "l.pdf").write_bytes(render_pdf(ctx))
    text = subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert [ref in text, "Plausible." in text, "Page 1 of" in text] == [True, True, True]
