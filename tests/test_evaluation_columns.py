"""The figures read straight from SQLite into columns give exactly what the per-case path gives: the store
read into `AnalysableCase`s, turned into `CaseFacts` one by one (`to_facts`, with pydantic's validation
deciding which cases are inconsistent), then flattened. Same cases left out, same figures, same re-scoring."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assessment import services
from assessment import store as store_module
from assessment.casefile import read_case_file
from assessment.config import Settings
from assessment.evaluation.disclosure import DisclosureRule
from assessment.evaluation.facts import CaseColumns
from assessment.evaluation.metrics import compute_all, findings_vs_rubric, rubric_labels
from assessment.evaluation.rescore import rescore
from assessment.evaluation.source import _positions
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.services.evaluation import _columns, _exact_facts  # the exact facts, inside the services
from assessment.services.importing import DEMO_CASES
from assessment.store import Store, open_store
from assessment.synthetic import facts as synthetic_cases
from assessment.synthetic import seed_store
from tests.conftest import copy_database

OPEN = DisclosureRule(threshold=0, min_denominator=0)
EVALUATOR = User(username="evaluator", role="evaluator")


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database, made once per module (600 synthetic cases); each test takes a copy."""
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("columns") / "eval.sqlite3", demo=False))
    rubric = load_rubric(ILO_RUBRIC)
    cases = synthetic_cases(600, seed=3, rubric=rubric)
    with store.write() as tx:
        seed_store(tx, cases)
        ref = {c.key: i + 1 for i, c in enumerate(cases)}
        decided = [c.key for c in cases if c.panel_outcome is not None]
        undecided = [c.key for c in cases if c.status == "in_progress"]
        # Facts CaseFacts refuses, each making its case inconsistent (left out, listed as skipped):
        tx.set("cases", {"id": ref[decided[0]]}, {"decided_on": "2017-01-01"})  # decided before received
        tx.set("cases", {"id": ref[decided[1]]}, {"nationality": "n1"})  # not a country code
        tx.set("cases", {"id": ref[decided[2]]}, {"birth_year": 2010, "age_group": "adult"})  # a child, recorded adult
        tx.set("cases", {"id": ref[undecided[0]]}, {"panel_outcome": "aannemelijk"})  # outcome without a decision
        tx.set("cases", {"id": ref[undecided[1]]}, {"hearing_on": "2017-06-01"})  # hearing before application
        # Facts that change what counts, without making a case inconsistent:
        tx.set("cases", {"id": ref[decided[4]]}, {"birth_year": None, "age_group": "child"})  # age unknown
        tx.set("cases", {"id": ref[decided[5]]}, {"nationality": "nl", "gender": "x"})
        tx.set("inputs", {"id": ref[decided[6]] * 16}, {"submitted_at": None})  # a draft: not analysable
        tx.set("consents", {"case_id": ref[decided[7]]}, {"revoked_on": "2018-06-01"})  # medical input out
        tx.set("decisions", {"id": ref[decided[8]]}, {"voided_at": "2018-06-01T00:00:00"})  # voided decision
        tx.set("inputs", {"id": ref[decided[9]] * 16 + 1}, {"overall_view": None})
        tx.set("cases", {"id": ref[decided[10]]}, {"space": "training"})  # not a real case
        # Every change to a case row is recorded in the audit log (the store refuses it otherwise).
        changed = [decided[i] for i in (0, 1, 2, 4, 5, 10)] + undecided[:2]
        for key in changed:
            tx.append_audit(actor="synthetic", action="case.update", case_ref=key, entity="case")
    store.close()
    return store.path


@pytest.fixture
def seeded(seeded_file: Path, tmp_path: Path) -> Store:
    return open_store(Settings(db_path=copy_database(seeded_file, tmp_path / "eval.sqlite3"), demo=False))


def test_columns_from_sqlite_equal_the_per_case_path(seeded: Store) -> None:
    facts, skipped = _exact_facts(seeded)
    cols, skipped_cols = _columns(seeded)
    assert len(skipped) == 5
    assert skipped_cols == skipped
    assert cols.keys == [c.key for c in facts]
    labels = rubric_labels(load_rubric(ILO_RUBRIC))
    for options in ({"as_of": date(2018, 9, 1)}, {"start": date(2018, 4, 1), "end": date(2018, 9, 30), "period": "month"}):
        expected = compute_all(facts, OPEN, labels=labels, **options).model_dump(mode="json")  # type: ignore[arg-type]
        assert compute_all(cols, OPEN, labels=labels, **options).model_dump(mode="json") == expected  # type: ignore[arg-type]
    by_objects = CaseColumns.of(facts)
    for name, col in by_objects.categories.items():
        assert col.counts() == cols.col(name).counts(), name
    assert rescore(cols, load_rubric(ILO_RUBRIC), OPEN) == rescore(facts, load_rubric(ILO_RUBRIC), OPEN)


