"""Plausibility rules for the dates and people a case records, checked by the services so every way in (the
pages, the CLI import, a training case file) meets the same rules (issue #15).

Why these rules: a typing slip in a date (2031 for 2021, 1900 from a date field's default) would otherwise
go into the file, the deadlines and the letter as if it were a fact; a hearing "held with nobody" would be
cited in the letter. Each rule raises ValidationError naming the field, so a page shows it at the field.
"""

from __future__ import annotations

import datetime as dt

from .errors import Msg, ValidationError
from .i18n import N_, Day
from .model import Hearing, Intake

EARLIEST_BIRTH = dt.date(1900, 1, 1)  # the oldest date of birth a living applicant can have
# The earliest date of an event in a case (exploitation, report, dismissal, application, a chronology fact):
# art. 273f and its predecessor 250a date from the 1990s; a plausible adult's account reaches back decades.
EARLIEST_EVENT = dt.date(1950, 1, 1)
HEARING_QUORUM = 2  # a hearing is held by the panel: at least two of its members


def _day(d: dt.date) -> Day:
    """A date in a message, written in the message's language (never ISO or 22-12-2025 in running text)."""
    return Day(d)


def _not_future(on: dt.date | None, today: dt.date, field: str, what: str) -> None:
    if on is not None and on > today:
        raise ValidationError(N_("{what} ({date}) lies in the future"), what=Msg(what), date=_day(on), field=field)


def _window(on: dt.date | None, earliest: dt.date, field: str, what: str) -> None:
    if on is not None and on < earliest:
        raise ValidationError(N_("{what} ({date}) lies before {earliest}; check the year"), what=Msg(what),
                              date=_day(on), earliest=_day(earliest), field=field)


def check_intake(intake: Intake, today: dt.date) -> None:
    """Dates of an application: none in the future, events no earlier than EARLIEST_EVENT and not before
    the applicant's birth, and the police report not after the dismissal or acquittal that ended it."""
    birth = intake.applicant.date_of_birth
    _window(birth, EARLIEST_BIRTH, "date_of_birth", N_("The date of birth"))
    _not_future(birth, today, "date_of_birth", N_("The date of birth"))
    events = (("received_on", intake.received_on, N_("The date of receipt")),
              ("reported_on", intake.reported_on, N_("The date of the police report")),
              ("route_end_on", intake.route_end_on, N_("The date of dismissal or acquittal")),
              ("period_start", intake.period_start, N_("The start of the exploitation")),
              ("period_end", intake.period_end, N_("The end of the exploitation")))
    for field, on, what in events:
        _window(on, max(EARLIEST_EVENT, birth or EARLIEST_EVENT), field, what)
        _not_future(on, today, field, what)
    if intake.reported_on and intake.route_end_on and intake.reported_on > intake.route_end_on:
        raise ValidationError(N_("The police report lies after the dismissal or acquittal that ended it"),
                              field="reported_on")


def check_fact_date(on: dt.date, today: dt.date, birth: dt.date | None = None) -> None:
    """A chronology fact happened between today and the later of EARLIEST_EVENT and the applicant's birth."""
    _window(on, max(EARLIEST_EVENT, birth or EARLIEST_EVENT), "on", N_("The date of the fact"))
    _not_future(on, today, "on", N_("The date of the fact"))


def check_document_date(on: dt.date, today: dt.date) -> None:
    """A document was received between EARLIEST_EVENT and today."""
    _window(on, EARLIEST_EVENT, "received_on", N_("The date the document was received"))
    _not_future(on, today, "received_on", N_("The date the document was received"))


def check_hearing(hearing: Hearing, today: dt.date, *, quorum: int | None = None) -> None:
    """A hearing was held (not in the future) by at least `quorum` (default HEARING_QUORUM) panel members."""
    quorum = quorum or HEARING_QUORUM
    _not_future(hearing.held_on, today, "held_on", N_("The date of the hearing"))
    _window(hearing.held_on, EARLIEST_EVENT, "held_on", N_("The date of the hearing"))
    for field, on, what in (("report_sent_on", hearing.report_sent_on, N_("The date the report was sent")),
                            ("corrections_received_on", hearing.corrections_received_on,
                             N_("The date the corrections were received"))):
        _not_future(on, today, field, what)
    if len(set(hearing.members)) < quorum:
        raise ValidationError(N_("A hearing is held by at least {n} panel members; choose who were present"),
                              n=quorum, field="members")
    # (a hearing recorded before the language was asked for still opens; a new record names it)
    if hearing.interpreter and not hearing.interpreter_language:
        raise ValidationError(N_("Name the language the interpreter interpreted"), field="interpreter_language")
