"""Real browser: the discipline-input screen's progress overview follows each status the member chooses (the
section is a fragment: its rerun redraws its own line in the overview above it, without adding lines), links
to each section, each section folds away and opens again with its choices kept, and the case file stands in
the sidebar (issue #15). Only an open section draws its controls: the first still to rate opens by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import choose, go, key, new_page, pick_case, shot, sign_in, streamlit_app  # noqa: E402
from tests.conftest import intake  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("browser") / "app.sqlite3"
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}) as url:
        yield url, db


def test_progress_follows_each_status_and_the_file_is_beside_it(server: tuple[str, Path], browser: Browser) -> None:
    url, db = server
    page = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    sign_in(page, url, "police")  # the first page creates the demo database
    store = open_store(Settings(db_path=db, demo=True))
    sec = services.user_by_name(store, "secretary")
    ref = services.create_case(store, sec, intake(sector="horeca"))
    for scope in ("medical", "police_file"):
        services.record_consent(store, sec, ref, scope, dt.date(2026, 3, 2))  # type: ignore[arg-type]
    services.assign_panel(store, sec, ref, "police", "police")
    services.declare_no_conflict(store, services.user_by_name(store, "police"), ref, "police")
    services.decide_admissibility(store, sec, ref, "admissible", "Binnen termijn.",
                                  services.get_case(store, sec, ref).version)
    services.add_document(store, sec, ref, source="police", kind="proces-verbaal", received_on=dt.date(2026, 3, 4),
                          title="Aangifte mensenhandel")
    store.close()
    page.reload()
    sign_in(page, url, "police")
    go(page, "Inbreng discipline")
    pick_case(page, "pick.input", ref)
    overview = page.locator(key("input.progress"))
    link = overview.get_by_role("link", name="Misleiding")
    expect(link).to_have_attribute("href", "#section-deceptive-recruitment")
    line = overview.locator("p").filter(has_text="Misleiding")
    expect(line).to_contain_text("0 van ")
    lines_before = overview.locator("p").count()
    # Only the first section still to rate is open (a closed one draws no controls); a click opens another.
    section = page.locator(key("input.deceptive_recruitment.section"))
    status = page.locator(key("input.deceptive_recruitment.nature_of_job.status"))
    expect(page.locator(key("input.act.recruited.status"))).to_be_visible()
    expect(status).to_have_count(0)
    section.locator("summary").click()
    choose(page, "input.deceptive_recruitment.nature_of_job.status", "aanwezig")
    expect(line).to_contain_text("1 van ")
    choose(page, "input.deceptive_recruitment.contract.status", "onbekend")
    expect(line).to_contain_text("2 van ")
    expect(overview.locator("p")).to_have_count(lines_before)  # redrawn in place, never added
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("Aangifte mensenhandel")
    expect(sidebar).to_contain_text("horeca")
    # A section folds away and opens again with what was chosen and typed in it, even a note closed before it
    # left its field (closing saves first: a closed section's fields are no longer drawn); its jump link still
    # lands on it.
    note = page.locator(key("input.deceptive_recruitment.nature_of_job.note")).locator("textarea")
    note.fill("Vacature via een kennis.")
    section.locator("summary").click()
    expect(status).to_be_hidden()
    link.click()
    expect(page.locator("#section-deceptive-recruitment")).to_be_in_viewport()
    section.locator("summary").click()
    expect(status.get_by_role("radio", name="aanwezig")).to_be_checked()
    store = open_store(Settings(db_path=db, demo=True))
    police = services.user_by_name(store, "police")
    saved = next(i for i in services.get_inputs(store, police, ref) if i.username == "police").draft
    store.close()
    assert [(o.indicator, o.note) for o in saved.observations if o.note] == [
        ("deceptive_recruitment.nature_of_job", "Vacature via een kennis.")]
    expect(section).to_contain_text("Vacature via een kennis.")  # under the name (its details shown closed)
    expect(line).to_contain_text("2 van ")
    shot(page, "input-progress-nl")
    page.context.close()
