"""The parts of a case file beside the case record: its panel (`panel`), consents (`consents`, versioned),
consents to share the advice with a named recipient (`recipient_consents`, versioned; the recipient's name in
`p_recipient_consents`), documents (`documents`; kind, title and bytes in `p_documents`), the chronology (`p_chronology`), the hearing (`hearings`,
versioned, summary in `p_hearings`) and follow-up (`followups`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..i18n import N_, Msg, Translatable
from ..store import Tx, now_iso

Row = dict[str, Any]


# --- panel ---------------------------------------------------------------------------------------------------

def seats(tx: Tx, case_id: int) -> list[Row]:
    """The panel's seats, by discipline."""
    return tx.select("panel", case_id=case_id, order_by="discipline")


def seat(tx: Tx, case_id: int, discipline: str) -> Row | None:
    return tx.get("panel", case_id=case_id, discipline=discipline)


def seat_member(tx: Tx, case_id: int, discipline: str, username: str, *, no_conflict_declared: bool) -> None:
    """Give a discipline's seat to a member (replacing whoever held it)."""
    on = now_iso()
    tx.upsert("panel", {"case_id": case_id, "discipline": discipline, "username": username, "assigned_on": on,
                        "coi_declared_on": on if no_conflict_declared else None})


def vacate(tx: Tx, case_id: int, discipline: str) -> None:
    """Empty a discipline's seat (its member declared a conflict of interest)."""
    tx.delete("panel", case_id=case_id, discipline=discipline)


def declare_no_conflict(tx: Tx, current: Row) -> None:
    tx.upsert("panel", {**current, "coi_declared_on": now_iso()})


# --- consents ------------------------------------------------------------------------------------------------

# A consent to a scope of information (`consents`), or to a copy of the letter for a named recipient.
_CONSENT_TABLE = {False: "consents", True: "recipient_consents"}

def consents(tx: Tx, case_ids: int | Sequence[int], scope: str | None = None) -> list[Row]:
    """The consents of one case (by id) or of several, optionally of one scope."""
    where: Row = {"case_id": case_ids if isinstance(case_ids, int) else list(case_ids)}
    if scope is not None:
        where["scope"] = scope
    return tx.select("consents", order_by="id", **where)


def consent(tx: Tx, case_id: int, consent_id: int, *, recipient: bool = False) -> Row | None:
    """A consent of the case: to a scope of information, or (`recipient`) to a copy of the letter."""
    row = tx.get(_CONSENT_TABLE[recipient], id=consent_id, case_id=case_id)
    return _with_recipient(tx, [row])[0] if row is not None and recipient else row


def add_consent(tx: Tx, case_id: int, scope: str, given_on: dt.date, by: str, given_by: str = "applicant") -> int:
    return tx.insert("consents", {"case_id": case_id, "scope": scope, "given_on": given_on, "given_by": given_by,
                                  "updated_by": by, "updated_at": now_iso()})


def revoke_consent(tx: Tx, consent_id: int, on: dt.date, *, recipient: bool, actor: str, expected_version: int) -> int:
    """Mark a consent (scope, or `recipient`) revoked on `on`; returns the row's new version."""
    return tx.update(_CONSENT_TABLE[recipient], {"id": consent_id}, {"revoked_on": on}, actor=actor,
                     expected_version=expected_version, what=Msg(N_("Consent {consent_id}"), {"consent_id": consent_id}))


def _with_recipient(tx: Tx, rows: list[Row]) -> list[Row]:
    names = {r["consent_id"]: r["recipient"] for r in
             tx.select("p_recipient_consents", consent_id=[r["id"] for r in rows])} if rows else {}
    return [{**r, "recipient": names.get(r["id"], "")} for r in rows]


def recipient_consents(tx: Tx, case_id: int) -> list[Row]:
    """The case's consents to share the advice, each with its recipient's name."""
    return _with_recipient(tx, tx.select("recipient_consents", case_id=case_id, order_by="id"))


def add_recipient_consent(tx: Tx, case_id: int, recipient: str, given_on: dt.date, given_by: str, by: str) -> int:
    consent_id = tx.insert("recipient_consents", {"case_id": case_id, "given_on": given_on, "given_by": given_by,
                                                  "updated_by": by, "updated_at": now_iso()})
    tx.insert("p_recipient_consents", {"consent_id": consent_id, "recipient": recipient})
    return consent_id


# --- documents and chronology --------------------------------------------------------------------------------

