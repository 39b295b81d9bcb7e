"""The draft decision in a real browser (issue #12): a reopened case's decision form comes back with the
decision it replaces, not empty; what the chair then types is saved and is there again after a reload."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import go, key, new_page, pick_case, sign_in, streamlit_app, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser


def test_a_reopened_decision_comes_back_and_a_typed_draft_survives_a_reload(tmp_path: Path, browser: Browser) -> None:
    db = tmp_path / "app.sqlite3"
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}) as url:
        page = new_page(browser, viewport={"width": 1400, "height": 1400}, locale="en-GB")
        try:
            sign_in(page, url, "chair", lang="en")  # the first page loads the demo cases
            with open_store(Settings(db_path=db, demo=True)) as store:
                chair = services.user_by_name(store, "chair")
                ref = next(c.ref for c in services.list_cases(store, chair) if c.status == "decided")
                case = services.get_case(store, chair, ref)
                assert case.decision is not None
                earlier = case.decision.reasons["overall"]
                services.reopen_case(store, chair, ref, "New medical report.", case.version)
            go(page, "Decision")
            pick_case(page, "pick.decision", ref)
            overall = page.locator(key("decision.reason.overall")).locator("textarea")
            expect(overall).to_have_value(earlier)
            overall.fill("Weighed again after the new medical report.")
            overall.press("Tab")  # leaving the field saves it
            wait_idle(page)
            page.reload()
            sign_in(page, url, "chair", lang="en")
            go(page, "Decision")
            pick_case(page, "pick.decision", ref)
            expect(page.locator(key("decision.reason.overall")).locator("textarea")).to_have_value(
                "Weighed again after the new medical report.")
        finally:
            page.context.close()
