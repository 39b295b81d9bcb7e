"""Stage deadlines, one definition for the Cases screen and the evaluators' figures. Expectations are
worked by hand from the table in `assessment/deadlines.py` (14 / 42 / 14 / 7 days from the opening event)."""

from __future__ import annotations

from datetime import date

from assessment.config import Settings
from assessment.deadlines import DEFAULT_DEADLINES, stage_deadlines
from assessment.evaluation.disclosure import DisclosureRule
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import compute_all


def states(events, on, **kw):  # type: ignore[no-untyped-def]
    return [(d.stage, d.due_on, d.state) for d in stage_deadlines(events, on, **kw)]


def test_the_documented_terms_are_the_settings_default() -> None:
    assert DEFAULT_DEADLINES == {"admissibility": 14, "assessment": 42, "decision": 14, "letter": 7}
    assert Settings().deadlines == DEFAULT_DEADLINES


def test_a_stage_is_due_then_overdue_the_day_after_its_term() -> None:
    events = {"received": date(2026, 3, 2)}
    assert states(events, date(2026, 3, 16)) == [("admissibility", date(2026, 3, 16), "due")]
    assert states(events, date(2026, 3, 17)) == [("admissibility", date(2026, 3, 16), "overdue")]


def test_met_met_late_and_the_next_stage_opened_by_admissibility() -> None:
    events = {"received": date(2026, 3, 2), "admissibility_decided": date(2026, 3, 10), "admissible": date(2026, 3, 10)}
    assert states(events, date(2026, 3, 20)) == [
        ("admissibility", date(2026, 3, 16), "met"),
        ("assessment", date(2026, 4, 21), "due"),
    ]
    late = {**events, "admissibility_decided": date(2026, 3, 20), "admissible": None}  # inadmissible, late
    assert states(late, date(2026, 5, 1), closed=True) == [("admissibility", date(2026, 3, 16), "met_late")]


def test_a_later_event_closes_a_stage_whose_own_event_was_not_recorded() -> None:
    events = {"received": date(2026, 1, 1), "admissibility_decided": date(2026, 1, 5), "admissible": date(2026, 1, 5),
              "decided": date(2026, 3, 1)}  # fmt: skip
    assert states(events, date(2026, 3, 10)) == [
        ("admissibility", date(2026, 1, 15), "met"),
        ("assessment", date(2026, 2, 16), "met_late"),  # closed by the decision of 1 March
        ("letter", date(2026, 3, 8), "overdue"),
    ]
    # On a past day the later events had not happened yet.
    assert states(events, date(2026, 1, 10)) == [
        ("admissibility", date(2026, 1, 15), "met"),
        ("assessment", date(2026, 2, 16), "due"),
    ]


def test_a_closed_case_has_no_running_stage_and_a_missing_term_no_deadline() -> None:
    assert states({"received": date(2026, 1, 1)}, date(2026, 6, 1), closed=True) == []
    assert states({"received": date(2026, 1, 1)}, date(2026, 6, 1), terms={"letter": 7}) == []


def test_a_report_period_ending_in_the_future_counts_overdue_cases_today() -> None:
    # Received 1 Jan 2018, nothing since: overdue for admissibility since 16 Jan 2018, on any later day.
    # A second case's letter is due 8 Mar 2018 and issued 20 Mar 2018: overdue only between those days.
    cases = [
        CaseFacts(key="A", received=date(2018, 1, 1), status="received", form="sexual", route="exception"),
        CaseFacts(key="B", received=date(2018, 1, 1), admissibility_decided=date(2018, 1, 5), decided=date(2018, 3, 1),
                  letter=date(2018, 3, 20), status="letter_issued", form="sexual", route="exception",
                  panel_outcome="plausible"),
    ]  # fmt: skip
    metrics = compute_all(cases, end=date(2030, 12, 31), today=date(2018, 3, 10))
    assert metrics.as_of == date(2018, 3, 10)
    # Counts under the disclosure threshold are hidden, so take them with an open rule.
    open_rule = DisclosureRule(threshold=0, min_denominator=0)
    rows = {r.id: r.cells[0].value for r in compute_all(cases, open_rule, end=date(2030, 12, 31),
                                                          today=date(2018, 3, 10)).table("overdue").rows}  # fmt: skip
    assert rows == {"admissibility": 1, "assessment": 0, "decision": 0, "letter": 1, "total": 2}
    later = compute_all(cases, open_rule, end=date(2030, 12, 31), today=date(2018, 4, 1)).table("overdue")
    assert {r.id: r.cells[0].value for r in later.rows}["letter"] == 0
    assert "maart 2018" in metrics.table("overdue").title.text("nl")
