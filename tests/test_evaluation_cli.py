"""The evaluators' commands on a real demo database: metrics, export, rescore, report; and the check that
no research export of the demo data holds a name, date of birth, free-text note or small count."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assessment.cli import main
from assessment.evaluation.export import QUASI_IDENTIFIERS, read_back
from tests.conftest import copy_database

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KEY_COLUMNS = {"dimension", "indicator", "discipline", "username", "rubric_result"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_db_file: Path) -> Path:
    """A copy of the demo database (loaded once through `init` and `demo`: tests/conftest.py)."""
    path = copy_database(demo_db_file, tmp_path / "eval.sqlite3")
    monkeypatch.setenv("AANNEMELIJK_DB", str(path))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.delenv("AANNEMELIJK_USER", raising=False)
    return path


def personal_strings(db: Path) -> set[str]:
    """Every name, date of birth, contact and free text stored in the personal tables (p_*)."""
    conn = sqlite3.connect(db)
    found: set[str] = set()
    tables = [
        r[0]
        for r in conn.execute("select name from sqlite_master where type='table' and name like 'p\\_%' escape '\\'")
    ]
    for table in tables:
        cols = [d[1] for d in conn.execute(f"pragma table_info({table})")]
        # Keys that link a personal row to its record (ids, dimension/indicator ids) are not personal.
        personal = [i for i, c in enumerate(cols) if c not in KEY_COLUMNS and not c.endswith("id")]
        for row in conn.execute(f"select * from {table}"):  # noqa: S608 - table names from sqlite_master
            found |= {row[i] for i in personal if isinstance(row[i], str) and len(row[i]) >= 4}
    conn.close()
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_research_export_of_demo_data_holds_nothing_personal(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("export" if fmt == "csv" else "export.xlsx")
    assert main(["export", "--as", "evaluator", "--format", fmt, "--out", str(out)]) == 0
    # "onbekend" is what the demo's intake holds in a personal field (sector) when nothing is known: the
    # tool's own word for unknown, also in the codebook, not something of the person's.
    secrets = personal_strings(db) - {"onbekend", "unknown"}
    assert any(len(s) > 10 for s in secrets)  # the demo does hold names and notes to leak
    sheets = read_back(out)
    cells = [str(v) for rows in sheets.values() for row in rows for v in row if v is not None]
    for cell in cells:
        assert not [secret for secret in secrets if secret in cell], cell
    header, *rows = sheets["cases"]
    for row in [*rows, *sheets["disciplines"][1:]]:
        assert not any(ISO_DATE.search(str(v)) for v in row)
    for field in QUASI_IDENTIFIERS:
        counts = Counter(r[header.index(field)] for r in rows)
        assert all(n >= 10 for v, n in counts.items() if v != "x"), (field, counts)
    assert {"name", "date_of_birth", "notes", "contact"}.isdisjoint(header)


def small_breakdown_counts(data: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """Counts below 10 shown inside a breakdown (the totals row, the whole population, is published as it
    is, and so is a lone body row, which is that same row; a 0 under a published total of 0 says nothing new)."""
    found = []
    for t in [*data["tables"], *data["agreement"]["tables"]]:
        totals = next((r for r in t["rows"] if r["total"]), None)
        if totals is not None and len(t["rows"]) == 2:
            continue
        for row in t["rows"]:
            for i, (col, cell) in enumerate(zip(t["columns"], row["cells"], strict=True)):
                value = cell["value"]
                if col["kind"] != "count" or value is None or row["total"] or value >= 10:
                    continue
                if value == 0 and totals is not None and totals["cells"][i]["value"] == 0:
                    continue
                found.append((t["id"], row["id"], col["id"], value))
    return found


def test_metrics_json_shows_no_breakdown_count_below_the_threshold(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", "--as", "evaluator", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == {"threshold": 10, "min_denominator": 10}
    tables = [*data["tables"], *data["agreement"]["tables"]]
    assert {t["id"] for t in tables} >= {"funnel", "outcomes_form", "throughput", "agreement"}
    assert small_breakdown_counts(data) == []


def test_an_evaluator_cannot_lower_the_threshold(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Issue #14 hole 2, as reproduced: `metrics --threshold 1` and `export --profile research --threshold 1`.
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for argv in (["metrics", "--json"], ["export", "--profile", "research", "--out", str(tmp_path / "x")],
                 ["report", "--from", "2018-01-01", "--to", "2030-12-31", "--out", str(tmp_path / "r.pdf")],
                 ["rescore", "--rubric", "pilot_data/rubrics/ilo-2009.yaml"]):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--as", "evaluator", "--threshold", "1"])
        assert exit_.value.code == 2
    assert capsys.readouterr().out == "" and not any(tmp_path.iterdir())
    # Nor through the setting: that is the administrator's, never below 10, always with a reason.
    assert main(["disclosure", "--as", "evaluator", "--threshold", "10", "--reason", "ik wil het"]) == 3
    assert main(["disclosure", "--as", "admin", "--threshold", "9", "--reason", "te streng"]) == 2
    assert main(["disclosure", "--as", "admin", "--threshold", "12"]) == 2
    capsys.readouterr()
    assert main(["metrics", "--as", "evaluator", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == {"threshold": 10, "min_denominator": 10}


def test_the_administrator_sets_the_threshold_with_a_reason_in_the_audit_log(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assessment.config import load_settings
    from assessment.services import check_audit_chain
    from assessment.store import open_store

    assert main(["disclosure", "--as", "admin", "--threshold", "15", "--reason", "Advies FG: kleine regio"]) == 0
    assert json.loads(capsys.readouterr().out) == {"threshold": 15, "pseudonym_generation": 0}
    assert main(["metrics", "--as", "evaluator", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == {"threshold": 15, "min_denominator": 15}
    store = open_store(load_settings(db))
    with store.read() as tx:
        events = [e for e in tx.audit_events() if e.action == "disclosure.set"]
    assert [(e.actor, e.reason) for e in events] == [("admin", "Advies FG: kleine regio")]
    assert json.loads(events[0].before or "") == {"threshold": 10, "pseudonym_generation": 0}
    assert json.loads(events[0].after or "") == {"threshold": 15, "pseudonym_generation": 0}
    assert check_audit_chain(store) > 0


def test_only_evaluators_see_the_figures(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--as", "secretary"]) == 3
    assert main(["metrics", "--as", "admin"]) == 3
    assert main(["metrics", "--exact", "--as", "chair"]) == 3
    assert capsys.readouterr().out == ""


def test_exact_figures_for_the_evaluation_team_are_audited(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assessment.config import load_settings
    from assessment.store import open_store

    assert main(["metrics", "--exact", "--as", "evaluator", "--json", "--from", "2018-01-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == {"threshold": 0, "min_denominator": 1}
    assert small_breakdown_counts(data)  # the small counts the published figures hide, shown exactly
    # The funnel's total of cases received, against the database counted by hand (real cases from 2018 on).
    with sqlite3.connect(db) as conn:
        real = conn.execute("SELECT count(*) FROM cases WHERE space = 'real' AND received_on >= '2018-01-01'").fetchone()[0]
    funnel = next(t for t in data["tables"] if t["id"] == "funnel")
    totals = next(r for r in funnel["rows"] if r["total"])
    assert totals["cells"][[c["id"] for c in funnel["columns"]].index("total")]["value"] == real
    store = open_store(load_settings(db))
    with store.read() as tx:
        events = [e for e in tx.audit_events() if e.action.startswith("workspace.")]
    store.close()
    assert [(e.actor, e.action, json.loads(e.after or "")["filter"]) for e in events] == [
        ("evaluator", "workspace.view", {"from": "2018-01-01", "to": None})]


def test_full_export_is_for_administrators_and_audited(db: Path, tmp_path: Path) -> None:
    from assessment.config import load_settings
    from assessment.services import check_audit_chain
    from assessment.store import open_store

    assert main(["export", "--as", "evaluator", "--profile", "full", "--out", str(tmp_path / "no")]) == 3
    assert not (tmp_path / "no").exists()
    assert main(["export", "--as", "admin", "--profile", "full", "--out", str(tmp_path / "full")]) == 0
    header = (tmp_path / "full" / "cases.csv").read_text().splitlines()[0]
    assert "name" not in header.split(",")
    store = open_store(load_settings(db))
    with store.read() as tx:
        events = [e for e in tx.audit_events() if e.action == "export.full"]
    assert [(e.actor, e.entity) for e in events] == [("admin", "export")]
    assert check_audit_chain(store) > 0


def test_rescore_and_report(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rescore", "--as", "evaluator", "--rubric", "pilot_data/rubrics/ilo-2009.yaml", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rubric_id"] == "ilo-2009" and "changes" not in data
    pdf = tmp_path / "report.pdf"
    argv = ["report", "--as", "evaluator", "--from", "2018-01-01", "--to", "2030-12-31", "--out", str(pdf)]
    assert main([*argv, "--lang", "en"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
