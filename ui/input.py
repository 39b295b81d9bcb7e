"""Discipline input: the rubric's indicators grouped by dimension (present / absent / unknown, source,
note), the discipline's view per dimension and overall, saved as typed, then submitted.

Never lose a word: every change is saved by its widget's on_change callback with the version the member
last saw; the draft in session state is updated only after a save succeeded, and a refused save
(someone else saved first) keeps both versions until the member chooses. The editor itself lives in
ui/input_form.py, which the trainee's page uses too; this page adds the case, the declaration of no
conflict of interest, and submitting.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError, ConflictError
from assessment.model import CaseView, InputDraft, User
from assessment.rubric import Profile, Rubric
from ui import case_facts, input_form, state
from ui.i18n import _
from ui.text import md_escape
from ui.widgets import autosave_text_fields, case_picker, current_user, rubric, show_error, show_flash

K = "input."
ERROR = "inputpage.error"  # not a widget key: survives the widget clean-up


def _profile(r: Rubric, case: CaseView) -> Profile:
    age = case.intake.age_group if case.intake is not None else "adult"
    return r.profile_for(age, case.form)


def _load(user: User, ref: str) -> dict[str, Any]:
    """The member's draft for this case: from session state, or from the database on first visit."""
    entry = state.draft_entry(ref)
    if entry is None:
        own = [i for i in services.get_inputs(state.store(), user, ref) if i.username == user.username]
        if own:
            state.set_draft_entry(ref, own[0].draft, own[0].version, None, own[0].submitted)
        else:
            state.set_draft_entry(ref, InputDraft(), None, None, False)
        entry = state.draft_entry(ref)
        assert entry is not None
    return entry


def _editor(user: User, ref: str) -> input_form.Editor:
    """The shared editor, saving this member's discipline input on the case."""

    def save(draft: InputDraft, version: int | None) -> int:
        return services.save_input_draft(state.store(), user, ref, draft, version, rubric=rubric())

    def stored() -> tuple[InputDraft, int | None]:
        theirs = [i for i in services.get_inputs(state.store(), user, ref) if i.username == user.username]
        return (theirs[0].draft, theirs[0].version) if theirs else (InputDraft(), None)

    return input_form.Editor(prefix=K, entry=ref, error_key=ERROR, save=save, stored=stored)


def _declaration(user: User, ref: str, discipline: str) -> None:
    """The member declares, personally: no conflict of interest (then the case opens), or a conflict (then
    they leave this case's panel)."""
    st.warning(_("Before you give input, declare that you were not otherwise involved in this case."))
    try:
        if st.button(_("I declare I have no conflict of interest"), key="input.declare"):
            services.declare_no_conflict(state.store(), user, ref, discipline)
            st.rerun()
        with st.expander(_("I have a conflict of interest in this case")):
            reason = st.text_input(_("What is the conflict? (you leave this case's panel)"), key="input.conflict")
            if st.button(_("I have a conflict of interest in this case"), key="input.declare_conflict"):
                services.declare_conflict(state.store(), user, ref, discipline, reason or "")
                state.set_case_ref(None)
                st.rerun()
    except AannemelijkError as exc:
        show_error(exc)


def main() -> None:
    user = current_user()
    st.title(_("Discipline input"))
    show_flash()
    ref = case_picker("pick.input", user, statuses=("assessment", "deliberation"))
    if ref is None:
        return
    if state.get("inputpage.ref") != ref:  # another case: its own widget values
        state.forget(K)
        state.put("inputpage.ref", ref)
    try:
        seat = services.own_seat(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if seat is not None and not seat.coi_declared_on:  # nothing of the case is shown before the declaration
        _declaration(user, ref, seat.discipline)
        return
    try:
        case = services.get_case(state.store(), user, ref)
        r = rubric()
        profile = _profile(r, case)
        entry = _load(user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    # The save state and the submit button at the top of the sidebar: in view wherever the member scrolls.
    bar = st.sidebar.container(border=True, key="input.bar")
    case_facts.panel(case)  # the file beside the indicators, as far as this member may see it
    ed = _editor(user, ref)
    c = state.conflict(ref)
    if c is not None:
        input_form.conflict_view(ed, c)
        return
    submitted = bool(entry.get("submitted"))
    autosave_text_fields()
    status_line = bar.empty()
    input_form.form(ed, r, profile, submitted)
    entry = state.draft_entry(ref) or entry
    if state.get(ERROR):  # the last change was not saved: say so where the save state shows, and at the end
        failed = md_escape(state.get(ERROR), lines=True)  # a service's message: shown as text
        status_line.error(failed, icon=":material/error:")
        st.error(failed, icon=":material/error:")
    elif entry.get("saved_at"):
        saved = _("Saved at {time}").format(time=entry["saved_at"])
        status_line.success(saved, icon=":material/cloud_done:")
    elif entry.get("version"):
        status_line.info(_("Draft loaded (version {v}).").format(v=entry["version"]))
    if submitted:
        st.success(_("Your input is submitted. You now see the other disciplines' input under Deliberation."))
        return
    if bar.button(_("Submit input"), key="input.submit", type="primary", disabled=not entry.get("version")):
        try:
            version = services.submit_input(state.store(), user, ref, entry["version"])
        except ConflictError:
            bar.error(_("Someone else saved this input meanwhile; reload the page to see it."))
            return
        except AannemelijkError as exc:
            show_error(exc)
            return
        state.set_draft_entry(ref, entry["draft"], version, entry.get("saved_at"), True)
        state.flash(_("Input submitted for {ref}.").format(ref=ref))
        st.rerun()


main()
