"""The evaluators' columns kept in the store per block of cases received together between reads (assessment.evaluation.snapshot
and .blocks, migration 0016_analysis_blocks): the columns read through the kept blocks hold exactly what a
fresh read of all the tables holds; a change to a table the columns are read from drops the block of the case
it concerns and no other; a block read before a change is never kept after it; a damaged or foreign block
is never used."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assessment.config import Settings
from assessment.evaluation import blocks as case_blocks
from assessment.evaluation import snapshot
from assessment.evaluation.disclosure import DisclosureRule
from assessment.evaluation.export import export, read_back
from assessment.evaluation.facts import CaseColumns, Categorical, Entries
from assessment.evaluation.metrics import compute_all
from assessment.evaluation.source import columns_of
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.services import keep_evaluation_columns
from assessment.services.evaluation import _columns  # the exact facts, inside the services
from assessment.store import Store, Tx, open_store
from assessment.synthetic import facts as synthetic_cases
from assessment.synthetic import seed_store
from tests.conftest import copy_database

OPEN = DisclosureRule(threshold=0, min_denominator=0)


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("blocks") / "eval.sqlite3", demo=False))
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


def _fresh(store: Store) -> tuple[CaseColumns, list[str]]:
    """The columns read from all the tables at once, past anything kept."""
    with store.analysable() as tx:
        return columns_of(tx.analysable_columns())


def _kept(store: Store) -> tuple[int, dict[str, bytes]]:
    with store.analysable() as tx:
        return tx.kept_analysis_blocks(snapshot.FORMAT)


def _block(received_on: str | dt.date) -> str:
    """The block of a case received on that day, as the store documents it: days 1-9, 10-19, 20-29, 30-31 of a month."""
    day = received_on if isinstance(received_on, dt.date) else dt.date.fromisoformat(received_on)
    return f"{day.year:04d}-{day.month:02d}-{day.day // 10}"


def _all_blocks(store: Store) -> list[str]:
    with sqlite3.connect(store.path) as conn:
        return sorted({_block(r[0]) for r in conn.execute("SELECT received_on FROM cases WHERE space = 'real'")})


def _typed(col: Categorical, rows: np.ndarray | slice) -> list[tuple[type, Any]]:
    return [(type(col.values[c]), col.values[c]) for c in col.codes[rows].tolist()]


def _entries_of(entries: Entries, row: int) -> list[Any]:
    mine = np.flatnonzero(entries.input == row)
    return sorted(zip(_typed(entries.key, mine), _typed(entries.value, mine), strict=True), key=repr)


def _cases(cols: CaseColumns) -> list[Any]:
    """Every case with everything the columns hold of it, value by value (with its type: True is not 1), its
    inputs and their ratings and views as sorted lists: the order of a case's inputs and entries, and values
    no row uses, mean nothing."""
    out = []
    for i, key in enumerate(cols.keys):
        inputs = np.flatnonzero(cols.inputs.case == i)
        out.append((
            key, int(cols.received[i]), {k: int(v[i]) for k, v in cols.dates.items()},
            {k: _typed(v, slice(i, i + 1)) for k, v in cols.categories.items()}, _typed(cols.rubric, slice(i, i + 1)),
            bool(cols.override_reason[i]), {k: _typed(v, slice(i, i + 1)) for k, v in cols.follow_up.items()},
            int(cols.age[i]), {k: _typed(v, slice(i, i + 1)) for k, v in cols.advice_use.items()},
            _entries_of(cols.findings, i),
            sorted(((_typed(cols.inputs.discipline, slice(j, j + 1)), _typed(cols.inputs.overall, slice(j, j + 1)),
                     _entries_of(cols.inputs.indicators, j), _entries_of(cols.inputs.dimensions, j))
                    for j in inputs.tolist()), key=repr),
        ))
    return out


def _same(a: tuple[CaseColumns, list[str]], b: tuple[CaseColumns, list[str]]) -> None:
    assert _cases(a[0]) == _cases(b[0])
    assert a[1] == b[1]


def test_the_columns_through_the_kept_blocks_hold_what_the_tables_hold(seeded: Store, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fresh = _fresh(seeded)
    assert _kept(seeded)[1] == {}  # nothing kept before the first read through the services
    first = _columns(seeded)
    _same(first, fresh)
    assert len(fresh[1]) == 1 and len(fresh[0]) == 149
    assert set(_kept(seeded)[1]) == set(_all_blocks(seeded))
    # The next read takes the kept blocks: the tables are not read again.
    monkeypatch.setattr(Tx, "analysable_columns", lambda self, blocks=None: pytest.fail("the tables were read again"))
    again = _columns(seeded)
    _same(again, fresh)
    assert sum(len(e) for e in (again[0].inputs.indicators, again[0].inputs.dimensions)) > 1000
    # What the evaluators get is the same: every figure, and the export file by file.
    assert compute_all(again[0], OPEN) == compute_all(fresh[0], OPEN)
    export(fresh[0], tmp_path / "fresh", "full")
    export(again[0], tmp_path / "kept", "full")
    assert read_back(tmp_path / "fresh") == read_back(tmp_path / "kept")


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


def _block_of_row(conn: sqlite3.Connection, table: str, row: sqlite3.Row) -> str:
    """The block of the case a row of `table` belongs to, by the row's key columns."""
    names = row.keys()
    if table == "cases":
        case_id = row["id"]
    elif "case_id" in names:
        case_id = row["case_id"]
    elif "input_id" in names:
        case_id = conn.execute("SELECT case_id FROM inputs WHERE id = ?", [row["input_id"]]).fetchone()[0]
    else:
        case_id = conn.execute("SELECT case_id FROM decisions WHERE id = ?", [row["decision_id"]]).fetchone()[0]
    return _block(conn.execute("SELECT received_on FROM cases WHERE id = ?", [case_id]).fetchone()[0])


