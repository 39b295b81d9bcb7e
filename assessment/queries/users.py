"""Accounts (`users`)."""

from __future__ import annotations

from typing import Any

from ..i18n import N_, Msg
from ..store import Tx

Row = dict[str, Any]


def any_exists(tx: Tx) -> bool:
    """Does any account exist (False on a fresh database)?"""
    return bool(tx.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone())


def get(tx: Tx, username: str) -> Row | None:
    return tx.get("users", username=username)


def all_by_name(tx: Tx) -> list[Row]:
    return tx.select("users", order_by="username")


def active_members(tx: Tx, discipline: str) -> list[Row]:
    """Accounts that may take this discipline's seat on a panel (members, not disabled), by username."""
    return tx.select("users", order_by="username", role="member", discipline=discipline, disabled=0)


def insert(tx: Tx, row: Row) -> None:
    tx.insert("users", row)


def update(tx: Tx, username: str, values: Row, *, actor: str) -> int:
    """Change an account (never conflicts: account changes are whole, not edits of a form)."""
    return tx.update("users", {"username": username}, values, actor=actor, expected_version=None,
                     what=Msg(N_("User {username}"), {"username": username}))


# The one-time setup token of a fresh database (services.users.issue_setup_token): only its SHA-256.


def setup_token(tx: Tx) -> str | None:
    row = tx.conn.execute("SELECT sha256 FROM setup_token WHERE id = 1").fetchone()
    return str(row[0]) if row else None


def set_setup_token(tx: Tx, sha256: str, at: str) -> None:
    tx.conn.execute("INSERT INTO setup_token (id, sha256, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO "
                    "UPDATE SET sha256 = excluded.sha256, created_at = excluded.created_at", [sha256, at])


def drop_setup_token(tx: Tx) -> None:
    tx.conn.execute("DELETE FROM setup_token")
