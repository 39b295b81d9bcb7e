"""The audit trail as services read and (only under retention) redact it (`audit_events`), and the retention
permits (`retention_permits`) that a database trigger asks for before it lets an event's values be redacted.

Appending an event and reading a case's events are `Tx.append_audit` / `Tx.audit_events` (the store keeps
the hash chain); what is here are the services' other questions of the trail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..store import Tx

Row = dict[str, Any]


def refs_with_action(tx: Tx, action: str) -> set[str]:
    """The references of the cases with at least one event of this action (e.g. `retention.apply`)."""
    return {str(e["case_ref"]) for e in tx.select("audit_events", action=action) if e["case_ref"]}


def latest_of_case(tx: Tx, ref: str, action: str) -> Row | None:
    """The newest event of this action about case `ref`, or None."""
    rows = tx.select("audit_events", order_by="seq DESC", case_ref=ref, action=action)
    return rows[0] if rows else None


def redact_values(tx: Tx, seq: int, *, before: str | None, after: str | None, reason: str | None) -> None:
    """Replace an event's values by their redacted form (the trigger allows it only under a permit)."""
    tx.set("audit_events", {"seq": seq}, {"before": before, "after": after, "reason": reason})


@contextmanager
def retention_permit(tx: Tx, ref: str) -> Iterator[None]:
    """Hold the permit to redact case `ref`'s events for the length of the block (inside one transaction)."""
    tx.insert("retention_permits", {"case_ref": ref})
    try:
        yield
    finally:
        tx.delete("retention_permits", case_ref=ref)
