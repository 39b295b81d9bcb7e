"""Discipline input: the rubric's indicators grouped by dimension (present / absent / unknown, source,
note), the discipline's view per dimension and overall, saved as typed, then submitted.

Never lose a word: every change is saved by its widget's on_change callback with the version the member
last saw; the draft in session state is updated only after a save succeeded, and a refused save
(someone else saved first) keeps both versions until the member chooses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError, ConflictError
from assessment.model import CaseView, DimensionView, InputDraft, ObservationInput, User
from assessment.rubric import Profile, Rubric
from ui import state
from ui.i18n import _
from ui.labels import formatter, label, options
from ui.widgets import autosave_text_fields, case_picker, current_user, rubric, rubric_text, show_error, show_flash

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


def _seed(draft: InputDraft, profile: Profile, r: Rubric) -> None:
    """Give every widget its saved value when it has none (first visit, or back from another page)."""
    obs = {o.indicator: o for o in draft.observations}
    for iid in profile.indicators:
        o = obs.get(iid)
        state.widget(f"{K}{iid}.status", o.status if o else None)
        state.widget(f"{K}{iid}.source", o.source if o else "")
        state.widget(f"{K}{iid}.note", o.note if o else "")
    views = {v.dimension: v for v in draft.dimension_views}
    for dim in r.dimensions:
        v = views.get(dim.id)
        state.widget(f"{K}{dim.id}.view", v.view if v else None)
        state.widget(f"{K}{dim.id}.reasons", v.reasons if v else "")
    state.widget(K + "overall.view", draft.overall_view)
    state.widget(K + "overall.confidence", draft.confidence)
    state.widget(K + "overall.reasons", draft.overall_reasons)
    state.widget(K + "inconsistency_notes", draft.inconsistency_notes)


def _draft_from_widgets(profile: Profile, r: Rubric, saved: InputDraft) -> InputDraft:
    """The draft as the widgets show it. A widget not drawn in the last run (a closed source/note) may
    have no value in session state: its saved value then stands, so hiding a field never drops text."""
    kept = {o.indicator: o for o in saved.observations}

    def g(key: str, iid: str | None = None, attr: str = "") -> Any:
        if key in st.session_state or iid is None:
            return state.get(key)
        o = kept.get(iid)
        return getattr(o, attr) if o is not None else None

    observations = [
        ObservationInput(indicator=iid, status=g(f"{K}{iid}.status", iid, "status"),
                         source=g(f"{K}{iid}.source", iid, "source") or "",
                         note=g(f"{K}{iid}.note", iid, "note") or "")
        for iid in profile.indicators if g(f"{K}{iid}.status", iid, "status")
    ]
    views = [DimensionView(dimension=d.id, view=g(f"{K}{d.id}.view"), reasons=g(f"{K}{d.id}.reasons") or "")
             for d in r.dimensions if g(f"{K}{d.id}.view")]
    return InputDraft(observations=observations, dimension_views=views, overall_view=g(K + "overall.view"),
                      confidence=g(K + "overall.confidence"), overall_reasons=g(K + "overall.reasons") or "",
                      inconsistency_notes=g(K + "inconsistency_notes") or "")


def _save(user: User, ref: str, draft: InputDraft, version: int | None) -> None:
    """Save one draft with the version the member last saw; on a conflict keep both versions."""
    st.session_state.pop(ERROR, None)
    entry = state.draft_entry(ref) or {}
    try:
        new_version = services.save_input_draft(state.store(), user, ref, draft, version, rubric=rubric())
    except ConflictError:
        theirs = [i for i in services.get_inputs(state.store(), user, ref) if i.username == user.username]
        state.set_conflict(ref, {"mine": draft, "theirs": theirs[0].draft if theirs else InputDraft(),
                                 "version": theirs[0].version if theirs else None})
        return
    except AannemelijkError as exc:
        st.session_state[ERROR] = str(exc)
        return
    state.set_draft_entry(ref, draft, new_version, dt.datetime.now().strftime("%H:%M"),
                          bool(entry.get("submitted")))


def _on_change(user: User, ref: str, profile: Profile, r: Rubric) -> None:
    if state.conflict(ref) is not None:
        return  # the member first chooses between the two versions; the typed text stays in the widgets
    entry = state.draft_entry(ref) or {}
    _save(user, ref, _draft_from_widgets(profile, r, entry.get("draft") or InputDraft()), entry.get("version"))


def _on_status(user: User, ref: str, profile: Profile, r: Rubric, iid: str) -> None:
    """A status was chosen: save, and open the indicator's source and note so the member can add them."""
    if state.get(f"{K}{iid}.status"):
        st.session_state[f"{K}{iid}.details"] = True
    _on_change(user, ref, profile, r)


