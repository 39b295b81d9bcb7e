"""Golden letters: every decided curated case, in Dutch and English, as PDF text and DOCX text.

Each curated case file (pilot_data/cases/*.yaml) is imported through the real services into a fresh database,
once per language (the importer stores the texts of one language, as a real file holds one). Every case that
comes to `decided` is then rendered the way a chair previews it (`services.preview_letter`: the real context
builder, assessment/services/letter_context.py, and the shipped templates), with a fixed letter date. The text
of the PDF (pdftotext) and of the DOCX must equal the approved copy in tests/golden/letters/cases/, named after
the case file: `04-sexual-decided-positive.nl.pdf.txt`.

When the letter changes on purpose (wording, labels, layout, a new section, a new curated case), regenerate
the approved copies with ONE command, then read the diff before committing it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -p no:xdist tests/test_letters_golden.py
    git diff --stat tests/golden/letters/cases/ && git diff tests/golden/letters/cases/

A missing copy is written and the test fails (review it and run again); a copy whose case no longer exists or
is no longer decided fails `test_every_approved_copy_belongs_to_a_decided_case` (delete it, or regenerate:
UPDATE_GOLDEN=1 also removes stale copies). The same command rewrites docs/letter-page1.nl.png and .en.png,
page 1 of the letter of case 04 in each language, for reviewers.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment import services
from assessment.casefile import CaseFileModel, read_case_file
from assessment.config import Settings
from assessment.letters.docx import docx_text
from assessment.rubric import Rubric
from assessment.services.importing import DEMO_CASES, import_case_file
from assessment.store import open_store

GOLDEN = Path(__file__).parent / "golden" / "letters" / "cases"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
LANGS = ("nl", "en")
LETTER_DATE = dt.date(2026, 6, 1)  # fixed, so the approved copies do not change with the calendar
ADOPTED_AT = "2026-05-28T10:00:00.000000+00:00"
CASE_FILES = sorted(DEMO_CASES.glob("*.yaml"))
# Which case files the demo brings to a decision, from the files themselves (their `expected.status`), not
# from the code under test; test_every_decided_case_has_its_letters checks the store agrees.
DECIDED = [p.stem for p in CASE_FILES
           if (cf := read_case_file(p)).expected is not None and cf.expected.status == "decided"]
FORMATS = ("pdf", "docx")
# Page 1 of one letter per language, checked in so a reviewer sees the layout without running anything;
# rewritten with the approved copies (UPDATE_GOLDEN=1).
PAGE_ONE = {lang: Path(__file__).parents[1] / "docs" / f"letter-page1.{lang}.png" for lang in LANGS}
SHOWN = "04-sexual-decided-positive"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    # Trailing spaces and form feeds depend on poppler's version, not on the letter.
    return "\n".join(line.rstrip() for line in out.stdout.decode("utf-8").replace("\f", "\n").splitlines()) + "\n"


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Iterator[dict[tuple[str, str, str], str]]:
    """(case file stem, lang, format) -> the letter's text, for every case the store holds as decided."""
    tmp = tmp_path_factory.mktemp("golden")
    out: dict[tuple[str, str, str], str] = {}
    with pytest.MonkeyPatch.context() as mp:
        # The panel adopts each advice on a fixed day before the letter date: the approved copies name that day,
        # so they must not change with the calendar either.
        mp.setattr("assessment.services.decisions.now_iso", lambda: ADOPTED_AT)
        yield from _render_all(tmp, out)


def _render_all(tmp: Path, out: dict[tuple[str, str, str], str]) -> Iterator[dict[tuple[str, str, str], str]]:
    for lang in LANGS:
        store = open_store(Settings(db_path=tmp / f"{lang}.sqlite3", demo=True))
        services.load_demo_users(store)
        chair = services.user_by_name(store, "chair")
        trainer = services.user_by_name(store, "trainer")
        for path in CASE_FILES:
            importer = trainer if read_case_file(path).space == "training" else chair
            ref = import_case_file(store, importer, path, services.shipped_rubric(), lang=lang)  # type: ignore[arg-type]
            if services.get_case(store, importer, ref).status != "decided":
                continue
            pdf = services.preview_letter(store, importer, ref, lang, "pdf",  # type: ignore[arg-type]
                                          letter_date=LETTER_DATE)[0]
            docx = services.preview_letter(store, importer, ref, lang, "docx",  # type: ignore[arg-type]
                                           letter_date=LETTER_DATE)[0]
            out[(path.stem, lang, "pdf")] = pdf_text(pdf, tmp)
            out[(path.stem, lang, "docx")] = docx_text(docx) + "\n"
            if UPDATE and path.stem == SHOWN:
                PAGE_ONE[lang].write_bytes(services.preview_letter(
                    store, importer, ref, lang, "png", letter_date=LETTER_DATE)[0])  # type: ignore[arg-type]
        store.close()
    yield out


@functools.cache
def case_file(stem: str, lang: str) -> CaseFileModel:
    """A curated case file as the importer reads it in `lang` (read once: several checks below use it)."""
    return read_case_file(DEMO_CASES / f"{stem}.yaml", lang)  # type: ignore[arg-type]


def approved(stem: str, lang: str, fmt: str) -> Path:
    return GOLDEN / f"{stem}.{lang}.{fmt}.txt"


