"""Evaluation (evaluators): the pilot's figures over pseudonymised facts, with disclosure control; the pilot
report, the research export and the what-if. No names, no case references and no free text ever reach
this screen."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import altair as alt
import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.evaluation.disclosure import DEFAULT_RULE, SUPPRESSED_MARK, Cell, Table
from assessment.evaluation.export import TRAINING_MARK, Format, neutralise
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import PilotMetrics, compute_all, in_period, rubric_labels
from assessment.evaluation.report import render_report_pdf, report_context
from assessment.evaluation.rescore import RescoreResult, rescore
from assessment.model import User
from assessment.rubric import DEFAULT_RUBRIC, Rubric, load_rubric, parse_rubric
from assessment.services import ui_support
from ui import state
from ui.i18n import _
from ui.widgets import current_user, rubric, show_error

Lang = Literal["nl", "en"]
SHIPPED_RUBRICS = DEFAULT_RUBRIC.parent
K = "evaluation."  # prefix of this page's widget keys


# --------------------------------------------------------------------------------------------------------
# One table: figures, chart, note, rule, download


def _csv_cell(cell: Cell) -> str | int | float:
    # The published value: the mark for a suppressed cell, empty when not computable.
    if cell.hidden:
        return SUPPRESSED_MARK
    return "" if cell.value is None else cell.value


def table_csv(table: Table, lang: Lang, training: bool = False) -> bytes:
    """A table's published data as CSV (with its note and the disclosure rule under it, as in every
    export); text cells a spreadsheet would run as formulas are neutralised like the exports do."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if training:
        w.writerow([TRAINING_MARK])
    w.writerow([neutralise(h) for h in (table.row_header(lang), *(c.label(lang) for c in table.columns))])
    for r in table.rows:
        values: list[str | int | float] = [r.label(lang), *(_csv_cell(c) for c in r.cells)]
        w.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
    w.writerow([])
    if table.note is not None:
        w.writerow([neutralise(table.note(lang))])
    w.writerow([neutralise(table.rule.text(lang))])
    # With a BOM, so a spreadsheet opens the Dutch accents and dashes as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


def _bars(table: Table, lang: Lang) -> alt.Chart | None:
    """Bars of a table's count columns per row (margins and suppressed cells left out, not drawn as 0)."""
    data = [{"row": r.label(lang), "column": c.label(lang), "value": cell.value}
            for r in table.rows if not r.total
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c.kind == "count" and c.id != "total" and not cell.hidden and isinstance(cell.value, int | float)]
    if not data:
        return None
    rows = [r.label(lang) for r in table.rows if not r.total]
    bars: alt.Chart = alt.Chart({"values": data}).mark_bar().encode(
        x=alt.X("value:Q", title=_("Number of cases")),
        y=alt.Y("row:N", title=table.row_header(lang), sort=rows),
        color=alt.Color("column:N", title=None),
        tooltip=[alt.Tooltip("row:N", title=table.row_header(lang)), alt.Tooltip("column:N", title=" "),
                 alt.Tooltip("value:Q", title=_("Number of cases"))])
    return bars


def _distribution(table: Table, lang: Lang) -> alt.Chart | None:
    """The throughput distribution: per band of days, how many cases reached each stage."""
    bins = [c for c in table.columns if c.id != "total"]
    data = [{"stage": r.label(lang), "band": c.label(lang), "value": cell.value}
            for r in table.rows
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c.id != "total" and not cell.hidden and isinstance(cell.value, int | float)]
    if not data:
        return None
    stage_title = table.row_header(lang)
    spread: alt.Chart = alt.Chart({"values": data}).mark_bar().encode(
        x=alt.X("band:N", title=_("Days from application"), sort=[c.label(lang) for c in bins]),
        xOffset=alt.XOffset("stage:N", sort=[r.label(lang) for r in table.rows]),
        y=alt.Y("value:Q", title=_("Number of cases")),
        color=alt.Color("stage:N", title=stage_title, sort=[r.label(lang) for r in table.rows]),
        tooltip=[alt.Tooltip("stage:N", title=stage_title), alt.Tooltip("band:N", title=_("Days from application")),
                 alt.Tooltip("value:Q", title=_("Number of cases"))])
    return spread


