# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The evaluators' page on a real database of synthetic decided cases: the workspace's every table with its
exact counts, chart and protected CSV download (each view and download in the audit log), the period filter,
the pilot report, the research export and the what-if."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.config import Settings
from assessment.evaluation.disclosure import DEFAULT_RULE, SUPPRESSED_MARK, Table
from assessment.evaluation.export import read_back
from assessment.evaluation.metrics import PilotMetrics, compute_all, rubric_labels
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, Rubric
from assessment.services.evaluation import _exact_facts  # the exact facts, read only inside the services
from assessment.services.workspace import EXACT
from assessment.store import Store, open_store
from assessment.synthetic import generate
from tests.test_app_common import OpenApp, app_env, as_text, by_key, open_app, texts  # noqa: F401 (fixtures)

PAGE = "ui/evaluation.py"
POLICE_SIGNALS = ILO_RUBRIC.parent / "police-signals.yaml"
START = dt.date.today() - dt.timedelta(days=60)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database with the demo accounts and 60 synthetic cases received over the last two months (their
    advice is dated today, so the days to advice spread over the first bands), built once for the module
    (loading goes through the services and costs seconds); each test works on its own copy."""
    path = tmp_path_factory.mktemp("evaluation") / "template.sqlite3"
    store = open_store(Settings(db_path=path, demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    rubric = services.shipped_rubric()  # decided under the default instrument, the one the app has active
    services.load_synthetic(store, chair, generate(60, "pilot", 6, rubric=rubric, start=START, span_days=56), rubric)
    store.close()
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    """This test's copy of the template database."""
    path = tmp_path / "eval.sqlite3"
    with sqlite3.connect(template) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    s = open_store(Settings(db_path=path, demo=True))
    yield s
    s.close()


@pytest.fixture
def users(store: Store) -> dict[str, User]:
    """The demo accounts (already in the template)."""
    admin = services.user_by_name(store, "admin")
    return {u.username: services.user_by_name(store, u.username) for u in services.list_users(store, admin)}


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every file the app hands to the browser (downloads), by file id, so tests can read what a user gets;
    a download made when clicked is kept as its callable, under its placeholder id."""
    files: dict[str, Any] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            files[file_id] = self.get_file(file_id)
            return file_id

    class Deferring(MediaFileManager):
        def add_deferred(self, data_callable: Any, mimetype: Any, coordinates: str, file_name: str | None = None,
                         **kw: Any) -> str:
            file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, **kw)
            files[file_id] = data_callable
            return file_id

    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", Recording)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Deferring)
    return files


def download(at: AppTest, media: dict[str, Any], key: str) -> bytes:
    """The bytes a download button hands out (a download made when clicked: made now, as a click would)."""
    proto = at.download_button(key=key).proto
    if proto.deferred_file_id:
        made: bytes = media[proto.deferred_file_id]()
        return made
    content: bytes = media[Path(proto.url).stem].content
    return content


def file_name(at: AppTest, media: dict[str, Any], key: str) -> str:
    """The file name a download button offers."""
    name: str = media[Path(at.download_button(key=key).proto.url).stem].filename
    return name


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def published(table: Table, lang: str) -> list[list[str]]:
    """A table as its CSV download must hold it: header, rows (x for suppressed), blank, note, rule."""
    head = [table.row_header.text(lang), *(c.label.text(lang) for c in table.columns)]  # type: ignore[arg-type]
    body = [[r.label.text(lang), *(SUPPRESSED_MARK if c.hidden else "" if c.value is None else str(c.value)  # type: ignore[arg-type]
                              for c in r.cells)] for r in table.rows]
    note = [[table.note.text(lang)]] if table.note else []  # type: ignore[arg-type]
    return [head, *body, [], *note, [table.rule.text(lang)]]  # type: ignore[arg-type]


def expected_metrics(store: Store, users: dict[str, User], rubric: Rubric, start: dt.date | None = None,
                     end: dt.date | None = None, rule: Any = DEFAULT_RULE) -> PilotMetrics:
    facts, _ = _exact_facts(store)
    # The page names elements and dimensions as the active instrument does (the decisions' findings are on
    # its elements); `rubric` is kept for callers that score with it.
    return compute_all(facts, rule, start=start, end=end, labels=rubric_labels(services.active_rubric(store)))


def workspace_events(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    """(who, action, payload) of every workspace event in the audit log, oldest first."""
    with store.read() as tx:
        return [(e.actor, e.action, json.loads(e.after or "{}")) for e in tx.audit_events()
                if e.action.startswith("workspace.")]


def charts(at: AppTest) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every chart on the page: its Vega-Lite spec and its data (Streamlit sends the data as Arrow)."""
    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        named = {d.name: d.data.data for d in c.proto.datasets}  # Streamlit moves inline values here
        arrow = named.get(spec.get("data", {}).get("name")) or c.proto.data.data
        out.append((spec, pa.ipc.open_stream(arrow).read_all().to_pylist() if arrow else []))
    return out


