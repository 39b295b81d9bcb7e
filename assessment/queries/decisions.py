"""Decisions (`decisions`, their reasons and stored rubric result in `p_decisions`), the panel's own finding
per element (`decision_findings`) and dissents (`dissents`, their text in `p_dissents`). A decision is never
deleted: reopening a case voids it (kept, marked void, with the reason)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..store import Tx

Row = dict[str, Any]


def add(tx: Tx, values: Row, *, reasons: Mapping[str, str], override_reason: str, rubric_result: str,
        findings: Mapping[str, str], dissents: Sequence[tuple[str, str]]) -> int:
    """Record a decision with its reasons, the panel's findings and dissents ((username, text)); returns its id."""
    decision_id = tx.insert("decisions", values)
    tx.insert("p_decisions", {"decision_id": decision_id, "reasons": dict(reasons), "override_reason": override_reason,
                              "rubric_result": rubric_result})
    for dimension, finding in findings.items():
        tx.insert("decision_findings", {"decision_id": decision_id, "dimension": dimension, "finding": finding})
    for username, text in dissents:
        add_dissent(tx, decision_id, username, text)
    return decision_id


def add_dissent(tx: Tx, decision_id: int, username: str, text: str) -> None:
    """Record (or replace) a member's dissent with a decision."""
    tx.upsert("dissents", {"decision_id": decision_id, "username": username})
    tx.upsert("p_dissents", {"decision_id": decision_id, "username": username, "text": text})


def of_case(tx: Tx, case_id: int) -> list[Row]:
    """Every decision on a case, oldest first (voided ones included)."""
    return tx.select("decisions", case_id=case_id, order_by="id")


def live(tx: Tx, case_id: int) -> list[Row]:
    """The decisions on a case that are not voided (at most one in practice)."""
    return [d for d in of_case(tx, case_id) if d["voided_at"] is None]


def live_of_cases(tx: Tx, case_ids: Sequence[int]) -> dict[int, Row]:
    """The live decision of each of these cases that has one, by case id."""
    return {d["case_id"]: d for d in tx.select("decisions", case_id=list(case_ids), order_by="id")
            if d["voided_at"] is None}


def texts(tx: Tx, decision_id: int) -> Row:
    """The reasons, override reason and void reason of a decision (empty once retention removed them)."""
    return tx.get("p_decisions", decision_id=decision_id) or {}


def dissent_texts(tx: Tx, decision_id: int) -> list[Row]:
    return tx.select("p_dissents", decision_id=decision_id)


def dissent_counts(tx: Tx, decision_ids: Sequence[int]) -> dict[int, int]:
    """How many members dissented, per decision (decisions without dissent left out)."""
    counts: dict[int, int] = {}
    for x in tx.select("dissents", decision_id=list(decision_ids)):
        counts[x["decision_id"]] = counts.get(x["decision_id"], 0) + 1
    return counts


def findings(tx: Tx, decision_id: int) -> dict[str, str]:
    return {f["dimension"]: f["finding"] for f in tx.select("decision_findings", decision_id=decision_id)}


def void(tx: Tx, decision_id: int, *, at: str, by: str, reason: str) -> None:
    tx.set("decisions", {"id": decision_id}, {"voided_at": at, "voided_by": by})
    tx.set("p_decisions", {"decision_id": decision_id}, {"void_reason": reason})
