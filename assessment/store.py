"""Storage: one SQLite file through sqlite-utils (the only module that imports it).

- Schema changes are numbered migrations (sqlite-utils' `Migrations`), applied on open inside one
  `BEGIN IMMEDIATE` transaction so two processes opening a fresh file cannot both migrate it.
- WAL mode, busy_timeout 10 s, `BEGIN IMMEDIATE` for every write (`Store.write()`): a read-then-write
  never upgrades a read lock, which is what makes SQLite answer "database is locked".
- Editable rows carry `version`, `updated_by`, `updated_at`; `Tx.update` refuses a stale version with a
  ConflictError naming who changed the row and when, and changes nothing.
- Personal data and free text live in tables named `p_*`; the evaluator's connection (`Store.analysable()`)
  installs an authorizer that refuses any read of `p_*`, `audit_*` and `users`, so an evaluator query can
  never touch them, whatever its SQL.
- The audit log (`audit_events`) is append-only: triggers refuse UPDATE and DELETE; its hash chain
  (assessment.audit) detects what a person with raw file access changes anyway.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import secrets
import sqlite3
import sys
import warnings
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args

import numpy as np

from . import audit, integrity
from .config import Settings
from .errors import ConflictError, StorageError, ValidationError
from .i18n import N_, Moment, Msg, Translatable
from .model import VIEWS
from .observation import Status


def _load_sqlite_utils_without_pandas() -> None:
    """sqlite-utils imports pandas at import time when it is installed (statsmodels brings it), only to map pandas
    column types, which the store never passes. That cost ~0.3 s of CPU in every process that opens a database:
    each CLI command, app start and worker. pandas is hidden while sqlite-utils loads, so it leaves its optional
    pandas support off; a later `import pandas` anywhere still gets the real one."""
    if "pandas" in sys.modules:  # already loaded (an evaluation ran first): nothing left to save
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # None here makes `import pandas` raise ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["pandas"]


_load_sqlite_utils_without_pandas()
from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

BUSY_TIMEOUT_MS = 10_000
# FULL: a commit is on disk before a save is acknowledged, also across a power cut (NORMAL would only
# survive a process crash). Measured cost is in bench/store.py.
SYNCHRONOUS = "FULL"
APPLICATION_ID = 0x41414E31  # "AAN1": refuse to migrate a foreign SQLite file

# Schema and migrations, in the order they apply (0001 .. 0016), all in the section below: a new migration
# takes the next number and goes at its end.
migrations = Migrations("aannemelijk")

_SCHEMA_1 = """
CREATE TABLE users (
  username TEXT PRIMARY KEY, role TEXT NOT NULL, discipline TEXT, display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, demo INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, year INTEGER NOT NULL, space TEXT NOT NULL,
  status TEXT NOT NULL, received_on TEXT NOT NULL, route TEXT NOT NULL, route_end TEXT, route_end_on TEXT,
  reported_on TEXT, form TEXT NOT NULL, sector TEXT NOT NULL DEFAULT '', period_start TEXT, period_end TEXT,
  residence_status TEXT NOT NULL, gender TEXT NOT NULL, nationality TEXT NOT NULL DEFAULT '',
  birth_year INTEGER, age_group TEXT NOT NULL, languages TEXT NOT NULL DEFAULT '[]',
  interpreter INTEGER NOT NULL DEFAULT 0, filing_party TEXT NOT NULL,
  admissibility TEXT, admissibility_on TEXT, within_term INTEGER, file_complete_on TEXT, hearing_on TEXT,
  deliberation_on TEXT, decided_on TEXT, withdrawn_on TEXT, letter_issued_on TEXT,
  panel_outcome TEXT, rubric_outcome TEXT,
  created_by TEXT NOT NULL, created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX cases_list ON cases (space, status, received_on);
CREATE INDEX cases_received ON cases (space, received_on);
CREATE INDEX cases_year ON cases (year, ref);
CREATE TABLE p_applicants (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id), name TEXT NOT NULL DEFAULT '', date_of_birth TEXT,
  contact TEXT NOT NULL DEFAULT '', representative TEXT NOT NULL DEFAULT '',
  representative_contact TEXT NOT NULL DEFAULT '', place_of_exploitation TEXT NOT NULL DEFAULT '',
  exception_reason TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',
  admissibility_reasons TEXT NOT NULL DEFAULT '', withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE panel (
  case_id INTEGER NOT NULL REFERENCES cases(id), discipline TEXT NOT NULL, username TEXT NOT NULL,
  assigned_on TEXT NOT NULL, coi_declared_on TEXT, PRIMARY KEY (case_id, discipline)
);
CREATE INDEX panel_user ON panel (username, case_id);
CREATE TABLE consents (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), scope TEXT NOT NULL,
  given_on TEXT NOT NULL, revoked_on TEXT,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX consents_case ON consents (case_id);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), source TEXT NOT NULL,
  kind TEXT NOT NULL, received_on TEXT NOT NULL, consent_scope TEXT, media_type TEXT, size INTEGER
);
CREATE INDEX documents_case ON documents (case_id);
CREATE TABLE p_documents (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id), title TEXT NOT NULL DEFAULT '', content BLOB
);
CREATE TABLE p_chronology (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), on_date TEXT NOT NULL,
  fact TEXT NOT NULL
);
CREATE INDEX chronology_case ON p_chronology (case_id);
CREATE TABLE inputs (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), discipline TEXT NOT NULL,
  username TEXT NOT NULL, submitted_at TEXT, overall_view TEXT, confidence TEXT,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (case_id, discipline)
);
CREATE TABLE p_inputs (
  input_id INTEGER PRIMARY KEY REFERENCES inputs(id), overall_reasons TEXT NOT NULL DEFAULT '',
  inconsistency_notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE observations (
  input_id INTEGER NOT NULL REFERENCES inputs(id), indicator TEXT NOT NULL, status TEXT NOT NULL,
  PRIMARY KEY (input_id, indicator)
);
CREATE TABLE p_observations (
  input_id INTEGER NOT NULL REFERENCES inputs(id), indicator TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', PRIMARY KEY (input_id, indicator)
);
CREATE TABLE dimension_views (
  input_id INTEGER NOT NULL REFERENCES inputs(id), dimension TEXT NOT NULL, view TEXT NOT NULL,
  PRIMARY KEY (input_id, dimension)
);
CREATE TABLE p_dimension_views (
  input_id INTEGER NOT NULL REFERENCES inputs(id), dimension TEXT NOT NULL, reasons TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (input_id, dimension)
);
CREATE TABLE hearings (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id), held_on TEXT NOT NULL, members TEXT NOT NULL,
  interpreter INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE p_hearings (case_id INTEGER PRIMARY KEY REFERENCES cases(id), summary TEXT NOT NULL DEFAULT '');
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), outcome TEXT NOT NULL,
  rubric_id TEXT NOT NULL, rubric_version TEXT NOT NULL, rubric_hash TEXT NOT NULL,
  rubric_outcome TEXT NOT NULL, rubric_dimensions TEXT NOT NULL, departs INTEGER NOT NULL,
  decided_at TEXT NOT NULL, decided_by TEXT NOT NULL, voided_at TEXT, voided_by TEXT
);
CREATE INDEX decisions_case ON decisions (case_id);
CREATE TABLE p_decisions (
  decision_id INTEGER PRIMARY KEY REFERENCES decisions(id), reasons TEXT NOT NULL,
  override_reason TEXT NOT NULL DEFAULT '', void_reason TEXT NOT NULL DEFAULT '', rubric_result TEXT NOT NULL
);
CREATE TABLE dissents (
  decision_id INTEGER NOT NULL REFERENCES decisions(id), username TEXT NOT NULL, PRIMARY KEY (decision_id, username)
);
CREATE TABLE p_dissents (
  decision_id INTEGER NOT NULL REFERENCES decisions(id), username TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (decision_id, username)
);
CREATE TABLE followups (
  case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, result TEXT NOT NULL, on_date TEXT,
  PRIMARY KEY (case_id, kind)
);
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  case_ref TEXT, entity TEXT NOT NULL DEFAULT '', before TEXT, after TEXT, reason TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_case ON audit_events (case_ref, seq);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""


def _statements(script: str) -> list[str]:
    # A statement ends at a line ending in ';' (each trigger body above sits on one line ending in 'END;').
    out: list[str] = []
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(buf))
            buf = []
    if buf:
        out.append("\n".join(buf))
    return [s for s in out if s.strip()]


@migrations(name="0001_initial")
def _m0001(db: Database) -> None:
    for statement in _statements(_SCHEMA_1):
        db.execute(statement)