def warnings(at: AppTest) -> list[str]:
    """The page's warnings (the demo banner left out)."""
    return [as_text(w.value) for w in at.warning if not w.value.startswith("DEMO")]


def refs(store: Store) -> list[str]:
    with store.read() as tx:
        return [r["ref"] for r in tx.select("cases")]


# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_table_shows_its_rule_chart_and_downloadable_data(store: Store, users: dict[str, User], rubric: Rubric,
                                                                 open_app: OpenApp, media: dict[str, Any],
                                                                 lang: str) -> None:
    at = open_app("evaluator", PAGE, lang=lang)
    # The workspace shows exact counts; what leaves it as a file is the table under the deployment's rule.
    metrics = expected_metrics(store, users, rubric, rule=EXACT)
    public = expected_metrics(store, users, rubric)
    tables = metrics.all_tables()
    assert [as_text(e.value) for e in at.error] == []
    subheaders = [as_text(s.value) for s in at.subheader]
    assert subheaders == [t.title.text(lang) for t in tables]  # type: ignore[arg-type]
    captions = [as_text(c.value) for c in at.caption]
    assert captions.count(EXACT.text(lang)) >= len(tables)  # type: ignore[arg-type]
    assert DEFAULT_RULE.text(lang) in " ".join(as_text(i.value) for i in at.info)  # what a download applies
    frames = [d.value.astype(str).values.tolist() for d in at.dataframe]  # one per table, in the page's order
    assert len(frames) == len(tables)
    # Each view of the page is recorded with who, which view and which filter (here none).
    views = workspace_events(store)
    assert views and all(v == ("evaluator", "workspace.view",
                               {"view": "figures", "filter": {"from": None, "to": None}, "cases": 60}) for v in views)
    hidden = 0
    for t, on_screen in zip(tables, frames, strict=True):
        assert on_screen == [[*row.values()] for row in t.shown(lang)]  # type: ignore[arg-type]
        # On screen no count is ever suppressed (a statistic on no units at all stays unshown).
        kinds = [c.kind for c in t.columns]
        assert not any(c.hidden for r in t.rows for c, k in zip(r.cells, kinds, strict=True) if k == "count"), t.id
        assert not any(v in ("None", "nan", "") for row in on_screen for v in row), t.id
        # A count the published table suppresses is on screen as its exact figure.
        for i, r in enumerate(public.table(t.id).rows):
            hidden += sum(c.hidden and k == "count" and on_screen[i][j + 1].isdigit()
                          for j, (c, k) in enumerate(zip(r.cells, kinds, strict=True)))
    assert hidden > 0  # the synthetic data has small counts, so the check above ran
    # A download is the published table (each one is made when clicked, computing every figure: three of them
    # here, one with a margin and two with suppressed cells, keep the test quick).
    suppressing = [t.id for t in public.all_tables() if any(c.hidden for r in t.rows for c in r.cells)]
    sample = ["funnel", *suppressing[:2]]
    for table_id in sample:
        in_file = csv_rows(download(at, media, f"evaluation.{table_id}.csv"))
        assert in_file == published(public.table(table_id), lang)
    # Every download is in the audit log: who, which table, which filter (here none).
    downloads = [e for e in workspace_events(store) if e[1] == "workspace.download"]
    assert [(who, e["view"], e["filter"]) for who, _a, e in downloads] == [
        ("evaluator", t, {"from": None, "to": None}) for t in sample]
    # Some figures are big enough to be shown at all (the data is not all suppressed).
    funnel = public.table("funnel")
    assert any(not c.hidden and isinstance(c.value, int) and c.value >= 10 for r in funnel.rows for c in r.cells)
    specs = charts(at)
    # Each chart's text alternative names its table and points to the figures in it (WCAG 1.1.1).
    about = ('Grafiek bij "{}"; de cijfers staan in de tabel erboven.' if lang == "nl"
             else 'Chart of "{}"; its figures are in the table above it.')
    described = [s.get("description") for s, _ in specs]
    assert specs and set(described) <= {about.format(t.title.text(lang)) for t in tables}  # type: ignore[arg-type]
    assert len(set(described)) == len(specs)
    kappa = metrics.table("agreement_pairs")
    heat = [(s, d) for s, d in specs if "layer" in s and s["layer"][0]["mark"]["type"] == "rect"]
    assert len(heat) == 1
    spec, values = heat[0]
    assert {v["pair"] for v in values} == {r.label.text(lang) for r in kappa.rows}  # type: ignore[arg-type]
    # Written as the page's language writes numbers ("0,45" in Dutch), as in the table.
    assert {v["text"] for v in values} == {c.text("statistic", lang) for r in kappa.rows for c in r.cells}
    assert spec["layer"][0]["encoding"]["color"]["title"] == ("Cohen's kappa" if lang == "en" else "Cohens kappa")
    distribution = [(s, d) for s, d in specs if s.get("encoding", {}).get("xOffset")]
    assert len(distribution) == 1
    spec, values = distribution[0]
    assert spec["encoding"]["x"]["title"] == ("Days from application" if lang == "en" else "Dagen vanaf de aanvraag")
    stages = {r.label.text(lang) for r in metrics.table("throughput_distribution").rows}  # type: ignore[arg-type]
    assert values and {v["stage"] for v in values} <= stages
    # No case reference anywhere on the page.
    shown = texts(at) + json.dumps(specs) + "".join(str(d.value.to_dict()) for d in at.dataframe)
    assert not any(ref in shown for ref in refs(store))


