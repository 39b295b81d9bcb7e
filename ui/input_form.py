"""The discipline-input editor, shared by the panel's input page (ui/input.py) and the trainee's page
(ui/training_trainee.py), so a trainee assesses a case in the very screen the panel uses (issue #7).

The editor draws the rubric profile's indicators grouped by dimension (present / absent / unknown, source,
note), the view per dimension and the overall view with confidence. It owns no storage: the page gives an
`Editor` with a widget key prefix, the name of its draft entry in session state, and two callbacks (save a
draft with the version last seen; read the stored draft after a refused save).

Never lose a word: every change is saved by its widget's on_change callback with the version the user
last saw; the draft in session state is updated only after a save succeeded, and a refused save
(someone else saved first) keeps both versions until the user chooses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import DimensionView, InputDraft, ObservationInput
from assessment.rubric import Profile, Rubric
from ui import limits, session, state
from ui.boundary import safe
from ui.i18n import _, choose_one
from ui.labels import formatter, label, options
from ui.session import guarded
from ui.text import md_escape
from ui.widgets import rubric_plain, rubric_text


@dataclass(frozen=True)
class Editor:
    """Where one editor keeps its values and how it saves them."""

    prefix: str  # widget keys: f"{prefix}{indicator}.status", f"{prefix}overall.view", ...
    entry: str  # the draft entry's name for state.draft_entry / state.set_draft_entry / state.conflict
    error_key: str  # not a widget key: survives Streamlit's widget clean-up
    save: Callable[[InputDraft, int | None], int]  # store a draft (expected version); returns the new version
    stored: Callable[[], tuple[InputDraft, int | None]]  # the stored draft and version (after a refused save)


def _by_indicator(draft: InputDraft) -> dict[str, ObservationInput]:
    """A draft's observations by indicator id."""
    return {o.indicator: o for o in draft.observations}


def _seed_dimension(ed: Editor, draft: InputDraft, dim_id: str, iids: tuple[str, ...], reopened: bool) -> None:
    """Give one dimension's widgets their saved value when they have none, or all of them when the dimension
    is opened again (closing saved what it showed; a value left in session state from before may be older)."""
    k = ed.prefix
    obs = _by_indicator(draft)
    put = state.put if reopened else state.widget
    for iid in iids:
        o = obs.get(iid)
        put(f"{k}{iid}.status", o.status if o else None)
        put(f"{k}{iid}.source", o.source if o else "")
        put(f"{k}{iid}.note", o.note if o else "")
    v = next((v for v in draft.dimension_views if v.dimension == dim_id), None)
    put(f"{k}{dim_id}.view", v.view if v else None)
    put(f"{k}{dim_id}.reasons", v.reasons if v else "")


def _dimension_keys(ed: Editor, dim_id: str, iids: Iterable[str]) -> list[str]:
    """The session-state keys of one dimension's widgets."""
    k = ed.prefix
    return [f"{k}{iid}.{part}" for iid in iids for part in ("status", "source", "note", "details")] + [
        f"{k}{dim_id}.view", f"{k}{dim_id}.reasons"]


def _seed_overall(ed: Editor, draft: InputDraft) -> None:
    k = ed.prefix
    state.widget(k + "overall.view", draft.overall_view)
    state.widget(k + "overall.confidence", draft.confidence)
    state.widget(k + "overall.reasons", draft.overall_reasons)
    state.widget(k + "inconsistency_notes", draft.inconsistency_notes)


def _status(ed: Editor, iid: str, saved: dict[str, ObservationInput]) -> str | None:
    """An indicator's status as its widget shows it, or as saved while its dimension is closed (not drawn)."""
    key = f"{ed.prefix}{iid}.status"
    if state.has(key):
        return state.get(key)
    o = saved.get(iid)
    return o.status if o is not None else None


