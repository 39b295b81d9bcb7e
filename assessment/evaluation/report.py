"""The public pilot report: the evaluation's questions as chapters, each with its tables and, where people
would rather look, a chart (Altair, drawn to SVG) whose text alternative is its table; through Jinja and
Typst like the letters. Every value reaches Typst escaped (the letters' environment does it).

The figures are those of `metrics.compute_all`, protected by the deployment's disclosure rule: the totals
of the whole population are printed as they are, cells of a breakdown below the threshold are not. Numbers
and dates are written as the reader's language writes them (`assessment.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import typst
from pydantic import BaseModel, ConfigDict

from ..errors import AannemelijkError, TemplateError
from ..i18n import N_, Msg, fixed, long_date
from ..letters.render import TypstMarkup, make_environment
from ..rubric import DEFAULT_RUBRIC, Rubric, load_rubric
from . import charts
from .agreement import LANDIS_KOCH, landis_koch
from .charts import ChartSpec
from .disclosure import Label, Table
from .metrics import PilotMetrics

REPORT_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "reports"
Lang = Literal["nl", "en"]


@dataclass(frozen=True)
class Chapter:
    """One question of the evaluation: its title, what it answers and how it is measured (`intro`), its
    tables in order and the chart of each charted table."""

    id: str  # the chapter's name in file names (docs/report-<id>.<lang>.png)
    title: Label
    intro: Label
    tables: tuple[str, ...]
    charts: dict[str, ChartSpec]


_TOTALS = ChartSpec("totals")
_RECEIVED = ChartSpec("column", "total")
_SHARE = ChartSpec("column", "percent")

CHAPTERS: tuple[Chapter, ...] = (
    Chapter("inflow", Msg(N_("Inflow and filing parties")), Msg(N_(
        "How many applications were received, how far they got, and who filed them. A main finding of the "
        "pilot's evaluation was that most applications came through lawyers.")),
        ("funnel", "intake_filing_party"), {"funnel": _TOTALS, "intake_filing_party": _RECEIVED}),
    Chapter("admissibility", Msg(N_("Admissibility")), Msg(N_(
        "An application is admissible when the exploitation took place at least partly in the Netherlands "
        "and either a police report ended in a dismissal or an acquittal (applied for within four weeks) or "
        "the exception to reporting applies. How many applications were admissible, and which requirements the inadmissible "
        "ones did not meet; the days the decision took are in the chapter on duration.")),
        ("admissibility", "inadmissibility_grounds"), {"admissibility": _TOTALS}),
    Chapter("routes", Msg(N_("Routes and exception grounds")), Msg(N_(
        "Applications after a report to the police and its dismissal, and those on the exception to "
        "reporting, with the ground of the exception.")),
        ("intake_route", "exception_grounds"), {"intake_route": _RECEIVED, "exception_grounds": _RECEIVED}),
    Chapter("durations", Msg(N_("Duration per stage")), Msg(N_(
        "Days per step between two events recorded when they happened (received, admissible, file complete, "
        "hearing, deliberation, advice, letter), against the terms of the stages; then days from the "
        "application. The red mark in the chart is the step's term.")),
        ("stage_durations", "throughput", "throughput_distribution", "overdue"),
        {"stage_durations": ChartSpec("durations")}),
    Chapter("hearings", Msg(N_("Hearings and interpreters")), Msg(N_(
        "Whether the panel heard the applicant before deciding, and whether an interpreter assisted.")),
        ("hearings",), {"hearings": _RECEIVED}),
    Chapter("outcomes", Msg(N_("Outcomes")), Msg(N_(
        "The panel's advice on the decided applications: in total, and by form of exploitation, route, age, "
        "residence status and nationality (group). Nationalities with few cases are grouped into regions.")),
        ("outcomes_form", "outcomes_route", "outcomes_age_band", "outcomes_residence_status",
         "outcomes_nationality", "outcomes_gender"),
        {"outcomes_form": _TOTALS, **{f"outcomes_{b}": _SHARE for b in
                                     ("route", "age_band", "residence_status", "nationality", "gender")}}),
    Chapter("instrument", Msg(N_("Assessment instrument and panel")), Msg(N_(
        "The assessment instrument is an aid; the panel decides. Where the panel found otherwise than the "
        "instrument suggested, per element, and the reasons it gave for departing.")),
        ("rubric_vs_panel", "findings_vs_rubric", "departure_reasons"), {}),
    Chapter("agreement", Msg(N_("Agreement between disciplines")), Msg(N_(
        "How far the disciplines of the panel agreed in their views before deliberating. The disciplines "
        "rate from different sources (the police file, care records, the hearing), so low agreement partly "
        "reflects different information rather than different judgement. The words beside each figure are "
        "the bands of Landis and Koch (1977), a convention for reading kappa, not a test.")),
        ("agreement", "agreement_pairs", "landis_koch", "disagreements"),
        {"agreement": ChartSpec("statistic", "alpha")}),
    Chapter("advice_use", Msg(N_("Use of the advice")), Msg(N_(
        "What the recipients of the advice reported back to the secretary after the letter: whether the "
        "IND, the Public Prosecution Service, the municipality or care followed it; and what became of the "
        "residence permit, care and compensation.")),
        ("advice_use", "follow_up"), {"advice_use": ChartSpec("stacked")}),
    Chapter("withdrawals", Msg(N_("Withdrawals")), Msg(N_(
        "Applications withdrawn by or for the applicant, by period of application; who filed them is in the "
        "chapter on inflow.")),
        ("withdrawals",), {"withdrawals": ChartSpec("column", "withdrawn")}),
)

METHODS: tuple[Label, ...] = (
    Msg(N_("All figures were computed by the tool from the recorded cases received in the period (date of "
           "application). Evaluators see only pseudonymised facts: no names, no contact details, no free text.")),
    Msg(N_("Durations are the days between two events recorded when they happened, measured against the "
           "terms of the stages; median and 90th percentile (linear interpolation). Agreement between "
           "disciplines: Cohen's kappa per pair, Fleiss' kappa and Krippendorff's alpha (nominal) for the panel, "
           "computed with statsmodels and the krippendorff package.")),
    Msg(N_("The panel decides. The assessment instrument (the ILO indicators of trafficking in human beings, "
           "ILO and European Commission 2009) is an aid to the assessment: the presence or absence of an "
           "indicator neither proves nor disproves trafficking.")),
    Msg(N_("The use of the advice is what the IND, the Public Prosecution Service, the municipality or care "
           "reported back to the secretary after the letter; where nothing was reported, that is counted apart.")),
)


class ReportChart(BaseModel):
    """A chart as the template places it: the SVG and its text alternative."""

    model_config = ConfigDict(frozen=True)

    svg: str
    alt: str


class ReportTable(BaseModel):
    """A table as the template prints it: strings only, and its chart (or why there is none)."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    header: list[str]
    rows: list[list[str]]
    total_rows: list[int]  # indices of the rows that are totals (printed bold)
    note: str
    chart: ReportChart | None
    no_chart: str  # said where a chart was planned but every figure is suppressed or zero


