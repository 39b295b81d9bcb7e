"""Discipline input (`inputs`, versioned, one per case and discipline) with its parts: indicator ratings
(`observations`, their sources and notes in `p_observations`), views per dimension (`dimension_views`, their
reasons in `p_dimension_views`) and the overall reasons (`p_inputs`). A draft is saved whole: its parts are
replaced together with the input's new version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import Translatable
from ..store import Tx, now_iso

Row = dict[str, Any]


def of_case(tx: Tx, case_id: int) -> list[Row]:
    """Every input on a case (drafts and submitted), by discipline."""
    return tx.select("inputs", case_id=case_id, order_by="discipline")


def of_cases(tx: Tx, case_ids: Sequence[int]) -> list[Row]:
    return tx.select("inputs", case_id=list(case_ids))


def of_discipline(tx: Tx, case_id: int, discipline: str) -> Row | None:
    return tx.get("inputs", case_id=case_id, discipline=discipline)


def add(tx: Tx, case_id: int, discipline: str, username: str, facts: Row) -> int:
    """A member's first save on a case; returns the input's id (its version is 1)."""
    return tx.insert("inputs", {"case_id": case_id, "discipline": discipline, "username": username, **facts,
                                "updated_by": username, "updated_at": now_iso()})


def update(tx: Tx, input_id: int, values: Row, *, actor: str, expected_version: int, what: Translatable) -> int:
    """Change an input if its version is still `expected_version` (else ConflictError); the new version."""
    return tx.update("inputs", {"id": input_id}, values, actor=actor, expected_version=expected_version, what=what)


def replace_parts(tx: Tx, input_id: int, observations: Sequence[tuple[str, str, str, str]],
                  views: Sequence[tuple[str, str, str]], overall_reasons: str, inconsistency_notes: str) -> None:
    """Replace an input's ratings ((indicator, status, source, note)), dimension views ((dimension, view,
    reasons)) and overall texts."""
    for table in ("observations", "p_observations", "dimension_views", "p_dimension_views"):
        tx.delete(table, input_id=input_id)
    # One statement per table for all rows (a save of a full profile writes some 180 rows; one by one that
    # was most of a save's time on the server)
    tx.insert_many("observations", ("input_id", "indicator", "status"),
                   [(input_id, indicator, status) for indicator, status, _s, _n in observations])
    tx.insert_many("p_observations", ("input_id", "indicator", "source", "note"),
                   [(input_id, indicator, source, note) for indicator, _st, source, note in observations])
    tx.insert_many("dimension_views", ("input_id", "dimension", "view"),
                   [(input_id, dimension, view) for dimension, view, _r in views])
    tx.insert_many("p_dimension_views", ("input_id", "dimension", "reasons"),
                   [(input_id, dimension, reasons) for dimension, _v, reasons in views])
    tx.upsert("p_inputs", {"input_id": input_id, "overall_reasons": overall_reasons,
                           "inconsistency_notes": inconsistency_notes})


def ratings(tx: Tx, input_ids: int | Sequence[int]) -> list[Row]:
    """Indicator ratings (input_id, indicator, status) of one input, by indicator, or of several."""
    if isinstance(input_ids, int):
        return tx.select("observations", input_id=input_ids, order_by="indicator")
    return tx.select("observations", input_id=list(input_ids))


def rating_texts(tx: Tx, input_id: int) -> dict[str, Row]:
    """The source and note of each rating, by indicator (free text: only for who may read it)."""
    return {p["indicator"]: p for p in tx.select("p_observations", input_id=input_id)}


def views(tx: Tx, input_ids: int | Sequence[int]) -> list[Row]:
    """Views per dimension (input_id, dimension, view) of one input, by dimension, or of several."""
    if isinstance(input_ids, int):
        return tx.select("dimension_views", input_id=input_ids, order_by="dimension")
    return tx.select("dimension_views", input_id=list(input_ids))


def view_reasons(tx: Tx, input_id: int) -> dict[str, str]:
    return {p["dimension"]: p["reasons"] for p in tx.select("p_dimension_views", input_id=input_id)}


def overall_texts(tx: Tx, input_id: int) -> Row:
    return tx.get("p_inputs", input_id=input_id) or {}
