"""The browser suite's detector of English in the Dutch interface (tests/browser/screencheck.py): it flags English
interface words, lets the allow-listed texts through, and no Dutch text of our catalogue trips it (the
catalogue is the independent reference: every Dutch text the app can show)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from tests.browser.screencheck import english_in  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Dutch catalogue texts that quote something English on purpose, with why.
QUOTES = {
    "Er zijn al gebruikers; gebruik 'users add'": "a CLI command",
    "admissibility.decision moet admissible of inadmissible zijn": "a field of the import file and its values",
    "onbekend niveau '{tier}' (niveaus: {known}; combineer met _or_, of gebruik 'any')": "the rubric file's syntax",
    "Landis, J. R. en Koch, G. G. (1977). The measurement of observer agreement for categorical data. Biometrics "
    "33(1), 159–174.": "the title of a cited article",
}


def test_english_words_are_found_and_allowed_texts_pass() -> None:
    shown = ["Opslaan", "Save", "Choose an option", "Drag and drop a file here", "20MB per file • PDF",
             "Upload", "Taal / Language", "English", "Aangemeld als Demo Chair (voorzitter)", "Besloten door chair",
             "None", "Geen", "the file", "Upload een bestand"]
    assert english_in(shown) == ["Save", "Choose an option", "None", "the file", "Upload een bestand"]


def test_no_dutch_text_of_the_catalogue_reads_as_english() -> None:
    with (ROOT / "locale" / "nl" / "LC_MESSAGES" / "aannemelijk.po").open("rb") as f:
        texts = [m.string if isinstance(m.string, str) else m.string[0] for m in read_po(f) if m.id]
    placeholders = re.compile(r"\{[^}]*\}")
    assert [t for t in texts if english_in([placeholders.sub("", t)]) and t not in QUOTES] == []