def draft_from_widgets(ed: Editor, profile: Profile, r: Rubric, saved: InputDraft) -> InputDraft:
    """The draft as the widgets show it. A widget not drawn in the last run (a closed dimension, a closed
    source/note) may have no value in session state: its saved value then stands, so hiding a field never
    drops text."""
    k = ed.prefix
    kept: dict[str, Any] = dict(_by_indicator(saved))
    kept_views: dict[str, Any] = {v.dimension: v for v in saved.dimension_views}

    def g(key: str, item: str | None = None, attr: str = "", from_: dict[str, Any] = kept) -> Any:
        if state.has(key) or item is None:
            return state.get(key)
        o = from_.get(item)
        return getattr(o, attr) if o is not None else None

    observations = [
        ObservationInput(indicator=iid, status=g(f"{k}{iid}.status", iid, "status"),
                         source=g(f"{k}{iid}.source", iid, "source") or "",
                         note=g(f"{k}{iid}.note", iid, "note") or "")
        for iid in profile.indicators if g(f"{k}{iid}.status", iid, "status")
    ]
    views = [DimensionView(dimension=d.id, view=g(f"{k}{d.id}.view", d.id, "view", kept_views),
                           reasons=g(f"{k}{d.id}.reasons", d.id, "reasons", kept_views) or "")
             for d in r.dimensions if g(f"{k}{d.id}.view", d.id, "view", kept_views)]
    return InputDraft(observations=observations, dimension_views=views, overall_view=g(k + "overall.view"),
                      confidence=g(k + "overall.confidence"), overall_reasons=g(k + "overall.reasons") or "",
                      inconsistency_notes=g(k + "inconsistency_notes") or "")


def _widget_values(ed: Editor, draft: InputDraft, shown: InputDraft) -> dict[str, Any]:
    """The widget values that show `draft`, for every item of it or of the draft the widgets showed."""
    k = ed.prefix
    obs = _by_indicator(draft)
    views = {v.dimension: v for v in draft.dimension_views}
    values: dict[str, Any] = {}
    for iid in dict.fromkeys([*obs, *(o.indicator for o in shown.observations)]):
        o = obs.get(iid)
        values |= {f"{k}{iid}.status": o.status if o else None, f"{k}{iid}.source": o.source if o else "",
                   f"{k}{iid}.note": o.note if o else ""}
    for dim in dict.fromkeys([*views, *(v.dimension for v in shown.dimension_views)]):
        v = views.get(dim)
        values |= {f"{k}{dim}.view": v.view if v else None, f"{k}{dim}.reasons": v.reasons if v else ""}
    return values | {k + "overall.view": draft.overall_view, k + "overall.confidence": draft.confidence,
                     k + "overall.reasons": draft.overall_reasons, k + "inconsistency_notes": draft.inconsistency_notes}


def save(ed: Editor, draft: InputDraft, version: int | None) -> None:
    """Save one draft with the version the user last saw. When another window saved first, the two are
    merged per indicator against the version both started from and the merge is saved; only a clash (both
    changed the same indicator or value differently) is kept for the user to decide."""
    state.pop(ed.error_key)
    entry = state.draft_entry(ed.entry) or {}
    base: InputDraft = entry.get("draft") or InputDraft()
    mine = draft
    try:
        outcome = services.save_merging(ed.save, ed.stored, base, mine, version)
    except AannemelijkError as exc:
        state.put(ed.error_key, exc.text(state.lang()))
        return
    if outcome.clash is not None:
        state.set_conflict(ed.entry, {"merge": outcome.clash, "mine": mine, "theirs": outcome.theirs,
                                      "version": outcome.theirs_version})
        return
    if outcome.version is None:
        state.put(ed.error_key, _("Not saved: this input keeps being saved elsewhere. Your text stays in the "
                                  "fields; try again."))
        return
    draft, new_version = outcome.draft, outcome.version
    if draft is not mine:  # merged with another window's save: show the merge in the fields
        state.reset(_widget_values(ed, draft, mine))
        state.flash(_("This input was also saved in another window; both versions were merged, nothing was "
                      "lost."), "info")
    state.set_draft_entry(ed.entry, draft, new_version, dt.datetime.now().strftime("%H:%M"),
                          bool(entry.get("submitted")))


@guarded
@safe
def _on_change(ed: Editor, profile: Profile, r: Rubric) -> None:
    if state.conflict(ed.entry) is not None:
        return  # the user first chooses between the two versions; the typed text stays in the widgets
    entry = state.draft_entry(ed.entry) or {}
    try:
        draft = draft_from_widgets(ed, profile, r, entry.get("draft") or InputDraft())
    except PydanticValidationError as exc:  # a text over its limit (the field refuses it; a client may not)
        limit = next((e.get("ctx", {}).get("max_length") for e in exc.errors() if e.get("ctx")), None)
        state.put(ed.error_key, _("Not saved: a text is longer than its limit of {n} characters. Shorten it; "
                                  "your text stays in the field.").format(n=limits.number(limit or limits.LONG)))
        return
    save(ed, draft, entry.get("version"))