def test_every_decided_case_has_its_letters(letters: dict[tuple[str, str, str], str]) -> None:
    assert len(DECIDED) >= 5  # the curated set spans outcomes, overrides and dissents
    assert sorted({stem for stem, _, _ in letters}) == DECIDED


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", DECIDED)
def test_letter_text_equals_the_approved_copy(stem: str, lang: str, fmt: str,
                                              letters: dict[tuple[str, str, str], str]) -> None:
    text = letters[(stem, lang, fmt)]
    golden = approved(stem, lang, fmt)
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"no approved copy yet: wrote {golden.name}; review it and run again")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended: UPDATE_GOLDEN=1 .venv/bin/python -m pytest "
        f"-p no:xdist {Path(__file__).name} and review git diff")


def test_every_approved_copy_belongs_to_a_decided_case() -> None:
    expected = {approved(stem, lang, fmt).name for stem in DECIDED for lang in LANGS for fmt in FORMATS}
    stale = sorted(p.name for p in GOLDEN.glob("*.txt") if p.name not in expected)
    if UPDATE:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == []


def test_docs_show_page_one_of_each_language(letters: dict[tuple[str, str, str], str]) -> None:
    assert SHOWN in DECIDED
    for path in PAGE_ONE.values():
        assert path.read_bytes().startswith(b"\x89PNG"), path


@pytest.mark.parametrize("lang", LANGS)
def test_the_letters_name_the_applicant_and_differ_by_language(lang: str,
                                                               letters: dict[tuple[str, str, str], str]) -> None:
    """A guard independent of the approved copies: each letter carries its own case's applicant, and the Dutch and
    English letters of a case are different texts (the English one is not the Dutch one again)."""
    for stem in DECIDED:
        name = case_file(stem, lang).intake.applicant.name
        if lang == "en":  # a pseudonym ("Aanvrager D") takes the English word in an English letter
            name = re.sub(r"^Aanvrager ", "Applicant ", name)
        for fmt in FORMATS:
            assert re.sub(r"\s+", " ", name) in re.sub(r"\s+", " ", letters[(stem, lang, fmt)]), (stem, lang, fmt)
        assert letters[(stem, "nl", "pdf")] != letters[(stem, "en", "pdf")]


# Month names written out by hand (not from Babel, which the letters use), for the check below.
MONTHS = {"nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                 "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}


# Section 1 of the letter, where admissibility is stated (the chronology in section 4 may name the day again).
APPLICATION = {"nl": ("1. Uw aanvraag", "2. Het panel"), "en": ("1. Your application", "2. The panel")}


@pytest.mark.parametrize("lang", LANGS)
def test_the_letters_state_the_end_of_the_criminal_case_once(lang: str,
                                                             letters: dict[tuple[str, str, str], str]) -> None:
    """The admissibility paragraph says on which day the dismissal or acquittal fell; the secretariat's typed
    reasons follow it in the same section and must not say it again (the help text at the admissibility form asks
    for what the letter does not already say, and the curated cases follow it)."""
    start, end = APPLICATION[lang]
    checked = 0
    for stem in DECIDED:
        ended = case_file(stem, lang).intake.route_end_on
        if ended is None:
            continue
        day = f"{ended.day} {MONTHS[lang][ended.month - 1]} {ended.year}"
        for fmt in FORMATS:
            text = letters[(stem, lang, fmt)]
            section = re.sub(r"\s+", " ", text[text.index(start):text.index(end)])
            assert section.count(day) == 1, (stem, lang, fmt, day)
        checked += 1
    assert checked >= 5


def test_the_interpreter_s_language_is_named_as_on_the_screens(letters: dict[tuple[str, str, str], str]) -> None:
    """Case 04's hearing had a Nigerian Pidgin interpreter: the letter names the language as CLDR does (the
    vocabulary's one name for it, tests/test_vocabulary.py), not in a spelling of its own ("Nigerian pidgin")."""
    for lang, name in (("nl", "Nigeriaans Pidgin"), ("en", "Nigerian Pidgin")):
        for fmt in FORMATS:
            assert f"({name})" in re.sub(r"\s+", " ", letters[(SHOWN, lang, fmt)]), (lang, fmt)


# docs/letter-language.md: "seksuele uitbuiting (onbekend)" -> leave the unknown part out.
UNKNOWN = {"nl": "(onbekend", "en": "(unknown"}
# The instrument's outcome "undetermined", as the letters name it (the legal test's own label for it).
UNDETERMINED = {"nl": "onbepaald", "en": "undetermined"}
CONCLUSION = {"nl": ("6. Conclusie", "7. Besluitvorming"), "en": ("6. Conclusion", "7. Decision")}


@pytest.mark.parametrize("lang", LANGS)
def test_the_letters_leave_unknowns_out_and_name_a_departure_once(lang: str,
                                                                  letters: dict[tuple[str, str, str], str]) -> None:
    """No letter describes the exploitation as "(onbekend)"; where the panel departs from an undetermined
    instrument (case 08), the conclusion names the instrument's outcome once, in the generated sentence, and
    the panel's reasons for the departure do not say it again."""
    start, end = CONCLUSION[lang]
    departed = 0
    for stem in DECIDED:
        cf = case_file(stem, lang)
        for fmt in FORMATS:
            text = re.sub(r"\s+", " ", letters[(stem, lang, fmt)])
            assert UNKNOWN[lang] not in text, (stem, lang, fmt)
            # the DOCX text keeps the reading order (pdftotext may put a paragraph after the next heading)
            if fmt == "docx" and cf.expected is not None and cf.expected.rubric_outcome == "undetermined":
                conclusion = text[text.index(start):text.index(end, text.index(start))]
                assert conclusion.lower().count(UNDETERMINED[lang]) == 1, (stem, lang, fmt, conclusion)
                departed += 1
    assert departed >= 1  # case 08