def test_every_change_drops_the_block_of_its_case_and_no_other(seeded: Store) -> None:
    sources = _tables_read(seeded)
    assert {"cases", "inputs", "observations", "dimension_views", "consents", "decisions"} <= sources
    assert len(_all_blocks(seeded)) > 20
    conn = sqlite3.connect(seeded.path)  # straight to the file: no service, no audit, only the triggers
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = OFF")
    for table in sorted(sources):
        # A row of a case received in a block among others (the middle one of the table).
        row = conn.execute(f"SELECT rowid AS _rowid, * FROM {table} LIMIT 1 OFFSET (SELECT count(*) / 2 FROM {table})"
                           ).fetchone()
        assert row is not None, f"{table} is empty in the seeded store"
        block = _block_of_row(conn, table, row)
        values = [row[k] for k in row.keys()[1:]]
        marks = ", ".join("?" for _ in values)
        for change, sql, params in (
            ("update", f"UPDATE {table} SET rowid = rowid WHERE rowid = ?", [row["_rowid"]]),
            ("delete", f"DELETE FROM {table} WHERE rowid = ?", [row["_rowid"]]),
            ("insert", f"INSERT INTO {table} VALUES ({marks})", values),
        ):
            _columns(seeded)  # every block kept
            epoch, before = _kept(seeded)
            blocks = set(_all_blocks(seeded))  # a block without cases (its one case deleted): nothing to keep
            assert set(before) == blocks
            with conn:
                conn.execute(sql, params)
            now, after = _kept(seeded)
            assert set(after) == blocks - {block}, \
                f"{change} on {table}: dropped {sorted(blocks - set(after))}, not {block}"
            assert now > epoch, f"{change} on {table} did not count"
    conn.close()
    _same(_columns(seeded), _fresh(seeded))


def test_a_case_moved_to_another_block_drops_both_blocks(seeded: Store) -> None:
    _columns(seeded)
    blocks = _all_blocks(seeded)
    with sqlite3.connect(seeded.path) as conn:
        received = dict(conn.execute("SELECT id, received_on FROM cases WHERE space = 'real'").fetchall())
        case_id = min(received, key=lambda c: received[c])
        old, new = _block(received[case_id]), blocks[-1]
        conn.execute("UPDATE cases SET received_on = ? WHERE id = ?",
                     [max(received.values()), case_id])
    assert old != new and _block(max(received.values())) == new
    assert set(_kept(seeded)[1]) == set(blocks) - {old, new}
    moved = _columns(seeded)
    _same(moved, _fresh(seeded))
    assert set(_kept(seeded)[1]) == set(_all_blocks(seeded))


def test_a_block_read_before_a_change_is_not_kept_after_it(seeded: Store) -> None:
    epoch, _ = _kept(seeded)
    cols, skipped = _fresh(seeded)
    with sqlite3.connect(seeded.path) as conn:
        block_of = {ref: _block(day) for ref, day in conn.execute("SELECT ref, received_on FROM cases")}
    block = _all_blocks(seeded)[0]
    part = case_blocks.split(cols, [block_of[k] for k in cols.keys])[block]
    with seeded.write() as tx:
        tx.conn.execute("UPDATE observations SET status = 'absent' WHERE rowid = (SELECT min(rowid) FROM observations)")
    assert not seeded.keep_analysis_blocks(epoch, snapshot.FORMAT, {block: snapshot.encode(part, [])})
    assert _kept(seeded)[1] == {}
    now = _kept(seeded)[0]
    assert seeded.keep_analysis_blocks(now, snapshot.FORMAT, {block: snapshot.encode(part, [])})
    assert list(_kept(seeded)[1]) == [block]


