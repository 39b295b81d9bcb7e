"""User text shown as text, in a real browser (issue #14, hole 5).

The markup attacks of tests/attack/strings.json (an image from another host in Markdown and in HTML, a
script, a heading, a formula, Streamlit's colour and icon directives, a javascript: link) are planted in
every free-text field a decided case has: the applicant's name, the admissibility reasons, a chronology
fact, a document title, the hearing summary, each member's sources, notes and reasons, the decision's
reasons, the reason for departing from the rubric and a dissent; and, since a rubric is a file an
administrator uploads, the active rubric's disclaimer, an element's name and an indicator's name. The
secretary, a member and the chair then open every page that shows them. No request may leave the app's own address, and none of the
elements the markup would create may exist; the planted text itself must be on the page, as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.model import DimensionView, InputDraft, ObservationInput  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import ROOT, go, new_page, pick_case, shot, sign_in, streamlit_app, wait_idle  # noqa: E402
from tests.conftest import intake  # noqa: E402

pytestmark = pytest.mark.browser

MARKUP = [e["value"] for e in json.loads((ROOT / "tests" / "attack" / "strings.json").read_text(encoding="utf-8"))
          if e["kind"] == "markup" and e["id"] != "sql_quote"]
SHORT = " ".join(v for v in MARKUP if "evil.invalid" in v)  # fits a 200-character field
# One paragraph each, scripts last: rendered as Markdown, an opening <script> would swallow the rest as an
# HTML block, and the test would not see what the others create.
LONG = "\n\n".join(sorted(MARKUP, key=lambda v: v.startswith("<script")))
INDICATOR = "deceptive_recruitment.nature_of_job"
LEGAL = ROOT / "pilot_data" / "rubrics" / "legal-273f.yaml"


def _planted_rubric() -> bytes:
    """The shipped legal test with the markup in its disclaimer, the name of the element 'act' and the name of
    the indicator planted above (each a JSON string, which YAML reads as a double-quoted scalar)."""
    text = LEGAL.read_text(encoding="utf-8")
    for original in ('{nl: "Gedraging", en: "Act"}',
                     '{nl: "Misleid over de aard van het werk, de werkplek of de werkgever", '
                     'en: "Deceived about the nature of the job, location or employer"}'):
        assert original in text
        nl, en = (part.split(": ", 1)[1].strip('"}') for part in original.strip("{}").split(", en"))
        text = text.replace(original, f"{{nl: {json.dumps(nl + ' ' + SHORT)}, en: {json.dumps(en + ' ' + SHORT)}}}")
    start = text.index("disclaimer:\n  nl: ")
    text = text[:start] + f"disclaimer:\n  nl: {json.dumps(SHORT)}\n  en: {json.dumps(SHORT)}\n" + \
        text[text.index("\n", text.index("  en: ", start)) + 1:]
    return text.replace('version: "2026.1"', 'version: "2026.9"', 1).encode()


def _plant(db: Path, key: Path) -> str:
    settings = Settings(db_path=db, demo=True, quorum_min_disciplines=2, audit_key_file=key)
    with open_store(settings) as store:
        services.load_demo_users(store)
        admin = services.user_by_name(store, "admin")
        services.activate_rubric(store, admin, services.upload_rubric(store, admin, "planted.yaml",
                                                                      _planted_rubric()).key)
        rubric = services.active_rubric(store)
        u = {n: services.user_by_name(store, n) for n in ("secretary", "chair", "police", "care")}
        ref = services.create_case(store, u["secretary"], intake(applicant={"name": SHORT, "notes": LONG}))
        services.record_consent(store, u["secretary"], ref, "police_file", dt.date(2026, 3, 2))
        for d in ("police", "care"):
            services.assign_panel(store, u["secretary"], ref, d, d)
            services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
        v = services.get_case(store, u["secretary"], ref).version
        services.decide_admissibility(store, u["secretary"], ref, "admissible", LONG, v)
        services.add_chronology(store, u["secretary"], ref, dt.date(2025, 6, 1), LONG)
        services.add_document(store, u["secretary"], ref, source="police", kind="proces-verbaal",
                              received_on=dt.date(2026, 3, 3), title=SHORT)
        for who in ("police", "care"):
            draft = InputDraft(
                observations=[ObservationInput(indicator=INDICATOR, status="present", source=SHORT, note=LONG)],
                dimension_views=[DimensionView(dimension="deceptive_recruitment", view="positive", reasons=LONG)],
                overall_view="positive", confidence="high", overall_reasons=LONG, inconsistency_notes=LONG)
            services.submit_input(store, u[who], ref, services.save_input_draft(store, u[who], ref, draft, None,
                                                                                rubric=rubric))
        from assessment.model import Hearing

        services.record_hearing(store, u["secretary"], ref, Hearing(held_on=dt.date(2026, 4, 1),
                                                                    members=["police", "care"], summary=LONG,
                                                                    report_sent_on=dt.date(2026, 4, 3),
                                                                    corrections_received_on=dt.date(2026, 4, 10)))
        chair = u["chair"]
        services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
        result = services.deliberation_result(store, chair, ref, rubric)
        reasons = {part: LONG for part in result.assessed}  # every part the instrument decides (its elements)
        reasons["overall"] = LONG
        services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons, rubric=rubric,
                                 expected_version=services.get_case(store, chair, ref).version,
                                 override_reason=LONG)
        services.record_dissent(store, u["police"], ref, LONG)
    return ref


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    base = tmp_path_factory.mktemp("usertext")
    db, key = base / "app.sqlite3", base / "audit.key"
    ref = _plant(db, key)
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1", "AANNEMELIJK_QUORUM": "2",
                        "AANNEMELIJK_AUDIT_KEY_FILE": str(key)}) as url:
        yield url, ref


# What the markup would create if it were rendered instead of shown.
CREATED = ('img[src*="evil.invalid"]', 'a[href^="javascript"]', 'a[href*="evil.invalid"]', ".katex", 'h1:has-text("Kop")',
           'h2:has-text("Kop")', 'strong:text-is("vet")', 'span:text-is("ROOD")', 'script:has-text("alert")',
           '[data-testid="stIconMaterial"]:text-is("home")')
# Streamlit itself fetches the Material icon of the page (favicon) from Google's font server; that request
# is the framework's, never made by what a user typed (noted in issue #14's closing report).
FRAMEWORK = ("https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/",)


def _check(page: Page, outside: list[str], where: str) -> None:
    wait_idle(page)
    page.wait_for_timeout(500)
    for selector in CREATED:
        assert page.locator(selector).count() == 0, f"{where}: {selector} was created"
    assert "\U0001f604" not in page.locator("body").inner_text(), f"{where}: :smile: became an emoji"
    assert [u for u in outside if not u.startswith(FRAMEWORK)] == [], f"{where}: requests left the app: {outside}"


# (screen, its case picker, a tab to open first)
FILE, HEARING = ("File", "pick.file", None), ("Hearing", "pick.hearing", None)
DELIBERATION, DECISION = ("Deliberation", "pick.deliberation", None), ("Decision", "pick.decision", None)


@pytest.mark.parametrize("who, screens", [
    ("secretary", [FILE, HEARING]),
    ("police", [FILE, HEARING, DELIBERATION]),
    ("chair", [FILE, DELIBERATION, DECISION]),
])
def test_planted_markup_is_shown_as_text(server: tuple[str, str], browser: Browser, who: str,
                                         screens: list[tuple[str, str, str | None]]) -> None:
    url, ref = server
    page = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) and not r.url.startswith("data:")
            else None)
    try:
        sign_in(page, url, who, lang="en")
        seen = ""
        for name, picker, tab in screens:
            go(page, name)
            if tab:
                page.get_by_role("tab", name=tab).click()
                wait_idle(page)
            pick_case(page, picker, ref)
            for expander in page.locator('[data-testid="stExpander"] summary').all():
                expander.click()
            _check(page, outside, f"{who} / {name}")
            seen += page.locator("body").inner_text()
            shot(page, f"user-text-{who}-{picker}")
        assert "evil.invalid" in seen  # the planted text is there, as text
    finally:
        page.context.close()