@guarded
@safe
def _on_status(ed: Editor, profile: Profile, r: Rubric, iid: str) -> None:
    """A status was chosen: save, and open the indicator's source and note so the user can add them."""
    if state.get(f"{ed.prefix}{iid}.status"):
        state.put(f"{ed.prefix}{iid}.details", True)
    _on_change(ed, profile, r)


@guarded
@safe
def _on_rest_unknown(ed: Editor, profile: Profile, r: Rubric) -> None:
    """Every indicator not yet rated becomes unknown (rated ones stay as they are), saved as one change."""
    if state.conflict(ed.entry) is not None:
        return
    saved = _by_indicator((state.draft_entry(ed.entry) or {}).get("draft") or InputDraft())
    statuses = {iid: _status(ed, iid, saved) for iid in profile.indicators}  # closed dimensions: as saved
    for iid, status in services.rest_unknown(profile, statuses).items():
        state.put(f"{ed.prefix}{iid}.status", status)
    _on_change(ed, profile, r)


@guarded
@safe
def _on_fold(ed: Editor, profile: Profile, r: Rubric, dim_id: str) -> None:
    """A dimension was opened or closed. Closed, its widgets are no longer drawn and leave session state: what
    they show is saved first, and when that save fails (an error, a clash) the dimension stays open, so an
    edit is never lost by closing it."""
    open_key = f"{ed.prefix}{dim_id}.open"
    if state.get(open_key):
        return  # opened: its widgets take their saved values when drawn
    entry = state.draft_entry(ed.entry) or {}
    saved = entry.get("draft") or InputDraft()
    try:
        unchanged = draft_from_widgets(ed, profile, r, saved) == saved
    except PydanticValidationError:
        unchanged = False  # a text over its limit: _on_change says so, and the dimension stays open
    if not unchanged:
        _on_change(ed, profile, r)
    if state.conflict(ed.entry) is not None or state.get(ed.error_key) is not None:
        state.put(open_key, True)
        return
    # saved: its widgets are not drawn while it is closed, and what they leave in session state must not stand
    # in for the saved values (a later save elsewhere reads the saved draft for them)
    for key in _dimension_keys(ed, dim_id, (i for i in profile.indicators if r.indicator_by_id[i].dimension == dim_id)):
        state.pop(key)


def _clash_text(r: Rubric, clash: Any, value: Any) -> str:
    """One side of a clash in words: the status, view or value with its source, note or reasons."""
    if value is None:
        return _("(removed)")
    if isinstance(value, ObservationInput):
        return " · ".join(x for x in (label("obs", value.status), value.source, value.note) if x)
    if isinstance(value, DimensionView):
        return " · ".join(x for x in (label("view", value.view), value.reasons) if x)
    name = clash.item.removeprefix("overall.")
    if name in ("overall_view", "confidence"):
        return label("view" if name == "overall_view" else "confidence", value)
    return str(value)


def _clash_name(r: Rubric, item: str) -> str:
    if item.startswith("view:"):
        return _("Your view on this dimension") + ": " + rubric_plain(r.dimension_by_id[item[5:]].name)
    names = {"overall.overall_view": _("Overall view"), "overall.confidence": _("Confidence"),
             "overall.overall_reasons": _("Reasons for the overall view"),
             "overall.inconsistency_notes": _("Inconsistencies (trauma, fear, language) and how you weighed them")}
    if item in names:
        return names[item]
    return rubric_plain(r.indicator_by_id[item].name) if item in r.indicator_by_id else item


