"""Administration: accounts and roles; rubric versions (upload, validation problems with line and place,
activate). Earlier decisions keep the rubric version they were made with."""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError, RubricError
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


def rubrics(user: User) -> None:
    st.subheader(_("Rubric versions"))
    active = rubric()
    st.caption(_("Active: {title} {version} ({hash})").format(title=rubric_text(active.title), version=md_escape(active.version),
                                                            hash=active.content_hash[:19]))
    versions = services.list_rubric_versions(state.store(), user)
    for v in versions:
        cols = st.columns([4, 2, 2])
        when = services.long_datetime(dt.datetime.fromisoformat(v.uploaded_at), state.lang()) if v.uploaded_at else ""
        cols[0].write(md_escape(" · ".join(x for x in (f"{v.id} {v.version}", v.hash[:19], v.uploaded_by, when) if x)))
        if v.active:
            cols[1].write(_("active"))
        elif cols[2].button(_("Activate"), key=f"rubric.activate.{v.key}"):
            try:
                services.activate_rubric(state.store(), user, v.key)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.flash(_("Rubric version activated."))
                st.rerun()
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


def main() -> None:
    user = current_user()
    st.title(_("Administration"))
    show_flash()
    try:
        users(user)
        rubrics(user)
        st.subheader(_("Audit trail"))
        audit_check.verify(user)
    except AannemelijkError as exc:
        show_error(exc)


main()
