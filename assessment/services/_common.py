"""Helpers the service modules share: finding a case with its access scope, and small checks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .. import age
from ..access import CaseScope, needs_declaration, require
from ..errors import DeclarationNeededError, LifecycleError, Msg, NotFoundError, ValidationError
from ..i18n import N_
from ..model import LONG_MAX, REF_PATTERN, User
from ..queries import case_parts as parts
from ..queries import cases as case_records
from ..store import Tx
from ..vocabulary import Term, Terms

MAX_TEXT = LONG_MAX  # model.LongText


def today() -> dt.date:
    """Today's date (UTC), the default date of anything recorded now."""
    return dt.datetime.now(dt.UTC).date()


def load_case(tx: Tx, ref: str) -> dict[str, Any]:
    """The case row with this reference, or NotFoundError."""
    if not REF_PATTERN.match(ref):
        raise ValidationError(N_("'{ref}' is not a case reference (AAN-yyyy-nnnn, or TRN-yyyy-nnnn in the training "
                                 "space)"), ref=ref, field="ref")
    row = case_records.by_ref(tx, ref)
    if row is None:
        raise NotFoundError(N_("Case {ref} does not exist"), ref=ref)
    return row


def scope(tx: Tx, row: dict[str, Any]) -> CaseScope:
    """The access scope of a case row: its space and its panel."""
    seats = {s["discipline"]: s["username"] for s in parts.seats(tx, row["id"])}
    return CaseScope(ref=row["ref"], space=row["space"], panel=seats)


def case_for(tx: Tx, user: User, ref: str, action: str) -> dict[str, Any]:
    """Load a case and check `action` on it for `user`; the one entry point of every case service."""
    row = load_case(tx, ref)
    require(user, action, scope(tx, row))
    if needs_declaration(user, action):
        seat = next((s for s in parts.seats(tx, row["id"]) if s["username"] == user.username), None)
        if seat is None or not seat["coi_declared_on"]:
            raise DeclarationNeededError(
                N_("First declare (on the Input screen) that you have no conflict of interest in {ref}"), ref=ref)
    return row


def require_status(row: dict[str, Any], *allowed: str, doing: str) -> None:
    """LifecycleError unless the case is in one of the `allowed` statuses; `doing` is a message id
    ("saving input")."""
    if row["status"] not in allowed:
        raise LifecycleError(N_("Case {ref} is '{status}'; {doing} needs: {allowed}."),
                             ref=row["ref"], status=Term("status", row["status"]), doing=Msg(doing),
                             allowed=Terms("status", allowed))


def require_text(value: str, field: str, what: str | Msg) -> str:
    """A reason or other text that may not be empty; `what` names it (a message id, "The reason")."""
    name = what if isinstance(what, Msg) else Msg(what)
    if not value or not value.strip():
        raise ValidationError(N_("{what} is required"), what=name, field=field)
    if len(value) > MAX_TEXT:  # the models' limit: longer text would be stored but could never be shown again
        raise ValidationError(N_("{what} is too long (at most {max} characters)"), what=name, max=MAX_TEXT,
                              field=field)
    return value.strip()


def date_or_none(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None


def age_group(tx: Tx, row: dict[str, Any]) -> age.AgeGroup:
    """The case's age group as the legal test reads it: the age at the start of the exploitation
    (assessment.age), from the applicant's date of birth where recorded; the stored group where the birth data
    or the start cannot tell (a case recorded before this rule keeps its group until its intake is edited)."""
    birth = date_or_none(case_records.applicant(tx, row["id"]).get("date_of_birth"))
    derived = age.age_group_at_start(birth, row["birth_year"], date_or_none(row["period_start"]))
    return derived or ("child" if row["age_group"] == "child" else "adult")