def _conflict(user: User, ref: str, c: dict[str, Any]) -> None:
    st.error(_("Someone else saved this input after you opened it. Nothing is lost: choose which version "
               "to keep."), icon=":material/sync_problem:")
    mine: InputDraft = c["mine"]
    theirs: InputDraft = c["theirs"]
    left, right = st.columns(2)
    for col, title, d in ((left, _("Your version"), mine), (right, _("Saved version"), theirs)):
        col.markdown(f"**{title}**")
        col.dataframe([{_("Indicator"): o.indicator, _("Status"): label("obs", o.status), _("Source"): o.source,
                        _("Note"): o.note} for o in d.observations], hide_index=True, width="stretch")
        col.caption(_("Overall view: {view}").format(view=label("view", d.overall_view)))
    b1, b2 = st.columns(2)
    if b1.button(_("Keep my version"), key="input.conflict.mine", type="primary"):
        state.set_conflict(ref, None)
        _save(user, ref, mine, c["version"])
        st.rerun()
    if b2.button(_("Take the saved version"), key="input.conflict.theirs"):
        state.set_conflict(ref, None)
        state.set_draft_entry(ref, theirs, c["version"], None)
        state.forget(K)
        st.rerun()


def _indicator(iid: str, r: Rubric, profile: Profile, disabled: bool, cb: tuple[Any, tuple[Any, ...]]) -> None:
    """One indicator: its name and strength, the status, and (once a status is set) source and note.

    Speed: Streamlit scans the whole session state for every radio and text field it draws, so a page of
    200 such fields costs time quadratic in their number. The status is therefore a segmented control
    (no such scan), and source and note are drawn only while the indicator's details are open (opened
    by choosing a status, or by the member); closed, they show as one line of text."""
    ind = r.indicator_by_id[iid]
    entry = profile.indicators[iid]
    tier = r.tier_by_id[entry.tier].name(state.lang()) if entry.tier else f"{entry.points} pt"  # type: ignore[arg-type]
    provisional = ind.provisional or entry.provisional or profile.provisional
    name = rubric_text(ind.name)
    head = f"**{name}** · _{tier}_" + (" · :orange[" + _("provisional") + "]" if provisional else "")
    status = state.get(f"{K}{iid}.status")
    opened = bool(status) and bool(state.get(f"{K}{iid}.details"))
    if status and not opened:  # closed details: source and note as one line of plain text under the name
        source, note = state.get(f"{K}{iid}.source") or "", state.get(f"{K}{iid}.note") or ""
        summary = " · ".join(x for x in (source, note) if x) or _("no source or note yet")
        head += "  \n:gray[" + _plain(summary) + "]"
    # one row of columns per indicator: columns are the costliest layout element on a page this long
    c1, c2, c3 = st.columns([6, 4, 2], vertical_alignment="center")
    c1.markdown(head, help=rubric_text(ind.help) if ind.help else None)
    c2.segmented_control(_("Status"), options("obs"), key=f"{K}{iid}.status", format_func=formatter("obs"),
                         label_visibility="collapsed", on_change=_on_status, args=(*cb[1], iid),
                         disabled=disabled)
    if not status:
        return
    c3.toggle(_("Source and note"), key=f"{K}{iid}.details")
    if not opened:
        return
    s1, s2 = st.columns([2, 3])
    s1.text_input(_("Source"), key=f"{K}{iid}.source", on_change=cb[0], args=cb[1], disabled=disabled,
                  placeholder=_("e.g. police report of 3 March"))
    s2.text_area(_("Note"), key=f"{K}{iid}.note", on_change=cb[0], args=cb[1], disabled=disabled, height=68)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _plain(text: str) -> str:
    """A member's text shown inside markdown as typed: every markdown character escaped (so a note can
    never become a link, an image fetched from elsewhere, or formatting)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


@dataclass(frozen=True)
class _Seen:
    """What the last full run of the page showed, so a dimension's own rerun knows what changed since."""

    version: int | None
    saved_at: str | None
    error: str | None


