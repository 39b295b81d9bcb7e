"""The procedure's facts in the figures (issue #16): who filed, the ground of an exception, the residence
status, the hearing and its interpreter; counted by hand on six cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessment.evaluation.disclosure import DisclosureRule, Table
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import (
    admissibility,
    exception_grounds,
    funnel,
    hearings,
    inadmissibility_grounds,
    intake_by_filing_party,
    intake_by_route,
    outcomes,
    withdrawals,
)

OPEN = DisclosureRule(threshold=0, min_denominator=0)
R = dt.date(2026, 1, 5)
DECIDED: dict[str, Any] = {"decided": dt.date(2026, 3, 1), "form": "sexual"}

CASES = [
    CaseFacts(key="P1", received=R, status="letter_issued", letter=dt.date(2026, 3, 5), route="report_dismissal",
              panel_outcome="plausible", filing_party="lawyer", residence_status="b8_permit", hearing=R,
              hearing_interpreter=True, **DECIDED),
    CaseFacts(key="P2", received=R, status="decided", route="exception", exception_ground="serious_threats",
              panel_outcome="not_plausible", filing_party="care_provider", residence_status="asylum_pending",
              hearing=R, hearing_interpreter=False, **DECIDED),
    CaseFacts(key="P3", received=R, status="inadmissible", route="exception", exception_ground="medical_psychological",
              form="labour", filing_party="lawyer", residence_status="none"),
    CaseFacts(key="P4", received=R, status="withdrawn", route="exception", form="sexual", filing_party="ngo"),
    CaseFacts(key="P5", received=R, status="received", route="report_dismissal", form="sexual", filing_party="lawyer",
              residence_status="b8_permit"),
    CaseFacts(key="P6", received=R, status="decided", route="report_dismissal", panel_outcome="plausible",
              residence_status="b8_permit", **DECIDED),
]


def cells(table: Table) -> dict[tuple[str, str], Any]:
    return {(r.id, c.id): cell.value for r in table.rows for c, cell in zip(table.columns, r.cells, strict=True)
            if cell.value and c.id != "percent"}


def test_applications_by_filing_party() -> None:
    assert cells(intake_by_filing_party(CASES, OPEN)) == {
        ("lawyer", "inadmissible"): 1, ("lawyer", "in_progress"): 1, ("lawyer", "advice_issued"): 1,
        ("lawyer", "total"): 3,
        ("care_provider", "advice_issued"): 1, ("care_provider", "total"): 1,
        ("ngo", "withdrawn"): 1, ("ngo", "total"): 1,
        ("not_recorded", "advice_issued"): 1, ("not_recorded", "total"): 1,
        ("total", "inadmissible"): 1, ("total", "withdrawn"): 1, ("total", "in_progress"): 1,
        ("total", "advice_issued"): 3, ("total", "total"): 6,
    }


def test_the_exception_route_by_ground() -> None:
    assert cells(exception_grounds(CASES, OPEN)) == {
        ("serious_threats", "advice_issued"): 1, ("serious_threats", "total"): 1,
        ("medical_psychological", "inadmissible"): 1, ("medical_psychological", "total"): 1,
        ("not_recorded", "withdrawn"): 1, ("not_recorded", "total"): 1,
        ("total", "inadmissible"): 1, ("total", "withdrawn"): 1, ("total", "advice_issued"): 1, ("total", "total"): 3,
    }


def test_hearings_and_interpreters_of_decided_cases() -> None:
    assert cells(hearings(CASES, OPEN)) == {
        ("with_interpreter", "plausible"): 1, ("with_interpreter", "total"): 1,
        ("without_interpreter", "not_plausible"): 1, ("without_interpreter", "total"): 1,
        ("no_hearing", "plausible"): 1, ("no_hearing", "total"): 1,
        ("total", "plausible"): 2, ("total", "not_plausible"): 1, ("total", "total"): 3,
    }


def test_outcome_by_residence_status() -> None:
    got = cells(outcomes(CASES, "residence_status", OPEN))
    assert {k: v for k, v in got.items() if k[1] != "total"} == {
        ("b8_permit", "plausible"): 2, ("asylum_pending", "not_plausible"): 1,
        ("total", "plausible"): 2, ("total", "not_plausible"): 1,
    }


# Three more cases for the admissibility chapter and withdrawals: P7 inadmissible on two grounds, P8
# inadmissible without a recorded ground, P9 withdrawn after the file was complete.
MORE = [
    CaseFacts(key="P7", received=R, status="inadmissible", route="report_dismissal", form="sexual",
              admissibility_decided=dt.date(2026, 1, 20), inadmissible_grounds=("not_in_nl", "late")),
    CaseFacts(key="P8", received=R, status="inadmissible", route="report_dismissal", form="sexual",
              admissibility_decided=dt.date(2026, 1, 21)),
    CaseFacts(key="P9", received=R, status="withdrawn", route="report_dismissal", form="labour",
              admissibility_decided=dt.date(2026, 1, 15), file_complete=dt.date(2026, 2, 1)),
]


def test_applications_by_route_and_admissibility() -> None:
    # Admissible: P9 by its decision date, P1, P2 and P6 by having been decided on the merits; not decided:
    # P5 (still at intake) and P4 (withdrawn before a decision).
    assert cells(intake_by_route(CASES + MORE, OPEN))[("report_dismissal", "total")] == 6
    assert cells(admissibility(CASES + MORE, OPEN)) == {
        ("report_dismissal", "admissible"): 3, ("report_dismissal", "inadmissible"): 2,
        ("report_dismissal", "not_decided"): 1, ("report_dismissal", "total"): 6,
        ("exception", "admissible"): 1, ("exception", "inadmissible"): 1, ("exception", "not_decided"): 1,
        ("exception", "total"): 3,
        ("total", "admissible"): 4, ("total", "inadmissible"): 3, ("total", "not_decided"): 2, ("total", "total"): 9,
    }


def test_inadmissible_applications_by_the_requirement_not_met() -> None:
    # P7 counts under both its grounds; P3 and P8 recorded none.
    table = inadmissibility_grounds(CASES + MORE, OPEN)
    assert cells(table) == {
        ("not_in_nl", "report_dismissal"): 1, ("late", "report_dismissal"): 1,
        ("not_recorded", "report_dismissal"): 1, ("not_recorded", "exception"): 1,
    }
    assert not any(r.total for r in table.rows) and [c.id for c in table.columns] == ["report_dismissal", "exception"]
    assert table.rows[0].label.text("nl").startswith("De uitbuiting")


def test_withdrawals_are_the_intake_s_withdrawn_column() -> None:
    # P4 and P9 withdrawn of the nine received, all in the first quarter of 2026.
    table = withdrawals(funnel(CASES + MORE, OPEN))
    assert cells(table) == {("2026-Q1", "withdrawn"): 2, ("2026-Q1", "total"): 9,
                            ("total", "withdrawn"): 2, ("total", "total"): 9}
    assert table.rows[0].label.text("nl") == "1e kwartaal 2026"