def conflict_view(ed: Editor, c: dict[str, Any]) -> None:
    """After a refused save: everything only one window changed is already merged; each item both changed
    differently is shown with both values, and the user picks one per item."""
    from ui.widgets import rubric

    r = rubric()
    merge = c["merge"]
    st.error(_("This input was also saved in another window. Everything only one of you changed is kept; "
               "for the items below both versions differ: choose per item which to keep."),
             icon=":material/sync_problem:")
    choices: dict[str, str] = {}
    for i, clash in enumerate(merge.clashes):
        with st.container(border=True):
            st.markdown("**" + md_escape(_clash_name(r, clash.item)) + "**")
            mine_text, theirs_text = _clash_text(r, clash, clash.mine), _clash_text(r, clash, clash.theirs)
            sides = {"mine": _("This window: {value}").format(value=mine_text),
                     "theirs": _("Other window: {value}").format(value=theirs_text)}
            # No side is preselected: keeping either one drops the other's value, so the user must choose.
            choice = st.radio(_("Keep"), list(sides), key=f"{ed.prefix}conflict.{i}", horizontal=True,
                              format_func=sides.__getitem__, index=None)
            if choice is not None:
                choices[clash.item] = str(choice)
    undecided = len(merge.clashes) - len(choices)
    if undecided:
        st.caption(_("Choose a version for every item above; {n} still to choose.").format(n=undecided))
    if st.button(_("Save with these choices"), key=ed.prefix + "conflict.save", type="primary",
                 disabled=bool(undecided)):
        resolved = merge.resolved(choices)
        state.set_conflict(ed.entry, None)
        entry = state.draft_entry(ed.entry) or {}
        state.set_draft_entry(ed.entry, c["theirs"], c["version"], entry.get("saved_at"),
                              bool(entry.get("submitted")))
        state.reset(_widget_values(ed, resolved, c["mine"]))
        save(ed, resolved, c["version"])
        st.rerun()


def _indicator(ed: Editor, iid: str, r: Rubric, profile: Profile, disabled: bool) -> None:
    """One indicator: its name and strength, the status, and (once a status is set) source and note.

    Speed: Streamlit scans the whole session state for every radio and text field it draws, so a page of
    200 such fields costs time quadratic in their number. The status is therefore a segmented control
    (no such scan), and source and note are drawn only while the indicator's details are open (opened
    by choosing a status, or by the user); closed, they show as one line of text."""
    k = ed.prefix
    ind = r.indicator_by_id[iid]
    entry = profile.indicators[iid]
    tier = rubric_text(r.tier_by_id[entry.tier].name) if entry.tier else f"{entry.points} pt"
    provisional = r.provisional(profile, iid)
    name = rubric_text(ind.name)
    head = f"**{name}** · _{tier}_" + (" · :orange[" + _("provisional") + "]" if provisional else "")
    status = state.get(f"{k}{iid}.status")
    opened = bool(status) and bool(state.get(f"{k}{iid}.details"))
    if status and not opened:  # closed details: source and note as one line of plain text under the name
        source, note = state.get(f"{k}{iid}.source") or "", state.get(f"{k}{iid}.note") or ""
        summary = " · ".join(x for x in (source, note) if x) or _("no source or note yet")
        head += "  \n:gray[" + md_escape(summary) + "]"
    # one row per indicator, a flex row rather than columns (columns are the costliest layout element, and
    # fixed shares cut the status's "not applicable" and the toggle's label off on a narrow screen): the name
    # takes what the toggle and status leave, and they go to the next line when the name is too long for that
    # (a container of its own would wrap its words and align every status, but costs 13 ms a rerun for the
    # largest dimension, a quarter of the target). The status comes last, so it stays in place when the
    # toggle appears beside it.
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    row.markdown(head, help=rubric_text(ind.help) if ind.help else None, width="stretch")
    if status:
        row.toggle(_("Source and note"), key=f"{k}{iid}.details", width="content")
    row.segmented_control(_("Status"), options("obs"), key=f"{k}{iid}.status", format_func=formatter("obs"),
                          label_visibility="collapsed", on_change=_on_status, args=(ed, profile, r, iid),
                          disabled=disabled, width="content")
    if not status:
        return
    if not opened:
        return
    s1, s2 = st.columns([2, 3])
    s1.text_input(_("Source"), key=f"{k}{iid}.source", on_change=_on_change, args=(ed, profile, r),
                  disabled=disabled, placeholder=_("e.g. police report of 3 March"), max_chars=limits.SOURCE)
    s2.text_area(_("Note"), key=f"{k}{iid}.note", on_change=_on_change, args=(ed, profile, r), disabled=disabled,
                 height=68, max_chars=limits.LONG)
    with s1:
        limits.at_limit(f"{k}{iid}.source", limits.SOURCE)
    with s2:
        limits.at_limit(f"{k}{iid}.note", limits.LONG)