@st.fragment
def _dimension(user: User, ref: str, dim_id: str, iids: tuple[str, ...], r: Rubric, profile: Profile,
               submitted: bool, seen: _Seen) -> None:
    """One dimension's indicators and view, as a fragment: a change in it reruns only this dimension (a
    sixth of the page's widgets), not the whole page. What lives outside it (the conflict view, the error
    line, the submit button that the first save enables) gets a full rerun when it changed."""
    entry = state.draft_entry(ref) or {}
    if (state.conflict(ref) is not None or st.session_state.get(ERROR) != seen.error
            or (seen.version is None and entry.get("version") is not None)):
        st.rerun(scope="app")
    on_change = (_on_change, (user, ref, profile, r))
    dim = r.dimension_by_id[dim_id]
    with st.container(border=True):
        st.subheader(rubric_text(dim.name))
        for iid in iids:
            _indicator(iid, r, profile, submitted, on_change)
        v1, v2 = st.columns([1, 3])
        v1.selectbox(_("Your view on this dimension"), options("view"), key=f"{K}{dim.id}.view",
                     format_func=formatter("view"), index=None, on_change=on_change[0], args=on_change[1],
                     disabled=submitted, placeholder=_("Choose an option"))
        v2.text_area(_("Reasons"), key=f"{K}{dim.id}.reasons", on_change=on_change[0], args=on_change[1],
                     disabled=submitted, height=68)
        if entry.get("saved_at") and entry.get("saved_at") != seen.saved_at:  # saved since the page was drawn
            st.caption(_("Saved at {time}").format(time=entry["saved_at"]))


def main() -> None:
    user = current_user()
    st.title(_("Discipline input"))
    show_flash()
    ref = case_picker("pick.input", user, statuses=("assessment", "deliberation"))
    if ref is None:
        return
    if st.session_state.get("inputpage.ref") != ref:  # another case: its own widget values
        state.forget(K)
        st.session_state["inputpage.ref"] = ref
    try:
        case = services.get_case(state.store(), user, ref)
        r = rubric()
        profile = _profile(r, case)
        entry = _load(user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    seat = next((s for s in case.panel if s.username == user.username), None)
    if seat is not None and not seat.coi_declared_on:
        st.warning(_("Before you give input, declare that you were not otherwise involved in this case."))
        if st.button(_("I declare I have no conflict of interest"), key="input.declare"):
            try:
                services.declare_no_conflict(state.store(), user, ref, seat.discipline)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                st.rerun()
        return
    c = state.conflict(ref)
    if c is not None:
        _conflict(user, ref, c)
        return
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR], icon=":material/error:")
    submitted = bool(entry.get("submitted"))
    autosave_text_fields()
    status_line = st.empty()
    _seed(entry["draft"], profile, r)
    st.caption(rubric_text(profile.title) + " · " + rubric_text(r.title))
    on_change = (_on_change, (user, ref, profile, r))
    by_dim: dict[str, list[str]] = {}
    for iid in profile.indicators:
        by_dim.setdefault(r.indicator_by_id[iid].dimension, []).append(iid)
    seen = _Seen(version=entry.get("version"), saved_at=entry.get("saved_at"), error=st.session_state.get(ERROR))
    for dim in r.dimensions:
        if by_dim.get(dim.id):
            _dimension(user, ref, dim.id, tuple(by_dim[dim.id]), r, profile, submitted, seen)
    st.subheader(_("Overall view"))
    o1, o2 = st.columns(2)
    o1.selectbox(_("Overall view"), options("view"), key=K + "overall.view", format_func=formatter("view"),
                 index=None, on_change=on_change[0], args=on_change[1], disabled=submitted,
                 placeholder=_("Choose an option"))
    o2.selectbox(_("Confidence"), options("confidence"), key=K + "overall.confidence",
                 format_func=formatter("confidence"), index=None, on_change=on_change[0], args=on_change[1],
                 disabled=submitted, placeholder=_("Choose an option"))
    st.text_area(_("Reasons for the overall view"), key=K + "overall.reasons", on_change=on_change[0],
                 args=on_change[1], disabled=submitted)
    st.text_area(_("Inconsistencies (trauma, fear, language) and how you weighed them"),
                 key=K + "inconsistency_notes", on_change=on_change[0], args=on_change[1], disabled=submitted,
                 help=_("Inconsistencies never count against the applicant automatically."))
    entry = state.draft_entry(ref) or entry
    if entry.get("saved_at"):
        saved = _("Saved at {time}").format(time=entry["saved_at"])
        status_line.success(saved, icon=":material/cloud_done:")
        st.caption(saved)  # also beside the submit button, where the member is when they finish
    elif entry.get("version"):
        status_line.info(_("Draft loaded (version {v}).").format(v=entry["version"]))
    if submitted:
        st.success(_("Your input is submitted. You now see the other disciplines' input under Deliberation."))
        return
    if st.button(_("Submit input"), key="input.submit", type="primary", disabled=not entry.get("version")):
        try:
            version = services.submit_input(state.store(), user, ref, entry["version"])
        except ConflictError:
            st.error(_("Someone else saved this input meanwhile; reload the page to see it."))
            return
        except AannemelijkError as exc:
            show_error(exc)
            return
        state.set_draft_entry(ref, entry["draft"], version, entry.get("saved_at"), True)
        state.flash(_("Input submitted for {ref}.").format(ref=ref))
        st.rerun()


main()
