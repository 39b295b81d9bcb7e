# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The procedure's screens through AppTest against a real database (issue #12 item 5): the exception's ground at
its field on intake, an inadmissible decision naming its ground in words, the hearing report for correction, and
too little information: set aside instead of a negative advice."""

from __future__ import annotations

import datetime as dt

from assessment import services
from assessment.model import User
from assessment.rubric import Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import APP, OpenApp, app_env, as_text, open_app, texts  # noqa: F401
from tests.test_app_journeys import POSITIVE, submit


def test_the_exception_route_asks_its_ground_at_the_field(open_app: OpenApp, store: Store,
                                                          app_env: dict[str, User]) -> None:
    at = open_app("secretary", "ui/intake.py")
    at.date_input(key="intake.received_on").set_value(dt.date(2026, 3, 2))
    at.text_input(key="intake.name").input("Aanvrager X")
    at.radio(key="intake.route").set_value("exception").run()
    at.text_area(key="intake.exception_reason").input("Durft geen aangifte te doen.")
    at.button(key="intake.submit").click().run()
    message = ("De uitzonderingsroute vraagt om een grond: ernstige bedreiging, of een medische of psychische "
               "beperking")
    assert message in [as_text(e.value) for e in at.error]
    assert services.list_cases(store, app_env["secretary"]) == []  # nothing registered, what was typed is kept
    assert at.text_area(key="intake.exception_reason").value == "Durft geen aangifte te doen."
    at.radio(key="intake.exception_ground").set_value("medical_psychological").run()
    at.button(key="intake.submit").click().run()  # a medical or psychological ground needs its statement's date
    assert "Een medische of psychische beperking vraagt om de datum van de verklaring die haar onderbouwt." in [
        as_text(e.value) for e in at.error]
    at.date_input(key="intake.exception_statement_on").set_value(dt.date(2026, 2, 20))
    at.selectbox(key="intake.exploitation_in_nl").set_value("partly_in_nl")
    at.button(key="intake.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    case = services.get_case(store, app_env["secretary"], "AAN-2026-0001")
    assert case.intake is not None
    assert (case.intake.exception_ground, case.intake.exception_statement_on, case.intake.exploitation_in_nl) == (
        "medical_psychological", dt.date(2026, 2, 20), "partly_in_nl")


def test_an_inadmissible_decision_names_its_ground_in_words(open_app: OpenApp, store: Store, make_case: CaseBuilder,
                                                            app_env: dict[str, User]) -> None:
    ref = make_case(stage="intake", exploitation_in_nl="not_in_nl")
    at = open_app("secretary", "ui/intake.py")
    assert "de uitbuiting vond niet, ook niet deels, in Nederland plaats" in texts(at)
    at.radio(key="admit.decision").set_value("inadmissible").run()
    at.text_area(key="admit.reasons").input("Uitbuiting alleen in Spanje.")
    at.button(key="admit.submit").click().run()
    case = services.get_case(store, app_env["secretary"], ref)
    assert (case.status, case.inadmissible_grounds) == ("inadmissible", ["not_in_nl"])
    assert "not_in_nl" not in texts(at)


def test_the_chair_sets_a_thin_case_aside_instead_of_advising_niet_aannemelijk(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    chair = app_env["chair"]
    for d in ("police", "care", "legal"):
        submit(store, app_env[d], ref, dict.fromkeys(POSITIVE[:1], "present"), rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    at = open_app("chair", "ui/decision.py")
    at.button(key="decision.defer.submit").click().run()
    assert "Kies: terzijde leggen, of naar een hoorzitting verwijzen" in [as_text(e.value) for e in at.error]
    at.radio(key="decision.defer.route").set_value("set_aside")
    at.text_area(key="decision.defer.reasons").input("Alleen het aanvraagformulier; geen politiedossier.")
    at.button(key="decision.defer.submit").click().run()
    case = services.get_case(store, chair, ref)
    assert (case.status, case.decision, case.deferral_reasons) == (
        "set_aside", None, "Alleen het aanvraagformulier; geen politiedossier.")


def test_the_hearing_page_records_the_interpreter_and_the_report_for_correction(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_app("secretary", "ui/hearing.py")
    at.date_input(key="hearing.held_on").set_value(dt.date(2026, 4, 1))
    at.multiselect(key="hearing.members").set_value(["police", "care"])
    at.checkbox(key="hearing.interpreter").check().run()
    at.text_input(key="hearing.interpreter_language").input("")
    at.button(key="hearing.submit").click().run()
    assert "Noem de taal waarin de tolk heeft getolkt" in [as_text(e.value) for e in at.error]
    at.text_input(key="hearing.interpreter_language").input("ti")
    at.selectbox(key="hearing.interpreter_gender").set_value("female")
    at.date_input(key="hearing.report_sent_on").set_value(dt.date(2026, 4, 3))
    at.date_input(key="hearing.corrections_received_on").set_value(dt.date(2026, 4, 10))
    at.button(key="hearing.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    h = services.get_case(store, app_env["secretary"], ref).hearing
    assert h is not None and (h.interpreter_language, h.interpreter_gender, h.report_settled) == ("ti", "female", True)
    assert "Verslag verstuurd op 3 april 2026; reactie ontvangen op 10 april 2026." in [x.value for x in at.success]
    assert any("Tigrinya, vrouwelijke tolk" in i.value for i in at.info)
