"""The evaluation team's internal workspace (issue #16, item 1): exact counts on screen, a download that never
holds a cell below the threshold, every view in the audit log, and pseudonymous facts only (no reference,
exact date or birth year reaches an evaluator through the services)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assessment import services
from assessment.config import Settings
from assessment.errors import AccessDeniedError, NotFoundError
from assessment.evaluation.disclosure import MIN_THRESHOLD
from assessment.evaluation.facts import CaseFacts
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.store import Store, open_store
from assessment.synthetic import facts as synthetic_cases
from assessment.synthetic import seed_store
from tests.conftest import copy_database

EVALUATOR = User(username="evaluator", role="evaluator")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CaseFacts]]:
    """60 synthetic cases written straight into a store (built once), one of them made inconsistent."""
    path = tmp_path_factory.mktemp("workspace") / "base.sqlite3"
    store = open_store(Settings(db_path=path, demo=False))
    cases = synthetic_cases(60, seed=5, rubric=load_rubric(ILO_RUBRIC))
    decided = next(i for i, c in enumerate(cases) if c.panel_outcome is not None)
    with store.write() as tx:
        seed_store(tx, cases)
        tx.set("cases", {"id": decided + 1}, {"decided_on": "2017-01-01"})  # decided before it was received
        tx.append_audit(actor="synthetic", action="case.update", case_ref=cases[decided].key, entity="case")
    store.close()
    return path, [c for i, c in enumerate(cases) if i != decided]


@pytest.fixture
def store(seeded_file: tuple[Path, list[CaseFacts]], tmp_path: Path) -> Any:
    s = open_store(Settings(db_path=copy_database(seeded_file[0], tmp_path / "w.sqlite3"), demo=False))
    yield s
    s.close()


def events(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    with store.read() as tx:
        return [(e.actor, e.action, json.loads(e.after or "{}")) for e in tx.audit_events()
                if e.action.startswith("workspace.")]


def refs(store: Store) -> list[str]:
    with store.read() as tx:
        return [r["ref"] for r in tx.select("cases")]


def test_the_workspace_counts_exactly(store: Store, seeded_file: tuple[Path, list[CaseFacts]]) -> None:
    cases = seeded_file[1]
    figures = services.workspace_figures(store, EVALUATOR)
    assert figures.skipped == 1
    # Independent of the figures' code: the panel's outcomes per form, counted from the facts seeded.
    expected = Counter((c.form, c.panel_outcome) for c in cases if c.panel_outcome is not None)
    table = figures.metrics.table("outcomes_form")
    ids = [c.id for c in table.columns]
    got = {(r.id, o): r.cells[ids.index(o)].value for r in table.rows if not r.total
           for o in ("plausible", "not_plausible")}
    assert got == {k: expected.get(k, 0) for k in got}
    assert any(0 < n < MIN_THRESHOLD for n in expected.values())  # small cells exist, and are shown exactly
    assert not any(c.hidden for t in figures.metrics.all_tables() for r in t.rows for c, col
                   in zip(r.cells, t.columns, strict=True) if col.kind == "count")


def test_a_download_never_holds_a_cell_below_the_threshold(store: Store) -> None:
    exact = services.workspace_figures(store, EVALUATOR).metrics
    public = services.pilot_figures(store, EVALUATOR)[0]
    # A download is the published table (two checked through the service: each computes every figure) ...
    for table_id in ("funnel", "outcomes_nationality"):
        assert services.workspace_table_csv(store, EVALUATOR, table_id, "nl") == services.table_csv(
            public.table(table_id), "nl")
    # ... and no published table shows a count the exact one has below the threshold.
    small = 0
    for table in exact.all_tables():
        layout = public.table(table.id)
        rows = {r.id: r for r in layout.rows}
        columns = [c.id for c in layout.columns]
        lone = sum(not r.total for r in table.rows) == 1  # a lone body row is its own total, published as is
        for r in table.rows:
            for col, cell in zip(table.columns, r.cells, strict=True):
                if col.kind != "count" or r.total or lone or not isinstance(cell.value, int) \
                        or not 0 < cell.value < MIN_THRESHOLD:
                    continue
                small += 1
                # Published suppressed, or not published at all (e.g. a nationality grouped into its region).
                if r.id in rows and col.id in columns:
                    assert rows[r.id].cells[columns.index(col.id)].hidden, (table.id, r.id, col.id)
    assert small > 10  # the exact tables have small cells, so every one of them was checked


def test_every_view_is_in_the_audit_log(store: Store) -> None:
    import datetime as dt

    start, end = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
    services.workspace_figures(store, EVALUATOR, start=start, end=end)
    services.workspace_table_csv(store, EVALUATOR, "funnel", "en", start=start)
    services.analysable_cases(store, EVALUATOR)
    period = {"from": "2018-01-01", "to": "2018-12-31"}
    logged = events(store)
    assert [(who, action, e["view"], e["filter"]) for who, action, e in logged] == [
        ("evaluator", "workspace.view", "figures", period),
        ("evaluator", "workspace.download", "funnel", {"from": "2018-01-01", "to": None}),
        ("evaluator", "workspace.view", "cases", {}),
    ]
    assert logged[0][2]["cases"] == logged[2][2]["cases"] == 59  # every consistent case was received in 2018
    assert [services.label("audit_action", a, "nl") for a in ("workspace.view", "workspace.download")] == [
        "heeft de evaluatiewerkruimte bekeken", "heeft een tabel uit de evaluatiewerkruimte gedownload"]
    with pytest.raises(NotFoundError):
        services.workspace_table_csv(store, EVALUATOR, "no_such_table", "en")


def test_a_session_logs_each_distinct_view_once_not_each_rerun(store: Store) -> None:
    import datetime as dt

    before = len(events(store))
    session: set[str] = set()  # what a page's session hands in (ui.state.logged_views)
    for _rerun in range(3):
        services.workspace_figures(store, EVALUATOR, seen=session)
    services.workspace_figures(store, EVALUATOR, start=dt.date(2018, 7, 1), seen=session)  # another filter
    services.workspace_figures(store, EVALUATOR, seen=session)  # back to the first: already logged
    services.workspace_figures(store, EVALUATOR, seen=set())  # another session: its own view
    logged = [e["filter"] for _who, _action, e in events(store)[before:]]
    whole, july = {"from": None, "to": None}, {"from": "2018-07-01", "to": None}
    assert logged == [whole, july, whole]


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "admin", "trainer", "trainee"])
def test_only_the_evaluation_team_enters_the_workspace(store: Store, role: str) -> None:
    user = User(username=role, role=role, discipline="police" if role == "member" else None)  # type: ignore[arg-type]
    with pytest.raises(AccessDeniedError):
        services.workspace_figures(store, user)
    with pytest.raises(AccessDeniedError):
        services.workspace_table_csv(store, user, "funnel", "nl")
    assert events(store) == []


def test_evaluators_receive_pseudonymous_facts_only(store: Store) -> None:
    known = refs(store)
    rows = services.analysable_cases(store, EVALUATOR)
    _, skipped = services.pilot_figures(store, EVALUATOR)
    _, skipped_export = services.research_export(store, EVALUATOR, store.path.parent / "export", "csv")
    shown = json.dumps([rows, skipped, skipped_export], default=str)
    assert len(rows) == len(known) - 1 and len(skipped) == 1 and skipped == skipped_export
    assert not any(ref in shown for ref in known)  # no case reference, not even of a case left out
    assert ISO_DATE.search(shown) is None  # months, never days
    assert all(re.fullmatch(r"P[0-9a-f]{16}", str(r["case_key"])) for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}", str(r["received_period"])) for r in rows)
    assert {"age", "birth_year", "received_date", "days_to_decided"}.isdisjoint(rows[0])
    # The same pseudonyms as the research export: the workspace and the export can be read together.
    with (store.path.parent / "export" / "cases.csv").open(encoding="utf-8") as f:
        exported = {r["case_key"] for r in csv.DictReader(f)}
    assert {r["case_key"] for r in rows} == exported


def test_the_app_offers_no_download_of_a_table_besides_the_services() -> None:
    # Streamlit's dataframe toolbar would otherwise hand out the workspace's exact table as CSV, unaudited.
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
