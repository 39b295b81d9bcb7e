"""Free text only in the personal-data tables (issue #14, hole 9), and retention that proves the text is gone.

- A database of the schema before migration 0010 (built here with that schema's migrations and the storage
  layer's own writes, sealed under its audit key as that version sealed it) is opened by this version: the
  sector, the document kinds and the named recipients move into `p_*` tables with nothing lost, every case
  row is sealed again with an audit event, a row changed outside the application before the migration stays
  reported, and none of that text is readable on the evaluators' connection.
- Retention checks its WAL checkpoint: while another reader holds an older snapshot it reports that it must
  be run again (and the text is indeed still in the files); run again afterwards, the raw bytes of the main
  file and the -wal file no longer hold it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from assessment import integrity, services
from assessment import store as storage
from assessment.config import Settings
from assessment.errors import RetentionIncompleteError
from assessment.services import privacy
from assessment.store import Store, Tx, now_iso, open_store
from tests.conftest import intake

SECTOR = "Nagelstudio Kim, Dorpsstraat 1 Ergenshuizen"
KIND = "Verklaring van buurman J. Jansen"
RECIPIENT = "Mw. A. de Vries, advocaat"
TAMPERED_SECTOR = "Schoonmaakbedrijf Blinkend BV"


def _case_row(ref: str, sector: str) -> dict[str, object]:
    now = now_iso()
    return {"ref": ref, "year": 2025, "space": "real", "status": "intake", "received_on": "2025-03-02",
            "route": "report", "route_end": "dismissal", "route_end_on": "2025-02-16", "form": "labour",
            "sector": sector, "residence_status": "unknown", "gender": "female", "age_group": "adult",
            "filing_party": "self", "created_by": "secretary", "created_at": now, "updated_by": "secretary",
            "updated_at": now}


def _old_database(path: Path, key: bytes) -> None:
    """A production database as the version before migration 0010 left it: its schema (the migrations up to
    0009), written through the storage layer with the sector in `cases`, the kind in `documents`, the
    recipient in `recipient_consents`, each case row sealed to its audit event."""
    db = Database(path)
    conn = db.conn
    db.enable_wal()
    storage.migrations.apply(db, stop_before="0010_personal_text")
    conn.execute(f"PRAGMA application_id = {storage.APPLICATION_ID}")
    conn.execute("INSERT INTO space_marker (id, space, marked_at) VALUES (1, 'real', ?)", [now_iso()])
    conn.commit()
    storage._load_columns(conn)  # noqa: SLF001 - the old schema's columns, as that version knew them
    conn.execute("BEGIN IMMEDIATE")
    tx = Tx(conn, key)
    one = tx.insert("cases", _case_row("AAN-2025-0001", SECTOR))
    tx.insert("p_applicants", {"case_id": one, "name": "Synthetisch Een"})
    doc = tx.insert("documents", {"case_id": one, "source": "police", "kind": KIND, "received_on": "2025-03-03"})
    tx.insert("p_documents", {"document_id": doc, "title": "PV"})
    bare = tx.insert("documents", {"case_id": one, "source": "other", "kind": "Losse notitie", "received_on": "2025-03-04"})
    tx.insert("recipient_consents", {"case_id": one, "recipient": RECIPIENT, "given_on": "2025-03-02",
                                     "given_by": "applicant", "updated_by": "secretary", "updated_at": now_iso()})
    tx.append_audit(actor="secretary", action="case.create", case_ref="AAN-2025-0001", entity="case")
    two = tx.insert("cases", _case_row("AAN-2025-0002", "Horeca"))  # no p_applicants row: it gets one
    tx.append_audit(actor="secretary", action="case.create", case_ref="AAN-2025-0002", entity="case")
    three = tx.insert("cases", _case_row("AAN-2025-0003", TAMPERED_SECTOR))
    tx.insert("p_applicants", {"case_id": three, "name": "Synthetisch Drie"})
    tx.append_audit(actor="secretary", action="case.create", case_ref="AAN-2025-0003", entity="case")
    tx.seal_cases()
    conn.execute("COMMIT")
    assert (two, bare) == (2, 2)
    # Someone with the file changes a case row without the application (no audit event, no new seal).
    conn.execute("UPDATE cases SET status = 'decided' WHERE id = ?", [three])
    conn.commit()
    db.close()


@pytest.fixture
def migrated(tmp_path: Path) -> Store:
    key_file = tmp_path / "audit.key"
    key = integrity.load_key(key_file, create=True)
    path = tmp_path / "old.sqlite3"
    _old_database(path, key)
    return open_store(Settings(db_path=path, demo=True, audit_key_file=key_file))


def test_the_old_schema_s_free_text_moves_into_the_personal_tables(migrated: Store) -> None:
    store = migrated
    cols = {t: {r[1] for r in store.db.conn.execute(f'PRAGMA table_info("{t}")')}
            for t in ("cases", "documents", "recipient_consents")}
    assert "sector" not in cols["cases"] and "kind" not in cols["documents"]
    assert "recipient" not in cols["recipient_consents"]
    services.load_demo_users(store)
    sec = services.user_by_name(store, "secretary")
    one = services.get_case(store, sec, "AAN-2025-0001")
    assert one.intake is not None and one.intake.sector == SECTOR  # nothing lost
    assert [(d.source, d.kind, d.title) for d in one.documents] == [("police", KIND, "PV"),
                                                                   ("other", "Losse notitie", "")]
    assert [r.recipient for r in one.recipients] == [RECIPIENT]
    two = services.get_case(store, sec, "AAN-2025-0002")
    assert two.intake is not None and (two.intake.sector, two.intake.applicant.name) == ("Horeca", "")
    assert "0010_personal_text" in storage.schema_migrations(store)


def test_the_migration_reseals_the_cases_it_changed_and_launders_no_tampering(migrated: Store) -> None:
    problems = [p.text("en") for p in migrated.integrity_problems()]
    assert [p for p in problems if "AAN-2025-0003" in p] != []  # changed outside the application: still found
    assert [p for p in problems if "AAN-2025-0003" not in p] == []  # the others were sealed again
    with migrated.read() as tx:
        events = [(e.case_ref, e.action, e.actor) for e in tx.audit_events() if e.action == "case.migrate"]
        tables = {r[0] for r in tx.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert events == [("AAN-2025-0001", "case.migrate", "system"), ("AAN-2025-0002", "case.migrate", "system")]
    assert "migration_reseals" not in tables
    migrated.close()
    reopened = open_store(migrated.settings)  # opening again changes nothing more
    with reopened.read() as tx:
        assert sum(1 for e in tx.audit_events() if e.action == "case.migrate") == 2
    reopened.close()


def test_the_evaluators_connection_reads_none_of_the_moved_text(migrated: Store) -> None:
    seen: list[str] = []
    with migrated.analysable() as tx:
        tables = [r[0] for r in tx.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            try:
                rows = tx.conn.execute(f'SELECT * FROM "{table}"').fetchall()
            except sqlite3.DatabaseError:
                continue  # refused by the evaluators' authorizer (p_*, audit_*, users)
            seen += [str(v) for row in rows for v in row]
        with pytest.raises(sqlite3.DatabaseError):
            tx.conn.execute("SELECT sector FROM p_applicants").fetchall()
    assert seen, "the evaluators' connection read nothing at all"
    for text in (SECTOR, KIND, RECIPIENT, "Horeca", "Losse notitie"):
        assert not any(text in v for v in seen), text


def _closed_case(store: Store, users: dict[str, object], secret: str) -> str:
    sec = users["secretary"]
    ref = services.create_case(store, sec, intake(sector=secret, applicant={"name": secret}))  # type: ignore[arg-type]
    services.add_document(store, sec, ref, source="police", kind=secret, received_on=dt.date(2026, 3, 3))  # type: ignore[arg-type]
    services.withdraw_case(store, sec, ref, "ingetrokken", services.get_case(store, sec, ref).version)  # type: ignore[arg-type]
    return ref


def _file_bytes(store: Store) -> bytes:
    wal = store.path.with_name(store.path.name + "-wal")
    return store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_retention_reports_a_checkpoint_a_reader_blocked_and_finishes_when_run_again(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    secret = "Qx7-sector-and-kind-Qx7"
    ref = _closed_case(store, users, secret)
    on = dt.date.today() + dt.timedelta(days=store.settings.retention_days + 1)
    reader = sqlite3.connect(store.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # holds a snapshot from before retention
    store.db.conn.execute("PRAGMA busy_timeout = 200")  # the checkpoint waits this long for the reader
    try:
        with pytest.raises(RetentionIncompleteError) as caught:
            privacy.apply_retention(store, users["admin"], on=on)
        assert [c.ref for c in caught.value.done] == [ref]  # the removal itself was committed
        assert secret.encode() in _file_bytes(store)  # and the report is right: the text is still in the files
    finally:
        reader.rollback()
        reader.close()
        store.db.conn.execute(f"PRAGMA busy_timeout = {storage.BUSY_TIMEOUT_MS}")
    assert privacy.apply_retention(store, users["admin"], on=on) == []  # nothing new expired, and the fold is done
    assert secret.encode() not in _file_bytes(store)
    assert store.path.with_name(store.path.name + "-wal").stat().st_size == 0
    case = services.get_case(store, users["chair"], ref)
    assert case.intake is not None and (case.intake.sector, case.documents[0].kind) == ("", "")
