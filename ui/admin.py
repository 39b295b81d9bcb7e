"""Administration: accounts and roles; rubric versions (upload, validation problems with line and place,
activate); letter template versions (download, upload checked by rendering letters, activate). Earlier
decisions keep the rubric version they were made with; issued letters keep the text they were issued with."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from assessment import services
from assessment.errors import AannemelijkError, RubricError, TemplateError
from assessment.model import User
from ui import audit_check, confirm, limits, state
from ui.i18n import _, choose_one
from ui.labels import formatter, label, options
from ui.text import md_escape
from ui.widgets import current_user, rubric, rubric_text, show_error, show_flash

ROLE_OPTIONS = [r for r in options("role")]
log = logging.getLogger("aannemelijk.ui")


def users(user: User) -> None:
    st.subheader(_("Accounts"))
    records = services.list_users(state.store(), user)
    st.dataframe([{_("Username"): u.username, _("Name"): u.display_name, _("Role"): label("role", u.role),
                   _("Discipline"): label("discipline", u.discipline) if u.discipline else "",
                   _("State"): _("disabled") if u.disabled else (_("locked") if u.locked_until else _("active")),
                   _("Demo"): _("yes") if u.demo else ""} for u in records], hide_index=True, width="stretch")
    with st.expander(_("Add an account")):
        c1, c2, c3 = st.columns(3)
        c1.text_input(_("Username"), key="user.username")
        c2.text_input(_("Name"), key="user.display_name")
        c3.text_input(_("Password (at least 10 characters)"), type="password", key="user.password")
        d1, d2 = st.columns(2)
        d1.selectbox(_("Role"), ROLE_OPTIONS, key="user.role", format_func=formatter("role"), placeholder=choose_one())
        if state.get("user.role") == "member":
            d2.selectbox(_("Discipline"), list(services.discipline_ids()), key="user.discipline", format_func=formatter("discipline"), placeholder=choose_one())
        if st.button(_("Add account"), key="user.submit", type="primary"):
            role = state.get("user.role")
            try:
                services.add_user(state.store(), user, (state.get("user.username") or "").strip(), role,
                                  state.get("user.password") or "",
                                  discipline=state.get("user.discipline") if role == "member" else None,
                                  display_name=state.get("user.display_name") or "")
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.forget("user.")
                state.flash(_("Account added."))
                st.rerun()
    with st.expander(_("Disable an account")):
        active = [u.username for u in records if not u.disabled and u.username != user.username]
        st.selectbox(_("Account"), active, key="user.disable.username", placeholder=choose_one())
        st.text_input(_("Reason"), key="user.disable.reason", max_chars=limits.SHORT)
        who = state.get("user.disable.username")
        if st.button(_("Disable"), key="user.disable.submit") and who:
            reason = state.get("user.disable.reason") or ""
            confirm.ask("user.disable.confirm", _("Disable {username}?").format(username=who),
                        _("{username} can no longer sign in from now on; their work and history stay. You can "
                          "enable the account again below.").format(username=who),
                        lambda: services.disable_user(state.store(), user, who, reason),
                        confirm=_("Disable"), done=_("Account disabled."))
        confirm.open_dialog("user.disable.confirm")
    disabled = [u.username for u in records if u.disabled]
    if disabled:
        with st.expander(_("Enable an account again")):
            st.selectbox(_("Account"), disabled, key="user.enable.username", placeholder=choose_one())
            st.text_input(_("Reason"), key="user.enable.reason", max_chars=limits.SHORT)
            again = state.get("user.enable.username")
            if st.button(_("Enable"), key="user.enable.submit") and again:
                try:
                    services.enable_user(state.store(), user, again, state.get("user.enable.reason") or "")
                except AannemelijkError as exc:
                    show_error(exc)
                else:
                    state.flash(_("Account enabled."))
                    st.rerun()


def _when(uploaded_at: str) -> str:
    return services.long_datetime(dt.datetime.fromisoformat(uploaded_at), state.lang()) if uploaded_at else ""


def _version_row(what: tuple[str, ...], *, active: bool, key: str, activate: Callable[[], object], done: str,
                 refused: bool = False, report: str = "") -> list[DeltaGenerator]:
    """One stored version (of a rubric, of the letter templates): what it is and what its check found, then
    "active", "refused by the check", or its Activate button. Returns the row's columns."""
    cols = st.columns([4, 2, 2])
    cols[0].write(md_escape(" · ".join(x for x in what if x)))
    if report:
        cols[0].caption(md_escape(report))
    if active:
        cols[1].write(_("active"))
    elif refused:
        cols[1].write(_("refused by the check"))
    elif cols[2].button(_("Activate"), key=key):
        try:
            activate()
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.flash(done)
            st.rerun()
    return cols


