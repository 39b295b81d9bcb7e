"""Intake & admissibility: register an application (validation messages at the field), decide
admissibility with reasons, record consents, seat the panel, withdraw."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError, ValidationError
from assessment.model import Intake, User
from ui import confirm, field_errors, limits, state
from ui.boundary import safe
from ui.i18n import N_, _, choose_any, choose_one
from ui.labels import day, formatter, heading, label, options
from ui.session import guarded
from ui.text import md_escape
from ui.widgets import case_picker, current_user, show_error, show_flash

K = "intake."
ERRORS = "intake.errors"  # widget-free key: field -> message, set by the submit callback

EARLIEST, LATEST = limits.EARLIEST, limits.LATEST  # see ui/limits.py
# The fields in the order the form shows them: the summary next to the button lists errors in this order.
FIELDS = {
    "received_on": N_("Received on"), "route_end_on": N_("Date of dismissal or acquittal"),
    "reported_on": N_("Reported to the police on"), "route_end_ground": N_("Ground of the dismissal or acquittal"),
    "exception_ground": N_("Ground for the exception"), "exception_statement_on": N_("Date of the statement"),
    "exception_statement_by": N_("Statement made by"),
    "exception_reason": N_("Why the applicant could not or would not report"),
    "exploitation_in_nl": N_("Where the exploitation took place"),
    "sector": N_("Sector"), "period_start": N_("Exploitation from"), "period_end": N_("Exploitation until"),
    "name": N_("Name"), "date_of_birth": N_("Date of birth"), "nationality": N_("Nationality (ISO code, e.g. NG)"),
    "birth_year": N_("Year of birth"), "languages": N_("Languages (codes, comma separated)"),
    "representative": N_("Representative"), "contact": N_("Contact"),
    "place_of_exploitation": N_("Place of exploitation"), "notes": N_("Notes"),
}


def _values() -> dict[str, Any]:
    g = state.get
    languages = [x.strip().lower() for x in (g(K + "languages") or "").split(",") if x.strip()]
    route = g(K + "route")
    values: dict[str, Any] = {
        "received_on": g(K + "received_on"), "route": route, "form": g(K + "form"),
        "route_end": g(K + "route_end") if route == "report" else None,
        "route_end_on": g(K + "route_end_on") if route == "report" else None,
        "reported_on": g(K + "reported_on") if route == "report" else None,
        "route_end_ground": (g(K + "route_end_ground") or None) if route == "report" else None,
        "exception_ground": g(K + "exception_ground") if route == "exception" else None,
        "exception_statement_on": g(K + "exception_statement_on")
        if route == "exception" and g(K + "exception_ground") == "medical_psychological" else None,
        "exploitation_in_nl": g(K + "exploitation_in_nl") or "unknown",
        "sector": g(K + "sector") or "", "period_start": g(K + "period_start"), "period_end": g(K + "period_end"),
        "residence_status": g(K + "residence_status"), "gender": g(K + "gender"),
        "nationality": (g(K + "nationality") or "").strip().upper(), "birth_year": g(K + "birth_year"),
        "age_group": g(K + "age_group"), "languages": languages, "interpreter": bool(g(K + "interpreter")),
        "filing_party": g(K + "filing_party"),
        "applicant": {f: (g(K + f) or "") for f in ("name", "contact", "representative", "representative_contact",
                                                     "place_of_exploitation", "exception_reason",
                                                     "exception_statement_by", "notes")},
    }
    values["applicant"]["date_of_birth"] = g(K + "date_of_birth")
    return values


def _field_errors(exc: PydanticValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        rule = field_errors.broken_rule(err)  # the Intake model's rules name their fields (RuleError)
        if rule is not None:
            errors.setdefault(*rule)
            continue
        # the field is the last name in the location ("applicant.notes"; "languages.1" is the languages)
        field = next((p for p in reversed(loc) if not p.isdigit()), "form")
        errors.setdefault(field, _field_message(field, err))
    return errors


def _field_message(field: str, err: Any) -> str:
    """The message at a field for a rule of the model, in the user's words (never a regular expression)."""
    if err["type"] == "string_too_long":
        return _("At most {n} characters.").format(n=limits.number(int(err["ctx"]["max_length"])))
    if field == "languages":
        return _("Give language codes of two or three letters, separated by commas (e.g. nl, en, tir).")
    if field == "nationality":
        return _("Give the two-letter country code (e.g. NG), or leave it empty.")
    return _("This value is missing or invalid.")


