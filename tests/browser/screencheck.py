"""What every screen of the browser suite is checked for, in one pass per screen (tests/browser/
test_accessibility_browser.py for the real space, test_training_browser.py for the training space):

- axe-core (the copy axe-playwright-python bundles) with the WCAG 2.0/2.1 A and AA rules: no violation;
- no Streamlit exception element (`stException`): a crash banner must never reach a user;
- in the Dutch interface no English a reader meets (a word list matched on the visible text and on what a
  screen reader reads out: names, values, live announcements); ALLOWED lists what may stay (names and a
  cited title), each with its reason. Streamlit's own texts are no exception: ui/streamlit_text.py says
  them in Dutch, and they fail this check if they come back;
- a full-page screenshot under tests/browser/artifacts/ (git-ignored; CI keeps it as an artefact).

`Findings` collects what each screen shows, so one run reports every screen, and the test asserts at the end."""

from __future__ import annotations

import json
import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from assessment.services import LANGUAGE_NAMES, demo_accounts, gettext
from tests.browser.harness import ARTIFACTS, FIRST_PAGE_TIMEOUT, go, key, wait_idle
from ui.navigation import Screen

# What a screen draws after its run: wait for it, so it is checked too.
LATE = {"ui/letter.py": '[data-testid="stImageContainer"] img',  # the draft's page images
        "ui/evaluation.py": '[data-testid="stVegaLiteChart"]'}  # the charts (their text alternative: a table)
_AXE = Axe()  # the bundled axe-core script, read once
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}

# Common English words of a user interface that Dutch never uses as words of its own, matched whole and in any
# case on the visible text. Calibrated on the Dutch catalogue (locale/nl): no Dutch text of the app hits one,
# except CLI texts that quote a command. Loanwords Dutch does use ("account", "export", "panel", "status",
# "training", "demo", "open", "per") are left out on purpose, and so are words that are demo usernames ("chair",
# "member": names).
ENGLISH_WORDS = (
    "the", "and", "with", "for", "your", "you", "are", "this", "that", "not", "from", "has", "have", "been", "will",
    "yet", "to", "on", "by", "or", "an", "it", "at", "all", "any", "can", "must", "when", "who", "what", "which",
    "only", "here", "there", "should", "please", "Save", "Saved", "Submit", "Choose", "Select", "Upload", "Browse",
    "Drag and drop", "None", "Cancel", "Delete", "Remove", "Add", "Search", "Download", "Sign in", "Sign out", "Yes",
    "Loading", "Error", "Show", "Hide", "Close", "Edit", "New", "Case", "Cases", "Decision", "Letter", "Hearing",
    "Evaluation", "Password", "Username", "Date", "Source", "Note", "Reasons", "Overall", "Confidence", "Draft",
    "page", "file", "files", "Limit", "Running", "Clear", "Today", "Next", "Previous", "Options", "rated", "missing",
    "input", "Filter", "Import", "Period", "Action", "Actor", "Role", "Language")
ENGLISH = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b", re.IGNORECASE)

# Text that may stay English in the Dutch interface (a regular expression on one text node), with the reason.
# Streamlit's own texts ("Upload", "Help for …", "12 options available.") are not here: ui/streamlit_text.py.
ALLOWED: dict[str, str] = {
    r"English": "the language switch names each language in that language",
    r"Taal / Language": "the language switch's label, in both languages so that a reader of either finds it",
    r"Demo (?:" + "|".join(name.capitalize() for name, _r, _d in demo_accounts()) + ")":
        "the demo accounts' display names (names, not interface text)",
    r"The measurement of observer agreement for categorical data": "the title of a cited article (Landis and "
                                                                    "Koch 1977, the evaluation's kappa bands)",
}
_ALLOWED = re.compile("|".join(f"(?:{a})" for a in ALLOWED))
# Drawn and still: no element still loading (a skeleton) and no finite animation or transition running (new
# elements fade in after a run; a spinner's endless animation does not count).
_SETTLED = """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
  && document.getAnimations().every(a => a.playState !== 'running'
                                         || !isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))"""
