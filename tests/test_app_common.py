"""The AppTest harness the app's tests share (fixtures and helpers), and tests of the app's plumbing:
the translation catalogues, the navigation table, demo start and first-admin start."""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.config import load_settings
from assessment.model import User
from assessment.store import Store, open_store
from ui import demo_start, state
from ui.navigation import SCREENS, screens_for

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

OpenApp = Callable[..., AppTest]


@pytest.fixture
def app_env(store: Store, users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    """Point the app at the test's database (demo accounts present, demo mode on)."""
    monkeypatch.setenv("AANNEMELIJK_DB", str(store.path))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    return users


@pytest.fixture
def open_app(app_env: dict[str, User]) -> OpenApp:
    """Open the app as a user (faked through ui.state, as st.login cannot run in AppTest) on one screen."""
    st_config.set_option("client.showErrorDetails", "full")  # tests want the traceback, users never

    def run(user: User | str | None, page: str | None = None, lang: str = "nl") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        if user is not None:
            at.session_state[state.USER] = app_env[user] if isinstance(user, str) else user
        at.session_state[state.LANG] = lang
        at.run()
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return run


def as_text(body: object) -> str:
    """What a reader sees of a Markdown body that holds escaped text: each backslash-escaped ASCII punctuation
    character as itself (CommonMark's rule), without the invisible joiner that keeps an address from becoming a
    link. Messages and rubric texts reach the page escaped (ui/text.py)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(body)).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Everything the page says in markdown, titles, captions, alerts (for whole-page checks), as read."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "success", "info",
                                  "warning", "error")
             for e in getattr(at, kind)]
    return "\n".join(as_text(p) for p in parts)


def by_key(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    """The widget with this deliberate key, whatever its kind."""
    for kind in ("text_input", "text_area", "selectbox", "radio", "checkbox", "button", "date_input",
                 "number_input", "multiselect", "segmented_control"):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(key)


# --------------------------------------------------------------------------------------------------------


def test_navigation_offers_each_role_only_its_screens() -> None:
    assert {role: [s.path for s in screens_for(role)] for role in
            ("secretary", "member", "chair", "evaluator", "admin")} == {
        "secretary": ["ui/cases.py", "ui/intake.py", "ui/file.py", "ui/hearing.py", "ui/letter.py", "ui/audit.py"],
        "member": ["ui/cases.py", "ui/file.py", "ui/input.py", "ui/hearing.py", "ui/deliberation.py"],
        "chair": ["ui/cases.py", "ui/intake.py", "ui/file.py", "ui/hearing.py", "ui/deliberation.py",
                  "ui/decision.py", "ui/letter.py", "ui/audit.py"],
        "evaluator": ["ui/evaluation.py"],
        "admin": ["ui/admin.py"],
    }
    assert all((ROOT / s.path).exists() for s in SCREENS)


def test_demo_start_shows_progress_until_filled_then_sign_in_and_fills_once(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The first start in demo mode fills the database on a thread (ui/demo_start.py). While that is not done
    (here: another process holds the fill lock) the page shows only the progress message, no sign-in and no
    setup form; afterwards the sign-in lists the demo accounts. A second start on the same file at the same
    time (another app process) fills nothing: every account and curated case exists once."""
    db = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("AANNEMELIJK_DB", str(db))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    with open(db.with_name(db.name + ".demo-lock"), "a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        at = AppTest.from_file(APP, default_timeout=60).run()
        second = demo_start.DemoStart(load_settings()).start()  # a second process starting on the same file
        assert not at.exception
        assert [t.value for t in at.title] == ["Demo voorbereiden"]
        assert "demodatabase" in at.get("progress")[0].proto.text
        assert not at.text_input  # neither the sign-in nor the first-administrator form
        assert "DEMO" in as_text(at.warning[0].value)
    for started in [t for t in threading.enumerate() if t.name == "demo-start"]:
        started.join(timeout=120)
    assert second.ready and second.error is None
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Aanmelden"]
    # one demo member per discipline of pilot_data/disciplines.yaml, named after it
    members = [d["id"] for d in YAML(typ="safe", pure=True).load(
        (ROOT / "pilot_data" / "disciplines.yaml").read_text(encoding="utf-8"))["disciplines"]]
    assert [row for row in at.table[0].value.iloc[:, 0]] == [
        "secretary", "chair", *members, "evaluator", "trainer", "admin"]
    with closing(sqlite3.connect(db)) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "cases")]
    assert counts == [len(members) + 5, len(list((ROOT / "pilot_data" / "cases").glob("*.yaml")))]


def test_without_demo_a_fresh_database_asks_for_the_setup_token_first(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The first visitor of a fresh production database is not made administrator (issue #14, hole 6): the
    form appears only once `init` issued a one-time token, and takes that token only."""
    monkeypatch.setenv("AANNEMELIJK_DB", str(tmp_path / "fresh.sqlite3"))
    monkeypatch.setenv("AANNEMELIJK_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert [t.value for t in at.title] == ["Welkom bij Aannemelijk"] and not at.warning
    assert "setup.username" not in [w.key for w in at.text_input]
    with open_store(load_settings()) as store:
        token = services.issue_setup_token(store)
    assert token
    at.run()
    for wrong in ("", "raden"):
        at.text_input(key="setup.token").input(wrong)
        at.text_input(key="setup.username").input("beheer")
        at.text_input(key="setup.password").input("een-lang-wachtwoord")
        at.text_input(key="setup.password2").input("een-lang-wachtwoord")
        at.button[0].click().run()
        assert state.USER not in at.session_state or at.session_state[state.USER] is None
        assert any("Insteltoken onjuist" in as_text(e.value) for e in at.error)  # the page speaks Dutch
    at.text_input(key="setup.token").input(token)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state[state.USER] == User(username="beheer", role="admin",
                                                display_name="beheer")
    assert [t.value for t in at.title] == ["Beheer"]


def today() -> dt.date:
    return dt.date.today()


def test_a_wrong_setting_is_said_on_the_page_not_shown_as_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AANNEMELIJK_QUORUM", "0")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [as_text(e.value) for e in at.error] == ["AANNEMELIJK_QUORUM='0': moet ten minste 1 zijn"]
