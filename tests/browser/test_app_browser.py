"""Real-browser tests: Python Playwright driving Debian's Chromium against `streamlit run app.py`.

A secretary registers a case; three members enter and submit input; the chair sees the rubric result and
decides; a reload in the middle of typing loses nothing; a wrong password is refused. Nothing typed is lost:
the intake and hearing forms keep every value through a refused submit, and what the secretary, the members
(a choice, a note, reasons, a hearing) and the chair typed is what the services stored. Screenshots of the
main screens in both languages go to tests/browser/artifacts/ (not committed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.store import open_store  # noqa: E402
from tests.browser.harness import choose, go, key, new_page, pick_case, shot, sign_in, streamlit_app, title, wait_idle  # noqa: E402,F401

pytestmark = pytest.mark.browser
NOTE = "Verklaart loon van 2 euro per uur; loonstrook ontbreekt."

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`streamlit run app.py` on a fresh demo database in a temp dir; yields its URL and database path."""
    db = tmp_path_factory.mktemp("browser") / "app.sqlite3"
    with streamlit_app({"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}) as url:
        yield url, db


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    pg = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    yield pg
    pg.context.close()


# --------------------------------------------------------------------------------------------------------


def test_a_wrong_password_is_refused(server: tuple[str, Path], page: Page) -> None:
    url, _db = server
    sign_in(page, url, "secretary", "not-the-password")
    expect(page.get_by_text("Aanmelden mislukt: onbekende gebruiker, verkeerd wachtwoord, of account geblokkeerd.")
           ).to_be_visible()
    expect(page.locator("h1").first).to_have_text("Aanmelden")
    shot(page, "signin-refused-nl")


def test_case_from_intake_to_decision(server: tuple[str, Path], page: Page, browser: Browser) -> None:
    url, db = server
    sign_in(page, url, "secretary")
    expect(page.locator("h1").first).to_have_text("Dossiers")
    shot(page, "cases-nl")
    go(page, "Intake en ontvankelijkheid")
    # What the secretary types, kept through a refused submit (an invalid language code) and stored as typed.
    typed = {"intake.name": "Synthetische Persoon", "intake.nationality": "NG", "intake.languages": "english, 12",
             "intake.notes": "Aangemeld door de advocaat; spreekt Engels en wat Nederlands."}
    for field, value in typed.items():
        page.locator(key(field)).locator("input, textarea").fill(value)
    page.locator(key("intake.exploitation_in_nl")).locator("input").click()
    page.get_by_role("option", name="in Nederland", exact=True).click()
    wait_idle(page)
    received = dt.date.today()
    page.locator(key("intake.route_end_on")).locator('[data-type="day"]').click()
    page.keyboard.type((received - dt.timedelta(days=10)).strftime("%d%m%Y"), delay=20)  # day, month, year
    page.keyboard.press("Tab")
    wait_idle(page)
    shot(page, "intake-nl")
    page.locator(key("intake.submit")).locator("button").click()
    wait_idle(page)
    expect(page.get_by_text(services.gettext("nl", "Give language codes of two or three letters, separated by "
                                                   "commas (e.g. nl, en, tir).")).first).to_be_visible()
    shot(page, "intake-refused-nl")
    for field, value in typed.items():  # nothing the secretary typed is lost
        expect(page.locator(key(field)).locator("input, textarea")).to_have_value(value)
    typed["intake.languages"] = "en, nl"
    page.locator(key("intake.languages")).locator("input").fill(typed["intake.languages"])
    page.locator(key("intake.submit")).locator("button").click()
    wait_idle(page)
    message = page.get_by_text("geregistreerd.").first
    expect(message).to_be_visible()
    ref = message.inner_text().split()[1]
    assert ref.startswith(f"AAN-{received.year}-")

    # Admissibility, consent and panel through the services (their screens have AppTest journeys).
    store = open_store(Settings(db_path=db, demo=True))
    secretary = services.user_by_name(store, "secretary")
    stored = services.get_case(store, secretary, ref).intake
    assert stored is not None
    assert (stored.applicant.name, stored.nationality, stored.languages, stored.applicant.notes, stored.route_end_on
            ) == (typed["intake.name"], "NG", ["en", "nl"], typed["intake.notes"], received - dt.timedelta(days=10))
    services.record_consent(store, secretary, ref, "police_file", received)
    for d in ("police", "care", "legal"):
        services.assign_panel(store, secretary, ref, d, d)
        services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
    services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.",
                                  services.get_case(store, secretary, ref).version)
    store.close()

    plausible = ["exploitation.excessive_hours", "exploitation.living_conditions", "exploitation.low_salary",
                 "coercion_destination.documents", "coercion_destination.debt_bondage",
                 "deceptive_recruitment.nature_of_job", "deceptive_recruitment.wages"]
    for member in ("police", "care", "legal"):
        mp = new_page(browser, viewport={"width": 1400, "height": 1000})
        sign_in(mp, url, member)
        go(mp, "Inbreng discipline")
        pick_case(mp, "pick.input", ref)
        for iid in plausible if member != "legal" else plausible[:2]:
            wait_idle(mp)
            if not mp.locator(key(f"input.{iid}.status")).count():  # a closed section draws no controls: open it
                mp.locator(key(f"input.{iid.split('.')[0]}.section")).locator("summary").click()
            choose(mp, f"input.{iid}.status", "aanwezig")
        if member == "police":  # a note at the last indicator chosen (its section is open)
            mp.locator(key(f"input.{plausible[-1]}.note")).locator("textarea").fill(NOTE)
        mp.locator(key("input.overall.reasons")).locator("textarea").fill(f"Oordeel van {member}.")
        mp.locator(key("input.overall.reasons")).locator("textarea").blur()
        wait_idle(mp)
        expect(mp.get_by_text("Opgeslagen om").first).to_be_visible()
        if member == "police":  # saved, and still there after the runs that saved it
            expect(mp.locator(key(f"input.{plausible[-1]}.note")).locator("textarea")).to_have_value(NOTE)
        if member == "police":
            shot(mp, "input-nl")
        mp.locator(key("input.submit")).locator("button").click()
        wait_idle(mp)
        expect(mp.get_by_text(f"Inbreng ingediend voor {ref}.")).to_be_visible()
        mp.context.close()

    sign_in(page, url, "chair")
    go(page, "Beraadslaging")
    pick_case(page, "pick.deliberation", ref)
    page.locator(key("deliberation.open")).locator("button").click()
    wait_idle(page)
    expect(page.get_by_text("Uitkomst van de rubriek: Aannemelijk")).to_be_visible()
    expect(page.get_by_text("bewijst noch weerlegt mensenhandel").first).to_be_visible()
    shot(page, "deliberation-nl")
    go(page, "Besluit")
    pick_case(page, "pick.decision", ref)
    expect(page.get_by_text("Quorum: 3 van minstens 3 disciplines hebben ingediend").first).to_be_visible()
    choose(page, "decision.outcome", "aannemelijk")
    for box in page.locator('[class*="st-key-decision-reason-"] textarea').all():  # a finding needs its reasons
        box.fill("Gewogen in de beraadslaging.")
        box.blur()
        wait_idle(page)
    page.locator(key("decision.reason.overall")).locator("textarea").fill("Alle elementen zijn aannemelijk.")
    page.locator(key("decision.reason.overall")).locator("textarea").blur()
    wait_idle(page)
    shot(page, "decision-nl")
    page.locator(key("decision.submit")).locator("button").click()
    wait_idle(page)
    expect(page.get_by_text(f"Besluit vastgelegd voor {ref}.")).to_be_visible()

    # The same screens in English.
    page.locator(key("ui.lang_switch")).get_by_text("English").click()
    wait_idle(page)
    go(page, "Deliberation")
    pick_case(page, "pick.deliberation", ref)
    expect(page.get_by_text("Rubric result: Plausible")).to_be_visible()
    shot(page, "deliberation-en")
    go(page, "Cases")
    shot(page, "cases-en")
    go(page, "Intake & admissibility")
    shot(page, "intake-en")

    store = open_store(Settings(db_path=db, demo=True))
    chair = services.user_by_name(store, "chair")
    case = services.get_case(store, chair, ref)
    inputs = {i.username: i for i in services.get_inputs(store, chair, ref)}
    store.close()
    assert (case.status, case.decision.outcome if case.decision else None) == ("decided", "aannemelijk")
    # What was typed and chosen in the browser is what the services stored.
    assert case.decision is not None and case.decision.reasons.pop("overall") == "Alle elementen zijn aannemelijk."
    assert len(case.decision.reasons) > 0 and set(case.decision.reasons.values()) == {"Gewogen in de beraadslaging."}
    for member in ("police", "care", "legal"):
        draft = inputs[member].draft
        assert (inputs[member].submitted, draft.overall_reasons) == (True, f"Oordeel van {member}.")
        assert {(o.indicator, o.status) for o in draft.observations} == {
            (i, "present") for i in (plausible if member != "legal" else plausible[:2])}
        assert {o.indicator: o.note for o in draft.observations if o.note} == (
            {plausible[-1]: NOTE} if member == "police" else {})


def test_a_reload_in_the_middle_of_typing_loses_nothing(server: tuple[str, Path], page: Page) -> None:
    url, db = server
    store = open_store(Settings(db_path=db, demo=True))
    chair = services.user_by_name(store, "chair")
    ref = [c.ref for c in services.list_cases(store, chair) if c.status == "assessment"][0]
    seat = {s.discipline: s.username for s in services.get_case(store, chair, ref).panel}
    store.close()
    member = seat.get("care") or next(iter(seat.values()))
    sign_in(page, url, member)
    go(page, "Inbreng discipline")
    pick_case(page, "pick.input", ref)
    box = page.locator(key("input.inconsistency_notes")).locator("textarea")
    box.click()
    text = "Wisselende data in de verklaring, verklaarbaar door trauma"
    page.keyboard.type(text, delay=15)  # no blur, no Enter: the member is still typing
    page.wait_for_timeout(2000)
    page.reload()
    sign_in(page, url, member)
    go(page, "Inbreng discipline")
    pick_case(page, "pick.input", ref)
    expect(page.locator(key("input.inconsistency_notes")).locator("textarea")).to_have_value(text)

    # The same member records the hearing: without the members present it is refused (a hearing needs two) and
    # the summary typed stays; with them it is saved as typed.
    go(page, "Hoorzitting")
    pick_case(page, "pick.hearing", ref)
    summary = "Aanvrager verklaart over de werving via een uitzendbureau; tolk Tigrinya aanwezig."
    page.locator(key("hearing.summary")).locator("textarea").fill(summary)
    page.locator(key("hearing.submit")).locator("button").click()
    wait_idle(page)
    expect(page.get_by_text("Niet opgeslagen; verbeter deze velden").first).to_be_visible()
    expect(page.locator(key("hearing.summary")).locator("textarea")).to_have_value(summary)
    present = sorted([member, next(m for m in seat.values() if m != member)])
    page.locator(key("hearing.members")).locator("input").click()
    for name in present:  # the list stays open between choices
        page.get_by_role("option").filter(has_text=name).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)
    page.locator(key("hearing.submit")).locator("button").click()
    wait_idle(page)
    expect(page.get_by_text("Hoorzitting opgeslagen.").first).to_be_visible()
    with open_store(Settings(db_path=db, demo=True)) as store:
        hearing = services.get_case(store, services.user_by_name(store, member), ref).hearing
    assert hearing is not None and (hearing.summary, sorted(hearing.members)) == (summary, present)