@pytest.mark.parametrize("kept", ["damaged", "cut short", "other format"])
def test_a_damaged_or_foreign_block_is_never_used(seeded: Store, kept: str) -> None:
    fresh = _fresh(seeded)
    _columns(seeded)
    epoch, blocks = _kept(seeded)
    block = sorted(blocks)[len(blocks) // 2]
    good = blocks[block]
    blob, fmt = {"damaged": (b"\x07" * 64, snapshot.FORMAT), "cut short": (good[: len(good) // 2], snapshot.FORMAT),
                 "other format": (good, "case-columns-0")}[kept]
    with sqlite3.connect(seeded.path) as conn:
        conn.execute("UPDATE analysis_blocks SET columns = ?, format = ? WHERE block = ?", [blob, fmt, block])
    if kept != "other format":
        with pytest.raises(snapshot.SnapshotError):
            snapshot.decode(blob)
    _same(_columns(seeded), fresh)
    now = _kept(seeded)[1]
    assert set(now) == set(blocks)  # a sound one kept in its place
    _same((case_blocks.join([snapshot.decode(now[p])[0] for p in sorted(now)]), fresh[1]), fresh)


def test_a_kept_block_holds_data_only() -> None:
    # The format is JSON and raw numbers: bytes of another kind are refused, never run.
    import pickle

    with pytest.raises(snapshot.SnapshotError):
        snapshot.decode(pickle.dumps({"format": snapshot.FORMAT}))
    with pytest.raises(snapshot.SnapshotError):
        snapshot.decode(b"")


def test_dropping_every_block_makes_the_next_read_a_cold_one(seeded: Store) -> None:
    _columns(seeded)
    epoch, blocks = _kept(seeded)
    assert blocks
    seeded.drop_analysis_blocks()
    now, blocks = _kept(seeded)
    assert blocks == {} and now == epoch + 1
    _same(_columns(seeded), _fresh(seeded))  # read from the tables and kept again
    assert set(_kept(seeded)[1]) == set(_all_blocks(seeded))


def test_the_blocks_changed_are_read_alone(seeded: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _columns(seeded)
    with sqlite3.connect(seeded.path) as conn:
        rated = sorted({r[0] for r in conn.execute(
            "SELECT c.received_on FROM cases c JOIN inputs i ON i.case_id = c.id JOIN observations o ON o.input_id = i.id")})
        days = [rated[3], rated[len(rated) // 2]]
        conn.execute("UPDATE observations SET status = 'absent' WHERE input_id IN (SELECT i.id FROM inputs i "
                     "JOIN cases c ON c.id = i.case_id WHERE c.received_on IN (?, ?))", days)
    changed = sorted({_block(d) for d in days})
    assert len(changed) == 2
    asked: list[Any] = []
    read = Tx.analysable_columns
    monkeypatch.setattr(Tx, "analysable_columns", lambda self, blocks=None: asked.append(blocks) or read(self, blocks))
    _same(_columns(seeded), _fresh(seeded))
    assert asked[0] == changed  # those two blocks only, not every table
    assert set(_kept(seeded)[1]) == set(_all_blocks(seeded))


def test_keeping_the_columns_at_start_keeps_every_block_then_reads_no_table(seeded: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # What the app runs on a thread when it starts (app.py): after an upgrade (every block dropped) every
    # block is read and kept; started again, it reads nothing from the tables.
    seeded.drop_analysis_blocks()
    assert keep_evaluation_columns(seeded) == 150  # every case seeded, the one left out for its dates included
    assert set(_kept(seeded)[1]) == set(_all_blocks(seeded))
    asked: list[Any] = []
    read = Tx.analysable_columns
    monkeypatch.setattr(Tx, "analysable_columns", lambda self, blocks=None: asked.append(blocks) or read(self, blocks))
    assert keep_evaluation_columns(seeded) == 150
    assert asked == []


# --- the pure part: cutting columns by block and joining them ----------------------------------------------

def test_split_and_join_give_back_the_same_cases() -> None:
    cases = sorted(synthetic_cases(80, seed=11, rubric=load_rubric(ILO_RUBRIC)), key=lambda c: (c.received, c.key))
    cols = CaseColumns.of(cases)
    by_block = case_blocks.split(cols, [_block(c.received) for c in cases])
    assert list(by_block) == sorted({_block(c.received) for c in cases})
    assert sum(len(p) for p in by_block.values()) == len(cases)
    assert sum(len(p.inputs.indicators) for p in by_block.values()) == len(cols.inputs.indicators)
    _same((case_blocks.join(list(by_block.values())), []), (cols, []))
    # Parts of different reads (their value lists differ) join as well.
    first, second = CaseColumns.of(cases[:40]), CaseColumns.of(cases[40:])
    _same((case_blocks.join([first, second]), []), (cols, []))


def test_split_refuses_cases_out_of_order() -> None:
    cases = synthetic_cases(5, seed=1, rubric=load_rubric(ILO_RUBRIC))
    cols = CaseColumns.of(cases)
    with pytest.raises(ValueError, match="order"):
        case_blocks.split(cols, ["2018-02-0", "2018-01-0", "2018-03-0", "2018-04-0", "2018-05-0"])
    with pytest.raises(ValueError):
        case_blocks.split(cols, ["2018-01-0"])
