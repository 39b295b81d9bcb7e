"""Hearing: date, members present (at least two), interpreter with language (and gender where asked), a summary,
and the report sent to the applicant for correction with the reply (errors at their fields, ui/field_errors.py)."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import Hearing, User
from ui import field_errors, limits, state
from ui.boundary import safe
from ui.i18n import N_, _, choose_one
from ui.labels import day, label
from ui.session import guarded
from ui.text import user_text
from ui.widgets import case_picker, current_user, show_error, show_flash

ERRORS = "hearing.errors"  # widget-free key: field -> message, set by the save callback
FIELDS = {"held_on": N_("Held on"), "members": N_("Panel members present"), "interpreter": N_("With an interpreter"),
          "interpreter_language": N_("Language interpreted (code, e.g. ti)"),
          "interpreter_gender": N_("Interpreter's gender (where the applicant asked)"), "summary": N_("Summary"),
          "report_sent_on": N_("Report sent to the applicant for correction on"),
          "corrections_received_on": N_("Reply received (or term for it ended) on"),
          "corrections": N_("Corrections by the applicant")}


def _model_errors(exc: PydanticValidationError) -> dict[str, str]:
    return field_errors.of_model(exc, FIELDS)  # the Hearing model's rules name their fields (RuleError)


@guarded
@safe
def _save(user: User, ref: str) -> None:
    """Save callback: record the hearing, or leave each message at its field (the typed values stay)."""
    field_errors.clear(ERRORS)
    try:
        interpreter = bool(state.get("hearing.interpreter"))
        hearing = Hearing(held_on=state.get("hearing.held_on"), members=list(state.get("hearing.members") or []),
                          interpreter=interpreter,
                          interpreter_language=(state.get("hearing.interpreter_language") or "").strip().lower()
                          if interpreter else "",
                          interpreter_gender=(state.get("hearing.interpreter_gender") or None) if interpreter else None,
                          summary=state.get("hearing.summary") or "",
                          report_sent_on=state.get("hearing.report_sent_on"),
                          corrections_received_on=state.get("hearing.corrections_received_on"),
                          corrections=state.get("hearing.corrections") or "")
    except PydanticValidationError as exc:
        field_errors.put(ERRORS, _model_errors(exc))
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
    ref = case_picker("pick.hearing", user, statuses=("assessment", "deliberation", "hearing", "decided"))
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if case.hearing is not None:
        h = case.hearing
        interpreter = _("no")
        if h.interpreter:
            interpreter = ", ".join(x for x in (label("language", h.interpreter_language) if h.interpreter_language
                                                else _("yes"),
                                                label("interpreter_gender", h.interpreter_gender)
                                                if h.interpreter_gender else "") if x)
        st.info(_("Hearing held on {date} with {members}; interpreter: {interpreter}.").format(
            date=day(h.held_on), members=", ".join(h.members), interpreter=interpreter))
        if h.summary:
            user_text(h.summary)
        if h.report_sent_on is None:
            st.warning(_("The hearing report has not yet been sent to the applicant for correction; deliberation "
                         "cannot rely on it yet."))
        elif h.corrections_received_on is None:
            st.warning(_("Report sent for correction on {date}; the applicant's reply is awaited.").format(
                date=day(h.report_sent_on)))
        else:
            st.success(_("Report sent on {sent}; reply received on {received}.").format(
                sent=day(h.report_sent_on), received=day(h.corrections_received_on)))
            if h.corrections:
                user_text(h.corrections)
    if case.status == "hearing":
        st.info(_("The panel sent this case to a hearing for more information: {reasons}").format(
            reasons=case.deferral_reasons))
    if case.status not in ("assessment", "deliberation", "hearing"):
        return
    st.subheader(_("Record the hearing") if case.hearing is None else _("Correct the hearing"))
    members = [s.username for s in case.panel]
    names = {s.username: f"{s.username} ({label('discipline', s.discipline)})" for s in case.panel}
    state.widget("hearing.held_on", case.hearing.held_on if case.hearing else dt.date.today())
    state.widget("hearing.members", [m for m in (case.hearing.members if case.hearing else []) if m in members])
    state.widget("hearing.interpreter", case.hearing.interpreter if case.hearing else bool(
        case.intake and case.intake.interpreter))
    state.widget("hearing.summary", case.hearing.summary if case.hearing else "")
    state.widget("hearing.interpreter_language", case.hearing.interpreter_language if case.hearing else (
        case.intake.languages[0] if case.intake and case.intake.languages else ""))
    state.widget("hearing.interpreter_gender", (case.hearing.interpreter_gender if case.hearing else None) or "")
    state.widget("hearing.report_sent_on", case.hearing.report_sent_on if case.hearing else None)
    state.widget("hearing.corrections_received_on", case.hearing.corrections_received_on if case.hearing else None)
    state.widget("hearing.corrections", case.hearing.corrections if case.hearing else "")
    st.date_input(_("Held on"), key="hearing.held_on", format="DD-MM-YYYY", min_value=limits.EARLIEST,
                  max_value=limits.LATEST)
    field_errors.at(ERRORS, "held_on")
    st.multiselect(_("Panel members present"), members, key="hearing.members",
                   format_func=lambda u: names.get(u, u), placeholder=_("Choose options"))
    field_errors.at(ERRORS, "members")
    st.checkbox(_("With an interpreter"), key="hearing.interpreter")
    field_errors.at(ERRORS, "interpreter")
    if state.get("hearing.interpreter"):
        i1, i2 = st.columns(2)
        i1.text_input(_(FIELDS["interpreter_language"]), key="hearing.interpreter_language", max_chars=3)
        with i1:
            field_errors.at(ERRORS, "interpreter_language")
        i2.selectbox(_(FIELDS["interpreter_gender"]), ["", "female", "male"], key="hearing.interpreter_gender",
                     format_func=lambda v: label("interpreter_gender", v) if v else _("not asked"), placeholder=choose_one())
    st.text_area(_("Summary"), key="hearing.summary", height=160, max_chars=limits.LONG)
    limits.at_limit("hearing.summary", limits.LONG)
    field_errors.at(ERRORS, "summary")
    st.markdown("**" + _("Hearing report for correction") + "**")
    r1, r2 = st.columns(2)
    r1.date_input(_(FIELDS["report_sent_on"]), key="hearing.report_sent_on", value=None, format="DD-MM-YYYY",
                  min_value=limits.EARLIEST, max_value=limits.LATEST)
    with r1:
        field_errors.at(ERRORS, "report_sent_on")
    r2.date_input(_(FIELDS["corrections_received_on"]), key="hearing.corrections_received_on", value=None,
                  format="DD-MM-YYYY", min_value=limits.EARLIEST, max_value=limits.LATEST)
    with r2:
        field_errors.at(ERRORS, "corrections_received_on")
    st.text_area(_(FIELDS["corrections"]), key="hearing.corrections", height=100, max_chars=limits.LONG)
    field_errors.at(ERRORS, "corrections")
    st.button(_("Save hearing"), key="hearing.submit", type="primary", on_click=_save, args=(user, ref))
    field_errors.summary(ERRORS, FIELDS, _("Not saved; correct these fields (what you typed is kept):"))


main()
