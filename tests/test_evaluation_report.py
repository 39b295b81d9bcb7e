"""The public pilot report: chapters with tables and charts, totals shown, Dutch and English formats, the
Landis and Koch bands, escaping, and no hidden cell recoverable from the report's tables read together.

The pilot-like population (40 synthetic cases, seed 2018, as docs/report-*.png) is rendered once per
language for the whole module, with its real charts."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from reconstruct import recovered

from assessment.evaluation.agreement import landis_koch
from assessment.evaluation.export import export, read_back
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import PilotMetrics, compute_all, rubric_labels
from assessment.evaluation.report import (
    CHAPTERS,
    ReportContext,
    chapter_pages,
    render_report_markup,
    render_report_pdf,
    report_context,
)
from assessment.i18n import number, period_name
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.synthetic import facts

ON = date(2019, 3, 1)


@pytest.fixture(scope="module")
def pilot() -> tuple[list[CaseFacts], PilotMetrics]:
    rubric = load_rubric(ILO_RUBRIC)
    cases = facts(40, "pilot", 2018, rubric=rubric)
    return cases, compute_all(cases, start=date(2018, 1, 1), end=date(2018, 12, 31), labels=rubric_labels(rubric),
                              today=ON)


@pytest.fixture(scope="module")
def contexts(pilot: tuple[list[CaseFacts], PilotMetrics]) -> dict[str, ReportContext]:
    return {lang: report_context(pilot[1], lang, ON) for lang in ("nl", "en")}  # type: ignore[arg-type]


def _texts(context: ReportContext) -> list[str]:
    """Every text the report prints (charts aside)."""
    out = [context.period, context.generated, context.rule, *context.methods]
    out += [f"{name} {value}" for name, value in context.key_figures]
    for ch in context.chapters:
        out += [ch.title, ch.intro]
        for tb in ch.tables:
            out += [tb.title, tb.note, tb.no_chart, *tb.header, *(c for row in tb.rows for c in row)]
            out += [tb.chart.alt] if tb.chart else []
    return out


def test_the_key_figures_are_the_totals_counted_from_the_cases(
        pilot: tuple[list[CaseFacts], PilotMetrics], contexts: dict[str, ReportContext]) -> None:
    # Counted here from the facts, not from the figures: the real evaluation published 38 received, 6 not
    # taken into consideration, 1 withdrawn and the share plausible; such totals are not suppressed.
    cases, _ = pilot
    status = Counter(c.status for c in cases)
    decided = [c for c in cases if c.panel_outcome is not None]
    share = round(100 * sum(c.panel_outcome == "plausible" for c in decided) / len(decided))
    figures = dict(contexts["en"].key_figures)
    assert figures["Received"] == str(len(cases)) == "40"
    assert figures["Inadmissible"] == str(status["inadmissible"])
    assert figures["Withdrawn"] == str(status["withdrawn"])
    assert figures["Advice issued"] == str(len(decided))
    assert figures["Share plausible of the advices"] == f"{share}%"
    assert dict(contexts["nl"].key_figures)["Aandeel aannemelijk van de adviezen"] == f"{share}%"


def test_every_chapter_of_the_evaluation_has_its_tables_and_a_chart_whose_alternative_is_its_table(
        contexts: dict[str, ReportContext]) -> None:
    for lang, context in contexts.items():
        assert [c.id for c in context.chapters] == [c.id for c in CHAPTERS]
        for chapter, spec in zip(context.chapters, CHAPTERS, strict=True):
            assert [t.id for t in chapter.tables] == list(spec.tables), chapter.id
            for tb in chapter.tables:
                if tb.chart is not None:
                    assert tb.chart.svg.lstrip().startswith("<svg") and tb.title in tb.chart.alt
                else:
                    assert (tb.no_chart != "") == (tb.id in spec.charts), (lang, tb.id)
        drawn = [tb.id for ch in context.chapters for tb in ch.tables if tb.chart is not None]
        # The totals are never suppressed, so the inflow, admissibility and outcome totals are always drawn.
        assert {"funnel", "admissibility", "outcomes_form", "stage_durations"} <= set(drawn), drawn


def test_dutch_report_writes_numbers_and_dates_the_dutch_way(contexts: dict[str, ReportContext]) -> None:
    nl, en = contexts["nl"], contexts["en"]
    texts = _texts(nl)
    assert [t for t in texts if re.search(r"\d\.\d", t) and "Biometrics" not in t] == []  # no "64.4"
    assert [t for t in texts if re.search(r"\b\d{4}-\d{2}(-\d{2})?\b|-Q\d", t)] == []  # no ISO date or period
    assert nl.generated == "1 maart 2019" and en.generated == "1 March 2019" and nl.period == "2018"
    durations = next(t for ch in nl.chapters for t in ch.tables if t.id == "stage_durations")
    assert any(re.fullmatch(r"\d+,\d", c) for row in durations.rows for c in row)  # a median such as "26,5"
    assert [t for t in _texts(en) if re.search(r"\d,\d", t)] == []
    assert "ngo" in [row[0] for ch in nl.chapters for t in ch.tables if t.id == "intake_filing_party" for row in t.rows]
    # The vocabulary's words, never a raw id, in the Dutch tables.
    assert [t for t in texts if re.search(r"[a-z]+_[a-z]+", t)] == []
    instrument = next(ch for ch in nl.chapters if ch.id == "instrument")
    assert instrument.tables[0].title == "Beoordelingsinstrument tegenover panel"
    assert "beslist" in instrument.intro and not any("rubriek" in m.lower() for m in nl.methods)


def test_the_pdf_reads_in_its_language(contexts: dict[str, ReportContext]) -> None:
    pdf = render_report_pdf(contexts["nl"])
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Pilotrapportage" in text and "Gemaakt op: 1 maart 2019" in text and "Landis en Koch" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    # The charts' axes follow the language too (Vega's Dutch number format), e.g. "0,5" on the kappa scale.
    assert "0,5" in text and "0.5" not in text


def test_the_agreement_figures_carry_the_landis_and_koch_band(contexts: dict[str, ReportContext]) -> None:
    # Landis and Koch (1977), p. 165: < 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate,
    # 0.61-0.80 substantial, 0.81-1 almost perfect; a value is read as printed (two decimals).
    expected = {-0.10: "poor", 0.0: "slight", 0.20: "slight", 0.204: "slight", 0.21: "fair", 0.40: "fair",
                0.45: "moderate", 0.61: "substantial", 0.80: "substantial", 0.81: "almost perfect", 1.0: "almost perfect"}
    assert {v: landis_koch(v).text("en") for v in expected} == expected
    assert landis_koch(0.45).text("nl") == "matig"
    agreement = next(ch for ch in contexts["en"].chapters if ch.id == "agreement")
    stats = next(t for t in agreement.tables if t.id == "agreement")
    for row in stats.rows:
        for cell in row[2:4]:
            m = re.fullmatch(r"(-?\d\.\d\d) \((.+)\)", cell)
            assert m is not None or cell in ("x", "—"), cell
            if m:
                assert m.group(2) == landis_koch(float(m.group(1))).text("en")
    assert "different sources" in agreement.intro
    bands = next(t for t in agreement.tables if t.id == "landis_koch")
    assert [r[1] for r in bands.rows] == ["poor", "slight", "fair", "moderate", "substantial", "almost perfect"]


def test_numbers_and_periods_in_the_reader_s_language() -> None:
    assert (number(136.5, "nl"), number(136.5, "en"), number(1234, "nl"), number(1234, "en")) == (
        "136,5", "136.5", "1.234", "1,234")
    assert (period_name("2018-Q3", "nl"), period_name("2018-07", "en"), period_name("2018", "nl")) == (
        "3e kwartaal 2018", "July 2018", "2018")


def test_no_hidden_cell_is_recoverable_from_the_report_s_tables_read_together(
        pilot: tuple[list[CaseFacts], PilotMetrics]) -> None:
    # The attacker differences margins against cells across tables of one report: the exception grounds
    # add up to the exception row of the intake by route, and the admissibility table's inadmissible
    # column is its inadmissible column again.
    for metrics in (pilot[1], compute_all(facts(40, "pilot", 3), today=ON)):
        by_route = metrics.table("intake_route")
        sums: list[tuple[list[tuple[str, str]], int]] = []

        def shown(table_id: str, metrics: PilotMetrics = metrics) -> list[tuple[str, str, int]]:
            t = metrics.table(table_id)
            return [(r.id, c.id, cell.value) for r in t.rows for c, cell in zip(t.columns, r.cells, strict=True)
                    if isinstance(cell.value, int) and not cell.hidden]

        for row, col, value in shown("exception_grounds"):
            if row == "total" and col != "total":
                sums.append(([("exception", col)], value))
        for row, col, value in shown("admissibility"):
            if col == "inadmissible" and row != "total":
                sums.append(([(row, "inadmissible")], value))
        assert recovered(by_route, sums) == [], by_route.text("en")


def test_each_chapter_s_first_page_as_png(contexts: dict[str, ReportContext]) -> None:
    pages = chapter_pages(contexts["en"], ppi=20)
    assert list(pages) == ["summary", *(c.id for c in CHAPTERS)]
    assert all(p.startswith(b"\x89PNG") for p in pages.values())


def test_values_are_escaped_for_typst(contexts: dict[str, ReportContext]) -> None:
    assert contexts["nl"].rubric_versions == ["ILO-indicatoren mensenhandel (ILO en Europese Commissie, 2009), "
                                               "versie 2009.1"]
    context = contexts["en"].model_copy(update={"rubric_versions": ['x #"] #panic()']})
    markup = render_report_markup(context)
    assert '#"x #\\"] #panic()";' in markup
    assert render_report_pdf(context).startswith(b"%PDF")


def test_no_hidden_cell_of_the_intake_by_route_is_recoverable_with_the_research_export(
        pilot: tuple[list[CaseFacts], PilotMetrics], tmp_path: Path) -> None:
    # The report and the research export read together: the attacker counts the export's cases per route
    # shown and stage (its status; an `x` status apart) and solves for the hidden cells of the intake by
    # route and of the admissibility by route. (Before the export hid a route with a hidden cell in these
    # tables, 400 cases gave away the 7 withdrawn on the report route this way.)
    for n, cases in ((40, pilot[0]), (400, facts(400, "pilot", 5))):
        metrics = pilot[1] if n == 40 else compute_all(cases, today=ON)
        header, *rows = read_back(export(cases, tmp_path / str(n), "research", "csv").paths[0].parent)["cases"]
        route, status = header.index("route"), header.index("status")
        stage = {"inadmissible": "inadmissible", "withdrawn": "withdrawn", "decided": "advice_issued",
                 "letter_issued": "advice_issued", "x": "x"}
        counted = Counter((r[route], stage.get(r[status], "in_progress")) for r in rows)
        shown = [v for v in ("report_dismissal", "exception") if any(r[route] == v for r in rows)]
        table = metrics.table("intake_route")
        columns = [c.id for c in table.columns if c.id != "total"]
        sums = [([(v, c)], counted[(v, c)]) for v in shown for c in columns if counted[(v, "x")] == 0]
        assert recovered(table, sums) == [], table.text("en")
        decision = metrics.table("admissibility")
        inadmissible = [([(v, "inadmissible")], counted[(v, "inadmissible")]) for v in shown if counted[(v, "x")] == 0]
        assert recovered(decision, inadmissible) == [], decision.text("en")


def test_a_report_template_error_is_said_in_one_language(contexts: dict[str, ReportContext], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.errors import TemplateError
    from assessment.evaluation import report

    (tmp_path / "pilot-report.nl.typ.j2").write_text("{{ period ", encoding="utf-8")
    monkeypatch.setattr(report, "REPORT_DIR", tmp_path)
    with pytest.raises(TemplateError) as jinja:
        report.render_report_markup(contexts["nl"])
    with pytest.raises(TemplateError) as typst:
        report._compile("#let", "pdf")
    # Jinja's and Typst's own words are technical detail; the sentence saying what failed is in one language.
    assert jinja.value.text("nl").startswith("Rapportsjabloon pilot-report.nl.typ.j2: ")
    assert jinja.value.text("en").startswith("Report template pilot-report.nl.typ.j2: ")
    assert typst.value.text("nl").startswith("Het pilotrapport leverde ongeldige Typst op: ")
    assert typst.value.text("en").startswith("The pilot report produced invalid Typst: ")
