"""Aannemelijk: the Streamlit app and composition root.

Page config, the language, the database (created, migrated and, in demo mode, filled on first start),
sign-in with idle expiry, and `st.navigation` over the screens the user's role may open.
Run with `streamlit run app.py`.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from ui import demo_start, session, state, streamlit_text
from ui.auth import sign_out
from ui.boundary import page as error_boundary
from ui.i18n import _
from ui.labels import label
from ui.navigation import screens_for
from ui.text import md_escape
from ui.training_common import banner as training_banner
from ui.training_common import training_screens_for

_BOOT_LOCK = threading.Lock()
log = logging.getLogger("aannemelijk.ui")


@st.cache_resource(show_spinner=False)
def bootstrap(db_path: str, demo: bool) -> demo_start.DemoStart | None:
    """Create and migrate the database once per process. In demo mode a database without accounts is filled
    with the demo accounts and cases on a thread (ui/demo_start.py), so the first page appears at once;
    returns that filling, or None when nothing runs in the background."""
    with _BOOT_LOCK:
        settings = state.settings()
        if demo and not settings.training:
            return demo_start.begin(settings)
        store = services.open_store(settings)
        try:
            if store.settings.training:  # the training space: demo and trainee accounts, no real-space cases
                services.load_training_space(store)
            else:
                threading.Thread(target=_keep_evaluation_columns, args=(settings,), name="keep-evaluation-columns",
                                 daemon=True).start()
            return None
        finally:
            store.close()


def _keep_evaluation_columns(settings: services.Settings) -> None:
    """On a thread at start: the evaluators' columns read once, so every block is kept in the store and the
    first figures, report or export do not wait for a cold read (after an upgrade: some 20 s at 100,000
    cases). If it fails, the first evaluator's read is the cold one; the reason goes to the log."""
    try:
        store = services.open_store(settings)
        try:
            services.keep_evaluation_columns(store)
        finally:
            store.close()
    except Exception:
        log.exception("the evaluators' columns could not be read at start")


def _wait_for_demo(start: demo_start.DemoStart) -> None:
    """Until the demo database is filled, the page shows only how far it is (never a half-filled or empty
    database as if it were ready) and looks again every second; once filled, the whole app runs."""
    if start.error is not None:
        if isinstance(start.error, AannemelijkError):
            st.error(md_escape(start.error.text(state.lang()), lines=True))
        else:
            st.error(_("The demo database could not be created. The server log says why."))
        st.stop()
    if start.ready:
        return

    @st.fragment(run_every=1.0)
    def progress() -> None:  # nobody can be signed in yet (no accounts): there is no session to check
        if start.ready:
            st.rerun()
        st.title(_("Preparing the demo"))
        text = (_("Creating the demo database with synthetic cases: {done} of {total} cases ready.").format(
                    done=start.done, total=start.total) if start.total
                else _("Creating the demo database with synthetic cases…"))
        st.progress(start.done / start.total if start.total else 0.0, text=text)
        st.caption(_("This happens once, on the first start. The sign-in appears by itself when it is done."))

    progress()
    st.stop()


def _language() -> None:
    """Dutch by default; the choice is remembered in the address (`?lang=en`) so a reload keeps it."""
    wanted = st.query_params.get("lang")
    if wanted in ("nl", "en") and state.get("ui.lang_switch") is None:
        state.set_lang(wanted)

    @session.guarded
    def switch() -> None:
        choice = state.get("ui.lang_switch") or state.lang()
        state.set_lang(choice)
        st.query_params["lang"] = choice

    state.widget("ui.lang_switch", state.lang())
    st.sidebar.segmented_control("Taal / Language", ["nl", "en"], key="ui.lang_switch", on_change=switch,
                                 format_func=lambda v: services.LANGUAGE_NAMES[v])
    streamlit_text.declare(state.lang())  # <html lang> and Streamlit's own texts in that language


# Streamlit fades captions (st.caption) to 60 % opacity, about 3.9:1 against white: below WCAG 1.4.3's
# 4.5:1 for normal text (axe-core: color-contrast), and the theme has no setting for it. Unfaded, this grey
# has 7:1 on white and 6.2:1 on the sidebar's background. A style-only st.html is not drawn as an element.
_CONTRAST = '<style>[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #595959 !important; opacity: 1 !important; }</style>'


def main() -> None:
    try:
        run()
    finally:
        state.close_store()


def run() -> None:
    st.set_page_config(page_title="Aannemelijk", page_icon=":material/balance:", layout="wide")
    st.html(_CONTRAST)
    try:
        settings = state.settings()
    except AannemelijkError as exc:  # a wrong setting (AANNEMELIJK_QUORUM=0): said in the page's language
        _language()
        st.error(md_escape(exc.text(state.lang()), lines=True))
        st.stop()
    _language()
    try:
        start = bootstrap(str(Path(settings.db_path).resolve()), settings.demo)
    except AannemelijkError as exc:
        st.error(md_escape(exc.text(state.lang()), lines=True))
        st.stop()
    if settings.training:
        training_banner()
    elif settings.demo:
        st.warning(_("DEMO — synthetic cases only, never real people. Demo accounts use the password 'demo'."),
                   icon=":material/science:")
    if start is not None:
        _wait_for_demo(start)
    if session.check() and state.user() is not None:  # idle too long, or the account changed: signed out
        state.touch()
    user = state.user()
    if user is None:
        page = st.navigation([st.Page("ui/signin.py", title=_("Sign in"), icon=":material/login:",
                                      url_path="signin", default=True)], position="hidden")
        page.run()
        return
    screens = training_screens_for(user.role) if settings.training else screens_for(user.role)
    pages = [st.Page(s.path, title=_(s.title), icon=s.icon, default=i == 0) for i, s in enumerate(screens)]
    with st.sidebar:
        st.caption(_("Signed in as {name} ({role})").format(name=md_escape(user.display_name or user.username),
                                                            role=label("role", user.role)))
        if st.button(_("Sign out"), key="auth.signout", icon=":material/logout:"):
            sign_out()
    with error_boundary():
        st.navigation(pages).run()


main()
