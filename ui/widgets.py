"""The few widgets the pages share: errors, the case picker, the active rubric, the disclaimer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import CaseSummary, User
from assessment.rubric import Rubric

from . import state
from .i18n import _, choose_one
from .labels import label
from .session import guarded
from .text import md_escape


def current_user() -> User:
    """The signed-in user (app.py only runs a page when there is one)."""
    user = state.user()
    if user is None:  # a page opened without app.py: nothing to show
        st.stop()
    assert user is not None
    return user


def show_error(exc: AannemelijkError) -> None:
    """Show a project error's message in the user's language, as text (it may quote what someone typed)."""
    st.error(md_escape(exc.text(state.lang()), lines=True), icon=":material/error:")


def show_flash() -> None:
    """The one-time message a previous action left (e.g. 'saved')."""
    flashed = state.pop_flash()
    if flashed:
        kind, message = flashed
        (st.success if kind == "success" else st.info)(message)


def call(action: Callable[[], Any]) -> Any:
    """Run one service call; show its error at the top instead of raising. Returns None on error."""
    try:
        return action()
    except AannemelijkError as exc:
        show_error(exc)
        return None


def rubric() -> Rubric:
    """The active rubric version from the database (else the shipped ILO rubric); the service keeps each
    version parsed, so a run costs one small query."""
    return services.active_rubric(state.store())


def lang() -> str:
    return state.lang()


def case_picker(key: str, user: User, *, statuses: Iterable[str] | None = None) -> str | None:
    """A selectbox of the cases this user may see (optionally only some statuses); remembers the choice
    across pages. Returns the chosen reference or None."""
    try:
        cases: list[CaseSummary] = services.list_cases(state.store(), user)
    except AannemelijkError as exc:
        show_error(exc)
        return None
    wanted = set(statuses) if statuses is not None else None
    refs = [c.ref for c in cases if wanted is None or c.status in wanted]
    by_ref = {c.ref: c for c in cases}
    if not refs:
        st.info(_("There are no cases for this screen yet."))
        return None
    current = state.case_ref()
    state.keep_choice(key, refs, current)

    @guarded
    def remember() -> None:
        state.set_case_ref(state.get(key))

    names = {r: f"{r} · {label('status', by_ref[r].status)} · {label('form', by_ref[r].form)}" for r in refs}
    choice = st.selectbox(_("Case"), refs, key=key, on_change=remember, format_func=lambda r: names.get(r, r), placeholder=choose_one())
    state.set_case_ref(choice)
    return str(choice) if choice else None


def disclaimer(r: Rubric) -> None:
    """The rubric's own statement that indicators neither prove nor disprove trafficking."""
    st.info(md_escape(r.disclaimer(lang())), icon=":material/info:")  # type: ignore[arg-type]


def rubric_text(text: Any) -> str:
    """A rubric Text (nl/en) in the user's language, escaped for Markdown (labels, captions, messages): a rubric
    is a file an administrator uploads, and its texts are shown as text."""
    return md_escape(rubric_plain(text))


def rubric_plain(text: Any) -> str:
    """A rubric Text (nl/en) in the user's language, unescaped: only for what Streamlit never parses as
    Markdown (table cells, select-box options) or before `md_escape`."""
    return str(text(lang()))


# Streamlit sends a text field's value when it loses focus or on Ctrl+Enter. So that a reload or a lost
# connection in the middle of typing loses nothing, this fixed script (no user data in it) sends the
# value of the input screen's text fields 800 ms after the last keystroke, by the same Ctrl+Enter, which
# keeps the focus and the caret where they are.
_AUTOSAVE_JS = """<script>
(() => {
  if (window.__aannemelijkAutosave) return;
  window.__aannemelijkAutosave = true;
  const timers = new WeakMap();
  document.addEventListener('input', (ev) => {
    const el = ev.target;
    const isText = el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type === 'text');
    if (!isText || !el.closest('[class*="st-key-input-"]')) return;
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(() => el.dispatchEvent(new KeyboardEvent('keydown', {
      key: 'Enter', code: 'Enter', keyCode: 13, which: 13, ctrlKey: true, bubbles: true})), 800));
  }, true);
})();
</script>"""


def autosave_text_fields() -> None:
    """Commit the input screen's text fields shortly after typing stops (see _AUTOSAVE_JS)."""
    st.html(_AUTOSAVE_JS, unsafe_allow_javascript=True)