def test_the_period_filter_recomputes_the_figures(store: Store, users: dict[str, User], rubric: Rubric,
                                                  open_app: OpenApp, media: dict[str, Any]) -> None:
    at = open_app("evaluator", PAGE, lang="en")
    whole = csv_rows(download(at, media, "evaluation.funnel.csv"))
    start, end = START + dt.timedelta(days=10), START + dt.timedelta(days=40)
    by_key(at, "evaluation.from").set_value(start)
    by_key(at, "evaluation.to").set_value(end).run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    part = expected_metrics(store, users, rubric, start, end)
    for t in (part.table("funnel"), part.table("outcomes_form")):
        assert csv_rows(download(at, media, f"evaluation.{t.id}.csv")) == published(t, "en")
    assert csv_rows(download(at, media, "evaluation.funnel.csv")) != whole
    # The view and each download are recorded with the filter they were made under.
    period = {"from": start.isoformat(), "to": end.isoformat()}
    viewed = [(e["view"], e["filter"]) for _w, a, e in workspace_events(store) if a == "workspace.view"]
    assert viewed.count(("figures", period)) == 1
    # A rerun (any click on the page) shows the same view: the audit trail gets no second event for it.
    at.run()
    assert [(e["view"], e["filter"]) for _w, a, e in workspace_events(store) if a == "workspace.view"] == viewed
    assert workspace_events(store)[-1][1:] == ("workspace.download", {"view": "funnel", "filter": period,
                                                                       "lang": "en"})
    # The wrong way round: said, and no figures.
    by_key(at, "evaluation.from").set_value(end)
    by_key(at, "evaluation.to").set_value(start).run()
    assert [as_text(e.value) for e in at.error] == ["The start of the period lies after its end."]
    assert not at.subheader


@pytest.mark.parametrize("report_lang", ["en", "nl"])
def test_the_pilot_report_for_the_period(open_app: OpenApp, media: dict[str, Any], report_lang: str) -> None:
    at = open_app("evaluator", PAGE, lang="nl")
    start, end = START, START + dt.timedelta(days=30)
    by_key(at, "evaluation.from").set_value(start)
    by_key(at, "evaluation.to").set_value(end).run()
    by_key(at, "evaluation.report.lang").set_value(report_lang).run()
    with pytest.raises(KeyError):
        at.download_button(key="evaluation.report.download")
    by_key(at, "evaluation.report.make").click().run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    button = at.download_button(key="evaluation.report.download")
    assert button.proto.label == "Pilotrapport downloaden (PDF)"
    pdf = download(at, media, "evaluation.report.download")
    assert pdf.startswith(b"%PDF")
    assert file_name(at, media, "evaluation.report.download") == f"pilot-report-{start}-{end}-{report_lang}.pdf"


def test_the_research_export_as_csv_and_xlsx(store: Store, open_app: OpenApp, media: dict[str, Any],
                                             tmp_path: Path) -> None:
    at = open_app("evaluator", PAGE, lang="en")
    by_key(at, "evaluation.export.make").click().run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    assert at.get("progress") and "Export ready" in at.get("progress")[-1].proto.text
    with zipfile.ZipFile(io.BytesIO(download(at, media, "evaluation.export.download"))) as z:
        assert set(z.namelist()) == {"cases.csv", "disciplines.csv", "codebook.csv"}
        cases = list(csv.reader(io.StringIO(z.read("cases.csv").decode("utf-8"))))
        codebook = z.read("codebook.csv").decode("utf-8")
    assert len(cases) == 1 + 60  # header and every case
    assert DEFAULT_RULE.text("en") in codebook or DEFAULT_RULE.text("nl") in codebook
    by_key(at, "evaluation.export.format").set_value("xlsx").run()
    by_key(at, "evaluation.export.make").click().run()
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(download(at, media, "evaluation.export.download"))
    sheets = read_back(workbook)
    assert {"cases", "disciplines", "data_dictionary"} <= set(sheets)
    cells = " ".join(str(v) for rows in sheets.values() for row in rows for v in row if v is not None)
    assert "Synthetisch" not in cells and not any(ref in cells for ref in refs(store))


