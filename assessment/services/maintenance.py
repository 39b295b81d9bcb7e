"""Whole-database operations: audit verification, backup and restore (see assessment.integrity)."""

from __future__ import annotations

from pathlib import Path

from .. import integrity
from ..access import require
from ..errors import AuditChainError, StorageError
from ..i18n import N_, Joined, Msg, Translatable
from ..model import User
from ..store import Store, check_file, head_of_file, now_iso


def verify_audit(store: Store, user: User) -> int:
    """Check the whole audit trail for a user the policy allows (`audit.verify`): see `check_audit_chain`."""
    require(user, "audit.verify")
    return check_audit_chain(store)


def check_audit_chain(store: Store) -> int:
    """The operator's check of the file (`audit verify` on the CLI, beside backup and restore), as someone
    holding the file but not the key would have to defeat it: the keyed chain and its head, the last anchored
    head (nothing removed or put back since), the append-only triggers, and that every case row was last
    written together with its audit event. Returns the number of events, or raises AuditChainError naming
    the problems. It shows no content, only whether the trail holds."""
    problems: list[Translatable] = [*store.integrity_problems()]
    with store.read() as tx:
        events = {e.seq: e.hash for e in tx.audit_events()}
    problems += _anchor_problems(store, events)
    if problems:
        raise AuditChainError(N_("The audit log does not hold: {problems}"), problems=Joined(tuple(problems)))
    return len(events)


def _anchor_problems(store: Store, events: dict[int, str]) -> list[Translatable]:
    """The database must still hold the last head anchored for this file."""
    try:
        anchors = integrity.read_anchors(store.settings.anchor_path, store.key, store.identity)
    except StorageError as exc:
        return [exc]
    # The last head anchored for this very file must still be in it (nothing removed or put back since). A
    # restore anchors its own new head, so only the last line counts.
    mine = [a for a in anchors if a.path == str(store.path.resolve())]
    if not mine:
        return []  # a copy made outside `backup`: nothing anchored it here (docs/deployment.md)
    last = mine[-1]
    if events.get(last.seq) != last.hash:
        return [Msg(N_("The audit log no longer reaches #{seq} anchored at {at}: events were removed or replaced, "
                       "or an older file was put back"), {"seq": last.seq, "at": last.at})]
    return []


def backup(store: Store, target: Path) -> None:
    """Write a consistent copy of the live database to `target` (SQLite online backup) and anchor its head:
    in the anchor file, and in `<target>.audit-anchor` beside the copy (so the copy verifies on its own)."""
    if target.resolve() == store.path.resolve():
        raise StorageError(N_("Choose a file other than the database"))
    store.backup_to(target)
    head = head_of_file(target)
    if head is not None:
        store.anchor(head, "backup", path=target)
        beside = target.with_name(target.name + ".audit-anchor")
        if beside.resolve() != store.settings.anchor_path.resolve():
            store.anchor(head, "backup", path=target, file=beside)


def restore(store: Store, source: Path, *, force: bool = False) -> Path | None:
    """Replace the database's content with a backup. Refused outright when the file fails integrity_check,
    is not an Aannemelijk database, or belongs to the other space. Refused without `force` when it is
    foreign (another database's identity, or sealed with another audit key), forged (its chain, triggers or
    case seals do not verify under this installation's key) or older than the live database. Whatever is
    replaced is first kept as `<db>.before-restore-<time>` (returned). A forced restore of a foreign or
    forged file is resealed with this installation's key and the triggers are put back; the restore, and
    what was forced, are recorded in the (restored) audit log."""
    store.check_same_space(source)  # training and production backups never replace each other
    checked = check_file(source, store.key)
    problems: list[Msg] = list(checked.problems)
    backup_seq = checked.head_seq
    with store.read() as tx:
        live_head = tx.audit_head()
    if checked.identity != store.identity and not store.is_fresh():
        problems.insert(0, Msg(N_("The file belongs to another database")))
    forged = list(problems)  # what a forced restore has to reseal
    if live_head is not None and backup_seq < live_head[0]:
        problems.append(Msg(N_("The backup is older than the database (audit log up to #{backup}, database up to "
                               "#{live}); restoring would erase work saved since"),
                            {"backup": backup_seq, "live": live_head[0]}))
    if problems and not force:
        raise StorageError(N_("{source} is not restored; nothing was restored (use --force to restore anyway; the "
                              "current database is kept first): {problems}"), source=str(source),
                           problems=Joined(tuple(problems)))
    stamp = now_iso().replace(":", "").replace("-", "")[:22]  # to the microsecond: two restores never share a name
    saved = store.path.with_name(f"{store.path.name}.before-restore-{stamp}")
    store.backup_to(saved)
    store.restore_from(source)
    if forged:
        store.reseal("restore --force: " + Joined(tuple(forged)).text("en"))
    else:
        store.adopt_identity()
    with store.write() as tx:
        tx.append_audit(actor="system", action="db.restore", entity="database",
                        after={"from": str(source), "kept": str(saved), "forced": [p.text("en") for p in problems]})
    return saved
