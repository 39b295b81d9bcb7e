# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Field errors on the hearing, decision and file forms, as on the intake form: a wrong value shows its message
right under its field and in the summary by the button (naming the field), and nothing typed is lost. The
messages are the services' own rules, in the page's language (locale/nl)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.model import User
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401


def page_in_order(at: AppTest) -> list[tuple[str, Any]]:
    """The page in order, as (element kind, key or text): to see what stands right under what."""
    out: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        kind = getattr(node, "type", "")
        if kind in ("text_input", "text_area", "multiselect", "date_input", "selectbox", "button", "radio"):
            out.append((kind, node.key))
        elif kind == "alert" or kind == "error":
            out.append(("error", node.value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


def right_after(at: AppTest, key: str) -> str:
    """The element drawn right after the widget with this key (the message at that field)."""
    page = page_in_order(at)
    i = next(i for i, (_k, v) in enumerate(page) if v == key)
    return as_text(page[i + 1][1])


def test_the_hearing_says_at_the_members_field_who_must_be_chosen(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_app("secretary", "ui/hearing.py")
    at.date_input(key="hearing.held_on").set_value(dt.date(2026, 4, 1))
    at.multiselect(key="hearing.members").set_value(["police"])
    at.text_area(key="hearing.summary").input("Verklaring met tolk afgenomen.")
    at.button(key="hearing.submit").click().run()
    message = "Een hoorzitting wordt gehouden door ten minste 2 panelleden; kies wie aanwezig waren"
    assert right_after(at, "hearing.members") == message
    assert [as_text(e.value) for e in at.error] == [
        message, "Niet opgeslagen; verbeter deze velden (wat u typte blijft staan):\n- Aanwezige panelleden: " + message]
    assert at.multiselect(key="hearing.members").value == ["police"]
    assert at.text_area(key="hearing.summary").value == "Verklaring met tolk afgenomen."
    # corrected, it saves, and the messages go
    at.multiselect(key="hearing.members").set_value(["police", "care"])
    at.button(key="hearing.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    hearing = services.get_case(store, app_env["secretary"], ref).hearing
    assert hearing is not None and hearing.members == ["police", "care"]


def test_the_hearings_date_in_the_future_is_refused_at_the_date(
        open_app: OpenApp, make_case: CaseBuilder) -> None:
    make_case()
    at = open_app("secretary", "ui/hearing.py")
    at.date_input(key="hearing.held_on").set_value(dt.date.today() + dt.timedelta(days=30))
    at.multiselect(key="hearing.members").set_value(["police", "care"])
    at.button(key="hearing.submit").click().run()
    assert "ligt in de toekomst" in right_after(at, "hearing.held_on")


def test_a_document_without_its_kind_is_refused_at_the_kind_and_the_title_kept(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_app("secretary", "ui/file.py")
    at.text_input(key="doc.title").input("Proces-verbaal van aangifte")
    at.button(key="doc.submit").click().run()
    assert right_after(at, "doc.kind") == "Het soort document is verplicht"
    assert as_text(at.error[-1].value) == ("Niet toegevoegd; verbeter deze velden (wat u typte blijft staan):\n"
                                  "- Soort (bijv. proces-verbaal): Het soort document is verplicht")
    assert at.text_input(key="doc.title").value == "Proces-verbaal van aangifte"
    at.text_input(key="doc.kind").input("proces-verbaal")
    at.button(key="doc.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert [d.title for d in services.get_case(store, app_env["secretary"], ref).documents] == [
        "Proces-verbaal van aangifte"]
    assert at.text_input(key="doc.title").value == ""  # the next document starts empty


def test_a_chronology_fact_left_empty_is_refused_at_the_fact(open_app: OpenApp, make_case: CaseBuilder) -> None:
    make_case()
    at = open_app("secretary", "ui/file.py")
    at.button(key="chron.submit").click().run()
    assert right_after(at, "chron.fact") == "Het feit is verplicht"