class ReportChapter(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    intro: str
    tables: list[ReportTable]


class ReportContext(BaseModel):
    """Everything the report template may use (StrictUndefined: nothing else)."""

    model_config = ConfigDict(frozen=True)

    lang: Lang
    period: str
    generated: str
    rule: str
    rubric_versions: list[str]
    methods: list[str]
    key_figures: list[tuple[str, str]]
    chapters: list[ReportChapter]


@cache
def _shipped_titles() -> dict[str, Rubric]:
    """The shipped rubrics by id (pilot_data/rubrics), to name a rubric version by its title."""
    out: dict[str, Rubric] = {}
    for path in sorted(DEFAULT_RUBRIC.parent.glob("*.yaml")):
        try:
            rubric = load_rubric(path)
        except AannemelijkError:
            continue  # a broken file names nothing; the version is then shown by its id
        out[rubric.id] = rubric
    return out


def _rubric_version(rubric_id: str, version: str, lang: Lang) -> str:
    """A rubric version as a reader knows it: its title and version; an uploaded rubric that is not shipped by
    its id."""
    shipped = _shipped_titles().get(rubric_id)
    name = shipped.title(lang) if shipped is not None else rubric_id
    return Msg(N_("{name}, version {version}"), {"name": name, "version": version}).text(lang)


def _period(metrics: PilotMetrics, lang: Lang) -> str:
    start, end = metrics.period_from, metrics.period_to
    if start is None and end is None:
        return Msg(N_("all applications received")).text(lang)
    if start is None:
        return Msg(N_("up to and including {end}"), {"end": long_date(end, lang) if end else ""}).text(lang)
    if end is None:
        return Msg(N_("from {start}"), {"start": long_date(start, lang)}).text(lang)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)  # "2018", not "1 januari 2018 – 31 december 2018"
    return f"{long_date(start, lang)} – {long_date(end, lang)}"


