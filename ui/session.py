"""The signed-in session is checked before anything acts for it: before every full run of the page, every
widget callback and every fragment rerun (Streamlit runs callbacks and fragments before, or instead of, the
page script, so a check in the page alone would let one more action through).

A session ends when it was idle longer than AANNEMELIJK_IDLE_MINUTES, or when its account changed since
sign-in (disabled, removed, another role, discipline, name or password: `services.account_stamp`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from assessment import services

from . import state

IDLE_MINUTES = float(os.environ.get("AANNEMELIJK_IDLE_MINUTES", "30"))

F = TypeVar("F", bound=Callable[..., Any])


def check() -> bool:
    """True when the signed-in session still holds (or nobody is signed in); otherwise sign out now and
    return False. Does not count as activity (see `touch`)."""
    user = state.user()
    if user is None:
        return True
    if state.idle_seconds() > IDLE_MINUTES * 60:
        _end(expired=True)
        return False
    stamp = services.account_stamp(state.store(), user.username)
    recorded = state.stamp()
    if recorded is None and stamp is not None:
        state.set_stamp(stamp)  # a session made before stamps (or by a test): hold on to the account as it is
        return True
    if stamp is None or stamp != recorded:
        _end(expired=False)
        return False
    return True


def _end(*, expired: bool) -> None:
    from .auth import oidc_enabled

    state.set_user(None)
    if expired:
        state.mark_expired()
    else:
        state.mark_changed()
    if oidc_enabled():
        st.logout()  # else the provider's cookie would sign the user straight back in


def guarded(callback: F) -> F:
    """A widget callback that runs only while the session holds (pass it as on_click/on_change)."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        if not check():
            return None
        return callback(*args, **kwargs)

    return run  # type: ignore[return-value]


def fragment_holds() -> bool:
    """Call first in a fragment: when the session ended, rerun the whole app (which shows sign-in). In a full
    run the fragment is drawn inside the page, after app.py checked the session and counted the activity
    for this run, so it holds without asking the database again (eight dimensions: eight reads saved)."""
    if not _fragment_rerun():
        return True
    # Nobody signed in: a callback of this very run found the session over and signed it out (fragments are
    # drawn only for a signed-in user), so the whole app must run to show sign-in.
    if state.user() is not None and check():
        state.touch()
        return True
    st.rerun(scope="app")
    return False


def _fragment_rerun() -> bool:
    """Is this run a fragment's own rerun (Streamlit runs only the fragment, not app.py)?"""
    ctx = get_script_run_ctx()
    return ctx is None or bool(ctx.fragment_ids_this_run)  # no context: not a page run; check to be safe
