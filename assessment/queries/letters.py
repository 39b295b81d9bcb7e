"""Letter template versions (`letter_templates`) and issued letters (`letters`, their bytes in `p_letters`);
an issued letter is never changed (triggers refuse it): a correction is a new row."""

from __future__ import annotations

from typing import Any

from ..store import Tx, now_iso

Row = dict[str, Any]


# --- template versions ---------------------------------------------------------------------------------------

def active_template(tx: Tx) -> Row | None:
    return tx.get("letter_templates", active=1)


def templates_newest_first(tx: Tx) -> list[Row]:
    return tx.select("letter_templates", order_by="uploaded_at DESC")


def template(tx: Tx, template_id: str) -> Row | None:
    return tx.get("letter_templates", id=template_id)


def add_template(tx: Tx, *, template_id: str, files: dict[str, str], by: str, valid: bool, report: str) -> None:
    tx.insert("letter_templates", {"id": template_id, "files": files, "uploaded_by": by, "uploaded_at": now_iso(),
                                   "valid": valid, "report": report, "active": False})


def activate_template(tx: Tx, template_id: str | None, by: str) -> None:
    """Make this version the active one (None: none stored is active, the shipped set applies)."""
    tx.conn.execute("UPDATE letter_templates SET active = 0 WHERE active = 1")
    if template_id is not None:
        tx.set("letter_templates", {"id": template_id}, {"active": True, "activated_by": by, "activated_at": now_iso()})


def decided_demo_cases(tx: Tx) -> list[tuple[str, str]]:
    """(reference, space) of every decided case a demo account created (synthetic people only), by reference:
    what a new template version is validated on."""
    rows = tx.conn.execute(
        "SELECT ref, space FROM cases WHERE status = 'decided' AND created_by IN "
        "(SELECT username FROM users WHERE demo = 1) ORDER BY ref").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


# --- issued letters ------------------------------------------------------------------------------------------

def latest(tx: Tx, case_id: int, lang: str) -> Row | None:
    """The newest issued version of a case's letter in one language."""
    rows = tx.select("letters", order_by="version DESC", case_id=case_id, lang=lang)
    return rows[0] if rows else None


def version(tx: Tx, case_id: int, lang: str, number: int) -> Row | None:
    return tx.get("letters", case_id=case_id, lang=lang, version=number)


def of_case(tx: Tx, case_id: int) -> list[Row]:
    """Every issued version of a case's letter, by language then version."""
    return tx.select("letters", order_by="lang DESC, version", case_id=case_id)


def add(tx: Tx, values: Row, content: bytes, correction_reason: str) -> int:
    """Store an issued letter with its bytes; returns its id."""
    letter_id = tx.insert("letters", values)
    tx.insert("p_letters", {"letter_id": letter_id, "content": content, "correction_reason": correction_reason})
    return letter_id


def content(tx: Tx, letter_id: int) -> Row | None:
    """The stored bytes and correction reason of an issued letter (None once retention removed them)."""
    return tx.get("p_letters", letter_id=letter_id)


def correction_reasons(tx: Tx, letter_ids: list[int]) -> dict[int, str]:
    if not letter_ids:
        return {}
    return {r["letter_id"]: r["correction_reason"] for r in tx.select("p_letters", letter_id=letter_ids)}
