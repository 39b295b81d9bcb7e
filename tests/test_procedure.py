"""The procedure as the regulation has it (issue #12 item 5): structured admissibility, the age group at the start
of the exploitation, who gave each consent, the hearing and its report, too little information.

Expectations come from the docs, not the code: domain.md section 1 (admissibility: (partly) in the Netherlands,
dismissal or acquittal within four weeks, or the exception for serious threats or a medical or psychological
limitation) and legal-test.md ("Age, consent and representation": age group is the age at the start of the
exploitation; under 16 the legal representative consents; "The hearing": at least two members, interpreter with
language, a report the applicant receives for correction before deliberation). Dates are worked by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError as PydanticValidationError

from assessment import age, services
from assessment.config import Settings
from assessment.errors import AannemelijkError, AccessDeniedError, ValidationError
from assessment.model import Hearing
from assessment.services.evaluation import _exact_cases  # the exact facts, inside the services
from assessment.services.letter_context import build_letter_context
from assessment.store import open_store, schema_migrations
from tests.conftest import POSITIVE, CaseBuilder, intake

CASES = Path(__file__).resolve().parent.parent / "pilot_data" / "cases"

# --- age: hand-worked -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("birth", "year", "start", "expected"), [
    (dt.date(2008, 6, 15), None, dt.date(2026, 6, 14), "child"),  # one day short of 18
    (dt.date(2008, 6, 15), None, dt.date(2026, 6, 15), "adult"),  # the 18th birthday
    (None, 2009, dt.date(2026, 12, 31), "child"),  # at most 17
    (None, 2007, dt.date(2026, 1, 1), "adult"),  # at least 18
    (None, 2008, dt.date(2026, 7, 1), None),  # 17 or 18: the year cannot tell
    (dt.date(2008, 6, 15), 2008, None, None),  # no start of the exploitation
])
def test_the_age_group_is_the_age_at_the_start_of_the_exploitation(
        birth: dt.date | None, year: int | None, start: dt.date | None, expected: str | None) -> None:
    assert age.age_group_at_start(birth, year, start) == expected


def test_an_applicant_who_was_a_child_at_the_start_is_a_child_though_adult_when_applying() -> None:
    # Born 1 March 2006; exploited from 1 May 2022 (aged 16); applies on 2 March 2026 (aged 20).
    i = intake(period_start=dt.date(2022, 5, 1), birth_year=2006, age_group="adult",
               applicant={"name": "Aanvrager X", "date_of_birth": dt.date(2006, 3, 1)})
    assert i.age_group == "child"
    # without the start the age group is the secretary's own choice
    assert intake(age_group="adult", birth_year=2006).age_group == "adult"


def test_the_legal_test_reads_the_age_group_at_the_start(store: object, users: dict, make_case: CaseBuilder) -> None:
    ref = make_case(period_start=dt.date(2022, 5, 1), birth_year=2006, age_group="adult",
                    applicant={"name": "Aanvrager X", "date_of_birth": dt.date(2006, 3, 1)})
    case = services.get_case(store, users["secretary"], ref)  # type: ignore[arg-type]
    assert case.intake is not None and case.intake.age_group == "child"


# --- consent: who gave it ---------------------------------------------------------------------------------------


def test_a_consent_for_an_applicant_under_16_is_given_by_the_legal_representative(
        store: object, users: dict, make_case: CaseBuilder) -> None:
    # Born 10 May 2011: 14 on 2 March 2026.
    ref = make_case("intake", birth_year=2011, applicant={"name": "Aanvrager X", "date_of_birth": dt.date(2011, 5, 10)})
    sec = users["secretary"]
    with pytest.raises(ValidationError) as err:
        services.record_consent(store, sec, ref, "police_file", dt.date(2026, 3, 2))  # type: ignore[arg-type]
    assert err.value.field == "given_by"
    assert "wettelijk vertegenwoordiger" in err.value.text("nl")
    with pytest.raises(ValidationError):
        services.record_recipient_consent(store, sec, ref, "Immigratie- en Naturalisatiedienst",  # type: ignore[arg-type]
                                          dt.date(2026, 3, 2), "applicant")
    services.record_consent(store, sec, ref, "police_file", dt.date(2026, 3, 2), "legal_representative")  # type: ignore[arg-type]
    case = services.get_case(store, sec, ref)  # type: ignore[arg-type]
    assert [(c.scope, c.given_by) for c in case.consents] == [("police_file", "legal_representative")]
    assert services.label("given_by", "legal_representative", "nl") == "de wettelijk vertegenwoordiger"


def test_an_applicant_of_16_gives_consent_personally(store: object, users: dict, make_case: CaseBuilder) -> None:
    # Born 1 March 2010: 16 on 2 March 2026.
    ref = make_case("intake", birth_year=2010, applicant={"name": "Aanvrager X", "date_of_birth": dt.date(2010, 3, 1)})
    services.record_consent(store, users["secretary"], ref, "police_file", dt.date(2026, 3, 2))  # type: ignore[arg-type]


# --- admissibility -----------------------------------------------------------------------------------------------


def _decide(store: object, user: object, ref: str, decision: str, **kw: object) -> None:
    v = services.get_case(store, user, ref).version  # type: ignore[arg-type]
    services.decide_admissibility(store, user, ref, decision, "Toets ontvankelijkheid.", v, **kw)  # type: ignore[arg-type]


def test_admissibility_needs_to_know_where_the_exploitation_took_place(
        store: object, users: dict, make_case: CaseBuilder) -> None:
    ref = make_case("intake", exploitation_in_nl="unknown")
    with pytest.raises(ValidationError) as err:
        _decide(store, users["secretary"], ref, "admissible")
    assert err.value.field == "exploitation_in_nl"
    assert services.admissibility_unmet(store, users["secretary"], ref) == []  # type: ignore[arg-type]
    partly = make_case("intake", exploitation_in_nl="partly_in_nl")
    _decide(store, users["secretary"], partly, "admissible")  # partly in the Netherlands suffices


def test_exploitation_outside_the_netherlands_is_inadmissible_with_that_ground_in_words(
        store: object, users: dict, make_case: CaseBuilder) -> None:
    sec = users["secretary"]
    ref = make_case("intake", exploitation_in_nl="not_in_nl")
    with pytest.raises(ValidationError) as err:
        _decide(store, sec, ref, "admissible")
    assert err.value.text("nl") == "Niet ontvankelijk: de uitbuiting vond niet, ook niet deels, in Nederland plaats"
    with pytest.raises(ValidationError) as err:  # a ground the intake contradicts
        _decide(store, sec, ref, "inadmissible", grounds=("late",))
    assert err.value.field == "grounds"
    _decide(store, sec, ref, "inadmissible")  # the unmet requirement is the ground by default
    case = services.get_case(store, sec, ref)  # type: ignore[arg-type]
    assert case.status == "inadmissible" and case.inadmissible_grounds == ["not_in_nl"]
    for lang, words in (("nl", "de uitbuiting vond niet, ook niet deels, in Nederland plaats"),
                        ("en", "the exploitation did not take place, not even partly, in the Netherlands")):
        letter = build_letter_context(store, sec, ref, lang)  # type: ignore[arg-type]
        assert letter.inadmissibility is not None and words in letter.inadmissibility.why
        assert "not_in_nl" not in letter.inadmissibility.why + letter.inadmissibility.requirement


def test_late_application_is_inadmissible_by_the_four_week_term(store: object, users: dict,
                                                                 make_case: CaseBuilder) -> None:
    # Dismissal 2 February 2026, received 3 March 2026: 29 days, more than four weeks.
    ref = make_case("intake", route_end_on=dt.date(2026, 2, 2), received_on=dt.date(2026, 3, 3))
    assert services.admissibility_unmet(store, users["secretary"], ref) == ["late"]  # type: ignore[arg-type]
    on_time = make_case("intake", route_end_on=dt.date(2026, 2, 3), received_on=dt.date(2026, 3, 3))  # 28 days
    assert services.admissibility_unmet(store, users["secretary"], on_time) == []  # type: ignore[arg-type]


def test_the_exception_needs_a_structured_ground_and_a_medical_one_a_statement(
        store: object, users: dict) -> None:
    sec = users["secretary"]
    base = {"route": "exception", "route_end": None, "route_end_on": None,
            "applicant": {"name": "Aanvrager X", "exception_reason": "Durft geen aangifte te doen."}}
    with pytest.raises(ValidationError) as err:
        services.create_case(store, sec, intake(**base))  # type: ignore[arg-type]
    assert err.value.field == "exception_ground"
    # Each rule names the field to mend (RuleError.field; the pages show its message there).
    with pytest.raises(PydanticValidationError) as refused:
        intake(**base, exception_ground="medical_psychological")
    assert refused.value.errors()[0]["ctx"]["error"].field == "exception_statement_on"
    with pytest.raises(PydanticValidationError) as refused:
        intake(exception_ground="serious_threats")  # the report route has no exception ground
    assert refused.value.errors()[0]["ctx"]["error"].field == "exception_ground"
    with pytest.raises(PydanticValidationError) as refused:
        intake(route_end="dismissal", route_end_ground="not_proven")  # "not proven" ends an acquittal
    assert refused.value.errors()[0]["ctx"]["error"].field == "route_end_ground"
    ref = services.create_case(store, sec, intake(**base, exception_ground="medical_psychological",  # type: ignore[arg-type]
                                                  exception_statement_on=dt.date(2026, 2, 20)))
    case = services.get_case(store, sec, ref)  # type: ignore[arg-type]
    assert case.intake is not None and case.intake.exception_ground == "medical_psychological"
    assert services.admissibility_unmet(store, sec, ref) == []  # type: ignore[arg-type]


# --- an existing database opens ----------------------------------------------------------------------------------


def test_a_database_from_before_the_procedure_opens_and_keeps_its_cases(settings: Settings,
                                                                        tmp_path: Path) -> None:
    s = open_store(settings)
    services.load_demo_users(s)
    sec = services.user_by_name(s, "secretary")
    ref = services.create_case(s, sec, intake())
    services.record_consent(s, sec, ref, "police_file", dt.date(2026, 3, 2))
    # Take the database back to before migration 0010: its table, columns and record gone.
    conn = s.db.conn
    conn.execute("DROP TABLE case_procedure")
    for table, column in (("p_applicants", "exception_statement_by"), ("p_applicants", "deferral_reasons"),
                          ("consents", "given_by"), ("hearings", "interpreter_language"),
                          ("hearings", "interpreter_gender"), ("hearings", "report_sent_on"),
                          ("hearings", "corrections_received_on"), ("p_hearings", "corrections")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0014_procedure'")
    conn.commit()
    s.close()
    s = open_store(settings)
    assert schema_migrations(s)[-1] == "0014_procedure"
    case = services.get_case(s, sec, ref)
    assert case.intake is not None and case.intake.exploitation_in_nl == "unknown"  # not known: asked at admissibility
    assert [c.given_by for c in case.consents] == ["applicant"]
    assert s.integrity_ok()  # the sealed case rows were not touched
    s.close()


# --- the hearing and its report -----------------------------------------------------------------------------------


def _in_deliberation(store: object, users: dict, make_case: CaseBuilder, rubric: object) -> str:
    from tests.test_services import submit

    ref = make_case()
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], rubric)  # type: ignore[arg-type]
    return ref


def _open(store: object, users: dict, ref: str) -> None:
    chair = users["chair"]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)  # type: ignore[arg-type]


def test_deliberation_waits_for_the_hearing_report_to_come_back_from_the_applicant(
        store: object, users: dict, make_case: CaseBuilder, mini_rubric: object) -> None:
    ref = _in_deliberation(store, users, make_case, mini_rubric)
    sec = users["secretary"]
    held = {"held_on": dt.date(2026, 4, 1), "members": ["police", "legal"], "summary": "Verklaring consistent."}
    with pytest.raises(ValidationError) as err:  # an interpreter, but which language?
        services.record_hearing(store, sec, ref, Hearing(**held, interpreter=True))  # type: ignore[arg-type]
    assert err.value.field == "interpreter_language"
    services.record_hearing(store, sec, ref, Hearing(**held, interpreter=True, interpreter_language="ti",  # type: ignore[arg-type]
                                                     interpreter_gender="female"))
    with pytest.raises(ValidationError) as err:  # the report has not gone to the applicant
        _open(store, users, ref)
    assert err.value.field == "report_sent_on"
    services.record_hearing(store, sec, ref, Hearing(**held, interpreter=True, interpreter_language="ti",  # type: ignore[arg-type]
                                                     report_sent_on=dt.date(2026, 4, 3)))
    with pytest.raises(ValidationError) as err:  # sent, but no reply yet
        _open(store, users, ref)
    assert err.value.field == "corrections_received_on"
    with pytest.raises(PydanticValidationError) as refused:  # a reply before the report went out
        Hearing(**held, report_sent_on=dt.date(2026, 4, 3), corrections_received_on=dt.date(2026, 4, 2))
    assert refused.value.errors()[0]["ctx"]["error"].field == "corrections_received_on"  # the rule names its field
    services.record_hearing(store, sec, ref, Hearing(**held, interpreter=True, interpreter_language="ti",  # type: ignore[arg-type]
                                                     interpreter_gender="female", report_sent_on=dt.date(2026, 4, 3),
                                                     corrections_received_on=dt.date(2026, 4, 10),
                                                     corrections="Naam woonplaats gecorrigeerd."))
    _open(store, users, ref)
    h = services.get_case(store, users["chair"], ref).hearing  # type: ignore[arg-type]
    assert h is not None and (h.interpreter_language, h.interpreter_gender, h.report_settled) == ("ti", "female", True)
    assert services.label("language", "ti", "nl") == "Tigrinya" and services.label("language", "ti", "en") == "Tigrinya"
    facts = {c.ref: c for c in _exact_cases(store)}[ref]  # type: ignore[arg-type]
    assert (facts.hearing_members, facts.interpreter_language, facts.interpreter_gender) == (2, "ti", "female")
    assert (facts.hearing_report_sent_on, facts.hearing_corrections_on) == (dt.date(2026, 4, 3), dt.date(2026, 4, 10))


# --- too little information: set aside, or sent to a hearing, never "niet aannemelijk" ------------------------------


def test_a_case_with_too_little_information_is_set_aside_without_an_advice(
        store: object, users: dict, make_case: CaseBuilder, mini_rubric: object) -> None:
    ref = _in_deliberation(store, users, make_case, mini_rubric)
    _open(store, users, ref)
    chair = users["chair"]
    v = services.get_case(store, chair, ref).version  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        services.defer_case(store, chair, ref, "set_aside", "  ", v)  # type: ignore[arg-type]
    assert err.value.field == "reasons"
    with pytest.raises(AccessDeniedError):
        services.defer_case(store, users["secretary"], ref, "set_aside", "Te weinig informatie.", v)  # type: ignore[arg-type]
    services.defer_case(store, chair, ref, "set_aside", "Dossier bevat alleen de aanvraag.", v)  # type: ignore[arg-type]
    case = services.get_case(store, chair, ref)  # type: ignore[arg-type]
    assert (case.status, case.deferral, case.decision) == ("set_aside", "set_aside", None)
    assert services.label("status", "set_aside", "nl") == "terzijde gelegd"
    assert services.label("deferral", "set_aside", "nl") == "terzijde gelegd wegens onvoldoende informatie"
    events = [e["action"] for e in services.case_audit(store, chair, ref)]  # type: ignore[arg-type]
    assert events[-1] == "case.set_aside"
    with pytest.raises(AannemelijkError):  # no letter, so none can say "niet aannemelijk"
        build_letter_context(store, users["secretary"], ref, "nl")  # type: ignore[arg-type]
    assert all(d.state not in ("due", "overdue") for d in case.deadlines)  # a case set aside runs no term
    facts = {c.ref: c for c in _exact_cases(store)}[ref]  # type: ignore[arg-type]
    assert (facts.deferral, facts.panel_outcome) == ("set_aside", None)
    # docs/procedure.md: a case that stays set aside is closed on the day it was set aside, and the retention
    # period (docs/deployment.md, section 8) runs from then; resumed, it is open again.
    admin, days = users["admin"], store.settings.retention_days  # type: ignore[attr-defined]
    set_aside_on = dt.datetime.now(dt.UTC).date()
    due = set_aside_on + dt.timedelta(days=days)
    assert services.apply_retention(store, admin, dry_run=True, on=due - dt.timedelta(days=1)) == []  # type: ignore[arg-type]
    [plan] = services.apply_retention(store, admin, dry_run=True, on=due)  # type: ignore[arg-type]
    assert (plan.ref, plan.closed_on, plan.expired_on) == (ref, set_aside_on, due)
    services.resume_case(store, chair, ref, "Politiedossier ontvangen.", case.version)  # type: ignore[arg-type]
    assert services.get_case(store, chair, ref).status == "deliberation"  # type: ignore[arg-type]
    assert services.apply_retention(store, admin, dry_run=True, on=due) == []  # type: ignore[arg-type]


def test_a_case_sent_to_a_hearing_returns_to_deliberation_once_the_report_is_settled(
        store: object, users: dict, make_case: CaseBuilder, mini_rubric: object) -> None:
    ref = _in_deliberation(store, users, make_case, mini_rubric)
    _open(store, users, ref)
    chair, sec = users["chair"], users["secretary"]
    opened = services.get_case(store, chair, ref)  # type: ignore[arg-type]
    services.defer_case(store, chair, ref, "hearing", "Verklaring over de werving ontbreekt.", opened.version)  # type: ignore[arg-type]
    case = services.get_case(store, chair, ref)  # type: ignore[arg-type]
    assert (case.status, case.deferral) == ("hearing", "hearing")
    assert [e["action"] for e in services.case_audit(store, chair, ref)][-1] == "case.to_hearing"  # type: ignore[arg-type]
    with pytest.raises(AannemelijkError):
        build_letter_context(store, sec, ref, "nl")  # type: ignore[arg-type]
    services.record_hearing(store, sec, ref, Hearing(held_on=dt.date(2026, 4, 1), members=["police", "care"]))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        _open(store, users, ref)
    services.record_hearing(store, sec, ref, Hearing(held_on=dt.date(2026, 4, 1), members=["police", "care"],  # type: ignore[arg-type]
                                                     report_sent_on=dt.date(2026, 4, 2),
                                                     corrections_received_on=dt.date(2026, 4, 16)))
    _open(store, users, ref)
    back = services.get_case(store, chair, ref)  # type: ignore[arg-type]
    assert back.status == "deliberation"


# --- the two curated cases of the procedure -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def procedure_cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, str]]]:
    from assessment.services.importing import import_case_file

    store = open_store(Settings(db_path=tmp_path_factory.mktemp("proc") / "cases.sqlite3", demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    refs = {name: import_case_file(store, chair, CASES / f"{name}.yaml", services.shipped_rubric())
            for name in ("14-acquittal-route", "15-medical-exception")}
    yield store, refs
    store.close()


def test_the_acquittal_route_is_admissible_by_the_acquittal(procedure_cases: tuple[object, dict[str, str]]) -> None:
    # Acquittal 21 April 2026, application 11 May 2026: 20 days, within the four weeks (domain.md section 1).
    store, refs = procedure_cases
    sec = services.user_by_name(store, "secretary")  # type: ignore[arg-type]
    case = services.get_case(store, sec, refs["14-acquittal-route"])  # type: ignore[arg-type]
    assert case.intake is not None
    assert (case.intake.route, case.intake.route_end, case.intake.route_end_ground) == ("report", "acquittal",
                                                                                        "not_proven")
    assert (case.admissibility, case.within_term, case.inadmissible_grounds) == ("admissible", True, [])
    letter = build_letter_context(store, sec, case.ref, "nl")  # type: ignore[arg-type]
    assert letter.admissibility.route_end == "een vrijspraak"
    assert letter.admissibility.route_end_ground == "het ten laste gelegde is niet bewezen"
    assert letter.hearing is not None and letter.hearing.interpreter == "Yoruba"
    assert letter.hearing.report_sent_on == dt.date(2026, 6, 10)


def test_the_medical_exception_is_admissible_by_the_exception_with_its_statement(
        procedure_cases: tuple[object, dict[str, str]]) -> None:
    store, refs = procedure_cases
    sec = services.user_by_name(store, "secretary")  # type: ignore[arg-type]
    case = services.get_case(store, sec, refs["15-medical-exception"])  # type: ignore[arg-type]
    assert case.intake is not None
    assert (case.intake.route, case.intake.exception_ground, case.intake.exception_statement_on) == (
        "exception", "medical_psychological", dt.date(2026, 5, 20))
    assert case.intake.exploitation_in_nl == "partly_in_nl"  # partly in the Netherlands suffices
    assert (case.admissibility, case.within_term) == ("admissible", None)  # no term on the exception route
    for lang, ground in (("nl", "een medische of psychische beperking"),
                         ("en", "a medical or psychological limitation")):
        letter = build_letter_context(store, sec, case.ref, lang)  # type: ignore[arg-type]
        assert (letter.admissibility.exception_ground, letter.admissibility.exception_statement_on) == (
            ground, dt.date(2026, 5, 20))
    facts = {c.ref: c for c in _exact_cases(store)}  # type: ignore[arg-type]
    assert (facts[case.ref].exception_ground, facts[refs["14-acquittal-route"]].route_end_ground) == (
        "medical_psychological", "not_proven")
