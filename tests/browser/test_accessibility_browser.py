"""Every screen of the real space, for every role, in Dutch and in English, in a real browser: no axe-core
violation (WCAG 2.0/2.1 A and AA), no Streamlit exception element, no English in the Dutch interface, and
`<html lang>` following the language (tests/browser/screencheck.py says what is checked; screenshots go to
tests/browser/artifacts/a11y-*.png). The trainer's and trainee's screens live in the training space and are
checked the same way in test_training_browser.py.

The second test completes the discipline input and then a decision with the keyboard alone (after signing
in): Tab and Shift+Tab to reach a control, Space, Enter and the arrow keys to choose, typing to write, on the
same server.

One server and one browser context per role: each screen is visited once per language (the menu, then the
language switch, then the menu again), so adding a screen to ui/navigation.py adds it here too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import FIRST_PAGE_TIMEOUT, key, new_page, sign_in, streamlit_app, wait_idle  # noqa: E402
from tests.browser.screencheck import Findings, english_on, switch_language, visit  # noqa: E402
from ui.navigation import screens_for  # noqa: E402

pytestmark = pytest.mark.browser
# Every role of the real space (one member stands for all disciplines: the screens are the same). The trainer
# and the trainee work in the training space (test_training_browser.py).
ROLES = ("secretary", "chair", "police", "evaluator", "admin")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("a11y") / "app.sqlite3"
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}) as url:
        yield url, db


@pytest.fixture(scope="module")
def server(served: tuple[str, Path]) -> str:
    return served[0]


def _page(browser: Browser) -> Page:
    page = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="nl-NL")
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


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 300) -> int:
    """Press Tab (Shift+Tab with `back`) until the focused element lies inside `selector`; how many presses
    that took. Fails when the control cannot be reached (not focusable, or out of the focus order)."""
    for n in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("s => !!document.activeElement?.closest(s)", selector):
            return n
    raise AssertionError(f"{selector} not reached with {limit} presses of {'Shift+Tab' if back else 'Tab'}")


def _menu(page: Page, path: str) -> None:
    """Open a screen from the menu with the keyboard."""
    tab_to(page, f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
    page.keyboard.press("Enter")
    wait_idle(page)


def test_discipline_input_and_decision_by_keyboard_alone(served: tuple[str, Path], browser: Browser) -> None:
    url, db = served
    page = _page(browser)
    sign_in(page, url, "police")  # the first page of the server loads the demo
    store = open_store(Settings(db_path=db, demo=True))

    # The police member rates two indicators, writes a note and submits (AAN-2026-0002 is in assessment).
    _menu(page, "input")
    expect(page.locator("h1").first).to_have_text("Inbreng discipline")
    first, second = key("input.act.recruited.status"), key("input.act.transported.status")
    tab_to(page, first)
    page.keyboard.press("Space")  # the first option, "aanwezig"
    wait_idle(page)
    expect(page.locator(first).get_by_role("radio", name="aanwezig")).to_be_checked()
    tab_to(page, key("input.act.recruited.note") + " textarea")  # opened by choosing a status
    page.keyboard.type("Verklaring via het toetsenbord ingevoerd.")
    page.keyboard.press("Tab")  # leaving the field saves it
    wait_idle(page)
    tab_to(page, second)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")  # the third option, "onbekend"
    wait_idle(page)
    expect(page.locator(second).get_by_role("radio", name="onbekend")).to_be_checked()
    back = tab_to(page, key("input.submit") + " button", back=True)  # always in view at the top of the sidebar
    print(f"KEYS Shift+Tab from the second indicator to 'Inbreng indienen': {back}")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Uw inbreng is ingediend.", exact=False)).to_be_visible()
    police = services.user_by_name(store, "police")
    mine = next(i for i in services.get_inputs(store, police, "AAN-2026-0002") if i.username == "police")
    assert mine.submitted
    assert {(o.indicator, o.status, o.note) for o in mine.draft.observations} == {
        ("act.recruited", "present", "Verklaring via het toetsenbord ingevoerd."), ("act.transported", "unknown", "")}
    page.context.close()

    # The chair decides a reopened case: another conclusion than the rubric's, a finding changed with its
    # reasons, the reasons for departing, recorded.
    chair = services.user_by_name(store, "chair")
    ref = "AAN-2026-0013"
    services.reopen_case(store, chair, ref, "Nieuwe informatie", services.get_case(store, chair, ref).version)
    page = _page(browser)
    sign_in(page, url, "chair")
    _menu(page, "decision")
    tab_to(page, key("pick.decision") + " input")
    page.keyboard.type(ref)  # the list shows the matching case; the arrow picks it, Enter takes it
    # The select box announces what it found to a screen reader, in Dutch (Streamlit's is fixed English:
    # ui/streamlit_text.py), and nothing else a reader meets here is English.
    expect(page.locator("[data-live-announcer]")).to_contain_text("1 optie beschikbaar.")
    assert english_on(page) == []
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator(key("pick.decision")).locator("input")).to_have_value(re.compile(ref))
    tab_to(page, key("decision.outcome"))
    page.keyboard.press("ArrowDown")  # from the voided decision's "aannemelijk" to "niet aannemelijk"
    wait_idle(page)
    expect(page.locator(key("decision.outcome")).get_by_role("radio", name="niet aannemelijk")).to_be_checked()
    tab_to(page, key("decision.finding.purpose") + " input")  # element by element (its help, then its choice)
    page.keyboard.type("onvoldoende")  # the letter's words for a finding: "onvoldoende informatie"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator(key("decision.finding.purpose")).locator("input")).to_have_value("onvoldoende informatie")
    tab_to(page, key("decision.reason.purpose") + " textarea")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Het oogmerk blijkt niet uit het dossier.")
    tab_to(page, key("decision.override") + " textarea")
    page.keyboard.type("Het panel weegt de verklaring anders dan de rubriek.")
    tab_to(page, key("decision.submit") + " button")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Besloten: niet aannemelijk", exact=False)).to_be_visible()
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None
    assert (decision.outcome, decision.findings.get("purpose"), decision.reasons.get("purpose"), decision.override_reason) == (
        "niet_aannemelijk", "undetermined", "Het oogmerk blijkt niet uit het dossier.",
        "Het panel weegt de verklaring anders dan de rubriek.")
    store.close()
    page.context.close()
