"""Whole-database operations: audit verification, backup and restore."""

from __future__ import annotations

from pathlib import Path

from ..access import require
from ..audit import Finding, verify
from ..errors import AuditChainError, StorageError
from ..model import User
from ..store import Store, audit_head_of, now_iso


def verify_audit(store: Store, user: User) -> int:
    """Check the whole audit chain for a user the policy allows (`audit.verify`); returns the number of
    events, or raises AuditChainError naming the first event that was changed, removed or reordered."""
    require(user, "audit.verify")
    return check_audit_chain(store)


def check_audit_chain(store: Store) -> int:
    """The operator's check of the file (`audit verify` on the CLI, beside backup and restore): the same
    verification without a signed-in user. It shows no content, only whether the chain holds."""
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


def restore(store: Store, source: Path, *, force: bool = False) -> Path | None:
    """Replace the database's content with a backup; refused when the backup fails integrity_check
    or is not an Aannemelijk database, or belongs to the other space (a training backup over production or
    the reverse: TrainingSpaceError). The restore itself is recorded in the (restored) audit log.

    A backup older than the live database (the live audit log has events the backup lacks) would silently
    undo acknowledged work: that is refused unless `force`, and then the live database is first copied to
    `<db>.before-restore-<time>` (returned), so nothing acknowledged is lost."""
    store.check_same_space(source)  # training and production backups never replace each other
    backup_head = audit_head_of(source)
    with store.read() as tx:
        live_head = tx.audit_head()
    saved: Path | None = None
    if live_head is not None and (backup_head is None or backup_head[0] < live_head[0]):
        if not force:
            raise StorageError(
                f"De back-up {source} is ouder dan de database (auditlog t/m #{backup_head[0] if backup_head else 0}, "
                f"database t/m #{live_head[0]}); terugzetten zou later opgeslagen werk wissen. Er is niets teruggezet; "
                f"gebruik --force om toch terug te zetten (de huidige database wordt eerst bewaard). / "
                f"The backup {source} is older than the database (audit log up to #{backup_head[0] if backup_head else 0}, "
                f"database up to #{live_head[0]}); restoring would erase work saved since; nothing was restored; "
                f"use --force to restore anyway (the current database is kept first).")
        stamp = now_iso().replace(":", "").replace("-", "")[:15]
        saved = store.path.with_name(f"{store.path.name}.before-restore-{stamp}")
        store.backup_to(saved)
    store.restore_from(source)
    with store.write() as tx:
        tx.append_audit(actor="system", action="db.restore", entity="database",
                        after={"from": str(source), "kept": str(saved) if saved else None})
    return saved
