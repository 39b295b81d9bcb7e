"""Trainer: open a training session (cases and trainees), see the group per case, export it, reset it.
Indicators show by their names in the user's language, never as rubric ids."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.rubric import Rubric
from ui import confirm, state
from ui.i18n import _, choose_any, choose_one
from ui.labels import statistic
from ui.widgets import call, current_user, rubric, show_flash


def _open_form(user_trainees: list[str]) -> None:
    files = services.training_case_files()
    lang = state.lang()
    with st.form("training.new"):
        st.subheader(_("New session"))
        name = st.text_input(_("Name"), key="training.name")
        chosen = st.multiselect(_("Training cases"), list(files), key="training.cases",
                                format_func=lambda f: files[f].get(lang, f), placeholder=choose_any())
        trainees = st.multiselect(_("Trainees"), user_trainees, key="training.trainees", placeholder=choose_any())
        if st.form_submit_button(_("Open session"), key="training.open"):
            sid = call(lambda: services.open_session(state.store(), current_user(), name, chosen, trainees,
                                                     rubric(), lang=lang))
            if sid is not None:
                state.flash(_('Session {sid} opened.').format(sid=sid))
                st.rerun()


def _indicator(r: Rubric, iid: str) -> str:
    """An indicator's name in the user's language (its id when the rubric no longer has it)."""
    ind = r.indicator_by_id.get(iid)
    return ind.name(state.lang()) if ind is not None else iid  # type: ignore[arg-type]


def main() -> None:
    user = current_user()
    st.title(_("Training sessions"))
    show_flash()
    sessions = call(lambda: services.list_sessions(state.store(), user))
    if sessions is None:
        return
    _open_form(list(services.TRAINEES))
    if not sessions:
        st.info(_("No sessions yet."))
        return
    by_id = {s.id: s for s in sessions}
    sid = st.selectbox(_("Session"), list(by_id), key="training.session",
                       format_func=lambda i: f"{i}: {by_id[i].name}", placeholder=choose_one())
    session = by_id[sid]
    st.caption(_("Trainees: ") + ", ".join(session.trainees))
    r = rubric()
    views = call(lambda: services.group_feedback(state.store(), user, sid, r))
    if views is None:
        return
    st.subheader(_("The group"))
    st.dataframe([{
        _("Case"): c.ref, _("Case file"): c.title.get(state.lang(), c.case_file),
        _("Submitted"): views[c.ref].trainees,
        _("Fleiss' kappa (among trainees)"): statistic(views[c.ref].fleiss_kappa),
        _("Mean kappa with reference"): statistic(views[c.ref].mean_kappa),
        _("Outcome as reference"): views[c.ref].outcome_matches,
        _("Most often missed"): ", ".join(f"{_indicator(r, i)} ({n})" for i, n in views[c.ref].most_missed),
    } for c in session.cases], hide_index=True, key="training.group")
    for c in session.cases:
        per = views[c.ref].kappa_with_reference
        if per:
            st.caption(f"{c.ref}: " + ", ".join(f"{u} κ={statistic(k)}" for u, k in per.items()))
    csv = call(lambda: services.group_export_csv(state.store(), user, sid, rubric()))
    if csv is not None:
        st.download_button(_("Export the group (CSV)"), csv,
                           file_name=f"training-session-{sid}.csv", mime="text/csv", key="training.export")
    if st.button(_("Reset the session"), key="training.reset", icon=":material/restart_alt:"):
        confirm.ask("training.reset.confirm", _("Reset the session?"),
                    _("Every trainee's work in this session is removed and cannot be brought back."),
                    lambda: services.reset_session(state.store(), user, sid),
                    confirm=_("Reset the session"),
                    done=lambda removed: _("Session reset: {removed} exercise(s) removed.").format(removed=removed))
    confirm.open_dialog("training.reset.confirm")


main()
