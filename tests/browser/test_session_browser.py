"""Sessions in a real browser (issue #14, hole 6).

- An account disabled while its owner is signed in is signed out on the owner's next click.
- A session idle past AANNEMELIJK_IDLE_MINUTES lets no action through: typing into the input screen's
  reasons (whose change callback saves a draft, and Streamlit runs callbacks before the page) saves
  nothing and shows the sign-in screen.
- A fresh production database does not make its first visitor administrator: the web form asks for the
  one-time token `init` printed, refuses a wrong one, and takes the right one exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import ROOT, TIMEOUT, go, key, new_page, pick_case, sign_in, streamlit_app, wait_idle  # noqa: E402
from tests.conftest import intake  # noqa: E402

pytestmark = pytest.mark.browser
IDLE_SECONDS = 6


def _world(base: Path) -> tuple[Path, Path, str]:
    """Demo accounts and one case in assessment on which the police member sits (no-conflict declared)."""
    db, key_file = base / "app.sqlite3", base / "audit.key"
    with open_store(Settings(db_path=db, demo=True, audit_key_file=key_file)) as store:
        services.load_demo_users(store)
        secretary = services.user_by_name(store, "secretary")
        ref = services.create_case(store, secretary, intake())
        services.record_consent(store, secretary, ref, "police_file", dt.date(2026, 3, 2))
        services.assign_panel(store, secretary, ref, "police", "police")
        services.declare_no_conflict(store, services.user_by_name(store, "police"), ref, "police")  # personally
        v = services.get_case(store, secretary, ref).version
        services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.", v)
    return db, key_file, ref


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    pg = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    yield pg
    pg.context.close()


def _env(db: Path, key_file: Path, **extra: str) -> dict[str, str]:
    return {"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1", "AANNEMELIJK_AUDIT_KEY_FILE": str(key_file), **extra}


def test_a_disabled_account_is_signed_out_on_its_next_click(tmp_path: Path, page: Page) -> None:
    db, key_file, _ref = _world(tmp_path)
    with streamlit_app(_env(db, key_file)) as url:
        sign_in(page, url, "police", lang="en")
        expect(page.locator("h1").first).to_have_text("Cases")
        with open_store(Settings(db_path=db, demo=True, audit_key_file=key_file)) as store:
            services.disable_user(store, services.user_by_name(store, "admin"), "police", "left the panel")
        go(page, "File")
        expect(page.locator("h1").first).to_have_text("Sign in")
        expect(page.get_by_text("signed out because your account was changed or disabled")).to_be_visible()


def test_an_idle_session_lets_no_callback_through(tmp_path: Path, page: Page) -> None:
    db, key_file, ref = _world(tmp_path)
    with streamlit_app(_env(db, key_file, AANNEMELIJK_IDLE_MINUTES=str(IDLE_SECONDS / 60))) as url:
        sign_in(page, url, "police", lang="en")
        go(page, "Discipline input")
        pick_case(page, "pick.input", ref)
        box = page.locator('[class*="overall-reasons"] textarea')
        expect(box).to_be_visible()
        page.wait_for_timeout((IDLE_SECONDS + 3) * 1000)  # idle past the limit
        box.fill("typed after the session expired")
        page.locator("h1").first.click()  # leaving the field sends it: the change callback runs first
        wait_idle(page)
        expect(page.locator("h1").first).to_have_text("Sign in")
    conn = sqlite3.connect(db)
    try:
        saved = conn.execute("SELECT count(*) FROM inputs").fetchone()[0]
    finally:
        conn.close()
    assert saved == 0  # the callback did not save a draft for the expired session


def test_first_run_setup_needs_the_token_init_printed(tmp_path: Path, page: Page) -> None:
    db, key_file = tmp_path / "prod.sqlite3", tmp_path / "audit.key"
    env = {**os.environ, "AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "0", "AANNEMELIJK_AUDIT_KEY_FILE": str(key_file)}
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "0",
                        "AANNEMELIJK_AUDIT_KEY_FILE": str(key_file)}) as url:
        page.goto(f"{url}/?lang=en")
        wait_idle(page)
        expect(page.get_by_text("prints the one-time setup token")).to_be_visible(timeout=TIMEOUT)
        assert page.locator(key("setup.username")).count() == 0  # no form without a token
        done = subprocess.run([sys.executable, "-m", "assessment", "init"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        token = done.stdout.strip().rsplit(" ", 1)[-1]

        def submit(with_token: str) -> None:
            page.goto(f"{url}/?lang=en")
            wait_idle(page)
            page.locator(key("setup.token")).locator("input").fill(with_token)
            page.locator(key("setup.username")).locator("input").fill("beheer")
            page.locator(key("setup.password")).locator("input").fill("een-lang-wachtwoord")
            page.locator(key("setup.password2")).locator("input").fill("een-lang-wachtwoord")
            page.locator('[data-testid="stFormSubmitButton"] button').click()
            wait_idle(page)

        submit("not-the-token")
        expect(page.get_by_text("Setup token wrong or used already")).to_be_visible()
        submit(token)
        expect(page.locator("h1").first).not_to_have_text("Welcome to Aannemelijk")
    with open_store(Settings(db_path=db, demo=False, audit_key_file=key_file)) as store:
        assert [u.username for u in services.list_users(store, services.user_by_name(store, "beheer"))] == ["beheer"]
        assert not services.setup_token_issued(store)  # used up
