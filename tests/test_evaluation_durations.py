"""Days per step between recorded events (issue #16), against a timeline worked out by hand; and "file
complete" is the day the secretary marked it, never the day deliberation opened."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, LifecycleError, ValidationError
from assessment.evaluation.disclosure import DEFAULT_RULE, DisclosureRule
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import STEPS, stage_durations, step_days
from assessment.model import Hearing
from assessment.services.evaluation import _columns  # the exact facts, inside the services
from assessment.store import Store

OPEN = DisclosureRule(threshold=0, min_denominator=0)
D = dt.date

# Three cases, their events on the calendar (2026 is not a leap year):
#   A  received 5 Jan, admissible 12 Jan, file complete 2 Feb, hearing 16 Feb, deliberation 2 Mar,
#      advice 9 Mar, letter 13 Mar
#   B  received 10 Jan, admissible 30 Jan, file complete 20 Feb, no hearing, deliberation 6 Mar,
#      advice 27 Mar, letter 7 Apr
#   C  received 1 Feb, inadmissible 5 Feb
TIMELINE = [
    CaseFacts(key="A", received=D(2026, 1, 5), admissibility_decided=D(2026, 1, 12), file_complete=D(2026, 2, 2),
              hearing=D(2026, 2, 16), deliberation=D(2026, 3, 2), decided=D(2026, 3, 9), letter=D(2026, 3, 13),
              status="letter_issued", form="sexual", route="report_dismissal", panel_outcome="plausible"),
    CaseFacts(key="B", received=D(2026, 1, 10), admissibility_decided=D(2026, 1, 30), file_complete=D(2026, 2, 20),
              deliberation=D(2026, 3, 6), decided=D(2026, 3, 27), letter=D(2026, 4, 7),
              status="letter_issued", form="labour", route="exception", panel_outcome="not_plausible"),
    CaseFacts(key="C", received=D(2026, 2, 1), admissibility_decided=D(2026, 2, 5), status="inadmissible",
              form="sexual", route="report_dismissal"),
]
# Counted on the calendar above: the days of each step, per case that recorded both its events.
#   admissibility    A 7,  B 20, C 4      (term 14: B is longer)
#   file complete    A 21 (12 Jan - 2 Feb), B 21 (30 Jan - 20 Feb)
#   hearing          A 14
#   to deliberation  A 14 (16 Feb - 2 Mar)
#   assessment       A 49 (12 Jan - 2 Mar), B 35 (30 Jan - 6 Mar)   (term 42: A is longer)
#   decision         A 7,  B 21           (term 14: B)
#   letter           A 4,  B 11 (27 Mar - 7 Apr)   (term 7: B)
# Median and 90th percentile (linear between order statistics): [4, 7, 20] -> 7 and 7 + 0.8 * 13 = 17.4;
# [35, 49] -> 42 and 35 + 0.9 * 14 = 47.6; [7, 21] -> 14 and 19.6; [4, 11] -> 7.5 and 10.3.
EXPECTED = {
    # step: (cases, median, p90, term, longer than the term)
    "admissibility": (3, 7.0, 17.4, 14, 1),
    "file_complete": (2, 21.0, 21.0, None, None),
    "hearing": (1, 14.0, 14.0, None, None),
    "to_deliberation": (1, 14.0, 14.0, None, None),
    "assessment": (2, 42.0, 47.6, 42, 1),
    "decision": (2, 14.0, 19.6, 14, 1),
    "letter": (2, 7.5, 10.3, 7, 1),
}


def test_days_per_step_are_those_of_the_hand_worked_timeline() -> None:
    table = stage_durations(TIMELINE, OPEN)
    got = {r.id: tuple(c.value for c in r.cells) for r in table.rows}
    assert got.keys() == EXPECTED.keys()
    for step, (n, median, p90, term, late) in EXPECTED.items():
        g = got[step]
        assert (g[0], g[3], g[4]) == (n, term, late), step
        assert g[1] == pytest.approx(median) and g[2] == pytest.approx(p90), step


def test_the_terms_follow_the_settings_and_small_counts_are_hidden() -> None:
    table = stage_durations(TIMELINE, OPEN, {"admissibility": 5, "decision": 20, "letter": 7, "assessment": 50})
    cells = {r.id: [c.value for c in r.cells] for r in table.rows}
    assert (cells["admissibility"][3:], cells["decision"][3:], cells["assessment"][3:]) == ([5, 2], [20, 1], [50, 0])
    protected = stage_durations(TIMELINE, DEFAULT_RULE)  # 3 cases and fewer: below the threshold of 10
    assert all(r.cells[0].hidden and r.cells[1].value is None for r in protected.rows)


# --- the recorded events, through the services ------------------------------------------------------------

def test_file_complete_is_the_day_the_secretary_marked_it(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    secretary, chair = users["secretary"], users["chair"]
    ref = make_case(stage="intake", received_on=D(2026, 3, 2))
    for d in ("police", "care", "legal"):
        services.assign_panel(store, secretary, ref, d, d)
        services.declare_no_conflict(store, users[d], ref, d)
    v = services.get_case(store, secretary, ref).version
    v = services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.", v, on=D(2026, 3, 9))
    with pytest.raises(ValidationError):  # before the admissibility decision
        services.mark_file_complete(store, secretary, ref, v, on=D(2026, 3, 8))
    with pytest.raises(AccessDeniedError):  # a member does not mark the file
        services.mark_file_complete(store, users["police"], ref, v, on=D(2026, 3, 30))
    v = services.mark_file_complete(store, secretary, ref, v, on=D(2026, 3, 30))
    with pytest.raises(ValidationError):  # once
        services.mark_file_complete(store, secretary, ref, v, on=D(2026, 3, 31))
    services.record_hearing(store, secretary, ref, Hearing(held_on=D(2026, 4, 14), members=["police", "legal"],
                                                           report_sent_on=D(2026, 4, 16),
                                                           corrections_received_on=D(2026, 4, 23)))
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)

    case = services.get_case(store, chair, ref)
    assert case.file_complete_on == D(2026, 3, 30)  # not the day deliberation opened
    actions = [e["action"] for e in services.case_audit(store, chair, ref)]
    assert actions.count("file.complete") == 1

    cols, _ = _columns(store)
    by_step = {s.id: step_days(cols, s).tolist() for s in STEPS}
    # 9 Mar - 30 Mar = 21 days; 30 Mar - 14 Apr = 15 days; 2 Mar - 9 Mar = 7 days.
    assert (by_step["admissibility"], by_step["file_complete"], by_step["hearing"]) == ([7], [21], [15])


def test_file_complete_is_refused_outside_assessment(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    v = services.get_case(store, users["secretary"], ref).version
    with pytest.raises(LifecycleError):
        services.mark_file_complete(store, users["secretary"], ref, v)