@guarded
@safe
def _register(user: User) -> None:
    """Submit callback: validate, create the case, or leave the messages for the fields."""
    state.put(ERRORS, {})
    values = _values()
    if values["received_on"] is None:
        state.put(ERRORS, {"received_on": _("The date of receipt is required.")})
        return
    try:
        intake = Intake.model_validate(values)
    except PydanticValidationError as exc:
        state.put(ERRORS, _field_errors(exc))
        return
    try:
        ref = services.create_case(state.store(), user, intake,
                                   space=services.space_for(user, "case.create"))
    except ValidationError as exc:
        field = (exc.field or "form").removeprefix("intake.").removeprefix("applicant.")
        state.put(ERRORS, {field if field in FIELDS else "form": exc.text(state.lang())})
        return
    except AannemelijkError as exc:
        state.put(ERRORS, {"form": exc.text(state.lang())})
        return
    state.set_case_ref(ref)
    state.reset(_empty_form())  # the next application starts empty (deleting the keys would not: see state.reset)
    state.flash(_("Case {ref} registered.").format(ref=ref))


def _empty_form() -> dict[str, Any]:
    """Every field of the new-application form at its starting value."""
    first = {f: options(f)[0] for f in ("form", "route_end", "gender", "age_group", "residence_status",
                                        "filing_party")}
    return {
        K + "received_on": dt.date.today(), K + "route": "report", K + "form": first["form"],
        K + "route_end": first["route_end"], K + "route_end_on": None, K + "reported_on": None,
        K + "exception_reason": "", K + "route_end_ground": "", K + "exception_ground": None,
        K + "exception_statement_on": None, K + "exception_statement_by": "", K + "exploitation_in_nl": "unknown",
        K + "sector": "", K + "period_start": None, K + "period_end": None,
        K + "name": "", K + "date_of_birth": None, K + "gender": first["gender"], K + "nationality": "",
        K + "birth_year": None, K + "age_group": first["age_group"], K + "languages": "", K + "interpreter": False,
        K + "residence_status": first["residence_status"], K + "filing_party": first["filing_party"],
        K + "representative": "", K + "contact": "", K + "place_of_exploitation": "", K + "notes": "",
    }


def _error_at(field: str) -> None:
    field_errors.at(ERRORS, field)


def _summary() -> None:
    """Next to the button: every error of the last submit, named by its field, in the form's order."""
    field_errors.summary(ERRORS, FIELDS, _("Not registered; correct these fields (what you typed is kept):"))


def _date(col: Any, label_id: str, field: str) -> None:
    """A date field that takes any date from 1900 to 2100 (see EARLIEST), with its message under it."""
    col.date_input(_(label_id), value=None, key=K + field, format="DD-MM-YYYY",
                   min_value=EARLIEST, max_value=LATEST)
    with col:
        _error_at(field)


def _text(col: Any, label_id: str, field: str, limit: int = limits.SHORT, *, area: bool = False,
          code: bool = False) -> None:
    """A text field with its limit and counter, the message once full, and its error under it. A `code`
    field (a two-letter country code) is complete at its limit, so it gets no "the rest was not taken"."""
    (col.text_area if area else col.text_input)(_(label_id), key=K + field, max_chars=limit)
    with col:
        if not code:
            limits.at_limit(K + field, limit)
        _error_at(field)