def _unexpected_values_read_row_by_row(store: Store) -> None:
    # SQLite codes the expected statuses as one character each; a slice holding any other value (here: every
    # status but "present" unexpected) is read row by row. The entries must be the same either way.
    with store.analysable() as tx:
        coded = store_module._entries(tx.conn, "observations", "indicator", "status",
                                      ("present", "absent", "unknown", "not_applicable"))
        by_rows = store_module._entries(tx.conn, "observations", "indicator", "status", ("present",))
        n = tx.conn.execute("SELECT count(*) FROM observations").fetchone()[0]

    def triples(t: dict[str, Any]) -> list[tuple[int, str, str]]:
        key_of = dict(zip(list(t["firsts:key"]), t["values:key"], strict=True))
        return [(i, key_of[k], t["values:value"][v])
                for i, k, v in zip(t["input"].tolist(), t["key"], t["value"].tolist(), strict=True)]

    assert len(triples(coded)) == n > store_module.ENTRY_SLICE
    assert triples(by_rows) == triples(coded)
    assert by_rows["values:value"][0] == "present" and set(by_rows["values:value"]) <= set(coded["values:value"])


@pytest.mark.parametrize("slice_rows", [1_000_000, 97])
def test_ratings_read_in_slices_and_odd_texts_give_the_per_case_path(
    seeded: Store, slice_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ratings and views come packed per slice of rows (store._entries); a key holding the packing's separator
    # (char 31) sends its slice down the row-by-row path. Both must give the same facts.
    monkeypatch.setattr(store_module, "ENTRY_SLICE", slice_rows)
    with seeded.write() as tx:
        some = [r[0] for r in tx.conn.execute("SELECT id FROM inputs WHERE submitted_at IS NOT NULL LIMIT 3")]
        tx.conn.execute("INSERT INTO observations VALUES (?, 'odd\x1eid', 'present'), (?, 'a\x1fb', 'absent')",
                        some[:2])
        tx.conn.execute("INSERT INTO dimension_views VALUES (?, 'dim\x1f', 'positive')", some[2:])
    facts, skipped = _exact_facts(seeded)
    cols, skipped_cols = _columns(seeded)
    assert skipped_cols == skipped and len(skipped) == 5
    by_objects = CaseColumns.of(facts)

    def entries(c: CaseColumns, which: str) -> list[tuple[int, str, str, str]]:
        # (case, discipline, key, value) of every entry: the inputs' order may differ between the paths.
        i, e = c.inputs, getattr(c.inputs, which)
        discipline = [i.discipline.values[d] for d in i.discipline.codes.tolist()]
        case = i.case.tolist()
        return sorted((case[n], discipline[n], e.key.values[k], e.value.values[v])
                      for n, k, v in zip(e.input.tolist(), e.key.codes.tolist(), e.value.codes.tolist(), strict=True))

    for which in ("indicators", "dimensions"):
        assert entries(cols, which) == entries(by_objects, which)
    assert {"odd\x1eid", "a\x1fb"} <= set(cols.inputs.indicators.key.values)
    if slice_rows < 1000:
        _unexpected_values_read_row_by_row(seeded)
    assert rescore(cols, load_rubric(ILO_RUBRIC), OPEN) == rescore(facts, load_rubric(ILO_RUBRIC), OPEN)


def test_the_exact_facts_are_not_in_the_public_services() -> None:
    # Pages and the CLI reach the core only through services.__all__ (tests/test_architecture.py); the exact
    # facts (references, dates) stay inside the services, evaluators get pseudonymous ones (test_workspace).
    assert not {"evaluation_facts", "evaluation_columns", "_columns", "_exact_facts"} & set(services.__all__)
    assert not hasattr(services, "evaluation_columns") and not hasattr(services, "evaluation_facts")


def test_an_empty_store_gives_empty_columns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(Settings(db_path=tmp_path / "empty.sqlite3", demo=False))
    cols, skipped = _columns(store)
    assert (len(cols), skipped) == (0, [])
    assert compute_all(cols, OPEN, as_of=date(2018, 1, 1)).table("funnel").rows[-1].cells[-1].value == 0


@pytest.mark.parametrize("profile", ["research", "full"])
def test_exports_from_sqlite_equal_the_per_case_path(seeded: Store, tmp_path, monkeypatch, profile: str) -> None:  # type: ignore[no-untyped-def]
    from assessment.evaluation import export as ex

    monkeypatch.setattr(ex, "_export_keys", lambda cols, p, key=None: list(cols.keys))
    facts, _ = _exact_facts(seeded)
    cols, _ = _columns(seeded)
    a = ex.read_back(ex.export(facts, tmp_path / "a", profile, "csv").paths[0].parent)  # type: ignore[arg-type]
    b = ex.read_back(ex.export(cols, tmp_path / "b", profile, "csv").paths[0].parent)  # type: ignore[arg-type]
    assert a == b
    assert len(b["cases"]) == len(facts) + 1


def test_the_findings_table_reads_the_panels_recorded_findings_on_both_paths(tmp_path: Path,
                                                                          demo_db_file: Path) -> None:
    """The curated cases, loaded as the app loads them: per element, the instrument's status (rows) against
    the panel's finding (columns) is what the case files state (`expected.dimensions` and
    `expected.findings`, checked against the store by tests/test_curated_cases.py), counted by hand from
    those files here; the per-case path and the SQLite columns agree."""
    # The demo as an operator loads it (`init`, `demo`), once per test process: tests/conftest.py.
    store = open_store(Settings(db_path=copy_database(demo_db_file, tmp_path / "demo.sqlite3"), demo=True))
    expected: Counter[tuple[str, str]] = Counter()
    for path in sorted(DEMO_CASES.glob("*.yaml")):
        cf = read_case_file(path)
        if cf.space == "real" and cf.expected is not None and cf.expected.status == "decided":
            expected.update((f"{e}:{cf.expected.dimensions[e]}", f) for e, f in cf.expected.findings.items())
    assert expected[("means:negative", "negative")] >= 1 and expected[("conduct:undetermined", "undetermined")] >= 1
    labels = rubric_labels(services.shipped_rubric())
    facts, _ = _exact_facts(store)
    cols, _ = _columns(store)
    for cases in (facts, cols):
        t = findings_vs_rubric(cases, OPEN, labels)
        got = {(r.id, c.id): t.cell(r.id, c.id).value for r in t.rows if r.id != "total"
               for c in t.columns if c.id != "total" and t.cell(r.id, c.id).value}
        assert got == dict(expected)
    store.close()


@pytest.mark.parametrize(
    ("birth_year", "period_start", "recorded", "group", "band"),
    [
        # Hand-worked (legal-test.md, "Age, consent and representation"): born 1999, the exploitation began in
        # March 2015 (15 or 16 then), applied in 2018 (18 or 19): a minor at the start, in group and band.
        (1999, "2015-03-01", "child", "child", "0-17"),
        # Born 2000, started 2018: 17 or 18 then; the year of birth cannot tell, so the recorded group (the date
        # of birth, or the secretary's choice) decides the band too.
        (2000, "2018-01-02", "child", "child", "0-17"),
        (2000, "2018-01-02", "adult", "adult", "18-24"),
        (1980, "2010-05-01", "adult", "adult", "25-34"),  # 29 or 30 at the start, 37 or 38 at application
        (1999, None, "child", "child", "unknown"),  # no start: no band; the recorded group stands
    ],
)
def test_age_band_and_group_are_the_age_at_the_start_of_the_exploitation_on_both_paths(
        tmp_path, birth_year: int, period_start: str | None, recorded: str, group: str, band: str) -> None:  # type: ignore[no-untyped-def]
    store = open_store(Settings(db_path=tmp_path / "age.sqlite3", demo=False))
    cases = synthetic_cases(3, seed=5)
    with store.write() as tx:
        seed_store(tx, cases)
        tx.set("cases", {"id": 2}, {"birth_year": birth_year, "period_start": period_start, "age_group": recorded})
        tx.append_audit(actor="synthetic", action="case.update", case_ref=cases[1].key, entity="case")
    facts, skipped = _exact_facts(store)
    cols, skipped_cols = _columns(store)
    assert skipped == skipped_cols == []
    mine = next(f for f in facts if f.key == cases[1].key)
    assert (mine.age_group, mine.age_band) == (group, band)
    at = cols.keys.index(cases[1].key)
    assert (cols.col("age_group").values[cols.col("age_group").codes[at]],
            cols.col("age_band").values[cols.col("age_band").codes[at]]) == (group, band)


def test_a_child_at_the_start_recorded_adult_is_inconsistent_on_both_paths(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(Settings(db_path=tmp_path / "age.sqlite3", demo=False))
    cases = synthetic_cases(3, seed=5)
    with store.write() as tx:
        seed_store(tx, cases)
        # 15 or 16 at the start: a child by the year of birth alone, yet recorded adult.
        tx.set("cases", {"id": 2}, {"birth_year": 1999, "period_start": "2015-03-01", "age_group": "adult"})
        tx.append_audit(actor="synthetic", action="case.update", case_ref=cases[1].key, entity="case")
    assert _exact_facts(store)[1] == [cases[1].key]
    assert _columns(store)[1] == [cases[1].key]


@pytest.mark.parametrize(
    "ids",
    [
        [3, 1, 2, 7, 5],  # dense row ids: looked up in a table indexed by id
        [10**12, 4, 9],  # sparse: binary search
        [5, 3, 5, 7, 3],  # an id listed twice: the first position, as a search finds it
        [],
    ],
)
def test_row_positions_by_id_are_the_first_position_or_minus_one(ids: list[int]) -> None:
    wanted = [-1, 0, 1, 3, 4, 5, 7, 9, 8, 10**12, 10**12 + 1]
    first: dict[int, int] = {}
    for i, v in enumerate(ids):
        first.setdefault(v, i)
    got = _positions(np.array(ids, dtype=np.int64), np.array(wanted, dtype=np.int64))
    assert got.tolist() == [first.get(v, -1) for v in wanted]
    inside = [v for v in wanted if 0 <= v <= max(ids, default=0)]  # every wanted id within the table
    got = _positions(np.array(ids, dtype=np.int64), np.array(inside, dtype=np.int64))
    assert got.tolist() == [first.get(v, -1) for v in inside]
