"""The evaluators' columns kept in the store between reads (assessment.evaluation.snapshot, migration
0015_analysis_snapshot): a kept snapshot gives exactly the columns a fresh read of the tables gives; any
change to a table the columns are read from drops it; a snapshot read before a change is never kept after
it; a damaged or foreign snapshot is never used."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assessment.config import Settings
from assessment.evaluation import snapshot
from assessment.evaluation.facts import Categorical
from assessment.evaluation.source import columns_of
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.services.evaluation import _columns  # the exact facts, inside the services
from assessment.store import Store, Tx, open_store
from assessment.synthetic import facts as synthetic_cases
from assessment.synthetic import seed_store
from tests.conftest import copy_database


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("snapshot") / "eval.sqlite3", demo=False))
    cases = synthetic_cases(150, seed=5, rubric=load_rubric(ILO_RUBRIC))
    with store.write() as tx:
        seed_store(tx, cases)
        late = next(i for i, c in enumerate(cases) if c.panel_outcome is not None)
        tx.set("cases", {"id": late + 1}, {"decided_on": "2017-01-01"})  # decided before received: left out
        tx.append_audit(actor="synthetic", action="case.update", case_ref=cases[late].key, entity="case")
    store.close()
    return store.path


@pytest.fixture
def seeded(seeded_file: Path, tmp_path: Path) -> Store:
    return open_store(Settings(db_path=copy_database(seeded_file, tmp_path / "eval.sqlite3"), demo=False))


def _fresh(store: Store) -> Any:
    """The columns read from the tables, past any snapshot."""
    with store.analysable() as tx:
        return columns_of(tx.analysable_columns())


def _kept(store: Store) -> tuple[int, str | None, bytes | None]:
    with store.analysable() as tx:
        return tx.analysis_snapshot()


def _same(a: Any, b: Any, where: str = "columns") -> None:
    """Equal values of equal types all the way down: arrays by dtype and content, value lists by value and
    type (a tuple stays a tuple, True does not become 1)."""
    assert type(a) is type(b), where
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b), where
    elif isinstance(a, Categorical):
        _same(a.codes, b.codes, f"{where}.codes")
        assert [(type(v), v) for v in a.values] == [(type(v), v) for v in b.values], where
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k}]")
    else:
        assert a == b, where


def test_the_kept_snapshot_gives_exactly_the_columns_of_the_tables(seeded: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fresh_cols, fresh_skipped = _fresh(seeded)
    assert _kept(seeded)[2] is None  # nothing kept before the first read through the services
    cols, skipped = _columns(seeded)
    _same(cols, fresh_cols)
    assert skipped == fresh_skipped and len(skipped) == 1
    epoch, fmt, blob = _kept(seeded)
    assert fmt == snapshot.FORMAT and blob is not None
    # The next read takes the snapshot: the tables are not read again.
    monkeypatch.setattr(Tx, "analysable_columns", lambda self: pytest.fail("the tables were read again"))
    again, again_skipped = _columns(seeded)
    _same(again, fresh_cols)
    assert again_skipped == fresh_skipped
    assert sum(len(e) for e in (again.inputs.indicators, again.inputs.dimensions)) > 1000


def _tables_read(store: Store) -> set[str]:
    """The tables `analysable_columns` reads, as SQLite reports them to an authorizer."""
    read: set[str] = set()

    def note(action: int, table: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_READ and table:
            read.add(table)
        return sqlite3.SQLITE_OK

    with store.analysable() as tx:
        tx.conn.set_authorizer(note)
        tx.analysable_columns()
    return read


def test_every_change_to_a_table_the_columns_come_from_drops_the_snapshot(seeded: Store) -> None:
    sources = _tables_read(seeded)
    assert {"cases", "inputs", "observations", "dimension_views", "consents", "decisions"} <= sources
    _columns(seeded)
    conn = sqlite3.connect(seeded.path)  # straight to the file: no service, no audit, only the triggers
    conn.execute("PRAGMA foreign_keys = OFF")
    epoch = _kept(seeded)[0]
    for table in sorted(sources):
        row = conn.execute(f"SELECT rowid, * FROM {table} LIMIT 1").fetchone()
        assert row is not None, f"{table} is empty in the seeded store"
        marks = ", ".join("?" for _ in row[1:])
        for change, sql, params in (
            ("update", f"UPDATE {table} SET rowid = rowid WHERE rowid = ?", [row[0]]),
            ("delete", f"DELETE FROM {table} WHERE rowid = ?", [row[0]]),
            ("insert", f"INSERT INTO {table} VALUES ({marks})", list(row[1:])),
        ):
            with conn:
                conn.execute("UPDATE analysis_snapshot SET format = ?, columns = x'00' WHERE id = 1", [snapshot.FORMAT])
            with conn:
                conn.execute(sql, params)
            now, fmt, blob = conn.execute("SELECT epoch, format, columns FROM analysis_snapshot").fetchone()
            assert (fmt, blob) == (None, None), f"{change} on {table} left the snapshot"
            assert now > epoch, f"{change} on {table} did not count"
            epoch = now
    conn.close()


def test_a_snapshot_read_before_a_change_is_not_kept_after_it(seeded: Store) -> None:
    epoch, _, _ = _kept(seeded)
    cols, skipped = _fresh(seeded)
    with seeded.write() as tx:
        tx.conn.execute("UPDATE observations SET status = 'absent' WHERE rowid = (SELECT min(rowid) FROM observations)")
    assert not seeded.keep_analysis_snapshot(epoch, snapshot.FORMAT, snapshot.encode(cols, skipped))
    assert _kept(seeded)[2] is None
    now = _kept(seeded)[0]
    assert seeded.keep_analysis_snapshot(now, snapshot.FORMAT, snapshot.encode(cols, skipped))
    assert _kept(seeded)[2] is not None


@pytest.mark.parametrize("kept", ["damaged", "cut short", "other format"])
def test_a_damaged_or_foreign_snapshot_is_never_used(seeded: Store, kept: str) -> None:
    fresh_cols, fresh_skipped = _fresh(seeded)
    good = snapshot.encode(fresh_cols, fresh_skipped)
    blob, fmt = {"damaged": (b"\x07" * 64, snapshot.FORMAT), "cut short": (good[: len(good) // 2], snapshot.FORMAT),
                 "other format": (good, "case-columns-0")}[kept]
    epoch = _kept(seeded)[0]
    assert seeded.keep_analysis_snapshot(epoch, fmt, blob)
    if kept != "other format":
        with pytest.raises(snapshot.SnapshotError):
            snapshot.decode(blob)
    cols, skipped = _columns(seeded)
    _same(cols, fresh_cols)
    assert skipped == fresh_skipped
    _, fmt_now, blob_now = _kept(seeded)
    assert fmt_now == snapshot.FORMAT and blob_now is not None  # a sound one kept in its place
    _same(snapshot.decode(blob_now)[0], fresh_cols)


def test_a_snapshot_holds_data_only() -> None:
    # The format is JSON and raw numbers: bytes of another kind are refused, never run.
    import pickle

    with pytest.raises(snapshot.SnapshotError):
        snapshot.decode(pickle.dumps({"format": snapshot.FORMAT}))
    with pytest.raises(snapshot.SnapshotError):
        snapshot.decode(b"")


def test_dropping_the_snapshot_makes_the_next_read_a_cold_one(seeded: Store) -> None:
    _columns(seeded)
    epoch, _, blob = _kept(seeded)
    assert blob is not None
    seeded.drop_analysis_snapshot()
    now, fmt, blob = _kept(seeded)
    assert (fmt, blob) == (None, None) and now == epoch + 1
    cols, _ = _columns(seeded)  # read from the tables and kept again
    _same(cols, _fresh(seeded)[0])
    assert _kept(seeded)[2] is not None