def new_case(user: User) -> None:
    w = state.widget
    w(K + "received_on", dt.date.today())
    w(K + "route", "report")
    w(K + "exploitation_in_nl", "unknown")  # asked, never assumed: admissibility needs it answered
    st.subheader(_("New application"))
    c1, c2, c3 = st.columns(3)
    _date(c1, N_("Received on"), "received_on")  # today, from state.widget above
    c2.radio(_("Route"), options("route"), key=K + "route", format_func=formatter("route"))
    c3.selectbox(_("Form of exploitation"), options("form"), key=K + "form", format_func=formatter("form"), placeholder=choose_one())
    if state.get(K + "route") == "report":
        r1, r2, r3, r4 = st.columns(4)
        r1.selectbox(_("Ended by"), options("route_end"), key=K + "route_end", format_func=formatter("route_end"), placeholder=choose_one())
        _date(r2, N_("Date of dismissal or acquittal"), "route_end_on")
        _date(r3, N_("Reported to the police on"), "reported_on")
        r4.selectbox(_("Ground of the dismissal or acquittal"), ["", *options("route_end_ground")],
                     key=K + "route_end_ground",
                     format_func=lambda v: formatter("route_end_ground")(v) if v else _("not known"), placeholder=choose_one())
        with r4:
            _error_at("route_end_ground")
    else:
        x1, x2, x3 = st.columns(3)
        x1.radio(_("Ground for the exception"), options("exception_ground"), key=K + "exception_ground", index=None,
                 format_func=formatter("exception_ground"))
        with x1:
            _error_at("exception_ground")
        if state.get(K + "exception_ground") == "medical_psychological":
            _date(x2, N_("Date of the statement"), "exception_statement_on")
            _text(x3, N_("Statement made by"), "exception_statement_by")
        _text(st.container(), N_("Why the applicant could not or would not report"), "exception_reason", limits.LONG, area=True)
    st.selectbox(_("Where the exploitation took place"), options("exploitation_in_nl"), key=K + "exploitation_in_nl",
                 format_func=formatter("exploitation_in_nl"), placeholder=choose_one())
    _error_at("exploitation_in_nl")
    s1, s2, s3 = st.columns(3)
    _text(s1, N_("Sector"), "sector")
    _date(s2, N_("Exploitation from"), "period_start")
    _date(s3, N_("Exploitation until"), "period_end")
    st.markdown("**" + _("Applicant") + "**")
    a1, a2, a3 = st.columns(3)
    _text(a1, N_("Name"), "name")
    _date(a2, N_("Date of birth"), "date_of_birth")
    a3.selectbox(_("Gender"), options("gender"), key=K + "gender", format_func=formatter("gender"), placeholder=choose_one())
    b1, b2, b3 = st.columns(3)
    _text(b1, N_("Nationality (ISO code, e.g. NG)"), "nationality", 2, code=True)
    b2.number_input(_("Year of birth"), min_value=1900, max_value=2100, value=None, step=1, key=K + "birth_year")
    with b2:
        _error_at("birth_year")
    b3.selectbox(_("Age group"), options("age_group"), key=K + "age_group", format_func=formatter("age_group"),
                 help=_("The age at the start of the exploitation. With the date of birth (or a year of birth that "
                        "decides it) and the start of the exploitation, the age group follows from them."), placeholder=choose_one())
    d1, d2, d3 = st.columns(3)
    _text(d1, N_("Languages (codes, comma separated)"), "languages")
    d2.checkbox(_("Interpreter needed"), key=K + "interpreter")
    d3.selectbox(_("Residence status"), options("residence_status"), key=K + "residence_status",
                 format_func=formatter("residence_status"), placeholder=choose_one())
    e1, e2, e3 = st.columns(3)
    e1.selectbox(_("Filed by"), options("filing_party"), key=K + "filing_party",
                 format_func=formatter("filing_party"), placeholder=choose_one())
    _text(e2, N_("Representative"), "representative")
    _text(e3, N_("Contact"), "contact")
    _text(st.container(), N_("Place of exploitation"), "place_of_exploitation")
    _text(st.container(), N_("Notes"), "notes", limits.LONG, area=True)
    st.button(_("Register application"), type="primary", key="intake.submit", on_click=_register, args=(user,))
    _summary()


