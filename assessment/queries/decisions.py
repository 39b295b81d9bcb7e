"""Decisions (`decisions`, their reasons and stored rubric result in `p_decisions`), the panel's own finding
per element (`decision_findings`) and dissents (`dissents`, their text in `p_dissents`). A decision is never
deleted: reopening a case voids it (kept, marked void, with the reason). The chair's draft of a decision
(`decision_drafts`, its text in `p_decision_drafts`): one per case, versioned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..i18n import Translatable
from ..store import Tx, now_iso

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


def findings_of(tx: Tx, decision_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The panel's finding per part of each of these decisions, by decision id."""
    out: dict[int, dict[str, str]] = {}
    for f in tx.select("decision_findings", decision_id=list(decision_ids), order_by="dimension"):
        out.setdefault(f["decision_id"], {})[f["dimension"]] = f["finding"]
    return out


def void(tx: Tx, decision_id: int, *, at: str, by: str, reason: str) -> None:
    tx.set("decisions", {"id": decision_id}, {"voided_at": at, "voided_by": by})
    tx.set("p_decisions", {"decision_id": decision_id}, {"void_reason": reason})


def draft(tx: Tx, case_id: int) -> tuple[Row, str] | None:
    """The case's decision draft (its row with the version, and its text as JSON), if there is one."""
    row = tx.get("decision_drafts", case_id=case_id)
    if row is None:
        return None
    text = tx.get("p_decision_drafts", case_id=case_id)
    return row, (text["draft"] if text else "{}")


def save_draft(tx: Tx, case_id: int, outcome: str | None, text: str, *, actor: str, expected_version: int | None,
               what: Translatable) -> int:
    """Write the case's decision draft: the first one (version 1), or over `expected_version` (else
    ConflictError; None takes the current one, for a write that cannot conflict). Returns the new version."""
    if tx.get("decision_drafts", case_id=case_id) is None:
        tx.insert("decision_drafts", {"case_id": case_id, "outcome": outcome, "updated_by": actor, "updated_at": now_iso()})
        version = 1
    else:
        version = tx.update("decision_drafts", {"case_id": case_id}, {"outcome": outcome}, actor=actor,
                            expected_version=expected_version, what=what)
    tx.upsert("p_decision_drafts", {"case_id": case_id, "draft": text})
    return version


def drop_draft(tx: Tx, case_id: int) -> None:
    """Remove the case's decision draft (it became the decision)."""
    tx.delete("p_decision_drafts", case_id=case_id)
    tx.delete("decision_drafts", case_id=case_id)
