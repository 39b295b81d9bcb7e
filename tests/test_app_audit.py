# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The audit page: who did what when on one case, in words, filtered by person, action and period, read
through the services (audit.case: secretary and chair; payloads with special-category text withheld from
who may not read them), and the whole trail verified by whom audit.verify allows (issue #15).

Expected events are worked by hand from what the fixture does (tests/conftest.py `make_case`): the secretary
registers the case, records two consents, seats four members who each declare no conflict, and decides on
admissibility; then the police and medical members each save input once."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment import services
from assessment.errors import AccessDeniedError
from assessment.model import InputDraft, ObservationInput, User
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, open_app  # noqa: F401 (fixtures)

EXPECTED = [("secretary", "registered the application"), ("secretary", "recorded a consent"),
            ("secretary", "recorded a consent"),
            *[x for d in ("police", "care", "medical", "legal")
              for x in (("secretary", "seated a panel member"), (d, "declared no conflict of interest"))],
            ("secretary", "decided on admissibility"),
            ("police", "saved discipline input"), ("medical", "saved discipline input")]


@pytest.fixture
def audited(store: Store, users: dict[str, User], make_case: CaseBuilder) -> str:
    ref = make_case()
    for who in ("police", "medical"):
        draft = InputDraft(observations=[ObservationInput(indicator="coercion_destination.documents",
                                                          status="present", source=f"{who} bron")])
        services.save_input_draft(store, users[who], ref, draft, None)
    return ref


def test_the_chair_reads_who_did_what_in_words(audited: str, open_app: OpenApp) -> None:
    at = open_app("chair", "ui/audit.py", lang="en")
    assert [e.value for e in at.error] == []
    table = at.dataframe[0].value
    # each actor by the account's name (the demo accounts are named "Demo <Username>")
    assert list(zip(table["Who"], table["What"], strict=True)) == [(f"Demo {u.capitalize()}", w) for u, w in EXPECTED]
    assert not any("." in str(w) for w in table["What"])  # words, never a stored code such as case.create
    # a seat and a declaration name the discipline; the other events say it all in their words
    assert list(table["Concerns"])[3:5] == ["Criminal law and prosecution"] * 2
    assert [c.value for c in at.caption if "events" in str(c.value)] == [f"{len(EXPECTED)} of {len(EXPECTED)} events"]


def test_filter_by_person_and_by_action(audited: str, open_app: OpenApp) -> None:
    at = open_app("chair", "ui/audit.py", lang="en")
    at.selectbox(key=f"audit.actor.{audited}").set_value("police").run()
    table = at.dataframe[0].value
    assert list(table["What"]) == ["declared no conflict of interest", "saved discipline input"]
    at.selectbox(key=f"audit.actor.{audited}").select_index(0).run()  # everyone again
    at.selectbox(key=f"audit.action.{audited}").set_value("consent.record").run()
    assert list(at.dataframe[0].value["Who"]) == ["Demo Secretary", "Demo Secretary"]


def test_a_period_without_events_shows_none(audited: str, open_app: OpenApp) -> None:
    at = open_app("chair", "ui/audit.py", lang="nl")
    at.date_input(key=f"audit.period.{audited}").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    assert not at.dataframe
    assert "Geen gebeurtenissen" in " ".join(str(i.value) for i in at.info)


def test_the_dutch_page_speaks_dutch(audited: str, open_app: OpenApp) -> None:
    at = open_app("chair", "ui/audit.py", lang="nl")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Wanneer", "Wie", "Wat", "Betreft", "Reden"]
    assert table["Wat"][0] == "heeft de aanvraag geregistreerd"


def test_access_is_enforced_in_the_service(audited: str, store: Store, users: dict[str, User]) -> None:
    for who in ("police", "evaluator", "admin", "trainer"):
        with pytest.raises(AccessDeniedError):
            services.audit_trail(store, users[who], audited)
    # the secretary may read the trail but not the medical member's text: that event keeps its place, withheld
    sec = services.audit_trail(store, users["secretary"], audited, action="input.save")
    chair = services.audit_trail(store, users["chair"], audited, action="input.save")
    assert [(e.actor, e.withheld) for e in sec] == [("police", False), ("medical", True)]
    assert [(e.actor, e.withheld) for e in chair] == [("police", False), ("medical", False)]


def test_only_who_may_verify_sees_the_check(audited: str, open_app: OpenApp) -> None:
    at = open_app("chair", "ui/audit.py", lang="en")
    at.button(key="audit.verify").click().run()
    assert [s.value for s in at.success if "holds" in str(s.value)]
    sec = open_app("secretary", "ui/audit.py", lang="en")
    assert not [b for b in sec.button if b.key == "audit.verify"]


def test_the_administrator_checks_the_trail_on_the_administration_page(audited: str, open_app: OpenApp) -> None:
    at = open_app("admin", "ui/admin.py", lang="nl")
    at.button(key="audit.verify").click().run()
    assert [s.value for s in at.success if "Het logboek is intact" in str(s.value)]


def test_another_case_starts_with_its_own_whole_period(audited: str, open_app: OpenApp, make_case: CaseBuilder) -> None:
    other = make_case(stage="intake")
    at = open_app("chair", "ui/audit.py", lang="en")
    at.selectbox(key="pick.audit").set_value(audited).run()
    at.date_input(key=f"audit.period.{audited}").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    assert not at.dataframe
    at.selectbox(key="pick.audit").set_value(other).run()
    assert list(at.dataframe[0].value["What"]) == ["registered the application"]
