"""Sign-in through the organisation's identity provider (OIDC, Streamlit's `st.login`), used instead of the
local accounts when `.streamlit/secrets.toml` has an `[auth]` section.

Who someone is comes from the provider; what they may do comes from the account their e-mail address or
subject maps to in the secrets' `[identities]` table (see docs/deployment.md, section 4).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError

from . import state
from .i18n import _
from .widgets import show_error


def oidc_enabled() -> bool:
    """True when an identity provider is configured (an [auth] section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answering False
        return False


def _identities() -> dict[str, str]:
    try:
        table: Any = st.secrets.get("identities", {})
    except Exception:
        return {}
    return {str(k): str(v) for k, v in dict(table).items()}


def signin() -> None:
    """The sign-in screen with an identity provider: a button to `st.login`; once back, the mapped account."""
    st.title(_("Sign in"))
    if state.expired():
        st.info(_("You were signed out because the session was idle for too long."))
    if not st.user.get("is_logged_in"):  # (AppTest has no identity: the key is missing there)
        st.write(_("Sign in with the account of your organisation."))
        st.button(_("Sign in with your organisation"), key="auth.oidc", type="primary", icon=":material/login:",
                  on_click=st.login)
        return
    email, subject = st.user.get("email"), st.user.get("sub")
    try:
        user = services.user_for_identity(state.store(), _identities(), str(email) if email else None,
                                            str(subject) if subject else None)
    except AannemelijkError as exc:
        show_error(exc)
        st.button(_("Sign out"), key="auth.oidc_signout", icon=":material/logout:", on_click=st.logout)
        return
    state.set_user(user)
    state.set_stamp(services.account_stamp(state.store(), user.username))
    st.rerun()


def sign_out() -> None:
    """Sign out of Aannemelijk, and of the identity provider's session cookie when one is used."""
    state.set_user(None)
    if oidc_enabled():
        st.logout()  # sends the browser to Streamlit's logout (cookie cleared, then the provider's end of session)
        st.stop()  # not st.rerun(): a rerun could drop the redirect before it reaches the browser
    st.rerun()