def anchor(dim_id: str) -> str:
    """The address of a dimension's section on the page (for the jump links of the progress overview)."""
    return "section-" + dim_id.replace("_", "-")


@dataclass(frozen=True)
class _Seen:
    """What the last full run of the page showed, so a dimension's own rerun knows what changed since."""

    version: int | None
    saved_at: str | None
    error: str | None


def _error_line(ed: Editor) -> str | None:
    """The error line the page shows above the sections; a section compares it with what the page last showed
    and never draws it (the page does, escaped)."""
    return state.get(ed.error_key)


def _section_run(ed: Editor, seen: _Seen) -> dict[str, Any]:
    """In a section's fragment, after its session check: the draft entry. When what lives outside the section
    changed (a clash to resolve, the error line, the submit button that the first save enables, the save-state
    line that said "draft loaded"), the whole page runs instead."""
    entry = state.draft_entry(ed.entry) or {}
    if (state.conflict(ed.entry) is not None or _error_line(ed) != seen.error
            or (seen.version is None and entry.get("version") is not None)
            or (seen.saved_at is None and entry.get("saved_at") is not None)):  # the page's line: "saved", not "loaded"
        st.rerun(scope="app")
    return entry


def _saved_since(entry: dict[str, Any], seen: _Seen) -> None:
    """Last in a section's fragment: a save since the page was drawn shows under the section (the page's own
    save-state line is drawn by full runs only: a fragment may write outside itself only where it wrote in the
    last full run)."""
    if entry.get("saved_at") and entry.get("saved_at") != seen.saved_at:
        st.caption(_("Saved at {time}").format(time=entry["saved_at"]))


@st.fragment
def _dimension(ed: Editor, dim_id: str, iids: tuple[str, ...], r: Rubric, profile: Profile, submitted: bool,
               seen: _Seen, nav: Any, first_open: bool) -> None:
    """One dimension's indicators and view, as a fragment: a change in it reruns only this dimension, not the
    whole page. What lives outside it (the conflict view, the error line, the submit button that the first
    save enables) gets a full rerun when it changed.

    Speed: only an open dimension draws its widgets (Streamlit sends and the browser redraws every element of
    a run, and a full rubric has 80 indicators); closed, it shows its heading and progress. On the first
    visit the first dimension with an indicator still to rate is open (`first_open`)."""
    if not session.fragment_holds():  # a fragment rerun skips the page: check the session here too
        return
    entry = _section_run(ed, seen)
    k = ed.prefix
    args = (ed, profile, r)
    dim = r.dimension_by_id[dim_id]
    saved: InputDraft = entry.get("draft") or InputDraft()
    heading = rubric_text(dim.name)  # escaped for Markdown already
    # the progress line in the overview above (a container outside this fragment: its line is redrawn with
    # each rerun of this dimension, so the count follows every status chosen here)
    kept = _by_indicator(saved)
    statuses = {iid: _status(ed, iid, kept) for iid in iids}
    p = next(x for x in services.rating_progress(r, profile, statuses) if x.dimension == dim_id)
    count = _("{rated} of {total} rated").format(rated=p.rated, total=p.total)
    nav.markdown(f"[{heading}](#{anchor(dim_id)}) · " + (f":green[{count}]" if p.rated == p.total else count))
    open_key = f"{k}{dim_id}.open"
    # which dimensions are open is kept outside the widgets too: an expander not drawn (behind the conflict
    # view, on another page) loses its state, and the member finds the dimensions as they left them
    folds: dict[str, bool] = state.get(k + "folds") or {}
    state.widget(open_key, folds.get(dim_id, first_open))
    with st.container(border=True, key=f"{k}{dim_id}.section"):
        st.subheader(heading, anchor=anchor(dim_id))  # outside the expander: a jump link always lands on it
        st.caption(count)
        # collapsible: a member folds away what is done (its controls then leave the Tab order, and the page)
        fold = st.expander(_("Indicators and your view"), key=open_key, on_change=_on_fold,
                           args=(ed, profile, r, dim_id))
        if folds.get(dim_id) != bool(fold.open):
            state.put(k + "folds", folds | {dim_id: bool(fold.open)})
        if fold.open:
            _seed_dimension(ed, saved, dim_id, iids, reopened=folds.get(dim_id) is False)
            with fold:
                for iid in iids:
                    _indicator(ed, iid, r, profile, submitted)
                v1, v2 = st.columns([2, 3])
                v1.selectbox(_("Your view on this dimension"), options("view"), key=f"{k}{dim.id}.view",
                             format_func=formatter("view"), index=None, on_change=_on_change, args=args,
                             disabled=submitted, placeholder=choose_one())
                v2.text_area(_("Reasons"), key=f"{k}{dim.id}.reasons", on_change=_on_change, args=args,
                             disabled=submitted, height=68, max_chars=limits.LONG)
                with v2:
                    limits.at_limit(f"{k}{dim.id}.reasons", limits.LONG)
        _saved_since(entry, seen)


