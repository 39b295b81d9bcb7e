"""Hearing: date, members present, interpreter, and a summary (errors at their fields, ui/field_errors.py)."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import Hearing, User
from ui import field_errors, limits, state
from ui.boundary import safe
from ui.i18n import N_, _
from ui.labels import day, label
from ui.session import guarded
from ui.text import user_text
from ui.widgets import case_picker, current_user, show_error, show_flash

ERRORS = "hearing.errors"  # widget-free key: field -> message, set by the save callback
FIELDS = {"held_on": N_("Held on"), "members": N_("Panel members present"), "interpreter": N_("With an interpreter"),
          "summary": N_("Summary")}


@guarded
@safe
def _save(user: User, ref: str) -> None:
    """Save callback: record the hearing, or leave each message at its field (the typed values stay)."""
    field_errors.clear(ERRORS)
    try:
        hearing = Hearing(held_on=state.get("hearing.held_on"), members=list(state.get("hearing.members") or []),
                          interpreter=bool(state.get("hearing.interpreter")), summary=state.get("hearing.summary") or "")
    except PydanticValidationError as exc:
        field_errors.put(ERRORS, field_errors.of_model(exc, FIELDS))
        return
    try:
        services.record_hearing(state.store(), user, ref, hearing)
    except AannemelijkError as exc:
        field_errors.put(ERRORS, field_errors.of_service(exc, FIELDS))
        return
    state.flash(_("Hearing saved."))


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
            date=day(h.held_on), members=", ".join(h.members),
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
    field_errors.at(ERRORS, "held_on")
    st.multiselect(_("Panel members present"), members, key="hearing.members",
                   format_func=lambda u: names.get(u, u), placeholder=_("Choose options"))
    field_errors.at(ERRORS, "members")
    st.checkbox(_("With an interpreter"), key="hearing.interpreter")
    st.text_area(_("Summary"), key="hearing.summary", height=160, max_chars=limits.LONG)
    limits.at_limit("hearing.summary", limits.LONG)
    field_errors.at(ERRORS, "summary")
    st.button(_("Save hearing"), key="hearing.submit", type="primary", on_click=_save, args=(user, ref))
    field_errors.summary(ERRORS, FIELDS, _("Not saved; correct these fields (what you typed is kept):"))


main()
