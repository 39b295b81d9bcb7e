"""Evaluation (evaluators): the pilot's figures over pseudonymised facts, with disclosure control;
no names and no free text ever reach this screen."""

from __future__ import annotations

import altair as alt
import streamlit as st

from assessment.errors import AannemelijkError
from assessment.evaluation.disclosure import Table
from assessment.services import ui_support
from ui import state
from ui.i18n import _
from ui.widgets import current_user, rubric, show_error


def chart(table: Table, lang: str) -> None:
    """A bar chart of a table's count columns per row (suppressed cells are left out, not drawn as 0)."""
    counts = [c for c in table.columns if c.kind == "count"]
    if not counts or not table.rows:
        return
    data = [{"row": r.label(lang), "column": c.label(lang), "value": cell.value}  # type: ignore[arg-type]
            for r in table.rows if not r.total
            for c, cell in zip(table.columns, r.cells, strict=True)
            if c.kind == "count" and not cell.hidden and isinstance(cell.value, int | float)]
    if not data:
        return
    st.altair_chart(alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("value:Q", title=_("Number of cases")), y=alt.Y("row:N", title=None),
        color=alt.Color("column:N", title=None)), width="stretch")


def main() -> None:
    user = current_user()
    st.title(_("Evaluation"))
    lang = state.lang()
    try:
        metrics, skipped = ui_support.pilot_metrics(state.store(), user, rubric())
    except AannemelijkError as exc:
        show_error(exc)
        return
    st.caption(metrics.rule.text(lang))  # type: ignore[arg-type]
    if skipped:
        st.warning(_("{n} case(s) left out because their dates are inconsistent.").format(n=skipped))
    for i, table in enumerate(metrics.all_tables()):
        with st.container(border=True):
            st.subheader(table.title(lang))  # type: ignore[arg-type]
            st.dataframe(table.records(lang), hide_index=True, width="stretch", key=f"evaluation.table.{i}")  # type: ignore[arg-type]
            chart(table, lang)
            if table.note is not None:
                st.caption(table.note(lang))  # type: ignore[arg-type]


main()