def rubrics(user: User) -> None:
    st.subheader(_("Rubric versions"))
    active = rubric()
    st.caption(_("Active: {title} {version} ({hash})").format(title=rubric_text(active.title), version=md_escape(active.version),
                                                            hash=active.content_hash[:19]))
    versions = services.list_rubric_versions(state.store(), user)
    for v in versions:
        _version_row((f"{v.id} {v.version}", v.hash[:19], v.uploaded_by, _when(v.uploaded_at)), active=v.active,
                     key=f"rubric.activate.{v.key}", activate=partial(services.activate_rubric, state.store(), user, v.key),
                     done=_("Rubric version activated."))
    upload = st.file_uploader(_("Upload a rubric (YAML)"), type=["yaml", "yml"], key="rubric.file",
                              max_upload_size=limits.upload_mb(services.YAML_MAX_BYTES),
                              help=limits.upload_help(services.YAML_MAX_BYTES, "YAML"))
    if upload is not None and st.button(_("Check and keep"), key="rubric.upload"):
        try:
            services.upload_rubric(state.store(), user, upload.name, upload.getvalue())
        except RubricError as exc:
            # The machine detail (field path, pydantic's text) goes to the log; the screen says where in the
            # file's own terms (the item's id, the field's name) and what is wrong, in the user's language.
            log.info("rubric upload %s refused: %s", upload.name, exc)
            st.error(_("The rubric has {n} problem(s); nothing was kept.").format(n=len(exc.problems)))
            lang = state.lang()
            st.dataframe([{_("Line"): p.line, _("Where"): p.where(lang), _("Problem"): p.what(lang)}
                          for p in exc.problems], hide_index=True, width="stretch")
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.flash(_("Rubric kept; activate it to use it for new deliberations."))
            st.rerun()


def letter_templates(user: User) -> None:
    """The letter template versions: the shipped set, then every upload (refused ones with what was wrong).
    To change the letter, an administrator downloads a version, edits its files and uploads the changed
    ones; they are laid over the active set and checked by rendering every demo case and sample letter."""
    st.subheader(_("Letter templates"))
    lang = state.lang()
    versions = services.list_template_sets(state.store(), user)
    for v in versions:
        name = _("Shipped templates") if v.shipped else _("Uploaded version")
        cols = _version_row((name, v.short, v.uploaded_by, _when(v.uploaded_at)), active=v.active, refused=not v.valid,
                            report=v.report.text(lang), key=f"template.activate.{v.short}",
                            activate=partial(services.activate_template_set, state.store(), user, v.id),
                            done=_("Letter templates activated; new letters use them."))
        if v.active:
            data, file_name = services.template_set_download(state.store(), user, v.id)
            cols[2].download_button(_("Download the templates (ZIP)"), data, file_name=file_name, mime="application/zip",
                                    key=f"template.download.{v.short}", on_click="ignore")
    # No `type` filter: Streamlit would list "J2" as the accepted kind; the service names a wrong file instead.
    uploads = st.file_uploader(_("Upload changed templates (.typ.j2)"), accept_multiple_files=True,
                               key="template.files", max_upload_size=limits.upload_mb(services.TEMPLATE_MAX_BYTES),
                               help=limits.upload_help(services.TEMPLATE_MAX_BYTES, _("letter templates")))
    if uploads and st.button(_("Check and keep"), key="template.upload"):
        try:
            with st.spinner(_("Rendering every demo and sample letter with these templates…")):
                kept = services.upload_template_set(state.store(), user, {f.name: f.getvalue() for f in uploads})
        except TemplateError as exc:
            log.info("letter template upload refused: %s", exc)
            st.error(_("The templates were refused; nothing changes in the letters: {reason}").format(
                reason=md_escape(exc.text(lang))))
        except AannemelijkError as exc:
            show_error(exc)
        else:
            state.flash(_("Templates kept ({report}); activate them to use them for new letters.").format(
                report=md_escape(kept.report.text(lang))))
            st.rerun()


def main() -> None:
    user = current_user()
    st.title(_("Administration"))
    show_flash()
    try:
        users(user)
        rubrics(user)
        letter_templates(user)
        st.subheader(_("Audit trail"))
        audit_check.verify(user)
    except AannemelijkError as exc:
        show_error(exc)


main()
