# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The Cases screen shows each user what waits for them ("Mijn taken"), overdue first, and opens the screen
where the step is done in one click; the overview names each case's next step and who takes it. What waits
is worked by hand from the procedure (tests/test_tasks.py holds the service's own cases)."""

from __future__ import annotations

import datetime as dt

from assessment import services
from assessment.model import InputDraft, User
from assessment.rubric import Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, open_app, texts  # noqa: F401

TODAY = dt.date.today()


def test_a_member_sees_their_seat_and_opens_it_in_one_click(
        open_app: OpenApp, store: Store, users: dict[str, User], make_case: CaseBuilder, mini_rubric: Rubric) -> None:
    ref = make_case()
    other = make_case(panel=("care", "legal", "medical"))  # police is not on this panel
    services.save_input_draft(store, users["care"], ref, InputDraft(), None, rubric=mini_rubric)
    at = open_app("police", "ui/cases.py")
    page = texts(at)
    assert "Mijn taken" in page and f"**{ref}** · Inbreng geven" in page
    assert other not in page
    table = at.dataframe[0].value
    row = table[table["Dossiernummer"] == ref].iloc[0]
    assert "Zorg en opvang: concept" in row["Leden"] and "nog geen inbreng" in row["Leden"]
    assert row["Volgende stap"] == "Inbreng indienen · Demo Care (Zorg en opvang)"  # seats by discipline
    at.button(key="cases.task.0.open").click().run()
    assert not at.exception
    assert "Inbreng discipline" in [t.value for t in at.title]
    assert at.session_state["case.current"] == ref


def test_the_secretary_sees_the_overdue_intake_first_and_opens_its_tab(
        open_app: OpenApp, make_case: CaseBuilder) -> None:
    fresh = make_case("intake", received_on=TODAY, route_end_on=TODAY - dt.timedelta(days=3))
    late = make_case("intake", received_on=TODAY - dt.timedelta(days=20), route_end_on=TODAY - dt.timedelta(days=25))
    at = open_app("secretary", "ui/cases.py", lang="en")
    steps = [m.value for m in at.markdown if "Decide on admissibility" in str(m.value)]
    assert steps == [f"**{late}** · Decide on admissibility", f"**{fresh}** · Decide on admissibility"]
    assert any("overdue since" in str(m.value) for m in at.markdown)
    at.button(key="cases.task.0.open").click().run()
    assert not at.exception
    assert "Intake & admissibility" in [t.value for t in at.title]
    assert late in str(at.selectbox(key="intake.case").value)


def test_nothing_waiting_is_said_so(open_app: OpenApp) -> None:
    at = open_app("chair", "ui/cases.py")
    assert "Er wacht niets op u." in texts(at)
