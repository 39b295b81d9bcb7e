"""Evaluation (evaluators): the evaluation team's workspace (every figure with exact counts, on screen only;
each view recorded in the audit log; a download is the protected table), and the public products: the pilot
report, the research export and the what-if, under the disclosure control in force. No names, no case
references and no free text ever reach this screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

import altair as alt
import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.evaluation.disclosure import Table
from assessment.evaluation.export import Format
from assessment.evaluation.rescore import RescoreResult
from assessment.model import User
from ui import limits, state
from ui.i18n import _, choose_one
from ui.text import md_escape
from ui.widgets import current_user, show_error

Lang = Literal["nl", "en"]
K = "evaluation."  # prefix of this page's widget keys
# A count axis ticks whole cases: no "2.0" (and no decimal point in a Dutch screen).
WHOLE_NUMBERS = alt.Axis(format="d", tickMinStep=1)


# --------------------------------------------------------------------------------------------------------
# One table: figures, chart, note, rule, download


def _bars(table: Table, lang: Lang) -> alt.Chart | None:
    """Bars of a table's count columns per row (margins and suppressed cells left out, not drawn as 0)."""
    data = [{"row": r.label.text(lang), "column": c.label.text(lang), "value": cell.value}
            for r in table.rows if not r.total
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c.kind == "count" and c.id != "total" and not cell.hidden and isinstance(cell.value, int | float)]
    if not data:
        return None
    rows = [r.label.text(lang) for r in table.rows if not r.total]
    bars: alt.Chart = alt.Chart({"values": data}).mark_bar().encode(
        x=alt.X("value:Q", title=_("Number of cases"), axis=WHOLE_NUMBERS),
        y=alt.Y("row:N", title=table.row_header.text(lang), sort=rows),
        color=alt.Color("column:N", title=None),
        tooltip=[alt.Tooltip("row:N", title=table.row_header.text(lang)), alt.Tooltip("column:N", title=" "),
                 alt.Tooltip("value:Q", title=_("Number of cases"))])
    return bars


def _distribution(table: Table, lang: Lang) -> alt.Chart | None:
    """The throughput distribution: per band of days, how many cases reached each stage."""
    bins = [c for c in table.columns if c.id != "total"]
    data = [{"stage": r.label.text(lang), "band": c.label.text(lang), "value": cell.value}
            for r in table.rows
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c.id != "total" and not cell.hidden and isinstance(cell.value, int | float)]
    if not data:
        return None
    stage_title = table.row_header.text(lang)
    spread: alt.Chart = alt.Chart({"values": data}).mark_bar().encode(
        x=alt.X("band:N", title=_("Days from application"), sort=[c.label.text(lang) for c in bins]),
        xOffset=alt.XOffset("stage:N", sort=[r.label.text(lang) for r in table.rows]),
        y=alt.Y("value:Q", title=_("Number of cases"), axis=WHOLE_NUMBERS),
        color=alt.Color("stage:N", title=stage_title, sort=[r.label.text(lang) for r in table.rows]),
        tooltip=[alt.Tooltip("stage:N", title=stage_title), alt.Tooltip("band:N", title=_("Days from application")),
                 alt.Tooltip("value:Q", title=_("Number of cases"))])
    return spread


