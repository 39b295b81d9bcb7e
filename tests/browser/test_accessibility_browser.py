"""Accessibility in a real browser: axe-core (the copy axe-playwright-python bundles; WCAG 2.0/2.1 A and AA
rules) on the main screens, as the chair, as a panel member and as an evaluator, and `<html lang>` following the language.

Fails on any serious or critical violation of ours; prints every violation found (`pytest -s`). Violations inside Streamlit's own widgets, which the
app cannot change, are listed in STREAMLIT_OWN with the reason and printed (`pytest -s`), never hidden:
a new kind of violation, or one outside those widgets, fails. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.browser.harness import TIMEOUT, go, sign_in, streamlit_app, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
# (rule id, CSS fragment of the offending node) found only in Streamlit's own widgets, with why it stays.
STREAMLIT_OWN: dict[tuple[str, str], str] = {}
SCREENS = {  # role -> the screens (Dutch menu names) a working day touches
    "chair": ["Dossiers", "Intake en ontvankelijkheid", "Dossierstukken", "Hoorzitting", "Beraadslaging", "Besluit", "Brief"],
    "police": ["Dossiers", "Inbreng discipline"],
    "evaluator": ["Evaluatie"],  # tables with their charts (each chart's text alternative is its table)
}


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


def _violations(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(rule, impact, target | why) of each violation's node, whatever its impact."""
    return [(v["id"], str(v["impact"]), " ".join(str(t) for t in n["target"]) + " | "
             + n.get("failureSummary", "")[-160:].replace("\n", " "))
            for v in results["violations"] for n in v["nodes"]]


def _check(page: Page, name: str, found: dict[str, list[tuple[str, str, str]]]) -> None:
    wait_idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
    found[name] = _violations(Axe().run(page, options=WCAG_AA).response)


def test_main_screens_have_no_serious_accessibility_violation_and_declare_their_language(
        server: str, browser: Browser) -> None:
    found: dict[str, list[tuple[str, str, str]]] = {}
    page = _page(browser)
    page.goto(f"{server}/?lang=nl")
    page.wait_for_selector('[class~="st-key-signin-username"]', timeout=180_000)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    _check(page, "signin-nl", found)
    for role, screens in SCREENS.items():
        page = _page(browser)
        sign_in(page, server, role)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        for screen in screens:
            if len(screens) > 1:  # a role with one screen has no menu (Streamlit hides it) and lands on it
                go(page, screen)
            if screen == "Brief":  # the draft's page images come after the page's run: check them too
                page.locator('[data-testid="stImageContainer"] img').first.wait_for(timeout=180_000)
            if screen == "Evaluatie":  # the charts are drawn after the page's run: check them too
                page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=180_000)
            _check(page, f"{role}-{screen}", found)
        page.locator('[class~="st-key-ui-lang_switch"]').get_by_text("English", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _check(page, f"{role}-{screens[-1]}-en", found)
        page.context.close()
    for name, violations in found.items():
        for v in violations:
            print("AXE", name, *v)  # the report (pytest -s): every impact; the test fails on serious and critical
    ours = {name: [v for v in vs if v[1] in ("serious", "critical")
                   and not any(v[0] == rule and frag in v[2] for rule, frag in STREAMLIT_OWN)]
            for name, vs in found.items()}
    assert {name: vs for name, vs in ours.items() if vs} == {}
