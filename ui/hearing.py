"""Hearing: date, members present, interpreter, and a summary."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import Hearing
from ui import limits, state
from ui.i18n import _
from ui.labels import label
from ui.text import user_text
from ui.widgets import case_picker, current_user, show_error, show_flash


def main() -> None:
    user = current_user()
    st.title(_("Hearing"))
    show_flash()
    ref = case_picker("pick.hearing", user, statuses=("assessment", "deliberation", "decided"))
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if case.hearing is not None:
        h = case.hearing
        st.info(_("Hearing held on {date} with {members}; interpreter: {interpreter}.").format(
            date=h.held_on.isoformat(), members=", ".join(h.members),
            interpreter=_("yes") if h.interpreter else _("no")))
        if h.summary:
            user_text(h.summary)
    if case.status not in ("assessment", "deliberation"):
        return
    st.subheader(_("Record the hearing") if case.hearing is None else _("Correct the hearing"))
    members = [s.username for s in case.panel]
    names = {s.username: f"{s.username} ({label('discipline', s.discipline)})" for s in case.panel}
    state.widget("hearing.held_on", case.hearing.held_on if case.hearing else dt.date.today())
    state.widget("hearing.members", [m for m in (case.hearing.members if case.hearing else []) if m in members])
    state.widget("hearing.interpreter", case.hearing.interpreter if case.hearing else bool(
        case.intake and case.intake.interpreter))
    state.widget("hearing.summary", case.hearing.summary if case.hearing else "")
    st.date_input(_("Held on"), key="hearing.held_on", format="DD-MM-YYYY", min_value=limits.EARLIEST,
                  max_value=limits.LATEST)
    st.multiselect(_("Panel members present"), members, key="hearing.members",
                   format_func=lambda u: names.get(u, u))
    st.checkbox(_("With an interpreter"), key="hearing.interpreter")
    st.text_area(_("Summary"), key="hearing.summary", height=160, max_chars=limits.LONG)
    limits.at_limit("hearing.summary", limits.LONG)
    if st.button(_("Save hearing"), key="hearing.submit", type="primary"):
        try:
            services.record_hearing(state.store(), user, ref, Hearing(
                held_on=state.get("hearing.held_on"), members=list(state.get("hearing.members") or []),
                interpreter=bool(state.get("hearing.interpreter")), summary=state.get("hearing.summary") or ""))
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.flash(_("Hearing saved."))
            st.rerun()


main()
