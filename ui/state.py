"""The one place that names `st.session_state` keys, with typed getters and setters.

Pages never touch `st.session_state` directly: they call these functions, so a key is spelled once and
tests can fake the signed-in user with `at.session_state[state.USER] = user`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from assessment import services
from assessment.model import InputDraft, User
from assessment.services import Settings, Store

USER = "auth.user"
LANG = "ui.lang"
STORE = "db.store"
LAST_ACTIVE = "auth.last_active"
CASE = "case.current"
FLASH = "ui.flash"
EXPIRED = "auth.expired"
CHANGED = "auth.changed"
STAMP = "auth.stamp"
DRAFT = "input.draft"  # + ".<ref>": {"draft": InputDraft, "version": int | None, "saved_at": str | None}
VIEWS = "evaluation.logged_views"  # the workspace views this session has logged (services.workspace)
CONFLICT = "input.conflict"  # + ".<ref>": {"mine": InputDraft, "theirs": InputDraft, "version": int}


def user() -> User | None:
    """The signed-in user, or None."""
    value = st.session_state.get(USER)
    return value if isinstance(value, User) else None


def set_user(value: User | None) -> None:
    """Sign a user in (or out with None); resets the idle clock."""
    if value is None:
        for key in list(st.session_state.keys()):
            if key not in (LANG, STORE):  # the language choice outlives the sign-in
                del st.session_state[key]
        return
    st.session_state[USER] = value
    touch()


def touch() -> None:
    """Record activity now (for the idle timeout)."""
    st.session_state[LAST_ACTIVE] = time.monotonic()


def idle_seconds() -> float:
    """Seconds since the last recorded activity (0 when none was recorded)."""
    last = st.session_state.get(LAST_ACTIVE)
    return 0.0 if last is None else time.monotonic() - float(last)


def expired() -> bool:
    """True once, after a sign-out because the session was idle too long."""
    return bool(st.session_state.pop(EXPIRED, False))


def mark_expired() -> None:
    st.session_state[EXPIRED] = True


def changed() -> bool:
    """True once, after a sign-out because the account was disabled or changed."""
    return bool(st.session_state.pop(CHANGED, False))


def mark_changed() -> None:
    st.session_state[CHANGED] = True


def stamp() -> str | None:
    """The account stamp recorded at sign-in (ui.session)."""
    value = st.session_state.get(STAMP)
    return value if isinstance(value, str) else None


def set_stamp(value: str | None) -> None:
    st.session_state[STAMP] = value


def lang() -> str:
    """The interface language: 'nl' (default) or 'en'."""
    value = st.session_state.get(LANG)
    return value if value in ("nl", "en") else "nl"


def set_lang(value: str) -> None:
    st.session_state[LANG] = value if value in ("nl", "en") else "nl"


def settings() -> Settings:
    """The settings this process runs with (database path, demo mode), from the environment."""
    return services.load_settings()


def store() -> Store:
    """This run's own connection to the database. A sqlite3 connection belongs to the thread that opened
    it and Streamlit gives every run its own thread, so each run opens one (about a millisecond) and
    app.py closes it when the run ends; transactions of two sessions never interleave on one connection."""
    current = st.session_state.get(STORE)
    if isinstance(current, tuple) and current[0] == threading.get_ident():
        return current[1]
    opened = services.open_store(settings())
    st.session_state[STORE] = (threading.get_ident(), opened)
    return opened


@contextmanager
def own_store(current: Settings | None = None) -> Iterator[Store]:
    """A connection of its own for work outside a page run (e.g. a download produced when clicked, on a
    thread Streamlit starts for it); closed when the work is done."""
    opened = services.open_store(current or settings())
    try:
        yield opened
    finally:
        opened.close()


def close_store() -> None:
    """Close this run's connection (called by app.py when the run ends)."""
    current = st.session_state.pop(STORE, None)
    if isinstance(current, tuple) and current[0] == threading.get_ident():
        current[1].close()


def case_ref() -> str | None:
    """The case the user is working on (chosen on the Cases page or any page's case picker)."""
    value = st.session_state.get(CASE)
    return value if isinstance(value, str) else None


def set_case_ref(ref: str | None) -> None:
    st.session_state[CASE] = ref


def flash(message: str, kind: str = "success") -> None:
    """A message to show once at the top of the next run (e.g. after a form was saved)."""
    st.session_state[FLASH] = (kind, message)


def pop_flash() -> tuple[str, str] | None:
    value = st.session_state.pop(FLASH, None)
    return value if isinstance(value, tuple) else None


def draft_entry(ref: str) -> dict[str, Any] | None:
    """The discipline input being edited for this case: draft, stored version and time of the last save."""
    value = st.session_state.get(f"{DRAFT}.{ref}")
    return value if isinstance(value, dict) else None


def set_draft_entry(ref: str, draft: InputDraft, version: int | None, saved_at: str | None,
                    submitted: bool = False) -> None:
    st.session_state[f"{DRAFT}.{ref}"] = {"draft": draft, "version": version, "saved_at": saved_at,
                                          "submitted": submitted}


def conflict(ref: str) -> dict[str, Any] | None:
    """A save refused because someone else saved first: both versions, kept until the user chooses."""
    value = st.session_state.get(f"{CONFLICT}.{ref}")
    return value if isinstance(value, dict) else None


def set_conflict(ref: str, value: dict[str, Any] | None) -> None:
    if value is None:
        st.session_state.pop(f"{CONFLICT}.{ref}", None)
    else:
        st.session_state[f"{CONFLICT}.{ref}"] = value


def widget(key: str, default: Any) -> Any:
    """Seed a widget's value once (before the widget is created), so the widget is the single owner of its
    value afterwards and no `value=` argument fights with session state."""
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def get(key: str, default: Any = None) -> Any:
    """The value of a widget key (for callbacks reading what the user typed)."""
    return st.session_state.get(key, default)


def forget(prefix: str) -> None:
    """Drop every widget value under a key prefix (e.g. after a form was saved, or a conflict resolved)."""
    for key in [k for k in list(st.session_state) if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def reset(values: dict[str, Any]) -> None:
    """Put widgets back to these values, from a callback (before the widgets are drawn again). Deleting their
    keys is not enough: the browser sends the old values with the same run, and the widgets would keep them
    (issue #14: the next application inherited the previous applicant's data)."""
    for key, value in values.items():
        st.session_state[key] = value


def logged_views() -> set[str]:
    """The views of the evaluation workspace this session has recorded in the audit log (the service adds to it),
    so a rerun of the same view is not logged again; signing out forgets it."""
    views = st.session_state.get(VIEWS)
    if not isinstance(views, set):
        views = st.session_state[VIEWS] = set()
    return views


def put(key: str, value: Any) -> None:
    """Keep a value of this session under a page's own dotted key (e.g. a cached preview, field errors)."""
    st.session_state[key] = value


def pop(key: str) -> Any:
    """Remove a key of this session and give back its value (None when it was not set)."""
    return st.session_state.pop(key, None)


def has(key: str) -> bool:
    """Whether this session holds a value (or a widget's value) under `key`."""
    return key in st.session_state


def keep_choice(key: str, options: list[str], preferred: str | None) -> None:
    """Before a select widget is drawn: keep its value if it is still an option, else start at `preferred`
    (when it is one) or the first option."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = preferred if preferred in options else options[0]