# The text a reader meets: every rendered text node, without icon ligatures (a Material icon is drawn from
# its name, "download") and what is hidden from assistive technology; and what a screen reader reads out
# that is not on screen: the names, values and descriptions in attributes (Streamlit's own "Help for …" is a
# help icon's aria-label) and live regions (a select box announces "… options available" in one).
_VISIBLE_TEXT = """() => {
  const out = [];
  const hidden = el => !!el.closest('[data-testid="stIconMaterial"], [aria-hidden="true"], script, style')
                      || !el.checkVisibility({visibilityProperty: true});
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement, t = n.textContent.trim();
    if (t && el && !hidden(el)) out.push(t);
  }
  const said = ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'aria-placeholder',
                'title', 'placeholder', 'alt'];
  for (const el of document.body.querySelectorAll(said.map(a => `[${a}]`).join(', '))) {
    if (hidden(el)) continue;
    for (const a of said) { const t = (el.getAttribute(a) || '').trim(); if (t) out.push(t); }
  }
  return out;
}"""


def english_in(texts: list[str]) -> list[str]:
    """The texts (a Dutch screen's text nodes) with an English word once the allowed texts are taken out."""
    return [t for t in texts if ENGLISH.search(_ALLOWED.sub("", t))]


def english_on(page: Page) -> list[str]:
    """The English a reader meets on the Dutch screen `page` shows now (texts, names, announcements)."""
    return english_in(page.evaluate(_VISIBLE_TEXT))


class Findings:
    """What the screens of one test showed that they should not: per screen, each kind of finding."""

    def __init__(self) -> None:
        self.axe: dict[str, list[str]] = {}
        self.exceptions: dict[str, list[str]] = {}
        self.english: dict[str, list[str]] = {}

    def check(self, page: Page, name: str, lang: str) -> None:
        """Check the screen `page` shows now (the caller waited until Streamlit is idle), named `name` (the
        screenshot's file name), in `lang`."""
        page.wait_for_function(_SETTLED)  # a screen still fading in would read as low contrast
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        crashes = page.locator('[data-testid="stException"]')
        if crashes.count():
            self.exceptions[name] = [t[:300] for t in crashes.all_inner_texts()]
        if lang == "nl":
            english = english_on(page)
            if english:
                self.english[name] = english
        if not page.evaluate("typeof window.axe !== 'undefined'"):  # once per page: Streamlit's menu keeps it
            page.evaluate(_AXE.axe_script)
        violations = _violations(page.evaluate(f"axe.run(document, {json.dumps(WCAG_AA)})"))
        if violations:
            self.axe[name] = violations

    def assert_none(self) -> None:
        for kind in ("axe", "exceptions", "english"):
            for name, items in getattr(self, kind).items():
                for item in items:
                    print(kind.upper(), name, item)  # the whole report (pytest -s), not only the first failure
        assert (self.axe, self.exceptions, self.english) == ({}, {}, {})


def _violations(results: dict[str, Any]) -> list[str]:
    """'rule (impact): target | why' of each violation's node, whatever its impact."""
    return [f"{v['id']} ({v['impact']}): " + " ".join(str(t) for t in n["target"]) + " | "
            + n.get("failureSummary", "")[-200:].replace("\n", " ")
            for v in results["violations"] for n in v["nodes"]]


def visit(page: Page, screens: list[Screen], lang: str, role: str, found: Findings, *, on: int | None = None) -> int:
    """Open each of a role's screens from the menu and check it; `on`: the index of the screen the page shows
    now (checked first, without a menu click). A role with one screen has no menu (Streamlit hides it) and is
    on it. Returns the index of the screen the page shows at the end."""
    start = 0 if on is None else on
    order = [(i % len(screens)) for i in range(start, start + len(screens))]
    for n, i in enumerate(order):
        if (n > 0 or on is None) and len(screens) > 1:
            go(page, gettext(lang, screens[i].title))
        path = screens[i].path
        if path in LATE:
            page.locator(LATE[path]).first.wait_for(timeout=FIRST_PAGE_TIMEOUT)
        found.check(page, f"a11y-{role}-{lang}-{path.removeprefix('ui/').removesuffix('.py')}", lang)
    return order[-1]


def switch_language(page: Page, lang: str) -> None:
    """Choose `lang` in the sidebar's language switch; the page declares it, and Streamlit's own texts follow
    (ui/streamlit_text.py: translated in Dutch, as Streamlit wrote them in English; the skip link stands for
    them all, being on every page and never redrawn by Streamlit)."""
    page.locator(key("ui.lang_switch")).get_by_text(LANGUAGE_NAMES[lang], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator('[data-testid="stSkipToContent"]')).to_have_text(gettext(lang, "Skip to main content"))
    wait_idle(page)
