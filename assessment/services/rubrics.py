"""Rubric versions in the database: upload (validated, every problem listed with line and field), list,
activate, and the active rubric that new deliberations and decisions score against.

Every uploaded version is kept with its YAML text and content hash, never deleted or changed (the store's
triggers refuse it); only the active flag moves. A decision keeps the rubric id, version and hash it was
made with, and the rubric's text is stored with it when no stored version holds it yet (the shipped file
too, `keep_rubric`), so `rubric_by_hash` always gives back the rubric an earlier result used, whatever
became of the file since. With no version
stored, the shipped legal test (pilot_data/rubrics/legal-273f.yaml) is the active one; the ILO rubric
(ilo-2009.yaml) stays available as the research and screening instrument.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..access import require
from ..errors import NotFoundError, Problem, RubricError
from ..i18n import N_
from ..model import Decision, User
from ..queries import rubrics as stored
from ..rubric import DEFAULT_RUBRIC, Rubric, load_rubric, parse_rubric
from ..store import Store, Tx

ACTION = "rubric.manage"


@dataclass(frozen=True)
class StoredRubric:
    """One stored rubric version (an upload): its key (row id), the rubric and version it says it is
    (`rubric.RubricVersion`), and whether it is active."""

    key: str
    id: str
    version: str
    hash: str
    filename: str
    uploaded_at: str
    uploaded_by: str
    active: bool


def _version(row: dict[str, Any]) -> StoredRubric:
    return StoredRubric(key=str(row["id"]), id=row["rubric_id"], version=row["version"], hash=row["content_hash"],
                         filename=row["filename"], uploaded_at=row["uploaded_at"], uploaded_by=row["uploaded_by"],
                         active=bool(row["active"]))


@lru_cache(maxsize=16)
def _parse(content_hash: str, text: str) -> Rubric:
    # Keyed by hash and text: a stored version never changes, so its parse never goes stale.
    return parse_rubric(text, f"rubric {content_hash[:19]}")


@lru_cache(maxsize=4)
def _shipped(path: str, mtime: float) -> Rubric:
    return load_rubric(Path(path))


def shipped_rubric() -> Rubric:
    """The rubric shipped with the tool (used while no version is stored), parsed once per file change."""
    return _shipped(str(DEFAULT_RUBRIC), DEFAULT_RUBRIC.stat().st_mtime)


def read_rubric_file(path: str | Path) -> Rubric:
    """A rubric file, validated (RubricError lists every problem with line and field)."""
    return load_rubric(path)


def active_rubric(store: Store) -> Rubric:
    """The rubric new deliberations and decisions use: the active stored version, else the shipped one."""
    with store.read() as tx:
        row = stored.active_text(tx)
    if row is None:
        return shipped_rubric()
    return _parse(row[0], row[1])


def _stored_by_hash(store: Store, content_hash: str) -> Rubric | None:
    with store.read() as tx:
        row = stored.text_by_hash(tx, content_hash)
    return _parse(row[0], row[1]) if row is not None else None


def rubric_by_hash(store: Store, content_hash: str) -> Rubric | None:
    """The stored rubric with this content hash, e.g. the one an earlier decision used (every decision keeps
    its rubric, `keep_rubric`); else the shipped file's, for decisions recorded before rubrics were kept."""
    found = _stored_by_hash(store, content_hash)
    if found is not None:
        return found
    shipped = shipped_rubric()
    return shipped if shipped.content_hash == content_hash else None


def decision_rubric(store: Store, decision: Decision) -> Rubric:
    """The rubric a decision was made with (by its content hash), whichever version is active now: the one
    source of the rubric for anything that shows or renders a decision (letters, the app, the CLI)."""
    found = _stored_by_hash(store, decision.rubric_hash)
    if found is not None:
        return found
    shipped = shipped_rubric()
    if shipped.content_hash != decision.rubric_hash:
        raise NotFoundError(N_("The rubric this decision used ({rubric} {version}) is no longer available"),
                            rubric=decision.rubric_id, version=decision.rubric_version)
    # A decision recorded before decisions kept their rubric, found in the shipped file while that still
    # matches: keep the text now, so a later release of the file cannot take it away.
    with store.write() as tx:
        keep_rubric(tx, shipped, "system")
    return shipped


def keep_rubric(tx: Tx, rubric: Rubric, actor: str) -> None:
    """Keep the text of a rubric a decision is about to use, unless a stored version already holds it: the
    shipped file included, since it changes with the software (a new release may reword a text of the same
    version) while a decision must always render with the rubric it was made with. Kept as an inactive
    version, in the caller's transaction; `decision_rubric` finds it by hash."""
    if stored.by_hash(tx, rubric.content_hash) is not None:
        return
    text = json.dumps(rubric.model_dump(mode="json"), ensure_ascii=False, indent=1)  # JSON is YAML
    row_id = stored.add(tx, rubric_id=rubric.id, version=rubric.version, content_hash=rubric.content_hash, text=text,
                        filename=f"{rubric.id}-{rubric.version}.json", by=actor)
    tx.append_audit(actor=actor, action="rubric.keep", entity=f"rubric_version:{row_id}",
                    after={"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash})


def list_rubric_versions(store: Store, user: User) -> list[StoredRubric]:
    """Every stored rubric version, newest first (administrators); `active` marks the one in force
    (`active_rubric`), so a stored copy of the shipped rubric (kept by a decision that used it) is active while
    nothing has been activated: offering to activate it would suggest it is not in use."""
    require(user, ACTION)
    with store.read() as tx:
        rows = stored.newest_first(tx)
    in_force = active_rubric(store).content_hash
    return [replace(v, active=v.hash == in_force) for v in map(_version, rows)]


def upload_rubric(store: Store, user: User, filename: str, raw: bytes) -> StoredRubric:
    """Validate an uploaded rubric and keep it (not yet active). Raises RubricError listing every problem with
    line and field; nothing is stored then. The same content uploaded again gives back the stored version."""
    require(user, ACTION)
    rubric = parse_rubric(raw, filename)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RubricError([Problem.of(filename, None, "", N_("not UTF-8 text"))]) from None
    with store.write() as tx:
        existing = stored.by_hash(tx, rubric.content_hash)
        if existing is not None:
            return _version(existing)
        row_id = stored.add(tx, rubric_id=rubric.id, version=rubric.version, content_hash=rubric.content_hash,
                            text=text, filename=filename, by=user.username)
        tx.append_audit(actor=user.username, action="rubric.upload", entity=f"rubric_version:{row_id}",
                        after={"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash,
                               "filename": filename})
        row = stored.by_key(tx, row_id)
    assert row is not None
    return _version(row)


def activate_rubric(store: Store, user: User, key: str | int) -> StoredRubric:
    """Make a stored rubric version the one new deliberations and decisions use. Decisions already taken
    keep the version they were made with."""
    require(user, ACTION)
    with store.write() as tx:
        row = stored.by_key(tx, int(key))
        if row is None:
            raise NotFoundError(N_("Rubric version {key} does not exist"), key=key)
        before = stored.activate(tx, row["id"], user.username)
        tx.append_audit(actor=user.username, action="rubric.activate", entity=f"rubric_version:{row['id']}",
                        before={"active": [b["content_hash"] for b in before]},
                        after={"active": row["content_hash"], "id": row["rubric_id"], "version": row["version"]})
        row = stored.by_key(tx, row["id"])
    assert row is not None
    return _version(row)
