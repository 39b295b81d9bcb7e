"""Forms start empty (issue #14, hole 11), in a real browser, where the bug lived: the browser sends the
old widget values with the run that registered the case, so deleting the keys left the next application
with the previous applicant's data. Two applications in a row: the second carries nothing of the first.
The chronology line likewise starts empty after a fact was added."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import go, key, new_page, pick_case, sign_in, streamlit_app, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser

FIRST = {"name": "Eerste Aanvrager", "contact": "+31 6 1111 1111", "representative": "Mr. Een",
         "place_of_exploitation": "Ergens", "notes": "Aantekening bij de eerste", "sector": "Schoonmaak",
         "languages": "nl, en"}


def _fill_text(page: Page, field: str, value: str) -> None:
    box = page.locator(key(f"intake.{field}")).locator("input, textarea").first
    box.fill(value)
    box.press("Tab")
    wait_idle(page)


def _date(page: Page, field: str, day: dt.date) -> None:
    page.locator(key(f"intake.{field}")).locator('[data-type="day"]').click()
    page.keyboard.type(day.strftime("%d%m%Y"), delay=20)
    page.keyboard.press("Escape")  # close the calendar, which would cover the next field
    page.keyboard.press("Tab")
    wait_idle(page)


def _register(page: Page) -> str:
    page.locator(key("intake.submit")).locator("button").click()
    wait_idle(page)
    message = page.get_by_text("registered.").first
    expect(message).to_be_visible()
    return message.inner_text().split()[1]


def test_the_next_application_and_chronology_line_start_empty(tmp_path: Path, browser: Browser) -> None:
    db, key_file = tmp_path / "app.sqlite3", tmp_path / "audit.key"
    with open_store(Settings(db_path=db, demo=True, audit_key_file=key_file)) as store:
        services.load_demo_users(store)  # accounts only: the app then skips loading the demo cases
    env = {"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1", "AANNEMELIJK_AUDIT_KEY_FILE": str(key_file)}
    with streamlit_app(env) as url:
        page = new_page(browser, viewport={"width": 1400, "height": 1400}, locale="en-GB")
        try:
            sign_in(page, url, "secretary", lang="en")
            go(page, "Intake & admissibility")
            received = dt.date.today()
            _date(page, "route_end_on", received - dt.timedelta(days=10))
            _date(page, "date_of_birth", dt.date(1999, 5, 17))
            _date(page, "period_start", dt.date(2024, 1, 1))
            for field, value in FIRST.items():
                _fill_text(page, field, value)
            _fill_text(page, "nationality", "NG")
            first = _register(page)
            # The second application: only what the form needs, typed anew.
            _date(page, "route_end_on", received - dt.timedelta(days=5))
            _fill_text(page, "name", "Tweede Aanvrager")
            _fill_text(page, "nationality", "BG")
            second = _register(page)
            assert second != first
            go(page, "File")
            pick_case(page, "pick.file", second)
            fact = page.locator(key("chron.fact")).locator("input")
            fact.fill("Een feit")
            fact.press("Tab")
            wait_idle(page)
            page.locator(key("chron.submit")).locator("button").click()
            wait_idle(page)
            # The run the click starts may begin after wait_idle looked: wait for the emptied line, do not sample it.
            expect(page.locator(key("chron.fact")).locator("input")).to_have_value("")
        finally:
            page.context.close()
    with open_store(Settings(db_path=db, demo=True, audit_key_file=key_file)) as store:
        secretary = services.user_by_name(store, "secretary")
        one = services.get_case(store, secretary, first).intake
        two_case = services.get_case(store, secretary, second)
        two = two_case.intake
    assert one is not None and two is not None
    assert one.applicant.contact == FIRST["contact"] and one.applicant.date_of_birth == dt.date(1999, 5, 17)
    assert (two.applicant.name, two.nationality) == ("Tweede Aanvrager", "BG")
    inherited = {f: getattr(two.applicant, f) for f in ("contact", "representative", "place_of_exploitation", "notes",
                                                        "date_of_birth") if getattr(two.applicant, f)}
    inherited |= {f: getattr(two, f) for f in ("sector", "languages", "period_start") if getattr(two, f)}
    assert inherited == {}
    assert [c.fact for c in two_case.chronology] == ["Een feit"]  # added, and the line emptied after