def _stat_text(value: object, kind: str, lang: Lang) -> str | None:
    """A statistic with its Landis and Koch band: "0,45 (matig)"."""
    if kind != "statistic" or not isinstance(value, float):
        return None
    return f"{fixed(value, lang, 2)} ({landis_koch(value).text(lang)})"


def _rows(table: Table, lang: Lang, bands: bool) -> list[list[str]]:
    out = []
    for r in table.rows:
        cells = []
        for c, cell in zip(table.columns, r.cells, strict=True):
            banded = _stat_text(cell.value, c.kind, lang) if bands and not cell.hidden else None
            cells.append(banded or cell.text(c.kind, lang))
        out.append([r.label.text(lang), *cells])
    return out


def _landis_koch_table(lang: Lang) -> ReportTable:
    """The reading of kappa after Landis and Koch (1977, p. 165), as their table prints it."""
    def bound(x: float) -> str:
        return fixed(x, lang, 2) if x not in (0.0, 1.0) else fixed(x, lang, 0)

    rows = []
    for low, high, name in LANDIS_KOCH:
        span = f"< {bound(0.0)}" if low is None else f"{bound(low)} – {bound(high or 1.0)}"
        rows.append([span, name.text(lang)])
    return ReportTable(
        id="landis_koch", title=Msg(N_("Reading kappa: the bands of Landis and Koch (1977)")).text(lang),
        header=[Msg(N_("Kappa")).text(lang), Msg(N_("Strength of agreement")).text(lang)], rows=rows,
        total_rows=[], note=Msg(N_("Landis, J. R. and Koch, G. G. (1977). The measurement of observer agreement "
                                   "for categorical data. Biometrics 33(1), 159–174.")).text(lang),
        chart=None, no_chart="")


def _report_table(table: Table, spec: ChartSpec | None, lang: Lang) -> ReportTable:
    drawn = charts.chart(table, spec, lang) if spec is not None and table.rows else None
    return ReportTable(
        id=table.id,
        title=table.title.text(lang),
        header=[table.row_header.text(lang), *(c.label.text(lang) for c in table.columns)],
        rows=_rows(table, lang, bands=table.id in ("agreement", "agreement_pairs")),
        total_rows=[i for i, r in enumerate(table.rows) if r.total],
        note=table.note.text(lang) if table.note else "",
        chart=None if drawn is None else ReportChart(svg=charts.svg(drawn, lang), alt=charts.description(table, lang)),
        no_chart=Msg(N_("No chart: fewer than two figures of this table are shown; the others are suppressed or "
                        "zero.")).text(lang)
        if spec is not None and drawn is None else "",
    )


