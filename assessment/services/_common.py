"""Helpers the service modules share: finding a case with its access scope, and small checks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..access import CaseScope, require
from ..errors import LifecycleError, NotFoundError, ValidationError
from ..model import LONG_MAX, REF_PATTERN, User
from ..store import Tx

MAX_TEXT = LONG_MAX  # model.LongText


def today() -> dt.date:
    """Today's date (UTC), the default date of anything recorded now."""
    return dt.datetime.now(dt.UTC).date()


def load_case(tx: Tx, ref: str) -> dict[str, Any]:
    """The case row with this reference, or NotFoundError."""
    if not REF_PATTERN.match(ref):
        raise ValidationError(f"'{ref}' is geen dossiernummer (AAN-jjjj-nnnn) / is not a case reference", field="ref")
    row = tx.get("cases", ref=ref)
    if row is None:
        raise NotFoundError(f"Dossier {ref} bestaat niet / Case {ref} does not exist")
    return row


def scope(tx: Tx, row: dict[str, Any]) -> CaseScope:
    """The access scope of a case row: its space and its panel."""
    seats = {s["discipline"]: s["username"] for s in tx.select("panel", case_id=row["id"])}
    return CaseScope(ref=row["ref"], space=row["space"], panel=seats)


def case_for(tx: Tx, user: User, ref: str, action: str) -> dict[str, Any]:
    """Load a case and check `action` on it for `user`; the one entry point of every case service."""
    row = load_case(tx, ref)
    require(user, action, scope(tx, row))
    return row


def require_status(row: dict[str, Any], *allowed: str, doing: str) -> None:
    """LifecycleError unless the case is in one of the `allowed` statuses."""
    if row["status"] not in allowed:
        raise LifecycleError(
            f"Dossier {row['ref']} staat op '{row['status']}'; {doing} kan alleen bij: {', '.join(allowed)}. / "
            f"Case {row['ref']} is '{row['status']}'; {doing} needs: {', '.join(allowed)}."
        )


def require_text(value: str, field: str, what_nl: str, what_en: str) -> str:
    """A reason or other text that may not be empty."""
    if not value or not value.strip():
        raise ValidationError(f"{what_nl} is verplicht / {what_en} is required", field=field)
    if len(value) > MAX_TEXT:  # the models' limit: longer text would be stored but could never be shown again
        raise ValidationError(f"{what_nl} is te lang (max. {MAX_TEXT} tekens) / {what_en} is too long "
                              f"(max {MAX_TEXT} characters)", field=field)
    return value.strip()


def date_or_none(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None
