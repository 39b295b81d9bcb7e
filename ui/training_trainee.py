"""Trainee: my training cases. Read the file, assess it alone in the very screen the panel uses (the shared
editor of ui/input_form.py: every indicator present / absent / unknown with source and note, a view per
dimension, the overall view with confidence; saved as typed), submit; then see the result beside the
reference panel's."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import CaseView, InputDraft, User
from assessment.rubric import Lang
from assessment.training import Feedback
from ui import input_form, state
from ui.i18n import _, choose_one
from ui.labels import day, heading, label, statistic
from ui.text import md_escape
from ui.widgets import autosave_text_fields, call, current_user, rubric, show_error, show_flash

K = "training.input."  # the editor's widget keys
ERROR = "training.error"  # not a widget key: survives the widget clean-up
SHOWN = "training.input_for"  # the (session, case) the editor's widgets hold values of


def _entry_name(sid: int, ref: str) -> str:
    # apart from the panel's drafts (keyed by case ref), and per session: a case may recur in another session
    return f"training.{sid}.{ref}"


def _editor(user: User, sid: int, ref: str) -> input_form.Editor:
    """The panel's editor, saving into this trainee's exercise of the session (sources and notes included)."""

    def save(draft: InputDraft, version: int | None) -> int:
        return services.save_trainee_input(state.store(), user, sid, ref, draft, version, rubric=rubric())

    def stored() -> tuple[InputDraft, int | None]:
        mine = services.get_trainee_input(state.store(), user, sid, ref)
        return mine.draft, mine.version

    return input_form.Editor(prefix=K, entry=_entry_name(sid, ref), error_key=ERROR, save=save, stored=stored)


def _load(sid: int, ref: str, mine: services.TraineeInput) -> dict[str, Any]:
    """The trainee's draft: from session state, or from the database on first visit."""
    name = _entry_name(sid, ref)
    if state.draft_entry(name) is None:
        state.set_draft_entry(name, mine.draft, mine.version, None, mine.submitted)
    entry = state.draft_entry(name)
    assert entry is not None
    return entry


def _show_feedback(fb: Feedback) -> None:
    r = rubric()
    lang: Lang = "en" if state.lang() == "en" else "nl"
    st.subheader(_("Your result beside the reference"))
    st.metric(_("Calibration (Cohen's kappa)"), statistic(fb.kappa))
    b, c = st.columns(2)  # two outcomes side by side: a third column cut "Onvoldoende informatie" short
    b.metric(_("Your rubric outcome"), r.outcome_label(fb.trainee_outcome, lang),  # a metric's value is plain text
             delta=_("same") if fb.outcome_match
             else _("differs from ") + r.outcome_label(fb.reference_outcome, lang),
             delta_color="normal" if fb.outcome_match else "inverse")
    c.metric(_("Reference panel decision"), heading("outcome", fb.panel_outcome, lang),
             delta=_("your view agrees") if fb.view_match else _("your view differs"),
             delta_color="normal" if fb.view_match else "inverse")
    if fb.elements:
        st.markdown("**" + _("Where the reference panel found otherwise") + "**")
        st.dataframe([{_("Element"): r.part_name(d)(lang),
                       _("You (assessment instrument)"): label("dim_status", mine, lang),
                       _("Reference panel's finding"): label("finding", ref, lang)}
                      for d, (mine, ref) in fb.elements.items()],
                     hide_index=True, key="training.dims")
    st.markdown("**" + _("Missed (in the reference)") + f": {len(fb.missed)}**")
    for m in fb.missed:
        said = md_escape("; ".join(m.notes))
        st.markdown(f"- {md_escape(r.indicator_by_id[m.indicator].name(lang))} — {md_escape('; '.join(m.sources))}"
                    + (f" — _{said}_" if said else ""))
    if fb.unseen:  # rated by the reference on evidence the trainee's file did not hold: not counted
        st.caption(_("Not counted, because your file did not show the evidence: {indicators}").format(
            indicators=", ".join(md_escape(r.indicator_by_id[i].name(lang)) for i in fb.unseen)))
    st.markdown("**" + _("Added (not in the reference)") + f": {len(fb.added)}**")
    for m in fb.added:
        reference = _("reference assessment")
        st.markdown(f"- {md_escape(r.indicator_by_id[m.indicator].name(lang))} ({reference}: {label('obs', m.reference_status, lang)})")
    st.caption(_("Indicators are screening aids: their presence or absence proves nothing."))


def main() -> None:
    user = current_user()
    st.title(_("My training cases"))
    show_flash()
    sessions = call(lambda: services.list_sessions(state.store(), user))
    if not sessions:
        if sessions is not None:
            st.info(_("You are not in a session yet."))
        return
    by_id = {s.id: s for s in sessions}
    sid = st.selectbox(_("Session"), list(by_id), key="training.my_session",
                       format_func=lambda i: f"{i}: {by_id[i].name}", placeholder=choose_one())
    session = by_id[sid]
    titles = {c.ref: c.title.get(state.lang(), c.case_file) for c in session.cases}
    ref = st.selectbox(_("Case"), list(titles), key="training.my_case", format_func=lambda x: f"{x}: {titles[x]}", placeholder=choose_one())
    case = call(lambda: services.get_case(state.store(), user, ref))
    mine = call(lambda: services.get_trainee_input(state.store(), user, sid, ref))
    if case is None or mine is None:
        return
    with st.expander(_("The file"), expanded=not mine.submitted):
        for c in case.chronology:
            st.markdown(f"- {day(c.on)}: {md_escape(c.fact)}")
        if case.hearing:
            st.markdown(f"**{_('Hearing')}**: {md_escape(case.hearing.summary)}")
    if mine.submitted:
        fb = call(lambda: services.trainee_feedback(state.store(), user, sid, ref, rubric()))
        if fb is not None:
            _show_feedback(fb)
        return
    if state.get(SHOWN) != (sid, ref):  # another exercise: its own widget values
        state.forget(K)
        state.pop(ERROR)
        state.put(SHOWN, (sid, ref))
    _assess(user, sid, ref, case, mine)


def _assess(user: User, sid: int, ref: str, case: CaseView, mine: services.TraineeInput) -> None:
    """The shared input screen for this exercise, then the submit button."""
    r = rubric()
    age = case.intake.age_group if case.intake is not None else "adult"
    profile = r.profile_for(age, case.form)
    ed = _editor(user, sid, ref)
    entry = _load(sid, ref, mine)
    c = state.conflict(ed.entry)
    if c is not None:
        input_form.conflict_view(ed, c)
        return
    if state.get(ERROR):
        st.error(md_escape(state.get(ERROR), lines=True), icon=":material/error:")
    autosave_text_fields()
    status_line = st.empty()
    input_form.form(ed, r, profile, False)
    entry = state.draft_entry(ed.entry) or entry
    if entry.get("saved_at"):
        saved = _("Saved at {time}").format(time=entry["saved_at"])
        status_line.success(saved, icon=":material/cloud_done:")
    if st.button(_("Submit"), key="training.submit", type="primary", disabled=not entry.get("version")):
        try:
            services.submit_trainee_input(state.store(), user, sid, ref, entry["version"])
        except AannemelijkError as exc:
            show_error(exc)
            return
        state.set_draft_entry(ed.entry, entry["draft"], entry["version"], entry.get("saved_at"), True)
        state.flash(_("Submitted: your feedback is below."))
        st.rerun()


main()