def key_figures(metrics: PilotMetrics, lang: Lang) -> list[tuple[str, str]]:
    """The headline totals (not disclosive, issue #16): received, inadmissible, withdrawn, in progress,
    advice issued, and the share plausible of the decided applications."""
    funnel = metrics.table("funnel")
    totals = next(r for r in funnel.rows if r.total)
    out = [(c.label.text(lang), cell.text(c.kind, lang)) for c, cell in zip(funnel.columns, totals.cells, strict=True)]
    out.insert(0, out.pop())  # received first
    outcomes = metrics.table("outcomes_form")
    shares = next(r for r in outcomes.rows if r.total)
    for c, cell in zip(outcomes.columns, shares.cells, strict=True):
        if c.id == "percent":
            out.append((Msg(N_("Share plausible of the advices")).text(lang), cell.text(c.kind, lang)))
    return out


def report_context(metrics: PilotMetrics, lang: Lang, generated: date | None = None) -> ReportContext:
    """The report's context from the figures: chapters of tables as text, with their charts."""
    chapters = []
    for ch in CHAPTERS:
        tables = []
        for tid in ch.tables:
            if tid == "landis_koch":
                tables.append(_landis_koch_table(lang))
                continue
            try:
                table = metrics.table(tid)
            except KeyError:
                continue  # a figure this set does not have (e.g. computed before it was added)
            tables.append(_report_table(table, ch.charts.get(tid), lang))
        chapters.append(ReportChapter(id=ch.id, title=ch.title.text(lang), intro=ch.intro.text(lang), tables=tables))
    return ReportContext(
        lang=lang,
        period=_period(metrics, lang),
        generated=long_date(generated or metrics.as_of, lang),
        rule=metrics.rule.text(lang),
        rubric_versions=[_rubric_version(v.id, v.version, lang) for v in metrics.rubric_versions],
        methods=[m.text(lang) for m in METHODS],
        key_figures=key_figures(metrics, lang),
        chapters=chapters,
    )


def render_report_markup(context: ReportContext) -> str:
    """The report as Typst markup."""
    env = make_environment(jinja2.FileSystemLoader(str(REPORT_DIR)))
    env.filters["count"] = lambda value: TypstMarkup(str(int(value)))  # a number inside Typst code
    try:
        template = env.get_template(f"pilot-report.{context.lang}.typ.j2")
        return template.render(**context.model_dump())
    except jinja2.TemplateError as exc:
        raise TemplateError(N_("Report template {name}: {detail}"), name=f"pilot-report.{context.lang}.typ.j2",
                            detail=str(exc)) from exc


def _compile(markup: str, fmt: Literal["pdf", "png"], ppi: float | None = None) -> Any:
    try:
        return typst.compile(markup.encode("utf-8"), format=fmt, ppi=ppi)
    except typst.TypstError as exc:
        raise TemplateError(N_("The pilot report produced invalid Typst: {detail}"), detail=exc.message) from exc


def render_report_pdf(context: ReportContext) -> bytes:
    """The report as PDF bytes."""
    pdf: bytes = _compile(render_report_markup(context), "pdf")
    return pdf


def chapter_pages(context: ReportContext, ppi: float = 80) -> dict[str, bytes]:
    """The first page (`summary`: key figures, methods) and the first page of each chapter as PNG (for
    reviewers: docs/report-<chapter>.<lang>.png). Each chapter starts on a new page; the page is found by the
    chapter's label in the compiled document."""
    markup = render_report_markup(context)
    try:
        found = typst.query(markup.encode("utf-8"), "<chapter-start>", field="value")
    except typst.TypstError as exc:
        raise TemplateError(N_("The pilot report produced invalid Typst: {detail}"), detail=exc.message) from exc
    import json

    starts: list[dict[str, Any]] = json.loads(found)
    pages = _compile(markup, "png", ppi)
    pages = pages if isinstance(pages, list) else [pages]
    return {"summary": pages[0], **{s["id"]: pages[int(s["page"]) - 1] for s in starts}}
