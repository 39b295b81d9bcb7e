"""File: the documents received, the consents, the chronology of facts, and when the file was complete."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import CaseView, User
from ui import field_errors, limits, state
from ui.boundary import safe
from ui.i18n import N_, _, choose_one
from ui.labels import day, formatter, label, options
from ui.session import guarded
from ui.text import user_text
from ui.widgets import case_picker, current_user, show_error, show_flash

DOC_ERRORS = "doc.errors.form"  # widget-free keys: field -> message, set by the add callbacks
CHRON_ERRORS = "chron.errors.form"
UPLOADS = "doc.uploads"  # documents added in this session: names a fresh upload field after each
DOC_FIELDS = {"source": N_("Source"), "kind": N_("Kind (e.g. police report)"), "received_on": N_("Received on"),
              "title": N_("Title"), "content": N_("Attachment (PDF, JPEG, PNG or text)")}
CHRON_FIELDS = {"on": N_("Date"), "fact": N_("Fact")}


def documents(user: User, case: CaseView) -> None:
    st.subheader(_("Documents"))
    if case.documents:
        st.dataframe([{_("Received"): day(d.received_on), _("Source"): label("source", d.source),
                       _("Kind"): d.kind, _("Title"): d.title,
                       _("Consent"): label("consent", d.consent_scope) if d.consent_scope else "",
                       _("Attachment"): f"{d.media_type} · {d.size} B" if d.size else ""}
                      for d in case.documents], hide_index=True, width="stretch")
    else:
        st.caption(_("No documents yet."))
    if not services.may(user, "document.add", case) or case.status not in ("intake", "assessment",
                                                                           "deliberation"):
        return
    with st.expander(_("Add a document"), expanded=bool(field_errors.errors(DOC_ERRORS))):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(_("Source"), options("source"), key="doc.source", format_func=formatter("source"), placeholder=choose_one())
        with c1:
            field_errors.at(DOC_ERRORS, "source")
        c2.text_input(_("Kind (e.g. police report)"), key="doc.kind", max_chars=limits.SHORT)
        with c2:
            field_errors.at(DOC_ERRORS, "kind")
        c3.date_input(_("Received on"), key="doc.received_on", format="DD-MM-YYYY", min_value=limits.EARLIEST,
                      max_value=limits.LATEST)
        with c3:
            field_errors.at(DOC_ERRORS, "received_on")
        st.text_input(_("Title"), key="doc.title", max_chars=limits.SHORT)
        field_errors.at(DOC_ERRORS, "title")
        most = state.store().settings.max_attachment_bytes
        st.file_uploader(_("Attachment (PDF, JPEG, PNG or text)"), key=_upload_key(),
                         type=["pdf", "jpg", "jpeg", "png", "txt"], max_upload_size=limits.upload_mb(most),
                         help=limits.upload_help(most, _("PDF, JPEG, PNG or text")))
        field_errors.at(DOC_ERRORS, "content")
        st.button(_("Add document"), key="doc.submit", on_click=_add_document, args=(user, case.ref))
        field_errors.summary(DOC_ERRORS, DOC_FIELDS, _("Not added; correct these fields (what you typed is kept):"))


@guarded
@safe
def _add_document(user: User, ref: str) -> None:
    """Add callback: register the document (the form then starts empty), or leave each message at its field."""
    field_errors.clear(DOC_ERRORS)
    upload = state.get(_upload_key())
    try:
        services.add_document(
            state.store(), user, ref, source=state.get("doc.source"), kind=state.get("doc.kind") or "",
            received_on=state.get("doc.received_on") or dt.date.today(), title=state.get("doc.title") or "",
            content=upload.getvalue() if upload else None, media_type=upload.type if upload else None)
    except AannemelijkError as exc:
        field_errors.put(DOC_ERRORS, field_errors.of_service(exc, DOC_FIELDS))
        return
    # the form starts empty again: set each field (deleting keys is not enough, see state.reset); an upload
    # cannot be set, so the next document gets a new upload field
    state.reset({"doc.kind": "", "doc.title": "", "doc.received_on": dt.date.today(),
                 "doc.source": options("source")[0]})
    state.put(UPLOADS, int(state.get(UPLOADS) or 0) + 1)
    state.flash(_("Document added."))


def _upload_key() -> str:
    return f"doc.file.{int(state.get(UPLOADS) or 0)}"


def consents(case: CaseView) -> None:
    st.subheader(_("Consents"))
    if not case.consents:
        st.caption(_("No consents recorded."))
        return
    st.dataframe([{_("Scope"): label("consent", c.scope), _("Given on"): day(c.given_on),
                   _("Revoked on"): day(c.revoked_on)} for c in case.consents],
                 hide_index=True, width="stretch")


def chronology(user: User, case: CaseView) -> None:
    st.subheader(_("Chronology"))
    if case.chronology:
        st.dataframe([{_("Date"): day(e.on), _("Fact"): e.fact} for e in case.chronology],
                     hide_index=True, width="stretch")
    else:
        st.caption(_("No facts recorded yet."))
    if not services.may(user, "chronology.add", case):
        return
    c1, c2, c3 = st.columns([1, 4, 1])
    c1.date_input(_("Date"), key="chron.on", format="DD-MM-YYYY", min_value=limits.EARLIEST, max_value=limits.LATEST)
    with c1:
        field_errors.at(CHRON_ERRORS, "on")
    c2.text_input(_("Fact"), key="chron.fact", max_chars=limits.LONG)
    with c2:
        field_errors.at(CHRON_ERRORS, "fact")
        field_errors.at(CHRON_ERRORS, field_errors.FORM)
    c3.button(_("Add"), key="chron.submit", on_click=_add_fact, args=(user, case.ref))


@guarded
@safe
def _add_fact(user: User, ref: str) -> None:
    """Add the typed fact; the line then starts empty again (state.reset), or keeps it with the message at
    its field."""
    field_errors.clear(CHRON_ERRORS)
    try:
        services.add_chronology(state.store(), user, ref, state.get("chron.on") or dt.date.today(),
                                state.get("chron.fact") or "")
    except AannemelijkError as exc:
        field_errors.put(CHRON_ERRORS, field_errors.of_service(exc, CHRON_FIELDS))
    else:
        state.reset({"chron.on": dt.date.today(), "chron.fact": ""})


def completeness(user: User, case: CaseView) -> None:
    """When the file was complete (the evaluators measure the stages by this day), or the step to record it."""
    if case.file_complete_on is not None:
        st.success(_("File complete since {day}.").format(day=day(case.file_complete_on)))
        return
    if case.status != "assessment" or not services.may(user, "file.complete", case):
        return
    with st.expander(_("Mark the file complete")):
        st.caption(_("Everything the panel needs is in: documents, consents and reports."))
        st.date_input(_("Complete on"), key="file.complete_on", value=dt.date.today(), format="DD-MM-YYYY",
                      min_value=limits.EARLIEST, max_value=dt.date.today())
        if st.button(_("Mark the file complete"), key="file.complete"):
            try:
                services.mark_file_complete(state.store(), user, case.ref, case.version,
                                            on=state.get("file.complete_on") or dt.date.today())
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.forget("file.")
                state.flash(_("File marked complete."))
                st.rerun()


def main() -> None:
    user = current_user()
    st.title(_("File"))
    show_flash()
    ref = case_picker("pick.file", user)
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    st.caption(f"{case.ref} · {label('status', case.status)} · {label('form', case.form)}")
    if case.intake is not None and case.intake.applicant.name:
        user_text(case.intake.applicant.name, label=_("Applicant"))
    completeness(user, case)
    documents(user, case)
    consents(case)
    chronology(user, case)


main()
