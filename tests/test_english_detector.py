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
from assessment.i18n import gettext  # noqa: E402
from tests.browser.screencheck import english_in  # noqa: E402
from ui import streamlit_text  # noqa: E402
from ui.streamlit_text import ANNOUNCER, UPLOADER  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Dutch catalogue texts that quote something English on purpose, with why.
QUOTES = {
    "Er zijn al gebruikers; gebruik 'users add'": "a CLI command",
    "admissibility.decision moet admissible of inadmissible zijn": "a field of the import file and its values",
    "onbekend niveau '{tier}' (niveaus: {known}; combineer met _or_, of gebruik 'any')": "the rubric file's syntax",
    "Landis, J. R. en Koch, G. G. (1977). The measurement of observer agreement for categorical data. Biometrics "
    "33(1), 159–174.": "the title of a cited article",
    "gebruikt niet-gedeclareerde variabele(n) {names}; een sjabloon mag alleen de velden van de brief gebruiken, "
    "beschreven in docs/letter-templates.md": "the file name of the templates' reference",
}


def test_english_words_are_found_and_allowed_texts_pass() -> None:
    shown = ["Opslaan", "Save", "Choose an option", "Drag and drop a file here", "20MB per file", "Upload",
             "Help for Naam", "12 options available.", "Taal / Language", "English",
             "Aangemeld als Demo Chair (voorzitter)", "Besloten door chair", "None", "Geen", "the file",
             "Upload een bestand"]
    assert english_in(shown) == ["Save", "Choose an option", "Drag and drop a file here", "20MB per file", "Upload",
                                 "Help for Naam", "12 options available.", "None", "the file", "Upload een bestand"]


# What Streamlit 1.67's frontend writes (read in its bundle and on the page) and what a Dutch reader should meet
# instead (hand-written, not from the catalogue), with where on the page it stands.
STREAMLIT_TEXTS = [
    ("", "Help for Geboortedatum", "Uitleg bij Geboortedatum"),
    ("", "Link to heading", "Link naar deze kop"),
    ("", "Choose date", "Datum kiezen"),
    ("", "day, Periode start date", "dag, Periode, begindatum"),
    ("", "Periode end date", "Periode, einddatum"),
    ("", "Show/hide columns", "Kolommen tonen of verbergen"),
    ("", "Helper for Naam", "Helper for Naam"),  # matched whole, never inside other text
    (UPLOADER, "Upload", "Uploaden"),
    (UPLOADER, "Drag and drop a file here", "Sleep een bestand hierheen"),
    (UPLOADER, "2MB per file", "2 MB per bestand"),
    (UPLOADER, "20.5MB per file", "20.5 MB per bestand"),
    ("", "Upload", "Upload"),  # only in the uploader: elsewhere it is somebody's text
    (ANNOUNCER, "1 option available.", "1 optie beschikbaar."),
    (ANNOUNCER, "15 options available.", "15 opties beschikbaar."),
    (ANNOUNCER, "AAN-2026-0013, selected", "AAN-2026-0013, geselecteerd"),
]


def _dutch(where: str, text: str) -> str:
    """What ui/streamlit_text.py's script makes of `text` in the Dutch interface (its rules in their order, each
    matched whole; the script's `$1` is Python's `\\1`)."""
    for scope, pattern, to in streamlit_text.rules("nl"):
        if scope in ("", where) and re.fullmatch(pattern, text):
            text = re.sub(f"^(?:{pattern})$", re.sub(r"\$(\d)", r"\\\1", to).replace("$$", "$"), text)
    return text


@pytest.mark.parametrize(("where", "streamlit", "dutch"), STREAMLIT_TEXTS)
def test_streamlit_s_own_texts_are_said_in_dutch(where: str, streamlit: str, dutch: str) -> None:
    assert _dutch(where, streamlit) == dutch


def test_every_text_streamlit_writes_has_a_dutch_rule_without_english() -> None:
    for _scope, pattern, message in streamlit_text.RULES:
        said = gettext("nl", message)
        assert said != message and english_in([re.sub(r"\{\d\}", "", said)]) == [], (pattern, said)
    assert streamlit_text.rules("en") == []  # English: Streamlit's own texts stay (and come back) as written


def test_no_dutch_text_of_the_catalogue_reads_as_english() -> None:
    with (ROOT / "locale" / "nl" / "LC_MESSAGES" / "aannemelijk.po").open("rb") as f:
        texts = [m.string if isinstance(m.string, str) else m.string[0] for m in read_po(f) if m.id]
    placeholders = re.compile(r"\{[^}]*\}")
    assert [t for t in texts if english_in([placeholders.sub("", t)]) and t not in QUOTES] == []
