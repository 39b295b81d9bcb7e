# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Nothing typed is ever lost (issue #15): every form is driven with the attack and boundary inputs of
tests/attack/strings.json; no Streamlit exception element ever shows, and every value is either stored as
typed or still in its field beside a message that says what is wrong.

The limits come from the model (assessment.model SHORT_MAX, LONG_MAX); the strings from the attack corpus;
the known losses from the issue's text (a note over 20,000 characters, 25,000 characters in the intake
notes, the languages "english, 12", a date typed as 01-01-1900)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.model import LONG_MAX, SHORT_MAX, InputDraft, User
from assessment.store import Store
from tests.conftest import CaseBuilder, open_sections
from tests.test_app_common import OpenApp, app_env, as_text, open_app, texts  # noqa: F401


def _sendable(value: str) -> bool:
    """Whether a browser can send this text at all: a lone surrogate is no UTF-8, so it never reaches a page
    (tests/test_attack.py gives it to the services directly)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


ATTACKS: list[dict[str, str]] = [
    a for a in json.loads((Path(__file__).parent / "attack" / "strings.json").read_text()) if _sendable(a["value"])]
NOTE = "input.coercion_destination.documents.note"


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _fill_intake(at: AppTest, name: str, notes: str) -> None:
    at.date_input(key="intake.received_on").set_value(dt.date(2026, 3, 2))
    at.date_input(key="intake.route_end_on").set_value(dt.date(2026, 2, 16))
    at.text_input(key="intake.name").set_value(name)
    at.text_area(key="intake.notes").set_value(notes)


def test_every_attack_string_in_the_intake_is_stored_as_typed_or_kept_with_a_message(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    secretary = app_env["secretary"]
    at = open_app("secretary", "ui/intake.py")
    for attack in ATTACKS:
        value = attack["value"][:LONG_MAX]  # longer is refused by the field (the next test)
        before = {c.ref for c in services.list_cases(store, secretary)}
        _fill_intake(at, value[:SHORT_MAX], value)
        at.button(key="intake.submit").click().run()
        no_exception(at)
        new = {c.ref for c in services.list_cases(store, secretary)} - before
        if new:  # registered: stored exactly as typed
            stored = services.get_case(store, secretary, new.pop()).intake
            assert stored is not None
            assert (stored.applicant.name, stored.applicant.notes) == (value[:SHORT_MAX], value), attack["id"]
        else:  # refused: still in the fields, with a message
            assert at.error, attack["id"]
            assert (at.text_input(key="intake.name").value, at.text_area(key="intake.notes").value) == (
                value[:SHORT_MAX], value), attack["id"]


LIMIT_NL = ("Dit veld bevat ten hoogste 20.000 tekens; de rest is niet overgenomen. Kort de tekst in, of voeg een "
            "langere tekst toe als document.")


def test_intake_notes_over_the_limit_are_refused_at_the_field(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    """The field refuses more than the limit (the browser does not take it; Streamlit cuts what a client
    sends anyway), and says so at the field; what fits is registered."""
    at = open_app("secretary", "ui/intake.py")
    assert at.text_area(key="intake.notes").max_chars == LONG_MAX
    _fill_intake(at, "Synthetic Person", "x" * 25_000)
    at.run()
    no_exception(at)
    assert at.text_area(key="intake.notes").value == "x" * LONG_MAX
    assert f":orange[{LIMIT_NL}]" in [c.value for c in at.caption]
    at.button(key="intake.submit").click().run()
    no_exception(at)
    [case] = services.list_cases(store, app_env["secretary"])
    stored = services.get_case(store, app_env["secretary"], case.ref).intake
    assert stored is not None and stored.applicant.notes == "x" * LONG_MAX


def test_invalid_languages_are_refused_at_the_field_not_dropped(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    at = open_app("secretary", "ui/intake.py")
    _fill_intake(at, "Synthetic Person", "")
    at.text_input(key="intake.languages").set_value("english, 12")
    at.text_input(key="intake.nationality").set_value("NG")  # a whole code: nothing "not taken"
    at.button(key="intake.submit").click().run()
    no_exception(at)
    assert not [c for c in at.caption if "ten hoogste" in c.value]
    assert services.list_cases(store, app_env["secretary"]) == []
    assert at.text_input(key="intake.languages").value == "english, 12"
    assert as_text(at.error[0].value) == ("Geef taalcodes van twee of drie letters, gescheiden door komma's "
                                 "(bijv. nl, en, tir).")


def test_a_date_typed_far_back_is_taken_not_silently_replaced(open_app: OpenApp) -> None:
    at = open_app("secretary", "ui/intake.py")
    field = at.date_input(key="intake.date_of_birth")
    assert field.min == dt.date(1900, 1, 1)  # the oldest date a person's dates can have
    for key in ("intake.received_on", "intake.route_end_on", "intake.reported_on", "intake.period_start"):
        assert at.date_input(key=key).min == dt.date(1900, 1, 1), key
    # taken, then refused by the plausibility rules with the reason at the field and in the summary
    _fill_intake(at, "Synthetic Person", "")
    at.date_input(key="intake.period_start").set_value(dt.date(1900, 1, 1))
    at.button(key="intake.submit").click().run()
    no_exception(at)
    assert at.date_input(key="intake.period_start").value == dt.date(1900, 1, 1)
    message = "Het begin van de uitbuiting (1 januari 1900) ligt vóór 1 januari 1950; controleer het jaar"
    assert [as_text(e.value) for e in at.error] == [message, "Niet geregistreerd; verbeter deze velden (wat u typte blijft "
                                                    f"staan):\n- Uitbuiting vanaf: {message}"]


def test_a_discipline_note_over_the_limit_is_refused_at_the_field(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_sections(open_app("police", "ui/input.py"), "coercion_destination")
    at.button_group(key="input.coercion_destination.documents.status").set_value("present").run()
    assert at.text_area(key=NOTE).max_chars == LONG_MAX
    at.text_area(key=NOTE).set_value("z" * 20_001).run()
    no_exception(at)
    assert at.text_area(key=NOTE).value == "z" * LONG_MAX
    assert f":orange[{LIMIT_NL}]" in [c.value for c in at.caption]
    assert as_text(at.success[0].value).startswith("Opgeslagen om ")
    saved = services.get_inputs(store, app_env["police"], ref)[0]
    assert saved.draft.observations[0].note == "z" * LONG_MAX


def test_every_attack_string_in_a_discipline_note_is_stored_as_typed(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_sections(open_app("police", "ui/input.py"), "coercion_destination")
    at.button_group(key="input.coercion_destination.documents.status").set_value("present").run()
    for attack in ATTACKS:
        value = attack["value"][:LONG_MAX]
        at.text_area(key=NOTE).input(value).run()
        no_exception(at)
        draft: InputDraft = services.get_inputs(store, app_env["police"], ref)[0].draft
        if draft.observations[0].note != value:  # refused: still in the field, with a message
            assert at.error and at.text_area(key=NOTE).value == value, attack["id"]


def test_a_chronology_fact_dated_2035_is_refused_with_the_fact_kept(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_app("secretary", "ui/file.py")
    assert at.date_input(key="chron.on").min == dt.date(1900, 1, 1)
    at.date_input(key="chron.on").set_value(dt.date(2035, 1, 1))
    at.text_input(key="chron.fact").input("Aankomst in Nederland")
    at.button(key="chron.submit").click().run()
    no_exception(at)
    assert "De datum van het feit (1 januari 2035) ligt in de toekomst" in [as_text(e.value) for e in at.error]
    assert at.text_input(key="chron.fact").value == "Aankomst in Nederland"
    assert services.get_case(store, app_env["secretary"], ref).chronology == []


def test_a_hearing_without_members_is_refused_and_the_summary_kept(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_app("secretary", "ui/hearing.py")
    assert at.text_area(key="hearing.summary").max_chars == LONG_MAX
    at.date_input(key="hearing.held_on").set_value(dt.date(2026, 4, 1))
    at.text_area(key="hearing.summary").input("De aanvraagster verklaarde met tolk.")
    at.button(key="hearing.submit").click().run()
    no_exception(at)
    assert ("Een hoorzitting wordt gehouden door ten minste 2 panelleden; kies wie aanwezig waren"
            in [as_text(e.value) for e in at.error])
    assert at.text_area(key="hearing.summary").value == "De aanvraagster verklaarde met tolk."
    assert services.get_case(store, app_env["secretary"], ref).hearing is None


def test_an_unexpected_error_shows_what_to_do_never_the_exception_banner(
        open_app: OpenApp, make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    make_case()
    at = open_app("secretary", "ui/file.py")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "get_case", broken)
    at.run()
    no_exception(at)
    [error] = at.error
    assert error.value.startswith("Er ging iets mis op deze pagina (") and "Wat u typte blijft in de velden" in (
        error.value)
    assert "disk on fire" not in error.value  # the details go to the log, for the administrator
    assert any("disk on fire" in (r.exc_text or str(r.exc_info)) for r in caplog.records)
