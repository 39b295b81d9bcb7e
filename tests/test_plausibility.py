"""Plausibility rules for dates and people (issue #15), in the services, so the pages and the CLI import meet
the same rules. The cases are the issue's own: a police report dated 2031 (after the dismissal), a
chronology fact in 2035, a hearing saved with no members; a date typed as 01-01-1900."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessment import services
from assessment.errors import ValidationError
from assessment.model import Applicant, Hearing, Intake, User
from assessment.services.importing import DEMO_CASES
from assessment.store import Store
from tests.conftest import CaseBuilder


def intake(**changes: object) -> Intake:
    base: dict[str, object] = {"received_on": dt.date(2026, 3, 2), "route": "report", "route_end": "dismissal",
                               "route_end_on": dt.date(2026, 2, 16), "reported_on": dt.date(2025, 6, 1),
                               "form": "sexual"}
    return Intake.model_validate({**base, **changes})


@pytest.mark.parametrize(("changes", "field"), [
    ({"reported_on": dt.date(2031, 1, 5)}, "reported_on"),  # the report in 2031: in the future
    ({"reported_on": dt.date(2026, 2, 20)}, "reported_on"),  # after the dismissal of 16 Feb 2026
    ({"route_end_on": dt.date(1900, 1, 1), "reported_on": None}, "route_end_on"),  # a field's old default
    ({"received_on": dt.date(1900, 1, 1), "route": "exception", "route_end": None, "route_end_on": None,
      "reported_on": None, "applicant": Applicant(exception_reason="Angst")}, "received_on"),
    ({"period_start": dt.date(2035, 1, 1), "period_end": dt.date(2035, 2, 1)}, "period_start"),
    ({"applicant": Applicant(date_of_birth=dt.date(1890, 5, 1))}, "date_of_birth"),
    ({"applicant": Applicant(date_of_birth=dt.date(2000, 5, 1)), "period_start": dt.date(1999, 1, 1)},
     "period_start"),  # exploited before birth
])
def test_an_implausible_intake_date_is_refused_at_its_field(store: Store, users: dict[str, User],
                                                            changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_case(store, users["secretary"], intake(**changes))
    assert err.value.field == field
    assert services.list_cases(store, users["secretary"]) == []


def test_the_message_names_the_field_and_the_date_in_the_users_language(store: Store,
                                                                       users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_case(store, users["secretary"], intake(reported_on=dt.date(2031, 1, 5)))
    assert err.value.text("nl") == "De datum van de aangifte (5 januari 2031) ligt in de toekomst"
    assert err.value.text("en") == "The date of the police report (5 January 2031) lies in the future"


def test_a_plausible_intake_is_registered(store: Store, users: dict[str, User]) -> None:
    ref = services.create_case(store, users["secretary"], intake(
        reported_on=dt.date(2026, 2, 16), applicant=Applicant(date_of_birth=dt.date(1900, 1, 1))))
    assert services.get_case(store, users["secretary"], ref).intake == intake(  # the same day as the dismissal
        reported_on=dt.date(2026, 2, 16), applicant=Applicant(date_of_birth=dt.date(1900, 1, 1)))


def test_a_correction_of_the_intake_meets_the_same_rules(store: Store, users: dict[str, User],
                                                         make_case: CaseBuilder) -> None:
    ref = make_case(stage="intake")
    case = services.get_case(store, users["secretary"], ref)
    with pytest.raises(ValidationError) as err:
        services.update_intake(store, users["secretary"], ref, case.intake.model_copy(  # type: ignore[union-attr]
            update={"reported_on": dt.date(2031, 1, 5)}), case.version)
    assert err.value.field == "reported_on"


@pytest.mark.parametrize("on", [dt.date(2035, 1, 1), dt.date(1949, 12, 31)])
def test_a_chronology_fact_outside_a_sane_window_is_refused(store: Store, users: dict[str, User],
                                                            make_case: CaseBuilder, on: dt.date) -> None:
    ref = make_case()
    with pytest.raises(ValidationError) as err:
        services.add_chronology(store, users["secretary"], ref, on, "Aankomst in Nederland")
    assert err.value.field == "on"
    assert services.get_case(store, users["secretary"], ref).chronology == []


def test_a_hearing_needs_at_least_two_members(store: Store, users: dict[str, User], make_case: CaseBuilder) -> None:
    ref = make_case()
    for members in ([], ["police"], ["police", "police"]):
        with pytest.raises(ValidationError) as err:
            services.record_hearing(store, users["secretary"], ref, Hearing(
                held_on=dt.date(2026, 4, 1), members=members, interpreter=True))
        assert err.value.field == "members"
        assert err.value.text("nl") == "Een hoorzitting wordt gehouden door ten minste 2 panelleden; kies wie " \
                                       "aanwezig waren"
    with pytest.raises(ValidationError) as err:
        services.record_hearing(store, users["secretary"], ref, Hearing(
            held_on=dt.date(2031, 4, 1), members=["police", "care"]))
    assert err.value.field == "held_on"
    assert services.get_case(store, users["secretary"], ref).hearing is None
    services.record_hearing(store, users["secretary"], ref, Hearing(held_on=dt.date(2026, 4, 1),
                                                                    members=["police", "care"]))
    assert services.get_case(store, users["secretary"], ref).hearing is not None


def test_the_cli_import_meets_the_same_rules(store: Store, users: dict[str, User], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = (DEMO_CASES / "04-sexual-decided-positive.yaml").read_text()
    assert "  reported_on: 2025-03-04\n" in text
    bad = tmp_path / "report-2031.yaml"
    bad.write_text(text.replace("  reported_on: 2025-03-04\n", "  reported_on: 2031-03-04\n"))
    with pytest.raises(ValidationError) as err:
        services.import_case_file(store, users["secretary"], bad)
    assert err.value.field == "reported_on"
    assert services.list_cases(store, users["secretary"]) == []
