"""Text limits at the field: the limits are the model's (assessment.model SHORT_MAX, SOURCE_MAX, LONG_MAX);
a field gets `max_chars` (Streamlit shows the counter and refuses more) and, once full, says so beside it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.model import LONG_MAX, SHORT_MAX, SOURCE_MAX

from . import state
from .i18n import _

SHORT, SOURCE, LONG = SHORT_MAX, SOURCE_MAX, LONG_MAX
# The earliest and latest date a date field offers: wide enough that a typed date is always taken (the
# services' plausibility rules then say what is wrong with it), instead of the field turning red and
# silently keeping its old value (Streamlit's default range is only ten years back).
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def number(n: int) -> str:
    """A whole number with the user's thousands separator (20.000 / 20,000)."""
    return f"{n:,}" if state.lang() == "en" else f"{n:,}".replace(",", ".")


def at_limit(key: str, limit: int) -> None:
    """The message at a field whose text reached its limit (the field itself refuses more)."""
    value = state.get(key)
    if isinstance(value, str) and len(value) >= limit:
        st.caption(":orange[" + _("This field holds at most {n} characters; the rest was not taken. Shorten the "
                                  "text, or add a longer text as a document.").format(n=number(limit))
                   + "]")


def upload_mb(limit_bytes: int) -> int:
    """A byte limit as the whole megabytes `st.file_uploader(max_upload_size=...)` takes, so the uploader
    states (and enforces) the app's own limit instead of Streamlit's 200 MB."""
    return max(1, limit_bytes // (1024 * 1024))


def upload_help(limit_bytes: int, kinds: str) -> str:
    """The uploader's help in the user's language (Streamlit's own "Drag and drop" text cannot be set)."""
    return _("{kinds}; at most {n} MB per file.").format(kinds=kinds, n=number(upload_mb(limit_bytes)))
