"""Trainee: my training cases. Read the file, rate every indicator alone (present / absent / unknown, as
the panel does), give an overall view, submit; then see the result beside the reference panel's."""

from __future__ import annotations

import streamlit as st

from assessment.model import InputDraft, ObservationInput
from assessment.services import get_case, training
from assessment.training import Feedback
from ui import state
from ui.training_common import t
from ui.widgets import call, current_user, rubric, show_flash

STATUS = {"present": ("aanwezig", "present"), "absent": ("afwezig", "absent"), "unknown": ("onbekend", "unknown")}
VIEW = {"positive": ("positief", "positive"), "negative": ("negatief", "negative"),
        "undetermined": ("onbepaald", "undetermined")}


def _labeller(pairs: dict[str, tuple[str, str]], lang: str):  # type: ignore[no-untyped-def]
    # The language is fixed when the widget is drawn (a format function may run outside the page's run).
    return lambda v: pairs[v][1 if lang == "en" else 0]


def _show_feedback(fb: Feedback) -> None:
    r = rubric()
    lang = state.lang()
    st.subheader(t("Uw resultaat naast de referentie", "Your result beside the reference"))
    a, b, c = st.columns(3)
    a.metric(t("Kalibratie (Cohens kappa)", "Calibration (Cohen's kappa)"), fb.kappa)
    b.metric(t("Uw rubriekuitkomst", "Your rubric outcome"), fb.trainee_outcome,
             delta=t("gelijk", "same") if fb.outcome_match else t("anders dan ", "differs from ") + fb.reference_outcome,
             delta_color="normal" if fb.outcome_match else "inverse")
    c.metric(t("Besluit referentiepanel", "Reference panel decision"), fb.panel_outcome or "-",
             delta=t("uw oordeel klopt", "your view agrees") if fb.view_match else t("uw oordeel wijkt af", "your view differs"),
             delta_color="normal" if fb.view_match else "inverse")
    if fb.dimensions:
        st.markdown("**" + t("Dimensies die verschillen", "Dimensions that differ") + "**")
        st.dataframe([{t("Dimensie", "Dimension"): r.dimension_by_id[d].name(lang), t("U", "You"): mine,
                       t("Referentie", "Reference"): ref} for d, (mine, ref) in fb.dimensions.items()],
                     hide_index=True, key="training.dims")
    st.markdown("**" + t("Gemist (wel in de referentie)", "Missed (in the reference)") + f": {len(fb.missed)}**")
    for m in fb.missed:
        st.markdown(f"- {r.indicator_by_id[m.indicator].name(lang)} — {'; '.join(m.sources)}"
                    + (f" — _{'; '.join(m.notes)}_" if m.notes else ""))
    st.markdown("**" + t("Toegevoegd (niet in de referentie)", "Added (not in the reference)") + f": {len(fb.added)}**")
    for m in fb.added:
        st.markdown(f"- {r.indicator_by_id[m.indicator].name(lang)} ({t('referentie', 'reference')}: {m.reference_status})")
    st.caption(t("Indicatoren zijn hulpmiddelen: hun aan- of afwezigheid bewijst niets.",
                 "Indicators are screening aids: their presence or absence proves nothing."))


def main() -> None:
    user = current_user()
    st.title(t("Mijn oefencasussen", "My training cases"))
    show_flash()
    sessions = call(lambda: training.list_sessions(state.store(), user))
    if not sessions:
        if sessions is not None:
            st.info(t("U zit nog in geen sessie.", "You are not in a session yet."))
        return
    by_id = {s.id: s for s in sessions}
    sid = st.selectbox(t("Sessie", "Session"), list(by_id), key="training.my_session",
                       format_func=lambda i: f"{i}: {by_id[i].name}")
    session = by_id[sid]
    titles = {c.ref: c.title.get(state.lang(), c.case_file) for c in session.cases}
    ref = st.selectbox(t("Casus", "Case"), list(titles), key="training.my_case", format_func=lambda x: f"{x}: {titles[x]}")
    case = call(lambda: get_case(state.store(), user, ref))
    mine = call(lambda: training.get_trainee_input(state.store(), user, sid, ref))
    if case is None or mine is None:
        return
    with st.expander(t("Het dossier", "The file"), expanded=not mine.submitted):
        for c in case.chronology:
            st.markdown(f"- {c.on.isoformat()}: {c.fact}")
        if case.hearing:
            st.markdown(f"**{t('Hoorzitting', 'Hearing')}**: {case.hearing.summary}")
    if mine.submitted:
        fb = call(lambda: training.trainee_feedback(state.store(), user, sid, ref, rubric()))
        if fb is not None:
            _show_feedback(fb)
        return
    r = rubric()
    lang = state.lang()
    age = case.intake.age_group if case.intake is not None else "adult"
    profile = r.profile_for(age, case.form)
    saved = {o.indicator: o.status for o in mine.draft.observations}
    for dim in r.dimensions:
        with st.expander(dim.name(lang)):
            for iid in profile.indicators:
                if iid.startswith(dim.id + "."):
                    st.radio(r.indicator_by_id[iid].name(lang), list(STATUS), horizontal=True,
                             index=list(STATUS).index(saved.get(iid, "unknown")),
                             format_func=_labeller(STATUS, lang), key=f"training.ind.{iid}")
    view = st.radio(t("Uw oordeel", "Your overall view"), list(VIEW), horizontal=True, key="training.view",
                    format_func=_labeller(VIEW, lang))
    if st.button(t("Indienen", "Submit"), key="training.submit", type="primary"):
        draft = InputDraft(observations=[
            ObservationInput(indicator=iid, status=st.session_state[f"training.ind.{iid}"])
            for iid in profile.indicators if st.session_state.get(f"training.ind.{iid}", "unknown") != "unknown"],
            overall_view=view)
        store = state.store()
        version = call(lambda: training.save_trainee_input(store, user, sid, ref, draft, mine.version, rubric=r))
        if version is not None and call(lambda: training.submit_trainee_input(store, user, sid, ref, version)):
            state.flash(t("Ingediend: hieronder uw terugkoppeling.", "Submitted: your feedback is below."))
            st.rerun()


main()
