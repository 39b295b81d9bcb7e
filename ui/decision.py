"""Decision: outcome, reasons per dimension, override reasons when departing from the rubric, dissent,
and the quorum check with a clear message of what is missing. Also reopening a decided case.

Never lose a word: every change is saved as the chair's draft decision (services.save_decision_draft) by
the widget's on_change callback, so a reload, or reopening the case later, brings the form back as typed
(after a reopening: as the voided decision had it)."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import CaseView, DecisionDraft, Dissent, User
from assessment.rubric import Rubric
from assessment.scoring import RubricResult
from ui import field_errors, limits, state
from ui.boundary import safe
from ui.i18n import N_, _, choose_one
from ui.labels import day, formatter, label, options
from ui.session import guarded
from ui.text import md_escape, user_text
from ui.widgets import case_picker, current_user, disclaimer, rubric, rubric_plain, rubric_text, show_error, show_flash


def quorum(user: User, case: CaseView) -> bool:
    """Show whether enough disciplines submitted; name what is missing. True when there is quorum."""
    q = services.quorum(state.store(), user, case.ref)
    if q.met:
        st.success(_("Quorum: {n} of at least {need} disciplines submitted ({names}).").format(
            n=len(q.submitted), need=q.needed, names=", ".join(label("discipline", d) for d in q.submitted)))
        return True
    missing = [(d, _("draft, not submitted") if draft else _("no input yet")) for d, draft in q.missing]
    st.error(_("No quorum yet: {n} of at least {need} disciplines submitted. Missing: {missing}.").format(
        n=len(q.submitted), need=q.needed,
        missing="; ".join(f"{label('discipline', d)} ({why})" for d, why in missing) or _("more panel members")),
        icon=":material/groups:")
    return False


def decided(user: User, case: CaseView) -> None:
    d = case.decision
    assert d is not None
    people = services.display_names(state.store(), [d.decided_by, *(x.username for x in d.dissents)])
    st.success(_("Decided: {outcome} (rubric: {rubric}) by {who} on {at}.").format(
        outcome=label("outcome", d.outcome), rubric=label("conclusion", d.rubric_outcome),
        who=md_escape(people[d.decided_by]), at=day(dt.datetime.fromisoformat(d.decided_at).date())))
    r = rubric()
    names = {dim.id: rubric_plain(dim.name) for dim in r.dimensions} | {  # table cells: never Markdown
        e.id: rubric_plain(e.name) for e in r.elements}
    if d.findings:  # the finding per element at a glance; its reasons in full below, in the same order
        st.markdown("**" + _("The panel's finding per element") + "**")
        st.dataframe([{_("Element"): names.get(key, key), _("Finding"): label("finding", finding)}
                      for key, finding in d.findings.items()],
                     hide_index=True, width="stretch", key="decision.findings")
    order = [*d.findings, *(k for k in d.reasons if k not in d.findings and k != "overall"), "overall"]
    for key in order:
        if d.reasons.get(key):
            user_text(d.reasons[key],  # a caption is Markdown: the rubric's name escaped
                      label=_(FIELDS["reasons"]) if key == "overall" else md_escape(names.get(key, key)))
    if d.override_reason:
        st.warning(_("Departs from the rubric because: {reason}").format(reason=md_escape(d.override_reason)))
    for x in d.dissents:
        st.info(_("Dissent of {who}: {text}").format(who=md_escape(people[x.username]), text=md_escape(x.text)))
    with st.expander(_("Reopen this case")):
        st.text_area(_("Reason for reopening"), key="reopen.reason", max_chars=limits.LONG)
        if st.button(_("Reopen"), key="reopen.submit"):
            try:
                services.reopen_case(state.store(), user, case.ref, state.get("reopen.reason") or "", case.version)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.forget("decision.")  # the form is seeded afresh from the draft the reopening left
                state.flash(_("Case {ref} reopened.").format(ref=case.ref))
                st.rerun()


LOADED, VERSION, ERROR = "decision.loaded", "decision.draft_version", "decision.draft_error"


def _seed(user: User, case: CaseView, assessed: dict[str, str]) -> None:
    """Fill the form once per case from the stored draft (empty if none): the widgets own the values after."""
    if state.get(LOADED) == case.ref:
        return
    state.forget("decision.")
    draft, version = services.decision_draft(state.store(), user, case.ref)
    state.put("decision.outcome", draft.outcome)
    for part, suggested in assessed.items():
        state.put(f"decision.finding.{part}", draft.findings.get(part, suggested))
        state.put(f"decision.reason.{part}", draft.reasons.get(part, ""))
    state.put("decision.reason.overall", draft.reasons.get("overall", ""))
    state.put("decision.override", draft.override_reason)
    for seat in case.panel:
        state.put(f"decision.dissent.{seat.username}", draft.dissents.get(seat.username, ""))
    state.put(VERSION, version)
    state.put(LOADED, case.ref)


def _typed(case: CaseView, assessed: dict[str, str]) -> DecisionDraft:
    reasons = {part: state.get(f"decision.reason.{part}") or "" for part in [*assessed, "overall"]}
    return DecisionDraft(
        outcome=state.get("decision.outcome"),
        findings={part: state.get(f"decision.finding.{part}") or suggested for part, suggested in assessed.items()},
        reasons={k: v for k, v in reasons.items() if v}, override_reason=state.get("decision.override") or "",
        dissents={s.username: text for s in case.panel if (text := state.get(f"decision.dissent.{s.username}") or "")})


@guarded
def _save(user: User, case: CaseView, assessed: dict[str, str]) -> None:
    """on_change of every widget of the form: save the draft over the version this page last saw."""
    try:
        state.put(VERSION, services.save_decision_draft(state.store(), user, case.ref, _typed(case, assessed),
                                                        state.get(VERSION)))
        state.put(ERROR, None)
    except AannemelijkError as exc:
        state.put(ERROR, exc)


ERRORS = "decision.errors"  # widget-free key: field -> message, set by the record callback
# The form's fields in the order it shows them (the element reasons are "reasons": the service names them)
FIELDS = {"outcome": N_("The panel's conclusion"), "findings": N_("Finding and reasons per element"),
          "reasons": N_("Overall reasons"), "override_reason": N_("Why the panel departs from the rubric"),
          "dissents": N_("Dissent")}


@guarded
@safe
def _record(user: User, case: CaseView, r: Rubric, assessed: dict[str, str]) -> None:
    """Record callback: record the decision, or leave each message at its field (everything typed stays)."""
    field_errors.clear(ERRORS)
    outcome = state.get("decision.outcome")
    if outcome is None:
        field_errors.put(ERRORS, {"outcome": _("Choose the panel's conclusion.")})
        return
    reasons = {dim: state.get(f"decision.reason.{dim}") or "" for dim in assessed}
    reasons["overall"] = state.get("decision.reason.overall") or ""
    reasons = {k: v for k, v in reasons.items() if v.strip()}
    try:
        dissents = [Dissent(username=s.username, text=state.get(f"decision.dissent.{s.username}"))
                    for s in case.panel if (state.get(f"decision.dissent.{s.username}") or "").strip()]
    except PydanticValidationError as exc:
        field_errors.put(ERRORS, {"dissents": field_errors.of_model(exc, {}).popitem()[1]})
        return
    # only the findings the chair changed: the others stay the rubric's (and need no reasons)
    findings = {dim: state.get(f"decision.finding.{dim}") for dim, suggested in assessed.items()
                if state.get(f"decision.finding.{dim}") not in (None, suggested)}
    try:
        services.record_decision(state.store(), user, case.ref, outcome=outcome, reasons=reasons, rubric=r,
                                 expected_version=case.version, override_reason=state.get("decision.override") or "",
                                 dissents=dissents, findings=findings)
    except AannemelijkError as exc:
        field_errors.put(ERRORS, field_errors.of_service(exc, FIELDS))
        return
    state.forget("decision.")  # the errors and the form's values with it
    state.flash(_("Decision recorded for {ref}.").format(ref=case.ref))


def decide(user: User, case: CaseView, r: Rubric, result: RubricResult, has_quorum: bool) -> None:
    # the legal elements, or the dimensions of a rubric without elements
    assessed: dict[str, str] = dict(result.assessed)
    _seed(user, case, assessed)
    if (error := state.get(ERROR)) is not None:
        show_error(error)
    args = (user, case, assessed)
    st.radio(_("The panel's conclusion"), options("outcome"), key="decision.outcome",
             format_func=formatter("outcome"), on_change=_save, args=args)
    field_errors.at(ERRORS, "outcome")
    outcome = state.get("decision.outcome")
    st.markdown("**" + _("Finding and reasons per element") + "**")
    st.caption(_("The panel's own finding per element starts at the rubric's; a finding you change needs "
                 "written reasons for that element."))
    for dim_id, suggested in assessed.items():
        f1, f2 = st.columns([1, 3])
        f1.selectbox(_("Finding: {element}").format(element=rubric_text(r.part_name(dim_id))),
                     options("finding"), key=f"decision.finding.{dim_id}", format_func=formatter("finding"),
                     help=_("Rubric: {status}").format(status=label("finding", suggested)), on_change=_save, args=args, placeholder=choose_one())
        f2.text_area(rubric_text(r.part_name(dim_id)), key=f"decision.reason.{dim_id}", height=80,
                     max_chars=limits.LONG, on_change=_save, args=args)
    field_errors.at(ERRORS, "findings")
    st.text_area(_("Overall reasons"), key="decision.reason.overall", height=100, max_chars=limits.LONG, on_change=_save, args=args)
    limits.at_limit("decision.reason.overall", limits.LONG)
    field_errors.at(ERRORS, "reasons")
    departs = outcome is not None and services.departs_from_rubric(outcome, result.outcome)
    if departs:
        st.warning(_("This conclusion departs from the rubric's result; give written reasons."))
        st.text_area(_("Why the panel departs from the rubric"), key="decision.override", max_chars=limits.LONG,
                     on_change=_save, args=args)
        field_errors.at(ERRORS, "override_reason")
    with st.expander(_("Dissent")):
        for seat in case.panel:
            st.text_area(_("Dissent of {who} ({discipline})").format(who=seat.username,
                                                                     discipline=label("discipline", seat.discipline)),
                         key=f"decision.dissent.{seat.username}", height=68, max_chars=limits.LONG, on_change=_save, args=args)
    field_errors.at(ERRORS, "dissents")  # in view when the expander is closed
    st.button(_("Record decision"), key="decision.submit", type="primary", disabled=not has_quorum,
              on_click=_record, args=(user, case, r, assessed))
    field_errors.summary(ERRORS, FIELDS, _("Not recorded; correct these fields (what you typed is kept):"))


DEFER_ERRORS = "decision.defer.errors"
DEFER_FIELDS = {"deferral": N_("Set aside or hearing"), "reasons": N_("Why the information is too thin")}


@guarded
@safe
def _defer(user: User, case: CaseView) -> None:
    """Too little information: set aside, or send to a hearing (no advice, no letter)."""
    field_errors.clear(DEFER_ERRORS)
    try:
        services.defer_case(state.store(), user, case.ref, state.get("decision.defer.route"),
                            state.get("decision.defer.reasons") or "", case.version)
    except AannemelijkError as exc:
        field_errors.put(DEFER_ERRORS, field_errors.of_service(exc, DEFER_FIELDS))
        return
    state.forget("decision.defer.")
    state.flash(_("{ref}: {what}.").format(ref=case.ref, what=label("deferral", state.get("decision.defer.route")
                                                                     or "set_aside")))


def too_little_information(user: User, case: CaseView, result: RubricResult) -> None:
    """Instead of a negative advice on the merits: set the case aside, or send it to a hearing."""
    thin = result.outcome == "undetermined"
    with st.expander(_("Too little information for an advice on the merits?"), expanded=thin):
        st.caption(_("The panel does not advise 'niet aannemelijk' on a file that is too thin: it sets the case aside "
                     "(no advice; it resumes when information arrives) or sends it to a hearing."))
        st.radio(_("What the panel does"), options("deferral"), key="decision.defer.route", index=None,
                 format_func=formatter("deferral"), horizontal=True)
        field_errors.at(DEFER_ERRORS, "deferral")
        st.text_area(_(DEFER_FIELDS["reasons"]), key="decision.defer.reasons", height=80, max_chars=limits.LONG)
        field_errors.at(DEFER_ERRORS, "reasons")
        st.button(_("Record"), key="decision.defer.submit", on_click=_defer, args=(user, case))
        field_errors.at(DEFER_ERRORS, field_errors.FORM)


def set_aside(user: User, case: CaseView) -> None:
    st.info(_("Set aside for lack of information on {date}: {reasons}").format(
        date=day(case.deferred_on) if case.deferred_on else services.NO_VALUE, reasons=case.deferral_reasons))
    st.text_area(_("What new information arrived"), key="decision.resume.reason", height=80, max_chars=limits.LONG)
    if st.button(_("Take up again"), key="decision.resume.submit"):
        try:
            services.resume_case(state.store(), user, case.ref, state.get("decision.resume.reason") or "",
                                 case.version)
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.forget("decision.resume.")
            st.rerun()


def main() -> None:
    user = current_user()
    st.title(_("Decision"))
    show_flash()
    ref = case_picker("pick.decision", user, statuses=("deliberation", "set_aside", "decided"))
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
        if case.status == "decided":
            decided(user, case)
            return
        if case.status == "set_aside":
            set_aside(user, case)
            return
        r = rubric()
        result = services.deliberation_result(state.store(), user, ref, r)
        has_quorum = quorum(user, case)
    except AannemelijkError as exc:
        show_error(exc)
        return
    disclaimer(r)
    st.info(_("Rubric result: {outcome}").format(outcome=md_escape(r.outcome_label(result.outcome, state.lang()))),  # type: ignore[arg-type]
            icon=":material/balance:")
    decide(user, case, r, result, has_quorum)
    too_little_information(user, case, result)


main()
