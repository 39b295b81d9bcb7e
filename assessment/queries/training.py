"""Training sessions (`training_sessions`), their cases with the reference assessment (`training_cases`),
trainees (`training_trainees`) and each trainee's input per session and case (`training_inputs`, versioned)."""

from __future__ import annotations

from typing import Any

from ..i18n import Translatable
from ..store import Tx, now_iso

Row = dict[str, Any]


def add_session(tx: Tx, name: str, by: str, cases: list[tuple[str, str, str]], trainees: list[str]) -> int:
    """A new session with its cases ((reference, case file id, reference assessment as JSON)) and trainees;
    returns its id."""
    sid = tx.insert("training_sessions", {"name": name, "created_by": by, "created_at": now_iso()})
    for ref, file_id, reference in cases:
        tx.insert("training_cases", {"session_id": sid, "case_ref": ref, "case_file": file_id, "reference": reference})
    for t in trainees:
        tx.insert("training_trainees", {"session_id": sid, "username": t})
    return sid


def session(tx: Tx, session_id: int) -> Row | None:
    return tx.get("training_sessions", id=session_id)


def session_ids_newest_first(tx: Tx) -> list[int]:
    return [int(r["id"]) for r in tx.select("training_sessions", order_by="id DESC")]


def trainees(tx: Tx, session_id: int) -> list[str]:
    return [str(r["username"]) for r in tx.select("training_trainees", session_id=session_id, order_by="username")]


def cases(tx: Tx, session_id: int) -> list[Row]:
    """The session's cases, by reference."""
    return tx.select("training_cases", session_id=session_id, order_by="case_ref")


def case(tx: Tx, session_id: int, ref: str) -> Row | None:
    return tx.get("training_cases", session_id=session_id, case_ref=ref)


def trainee_input(tx: Tx, session_id: int, username: str, ref: str) -> Row | None:
    return tx.get("training_inputs", session_id=session_id, username=username, case_ref=ref)


def inputs(tx: Tx, session_id: int) -> list[Row]:
    """Every trainee input of the session (drafts and submitted)."""
    return tx.select("training_inputs", session_id=session_id)


def add_input(tx: Tx, session_id: int, username: str, ref: str, draft_json: str) -> int:
    """A trainee's first save; returns its version (1)."""
    tx.insert("training_inputs", {"session_id": session_id, "username": username, "case_ref": ref,
                                  "draft": draft_json, "updated_by": username, "updated_at": now_iso()})
    return 1


def update_input(tx: Tx, input_id: int, values: Row, *, actor: str, expected_version: int, what: Translatable) -> int:
    """Change a trainee's input if its version is still `expected_version` (else ConflictError)."""
    return tx.update("training_inputs", {"id": input_id}, values, actor=actor, expected_version=expected_version,
                     what=what)


def reset(tx: Tx, session_id: int) -> tuple[int, str]:
    """Remove every trainee input of the session and mark when; returns (how many, when)."""
    n = len(inputs(tx, session_id))
    tx.delete("training_inputs", session_id=session_id)
    at = now_iso()
    tx.set("training_sessions", {"id": session_id}, {"reset_at": at})
    return n, at
