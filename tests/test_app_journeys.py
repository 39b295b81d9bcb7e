# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Behaviour tests of the app's journeys through AppTest, against a real database and the shipped ILO
rubric: sign-in, intake, admissibility, discipline input (saved as typed, blind until submitted, conflicts),
deliberation, decision (quorum, override), language switch, access refused for the wrong role."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.model import InputDraft, ObservationInput, User
from assessment.rubric import ILO_RUBRIC, Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder, open_sections
from tests.test_app_common import APP, OpenApp, app_env, as_text, by_key, open_app, texts  # noqa: F401
from ui import state
from ui.labels import label

# Observations on the ILO adult/sexual profile that make it plausible when police and care agree.
POSITIVE = ["deceptive_recruitment.nature_of_job", "deceptive_recruitment.wages", "exploitation.excessive_hours",
            "exploitation.living_conditions", "exploitation.low_salary", "coercion_destination.documents",
            "coercion_destination.debt_bondage"]


def submit(store: Store, member: User, ref: str, statuses: dict[str, str], rubric: Rubric) -> None:
    draft = InputDraft(observations=[ObservationInput(indicator=i, status=s, source="PV 12") for i, s in statuses.items()],
                       overall_view="positive", confidence="high", overall_reasons="Consistent account.")
    v = services.save_input_draft(store, member, ref, draft, None, rubric=rubric)
    services.submit_input(store, member, ref, v)


# --- sign-in ---------------------------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password_and_accepts_the_right_one(app_env: dict[str, User]) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="signin.username").input("secretary")
    at.text_input(key="signin.password").input("wrong")
    at.button[0].click().run()
    assert state.USER not in at.session_state
    assert [as_text(e.value) for e in at.error] == [
        "Aanmelden mislukt: onbekende gebruiker, verkeerd wachtwoord, of account geblokkeerd."]
    at.text_input(key="signin.password").input("demo")
    at.button[0].click().run()
    assert at.session_state[state.USER] == app_env["secretary"]
    assert [t.value for t in at.title] == ["Dossiers"]
    at.button(key="auth.signout").click().run()
    assert state.USER not in at.session_state and [t.value for t in at.title] == ["Aanmelden"]


def test_an_idle_session_expires(open_app: OpenApp) -> None:
    at = open_app("secretary")
    at.session_state[state.LAST_ACTIVE] = time.monotonic() - 31 * 60  # the default limit is 30 minutes
    at.run()
    assert state.USER not in at.session_state
    assert "U bent afgemeld omdat de sessie te lang ongebruikt was." in [as_text(i.value) for i in at.info]


# --- language ------------------------------------------------------------------------------------------


def test_language_switch_translates_and_is_remembered_in_the_address(open_app: OpenApp) -> None:
    at = open_app("secretary")
    assert [t.value for t in at.title] == ["Dossiers"]
    at.segmented_control(key="ui.lang_switch").set_value("en").run()
    assert [t.value for t in at.title] == ["Cases"]
    assert at.query_params["lang"] == "en"
    fresh = AppTest.from_file(APP, default_timeout=30)
    fresh.query_params["lang"] = "en"
    fresh.run()
    assert [t.value for t in fresh.title] == ["Sign in"]


# --- access --------------------------------------------------------------------------------------------


def test_navigation_and_services_refuse_the_wrong_role(open_app: OpenApp, make_case: CaseBuilder) -> None:
    make_case()
    for role, page in (("secretary", "ui/decision.py"), ("evaluator", "ui/file.py"), ("admin", "ui/cases.py")):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(role, page)  # the page is not in this role's navigation at all
    at = open_app("labour", "ui/input.py")  # a member not on this case's panel sees no case
    assert [as_text(i.value) for i in at.info] == ["Er zijn nog geen dossiers voor dit scherm."]


# --- intake and admissibility ----------------------------------------------------------------------------


