"""The procedure's facts in the figures (issue #16): who filed, the ground of an exception, the residence
status, the hearing and its interpreter; counted by hand on six cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessment.evaluation.disclosure import DisclosureRule, Table
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import exception_grounds, hearings, intake_by_filing_party, outcomes

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
