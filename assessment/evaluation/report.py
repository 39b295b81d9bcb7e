"""The pilot report: every figure for a period as a PDF, through Jinja and Typst like the letters.

Charts are drawn as bars in Typst itself: Altair's vl-convert is not installed, and bars of a protected
table need nothing more. Every value reaches Typst escaped (the letters' environment does it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import jinja2
import typst
from pydantic import BaseModel, ConfigDict

from ..errors import TemplateError
from ..letters.render import TypstMarkup, make_environment
from .disclosure import Table
from .metrics import PilotMetrics

REPORT_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "reports"
Lang = Literal["nl", "en"]
# Tables whose first count column is drawn as bars under the table.
CHARTED = {"funnel": "total", "outcomes_form": "percent", "outcomes_nationality": "percent",
           "outcomes_gender": "percent", "outcomes_age_band": "percent", "outcomes_route": "percent",
           "outcomes_residence_status": "percent", "intake_filing_party": "total",
           "throughput": "median", "stage_durations": "median", "follow_up": "granted",
           "advice_use": "followed"}  # fmt: skip

METHODS: dict[str, list[str]] = {
    "nl": [
        "Alle cijfers zijn door het hulpmiddel berekend uit de vastgelegde zaken die in de periode zijn "
        "ontvangen (datum van aanvraag). Evaluatoren zien alleen gepseudonimiseerde feiten: geen namen, "
        "geen contactgegevens, geen vrije tekst.",
        "Doorlooptijden zijn dagen vanaf de aanvraag, en per stap de dagen tussen twee vastgelegde "
        "gebeurtenissen (ontvankelijkheid, dossier compleet verklaard door het secretariaat, hoorzitting, "
        "opening van de beraadslaging, advies, verzending), gemeten tegen de termijnen van de stappen; "
        "mediaan en 90e percentiel (lineaire interpolatie). "
        "Overeenstemming tussen disciplines: Cohens kappa per paar, Fleiss' kappa en Krippendorffs alfa "
        "(nominaal) voor het panel, berekend met statsmodels en het pakket krippendorff.",
        "De rubriek (ILO/Europese Commissie 2009) adviseert; het panel beslist. De indicatoren zijn "
        "hulpmiddelen bij de beoordeling: hun aan- of afwezigheid bewijst of weerlegt geen mensenhandel.",
        "Het gebruik van het advies is wat de IND, het Openbaar Ministerie, de gemeente of de zorg na "
        "verzending aan het secretariaat terugmeldde; waar niets is teruggemeld staat dat apart.",
    ],
    "en": [
        "All figures were computed by the tool from the recorded cases received in the period (date of "
        "application). Evaluators see only pseudonymised facts: no names, no contact details, no free text.",
        "Throughput is days from application, and per step the days between two recorded events "
        "(admissibility, file marked complete by the secretary, hearing, deliberation opened, advice, letter), "
        "measured against the steps' terms; median and 90th percentile (linear interpolation). "
        "Agreement between disciplines: Cohen's kappa per pair, Fleiss' kappa and Krippendorff's alpha "
        "(nominal) for the panel, computed with statsmodels and the krippendorff package.",
        "The rubric (ILO/European Commission 2009) advises; the panel decides. The indicators are screening "
        "aids: their presence or absence neither proves nor disproves trafficking.",
        "The use of the advice is what the IND, the Public Prosecution Service, the municipality or care "
        "reported back to the secretary after the letter; where nothing was reported, that is counted apart.",
    ],
}


class ReportTable(BaseModel):
    """A table as the template prints it: strings only, plus bars for the chart."""

    model_config = ConfigDict(frozen=True)

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str
    bars: list[dict[str, Any]]


class ReportContext(BaseModel):
    """Everything the report template may use (StrictUndefined: nothing else)."""

    model_config = ConfigDict(frozen=True)

    lang: Lang
    period: str
    generated: str
    rule: str
    rubric_versions: list[str]
    methods: list[str]
    tables: list[ReportTable]


def _bars(table: Table, column: str, lang: Lang) -> list[dict[str, Any]]:
    ci = next((i for i, c in enumerate(table.columns) if c.id == column), None)
    if ci is None:
        return []
    values = [(r.label.text(lang), r.cells[ci]) for r in table.rows if not r.total]
    top = max((float(c.value) for _, c in values if isinstance(c.value, int | float)), default=0.0)
    return [
        {
            "label": label,
            "value": cell.text(table.columns[ci].kind),
            "width": 85 * float(cell.value) / top if top and isinstance(cell.value, int | float) else 0.0,
        }
        for label, cell in values
    ]


def report_context(metrics: PilotMetrics, lang: Lang, generated: date | None = None) -> ReportContext:
    """The report's context from the figures: tables as text, bars for the charted ones."""
    start = metrics.period_from.isoformat() if metrics.period_from else "…"
    end = metrics.period_to.isoformat() if metrics.period_to else "…"
    tables = [
        ReportTable(
            title=t.title.text(lang),
            header=[t.row_header.text(lang), *(c.label.text(lang) for c in t.columns)],
            rows=[
                [r.label.text(lang), *(cell.text(c.kind) for c, cell in zip(t.columns, r.cells, strict=True))]
                for r in t.rows
            ],
            note=t.note.text(lang) if t.note else "",
            bars=_bars(t, CHARTED[t.id], lang) if t.id in CHARTED else [],
        )
        for t in metrics.all_tables()
    ]
    return ReportContext(
        lang=lang,
        period=f"{start} – {end}",
        generated=(generated or metrics.as_of).isoformat(),
        rule=metrics.rule.text(lang),
        rubric_versions=[f"{v.id} {v.version}" for v in metrics.rubric_versions],
        methods=METHODS[lang],
        tables=tables,
    )


def _num(value: object) -> TypstMarkup:
    number = float(value) if isinstance(value, int | float) else 0.0
    return TypstMarkup(f"{max(number, 0.0):.2f}".rstrip("0").rstrip(".") or "0")


def render_report_markup(context: ReportContext) -> str:
    """The report as Typst markup."""
    env = make_environment(jinja2.FileSystemLoader(str(REPORT_DIR)))
    env.filters["num"] = _num
    try:
        template = env.get_template(f"pilot-report.{context.lang}.typ.j2")
        return template.render(**context.model_dump())
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Report template pilot-report.{context.lang}.typ.j2: {exc}") from exc


def render_report_pdf(context: ReportContext) -> bytes:
    """The report as PDF bytes."""
    markup = render_report_markup(context)
    try:
        pdf: bytes = typst.compile(markup.encode("utf-8"), format="pdf")
    except typst.TypstError as exc:
        raise TemplateError(f"The pilot report produced invalid Typst: {exc.message}") from exc
    return pdf
