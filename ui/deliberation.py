"""Deliberation: the consolidated rubric result with its explanation, each discipline's own result side by
side, contested indicators, the unknown indicators that could change the outcome, and the disclaimer.
The chair opens deliberation; members see this only after submitting their own input."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError, LifecycleError
from assessment.model import User
from assessment.rubric import Rubric
from assessment.scoring import RubricResult
from ui import state
from ui.i18n import _
from ui.labels import label
from ui.text import md_escape
from ui.widgets import case_picker, current_user, disclaimer, rubric, rubric_plain, rubric_text, show_error, show_flash


def _order(discipline: str) -> int:
    ids = services.discipline_ids()
    return ids.index(discipline) if discipline in ids else len(ids)


def _name(r: Rubric, iid: str) -> str:
    ind = r.indicator_by_id.get(iid)
    return rubric_text(ind.name) if ind else iid


def outcome_banner(r: Rubric, result: RubricResult) -> None:
    """The rubric's outcome, and its range when unknown indicators could still change it."""
    text = _("Rubric result: {outcome}").format(outcome=md_escape(r.outcome_label(result.outcome, state.lang())))  # type: ignore[arg-type]
    low, high = result.outcome_range
    if low != high:
        text += " · " + _("could still be {low} to {high}").format(
            low=md_escape(r.outcome_label(low, state.lang())), high=md_escape(r.outcome_label(high, state.lang())))  # type: ignore[arg-type]
    (st.success if result.outcome == "plausible" else st.warning if result.outcome == "undetermined"
     else st.info)(text, icon=":material/balance:")


def explanation(r: Rubric, result: RubricResult) -> None:
    st.subheader(_("Per dimension"))
    for item in result.explanation():
        dim = r.dimension_by_id[item["dimension"]]
        with st.container(border=True):
            rule_met = _("rule met")
            met = md_escape(services.met_text(r, result, dim.id, state.lang()))  # type: ignore[arg-type]
            st.markdown(f"**{rubric_text(dim.name)}** — {label('dim_status', item['status'])}"
                        + (f" · {rule_met}: {met}" if met else ""))
            for p in item["present"]:
                tier = rubric_text(r.tier_by_id[p["tier"]].name) if p["tier"] else ""
                mark = " :red[" + _("contested") + "]" if p["contested"] else ""
                said = md_escape("; ".join(p["sources"]))
                from_word = _("source")
                st.markdown(f"- {_name(r, p['indicator'])} · _{tier}_ · "
                            f"{', '.join(label('discipline', d) for d in p['disciplines'])}"
                            + (f" · {from_word}: {said}" if said else "") + mark)
            if item["unknown"]:
                st.caption(_("Unknown: {names}").format(names="; ".join(_name(r, i) for i in item["unknown"])))


def side_by_side(r: Rubric, result: RubricResult) -> None:
    st.subheader(_("Each discipline's own result"))
    if not result.per_discipline:
        st.caption(_("No submitted input yet."))
        return
    per = sorted(result.per_discipline.items(), key=lambda kv: _order(kv[0]))
    rows = []
    for dim in r.dimensions:
        if dim.id not in result.dimensions:
            continue
        row = {_("Dimension"): rubric_plain(dim.name)}  # a table cell: never Markdown
        for d, res in per:
            row[label("discipline", d)] = label("dim_status", res.dimensions.get(dim.id))
        rows.append(row)
    rows.append({_("Dimension"): _("Outcome"), **{label("discipline", d): r.outcome_label(res.outcome, state.lang())  # type: ignore[arg-type]
                                                 for d, res in per}})
    st.dataframe(rows, hide_index=True, width="stretch")


def contested(r: Rubric, result: RubricResult) -> None:
    st.subheader(_("Contested indicators"))
    if not result.contested:
        st.caption(_("The disciplines do not disagree on any indicator."))
        return
    for iid in result.contested:
        said = ", ".join(f"{label('discipline', e.discipline)}: {label('obs', e.status)}"
                         for e in sorted(result.indicators[iid].evidence, key=lambda e: _order(e.discipline)))
        st.error(f"{_name(r, iid)} — {said}", icon=":material/compare_arrows:")


def could_change(r: Rubric, result: RubricResult) -> None:
    """What could still change the result: per element (or per dimension) the shortest additions, not a list
    of every unknown indicator."""
    lang = state.lang()
    if result.elements:
        st.subheader(_("Per element"))
        for element in result.elements.values():
            defn = r.element_by_id[element.id]
            with st.container(border=True):
                st.markdown(f"**{rubric_text(defn.name)}** — {label('element_status', element.status)}")
                st.caption(rubric_text(defn.basis))
                routes = [md_escape(x) for x in services.element_routes(r, element, lang)]  # type: ignore[arg-type]
                if routes:
                    st.markdown(_("Still needed, one of:") + "\n" + "\n".join(f"- {x}" for x in routes))
        return
    st.subheader(_("What could change the outcome"))
    routes = [md_escape(x) for x in services.outcome_routes(r, result, lang)]  # type: ignore[arg-type]
    if routes:
        st.markdown(_("Still needed, one of:") + "\n" + "\n".join(f"- {x}" for x in routes))
    elif result.could_change:  # a points outcome: the single indicators that could tip it
        for iid in result.could_change:
            st.markdown(f"- {_name(r, iid)}")
    else:
        st.caption(_("No unknown indicator could change the outcome."))


def views(user: User, ref: str) -> None:
    inputs = services.get_inputs(state.store(), user, ref)
    if not inputs:
        return
    st.subheader(_("Views of the disciplines"))
    st.dataframe([{_("Discipline"): label("discipline", i.discipline),
                   _("Submitted"): _("yes") if i.submitted else _("no"),
                   _("Overall view"): label("view", i.draft.overall_view),
                   _("Confidence"): label("confidence", i.draft.confidence),
                   _("Reasons"): _("(withheld)") if i.notes_hidden else i.draft.overall_reasons}
                  for i in inputs], hide_index=True, width="stretch")


def main() -> None:
    user = current_user()
    st.title(_("Deliberation"))
    show_flash()
    ref = case_picker("pick.deliberation", user, statuses=("assessment", "deliberation", "decided"))
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
        r = rubric()
    except AannemelijkError as exc:
        show_error(exc)
        return
    if case.status == "assessment" and services.may(user, "deliberation.open", case):
        st.info(_("Deliberation is not open yet. Opening it shows every member all submitted input."))
        if st.button(_("Open deliberation"), key="deliberation.open", type="primary"):
            try:
                services.open_deliberation(state.store(), user, ref, case.version)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.flash(_("Deliberation opened for {ref}.").format(ref=ref))
                st.rerun()
    try:
        result = services.deliberation_view(state.store(), user, ref, r)
    except LifecycleError as exc:  # blind until submitted: a normal state, not a failure
        st.info(md_escape(exc.text(state.lang()), lines=True), icon=":material/visibility_off:")
        return
    except AannemelijkError as exc:
        show_error(exc)
        return
    disclaimer(r)
    outcome_banner(r, result)
    st.caption(f"{rubric_text(r.title)} · {md_escape(r.version)} · {rubric_text(r.profile(result.profile).title)}")
    contested(r, result)
    could_change(r, result)
    side_by_side(r, result)
    explanation(r, result)
    views(user, ref)


main()
