"""Every screen of the real space, for every role, in Dutch and in English, in a real browser: no axe-core
violation (WCAG 2.0/2.1 A and AA), no Streamlit exception element, no English in the Dutch interface, and
`<html lang>` following the language (tests/browser/screencheck.py says what is checked; screenshots go to
tests/browser/artifacts/a11y-*.png). The trainer's and trainee's screens live in the training space and are
checked the same way in test_training_browser.py.

One server and one browser context per role: each screen is visited once per language (the menu, then the
language switch, then the menu again), so adding a screen to ui/navigation.py adds it here too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from assessment import services  # noqa: E402
from tests.browser.harness import FIRST_PAGE_TIMEOUT, TIMEOUT, key, sign_in, streamlit_app, wait_idle  # noqa: E402
from tests.browser.screencheck import Findings, switch_language, visit  # noqa: E402
from ui.navigation import screens_for  # noqa: E402

pytestmark = pytest.mark.browser
# Every role of the real space (one member stands for all disciplines: the screens are the same). The trainer
# and the trainee work in the training space (test_training_browser.py).
ROLES = ("secretary", "chair", "police", "evaluator", "admin")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("a11y") / "app.sqlite3"
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}) as url:
        yield url


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    return page


def test_every_screen_for_every_role_in_both_languages(server: str, browser: Browser) -> None:
    found = Findings()
    page = _page(browser)
    for lang in ("nl", "en"):  # each address a new session in its language
        page.goto(f"{server}/?lang={lang}")
        page.locator(key("signin.username")).wait_for(timeout=FIRST_PAGE_TIMEOUT)  # the first creates the demo
        expect(page.locator("html")).to_have_attribute("lang", lang)
        wait_idle(page)
        found.check(page, f"a11y-signin-{lang}", lang)
    page.context.close()
    for role in ROLES:
        screens = screens_for(_role(role))
        page = _page(browser)
        sign_in(page, server, role)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        on = visit(page, screens, "nl", role, found)
        switch_language(page, "en")
        visit(page, screens, "en", role, found, on=on)
        page.context.close()
    found.assert_none()


def _role(username: str) -> str:
    """The demo account's role (its discipline name for a member)."""
    return next(role for name, role, _ in services.demo_accounts() if name == username)