def documents(tx: Tx, case_id: int) -> list[Row]:
    """The case's documents with their kind (without title and bytes), in the order they were added."""
    rows = tx.select("documents", case_id=case_id, order_by="id")
    kinds = dict(tx.conn.execute(
        f"SELECT document_id, kind FROM p_documents WHERE document_id IN ({', '.join('?' for _ in rows)})",
        [r["id"] for r in rows]).fetchall()) if rows else {}
    return [{**r, "kind": kinds.get(r["id"], "")} for r in rows]


def document_text(tx: Tx, document_id: int) -> Row:
    """A document's kind, title and bytes (empty once retention removed them)."""
    return tx.get("p_documents", document_id=document_id) or {}


def add_document(tx: Tx, case_id: int, facts: Row, kind: str, title: str, content: bytes | None) -> int:
    doc_id = tx.insert("documents", {"case_id": case_id, **facts})
    tx.insert("p_documents", {"document_id": doc_id, "kind": kind, "title": title, "content": content})
    return doc_id


def chronology(tx: Tx, case_id: int) -> list[Row]:
    return tx.select("p_chronology", case_id=case_id, order_by="on_date, id")


def add_fact(tx: Tx, case_id: int, on: dt.date, fact: str) -> int:
    return tx.insert("p_chronology", {"case_id": case_id, "on_date": on, "fact": fact})


# --- hearing and follow-up -----------------------------------------------------------------------------------

def hearing(tx: Tx, case_id: int) -> tuple[Row | None, Row]:
    """The hearing's facts (None before one is recorded) and its summary."""
    return tx.get("hearings", case_id=case_id), tx.get("p_hearings", case_id=case_id) or {}


def hearings(tx: Tx, case_ids: Sequence[int]) -> dict[int, Row]:
    """The hearings' facts (no summary, no corrections) of several cases, by case id."""
    return {r["case_id"]: r for r in tx.select("hearings", case_id=list(case_ids))}


def save_hearing(tx: Tx, case_id: int, values: Row, summary: str, *, actor: str, what: Translatable,
                 corrections: str = "") -> None:
    """Record the hearing, or correct it (a correction never conflicts: the last one recorded stands)."""
    if tx.get("hearings", case_id=case_id) is None:
        tx.insert("hearings", {"case_id": case_id, **values, "updated_by": actor, "updated_at": now_iso()})
    else:
        tx.update("hearings", {"case_id": case_id}, values, actor=actor, expected_version=None, what=what)
    tx.upsert("p_hearings", {"case_id": case_id, "summary": summary, "corrections": corrections})


# --- the procedure's structured facts (admissibility, exception, deferral) -----------------------------------

def procedure(tx: Tx, case_id: int) -> Row:
    """The case's procedural facts ({} for a case that has none recorded)."""
    return tx.get("case_procedure", case_id=case_id) or {}


def procedures(tx: Tx, case_ids: Sequence[int]) -> dict[int, Row]:
    """The procedural facts of several cases, by case id."""
    return {r["case_id"]: r for r in tx.select("case_procedure", case_id=list(case_ids))}


def save_procedure(tx: Tx, case_id: int, values: Row) -> None:
    """Change some procedural facts of a case (the rest stay), always together with a change of the case."""
    tx.upsert("case_procedure", {**procedure(tx, case_id), "case_id": case_id, **values})


def followups(tx: Tx, case_ids: int | Sequence[int]) -> list[Row]:
    """Follow-up of one case or of several, by kind."""
    return tx.select("followups", case_id=case_ids if isinstance(case_ids, int) else list(case_ids), order_by="kind")


def followup(tx: Tx, case_id: int, kind: str) -> Row | None:
    return tx.get("followups", case_id=case_id, kind=kind)


def advice_uses(tx: Tx, case_ids: int | Sequence[int]) -> list[Row]:
    """What recipients reported back on using the advice, of one case or of several, by recipient."""
    return tx.select("advice_uses", case_id=case_ids if isinstance(case_ids, int) else list(case_ids),
                     order_by="used_by")


def advice_use(tx: Tx, case_id: int, used_by: str) -> Row | None:
    return tx.get("advice_uses", case_id=case_id, used_by=used_by)


def save_advice_use(tx: Tx, case_id: int, used_by: str, followed: str, on: dt.date | None) -> None:
    tx.upsert("advice_uses", {"case_id": case_id, "used_by": used_by, "followed": followed, "on_date": on})


def save_followup(tx: Tx, case_id: int, kind: str, result: str, on: dt.date | None) -> None:
    tx.upsert("followups", {"case_id": case_id, "kind": kind, "result": result, "on_date": on})