def _state(store: Store) -> tuple[Any, ...]:
    """The cases, the decisions, and the last audit event's number."""
    with store.read() as tx:
        return (tx.conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0],
                [tuple(r.values()) for r in tx.select("cases")], [tuple(r.values()) for r in tx.select("decisions")])


def _actions_since(store: Store, seq: int) -> set[str]:
    with store.read() as tx:
        return {r[0] for r in tx.conn.execute("SELECT action FROM audit_events WHERE seq > ?", [seq])}


def test_what_if_under_another_rubric_changes_nothing(store: Store, open_app: OpenApp,
                                                      media: dict[str, Any]) -> None:
    before = _state(store)
    at = open_app("evaluator", PAGE, lang="en")
    assert set(at.selectbox(key="evaluation.whatif.rubric").options) >= {
        "The active rubric: legal-273f 2026.1", "Shipped rubric file: ilo-2009.yaml",
        "Shipped rubric file: police-signals.yaml"}
    by_key(at, "evaluation.whatif.run").click().run()
    shown = texts(at)
    assert "the outcome would change in **0**" in shown  # the rubric the cases were decided with
    by_key(at, "evaluation.whatif.rubric").set_value(f"file:{POLICE_SIGNALS.name}").run()
    by_key(at, "evaluation.whatif.run").click().run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    shown = texts(at)
    assert "Rubric **police-signals 1.0**" in shown and "would change in **0**" not in shown
    assert at.get("progress")
    transitions = csv_rows(download(at, media, "evaluation.whatif.transitions.csv"))
    assert transitions[0][0] == "Now" and transitions[-1] == [DEFAULT_RULE.text("en")]
    after = _state(store)
    assert after[1:] == before[1:]  # no case or decision changed
    assert _actions_since(store, before[0]) <= {"workspace.view"}  # only the page's views were logged


def test_what_if_with_an_uploaded_rubric(open_app: OpenApp) -> None:
    at = open_app("evaluator", PAGE, lang="en")
    by_key(at, "evaluation.whatif.rubric").set_value("upload").run()
    by_key(at, "evaluation.whatif.run").click().run()
    assert warnings(at) == ["Choose a rubric file to upload first."]
    at.file_uploader(key="evaluation.whatif.upload").set_value(("broken.yaml", b"id: [unclosed", "text/yaml")).run()
    by_key(at, "evaluation.whatif.run").click().run()
    assert len(at.error) == 1 and "broken.yaml" in as_text(at.error[0].value)
    raw = POLICE_SIGNALS.read_bytes().replace(b'version: "1.0"', b'version: "1.1-test"')
    at.file_uploader(key="evaluation.whatif.upload").set_value(("mine.yaml", raw, "text/yaml")).run()
    by_key(at, "evaluation.whatif.run").click().run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    assert "Rubric **police-signals 1.1-test**" in texts(at)


def test_downloads_neutralise_spreadsheet_formulas(open_app: OpenApp, media: dict[str, Any]) -> None:
    # A rubric file that names an outcome like a formula: the what-if's table takes its columns from it.
    raw = POLICE_SIGNALS.read_text(encoding="utf-8")
    text, n = re.subn(r'(id: clear, name: \{nl: "[^"]*", en: )"[^"]*"', r'\1"=HYPERLINK(1)"', raw)
    assert n == 1
    at = open_app("evaluator", PAGE, lang="en")
    by_key(at, "evaluation.whatif.rubric").set_value("upload").run()
    at.file_uploader(key="evaluation.whatif.upload").set_value(("formula.yaml", text.encode(), "text/yaml")).run()
    by_key(at, "evaluation.whatif.run").click().run()
    assert not at.exception and [as_text(e.value) for e in at.error] == []
    rows = csv_rows(download(at, media, "evaluation.whatif.transitions.csv"))
    assert "'=HYPERLINK(1)" in rows[0]
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_only_evaluators_get_the_page(open_app: OpenApp) -> None:
    for role in ("chair", "police", "admin"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(role, PAGE)  # not in these roles' navigation at all
