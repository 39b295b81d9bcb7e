"""The store: migrations, pragmas, versions and conflicts, case references, the evaluator's guard."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from assessment.config import Settings, load_settings
from assessment.errors import ConflictError, StorageError
from assessment.store import Store, migrations, open_store, schema_migrations


def test_fresh_database_is_migrated_with_wal_and_busy_timeout(store: Store) -> None:
    conn = store.db.conn
    # Every registered migration applied, the initial one first (later ones are added by feature).
    assert schema_migrations(store)[:1] == ["0001_initial"] and migrations.pending(store.db) == []
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.integrity_ok()


# The migrations in the order they apply, numbered without gaps (hand-written: the expected history).
MIGRATIONS = ["0001_initial", "0002_letters", "0003_retention", "0004_training", "0005_rubric_versions",
              "0006_text_language", "0007_recipient_consents", "0008_integrity", "0009_setup_token", "0010_personal_text",
              "0011_decision_drafts", "0012_advice_uses", "0013_inadmissible_letters", "0014_procedure",
              "0015_analysis_snapshot", "0016_analysis_blocks"]


def test_migrations_apply_in_numbered_order(store: Store) -> None:
    assert schema_migrations(store) == MIGRATIONS


def test_a_database_migrated_under_the_old_names_still_opens(settings: Settings) -> None:
    s = open_store(settings)
    with s.write() as tx:
        tx.append_audit(actor="t", action="before")
    # How a database migrated before the renumbering records its history (that order, those names).
    old = {"0003_retention": "0090_retention", "0004_training": "0070_training",
           "0005_rubric_versions": "0110_rubric_versions"}
    for new, name in old.items():
        s.db.execute("UPDATE _sqlite_migrations SET name = ? WHERE name = ?", [name, new])
    s.db.conn.commit()
    assert schema_migrations(s) == ["0001_initial", "0002_letters", *old.values(), *MIGRATIONS[5:]]
    s.close()
    s = open_store(settings)  # would fail with "table ... already exists" if anything were applied again
    assert schema_migrations(s) == MIGRATIONS and migrations.pending(s.db) == []
    with s.read() as tx:
        assert [e.action for e in tx.audit_events()] == ["before"]
    assert s.integrity_ok()
    s.close()


def test_reopening_keeps_data_and_applies_nothing_twice(settings: Settings) -> None:
    s = open_store(settings)
    with s.write() as tx:
        tx.append_audit(actor="t", action="x")
    s.close()
    s = open_store(settings)
    assert schema_migrations(s)[:1] == ["0001_initial"] and migrations.pending(s.db) == []
    with s.read() as tx:
        assert [e.action for e in tx.audit_events()] == ["x"]
    s.close()


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="not an Aannemelijk database"):
        open_store(Settings(db_path=path))


def _user_row(store: Store) -> None:
    with store.write() as tx:
        tx.insert("users", {"username": "u", "role": "admin", "password_hash": "x", "updated_by": "setup",
                            "updated_at": "2026-01-01T00:00:00"})


def test_stale_version_is_refused_naming_who_and_when_and_overwrites_nothing(store: Store) -> None:
    _user_row(store)
    with store.write() as tx:
        assert tx.update("users", {"username": "u"}, {"display_name": "first"}, actor="alice",
                         expected_version=1, what="User u") == 2
    with pytest.raises(ConflictError) as err, store.write() as tx:
        tx.update("users", {"username": "u"}, {"display_name": "second"}, actor="bob", expected_version=1,
                  what="User u")
    # One language at a time; the wording is the catalogues' (locale/*/LC_MESSAGES/aannemelijk.po).
    nl, en = err.value.text("nl"), err.value.text("en")
    assert "User u is intussen gewijzigd door alice op " in nl and "(uw versie 1, nu 2)" in nl
    assert "User u was changed by alice at " in en and "(your version 1, now 2)" in en
    assert "changed by" not in nl and "gewijzigd" not in en
    # when, as people write it (not the stored ISO text): "op 1 december 2026, 03:02"
    months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    assert re.search(rf"alice op \d{{1,2}} ({months}) \d{{4}}, \d{{2}}:\d{{2}} \(uw versie", nl), nl
    assert not re.search(r"\d{4}-\d{2}-\d{2}", nl + en)
    assert err.value.current is not None and err.value.current["version"] == 2  # type: ignore[index]
    with store.read() as tx:
        row = tx.get("users", username="u")
    assert row is not None and (row["display_name"], row["version"], row["updated_by"]) == ("first", 2, "alice")


def test_case_references_count_up_per_year(store: Store) -> None:
    with store.write() as tx:
        assert tx.next_case_ref(2026) == "AAN-2026-0001"


def test_unknown_columns_are_refused(store: Store) -> None:
    with pytest.raises(StorageError, match="unknown column"), store.read() as tx:
        tx.select("cases", **{"ref; DROP TABLE cases": 1})


def test_evaluator_connection_cannot_read_personal_tables(store: Store) -> None:
    with store.analysable() as tx:
        assert tx.select("cases") == []
        for table in ("p_applicants", "p_observations", "audit_events", "users"):
            with pytest.raises(sqlite3.DatabaseError, match="not authorized|prohibited"):
                tx.conn.execute(f"SELECT * FROM {table}").fetchall()
        with pytest.raises(sqlite3.DatabaseError):
            tx.conn.execute("SELECT name FROM cases JOIN p_applicants ON p_applicants.case_id = cases.id")


def test_settings_from_env_and_flag() -> None:
    s = load_settings(None, {"AANNEMELIJK_DB": "/tmp/x.db", "AANNEMELIJK_QUORUM": "4"})
    assert (str(s.db_path), s.demo, s.quorum_min_disciplines) == ("/tmp/x.db", False, 4)
    assert load_settings("/tmp/y.db", {"AANNEMELIJK_DB": "/tmp/x.db", "AANNEMELIJK_DEMO": "1"}).demo is True
    assert load_settings(None, {}).demo is True  # the embedded default database


def test_a_year_without_free_case_references_is_said_in_one_language(store: Store, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    year = int(ref.split("-")[1])
    with store.write() as tx:
        tx.conn.execute("UPDATE cases SET ref = ? WHERE ref = ?", [f"AAN-{year}-9999", ref])
    with pytest.raises(StorageError) as info, store.write() as tx:
        tx.next_case_ref(year)
    assert (info.value.text("nl"), info.value.text("en")) == (
        f"Geen dossiernummers meer vrij voor {year}: AAN-{year}-9999 is al in gebruik",
        f"No case references left for {year}: AAN-{year}-9999 is taken")


def test_a_lone_surrogate_is_refused_in_one_language(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from assessment import services
    from assessment.errors import ValidationError

    ref = make_case()
    with pytest.raises(ValidationError) as info:
        services.add_chronology(store, users["secretary"], ref, dt.date(2026, 1, 1), "feit \ud800")
    assert (info.value.text("nl"), info.value.text("en")) == (
        "De tekst bevat een ongeldig teken; er is niets opgeslagen.",
        "The text contains an invalid character; nothing was saved.")


def test_a_busy_database_is_said_in_one_language_without_sqlite_s_words(store: Store) -> None:
    other = sqlite3.connect(store.path)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    store.db.conn.execute("PRAGMA busy_timeout = 0")  # give up at once rather than after the 10 s
    try:
        with pytest.raises(StorageError) as info, store.write():
            pass
    finally:
        other.rollback()
        other.close()
    assert (info.value.text("nl"), info.value.text("en")) == (
        "De database is bezet; er is niets opgeslagen. Probeer het zo nog eens.",
        "The database is busy; nothing was saved. Try again in a moment.")


def test_a_read_the_database_refuses_says_so_in_the_readers_language(store: Store) -> None:
    # SQLite itself refuses the read (here: every statement interrupted, as an I/O error or a lock held too long
    # would): the reader is told in words, without sqlite's own, which stay in the log as the cause.
    store.db.conn.set_progress_handler(lambda: 1, 1)
    try:
        with pytest.raises(StorageError) as err, store.read() as tx:
            tx.select("cases")
    finally:
        store.db.conn.set_progress_handler(None, 1)
    assert err.value.text("nl") == ("De database kon zojuist niet worden gelezen. Probeer het zo nog eens; blijft het "
                                    "gebeuren, meld het dan bij de beheerder.")
    assert err.value.text("en").startswith("The database could not be read just now.")
    assert "interrupted" not in err.value.text("en") and isinstance(err.value.__cause__, sqlite3.OperationalError)
    assert not store.db.conn.in_transaction
    with store.read() as tx:  # the next read works as before
        assert tx.select("cases") == []
