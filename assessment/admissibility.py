"""The requirements of admissibility (Stcrt. 2017, 74288; domain.md section 1), checked on an intake.

An application is admissible when the exploitation (or a preparatory act) took place, at least partly, in the
Netherlands, and either
- the person reported to the police and the case ended in a dismissal (sepot) or an acquittal, and the
  application came within four weeks of that decision (`Settings.application_term_days`); or
- the exception: the person could not or would not report because of serious threats, or because of a medical
  or psychological limitation supported by a statement.

`unmet` names the requirements an intake does not meet (the grounds an inadmissible decision states);
`undetermined` names the facts still to be recorded before admissibility can be decided either way.
"""

from __future__ import annotations

from .model import InadmissibleGround, Intake


def unmet(intake: Intake, within_term: bool | None) -> list[InadmissibleGround]:
    """The requirements this intake does not meet, in the order of INADMISSIBLE_GROUNDS."""
    out: list[InadmissibleGround] = []
    if intake.exploitation_in_nl == "not_in_nl":
        out.append("not_in_nl")
    if intake.route == "report":
        if intake.route_end is None or intake.route_end_on is None:
            out.append("no_report")
        elif within_term is False:
            out.append("late")
    else:
        if intake.exception_ground is None:
            out.append("no_exception_ground")
        elif intake.exception_ground == "medical_psychological" and intake.exception_statement_on is None:
            out.append("no_statement")
    return out


def undetermined(intake: Intake) -> list[str]:
    """The intake fields still unknown that admissibility depends on (field names, for a message at the field)."""
    return ["exploitation_in_nl"] if intake.exploitation_in_nl == "unknown" else []