def _heat_map(table: Table, lang: Lang) -> alt.LayerChart | None:
    """Cohen's kappa per pair of disciplines (rows) and item (columns); suppressed cells stay blank with
    their mark, so a blank never reads as no agreement."""
    data = [{"pair": r.label(lang), "item": c.label(lang), "kappa": None if cell.hidden else cell.value,
             "text": cell.text(c.kind)}
            for r in table.rows for c, cell in zip(table.columns, r.cells, strict=True)]
    if not data:
        return None
    items = [c.label(lang) for c in table.columns]
    kappa = _("Cohen's kappa")
    base = alt.Chart({"values": data}).encode(
        x=alt.X("item:N", title=None, sort=items, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("pair:N", title=table.row_header(lang)))
    rect = base.mark_rect().encode(
        color=alt.Color("kappa:Q", title=kappa, scale=alt.Scale(domain=[-1, 1], scheme="redyellowgreen")),
        tooltip=[alt.Tooltip("pair:N", title=table.row_header(lang)), alt.Tooltip("item:N", title=" "),
                 alt.Tooltip("text:N", title=kappa)])
    return alt.LayerChart(layer=[rect, base.mark_text().encode(text="text:N")])


def chart(table: Table, lang: Lang) -> None:
    """The table's chart, labelled in the table's language: a heat map for Cohen's kappa per pair, the
    distribution of days for throughput, else bars of its counts."""
    if not table.rows:
        return
    if table.id == "agreement_pairs":
        drawn: alt.Chart | alt.LayerChart | None = _heat_map(table, lang)
    elif table.id == "throughput_distribution":
        drawn = _distribution(table, lang)
    else:
        drawn = _bars(table, lang)
    if drawn is not None:
        st.altair_chart(drawn, width="stretch")
    else:
        st.caption(_("No chart: every figure of this table is suppressed or zero."))


def table_block(table: Table, lang: Lang, key: str, training: bool) -> None:
    """One table with its chart, note, the disclosure rule in force and a download of its data."""
    with st.container(border=True):
        st.subheader(table.title(lang))
        st.dataframe(table.records(lang), hide_index=True, width="stretch", key=f"{key}.table")
        chart(table, lang)
        if table.note is not None:
            st.caption(table.note(lang))
        st.caption(table.rule.text(lang))
        st.download_button(_("Download the data (CSV)"), table_csv(table, lang, training),
                           file_name=f"{table.id}-{lang}.csv", mime="text/csv", key=f"{key}.csv",
                           icon=":material/download:", on_click="ignore")


# --------------------------------------------------------------------------------------------------------
# Report, export, what-if


def _progress_bar(label: str) -> Callable[[float, str], None]:
    bar = st.progress(0.0, text=label)

    def update(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    return update


def report_section(metrics: PilotMetrics, lang: Lang) -> None:
    """The one-click pilot report for the chosen period, as PDF in the chosen language."""
    st.caption(_("The report holds every figure of the chosen period with its charts, the disclosure rule, "
                 "the rubric versions in force and a short methods section."))
    chosen = st.radio(_("Language of the report"), ["nl", "en"], horizontal=True, index=0 if lang == "nl" else 1,
                      key=f"{K}report.lang", format_func=lambda v: "Nederlands" if v == "nl" else "English")
    report_lang: Lang = "en" if chosen == "en" else "nl"
    if not st.button(_("Make the pilot report"), key=f"{K}report.make", icon=":material/picture_as_pdf:"):
        return
    try:
        with st.spinner(_("Making the report…")):
            pdf = render_report_pdf(report_context(metrics, report_lang, date.today()))
    except AannemelijkError as exc:
        show_error(exc)
        return
    start = metrics.period_from.isoformat() if metrics.period_from else "begin"
    end = metrics.period_to.isoformat() if metrics.period_to else date.today().isoformat()
    st.success(_("The report is ready."))
    st.download_button(_("Download the pilot report (PDF)"), pdf, file_name=f"pilot-report-{start}-{end}-{report_lang}.pdf",
                       mime="application/pdf", key=f"{K}report.download", icon=":material/download:",
                       on_click="ignore")


def _zip(paths: Sequence[Path]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in paths:
            z.write(p, arcname=p.name)
    return buf.getvalue()


def export_section(user: User, lang: Lang) -> None:
    """The research export (pseudonymised, the disclosure rule applied) as a zip of CSV files or as XLSX."""
    st.caption(_("One row per case and one per discipline input; fresh keys in every export; no names, no "
                 "contact data, no free text, no exact dates. The export holds every case; the period filter "
                 "does not apply to it."))
    st.caption(DEFAULT_RULE.text(lang))
    # Labels translated now: the format function may also be called outside this run.
    formats = {"csv": _("CSV files with a codebook (zip)"), "xlsx": _("Excel workbook with a data dictionary (XLSX)")}
    chosen = st.radio(_("Format"), list(formats), horizontal=True, key=f"{K}export.format",
                      format_func=lambda v: formats.get(v, v))
    fmt: Format = "xlsx" if chosen == "xlsx" else "csv"
    if not st.button(_("Make the research export"), key=f"{K}export.make", icon=":material/table_view:"):
        return
    update = _progress_bar(_("Exporting…"))
    sheets = ("cases", "disciplines", "codebook" if fmt == "csv" else "data_dictionary")

    def progress(name: str, done: int, total: int) -> None:
        # Each file (or sheet) is one third of the work; within it, the rows written so far.
        step = sheets.index(name) if name in sheets else 0
        update((step + (done / total if total else 1.0)) / len(sheets), _("Writing {name}…").format(name=name))

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("export" if fmt == "csv" else "export.xlsx")
        try:
            result, skipped = services.research_export(state.store(), user, out, fmt, DEFAULT_RULE,
                                                       progress=progress)
        except AannemelijkError as exc:
            show_error(exc)
            return
        data = _zip(result.paths) if fmt == "csv" else out.read_bytes()
    update(1.0, _("Export ready: {cases} cases, {rows} discipline inputs.").format(
        cases=result.cases, rows=result.discipline_rows))
    if skipped:
        st.warning(_("{n} case(s) left out because their dates are inconsistent.").format(n=len(skipped)))
    name = f"research-export-{date.today().isoformat()}" + ("-TRAINING" if result.training else "")
    st.download_button(_("Download the research export"), data,
                       file_name=f"{name}.zip" if fmt == "csv" else f"{name}.xlsx",
                       mime="application/zip" if fmt == "csv"
                       else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{K}export.download", icon=":material/download:", on_click="ignore")


def _rubric_choices(user: User, active: Rubric) -> dict[str, str]:
    """What the what-if can score against: the active rubric, the shipped rubric files, stored versions
    (for whoever may list them) and an uploaded file."""
    choices = {"active": _("The active rubric: {id} {version}").format(id=active.id, version=active.version)}
    for path in sorted(SHIPPED_RUBRICS.glob("*.yaml")):
        choices[f"file:{path.name}"] = _("Shipped rubric file: {name}").format(name=path.name)
    if services.may(user, "rubric.manage"):
        for v in ui_support.list_rubric_versions(state.store(), user):
            choices[f"hash:{v.hash}"] = _("Stored version: {id} {version}").format(id=v.id, version=v.version)
    choices["upload"] = _("Upload a rubric file (YAML)")
    return choices


def _chosen_rubric(choice: str, active: Rubric) -> Rubric | None:
    """The rubric the user chose; raises RubricError for an invalid file. None: nothing uploaded yet."""
    if choice == "active":
        return active
    if choice.startswith("file:"):
        name = Path(choice.removeprefix("file:")).name  # only a file in the shipped folder
        return load_rubric(SHIPPED_RUBRICS / name)
    if choice.startswith("hash:"):
        return ui_support.rubric_by_hash(state.store(), choice.removeprefix("hash:"))
    uploaded = state.get(f"{K}whatif.upload")
    if uploaded is None:
        return None
    return parse_rubric(uploaded.getvalue(), uploaded.name)


def whatif_section(user: User, facts: Sequence[CaseFacts], lang: Lang, training: bool) -> None:
    """Re-score every decided case of the period under another rubric, in memory only, and show how many
    outcomes would change and in which direction."""
    st.caption(_("Re-scores every decided case of the chosen period under another rubric. Nothing is changed: "
                 "every case keeps the rubric result it was decided with."))
    active = rubric()
    choices = _rubric_choices(user, active)
    choice = st.selectbox(_("Rubric"), list(choices), format_func=lambda c: choices.get(c, c),
                          key=f"{K}whatif.rubric")
    if choice == "upload":
        st.file_uploader(_("Rubric file (YAML)"), type=["yaml", "yml"], key=f"{K}whatif.upload")
    if not st.button(_("Re-score the decided cases"), key=f"{K}whatif.run", icon=":material/calculate:"):
        return
    try:
        chosen = _chosen_rubric(str(choice), active)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if chosen is None:
        st.warning(_("Choose a rubric file to upload first."))
        return
    update = _progress_bar(_("Re-scoring…"))
    result = rescore(facts, chosen, DEFAULT_RULE,
                     progress=lambda done, total: update(done / total, _("Re-scoring…")))
    update(1.0, _("Re-scored."))
    show_rescore(result, lang, training)


def show_rescore(result: RescoreResult, lang: Lang, training: bool) -> None:
    """The what-if's figures (counts only, never which case) and the protected table of transitions."""
    st.markdown(_("Rubric **{id} {version}**: {scored} decided case(s) re-scored; the outcome would change "
                  "in **{changed}**.").format(id=result.rubric_id, version=result.rubric_version,
                                              scored=result.scored, changed=result.changed))
    st.markdown(_("Agrees with the panel: {before} now, {after} under this rubric.").format(
        before=result.agree_with_panel_before, after=result.agree_with_panel_after))
    if result.skipped or result.dropped_indicators:
        st.info(_("Skipped (no matching profile or no known age): {skipped}; ratings of indicators this "
                  "rubric lacks, left out: {dropped}.").format(skipped=result.skipped,
                                                               dropped=result.dropped_indicators))
    st.caption(_("Rows: the outcome on record; columns: the outcome under this rubric. The cells off the "
                 "diagonal are the changes and their direction."))
    table_block(result.transitions, lang, f"{K}whatif.transitions", training)


# --------------------------------------------------------------------------------------------------------


def period() -> tuple[date | None, date | None] | None:
    """The period chosen (dates of application, either end open); None when it is the wrong way round."""
    left, right = st.columns(2)
    start = left.date_input(_("Received from"), value=None, min_value=date(2000, 1, 1),
                            max_value=date(2100, 12, 31), format="YYYY-MM-DD", key=f"{K}from")
    end = right.date_input(_("Received up to and including"), value=None, min_value=date(2000, 1, 1),
                           max_value=date(2100, 12, 31), format="YYYY-MM-DD", key=f"{K}to")
    start = start if isinstance(start, date) else None
    end = end if isinstance(end, date) else None
    if start and end and start > end:
        st.error(_("The start of the period lies after its end."), icon=":material/error:")
        return None
    return start, end


def main() -> None:
    user = current_user()
    st.title(_("Evaluation"))
    lang: Lang = "en" if state.lang() == "en" else "nl"
    chosen = period()
    if chosen is None:
        return
    start, end = chosen
    store = state.store()
    try:
        facts, skipped = services.evaluation_facts(store, user)
    except AannemelijkError as exc:
        show_error(exc)
        return
    metrics = compute_all(facts, DEFAULT_RULE, start=start, end=end, labels=rubric_labels(rubric()),
                          deadlines=store.settings.deadlines)
    training = store.settings.training
    if skipped:
        st.warning(_("{n} case(s) left out because their dates are inconsistent.").format(n=len(skipped)))
    figures, report, export, whatif = st.tabs([_("Figures"), _("Pilot report"), _("Research export"), _("What-if")])
    with figures:
        versions = ", ".join(f"{v.id} {v.version}" for v in metrics.rubric_versions) or "-"
        st.caption(_("Rubric versions in force: {versions}").format(versions=versions))
        for table in metrics.all_tables():
            table_block(table, lang, f"{K}{table.id}", training)
    with report:
        report_section(metrics, lang)
    with export:
        export_section(user, lang)
    with whatif:
        whatif_section(user, in_period(facts, start, end), lang, training)


main()