# Issued letters (never changed: a correction is a new row) and letter template versions; and the panel's
# own finding per element of a decision (analysable, so evaluators can compare it with the rubric's).
_SCHEMA_LETTERS = """
CREATE TABLE letters (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), lang TEXT NOT NULL,
  version INTEGER NOT NULL, replaces_version INTEGER, format TEXT NOT NULL, sha256 TEXT NOT NULL,
  size INTEGER NOT NULL, template_version TEXT NOT NULL, rubric_id TEXT NOT NULL, rubric_version TEXT NOT NULL,
  rubric_hash TEXT NOT NULL, decision_id INTEGER NOT NULL REFERENCES decisions(id), issued_by TEXT NOT NULL,
  issued_at TEXT NOT NULL, UNIQUE (case_id, lang, version)
);
CREATE TABLE p_letters (
  letter_id INTEGER PRIMARY KEY REFERENCES letters(id), content BLOB NOT NULL,
  correction_reason TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TRIGGER p_letters_no_update BEFORE UPDATE ON p_letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TRIGGER p_letters_no_delete BEFORE DELETE ON p_letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TABLE letter_templates (
  id TEXT PRIMARY KEY, files TEXT NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL,
  valid INTEGER NOT NULL, report TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 0,
  activated_by TEXT, activated_at TEXT
);
CREATE TABLE decision_findings (
  decision_id INTEGER NOT NULL REFERENCES decisions(id), dimension TEXT NOT NULL, finding TEXT NOT NULL,
  PRIMARY KEY (decision_id, dimension)
)
"""


@migrations(name="0002_letters")
def _m0002_letters(db: Database) -> None:
    for statement in _statements(_SCHEMA_LETTERS):
        db.execute(statement)


