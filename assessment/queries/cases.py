"""The case record itself: its facts and status (`cases`, versioned) and the applicant's personal data
(`p_applicants`, changed with the case)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import Translatable
from ..store import Tx

Row = dict[str, Any]


# --- the case record -----------------------------------------------------------------------------------------

def by_ref(tx: Tx, ref: str) -> Row | None:
    """The case with this reference, or None."""
    return tx.get("cases", ref=ref)


def by_refs(tx: Tx, refs: Sequence[str]) -> list[Row]:
    """The cases with these references (in no particular order)."""
    return tx.select("cases", ref=list(refs))


def real_in_order(tx: Tx) -> list[Row]:
    """Every case of the real space, in order of receipt."""
    return tx.select("cases", space="real", order_by="received_on, id")


def create(tx: Tx, values: Row, applicant: Row) -> int:
    """Add a case with its applicant; returns the case id."""
    case_id = tx.insert("cases", values)
    tx.insert("p_applicants", {"case_id": case_id, **applicant})
    return case_id


def update(tx: Tx, case_id: int, values: Row, *, actor: str, expected_version: int | None, what: Translatable) -> int:
    """Change a case if its version is still `expected_version` (None: whatever it is now, for changes that
    cannot conflict), else ConflictError; the new version."""
    return tx.update("cases", {"id": case_id}, values, actor=actor, expected_version=expected_version, what=what)


# --- the applicant -------------------------------------------------------------------------------------------

def applicant(tx: Tx, case_id: int) -> Row:
    """The applicant's personal data ({} if there is none)."""
    return tx.get("p_applicants", case_id=case_id) or {}


def replace_applicant(tx: Tx, case_id: int, values: Row) -> None:
    """Write the applicant's personal data in full."""
    tx.upsert("p_applicants", {"case_id": case_id, **values})


def set_applicant(tx: Tx, case_id: int, values: Row) -> None:
    """Change some of the applicant's columns (reasons recorded with a change of the case)."""
    tx.set("p_applicants", {"case_id": case_id}, values)
