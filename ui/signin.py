"""Sign-in (local accounts), and on a fresh database without demo data: create the first administrator."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from ui import state
from ui.auth import oidc_enabled
from ui.auth import signin as oidc_signin
from ui.i18n import _
from ui.labels import label
from ui.widgets import show_error


def setup() -> None:
    st.title(_("Welcome to Aannemelijk"))
    st.write(_("This database has no accounts yet. Create the administrator first."))
    if not services.setup_token_issued(state.store()):
        st.info(_("Run 'python -m assessment init' on the server: it prints the one-time setup token this form "
                  "asks for (or create the administrator there with 'init --admin')."))
        return
    with st.form("setup"):
        token = st.text_input(_("Setup token (printed by 'init' on the server)"), type="password", key="setup.token")
        username = st.text_input(_("Username"), key="setup.username")
        password = st.text_input(_("Password (at least 10 characters)"), type="password", key="setup.password")
        again = st.text_input(_("Password again"), type="password", key="setup.password2")
        if st.form_submit_button(_("Create administrator"), type="primary"):
            if password != again:
                st.error(_("The two passwords differ."))
                return
            try:
                services.bootstrap_admin_with_token(state.store(), token, username.strip(), password)
                state.set_user(services.user_by_name(state.store(), username.strip()))
                state.set_stamp(services.account_stamp(state.store(), username.strip()))
            except AannemelijkError as exc:
                show_error(exc)
                return
            st.rerun()


def signin() -> None:
    st.title(_("Sign in"))
    if state.expired():
        st.info(_("You were signed out because the session was idle for too long."))
    if state.changed():
        st.info(_("You were signed out because your account was changed or disabled."))
    with st.form("signin"):
        username = st.text_input(_("Username"), key="signin.username")
        password = st.text_input(_("Password"), type="password", key="signin.password")
        if st.form_submit_button(_("Sign in"), type="primary"):
            try:
                user = services.authenticate(state.store(), username.strip(), password)
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.set_user(user)
                state.set_stamp(services.account_stamp(state.store(), user.username))
                st.rerun()
    if state.settings().demo:
        st.subheader(_("Demo accounts"))
        st.caption(_("Every demo account has the password 'demo'."))
        st.table([{_("Username"): name, _("Role"): label("role", role),
                   _("Discipline"): label("discipline", discipline) if discipline else ""}
                  for name, role, discipline in services.demo_accounts()])


def main() -> None:
    if oidc_enabled():
        oidc_signin()
    elif services.has_users(state.store()):
        signin()
    else:
        setup()


main()
