"""The pilot report's charts: Altair (Vega-Lite) specifications drawn from a published `Table`, in the
table's language, and drawn to SVG by vl-convert for the PDF.

A chart only ever shows what its table shows: suppressed cells and margins are left out, never drawn as
0, and its text alternative names the table above it, which holds every figure. Altair and vl-convert are
imported when a chart is drawn, so the app and the CLI start without them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..i18n import N_, Msg
from .disclosure import Table

if TYPE_CHECKING:
    import altair as alt

Lang = Literal["nl", "en"]
ChartKind = Literal["totals", "column", "stacked", "durations", "statistic"]
BLUE = "#2b6cb0"
WIDTH = 420  # points of the drawing area; the PDF scales the SVG to the text width


@dataclass(frozen=True)
class ChartSpec:
    """How a table is charted: `totals` draws its totals row over the count columns; `column` one column
    per body row; `stacked` every count column per body row; `durations` the median per step with the
    step's term; `statistic` one statistic per row on the scale -1 to 1."""

    kind: ChartKind
    column: str = ""


def description(table: Table, lang: Lang) -> str:
    """The chart's text alternative: what it shows and that its figures are in the table above it."""
    return Msg(N_("Chart of \"{title}\"; its figures are in the table above it."),
               {"title": table.title}).text(lang)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _visible(table: Table, column: str, lang: Lang) -> list[dict[str, Any]]:
    """(label, value, text) of a column over the body rows whose cell is shown and numeric."""
    ci = next((i for i, c in enumerate(table.columns) if c.id == column), None)
    if ci is None:
        return []
    kind = table.columns[ci].kind
    return [{"label": r.label.text(lang), "value": v, "text": r.cells[ci].text(kind, lang)}
            for r in table.rows if not r.total and not r.cells[ci].hidden
            and (v := _number(r.cells[ci].value)) is not None]


def _bars(data: list[dict[str, Any]], x_title: str, y_title: str, order: list[str], counts: bool = True) -> alt.Chart:
    import altair as alt

    _COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)  # noqa: N806 (whole cases: no tick at 0.5)

    base = alt.Chart({"values": data}).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", title=x_title, axis=_COUNT_AXIS if counts else alt.Axis()))
    return base.mark_bar(color=BLUE) + base.mark_text(align="left", dx=3).encode(text="text:N")  # type: ignore[no-any-return]


def _totals(table: Table, lang: Lang) -> alt.Chart | None:
    totals = next((r for r in table.rows if r.total), None)
    if totals is None:
        return None
    data = [{"label": c.label.text(lang), "value": v, "text": cell.text(c.kind, lang)}
            for c, cell in zip(table.columns, totals.cells, strict=True)
            if c.kind == "count" and c.id != "total" and not cell.hidden and (v := _number(cell.value)) is not None]
    if not any(d["value"] for d in data):
        return None
    return _bars(data, Msg(N_("Number of cases")).text(lang), totals.label.text(lang), [str(d["label"]) for d in data])


def _column(table: Table, column: str, lang: Lang) -> alt.Chart | None:
    data = _visible(table, column, lang)
    if not any(d["value"] for d in data):
        return None
    col = next(c for c in table.columns if c.id == column)
    return _bars(data, col.label.text(lang), table.row_header.text(lang), [d["label"] for d in data],
                 counts=col.kind == "count")


def _stacked(table: Table, lang: Lang) -> alt.Chart | None:
    import altair as alt

    cols = [c for c in table.columns if c.kind == "count" and c.id != "total"]
    data = [{"label": r.label.text(lang), "part": c.label.text(lang), "value": v}
            for r in table.rows if not r.total
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c in cols and not cell.hidden and (v := _number(cell.value))]
    if not data:
        return None
    parts = [c.label.text(lang) for c in cols]
    chart: alt.Chart = alt.Chart({"values": data}).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=[r.label.text(lang) for r in table.rows],
                axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", title=Msg(N_("Number of cases")).text(lang), stack="zero",
                axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("part:N", title=None, sort=parts, scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=240)),
        order=alt.Order("order:Q"))
    return chart.transform_calculate(order=f"indexof({parts!r}, datum.part)")


def _durations(table: Table, lang: Lang) -> alt.Chart | alt.LayerChart | None:
    import altair as alt

    median = _visible(table, "median", lang)
    if not median:
        return None
    terms = {d["label"]: d["value"] for d in _visible(table, "term", lang)}
    for d in median:
        d["term"] = terms.get(d["label"])
    order = [r.label.text(lang) for r in table.rows]
    base = alt.Chart({"values": median}).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar(color=BLUE).encode(x=alt.X("value:Q", title=Msg(N_("Median days")).text(lang)))
    text = base.mark_text(align="left", dx=3).encode(x="value:Q", text="text:N")
    term = base.mark_tick(color="#c53030", thickness=3, size=14).encode(x="term:Q").transform_filter(
        "isValid(datum.term)")
    return alt.LayerChart(layer=[bars, text, term])


def _statistic(table: Table, column: str, lang: Lang) -> alt.Chart | None:
    import altair as alt

    data = _visible(table, column, lang)
    if not data:
        return None
    title = next(c.label.text(lang) for c in table.columns if c.id == column)
    base = alt.Chart({"values": data}).encode(
        y=alt.Y("label:N", title=None, sort=[d["label"] for d in data],
                axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", title=title, scale=alt.Scale(domain=[-1, 1])))
    return base.mark_bar(color=BLUE) + base.mark_text(align="left", dx=3).encode(text="text:N")  # type: ignore[no-any-return]


_DRAW: dict[ChartKind, Callable[[Table, str, Lang], Any]] = {
    "totals": lambda t, _c, lang: _totals(t, lang),
    "column": _column,
    "stacked": lambda t, _c, lang: _stacked(t, lang),
    "durations": lambda t, _c, lang: _durations(t, lang),
    "statistic": _statistic,
}


def chart(table: Table, spec: ChartSpec, lang: Lang) -> dict[str, Any] | None:
    """The Vega-Lite specification of the table's chart, with its text alternative; None when fewer than two
    figures are left to draw (the others suppressed or zero): one bar says no more than the table."""
    drawn = _DRAW[spec.kind](table, spec.column, lang)
    if drawn is None:
        return None
    spec_dict: dict[str, Any] = drawn.properties(width=WIDTH, description=description(table, lang)).to_dict(validate=False)
    rows = [row for values in spec_dict.get("datasets", {}).values() for row in values]
    if sum(1 for row in rows if row.get("value")) < 2:
        return None
    spec_dict["config"] = {"font": "DejaVu Sans", "view": {"stroke": None},
                           "axis": {"labelFontSize": 10, "titleFontSize": 10}}
    return spec_dict


# Vega's number formats per language (d3-format locales): "0,5" in Dutch axes as in the tables.
FORMAT_LOCALES: dict[str, Literal["nl-NL", "en-GB"]] = {"nl": "nl-NL", "en": "en-GB"}


def svg(spec: dict[str, Any], lang: Lang) -> str:
    """The chart drawn as SVG with the language's number format (vl-convert runs Vega itself, offline)."""
    import vl_convert

    drawn: str = vl_convert.vegalite_to_svg(spec, format_locale=FORMAT_LOCALES[lang])
    return drawn
