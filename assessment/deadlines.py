"""Stage deadlines: the one definition of what "due" and "overdue" mean, for the Cases screen and the
evaluators' figures alike.

A case moves through four stages. Each stage opens with an event, closes with another, and has a term in
days counted from the day it opened; it is overdue when it is still open more than that many days later.

| stage         | opens when                    | closes when                                | days |
|---------------|-------------------------------|--------------------------------------------|------|
| admissibility | the application is received   | admissibility is decided (or it is withdrawn) | 14 |
| assessment    | the application is admissible | deliberation is opened                     | 42   |
| decision      | deliberation is opened        | the panel decides                          | 14   |
| letter        | the panel decides             | the letter is issued                       | 7    |

Where the terms come from: the pilot's regulation (Tijdelijke regeling, Stcrt. 2017, 74288) sets no
processing terms of its own (only the applicant's 4 weeks after dismissal, `Settings.application_term_days`).
The four terms are this tool's defaults, not a legal requirement: together an advice is due 11 weeks after
receipt (14 + 42 + 14 + 7 = 77 days). They are settings (`Settings.deadlines`): a deployment with other
agreements changes them there, and the Cases screen and the evaluators' figures follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .model import Deadline, DeadlineState

Stage = Literal["admissibility", "assessment", "decision", "letter"]
# The events a case's dates record, in the order they normally happen.
# `admissibility_decided` is the decision either way (or the withdrawal before it); `admissible` the same
# day when the application was admissible, so only an admissible case opens the assessment stage.
Event = Literal["received", "admissibility_decided", "admissible", "deliberation", "decided", "letter"]
EVENTS: tuple[Event, ...] = ("received", "admissibility_decided", "admissible", "deliberation", "decided", "letter")


@dataclass(frozen=True)
class StageTerm:
    """One stage: the event that opens it, the event that closes it, and its default term in days."""

    stage: Stage
    opens: Event
    closes: Event
    days: int


STAGES: tuple[StageTerm, ...] = (
    StageTerm("admissibility", opens="received", closes="admissibility_decided", days=14),
    StageTerm("assessment", opens="admissible", closes="deliberation", days=42),
    StageTerm("decision", opens="deliberation", closes="decided", days=14),
    StageTerm("letter", opens="decided", closes="letter", days=7),
)
STAGE_IDS: tuple[Stage, ...] = tuple(s.stage for s in STAGES)
DEFAULT_DEADLINES: dict[str, int] = {s.stage: s.days for s in STAGES}


def closing_events(stage: StageTerm) -> tuple[Event, ...]:
    """The events that close a stage: its own, and every later one (a case decided without a recorded
    opening of deliberation has left the assessment stage all the same). The first that happened counts."""
    return EVENTS[EVENTS.index(stage.closes) :]


def stage_deadlines(
    events: dict[Event, dt.date | None],
    on: dt.date,
    terms: Mapping[str, int] = DEFAULT_DEADLINES,
    *,
    closed: bool = False,
) -> list[Deadline]:
    """The deadline of every stage that has opened by `on`: met, met late, due or overdue on that day.

    `events` holds the date of each event that happened (see `Event`). A `closed` case (withdrawn,
    inadmissible) has no stage still running: an open stage of it is left out. Events after `on` had not
    happened yet on that day, so the state can be taken on any past date as well as today. A stage
    missing from `terms` has no deadline."""
    out = []
    for s in STAGES:
        opened = events.get(s.opens)
        if opened is None or opened > on or s.stage not in terms:
            continue
        due = opened + dt.timedelta(days=terms[s.stage])
        done = min((d for e in closing_events(s) if (d := events.get(e)) is not None and d <= on), default=None)
        if done is None and closed:
            continue
        state: DeadlineState
        if done is not None:  # noqa: SIM108 (two readable cases beat one nested ternary)
            state = "met" if done <= due else "met_late"
        else:
            state = "due" if on <= due else "overdue"
        out.append(Deadline(stage=s.stage, opened_on=opened, due_on=due, state=state))
    return out