def admissibility(user: User, ref: str) -> None:
    case = services.get_case(state.store(), user, ref)
    st.subheader(_("Admissibility"))
    intake = case.intake
    if intake is not None:
        st.write(_("Route: {route}").format(route=label("route", intake.route)))
        st.write(_("Exploitation: {where}").format(where=label("exploitation_in_nl", intake.exploitation_in_nl)))
        if intake.route == "report" and intake.route_end:
            st.write(_("Ended by {end} ({ground})").format(
                end=label("route_end", intake.route_end),
                ground=label("route_end_ground", intake.route_end_ground) if intake.route_end_ground
                else _("ground not known")))
        if intake.route == "exception":
            ground = label("exception_ground", intake.exception_ground) if intake.exception_ground else _("no ground recorded")
            st.write(_("Ground for the exception: {ground}").format(ground=ground))
            if intake.exception_statement_on:
                st.write(_("Supported by a statement of {date}").format(
                    date=day(intake.exception_statement_on)))
    if case.within_term is not None:
        (st.success if case.within_term else st.warning)(
            _("Applied within 4 weeks of the dismissal or acquittal.") if case.within_term
            else _("Applied later than 4 weeks after the dismissal or acquittal."))
    if case.status != "intake":
        st.info(_("Decided: {decision}. {reasons}").format(decision=label("admissibility", case.admissibility),
                                                            reasons=md_escape(case.admissibility_reasons)))
        if case.inadmissible_grounds:
            st.markdown("\n".join("- " + label("inadmissible_ground", g) for g in case.inadmissible_grounds))
        return
    unmet = services.admissibility_unmet(state.store(), user, ref)
    if unmet:
        st.warning(_("Requirements not met:") + "\n" + "\n".join("- " + label("inadmissible_ground", g) for g in unmet))
    st.radio(_("Decision"), options("admissibility"), key="admit.decision", format_func=formatter("admissibility"),
             horizontal=True)
    if state.get("admit.decision") == "inadmissible":
        st.multiselect(_("Requirements not met"), options("inadmissible_ground"), default=unmet, key="admit.grounds",
                       format_func=formatter("inadmissible_ground"), placeholder=choose_any())
    # The letter states the route, its dates and the term from the intake; reasons that restate them say them twice.
    st.text_area(_("Reasons"), key="admit.reasons",
                 help=_("Only what the letter does not already say: it states the route, its dates and the "
                        "four-week term itself."))
    if st.button(_("Record admissibility"), key="admit.submit", type="primary"):
        try:
            services.decide_admissibility(state.store(), user, ref, state.get("admit.decision"),
                                          state.get("admit.reasons") or "", case.version,
                                          grounds=tuple(state.get("admit.grounds") or ())
                                          if state.get("admit.decision") == "inadmissible" else ())
        except AannemelijkError as exc:
            show_error(exc)
            return
        state.forget("admit.")
        state.flash(_("Admissibility recorded for {ref}.").format(ref=ref))
        st.rerun()


def _revoke(user: User, ref: str, consent_id: int, version: int) -> None:
    """Revoke one consent (run from its confirmation dialog, in a later run: the store is fetched then)."""
    services.revoke_consent(state.store(), user, ref, consent_id, _("Revoked by the applicant"), version)


def consents(user: User, ref: str) -> None:
    case = services.get_case(state.store(), user, ref)
    st.subheader(_("Consents"))
    for c in case.consents:
        cols = st.columns([3, 2, 2, 2])
        cols[0].write(label("consent", c.scope))
        cols[1].write(_("given on {date}").format(date=day(c.given_on)))
        cols[2].write(_("by {giver}").format(giver=label("given_by", c.given_by)))
        if c.revoked_on:
            cols[3].write(_("revoked on {date}").format(date=day(c.revoked_on)))
        elif cols[3].button(_("Revoke"), key=f"consent.revoke.{c.id}"):
            scope_name = label("consent", c.scope)
            confirm.ask(f"consent.revoke.{c.id}.confirm", _("Revoke the consent for {scope}?").format(scope=scope_name),
                        _("From today the panel may no longer use what this consent allowed; a revoked consent "
                          "cannot be restored, only given anew with a new date."),
                        functools.partial(_revoke, user, ref, c.id, c.version),
                        confirm=_("Revoke"), done=_("Consent revoked."))
        confirm.open_dialog(f"consent.revoke.{c.id}.confirm")
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    c1.selectbox(_("Scope"), options("consent"), key="consent.scope", format_func=formatter("consent"), placeholder=choose_one())
    c2.date_input(_("Given on"), key="consent.given_on", format="DD-MM-YYYY")
    c3.selectbox(_("Consent given by"), options("given_by"), key="consent.given_by",
                 format_func=lambda v: heading("given_by", v),
                 help=_("For an applicant under 16 the legal representative gives consent."), placeholder=choose_one())
    if c4.button(_("Record consent"), key="consent.submit"):
        try:
            services.record_consent(state.store(), user, ref, state.get("consent.scope"),
                                    state.get("consent.given_on") or dt.date.today(),
                                    state.get("consent.given_by") or "applicant")
        except AannemelijkError as exc:
            show_error(exc)
        else:
            st.rerun()