def test_intake_shows_messages_at_the_field_then_registers(open_app: OpenApp, store: Store,
                                                             app_env: dict[str, User]) -> None:
    at = open_app("secretary", "ui/intake.py")
    at.date_input(key="intake.received_on").set_value(dt.date(2026, 3, 2))
    at.text_input(key="intake.name").input("Synthetic Person")
    at.text_input(key="intake.nationality").input("NG")
    at.button(key="intake.submit").click().run()
    at_field = "Voor de aangifteroute zijn het sepot of de vrijspraak en de datum daarvan nodig."
    assert [as_text(e.value) for e in at.error] == [  # at the field, and in the summary next to the button
        at_field, "Niet geregistreerd; verbeter deze velden (wat u typte blijft staan):\n"
                  f"- Datum sepot of vrijspraak: {at_field}"]
    assert services.list_cases(store, app_env["secretary"]) == []
    at.date_input(key="intake.route_end_on").set_value(dt.date(2026, 2, 16)).run()
    at.button(key="intake.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert as_text(at.success[0].value) == "Dossier AAN-2026-0001 geregistreerd."
    case = services.get_case(store, app_env["secretary"], "AAN-2026-0001")
    assert (case.status, case.intake.applicant.name, case.intake.nationality, case.within_term) == (  # type: ignore[union-attr]
        "intake", "Synthetic Person", "NG", True)


def test_admissibility_needs_reasons_then_moves_the_case_on(open_app: OpenApp, store: Store,
                                                            make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case(stage="intake")
    at = open_app("secretary", "ui/intake.py")
    at.radio(key="admit.decision").set_value("admissible")
    at.button(key="admit.submit").click().run()
    assert [as_text(e.value) for e in at.error] == ["Een motivering is verplicht"]
    at.text_area(key="admit.reasons").input("Binnen vier weken na het sepot.")
    at.button(key="admit.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    case = services.get_case(store, app_env["secretary"], ref)
    assert (case.status, case.admissibility, case.admissibility_reasons) == (
        "assessment", "admissible", "Binnen vier weken na het sepot.")


def test_consent_and_panel_are_recorded_from_the_intake_screen(open_app: OpenApp, store: Store,
                                                               make_case: CaseBuilder,
                                                               app_env: dict[str, User]) -> None:
    ref = make_case(stage="intake")
    at = open_app("secretary", "ui/intake.py")
    at.selectbox(key="consent.scope").set_value("care_file")
    at.date_input(key="consent.given_on").set_value(dt.date(2026, 3, 3))
    at.button(key="consent.submit").click().run()
    at.selectbox(key="panel.labour.username").set_value("labour")
    assert "panel.labour.coi" not in [c.key for c in at.checkbox]  # the secretary cannot declare for the member
    at.button(key="panel.labour.assign").click().run()
    assert [as_text(e.value) for e in at.error] == []
    case = services.get_case(store, app_env["secretary"], ref)
    assert [(c.scope, c.given_on) for c in case.consents] == [("care_file", dt.date(2026, 3, 3))]
    assert [(s.discipline, s.username, s.coi_declared_on is not None) for s in case.panel] == [
        ("labour", "labour", False)]  # the member declares personally, on the input screen


def test_consent_to_share_the_advice_is_recorded_per_named_recipient(open_app: OpenApp, store: Store,
                                                                     make_case: CaseBuilder,
                                                                     app_env: dict[str, User]) -> None:
    ref = make_case(stage="intake")
    at = open_app("secretary", "ui/intake.py")
    at.button(key="recipient.submit").click().run()
    assert [as_text(e.value) for e in at.error] == ["Noem de ontvanger"]
    at.text_input(key="recipient.name").input("Immigratie- en Naturalisatiedienst")
    at.selectbox(key="recipient.given_by").set_value("legal_representative")
    at.date_input(key="recipient.given_on").set_value(dt.date(2026, 3, 4))
    at.button(key="recipient.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    (given,) = services.get_case(store, app_env["secretary"], ref).recipients
    assert (given.recipient, given.given_by, given.given_on, given.revoked_on) == (
        "Immigratie- en Naturalisatiedienst", "legal_representative", dt.date(2026, 3, 4), None)
    at.button(key=f"recipient.revoke.{given.id}").click().run()
    (revoked,) = services.get_case(store, app_env["secretary"], ref).recipients
    assert revoked.revoked_on is not None


# --- discipline input ------------------------------------------------------------------------------------


def test_input_is_saved_as_typed_and_survives_a_new_session(open_app: OpenApp, store: Store,
                                                             make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    at = open_sections(open_app("police", "ui/input.py"), "coercion_destination")  # a closed section draws no widgets
    at.button_group(key="input.coercion_destination.documents.status").set_value("present").run()
    at.text_input(key="input.coercion_destination.documents.source").input("PV 2026-12").run()
    at.text_area(key="input.coercion_destination.documents.note").input("Paspoort ingenomen door de exploitant.").run()
    at.text_area(key="input.overall.reasons").input("Half af").run()
    assert as_text(at.success[0].value).startswith("Opgeslagen om ")
    saved = [i for i in services.get_inputs(store, app_env["police"], ref) if i.discipline == "police"][0]
    assert (saved.submitted, saved.draft.observations, saved.draft.overall_reasons) == (False, [ObservationInput(
        indicator="coercion_destination.documents", status="present", source="PV 2026-12",
        note="Paspoort ingenomen door de exploitant.")], "Half af")
    again = open_sections(open_app("police", "ui/input.py"), "coercion_destination")  # a reload: a new session
    assert again.button_group(key="input.coercion_destination.documents.status").value == "present"
    # closed details show source and note as one line of plain text (markdown characters escaped) under the
    # indicator's name; opened, the fields hold the saved text
    assert any(m.value.endswith("  \n:gray[PV 2026\\-12 · Paspoort ingenomen door de exploitant\\.]")
               for m in again.markdown)
    again.toggle(key="input.coercion_destination.documents.details").set_value(True).run()
    assert again.text_area(key="input.coercion_destination.documents.note").value == (
        "Paspoort ingenomen door de exploitant.")
    assert again.text_area(key="input.overall.reasons").value == "Half af"


def test_two_windows_saving_the_same_input_merge_per_indicator(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    """The issue's case: window 1 rates an indicator with a note and saves; window 2, opened before, rates
    another one. Both ratings and the note are kept, without asking."""
    ref = make_case()
    police = app_env["police"]
    one, two = (open_sections(open_app("police", "ui/input.py"), "exploitation") for _ in range(2))
    one.button_group(key="input.exploitation.excessive_hours.status").set_value("present").run()
    one.text_area(key="input.exploitation.excessive_hours.note").input("Werkte 14 uur per dag.").run()
    two.button_group(key="input.exploitation.living_conditions.status").set_value("unknown").run()
    assert not two.exception
    assert [as_text(i.value) for i in two.info][0] == ("Deze inbreng is ook in een ander venster opgeslagen; beide versies "
                                              "zijn samengevoegd, er ging niets verloren.")
    saved = services.get_inputs(store, police, ref)[0]
    assert [(o.indicator, o.status, o.note) for o in saved.draft.observations] == [
        ("exploitation.excessive_hours", "present", "Werkte 14 uur per dag."),
        ("exploitation.living_conditions", "unknown", "")]
    # window 2 now shows the merge
    assert two.button_group(key="input.exploitation.excessive_hours.status").value == "present"


def test_a_real_clash_asks_per_indicator_showing_both_values_and_keeps_the_rest(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()
    police = app_env["police"]
    one, two = (open_sections(open_app("police", "ui/input.py"), "exploitation") for _ in range(2))
    one.button_group(key="input.exploitation.low_salary.status").set_value("present").run()
    one.button_group(key="input.exploitation.excessive_hours.status").set_value("present").run()
    two.button_group(key="input.exploitation.low_salary.status").set_value("absent").run()  # a clash
    assert as_text(two.error[0].value).startswith("Deze inbreng is ook in een ander venster opgeslagen")
    [choice] = two.radio
    assert choice.options == ["Dit venster: afwezig", "Ander venster: aanwezig"]  # both values, in words
    name = services.active_rubric(store).indicator_by_id["exploitation.low_salary"].name("nl")
    assert f"**{name}**" in [m.value for m in two.markdown]  # named as the rubric names it, not by its id
    # Neither version is preselected (keeping one drops the other): saving waits for an explicit choice.
    assert choice.value is None and two.button(key="input.conflict.save").disabled
    assert "nog 1 te kiezen" in " ".join(as_text(c.value) for c in two.caption)
    choice.set_value("mine").run()
    assert not two.button(key="input.conflict.save").disabled
    two.button(key="input.conflict.save").click().run()
    assert not two.exception
    saved = services.get_inputs(store, police, ref)[0]
    assert sorted((o.indicator, o.status) for o in saved.draft.observations) == [
        ("exploitation.excessive_hours", "present"), ("exploitation.low_salary", "absent")]
    assert two.button_group(key="input.exploitation.excessive_hours.status").value == "present"


def test_a_member_can_rate_an_indicator_not_applicable(open_app: OpenApp, store: Store, make_case: CaseBuilder,
                                                       app_env: dict[str, User]) -> None:
    # e.g. deception about family reunification for someone without family: not absent, not unknown
    make_case()
    at = open_sections(open_app("care", "ui/input.py"), "deceptive_recruitment")
    key = "input.deceptive_recruitment.family_reunification.status"
    assert at.button_group(key=key).options[-1] == "niet van toepassing"
    at.button_group(key=key).set_value("not_applicable").run()
    saved = services.get_inputs(store, app_env["care"], "AAN-2026-0001")[0]
    assert [(o.indicator, o.status) for o in saved.draft.observations] == [
        ("deceptive_recruitment.family_reunification", "not_applicable")]


def test_input_is_blind_until_submitted(open_app: OpenApp, store: Store, make_case: CaseBuilder,
                                        app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    submit(store, app_env["care"], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    at = open_app("police", "ui/deliberation.py")
    assert [as_text(i.value) for i in at.info] == ["U ziet het resultaat van het panel pas als u uw eigen inbreng heeft "
                                          "ingediend"]  # Dutch only: one language per screen
    at = open_sections(open_app("police", "ui/input.py"), "exploitation")
    at.button_group(key="input.exploitation.excessive_hours.status").set_value("present").run()
    at.button(key="input.submit").click().run()
    assert as_text(at.success[0].value) == "Inbreng ingediend voor AAN-2026-0001."
    assert at.button_group(key="input.exploitation.excessive_hours.status").disabled
    at = open_app("police", "ui/deliberation.py")
    assert "Uitkomst van de rubriek" in texts(at)


# --- deliberation and decision ---------------------------------------------------------------------------


@pytest.fixture
def ilo_active(store: Store, app_env: dict[str, User]) -> None:
    """The ILO research and screening instrument activated on purpose (the shipped default is the legal test),
    for the journeys that check the ILO dimensions on the deliberation and decision screens."""
    kept = services.upload_rubric(store, app_env["admin"], ILO_RUBRIC.name, ILO_RUBRIC.read_bytes())
    services.activate_rubric(store, app_env["admin"], kept.key)


@pytest.mark.usefixtures("ilo_active")
def test_deliberation_shows_result_contested_unknowns_and_disclaimer(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    submit(store, app_env["police"], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    submit(store, app_env["care"], ref, {**dict.fromkeys(POSITIVE, "present"), "deceptive_recruitment.wages": "absent"},
           rubric)
    at = open_app("chair", "ui/deliberation.py")
    at.button(key="deliberation.open").click().run()
    assert services.get_case(store, app_env["chair"], ref).status == "deliberation"
    assert as_text(at.success[0].value) == "Beraadslaging geopend voor AAN-2026-0001."
    page = texts(at)
    assert rubric.disclaimer("nl") in page
    assert "Uitkomst van de rubriek: Aannemelijk" in page
    assert [as_text(e.value) for e in at.error] == [
        "Misleid over loon of verdiensten — Strafrecht en vervolging: aanwezig, Zorg en opvang: afwezig"]
    side = at.dataframe[0].value
    assert list(side.columns) == ["Dimensie", "Strafrecht en vervolging", "Zorg en opvang"]


@pytest.mark.usefixtures("ilo_active")
def test_decision_checks_quorum_and_requires_reasons_to_depart(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    chair = app_env["chair"]
    submit(store, app_env["police"], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    submit(store, app_env["care"], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    at = open_app("chair", "ui/decision.py")
    assert [as_text(e.value) for e in at.error] == [
        "Nog geen quorum: 2 van minstens 3 disciplines hebben ingediend. Ontbreekt: Juridisch (nog geen inbreng); "
        "Medisch en psychologisch (nog geen inbreng)."]
    assert at.button(key="decision.submit").disabled
    submit(store, app_env["legal"], ref, {"coercion_destination.isolation": "unknown"}, rubric)
    at = open_app("chair", "ui/decision.py")
    assert as_text(at.success[0].value).startswith("Quorum: 3 van minstens 3 disciplines hebben ingediend")
    at.radio(key="decision.outcome").set_value("niet_aannemelijk").run()
    assert "Deze conclusie wijkt af van de uitkomst van de rubriek; motiveer dat schriftelijk." in texts(at)
    at.text_area(key="decision.reason.overall").input("Verklaring wisselend.")
    at.button(key="decision.submit").click().run()
    assert as_text(at.error[0].value) == ("Een motivering waarom het panel afwijkt van het beoordelingsinstrument "
                                 "(aannemelijk) is verplicht")
    at.text_area(key="decision.override").input("De verklaringen spreken elkaar op wezenlijke punten tegen.")
    at.text_area(key="decision.dissent.police").input("Ik acht het wel aannemelijk.")
    at.button(key="decision.submit").click().run()
    # every element with a finding either way needs its reasons, as the letter does: checked now, not later
    found = ["deceptive_recruitment", "exploitation", "coercion_destination"]  # POSITIVE: positive under Rule A
    message = ("Een bevinding (aannemelijk gemaakt of niet) vraagt een motivering; die ontbreekt bij: "
               + ", ".join(rubric.dimension_by_id[d].name("nl") for d in found))  # one language: the page's
    # at the reasons, and in the summary by the button (which names the field)
    assert [as_text(e.value) for e in at.error] == [message, "Niet vastgelegd; verbeter deze velden (wat u typte blijft "
                                                    "staan):\n- Motivering van het geheel: " + message]
    assert services.get_case(store, chair, ref).status == "deliberation"
    for d in found:
        at.text_area(key=f"decision.reason.{d}").input(f"Gewogen bij {d}.")
    at.button(key="decision.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    case = services.get_case(store, chair, ref)
    assert case.status == "decided" and case.decision is not None
    assert (case.decision.outcome, case.decision.departs_from_rubric, case.decision.override_reason,
            case.decision.reasons, [(d.username, d.text) for d in case.decision.dissents]) == (
        "niet_aannemelijk", True, "De verklaringen spreken elkaar op wezenlijke punten tegen.",
        {"overall": "Verklaring wisselend.", **{d: f"Gewogen bij {d}." for d in found}},
        [("police", "Ik acht het wel aannemelijk.")])


@pytest.mark.usefixtures("ilo_active")
def test_the_chair_sets_the_panels_finding_per_element(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    chair = app_env["chair"]
    for member in ("police", "care", "legal"):
        submit(store, app_env[member], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, rubric)
    at = open_app("chair", "ui/decision.py")
    # every element's finding starts at the rubric's status
    assert {d: at.selectbox(key=f"decision.finding.{d}").value for d in result.dimensions} == {
        d.id: d.status for d in result.dimensions.values()}
    at.radio(key="decision.outcome").set_value("aannemelijk").run()
    at.selectbox(key="decision.finding.coercive_recruitment").set_value("positive").run()
    at.text_area(key="decision.reason.overall").input("Alle elementen aannemelijk.")
    at.button(key="decision.submit").click().run()
    needed = ["deceptive_recruitment", "coercive_recruitment", "exploitation", "coercion_destination"]
    assert [as_text(e.value) for e in at.error][0] == (
        "Een bevinding (aannemelijk gemaakt of niet) vraagt een motivering; die ontbreekt bij: "
        + ", ".join(rubric.dimension_by_id[d].name("nl") for d in needed))  # one language: the page's
    at.text_area(key="decision.reason.coercive_recruitment").input("Bedreigd bij de werving.")
    for d in ("deceptive_recruitment", "exploitation", "coercion_destination"):
        at.text_area(key=f"decision.reason.{d}").input(f"Gewogen bij {d}.")
    at.button(key="decision.submit").click().run()
    assert [as_text(e.value) for e in at.error] == []
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None
    expected = {d.id: d.status for d in result.dimensions.values()} | {"coercive_recruitment": "positive"}
    assert decision.findings == expected
    page = open_app("chair", "ui/decision.py")
    shown = page.dataframe[0].value
    assert dict(zip(shown["Element"], shown["Bevinding"], strict=True)) == {
        rubric.dimension_by_id[d].name("nl"): label("finding", f, "nl") for d, f in expected.items()}
    # The decider by the name people know (the demo chair is "Demo Chair"), not the login; each reason once,
    # the elements' in the table's order and the reasons for the whole last.
    assert "door Demo Chair op" in as_text(page.success[0].value)
    body = "\n".join(e.value for e in page.text)  # typed text is shown as typed (st.text)
    typed = ["Bedreigd bij de werving.", *(f"Gewogen bij {d}." for d in ("deceptive_recruitment", "exploitation",
                                                                        "coercion_destination"))]
    assert all(body.count(t) == 1 for t in [*typed, "Alle elementen aannemelijk."])
    by_name = {rubric.dimension_by_id[d].name("nl"): d for d in expected}
    table_order = [by_name[name] for name in shown["Element"]]
    reason = {"coercive_recruitment": "Bedreigd bij de werving."} | {
        d: f"Gewogen bij {d}." for d in ("deceptive_recruitment", "exploitation", "coercion_destination")}
    places = [body.index(reason[d]) for d in table_order if d in reason]
    assert places == sorted(places) and body.index("Alle elementen aannemelijk.") > max(places)


@pytest.mark.usefixtures("ilo_active")
def test_the_decision_form_is_saved_as_typed_and_comes_back_after_a_reload_and_a_reopening(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    ref = make_case()
    chair = app_env["chair"]
    for member in ("police", "care", "legal"):
        submit(store, app_env[member], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    at = open_app("chair", "ui/decision.py")
    at.radio(key="decision.outcome").set_value("aannemelijk").run()
    at.selectbox(key="decision.finding.coercive_recruitment").set_value("positive").run()
    at.text_area(key="decision.reason.coercive_recruitment").input("Bedreigd bij de werving.").run()
    at.text_area(key="decision.dissent.police").input("Twijfel.").run()
    # A reload is a new session: the form comes back from the database, as typed.
    again = open_app("chair", "ui/decision.py")
    assert (again.radio(key="decision.outcome").value, again.selectbox(key="decision.finding.coercive_recruitment").value,
            again.text_area(key="decision.reason.coercive_recruitment").value,
            again.text_area(key="decision.dissent.police").value) == (
        "aannemelijk", "positive", "Bedreigd bij de werving.", "Twijfel.")
    for d in ("deceptive_recruitment", "exploitation", "coercion_destination"):
        again.text_area(key=f"decision.reason.{d}").input(f"Gewogen bij {d}.").run()
    again.text_area(key="decision.reason.overall").input("Alle elementen aannemelijk.").run()
    again.button(key="decision.submit").click().run()
    assert [as_text(e.value) for e in again.error] == []
    services.reopen_case(store, chair, ref, "Nieuw rapport.", services.get_case(store, chair, ref).version)
    reopened = open_app("chair", "ui/decision.py")
    assert (reopened.radio(key="decision.outcome").value, reopened.text_area(key="decision.reason.overall").value,
            reopened.text_area(key="decision.reason.coercive_recruitment").value,
            reopened.selectbox(key="decision.finding.coercive_recruitment").value) == (
        "aannemelijk", "Alle elementen aannemelijk.", "Bedreigd bij de werving.", "positive")
