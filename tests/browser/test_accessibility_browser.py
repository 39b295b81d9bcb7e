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
from tests.browser.harness import FIRST_PAGE_TIMEOUT, TIMEOUT, go, key, sign_in, streamlit_app, wait_idle  # noqa: E402
from tests.browser.screencheck import Findings  # noqa: E402
from ui.navigation import Screen, screens_for  # noqa: E402

pytestmark = pytest.mark.browser
# Every role of the real space (one member stands for all disciplines: the screens are the same). The trainer
# and the trainee work in the training space (test_training_browser.py).
ROLES = ("secretary", "chair", "police", "evaluator", "admin")
# What a screen draws after its run: wait for it, so it is checked too.
LATE = {"ui/letter.py": '[data-testid="stImageContainer"] img',  # the draft's page images
        "ui/evaluation.py": '[data-testid="stVegaLiteChart"]'}  # the charts (their text alternative: a table)


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


def _visit(page: Page, screens: list[Screen], lang: str, role: str, found: Findings, *, first: int = 0) -> None:
    """Open each screen from the menu (a role with one screen has no menu: it is on it) and check it."""
    order = screens[first:] + screens[:first]
    for i, s in enumerate(order):
        if i > 0 or first == 0 and len(screens) > 1:
            go(page, services.gettext(lang, s.title))
        if s.path in LATE:
            page.locator(LATE[s.path]).first.wait_for(timeout=FIRST_PAGE_TIMEOUT)
        name = s.path.removeprefix("ui/").removesuffix(".py")
        found.check(page, f"a11y-{role}-{lang}-{name}", lang)


def test_every_screen_for_every_role_in_both_languages(server: str, browser: Browser) -> None:
    found = Findings()
    for lang in ("nl", "en"):
        page = _page(browser)
        page.goto(f"{server}/?lang={lang}")
        page.locator(key("signin.username")).wait_for(timeout=FIRST_PAGE_TIMEOUT)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        found.check(page, f"a11y-signin-{lang}", lang)
        page.context.close()
    for role in ROLES:
        screens = screens_for(_role(role))
        page = _page(browser)
        sign_in(page, server, role)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        _visit(page, screens, "nl", role, found)
        page.locator(key("ui.lang_switch")).get_by_text("English", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        wait_idle(page)
        _visit(page, screens, "en", role, found, first=len(screens) - 1)  # starts on the screen it is on
        page.context.close()
    found.assert_none()


def _role(username: str) -> str:
    """The demo account's role (its discipline name for a member)."""
    return next(role for name, role, _ in services.demo_accounts() if name == username)
