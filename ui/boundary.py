"""The error boundary: no Streamlit exception banner ever reaches a user.

A page runs inside `page()`, a widget callback through `safe()`. An unexpected error is logged with its
traceback (for the administrator), and the user reads, in their language, what happened and what to do. The
page then stops with `st.stop()`: Streamlit keeps the state of every widget after a stopped run (it clears
widgets it did not see only after a run that finished), so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec

import streamlit as st

from .i18n import _

log = logging.getLogger("aannemelijk.ui")
P = ParamSpec("P")


def message() -> str:
    """What the user reads after an unexpected error: what happened, that the input is kept, what to do."""
    return _("Something went wrong on this page ({time}); it has been logged. What you typed is kept in the "
             "fields. Try again; if it happens again, copy your text elsewhere, reload the page and tell the "
             "administrator the time shown.").format(time=dt.datetime.now().strftime("%H:%M:%S"))


@contextmanager
def page() -> Iterator[None]:
    """Run a page; an unexpected error is logged and explained, and the run stops keeping every input."""
    try:
        yield
    except Exception:  # noqa: BLE001 (the boundary: st.rerun and st.stop are not Exceptions and pass)
        log.exception("unexpected error on a page")
        st.error(message(), icon=":material/error:")
        st.stop()


def safe(callback: Callable[P, Any]) -> Callable[P, None]:
    """A widget callback that never shows Streamlit's exception banner (see `page`)."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception:  # noqa: BLE001 (the boundary)
            log.exception("unexpected error in a widget callback")
            st.error(message(), icon=":material/error:")

    return run
