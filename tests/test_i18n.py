"""One mechanism for translatable text: every message id the code marks has a Dutch and an English text
in the gettext catalogues, with the same placeholders; the CLI's language follows `--lang` or `LANG`."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from assessment.i18n import gettext, lang_from_env, pgettext

ROOT = Path(__file__).resolve().parent.parent
# The marker functions of assessment/i18n.py and ui/i18n.py (gettext(lang, message) takes the id second).
KEYWORDS = {"_": None, "N_": None, "NC_": ((1, "c"), 2), "n_": (1, 2), "gettext": (2,), "ngettext": (2, 3),
            "pgettext": ((2, "c"), 3)}


@functools.cache
def ids() -> frozenset[tuple[str, str | None]]:
    """(message id, context) of every text the code marks, found by Babel's extractor."""
    found: set[tuple[str, str | None]] = set()
    for _f, _l, msg, _c, ctx in extract_from_dir(
            ROOT, keywords=KEYWORDS, comment_tags=(),
            method_map=[("app.py", "python"), ("ui/**.py", "python"), ("assessment/**.py", "python")]):
        found.add((msg if isinstance(msg, str) else msg[0], ctx))
    return frozenset(found)


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locale" / lang / "LC_MESSAGES" / "aannemelijk.po").open("rb") as f:
        return read_po(f, locale=lang, abort_invalid=True)  # a merge that drops a msgstr line fails here




def test_every_message_id_has_a_dutch_and_an_english_text() -> None:
    nl, en = _catalogue("nl"), _catalogue("en")
    def translated(m) -> bool:  # type: ignore[no-untyped-def]
        return m is not None and bool(m.string) and not m.fuzzy

    missing_nl = sorted(str(i) for i, c in ids() if not translated(nl.get(i, context=c)))
    missing_en = sorted(str(i) for i, c in ids() if en.get(i, context=c) is None)  # English: the id, unless set
    assert (missing_nl, missing_en) == ([], [])
    stale = sorted(str(m.id) for m in nl if m.id and ((m.id if isinstance(m.id, str) else m.id[0]), m.context) not in ids())
    assert stale == []


def test_dutch_texts_use_the_same_placeholders_as_their_ids() -> None:
    names = re.compile(r"\{(\w*)\}")
    nl = _catalogue("nl")
    wrong = [(str(m.id), m.string) for m in nl if m.id and isinstance(m.id, str) and isinstance(m.string, str)
             and sorted(names.findall(m.id)) != sorted(names.findall(m.string))]
    assert wrong == []


def test_the_same_english_word_can_have_two_dutch_ones() -> None:
    assert (pgettext("nl", "tier", "medium"), gettext("nl", "medium")) == ("matig", "gemiddeld")


def test_a_message_is_translated_and_filled_in() -> None:
    assert (gettext("nl", "not plausible"), gettext("en", "not plausible")) == ("niet aannemelijk", "not plausible")
    assert gettext("nl", "Quorum: {n} of at least {need} disciplines submitted ({names}).", n=2, need=3,
                   names="Juridisch") == "Quorum: 2 van minstens 3 disciplines hebben ingediend (Juridisch)."


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "nl"), ({"LANG": "nl_NL.UTF-8"}, "nl"), ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "nl"),
    ({"LANGUAGE": "en:nl", "LANG": "nl_NL.UTF-8"}, "en"), ({"LC_ALL": "nl_BE.UTF-8", "LANG": "en_US"}, "nl"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
])
def test_the_language_follows_the_environment(env: dict[str, str], lang: str) -> None:
    assert lang_from_env(env) == lang


def test_an_error_is_shown_in_one_language_on_the_cli(store, users, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from assessment.cli import main

    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    args = ["subject-export", "AAN-2026-9999", "--out", str(store.path.parent / "x.json"), "--db", str(store.path),
            "--as", "chair"]
    outputs = {}
    for how in (["--lang", "nl"], ["--lang", "en"], []):
        main([*how, *args])
        outputs[" ".join(how) or "LANG=en_GB"] = capsys.readouterr().err
        monkeypatch.setenv("LANG", "en_GB.UTF-8")  # for the last run: no --lang, the environment decides
    assert outputs == {"--lang nl": "error: Dossier AAN-2026-9999 bestaat niet\n",
                       "--lang en": "error: Case AAN-2026-9999 does not exist\n",
                       "LANG=en_GB": "error: Case AAN-2026-9999 does not exist\n"}


def test_an_error_names_recorded_values_in_the_language_it_is_shown_in() -> None:
    from assessment.errors import LifecycleError, Msg
    from assessment.vocabulary import Term, Terms

    exc = LifecycleError("Case {ref} is '{status}'; {doing} needs: {allowed}.", ref="AAN-2026-0001",
                         status=Term("status", "intake"), doing=Msg("issuing the letter"),
                         allowed=Terms("status", ("decided",)))
    assert exc.text("nl") == "Dossier AAN-2026-0001 staat op 'intake'; de brief vaststellen en ondertekenen kan alleen bij: besloten."
    assert str(exc) == "Case AAN-2026-0001 is 'intake'; issuing the letter needs: decided."


@pytest.mark.parametrize(("day", "lang", "expected"), [
    # written by hand: how a Dutch and an English letter write a date in running text (letter-language.md)
    ("2025-12-22", "nl", "22 december 2025"), ("2025-12-22", "en", "22 December 2025"),
    ("2026-03-02", "nl", "2 maart 2026"), ("2026-03-02", "en", "2 March 2026"),
])
def test_a_date_in_running_text_is_written_out_in_the_reader_s_language(day: str, lang: str, expected: str) -> None:
    import datetime as dt

    from assessment.i18n import Day, long_date

    assert long_date(dt.date.fromisoformat(day), lang) == expected
    assert Day(dt.date.fromisoformat(day)).text(lang) == expected


@pytest.mark.parametrize(("at", "lang", "expected"), [
    # written by hand: stored UTC, shown in Dutch time (CET in winter, CEST in summer)
    ("2026-12-01T02:02:55+00:00", "nl", "1 december 2026, 03:02"),
    ("2026-12-01T02:02:55+00:00", "en", "1 December 2026, 03:02"),
    ("2026-07-01T10:00:00+00:00", "nl", "1 juli 2026, 12:00"),
])
def test_a_stored_moment_is_written_out_in_dutch_time(at: str, lang: str, expected: str) -> None:
    from assessment.i18n import Moment

    assert Moment(at).text(lang) == expected
