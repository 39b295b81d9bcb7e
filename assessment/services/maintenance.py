"""Whole-database operations: audit verification, backup and restore."""

from __future__ import annotations

from pathlib import Path

from ..access import require
from ..audit import Finding, verify
from ..errors import AuditChainError, StorageError
from ..model import User
from ..store import Store


def verify_audit(store: Store, user: User | None = None) -> int:
    """Check the whole audit chain; returns the number of events, or raises AuditChainError naming the first
    event that was changed, removed or reordered. `user=None`: the operator at the file (CLI)."""
    if user is not None:
        require(user, "audit.verify")
    with store.read() as tx:
        events = tx.audit_events()
        head = tx.audit_head()
    finding: Finding | None = verify(events, head)
    if finding is not None:
        raise AuditChainError(finding.message)
    return len(events)


def backup(store: Store, target: Path) -> None:
    """Write a consistent copy of the live database to `target` (SQLite online backup); checks the copy."""
    if target.resolve() == store.path.resolve():
        raise StorageError("Kies een ander bestand dan de database zelf / Choose a file other than the database")
    store.backup_to(target)


def restore(store: Store, source: Path) -> None:
    """Replace the database's content with a backup; refused when the backup fails integrity_check
    or is not an Aannemelijk database. The restore itself is recorded in the (restored) audit log."""
    store.restore_from(source)
    with store.write() as tx:
        tx.append_audit(actor="system", action="db.restore", entity="database", after={"from": str(source)})