@st.fragment
def _overall(ed: Editor, r: Rubric, profile: Profile, submitted: bool, seen: _Seen) -> None:
    """The overall view, confidence and reasons, as a fragment like each dimension: saving a note here
    reruns these four fields, not the page (whose full run a browser takes most of a second to redraw)."""
    if not session.fragment_holds():  # a fragment rerun skips the page: check the session here too
        return
    entry = _section_run(ed, seen)
    k = ed.prefix
    args = (ed, profile, r)
    st.subheader(_("Overall view"))
    o1, o2 = st.columns(2)
    o1.selectbox(_("Overall view"), options("view"), key=k + "overall.view", format_func=formatter("view"),
                 index=None, on_change=_on_change, args=args, disabled=submitted,
                 placeholder=choose_one())
    o2.selectbox(_("Confidence"), options("confidence"), key=k + "overall.confidence",
                 format_func=formatter("confidence"), index=None, on_change=_on_change, args=args,
                 disabled=submitted, placeholder=choose_one())
    st.text_area(_("Reasons for the overall view"), key=k + "overall.reasons", on_change=_on_change, args=args,
                 disabled=submitted, max_chars=limits.LONG)
    limits.at_limit(k + "overall.reasons", limits.LONG)
    st.text_area(_("Inconsistencies (trauma, fear, language) and how you weighed them"),
                 key=k + "inconsistency_notes", on_change=_on_change, args=args, disabled=submitted,
                 help=_("Inconsistencies never count against the applicant automatically."), max_chars=limits.LONG)
    limits.at_limit(k + "inconsistency_notes", limits.LONG)
    _saved_since(entry, seen)


def form(ed: Editor, r: Rubric, profile: Profile, submitted: bool) -> None:
    """The editor itself: the profile's indicators per dimension, then the overall view, confidence and
    reasons. Every widget saves through `ed` when it changes; `submitted` shows it read-only."""
    entry = state.draft_entry(ed.entry) or {}
    saved: InputDraft = entry.get("draft") or InputDraft()
    _seed_overall(ed, saved)  # each dimension seeds its own widgets when it is drawn open
    st.caption(rubric_text(profile.title) + " · " + rubric_text(r.title))
    k = ed.prefix
    args = (ed, profile, r)
    by_dim: dict[str, list[str]] = {}
    for iid in profile.indicators:
        by_dim.setdefault(r.indicator_by_id[iid].dimension, []).append(iid)
    seen = _Seen(version=entry.get("version"), saved_at=entry.get("saved_at"),
                 error=_error_line(ed))
    st.button(_("Rest unknown"), key=k + "rest_unknown", on_click=_on_rest_unknown, args=args, disabled=submitted,
              help=_("Sets every indicator you have not rated yet to unknown; your ratings stay as they are."))
    nav = st.container(border=True, key=k + "progress")
    nav.markdown("**" + _("Progress per section") + "** · " + _("choose a section to go to it"))
    first_open = None
    if not all(state.has(f"{k}{d}.open") for d in by_dim):  # first visit: open the first dimension still to rate
        kept = _by_indicator(saved)
        first_open = next((d.id for d in r.dimensions if any(not _status(ed, i, kept) for i in by_dim.get(d.id, ()))),
                          None)
    for dim in r.dimensions:
        if by_dim.get(dim.id):
            _dimension(ed, dim.id, tuple(by_dim[dim.id]), r, profile, submitted, seen, nav, dim.id == first_open)
    _overall(ed, r, profile, submitted, seen)