def _heat_map(table: Table, lang: Lang) -> alt.LayerChart | None:
    """Cohen's kappa per pair of disciplines (rows) and item (columns); suppressed cells stay blank with
    their mark, so a blank never reads as no agreement."""
    data = [{"pair": r.label.text(lang), "item": c.label.text(lang), "kappa": None if cell.hidden else cell.value,
             "text": cell.text(c.kind, lang)}
            for r in table.rows for c, cell in zip(table.columns, r.cells, strict=True)]
    if not data:
        return None
    items = [c.label.text(lang) for c in table.columns]
    kappa = _("Cohen's kappa")
    base = alt.Chart({"values": data}).encode(
        x=alt.X("item:N", title=None, sort=items, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("pair:N", title=table.row_header.text(lang)))
    rect = base.mark_rect().encode(
        color=alt.Color("kappa:Q", title=kappa, scale=alt.Scale(domain=[-1, 1], scheme="redyellowgreen")),
        tooltip=[alt.Tooltip("pair:N", title=table.row_header.text(lang)), alt.Tooltip("item:N", title=" "),
                 alt.Tooltip("text:N", title=kappa)])
    return alt.LayerChart(layer=[rect, base.mark_text().encode(text="text:N")])


def description(table: Table, lang: Lang) -> str:
    """The chart's accessible description: its title and where its figures are in text."""
    return _("Chart of \"{title}\"; its figures are in the table above it.").format(title=table.title.text(lang))


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
        # The text alternative (WCAG 1.1.1): the chart says what it shows and that its figures are the table
        # right above it, which a screen reader reads cell by cell. Vega's own descriptions of each axis and legend
        # are English whatever the language ("X-axis titled ... for a linear scale") and say less than the table.
        st.altair_chart(drawn.properties(description=description(table, lang))
                        .configure_axis(aria=False).configure_legend(aria=False), width="stretch")
    else:
        st.caption(_("No chart: every figure of this table is suppressed or zero."))


def table_block(table: Table, lang: Lang, key: str, csv: bytes | Callable[[], bytes]) -> None:
    """One table with its chart, note, the disclosure rule in force and a download of its data (`csv`: the
    bytes, or a callable that makes them when the button is clicked)."""
    with st.container(border=True):
        st.subheader(md_escape(table.title.text(lang)))  # a title may name a rubric's indicator or dimension
        st.dataframe(table.shown(lang), hide_index=True, width="stretch", key=f"{key}.table")
        chart(table, lang)
        if table.note is not None:
            st.caption(md_escape(table.note.text(lang)))
        st.caption(md_escape(table.rule.text(lang)))
        st.download_button(_("Download the data (CSV)"), csv, file_name=f"{table.id}-{lang}.csv", mime="text/csv",
                           key=f"{key}.csv", icon=":material/download:", on_click="ignore")


def _deferred(work: Callable[[services.Store], bytes]) -> Callable[[], bytes]:
    """Produce a download's bytes only when it is clicked (so the download, not the page, is what the audit
    log records). Streamlit runs this on a thread of its own, outside the page run, so it opens (and closes)
    a connection of its own."""
    settings = state.settings()

    def run() -> bytes:
        with state.own_store(settings) as store:
            return work(store)

    return run


def workspace_section(user: User, period: tuple[date | None, date | None], lang: Lang) -> None:
    """The evaluation team's workspace: every figure with exact counts, on screen only. Each table's download
    is the same table under the disclosure control in force (made when clicked, recorded in the audit log)."""
    start, end = period
    try:
        figures = services.workspace_figures(state.store(), user, start=start, end=end,
                                             seen=state.logged_views())
    except AannemelijkError as exc:
        show_error(exc)
        return
    st.info(_("Exact counts for the evaluation team, not for publication. Each view of this workspace is "
              "recorded in the audit log. A download holds the published figures: {rule}").format(
                  rule=md_escape(services.disclosure_rule(state.store()).text(lang))), icon=":material/visibility:")
    if figures.skipped:
        st.warning(_("{n} case(s) left out because their dates are inconsistent.").format(n=figures.skipped))
    metrics = figures.metrics
    versions = md_escape(", ".join(f"{v.id} {v.version}" for v in metrics.rubric_versions) or services.NO_VALUE)
    st.caption(_("Rubric versions in force: {versions}").format(versions=versions))
    for table in metrics.all_tables():
        table_block(table, lang, f"{K}{table.id}", _deferred(_published_csv(user, table.id, lang, start, end)))


def _published_csv(user: User, table_id: str, lang: Lang, start: date | None,
                   end: date | None) -> Callable[[services.Store], bytes]:
    """The work of one table's download: the table under the disclosure control in force, as CSV."""
    def work(store: services.Store) -> bytes:
        return services.workspace_table_csv(store, user, table_id, lang, start=start, end=end)

    return work


# --------------------------------------------------------------------------------------------------------
# Report, export, what-if


def _progress_bar(label: str) -> Callable[[float, str], None]:
    bar = st.progress(0.0, text=label)

    def update(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    return update


def report_section(user: User, period: tuple[date | None, date | None], lang: Lang) -> None:
    """The one-click pilot report for the chosen period, as PDF in the chosen language: the published figures,
    under the disclosure control in force."""
    st.caption(_("The report holds every figure of the chosen period with its charts, the disclosure rule, "
                 "the rubric versions in force and a short methods section."))
    chosen = st.radio(_("Language of the report"), ["nl", "en"], horizontal=True, index=0 if lang == "nl" else 1,
                      key=f"{K}report.lang", format_func=lambda v: services.LANGUAGE_NAMES.get(v, v))
    report_lang: Lang = "en" if chosen == "en" else "nl"
    if not st.button(_("Make the pilot report"), key=f"{K}report.make", icon=":material/picture_as_pdf:"):
        return
    try:
        with st.spinner(_("Making the report…")):
            metrics, _skipped = services.pilot_figures(state.store(), user, start=period[0], end=period[1])
            pdf = services.pilot_report(metrics, report_lang)
    except AannemelijkError as exc:
        show_error(exc)
        return
    start = metrics.period_from.isoformat() if metrics.period_from else "begin"
    end = metrics.period_to.isoformat() if metrics.period_to else date.today().isoformat()
    st.success(_("The report is ready."))
    st.download_button(_("Download the pilot report (PDF)"), pdf, file_name=f"pilot-report-{start}-{end}-{report_lang}.pdf",
                       mime="application/pdf", key=f"{K}report.download", icon=":material/download:",
                       on_click="ignore")


def export_section(user: User, lang: Lang) -> None:
    """The research export (pseudonymised, the disclosure rule applied) as a zip of CSV files or as XLSX."""
    st.caption(_("One row per case and one per discipline input; cases under pseudonyms (the same in every "
                 "export until an administrator starts new ones); no names, no contact data, no free text, no "
                 "dates finer than a month. The export holds every case; the period filter does not apply to it."))
    st.caption(services.disclosure_rule(state.store()).text(lang))
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

    try:
        made = services.research_export_download(state.store(), user, fmt, progress=progress)
    except AannemelijkError as exc:
        show_error(exc)
        return
    update(1.0, _("Export ready: {cases} cases, {rows} discipline inputs.").format(
        cases=made.result.cases, rows=made.result.discipline_rows))
    if made.skipped:
        st.warning(_("{n} case(s) left out because their dates are inconsistent.").format(n=len(made.skipped)))
    st.download_button(_("Download the research export"), made.data, file_name=made.filename, mime=made.mime,
                       key=f"{K}export.download", icon=":material/download:", on_click="ignore")


def _choice_label(choice: services.RubricChoice) -> str:
    if choice.kind == "active":
        return _("The active rubric: {id} {version}").format(id=choice.id, version=choice.version)
    if choice.kind == "file":
        return _("Shipped rubric file: {name}").format(name=choice.name)
    if choice.kind == "stored":
        return _("Stored version: {id} {version}").format(id=choice.id, version=choice.version)
    return _("Upload a rubric file (YAML)")


def whatif_section(user: User, period: tuple[date | None, date | None], lang: Lang, training: bool) -> None:
    """Re-score every decided case of the period under another rubric, in memory only, and show how many
    outcomes would change and in which direction."""
    st.caption(_("Re-scores every decided case of the chosen period under another rubric. Nothing is changed: "
                 "every case keeps the rubric result it was decided with."))
    # Labels made now: the format function may also be called outside this run.
    choices = {c.key: _choice_label(c) for c in services.whatif_rubric_choices(state.store(), user)}
    choice = st.selectbox(_("Rubric"), list(choices), format_func=lambda c: choices.get(c, c),
                          key=f"{K}whatif.rubric", placeholder=choose_one())
    if choice == "upload":
        st.file_uploader(_("Rubric file (YAML)"), type=["yaml", "yml"], key=f"{K}whatif.upload",
                         max_upload_size=limits.upload_mb(services.YAML_MAX_BYTES),
                         help=limits.upload_help(services.YAML_MAX_BYTES, "YAML"))
    if not st.button(_("Re-score the decided cases"), key=f"{K}whatif.run", icon=":material/calculate:"):
        return
    uploaded = state.get(f"{K}whatif.upload")
    try:
        chosen = services.whatif_rubric(state.store(), str(choice),
                                        (uploaded.name, uploaded.getvalue()) if uploaded is not None else None)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if chosen is None:
        st.warning(_("Choose a rubric file to upload first."))
        return
    update = _progress_bar(_("Re-scoring…"))
    try:
        result = services.whatif(state.store(), user, chosen, start=period[0], end=period[1],
                                 progress=lambda done, total: update(done / total, _("Re-scoring…")))
    except AannemelijkError as exc:
        show_error(exc)
        return
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
    table_block(result.transitions, lang, f"{K}whatif.transitions",
                services.table_csv(result.transitions, lang, training))


# --------------------------------------------------------------------------------------------------------


def period() -> tuple[date | None, date | None] | None:
    """The period chosen (dates of application, either end open); None when it is the wrong way round."""
    left, right = st.columns(2)
    start = left.date_input(_("Received from"), value=None, min_value=date(2000, 1, 1),
                            max_value=date(2100, 12, 31), format="DD-MM-YYYY", key=f"{K}from")
    end = right.date_input(_("Received up to and including"), value=None, min_value=date(2000, 1, 1),
                           max_value=date(2100, 12, 31), format="DD-MM-YYYY", key=f"{K}to")
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
    training = state.store().settings.training
    workspace, report, export, whatif = st.tabs([_("Workspace (exact)"), _("Pilot report"), _("Research export"),
                                                 _("What-if")])
    with workspace:
        workspace_section(user, chosen, lang)
    with report:
        report_section(user, chosen, lang)
    with export:
        export_section(user, lang)
    with whatif:
        whatif_section(user, chosen, lang, training)


main()
