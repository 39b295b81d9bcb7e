"""The case overview and "My tasks" (assessment/services/tasks.py). The expectations are worked by hand from
the panel's procedure in docs/domain (intake -> admissibility by the secretary; seated members declare, give
and submit input; the chair opens deliberation once the quorum of three seats submitted, records the decision
and issues the letter; the hearing is optional) and from the stage terms of assessment/deadlines.py (an
application not decided on admissible within 14 days of receipt is overdue)."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment import services
from assessment.errors import AccessDeniedError
from assessment.model import InputDraft, ObservationInput, User
from assessment.rubric import Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder

TODAY = dt.date.today()


def tasks(store: Store, user: User) -> list[tuple[str, str]]:
    return [(t.ref, t.step.step) for t in services.my_tasks(store, user)]


def submit(store: Store, user: User, ref: str, rubric: Rubric) -> None:
    draft = InputDraft(observations=[ObservationInput(indicator="recruitment.s1", status="present")])
    v = services.save_input_draft(store, user, ref, draft, None, rubric=rubric)
    services.submit_input(store, user, ref, v)


def test_each_role_sees_what_waits_for_it_overdue_first(
        store: Store, users: dict[str, User], make_case: CaseBuilder, mini_rubric: Rubric) -> None:
    late = make_case("intake", received_on=TODAY - dt.timedelta(days=20), route_end_on=TODAY - dt.timedelta(days=25))
    fresh = make_case("intake", received_on=TODAY, route_end_on=TODAY - dt.timedelta(days=3))
    busy = make_case()  # police, care, medical, legal seated and declared; consents given
    # the later-received intake is due in 14 days, the late one 6 days overdue: the late one first
    # the admitted case waits for the secretary's "file complete" (its assessment stage is due in 42 days)
    assert tasks(store, users["secretary"]) == [(late, "admissibility"), (fresh, "admissibility"),
                                                (busy, "file_complete")]
    assert services.my_tasks(store, users["secretary"])[0].overdue
    assert tasks(store, users["police"]) == [(busy, "input")]
    assert tasks(store, users["chair"]) == []

    services.save_input_draft(store, users["police"], busy, InputDraft(), None, rubric=mini_rubric)
    assert tasks(store, users["police"]) == [(busy, "submit")]
    overview = {c.summary.ref: c for c in services.case_overview(store, users["chair"])}
    assert {m.discipline: m.state for m in overview[busy].members} == {
        "police": "draft", "care": "none", "medical": "none", "legal": "none"}
    assert [(s.step, s.username) for s in overview[busy].steps] == [  # seats by discipline
        ("input", "care"), ("input", "legal"), ("input", "medical"), ("submit", "police"), ("file_complete", None)]

    for who in ("care", "legal", "medical"):
        submit(store, users[who], busy, mini_rubric)
    assert tasks(store, users["chair"]) == [(busy, "open_deliberation")]  # three seats submitted: the quorum
    assert tasks(store, users["care"]) == []
    services.open_deliberation(store, users["chair"], busy, services.get_case(store, users["chair"], busy).version)
    assert tasks(store, users["chair"]) == [(busy, "decision")]
    assert tasks(store, users["police"]) == [(busy, "submit")]  # a draft may still be submitted in deliberation


def test_a_member_sees_only_their_own_seats_and_first_the_declaration(
        store: Store, users: dict[str, User], make_case: CaseBuilder) -> None:
    ref = make_case(panel=("police", "care", "legal"))
    services.assign_panel(store, users["secretary"], ref, "medical", "medical2")  # not yet declared
    assert tasks(store, users["medical2"]) == [(ref, "declare")]
    # before declaring, nothing of the panel's progress: only their own seat
    (mine,) = services.case_overview(store, users["medical2"])
    assert [(m.username, m.state) for m in mine.members] == [("medical2", "undeclared")]
    assert [s.step for s in mine.steps] == ["declare"]
    assert tasks(store, users["medical"]) == []  # not on this panel
    assert services.case_overview(store, users["medical"]) == []


def test_a_revoked_consent_is_the_secretarys_step(
        store: Store, users: dict[str, User], make_case: CaseBuilder) -> None:
    ref = make_case()
    case = services.get_case(store, users["secretary"], ref)
    medical = next(c for c in case.consents if c.scope == "medical")
    services.revoke_consent(store, users["secretary"], ref, medical.id, "Ingetrokken door aanvrager.", medical.version)
    assert (ref, "consent") in tasks(store, users["secretary"])


def test_listing_needs_the_right_to_list_cases(store: Store, users: dict[str, User]) -> None:
    with pytest.raises(AccessDeniedError):
        services.my_tasks(store, users["evaluator"])


def test_every_step_has_a_name_in_both_languages_a_screen_a_role_and_an_action() -> None:
    from typing import get_args

    from assessment.services.tasks import STEP_ACTION, STEP_ROLE, StepId
    from ui.navigation import SCREENS, STEP_SCREEN

    steps = set(get_args(StepId))
    assert set(services.label_options("step")) == steps == set(STEP_SCREEN) == set(STEP_ROLE) == set(STEP_ACTION)
    assert set(STEP_SCREEN.values()) <= {s.path for s in SCREENS}
    for step in steps:  # a Dutch name of its own, not the English id
        assert services.label("step", step, "nl") not in (step, services.label("step", step, "en"))
