"""Rubric versions (`rubric_versions`): never deleted or changed (the schema's triggers refuse it); only the
active flag moves."""

from __future__ import annotations

from typing import Any

from ..store import Tx, now_iso

Row = dict[str, Any]


def active_text(tx: Tx) -> tuple[str, str] | None:
    """(content hash, YAML text) of the active version, or None when none is active."""
    row = tx.conn.execute("SELECT content_hash, yaml FROM rubric_versions WHERE active = 1").fetchone()
    return (str(row[0]), str(row[1])) if row else None


def text_by_hash(tx: Tx, content_hash: str) -> tuple[str, str] | None:
    """(content hash, YAML text) of the stored version with this hash, or None."""
    row = tx.conn.execute("SELECT content_hash, yaml FROM rubric_versions WHERE content_hash = ?",
                          [content_hash]).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def by_hash(tx: Tx, content_hash: str) -> Row | None:
    return tx.get("rubric_versions", content_hash=content_hash)


def by_key(tx: Tx, key: int) -> Row | None:
    return tx.get("rubric_versions", id=key)


def newest_first(tx: Tx) -> list[Row]:
    return tx.select("rubric_versions", order_by="id DESC")


def add(tx: Tx, *, rubric_id: str, version: str, content_hash: str, text: str, filename: str, by: str) -> int:
    """Store a version (inactive); returns its key."""
    return tx.insert("rubric_versions", {
        "rubric_id": rubric_id, "version": version, "content_hash": content_hash, "yaml": text,
        "filename": filename, "uploaded_by": by, "uploaded_at": now_iso()})


def activate(tx: Tx, key: int, by: str) -> list[Row]:
    """Make this version the active one; returns the rows that were active before."""
    before = tx.select("rubric_versions", active=1)
    for b in before:
        tx.set("rubric_versions", {"id": b["id"]}, {"active": 0})
    tx.set("rubric_versions", {"id": key}, {"active": 1, "activated_by": by, "activated_at": now_iso()})
    return before
