# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The discipline-input screen shows the case file beside the indicators (intake facts, chronology, documents:
only what this member may see) and how far each section is rated, with a link to each section (issue #15).

Expectations are worked by hand from the fixture case (tests/conftest.py `intake`: received 2 March 2026,
report route ended by dismissal on 16 February 2026, sexual exploitation, female, Nigerian, filed by a
lawyer) and from the rubric file itself (the profile's indicators counted per dimension straight from the
YAML, not through the rubric loader)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assessment import services
from assessment.model import User
from assessment.store import Store
from tests.conftest import CaseBuilder, open_sections
from tests.test_app_common import OpenApp, app_env, open_app  # noqa: F401 (fixtures)

LEGAL = Path(__file__).resolve().parent.parent / "pilot_data" / "rubrics" / "legal-273f.yaml"


def _sections_from_yaml() -> list[tuple[str, str, int]]:
    """(dimension id, its name in English, number of indicators) for an adult in sexual exploitation, in file order."""
    data = YAML(typ="safe").load(LEGAL.read_text(encoding="utf-8"))
    profile = next(p for p in data["profiles"] if p["age_group"] in ("adult", "any")
                   and "sexual" in p["exploitation_forms"])
    counts: dict[str, int] = {}
    for iid in profile["indicators"]:
        counts[iid.split(".")[0]] = counts.get(iid.split(".")[0], 0) + 1
    return [(d["id"], d["name"]["en"], counts[d["id"]]) for d in data["dimensions"] if d["id"] in counts]


@pytest.fixture
def case_with_file(store: Store, users: dict[str, User], make_case: CaseBuilder) -> str:
    ref = make_case(sector="horeca", languages=["en", "yo"], interpreter=True)
    sec = users["secretary"]
    services.add_document(store, sec, ref, source="police", kind="proces-verbaal", received_on=dt.date(2026, 3, 4),
                          title="Aangifte mensenhandel")
    services.add_document(store, sec, ref, source="medical", kind="verklaring", received_on=dt.date(2026, 3, 5),
                          title="Verklaring huisarts")
    services.add_chronology(store, sec, ref, dt.date(2025, 6, 1), "Aankomst in Nederland via Schiphol.")
    return ref


def _sidebar(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(e.value) for kind in ("subheader", "markdown", "caption")
                     for e in getattr(at.sidebar, kind))


def test_the_member_sees_the_intake_facts_chronology_and_documents_beside_the_indicators(
        case_with_file: str, open_app: OpenApp) -> None:
    at = open_app("police", "ui/input.py", lang="en")
    side = _sidebar(at)
    for fact in ("**Received on:** 2 March 2026", "**Route:** report", "**Dismissal:** 16 February 2026",
                 "**Form of exploitation:** sexual exploitation", "**Sector:** horeca", "**Gender:** female",
                 "**Nationality:** Nigeria", "**Languages:** English, Yoruba", "**Interpreter needed:** yes",
                 "**Filed by:** lawyer", "**1 June 2025:** Aankomst in Nederland via Schiphol\\."):
        assert fact in side, (fact, side)
    assert "**4 March 2026** · police · proces\\-verbaal · _Aangifte mensenhandel_" in side
    # the medical statement rests on the medical consent: only the medical seat (and whom the policy names)
    # reads it; the police member's panel does not list it, nor count it
    assert "Verklaring huisarts" not in side and "Documents (1)" in [e.label for e in at.sidebar.expander]


def test_the_medical_member_sees_the_medical_statement_too(case_with_file: str, open_app: OpenApp) -> None:
    at = open_app("medical", "ui/input.py", lang="en")
    side = _sidebar(at)
    assert "_Verklaring huisarts_" in side and "_Aangifte mensenhandel_" in side
    assert "Documents (2)" in [e.label for e in at.sidebar.expander]


def test_the_sidebar_is_dutch_in_the_dutch_interface(case_with_file: str, open_app: OpenApp) -> None:
    at = open_app("police", "ui/input.py", lang="nl")
    side = _sidebar(at)
    assert "**Ontvangen op:** 2 maart 2026" in side and "**Nationaliteit:** Nigeria" in side
    assert "**Tolk nodig:** ja" in side


def test_progress_per_section_counts_each_status_chosen_and_links_to_the_section(
        case_with_file: str, open_app: OpenApp) -> None:
    at = open_app("police", "ui/input.py", lang="en")
    sections = _sections_from_yaml()
    assert len(sections) == 8
    lines = [str(m.value) for m in at.markdown if " rated" in str(m.value) and str(m.value).startswith("[")]
    assert lines == [f"[{name}](#section-{did.replace('_', '-')}) · 0 of {n} rated" for did, name, n in sections]
    # each link leads to its section's heading
    assert [h.proto.anchor for h in at.subheader if h.proto.anchor.startswith("section-")] == [
        f"section-{did.replace('_', '-')}" for did, _name, _n in sections]
    open_sections(at, "deceptive_recruitment")  # the first section is open, the others closed
    at.button_group(key="input.deceptive_recruitment.nature_of_job.status").set_value("present").run()
    at.button_group(key="input.deceptive_recruitment.contract.status").set_value("unknown").run()
    lines = [str(m.value) for m in at.markdown if " rated" in str(m.value) and str(m.value).startswith("[")]
    n = {name: n for _did, name, n in sections}["Deception"]
    assert f"[Deception](#section-deceptive-recruitment) · 2 of {n} rated" in lines
    assert len(lines) == 8  # one line per section, redrawn, not added to
    assert f"2 of {n} rated" in [c.value for c in at.caption]  # and under the section's own heading



def _profile_from_yaml() -> list[str]:
    """The indicators of the adult sexual-exploitation profile, straight from the rubric file."""
    data = YAML(typ="safe").load(LEGAL.read_text(encoding="utf-8"))
    profile = next(p for p in data["profiles"] if p["age_group"] in ("adult", "any")
                   and "sexual" in p["exploitation_forms"])
    return list(profile["indicators"])


def test_the_rest_unknown_sets_only_the_unrated_indicators_to_unknown(
        case_with_file: str, open_app: OpenApp, store: Store, users: dict[str, User]) -> None:
    """Issue #15, item 3: one action ("Overige onbekend") rates every indicator not yet rated as unknown and
    saves; the two the member rated (present, absent) keep their status."""
    at = open_app("police", "ui/input.py", lang="nl")
    open_sections(at, "deceptive_recruitment")
    at.button_group(key="input.deceptive_recruitment.nature_of_job.status").set_value("present").run()
    at.button_group(key="input.deceptive_recruitment.contract.status").set_value("absent").run()
    rest = at.button(key="input.rest_unknown")
    assert rest.label == "Overige onbekend"
    rest.click().run()
    assert not at.exception, at.exception
    indicators = _profile_from_yaml()
    expected = {iid: "unknown" for iid in indicators} | {"deceptive_recruitment.nature_of_job": "present",
                                                         "deceptive_recruitment.contract": "absent"}
    saved = services.get_inputs(store, users["police"], case_with_file)[0].draft
    assert {o.indicator: o.status for o in saved.observations} == expected
    # the screen shows it too, and every section is complete
    assert at.button_group(key="input.deceptive_recruitment.contract.status").value == "absent"
    lines = [str(m.value) for m in at.markdown if "beoordeeld" in str(m.value) and str(m.value).startswith("[")]
    assert lines and all(":green[" in line for line in lines), lines
    # the save state and the submit button sit in the sidebar, in view wherever the member scrolls
    assert "Inbreng indienen" in [b.label for b in at.sidebar.button]
    assert any(str(s.value).startswith("Opgeslagen om ") for s in at.sidebar.success)
