"""A confirmation before an irreversible action (revoking a consent, resetting a training session,
disabling an account): the button opens a dialog that says what will happen; only its confirm button acts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment.errors import AannemelijkError

from . import state
from .i18n import _
from .text import md_escape


def ask(key: str, title: str, consequence: str, act: Callable[[], Any], *, confirm: str,
        done: str | Callable[[Any], str]) -> None:
    """Open a dialog titled `title` saying `consequence`; on confirm run `act` (a service call), flash `done`
    (or `done(result)`) and rerun; on an error show it in the dialog; cancel or closing changes nothing.

    Call it when the action's button was clicked, then `open_dialog(key)` on every run: the dialog stays
    open across reruns until it is confirmed, cancelled or dismissed."""
    state.put(key + ".open", {"title": title, "consequence": consequence, "confirm": confirm})
    state.put(key + ".act", (act, done))


def _close(key: str) -> None:
    state.pop(key + ".open")
    state.pop(key + ".act")


def open_dialog(key: str) -> None:
    """Draw the dialog `key` while it is open (call once per run where its button is; see `ask`)."""
    shown = state.get(key + ".open")
    pending = state.get(key + ".act")
    if not shown or not pending:
        return
    act, done = pending

    def body() -> None:
        st.write(shown["consequence"])
        yes, no = st.columns(2)
        if yes.button(shown["confirm"], key=key + ".yes", type="primary"):
            try:
                result = act()
            except AannemelijkError as exc:
                st.error(md_escape(exc.text(state.lang()), lines=True), icon=":material/error:")
                return
            _close(key)
            state.flash(done if isinstance(done, str) else done(result))
            st.rerun()
        if no.button(_("Cancel"), key=key + ".no"):
            _close(key)
            st.rerun()

    st.dialog(shown["title"], on_dismiss=lambda: _close(key))(body)()
