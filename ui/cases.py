"""Cases: my cases (all, for secretary and chair) with status, stage deadline, overdue marks, filters and
search by reference."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from ui import state
from ui.i18n import _
from ui.labels import formatter, label, options
from ui.widgets import current_user, show_error, show_flash


def main() -> None:
    user = current_user()
    st.title(_("Cases"))
    show_flash()
    left, mid, right = st.columns([2, 2, 1])
    search = left.text_input(_("Search by reference"), key="cases.search", placeholder="AAN-2026-0001")
    statuses = mid.multiselect(_("Status"), options("status"), key="cases.status", format_func=formatter("status"))
    only_overdue = right.checkbox(_("Only overdue"), key="cases.overdue")
    try:
        rows = services.case_rows(state.store(), user)
    except AannemelijkError as exc:
        show_error(exc)
        return
    needle = search.strip().upper()
    shown = [r for r in rows
             if needle in r.summary.ref.upper()
             and (not statuses or r.summary.status in statuses)
             and (not only_overdue or (r.deadline is not None and r.deadline.state == "overdue"))]
    if not shown:
        st.info(_("No cases match.") if rows else _("There are no cases for you yet."))
        return
    table = [{
        _("Reference"): r.summary.ref,
        _("Status"): label("status", r.summary.status),
        _("Received"): r.summary.received_on.isoformat(),
        _("Form"): label("form", r.summary.form),
        _("Stage"): label("stage", r.deadline.stage) if r.deadline else "",
        _("Due"): r.deadline.due_on.isoformat() if r.deadline else "",
        _("Deadline"): ("⚠ " + label("deadline", "overdue")) if r.deadline and r.deadline.state == "overdue"
        else (label("deadline", r.deadline.state) if r.deadline else ""),
    } for r in shown]
    st.dataframe(table, hide_index=True, width="stretch", key="cases.table")
    overdue = sum(1 for r in shown if r.deadline is not None and r.deadline.state == "overdue")
    if overdue:
        st.warning(_("{n} case(s) past their stage deadline.").format(n=overdue))
    refs = [r.summary.ref for r in shown]
    current = state.case_ref()
    state.keep_choice("cases.open", refs, current)
    chosen = st.selectbox(_("Work on case"), refs, key="cases.open")
    state.set_case_ref(chosen)
    st.caption(_("The other screens open this case."))


main()