def recipients(user: User, ref: str) -> None:
    """Consent to share the advice, per named recipient and who gave it: only these get a copy of the letter."""
    case = services.get_case(state.store(), user, ref)
    st.subheader(_("Sharing the advice"))
    st.caption(_("A copy of the letter goes only to a recipient named here, with the consent of the applicant or "
                 "their legal representative."))
    for r in case.recipients:
        cols = st.columns([3, 2, 2])
        cols[0].write(md_escape(services.stored_text(r.recipient, state.lang())))
        cols[1].write(_("given on {date}").format(date=day(r.given_on)))
        if r.revoked_on:
            cols[2].write(_("revoked on {date}").format(date=day(r.revoked_on)))
        elif cols[2].button(_("Revoke"), key=f"recipient.revoke.{r.id}"):
            try:
                services.revoke_consent(state.store(), user, ref, r.id, _("Revoked by the applicant"), r.version,
                                         recipient=True)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                st.rerun()
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    c1.text_input(_("Recipient"), key="recipient.name", max_chars=200)
    c2.selectbox(_("Consent given by"), options("given_by"), key="recipient.given_by",
                 format_func=lambda v: heading("given_by", v), placeholder=choose_one())
    c3.date_input(_("Given on"), key="recipient.given_on", format="DD-MM-YYYY")
    if c4.button(_("Record recipient"), key="recipient.submit"):
        try:
            services.record_recipient_consent(state.store(), user, ref, state.get("recipient.name") or "",
                                              state.get("recipient.given_on") or dt.date.today(),
                                              state.get("recipient.given_by") or "applicant")
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.forget("recipient.")
            st.rerun()


def panel(user: User, ref: str) -> None:
    case = services.get_case(state.store(), user, ref)
    st.subheader(_("Panel"))
    seats = {s.discipline: s for s in case.panel}
    for d in services.discipline_ids():
        candidates = services.panel_candidates(state.store(), user, d)
        seat = seats.get(d)
        cols = st.columns([3, 3, 2, 2])
        cols[0].write(label("discipline", d))
        if seat:
            cols[1].write(seat.username + ("" if seat.coi_declared_on else " · " + _("no declaration yet")))
        names = [u for u, _n in candidates]
        if not names:
            cols[1].caption(_("no member for this discipline"))
            continue
        cols[2].selectbox(_("Member"), names, key=f"panel.{d}.username", label_visibility="collapsed", placeholder=choose_one())
        if cols[3].button(_("Assign"), key=f"panel.{d}.assign"):
            try:
                services.assign_panel(state.store(), user, ref, d, state.get(f"panel.{d}.username"))
            except AannemelijkError as exc:
                show_error(exc)
            else:
                st.rerun()


def withdraw(user: User, ref: str) -> None:
    case = services.get_case(state.store(), user, ref)
    if case.status not in ("intake", "assessment", "deliberation"):
        return
    with st.expander(_("Withdraw the application")):
        st.text_area(_("Reason for withdrawal"), key="withdraw.reason")
        if st.button(_("Withdraw"), key="withdraw.submit"):
            try:
                services.withdraw_case(state.store(), user, ref, state.get("withdraw.reason") or "", case.version)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.flash(_("Case {ref} withdrawn.").format(ref=ref))
                st.rerun()


def main() -> None:
    user = current_user()
    st.title(_("Intake & admissibility"))
    show_flash()
    names = [_("New application"), _("Existing case")]
    # The open tab is kept as state, so a rerun (deciding admissibility) never jumps back to the first tab;
    # a task on the Cases screen opens the case's tab.
    if state.pop("intake.open_case_tab"):
        state.put("intake.tab", names[1])
    elif state.get("intake.tab") not in (None, *names):  # named in the other language
        state.pop("intake.tab")
    tab_new, tab_case = st.tabs(names, key="intake.tab", on_change="rerun")
    with tab_new:
        new_case(user)
    with tab_case:
        ref = case_picker("intake.case", user, statuses=("intake", "assessment", "deliberation", "inadmissible"))
        if ref is None:
            return
        try:
            admissibility(user, ref)
            consents(user, ref)
            recipients(user, ref)
            panel(user, ref)
            withdraw(user, ref)
        except AannemelijkError as exc:
            show_error(exc)


main()