# Retention (assessment.services.privacy): inside its transaction it inserts a permit for one case; only then
# may the case's audit events have `before`/`after`/`reason` replaced by `redacted:<digest>` (nothing else),
# and its issued letters' content (p_letters) be deleted. Without a permit both stay refused as before.
_AUDIT_REDACTABLE = (
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events WHEN NOT ("
    "EXISTS (SELECT 1 FROM retention_permits WHERE case_ref = OLD.case_ref) "
    "AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action "
    "AND NEW.case_ref IS OLD.case_ref AND NEW.entity IS OLD.entity AND NEW.prev_hash IS OLD.prev_hash "
    "AND NEW.hash IS OLD.hash "
    "AND (NEW.before IS OLD.before OR NEW.before LIKE 'redacted:sha256:%') "
    "AND (NEW.after IS OLD.after OR NEW.after LIKE 'redacted:sha256:%') "
    "AND (NEW.reason IS OLD.reason OR NEW.reason LIKE 'redacted:sha256:%')) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)
_LETTER_PURGEABLE = (
    "CREATE TRIGGER p_letters_no_delete BEFORE DELETE ON p_letters WHEN NOT EXISTS ("
    "SELECT 1 FROM retention_permits r JOIN cases c ON c.ref = r.case_ref JOIN letters l ON l.case_id = c.id "
    "WHERE l.id = OLD.letter_id) "
    "BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END"
)


@migrations(name="0003_retention")
def _m0003_retention(db: Database) -> None:
    db.execute("CREATE TABLE retention_permits (case_ref TEXT PRIMARY KEY)")
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute(_AUDIT_REDACTABLE)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if "p_letters" in tables:
        db.execute("DROP TRIGGER IF EXISTS p_letters_no_delete")
        db.execute(_LETTER_PURGEABLE)


# Training space (assessment.services.training): the file says which space it is (`space_marker`, set on
# first open: a file with users or cases and no mark is production); training sessions, their cases with the
# reference assessment, trainees, and each trainee's input per session and case (not in `inputs`, which
# holds one input per case and discipline).
_SCHEMA_TRAINING = """
CREATE TABLE space_marker (id INTEGER PRIMARY KEY CHECK (id = 1), space TEXT NOT NULL, marked_at TEXT NOT NULL);
CREATE TABLE training_sessions (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, reset_at TEXT
);
CREATE TABLE training_cases (
  session_id INTEGER NOT NULL REFERENCES training_sessions(id), case_ref TEXT NOT NULL, case_file TEXT NOT NULL,
  reference TEXT NOT NULL, PRIMARY KEY (session_id, case_ref)
);
CREATE TABLE training_trainees (
  session_id INTEGER NOT NULL REFERENCES training_sessions(id), username TEXT NOT NULL,
  PRIMARY KEY (session_id, username)
);
CREATE TABLE training_inputs (
  id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES training_sessions(id), username TEXT NOT NULL,
  case_ref TEXT NOT NULL, draft TEXT NOT NULL, submitted_at TEXT,
  version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (session_id, username, case_ref)
)
"""


@migrations(name="0004_training")
def _m0004_training(db: Database) -> None:
    for statement in _statements(_SCHEMA_TRAINING):
        db.execute(statement)


# Rubric versions (assessment.services.rubrics): every uploaded rubric, its YAML text and content hash; at
# most one is active. Never deleted and never changed (only the active flag moves), so a decision's rubric
# id, version and hash always point at text that still exists.
_SCHEMA_RUBRICS = """
CREATE TABLE rubric_versions (
  id INTEGER PRIMARY KEY, rubric_id TEXT NOT NULL, version TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE,
  yaml TEXT NOT NULL, filename TEXT NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0, activated_by TEXT, activated_at TEXT
);
CREATE UNIQUE INDEX rubric_versions_one_active ON rubric_versions (active) WHERE active = 1;
CREATE TRIGGER rubric_versions_no_delete BEFORE DELETE ON rubric_versions
  BEGIN SELECT RAISE(ABORT, 'a rubric version is never deleted'); END;
CREATE TRIGGER rubric_versions_keep_content BEFORE UPDATE OF id, rubric_id, version, content_hash, yaml, filename, uploaded_by, uploaded_at ON rubric_versions
  BEGIN SELECT RAISE(ABORT, 'a stored rubric version never changes; upload a new one'); END
"""


@migrations(name="0005_rubric_versions")
def _m0005_rubric_versions(db: Database) -> None:
    for statement in _statements(_SCHEMA_RUBRICS):
        db.execute(statement)


@migrations(name="0006_text_language")
def _m0006_text_language(db: Database) -> None:
    # The language a case's texts are typed in, so a letter in the other language can mark them.
    db.execute("ALTER TABLE cases ADD COLUMN text_language TEXT NOT NULL DEFAULT 'nl'")


@migrations(name="0007_recipient_consents")
def _m0007_recipient_consents(db: Database) -> None:
    # Consent to share the advice with one named recipient, and who gave it (the applicant, or the legal
    # representative of a minor under 16): only those recipients get a copy of the letter.
    db.execute(
        "CREATE TABLE recipient_consents (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), "
        "recipient TEXT NOT NULL, given_on TEXT NOT NULL, given_by TEXT NOT NULL, revoked_on TEXT, "
        "version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)")
    db.execute("CREATE INDEX recipient_consents_case ON recipient_consents (case_id)")


# Before 2026-12 the last three migrations were registered as 0090_retention, 0070_training and
# 0110_rubric_versions (applied in that order, which is the order above). A database migrated under those
# names gets its records renamed on open, inside the migration transaction, and nothing is applied twice.
RENAMED_MIGRATIONS = {
    "0090_retention": "0003_retention",
    "0070_training": "0004_training",
    "0110_rubric_versions": "0005_rubric_versions",
}


def _rename_old_migrations(conn: sqlite3.Connection) -> None:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return
    for old, new in RENAMED_MIGRATIONS.items():
        conn.execute("UPDATE _sqlite_migrations SET name = ? WHERE migration_set = ? AND name = ?",
                     [new, migrations.name, old])


# Columns each table may be queried or written by name (guards the generic Tx helpers against injection).
_COLUMNS: dict[str, frozenset[str]] = {}


def _load_columns(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cols = frozenset(r[1] for r in conn.execute(f'PRAGMA table_info("{name}")').fetchall())
        _COLUMNS[name] = cols


def now_iso() -> str:
    """The current time in UTC, to the microsecond, as stored everywhere."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Tx:
    """One open transaction. Every query and write of the project goes through these few methods."""

    def __init__(self, conn: sqlite3.Connection, key: bytes | None = None) -> None:
        self.conn = conn
        self.key = key  # the audit key (None: a read-only or evaluator transaction, which appends nothing)
        self.case_events: dict[str, int] = {}  # case ref -> last audit seq appended in this transaction
        self.touched_cases: set[int] = set()  # ids of `cases` rows written in this transaction
        self.head: tuple[int, str] | None = None  # the head after this transaction's last append

    def _touch(self, table: str, key: dict[str, Any] | None = None, rowid: int | None = None) -> None:
        if table != "cases":
            return
        if rowid is not None:
            self.touched_cases.add(rowid)
        elif key is not None:
            self.touched_cases.update(r["id"] for r in self.select("cases", **key))

    def seal_cases(self) -> None:
        """Seal every `cases` row written in this transaction to the audit event that records the change
        (assessment.integrity); a change without its event is refused."""
        if self.key is None:
            if self.touched_cases:
                raise StorageError("cases written without the audit key")
            return
        for case_id in sorted(self.touched_cases):
            row = self.get("cases", id=case_id)
            if row is None:
                continue
            seq = self.case_events.get(row["ref"])
            if seq is None:
                raise StorageError(N_("A change to {ref} without an audit event"), ref=row["ref"])
            self.conn.execute("UPDATE cases SET row_mac = ? WHERE id = ?",
                              [integrity.case_mac(self.key, row, seq), case_id])

    @staticmethod
    def _check(table: str, cols: Sequence[str]) -> None:
        known = _COLUMNS.get(table)
        if known is None:
            raise StorageError(f"unknown table {table!r}")
        bad = [c for c in cols if c not in known]
        if bad:
            raise StorageError(f"unknown column(s) {bad} in {table!r}")

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row; returns its rowid."""
        self._check(table, list(values))
        cols = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', [_sql(v) for v in values.values()])
        self._touch(table, rowid=int(cur.lastrowid or 0))
        return int(cur.lastrowid or 0)

    def upsert(self, table: str, values: dict[str, Any]) -> None:
        """Insert or replace one row by its primary key (for rows without a version)."""
        self._check(table, list(values))
        cols = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        self.conn.execute(f'INSERT OR REPLACE INTO "{table}" ({cols}) VALUES ({marks})', [_sql(v) for v in values.values()])
        if table == "cases":
            self._touch(table, rowid=self.conn.execute("SELECT last_insert_rowid()").fetchone()[0])

    def get(self, table: str, **where: Any) -> dict[str, Any] | None:
        """The one row matching `where`, or None."""
        rows = self.select(table, **where)
        return rows[0] if rows else None

    def select(self, table: str, order_by: str | None = None, **where: Any) -> list[dict[str, Any]]:
        """Rows matching every `column=value` in `where` (a list or tuple value means IN)."""
        order_cols = [part.split()[0] for part in order_by.split(",")] if order_by else []
        self._check(table, [*where, *order_cols])
        sql = f'SELECT * FROM "{table}"'
        params: list[Any] = []
        clauses = []
        for col, value in where.items():
            if isinstance(value, list | tuple):
                clauses.append(f'"{col}" IN ({", ".join("?" for _ in value)})')
                params.extend(_sql(v) for v in value)
            else:
                clauses.append(f'"{col}" = ?')
                params.append(_sql(value))
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        if order_by:
            sql += f" ORDER BY {order_by}"
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def set(self, table: str, key: dict[str, Any], values: dict[str, Any]) -> None:
        """Update columns of an unversioned row (a part of a versioned record, changed with it)."""
        self._check(table, [*key, *values])
        assignments = ", ".join(f'"{c}" = ?' for c in values)
        where = " AND ".join(f'"{c}" = ?' for c in key)
        self.conn.execute(f'UPDATE "{table}" SET {assignments} WHERE {where}',
                          [*(_sql(v) for v in values.values()), *(_sql(v) for v in key.values())])
        self._touch(table, key)

    def delete(self, table: str, **where: Any) -> None:
        """Delete rows matching `where` (never used on the audit log, whose triggers refuse it)."""
        self._check(table, list(where))
        clause = " AND ".join(f'"{c}" = ?' for c in where)
        self.conn.execute(f'DELETE FROM "{table}" WHERE {clause}', [_sql(v) for v in where.values()])

    def update(
        self, table: str, key: dict[str, Any], values: dict[str, Any], *, actor: str,
        expected_version: int | None, what: Translatable,
    ) -> int:
        """Update one versioned row if its version is still `expected_version` (None: take the current
        one, for changes that cannot conflict); returns the new version. A stale version raises
        ConflictError naming who saved last and when; nothing is written then."""
        self._check(table, [*key, *values])
        current = self.get(table, **key)
        if current is None:
            raise StorageError(N_("{what} does not exist"), what=what)
        version = current["version"] if expected_version is None else expected_version
        sets = dict(values, version=version + 1, updated_by=actor, updated_at=now_iso())
        assignments = ", ".join(f'"{c}" = ?' for c in sets)
        where = " AND ".join(f'"{c}" = ?' for c in key)
        cur = self.conn.execute(
            f'UPDATE "{table}" SET {assignments} WHERE {where} AND version = ?',
            [*(_sql(v) for v in sets.values()), *(_sql(v) for v in key.values()), version],
        )
        if cur.rowcount != 1:
            raise ConflictError(
                N_("{what} was changed by {by} at {at} (your version {yours}, now {now}); nothing was saved. "
                   "Reload and try again."),
                what=what, by=current["updated_by"], at=Moment(str(current["updated_at"])), yours=version, now=current["version"],
                current={"version": current["version"], "updated_by": current["updated_by"],
                         "updated_at": current["updated_at"]},
            )
        self._touch(table, key)
        return int(version + 1)

    # --- case references ---------------------------------------------------------------------------------

    def next_case_ref(self, year: int, prefix: str = "AAN") -> str:
        """The next free `<prefix>-<year>-<nnnn>` (prefixes: `assessment.model.REF_PREFIX`), numbered per
        prefix and year; call inside the write transaction that inserts the case."""
        row = self.conn.execute(
            "SELECT MAX(CAST(substr(ref, ?) AS INTEGER)) FROM cases WHERE year = ? AND substr(ref, 1, ?) = ?",
            [len(prefix) + 7, year, len(prefix) + 1, f"{prefix}-"],
        ).fetchone()
        n = (row[0] or 0) + 1
        if n > 9999:
            raise StorageError(N_("No case references left for {year}: {ref} is taken"), year=str(year),
                               ref=f"{prefix}-{year}-9999")
        return f"{prefix}-{year}-{n:04d}"

    # --- queries -------------------------------------------------------------------------------------------

    def analysable_columns(self, blocks: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """What the evaluators' figures need of every real case, column by column (no row dicts: the figures
        read 100,000 cases and millions of ratings): `cases` (with the rubric and departure of the case's
        last decision not voided), the submitted `inputs` (medical input only under an unrevoked medical
        consent), `observations` and `views` of inputs (those of inputs not listed are for the reader to
        drop), `followups`, and the panel's `findings` per part beside the instrument's status (the case's
        live decision). Cases, inputs, follow-ups and findings in a fixed order; ratings and views in storage
        order. The millions of ratings and views come packed (see `_entries`): a Python tuple and two strings
        per rating cost seconds and would not fit the evaluators' memory budget.

        Each case comes with its `block` (`BLOCK`). `blocks`: only the cases received in these
        blocks, with everything of theirs: the evaluators' columns are kept per block, and after a change
        only the blocks changed are read again."""
        with _collection_paused():
            return self._analysable_columns(blocks)

    def _analysable_columns(self, blocks: Sequence[str] | None) -> dict[str, dict[str, Any]]:
        received, only = _received_in(blocks or [])
        in_blocks = "" if blocks is None else f" AND {received}"
        of_cases = f"case_id IN (SELECT id FROM cases c WHERE c.space = 'real' AND {received})"
        of_blocks, and_of_blocks = ("", "") if blocks is None else (f" WHERE {of_cases}", f" AND {of_cases}")
        joined = "inputs i CROSS JOIN cases c ON c.id = i.case_id" if blocks is None else \
            "cases c JOIN inputs i ON i.case_id = c.id"

        def q(sql: str) -> sqlite3.Cursor:  # each condition on the blocks takes the blocks as its parameters
            return self.conn.execute(sql, only * sql.count(received))

        return {
            "cases": _by_column(q(
                "SELECT c.id, c.ref, c.status, c.received_on, c.admissibility_on, c.file_complete_on, c.hearing_on, "
                "c.deliberation_on, c.decided_on, c.letter_issued_on, c.form, c.nationality, c.gender, c.birth_year, "
                "c.age_group, c.period_start, c.route, c.panel_outcome, c.rubric_outcome, d.rubric_id, d.rubric_version, d.departs, "
                "c.filing_party, c.residence_status, pr.exception_ground, pr.inadmissible_grounds, "
                f"h.interpreter AS hearing_interpreter, {BLOCK.format('c.received_on')} AS block "
                # Each case's last decision not voided, found once for all cases (a subquery per case costs
                # a search of decisions for each of 100,000 cases).
                "FROM cases c LEFT JOIN (SELECT case_id, max(id) AS id FROM decisions WHERE voided_at IS NULL"
                f"{and_of_blocks} GROUP BY case_id) live ON live.case_id = c.id LEFT JOIN decisions d ON d.id = live.id "
                "LEFT JOIN case_procedure pr ON pr.case_id = c.id LEFT JOIN hearings h ON h.case_id = c.id "
                f"WHERE c.space = 'real'{in_blocks} ORDER BY c.received_on, c.id"
            )),
            "inputs": _by_column(q(
                # All cases: inputs first (CROSS JOIN keeps that order): their (case_id, discipline) index gives
                # the order asked for, where cases first would sort 300,000 rows afterwards. Some blocks: their
                # cases first (a few hundred inputs to sort, not 300,000 to pass).
                f"SELECT i.id, i.case_id, i.discipline, i.overall_view FROM {joined} "
                "WHERE c.space = 'real' AND i.submitted_at IS NOT NULL AND i.submitted_at != '' AND (i.discipline != 'medical' "
                "OR EXISTS (SELECT 1 FROM consents s WHERE s.case_id = i.case_id AND s.scope = 'medical' AND s.revoked_on IS NULL))"
                f"{in_blocks} ORDER BY i.case_id, i.discipline"
            )),
            "observations": _entries(self.conn, "observations", "indicator", "status", get_args(Status), blocks),
            "views": _entries(self.conn, "dimension_views", "dimension", "view", VIEWS, blocks),
            "followups": _by_column(q(f"SELECT case_id, kind, result FROM followups{of_blocks} ORDER BY case_id, kind")),
            "advice_uses": _by_column(q(f"SELECT case_id, used_by, followed FROM advice_uses{of_blocks} "
                                        "ORDER BY case_id, used_by")),
            # The panel's finding per part of each live decision, beside the instrument's status then.
            "findings": _by_column(q(
                "SELECT d.case_id, f.dimension, json_extract(d.rubric_dimensions, '$.' || f.dimension) AS status, "
                "f.finding FROM decisions d JOIN cases c ON c.id = d.case_id "
                "JOIN decision_findings f ON f.decision_id = d.id "
                "WHERE c.space = 'real' AND d.id = (SELECT max(id) FROM decisions WHERE case_id = d.case_id "
                f"AND voided_at IS NULL){in_blocks} ORDER BY d.case_id, f.dimension"
            )),
        }  # fmt: skip

    def analysis_blocks(self) -> dict[str, int]:
        """The blocks in which real cases were received (`BLOCK`), in order, with their number of cases:
        the evaluators' columns are kept per block (see `_m0016_analysis_blocks`)."""
        return dict(self.conn.execute(
            f"SELECT {BLOCK.format('received_on')} AS block, count(*) FROM cases WHERE space = 'real' "
            "GROUP BY block ORDER BY block").fetchall())

    def kept_analysis_blocks(self, fmt: str) -> tuple[int, dict[str, bytes]]:
        """The epoch of the evaluators' columns kept per block, and the columns of each block kept in format
        `fmt` (a block changed since is not among them)."""
        epoch = self.conn.execute("SELECT epoch FROM analysis_epoch WHERE id = 1").fetchone()
        rows = self.conn.execute("SELECT block, columns FROM analysis_blocks WHERE format = ?", [fmt])
        return (0 if epoch is None else int(epoch[0])), dict(rows.fetchall())

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows in one statement (the parts of a record saved together; synthetic populations
        for tests and benchmarks). Rows of `cases` written so are not sealed: only the seeding does that."""
        self._check(table, columns)
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


    def list_cases(
        self, spaces: Sequence[str], *, status: str | None = None, member: str | None = None,
        limit: int = 200, offset: int = 0,
    ) -> list[dict[str, Any]]:
        """The case list, newest first: only the columns a list shows, served by the `cases_list` index."""
        if not spaces:
            return []
        sql = ("SELECT ref, space, status, received_on, form, route, version FROM cases "
               f"WHERE space IN ({', '.join('?' for _ in spaces)})")
        params: list[Any] = list(spaces)
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        if member is not None:
            sql += " AND id IN (SELECT case_id FROM panel WHERE username = ?)"
            params.append(member)
        sql += " ORDER BY received_on DESC, id DESC LIMIT ? OFFSET ?"
        params += [limit, offset]
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # --- audit ---------------------------------------------------------------------------------------------

    def append_audit(
        self, *, actor: str, action: str, case_ref: str | None = None, entity: str = "",
        before: Any = None, after: Any = None, reason: str = "",
    ) -> int:
        """Append one event to the hash chain, in the caller's transaction (so it commits with the change)."""
        head = self.conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        prev_seq, prev_hash = head if head else (0, audit.GENESIS)
        event = audit.Event(
            seq=prev_seq + 1, at=now_iso(), actor=actor, action=action, case_ref=case_ref, entity=entity,
            before=_json(before), after=_json(after), reason=reason, prev_hash=prev_hash, hash="",
        )
        if self.key is None:
            raise StorageError("audit events are appended only in a write transaction (with the audit key)")
        sealed = audit.seal(event, self.key)
        self.insert("audit_events", sealed.row())
        self.conn.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            [sealed.seq, sealed.hash],
        )
        if case_ref is not None:
            self.case_events[case_ref] = sealed.seq
        self.head = (sealed.seq, sealed.hash)
        return sealed.seq

    def audit_events(self, case_ref: str | None = None) -> list[audit.Event]:
        """The audit log in stored order (all of it, or one case's)."""
        rows = self.select("audit_events", order_by="seq", **({"case_ref": case_ref} if case_ref else {}))
        return [audit.Event(**r) for r in rows]

    def last_setting_event(self, action: str) -> audit.Event | None:
        """The newest event of `action` that concerns no case (a setting's change; read through the audit
        index of events without a case, so it stays quick on a long log)."""
        row = self.conn.execute("SELECT * FROM audit_events WHERE case_ref IS NULL AND action = ? "
                                "ORDER BY seq DESC LIMIT 1", [action])
        names = [d[0] for d in row.description]
        found = row.fetchone()
        return None if found is None else audit.Event(**dict(zip(names, found, strict=True)))

    def audit_head(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while 100,000s of row tuples are made: it would walk them again and
    again (about a second at 100,000 cases), and rows of plain values hold no cycles to collect."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _by_column(cur: sqlite3.Cursor) -> dict[str, Sequence[Any]]:
    """A query's result as one sequence per column, by column name."""
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {n: () for n in names}


# Ratings and views are read in slices of this many rows (bounds the text each slice holds in memory).
ENTRY_SLICE = 500_000
_VALUE_CHARS = 60  # values coded by SQLite as one character each ('A' + position in the expected values)


# The block of a case: the cases received in the same days 1-9, 10-19, 20-29 or 30-31 of a month, named by
# the first nine characters of their `received_on` (ISO date): '2018-03-1' holds 10 to 19 March 2018. The
# evaluators' columns are kept per block: a change to a case drops its block, and a read reads again only
# the blocks dropped. About ten days: a national-like year of 100,000 cases has some 2,800 a block, few enough
# to read again in a fraction of a second after a save, and 48 blocks, few enough to join quickly. A prefix
# keeps the order: cases in order of receipt are in order of block, whatever text a date holds. (Not the
# report's periods of month, quarter and year: `evaluation.metrics.PERIODS`.) Written into every database's
# triggers by migration 0016: a change here needs a new migration that recreates them and empties
# `analysis_blocks` (blocks kept under the old names would never be read or dropped again).
BLOCK = "substr({}, 1, 9)"


def _received_in(blocks: Sequence[str]) -> tuple[str, list[str]]:
    """The condition for real cases `c` received in these blocks, and its parameters. The range first, so
    that SQLite finds the cases through the `cases_received` index instead of computing every case's block
    (the last character of U+10FFFF sorts after any other a date can hold); then the blocks themselves. Not
    SQLite's json_each: the evaluators' connection may not run what it needs (`_evaluator_authorizer`)."""
    if not blocks:
        return "0", []
    marks = ", ".join("?" for _ in blocks)
    return (f"c.received_on >= ? AND c.received_on < ? AND {BLOCK.format('c.received_on')} IN ({marks})",
            [min(blocks), max(blocks) + "\U0010ffff", *blocks])


def _entries(conn: sqlite3.Connection, table: str, key: str, value: str, expected: Sequence[str],
             blocks: Sequence[str] | None = None) -> dict[str, Any]:
    """Every (input_id, key, value) row of `table` (observations or dimension_views), without a Python
    object per row: SQLite concatenates each slice of rows into three strings, which are unpacked in bulk.

    - `input`: the rows' input ids (numpy int64), parsed from one comma-separated text.
    - `key`: per row, the row number where its key first appeared; `values:key` the distinct keys and
      `firsts:key` those row numbers, in order of first appearance (the reader makes the codes dense).
    - `value`: per row, the position of its value in `values:value` (numpy int64): the `expected` values,
      which SQLite codes as one character each, then any other value met.

    A slice with a value not expected, a key holding the separator (char 31) or an id that is not a whole
    number is read row by row instead, with the same result.

    `blocks`: only the rows of inputs of real cases received in these blocks (`BLOCK`), read through
    the tables' keys; otherwise every row, in slices of storage order."""
    if len(expected) > _VALUE_CHARS:
        raise StorageError(f"{table}: too many expected values to code ({len(expected)})")
    slices: list[tuple[str, list[Any]]]  # each slice's condition and parameters
    if blocks is None:
        low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
        slices = [("rowid BETWEEN ? AND ?", [start, start + ENTRY_SLICE - 1])
                  for start in range(low or 0, (high or -1) + 1, ENTRY_SLICE)]
    else:
        received, params = _received_in(blocks)
        slices = [(f"input_id IN (SELECT i.id FROM inputs i JOIN cases c ON c.id = i.case_id WHERE c.space = 'real' "
                   f"AND {received})", params)]
    coded = " ".join(f"WHEN ? THEN '{chr(65 + i)}'" for i in range(len(expected)))
    sql = (f"SELECT group_concat(input_id, ','), group_concat({key}, char(31)), "
           f"group_concat(CASE {value} {coded} ELSE char(30) END, ''), count(*) FROM {table} WHERE ")
    seen: dict[Any, int] = {}
    values: list[Any] = list(expected)
    value_index = {v: i for i, v in enumerate(values)}
    inputs: list[np.ndarray] = []
    value_codes: list[np.ndarray] = []
    codes = array("q")
    done = 0
    for where, params in slices:
        ids_text, key_text, value_text, n = conn.execute(sql + where, [*expected, *params]).fetchone()
        if not n:
            continue
        tokens = key_text.split("\x1f")
        ids = _whole_numbers(ids_text)
        if ids is not None and len(ids) == len(tokens) == len(value_text) == n and "\x1e" not in value_text:
            inputs.append(ids)
            codes.extend(map(seen.setdefault, tokens, itertools.count(done)))
            value_codes.append(np.frombuffer(value_text.encode("ascii"), dtype=np.uint8).astype(np.int64) - 65)
        else:  # a value not expected, a separator inside a key, or an odd id: this slice row by row
            rows = conn.execute(f"SELECT input_id, {key}, {value} FROM {table} WHERE {where}", params).fetchall()
            inputs.append(np.array([r[0] for r in rows], dtype=np.int64))
            codes.extend(map(seen.setdefault, (r[1] for r in rows), itertools.count(done)))
            for v in {r[2] for r in rows}.difference(value_index):
                value_index[v] = len(values)
                values.append(v)
            value_codes.append(np.array([value_index[r[2]] for r in rows], dtype=np.int64))
        done += n
    return {
        "input": np.concatenate(inputs) if inputs else np.zeros(0, dtype=np.int64),
        "key": codes,
        "values:key": list(seen),
        "firsts:key": array("q", seen.values()),
        "value": np.concatenate(value_codes) if value_codes else np.zeros(0, dtype=np.int64),
        "values:value": values,
    }


def _whole_numbers(text: str) -> np.ndarray | None:
    """The comma-separated whole numbers of `text`, or None when it holds anything else."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            numbers: np.ndarray = np.fromstring(text, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    return numbers


def _sql(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


_EVALUATOR_FORBIDDEN = ("p_", "audit_", "users", "_sqlite_migrations")


def _evaluator_authorizer(action: int, arg1: str | None, arg2: str | None, dbname: str | None,
                          source: str | None) -> int:
    # SQLITE_READ gives the table in arg1; anything but reading and selecting is refused outright.
    if action == sqlite3.SQLITE_READ:
        return sqlite3.SQLITE_DENY if arg1 and arg1.startswith(_EVALUATOR_FORBIDDEN) else sqlite3.SQLITE_OK
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_TRANSACTION):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class Store:
    """An open database with its settings. Use `write()` for any change and `read()` for a snapshot."""

    def __init__(self, db: Database, settings: Settings, key: bytes, identity: str) -> None:
        self.db = db
        self.settings = settings
        self.path = Path(settings.db_path)
        self.key = key  # the audit key, from outside the file (assessment.integrity)
        self.identity = identity  # this database's own id (db_identity), kept by backups and restores
        self._open: Tx | None = None  # the write transaction open on this connection, if any

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction taken with BEGIN IMMEDIATE: waits (busy_timeout) instead of failing.

        Called while a write is already open on this connection (a use case made of several service calls,
        such as importing a case file), it joins that transaction through a savepoint: everything commits
        together or not at all, and the audit events roll back with the changes they describe."""
        if self._open is not None:
            with self._nested(self._open) as tx:
                yield tx
            return
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            # sqlite's own words ("database is locked") stay in the log (the chained cause), out of the message.
            raise StorageError(N_("The database is busy; nothing was saved. Try again in a moment.")) from exc
        try:
            tx = Tx(conn, self.key)
            self._open = tx
            yield tx
            self._open = None
            tx.seal_cases()
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            # Disk full, file-size limit, I/O error, locked too long: nothing of this save was written.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StorageError(N_("Saving failed, nothing was saved: {reason}. Tell the administrator (disk space?)."),
                               reason=str(exc)) from exc
        except UnicodeEncodeError:
            # A lone surrogate (pasted from a broken source) cannot be stored as UTF-8: refuse the save.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ValidationError(N_("The text contains an invalid character; nothing was saved.")) from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            self._open = None
        if tx.head is not None:
            self.anchor(tx.head, "commit")

    @contextmanager
    def _nested(self, tx: Tx) -> Iterator[Tx]:
        """A savepoint in the open write: a failure inside undoes only its own part (and the transaction's
        own record of it), so a caller that handles the error continues from a consistent state."""
        kept = (dict(tx.case_events), set(tx.touched_cases), tx.head)
        tx.conn.execute("SAVEPOINT nested_write")
        try:
            yield tx
        except BaseException:
            tx.conn.execute("ROLLBACK TO nested_write")
            tx.conn.execute("RELEASE nested_write")
            tx.case_events, tx.touched_cases, tx.head = kept
            raise
        tx.conn.execute("RELEASE nested_write")

    def anchor(self, head: tuple[int, str], kind: str, path: Path | None = None, file: Path | None = None) -> None:
        """Append the head to the anchor file (after the commit: an anchor never names an uncommitted event).
        A failure to write it does not undo the committed save; it is reported on stderr and the next
        commit anchors again."""
        target = (path or self.path).resolve()
        try:
            integrity.append_anchor(file or self.settings.anchor_path, self.key, integrity.Anchor(
                at=now_iso(), db=self.identity, path=str(target), seq=head[0], hash=head[1], kind=kind))
        except OSError as exc:
            print(f"aannemelijk: anchor not written ({exc})", file=sys.stderr)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read transaction: every query inside sees the same snapshot (inside an open write: that
        write's own, uncommitted state)."""
        conn = self.db.conn
        if self._open is not None:
            yield Tx(conn)
            return
        try:
            conn.execute("BEGIN")
            try:
                yield Tx(conn)
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            # Locked too long, an I/O error, a file gone: a clear message; sqlite's own words stay in the log
            # (the chained cause). Nothing is changed by a read, so nothing is lost.
            raise StorageError(N_("The database could not be read just now. Try again in a moment; if it keeps "
                                  "happening, tell the administrator.")) from exc

    @contextmanager
    def analysable(self) -> Iterator[Tx]:
        """A read-only snapshot that cannot read personal data, free text, users or the audit log."""
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.set_authorizer(_evaluator_authorizer)
            conn.execute("BEGIN")
            yield Tx(conn)
        finally:
            conn.close()

    def drop_analysis_blocks(self) -> None:
        """Drop every block of the evaluators' kept columns, as changing a case of each block would (the
        next read is a cold one: `bench/evaluation.py` measures it so). Derived data, not a record: no audit
        event."""
        with self.write() as tx:
            tx.conn.execute(_STALE_EPOCH)
            tx.conn.execute("DELETE FROM analysis_blocks")

    def keep_analysis_blocks(self, epoch: int, fmt: str, columns: dict[str, bytes | bytearray]) -> bool:
        """Keep the evaluators' columns of these blocks, read at `epoch`, unless a table they come from
        changed since (then False and nothing is kept). Derived data, not a record: no audit event."""
        with self.write() as tx:
            now = tx.conn.execute("SELECT epoch FROM analysis_epoch WHERE id = 1").fetchone()
            if now is None or int(now[0]) != epoch:
                return False
            tx.conn.executemany("INSERT OR REPLACE INTO analysis_blocks (block, format, columns) VALUES (?, ?, ?)",
                                [(block, fmt, blob) for block, blob in columns.items()])
        return True

    def overwrite_deleted(self) -> None:
        """From now on SQLite overwrites what is deleted instead of leaving it in free pages of the file
        (PRAGMA secure_delete; used before personal data is removed)."""
        self.db.execute("PRAGMA secure_delete = ON")

    def fold_wal(self) -> bool:
        """Fold the WAL into the main file and empty it, so no earlier page version survives there. True only
        when that happened: SQLite copied every frame and emptied the -wal file. A reader holding an older
        snapshot (past the busy timeout) keeps SQLite from doing it, and it says so in its answer, which a
        caller that removed text must not ignore."""
        busy, log, copied = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        wal = self.path.with_name(self.path.name + "-wal")
        return busy == 0 and log == copied and (not wal.exists() or wal.stat().st_size == 0)

    def integrity_problems(self) -> list[Msg]:
        """What `audit verify` finds in this database under its key (see `integrity_problems`)."""
        with self.read() as tx:
            return integrity_problems(tx.conn, self.key)

    def is_fresh(self) -> bool:
        """No audit event and no case yet (a restore into it replaces nothing of value)."""
        with self.read() as tx:
            return not tx.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM audit_events) OR EXISTS (SELECT 1 FROM cases)").fetchone()[0]

    def reseal(self, reason: str) -> None:
        """Seal the whole chain and every case row with this installation's key (a forced restore)."""
        reseal(self.db.conn, self.key, reason=reason)
        self.identity = identity_of(self.db.conn) or self.identity

    def adopt_identity(self) -> None:
        """After a restore: this store now holds the restored file's identity."""
        self.identity = identity_of(self.db.conn) or self.identity

    def integrity_ok(self) -> bool:
        """PRAGMA integrity_check says 'ok'."""
        return _integrity_ok(self.db.conn)

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup), written to `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()

    def restore_from(self, source: Path) -> None:
        """Replace this database's content with `source`, after checking it is ours and intact."""
        src = _open_checked_source(source)
        try:
            _refuse_other_space(src, self.db.conn, source)  # a restore never mixes training and real cases
            src.backup(self.db.conn)
        finally:
            src.close()
        _load_columns(self.db.conn)

    def check_same_space(self, source: Path) -> None:
        """Refuse a backup of the other space (training over production or the reverse) before anything
        else happens, so a refused restore leaves no trace."""
        src = _open_checked_source(source)
        try:
            _refuse_other_space(src, self.db.conn, source)
        finally:
            src.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def _open_checked_source(source: Path) -> sqlite3.Connection:
    if not source.is_file():
        raise StorageError(N_("File not found: {source}"), source=source)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        ok = _integrity_ok(conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0] if ok else None
    except sqlite3.DatabaseError:
        ok, app_id = False, None
    if not ok:
        conn.close()
        raise StorageError(N_("{source} is damaged (its integrity check fails); nothing was restored."),
                           source=str(source))
    if app_id != APPLICATION_ID:
        conn.close()
        raise StorageError(N_("{source} is not an Aannemelijk database."), source=str(source))
    return conn


def _space_of(conn: sqlite3.Connection) -> str | None:
    """'training' or 'real' as the file marks itself; an unmarked file with users or cases is production (it
    predates the mark), an unmarked empty one is neither yet."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "space_marker" in tables:
        row = conn.execute("SELECT space FROM space_marker WHERE id = 1").fetchone()
        if row is not None:
            return str(row[0])
    used = any(t in tables and conn.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0]
               for t in ("users", "cases"))
    return "real" if used else None


def _refuse_other_space(src: sqlite3.Connection, live: sqlite3.Connection, source: Path) -> None:
    from .errors import TrainingSpaceError

    backup_space, live_space = _space_of(src), _space_of(live)
    if backup_space is None or live_space is None or backup_space == live_space:
        return
    if backup_space == "training":
        raise TrainingSpaceError(N_("{source} is a backup of a training database; it is not restored over the "
                                    "production database. Nothing was restored."), source=str(source))
    raise TrainingSpaceError(N_("{source} is a backup of the production database; it is not restored over a "
                                "training database. Nothing was restored."), source=str(source))


def open_store(settings: Settings) -> Store:
    """Open (creating and migrating when needed) the database the settings name."""
    path = Path(settings.db_path)
    if not path.exists():  # every page run opens the store: no directory call for a file that is there
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = Database(path)
        conn = db.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_foreign(conn)  # before switching to WAL: never change someone else's file
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.enable_wal()
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(db)
        _load_columns(conn)
        _check_space(conn, settings.training)  # training and production files never open as each other
        key, identity = _key_and_identity(conn, settings)
        store = Store(db, settings, key, identity)
        _reseal_migrated(store)
    except sqlite3.DatabaseError as exc:
        raise StorageError(N_("The database {path} cannot be opened: {reason}"), path=str(path), reason=str(exc)) from exc
    return store


def _refuse_foreign(conn: sqlite3.Connection) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id != 0 or tables - {"_sqlite_migrations"}:
        raise StorageError(N_("This is not an Aannemelijk database."))


def _migrate(db: Database) -> None:
    conn = db.conn
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StorageError(N_("This is not an Aannemelijk database."))
    if app_id == APPLICATION_ID and not migrations.pending(db):
        return
    # One immediate transaction around the whole set: a second process waits, then finds nothing pending.
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id == 0 and tables - {"_sqlite_migrations"}:
            raise StorageError(N_("This is not an Aannemelijk database."))
        _rename_old_migrations(conn)
        migrations.apply(db)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_migrations(store: Store) -> list[str]:
    """Names of the migrations applied to this database, in order."""
    return [m.name for m in migrations.applied(store.db)]


def _check_space(conn: sqlite3.Connection, training: bool) -> None:
    wanted = "training" if training else "real"
    # Marked once, read on every open (each page run opens the store): only a file not marked yet takes the
    # write lock to mark it.
    row = conn.execute("SELECT space FROM space_marker WHERE id = 1").fetchone()
    if row is not None:
        _refuse_wrong_space(row[0], wanted, training)
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT space FROM space_marker WHERE id = 1").fetchone()
        if row is None:
            used = conn.execute("SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM cases)").fetchone()[0]
            row = ("real",) if used else (wanted,)
            conn.execute("INSERT INTO space_marker (id, space, marked_at) VALUES (1, ?, ?)", [row[0], now_iso()])
    finally:
        conn.execute("COMMIT")
    _refuse_wrong_space(row[0], wanted, training)


def _refuse_wrong_space(space: str, wanted: str, training: bool) -> None:
    from .errors import TrainingSpaceError

    if space != wanted:
        if training:
            raise TrainingSpaceError(N_("This is the production database, not a training database; the training space "
                                         "does not open it. Use AANNEMELIJK_TRAINING_DB."))
        raise TrainingSpaceError(N_("This is a training database; the production space does not open it. Start with "
                                    "AANNEMELIJK_SPACE=training."))


def table_names() -> frozenset[str]:
    """The tables of the opened schema (after migrations): what services that walk the schema may name."""
    return frozenset(_COLUMNS)


def audit_head_of(source: Path) -> tuple[int, str] | None:
    """The audit head (seq, hash) of another database file (a backup), after checking it is ours and intact."""
    conn = _open_checked_source(source)
    try:
        row = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    finally:
        conn.close()
    return (int(row[0]), str(row[1])) if row else None


# --- integrity: identity, keyed chain, case seals, triggers (assessment.integrity) -------------------------


@migrations(name="0008_integrity")
def _m0140_integrity(db: Database) -> None:
    db.execute("CREATE TABLE db_identity (id INTEGER PRIMARY KEY CHECK (id = 1), uuid TEXT NOT NULL, "
               "created_at TEXT NOT NULL, key_id TEXT)")
    db.execute("INSERT INTO db_identity (id, uuid, created_at) VALUES (1, ?, ?)", [secrets.token_hex(16), now_iso()])
    db.execute("ALTER TABLE cases ADD COLUMN row_mac TEXT")


# First-run setup through the web needs a one-time token that only `init` on the server prints (its SHA-256
# here, never the token): the first visitor of a fresh database is not made administrator.
@migrations(name="0009_setup_token")
def _m0150_setup_token(db: Database) -> None:
    db.execute("CREATE TABLE setup_token (id INTEGER PRIMARY KEY CHECK (id = 1), sha256 TEXT NOT NULL, "
               "created_at TEXT NOT NULL)")


# Free text that may name a person (a sector can hold a business name and address, a document kind a
# description, a named recipient is a person) moves into the personal-data tables, where the evaluators'
# connection cannot read it and retention, erasure and the subject export cover it (issue #14, hole 9).
# Every value moves with it: each case gets its `p_applicants` row, each document its `p_documents` row.
# Dropping `cases.sector` changes every case row, so the cases are listed in `migration_reseals` and sealed
# again, each with its own audit event, as soon as the audit key is at hand (`_reseal_migrated`).
_SCHEMA_PERSONAL_TEXT = """
ALTER TABLE p_applicants ADD COLUMN sector TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO p_applicants (case_id) SELECT id FROM cases;
UPDATE p_applicants SET sector = coalesce((SELECT c.sector FROM cases c WHERE c.id = p_applicants.case_id), '');
CREATE TABLE migration_reseals (case_id INTEGER PRIMARY KEY, migration TEXT NOT NULL);
INSERT INTO migration_reseals (case_id, migration) SELECT id, '0010_personal_text' FROM cases;
ALTER TABLE cases DROP COLUMN sector;
ALTER TABLE p_documents ADD COLUMN kind TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO p_documents (document_id) SELECT id FROM documents;
UPDATE p_documents SET kind = coalesce((SELECT d.kind FROM documents d WHERE d.id = p_documents.document_id), '');
ALTER TABLE documents DROP COLUMN kind;
CREATE TABLE p_recipient_consents (
  consent_id INTEGER PRIMARY KEY REFERENCES recipient_consents(id), recipient TEXT NOT NULL DEFAULT ''
);
INSERT INTO p_recipient_consents (consent_id, recipient) SELECT id, recipient FROM recipient_consents;
ALTER TABLE recipient_consents DROP COLUMN recipient
"""


@migrations(name="0010_personal_text")
def _m0010_personal_text(db: Database) -> None:
    for statement in _statements(_SCHEMA_PERSONAL_TEXT):
        db.execute(statement)


def _reseal_migrated(store: Store) -> None:
    """Seal again the case rows a migration changed (`migration_reseals`), each with an audit event naming
    the migration; only a row whose seal held before the change (its moved sector put back), so a row
    changed outside the application before the migration stays reported by `audit verify`."""
    conn = store.db.conn
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration_reseals'").fetchone():
        return
    with store.write() as tx:
        pending = _rows(conn, "SELECT r.case_id, r.migration, a.sector FROM migration_reseals r "
                              "LEFT JOIN p_applicants a ON a.case_id = r.case_id ORDER BY r.case_id")
        for item in pending:
            row = tx.get("cases", id=item["case_id"])
            if row is None or row["row_mac"] is None:
                continue
            seq = integrity.mac_seq(row["row_mac"])
            before = {**row, "sector": item["sector"] or ""}
            if seq is None or integrity.case_mac(store.key, before, seq) != row["row_mac"]:
                continue
            tx.append_audit(actor="system", action="case.migrate", case_ref=row["ref"], entity="case",
                            reason=f"{item['migration']}: free text moved into the personal-data tables")
            tx.touched_cases.add(int(row["id"]))
        conn.execute("DROP TABLE migration_reseals")
    _COLUMNS.pop("migration_reseals", None)


# The chair's decision as typed, before it is recorded (services.decisions.save_decision_draft): one per
# case, versioned like every edited record; its text lives apart (p_) so retention clears it with the rest.
@migrations(name="0011_decision_drafts")
def _m0011_decision_drafts(db: Database) -> None:
    db.execute("CREATE TABLE decision_drafts (case_id INTEGER PRIMARY KEY REFERENCES cases(id), outcome TEXT, "
               "version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)")
    db.execute("CREATE TABLE p_decision_drafts (case_id INTEGER PRIMARY KEY REFERENCES cases(id), "
               "draft TEXT NOT NULL)")


@migrations(name="0012_advice_uses")
def _m0012_advice_uses(db: Database) -> None:
    # What a recipient of the issued advice reported back (issue #16): no free text, so evaluators may read it.
    db.execute("CREATE TABLE advice_uses (case_id INTEGER NOT NULL REFERENCES cases(id), used_by TEXT NOT NULL, "
               "followed TEXT NOT NULL, on_date TEXT, PRIMARY KEY (case_id, used_by))")


# An application found inadmissible gets a letter too, issued, signed and archived like an advice: it has no
# decision and no rubric, so those columns of `letters` may be empty, and `kind` says which letter it is. SQLite
# cannot relax NOT NULL in place: the two letter tables are rebuilt with every row, id and trigger as before
# (p_letters' rows wait in a temporary table, so no foreign key is ever left dangling).
_SCHEMA_INADMISSIBLE_LETTERS = """
CREATE TABLE letters_new (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), lang TEXT NOT NULL,
  version INTEGER NOT NULL, replaces_version INTEGER, format TEXT NOT NULL, sha256 TEXT NOT NULL,
  size INTEGER NOT NULL, template_version TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'advice' CHECK (kind IN ('advice', 'inadmissible')),
  rubric_id TEXT, rubric_version TEXT, rubric_hash TEXT, decision_id INTEGER REFERENCES decisions(id),
  issued_by TEXT NOT NULL, issued_at TEXT NOT NULL, UNIQUE (case_id, lang, version),
  CHECK ((kind = 'advice') = (decision_id IS NOT NULL AND rubric_id IS NOT NULL AND rubric_version IS NOT NULL
                              AND rubric_hash IS NOT NULL))
);
INSERT INTO letters_new (id, case_id, lang, version, replaces_version, format, sha256, size, template_version, kind,
                         rubric_id, rubric_version, rubric_hash, decision_id, issued_by, issued_at)
  SELECT id, case_id, lang, version, replaces_version, format, sha256, size, template_version, 'advice',
         rubric_id, rubric_version, rubric_hash, decision_id, issued_by, issued_at FROM letters;
CREATE TEMP TABLE p_letters_kept AS SELECT letter_id, content, correction_reason FROM p_letters;
DROP TABLE p_letters;
DROP TABLE letters;
ALTER TABLE letters_new RENAME TO letters;
CREATE TABLE p_letters (
  letter_id INTEGER PRIMARY KEY REFERENCES letters(id), content BLOB NOT NULL,
  correction_reason TEXT NOT NULL DEFAULT ''
);
INSERT INTO p_letters (letter_id, content, correction_reason)
  SELECT letter_id, content, correction_reason FROM temp.p_letters_kept;
DROP TABLE temp.p_letters_kept;
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END;
CREATE TRIGGER p_letters_no_update BEFORE UPDATE ON p_letters
  BEGIN SELECT RAISE(ABORT, 'an issued letter never changes; issue a correction'); END
"""


@migrations(name="0013_inadmissible_letters")
def _m0013_inadmissible_letters(db: Database) -> None:
    for statement in _statements(_SCHEMA_INADMISSIBLE_LETTERS):
        db.execute(statement)
    db.execute(_LETTER_PURGEABLE)


# The procedure as the regulation has it (issue #12 item 5). Its facts go in tables of their own rather than in
# `cases`, whose rows are sealed over all their columns (a new column there would break every existing seal).
_SCHEMA_PROCEDURE = """
CREATE TABLE case_procedure (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id), exploitation_in_nl TEXT NOT NULL DEFAULT 'unknown',
  route_end_ground TEXT, exception_ground TEXT, exception_statement_on TEXT,
  inadmissible_grounds TEXT NOT NULL DEFAULT '[]', deferral TEXT, deferred_on TEXT
);
ALTER TABLE p_applicants ADD COLUMN exception_statement_by TEXT NOT NULL DEFAULT '';
ALTER TABLE p_applicants ADD COLUMN deferral_reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE consents ADD COLUMN given_by TEXT NOT NULL DEFAULT 'applicant';
ALTER TABLE hearings ADD COLUMN interpreter_language TEXT NOT NULL DEFAULT '';
ALTER TABLE hearings ADD COLUMN interpreter_gender TEXT;
ALTER TABLE hearings ADD COLUMN report_sent_on TEXT;
ALTER TABLE hearings ADD COLUMN corrections_received_on TEXT;
ALTER TABLE p_hearings ADD COLUMN corrections TEXT NOT NULL DEFAULT ''
"""


@migrations(name="0014_procedure")
def _m0014_procedure(db: Database) -> None:
    # An existing case gets a row with every fact unknown: it opens and reads as before, and the secretary
    # records the new facts when the case is next edited (admissibility asks for them).
    for statement in _statements(_SCHEMA_PROCEDURE):
        db.execute(statement)
    db.execute("INSERT INTO case_procedure (case_id) SELECT id FROM cases")


# The evaluators' columns kept between reads (assessment.evaluation.snapshot, issue #16): one row, its
# `epoch` counted up by every change to a table the columns are read from (`Tx.analysable_columns`), which
# also drops the columns kept. So a snapshot is only ever read while its tables are unchanged, a snapshot
# read before a change is never kept after it (`Store.keep_analysis_snapshot` compares the epoch), and data
# removed from those tables (erasure) does not live on in the snapshot. A test holds this list to the tables
# `analysable_columns` reads.
_SNAPSHOT_SOURCES = ("cases", "decisions", "decision_findings", "case_procedure", "hearings", "inputs", "consents",
                     "observations", "dimension_views", "followups", "advice_uses")


# What each trigger of migration 0015 ran (replaced by those of migration 0016).
_DROP_SNAPSHOT = "UPDATE analysis_snapshot SET epoch = epoch + 1, format = NULL, columns = NULL WHERE id = 1"


@migrations(name="0015_analysis_snapshot")
def _m0015_analysis_snapshot(db: Database) -> None:
    db.execute("CREATE TABLE analysis_snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL, "
               "format TEXT, columns BLOB)")
    db.execute("INSERT INTO analysis_snapshot (id, epoch) VALUES (1, 0)")
    for table in _SNAPSHOT_SOURCES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER analysis_stale_{table}_{event.lower()} AFTER {event} ON {table} BEGIN "
                       f"{_DROP_SNAPSHOT}; END")


# The evaluators' columns kept per block of cases received together (`BLOCK`, issue #16) instead of as one snapshot: 0015's
# snapshot was dropped by any change to any case, so in a pilot in progress the figures, the report and the
# exports read every case again after every save. Now a change drops only the block of the case it concerns
# (each trigger finds the case's date of receipt from the row it changed, before and after for an update: a
# case moved to another block drops both), and a read reads only the blocks dropped. The epoch, counted up
# by every trigger as before, keeps a block read before a change from being kept after it
# (`Store.keep_analysis_blocks`). A test holds the tables here to the tables `analysable_columns` reads, and
# checks each trigger drops its own block and no other.
_RECEIVED_ON_OF_ROW = {
    "cases": "{row}.received_on",
    **{table: "(SELECT received_on FROM cases WHERE id = {row}.case_id)"
       for table in ("decisions", "case_procedure", "hearings", "inputs", "consents", "followups", "advice_uses")},
    **{table: "(SELECT c.received_on FROM inputs i JOIN cases c ON c.id = i.case_id WHERE i.id = {row}.input_id)"
       for table in ("observations", "dimension_views")},
    "decision_findings": "(SELECT c.received_on FROM decisions d JOIN cases c ON c.id = d.case_id "
                         "WHERE d.id = {row}.decision_id)",
}
# Written into every database's triggers by migration 0016: a change here needs a new migration.
_STALE_EPOCH = "UPDATE analysis_epoch SET epoch = epoch + 1 WHERE id = 1"


@migrations(name="0016_analysis_blocks")
def _m0016_analysis_blocks(db: Database) -> None:
    for table in _SNAPSHOT_SOURCES:
        for event in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER analysis_stale_{table}_{event}")
    db.execute("DROP TABLE analysis_snapshot")
    db.execute("CREATE TABLE analysis_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL)")
    db.execute("INSERT INTO analysis_epoch (id, epoch) VALUES (1, 0)")
    db.execute("CREATE TABLE analysis_blocks (block TEXT PRIMARY KEY, format TEXT NOT NULL, "
               "columns BLOB NOT NULL)")
    for table, received_on in _RECEIVED_ON_OF_ROW.items():
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            blocks = ", ".join(BLOCK.format(received_on.format(row=row)) for row in rows)
            db.execute(f"CREATE TRIGGER analysis_block_{table}_{event.lower()} AFTER {event} ON {table} BEGIN "
                       f"{_STALE_EPOCH}; DELETE FROM analysis_blocks WHERE block IN ({blocks}); END")


def _key_and_identity(conn: sqlite3.Connection, settings: Settings) -> tuple[bytes, str]:
    """The audit key (created for a database that has no keyed events yet) and the database's identity; a
    database of the time before the key is resealed with it once (its unkeyed chain verified first)."""
    keyed = conn.execute("SELECT EXISTS (SELECT 1 FROM audit_events WHERE hash LIKE 'hmac-sha256:%')").fetchone()[0]
    key = integrity.load_key(settings.audit_key_file, create=not keyed)
    identity, stored_key_id = conn.execute("SELECT uuid, key_id FROM db_identity WHERE id = 1").fetchone()
    # Only asked of an unkeyed log: in a keyed one the question would scan every event on every open.
    legacy = not keyed and conn.execute(
        "SELECT EXISTS (SELECT 1 FROM audit_events WHERE hash LIKE 'sha256:%')").fetchone()[0]
    # Only a file that was never keyed: no key id recorded and no anchor line ever written for this path (an
    # attacker turning a keyed log back into an unkeyed one must not get it resealed).
    if legacy and not keyed and stored_key_id is None and str(Path(settings.db_path).resolve()) not in \
            integrity.anchored_paths(settings.anchor_path, key):
        events = [audit.Event(**r) for r in _rows(conn, "SELECT * FROM audit_events ORDER BY seq")]
        head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        if audit.verify(events, (int(head[0]), str(head[1])) if head else None) is None:
            reseal(conn, key, reason="the unkeyed chain (verified intact) is sealed with the audit key")
            stored_key_id = integrity.key_id(key)
    if stored_key_id is None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE db_identity SET key_id = ? WHERE id = 1 AND key_id IS NULL", [integrity.key_id(key)])
        conn.execute("COMMIT")
    return key, str(identity)


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def reseal(conn: sqlite3.Connection, key: bytes, *, reason: str, actor: str = "system") -> None:
    """Re-hash the whole chain with `key`, seal every case row and put the expected triggers back, then record
    that it happened (with the head it replaced). Only for an unkeyed database of earlier versions and for a
    restore the operator forced (`--force`); both are recorded in the log itself."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        old_head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        for name in ("audit_no_update", "audit_no_delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        prev = audit.GENESIS
        for row in _rows(conn, "SELECT * FROM audit_events ORDER BY seq"):
            event = audit.seal(audit.Event(**dict(row, prev_hash=prev, hash="")), key)
            conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, event.hash, row["seq"]])
            prev = event.hash
        last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0] or 0
        conn.execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash", [last, prev])
        _restore_triggers(conn)
        conn.execute("UPDATE db_identity SET key_id = ? WHERE id = 1", [integrity.key_id(key)])
        tx = Tx(conn, key)
        seq = tx.append_audit(actor=actor, action="audit.reseal", entity="database", reason=reason,
                              before={"head": list(old_head) if old_head else None})
        for case in _rows(conn, "SELECT * FROM cases"):
            conn.execute("UPDATE cases SET row_mac = ? WHERE id = ?", [integrity.case_mac(key, case, seq), case["id"]])
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _normal(sql: str) -> str:
    return " ".join(sql.replace(";", " ").split())


@cache
def expected_triggers() -> dict[str, str]:
    """The triggers the migrations create (name -> SQL), from a scratch database migrated in memory."""
    db = Database(memory=True)
    migrations.apply(db)
    return {name: sql for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()}


def _restore_triggers(conn: sqlite3.Connection) -> None:
    present = {n: sql for n, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for name, sql in expected_triggers().items():
        if name in present and _normal(present[name]) == _normal(sql):
            continue
        conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        conn.execute(sql)


def integrity_problems(conn: sqlite3.Connection, key: bytes) -> list[Msg]:
    """Everything wrong with a database file as its audit key sees it: another key, a broken chain, missing or
    changed triggers, case rows changed without their audit event. Empty when it all holds."""
    problems: list[Msg] = []
    ident = conn.execute("SELECT key_id FROM db_identity WHERE id = 1").fetchone()
    if ident is not None and ident[0] is not None and ident[0] != integrity.key_id(key):
        problems.append(Msg(N_("The audit log was sealed with another key")))
        return problems
    events = [audit.Event(**r) for r in _rows(conn, "SELECT * FROM audit_events ORDER BY seq")]
    head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    finding = audit.verify(events, (int(head[0]), str(head[1])) if head else None, key)
    if finding is not None:
        problems.append(finding.message)
    present = {n: sql for n, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for name, sql in expected_triggers().items():
        if name not in present:
            problems.append(Msg(N_("Trigger {name} is missing"), {"name": name}))
        elif _normal(present[name]) != _normal(sql):
            problems.append(Msg(N_("Trigger {name} was changed"), {"name": name}))
    for name in sorted(set(present) - set(expected_triggers())):
        problems.append(Msg(N_("Unknown trigger {name}"), {"name": name}))
    by_seq = {e.seq: e for e in events}
    for case in _rows(conn, "SELECT * FROM cases ORDER BY id"):
        seq = integrity.mac_seq(case["row_mac"])
        event = by_seq.get(seq) if seq is not None else None
        if (event is None or (event.case_ref != case["ref"] and event.action != "audit.reseal")
                or integrity.case_mac(key, case, seq or 0) != case["row_mac"]):
            problems.append(Msg(N_("Case {ref} was changed outside the application (no audit event)"),
                                {"ref": case["ref"]}))
    return problems


def identity_of(conn: sqlite3.Connection) -> str | None:
    """The identity a database file carries (None for a file of the time before identities)."""
    try:
        row = conn.execute("SELECT uuid FROM db_identity WHERE id = 1").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


@contextmanager
def open_checked(source: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to another database file, after integrity_check and the application id."""
    conn = _open_checked_source(source)
    try:
        yield conn
    finally:
        conn.close()


@dataclass(frozen=True)
class FileCheck:
    """What `restore` learns of another database file before it replaces anything with it."""

    problems: list[Msg]  # integrity_problems under this installation's key
    identity: str | None
    head_seq: int


def check_file(source: Path, key: bytes) -> FileCheck:
    """Open another database file read-only (after integrity_check and the application id) and check it."""
    with open_checked(source) as conn:
        row = conn.execute("SELECT seq FROM audit_head WHERE id = 1").fetchone()
        return FileCheck(integrity_problems(conn, key), identity_of(conn), int(row[0]) if row else 0)


def head_of_file(source: Path) -> tuple[int, str] | None:
    """The audit head of another database file (a backup just written)."""
    with open_checked(source) as conn:
        row = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None
