"""The disciplines file: strict loading with file, line and field; the default panel of the 2018 pilot;
adding a discipline is one YAML entry (with its names) and a case runs through it end to end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assessment import disciplines, services
from assessment.config import ROOT, Settings
from assessment.errors import DisciplinesFileError, ValidationError
from assessment.model import Hearing, InputDraft, ObservationInput
from assessment.rubric import Rubric
from assessment.services.letter_context import build_letter_context
from assessment.store import open_store
from tests.conftest import POSITIVE, intake

SHIPPED = ROOT / "pilot_data" / "disciplines.yaml"


@pytest.fixture
def registry_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary copy of the shipped file that the registry reads instead (restored afterwards)."""
    path = tmp_path / "disciplines.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(disciplines.ENV, str(path))
    disciplines.reload()
    yield path
    monkeypatch.delenv(disciplines.ENV)
    disciplines.reload()


def test_the_default_panel_is_the_pilots_seats_by_expertise_with_information_sources_that_do_not_vote() -> None:
    # domain.md §1-2 and issue #12 item 6: seats by expertise; police file, IND, labour inspectorate inform only.
    seats = {d.name.en for d in disciplines.registry().disciplines if d.seat}
    sources = {d.name.en for d in disciplines.registry().disciplines if not d.seat}
    assert seats == {"Criminal law and prosecution", "Labour exploitation", "Care and shelter",
                     "Medical and psychological", "Legal", "Academic (criminology, victimology)"}
    assert sources == {"Immigration and Naturalisation Service (IND)", "Netherlands Labour Authority"}
    assert disciplines.owner_of("police") == "police" and disciplines.owner_of("labour") == "labour_inspectorate"
    # the ids accounts, panels and curated cases use stay as they were
    assert set(disciplines.ids()) >= {"police", "immigration", "care", "medical", "labour", "legal", "academic"}
    assert [d for d in disciplines.ids() if disciplines.special_category(d)] == ["medical"]


def test_the_registry_is_the_file_itself() -> None:
    plain = YAML(typ="safe", pure=True).load(SHIPPED.read_text(encoding="utf-8"))["disciplines"]
    assert list(disciplines.ids()) == [d["id"] for d in plain]
    assert list(disciplines.seats()) == [d["id"] for d in plain if d["panel"] == "seat"]
    assert {d["id"]: (disciplines.name(d["id"], "nl"), disciplines.name(d["id"], "en")) for d in plain} == {
        d["id"]: (d["name"]["nl"], d["name"]["en"]) for d in plain}


@pytest.mark.parametrize(("text", "expected"), [
    ("disciplines:\n  - id: x1\n    name: {nl: A, en: B}\n    panel: seat\n    colour: red\n",
     "d.yaml:5: disciplines.0.colour: Extra inputs are not permitted"),
    ("disciplines:\n  - id: x1\n    name: {nl: A}\n    panel: seat\n",
     "d.yaml:3: disciplines.0.name.en: Field required"),
    ("disciplines:\n  - id: x1\n    name: {nl: A, en: B}\n    panel: voter\n",
     "d.yaml:4: disciplines.0.panel: Input should be 'seat' or 'source'"),
    ("disciplines:\n  - id: x1\n    name: {nl: A, en: B}\n    panel: seat\n    documents: [police, fax]\n",
     "d.yaml:5: disciplines.0.documents.1: Input should be 'applicant', 'police', 'immigration', 'care', "
     "'medical', 'labour', 'lawyer' or 'other'"),
    ("disciplines:\n  - id: x1\n    name: {nl: A, en: B}\n    panel: source\n",
     "d.yaml:1: disciplines: Value error, at least one discipline must hold a seat on the panel (panel: seat)"),
    ("disciplines:\n  - {id: x1, name: {nl: A, en: B}, panel: seat}\n  - {id: x1, name: {nl: C, en: D}, panel: seat}\n",
     "d.yaml:1: disciplines: Value error, discipline ids must be unique; repeated: x1"),
    ("disciplines:\n  - id: Police!\n    name: {nl: A, en: B}\n    panel: seat\n",
     "d.yaml:2: disciplines.0.id: String should match pattern '^[a-z][a-z0-9_]{1,39}$'"),
    ("disciplines: [\n", "d.yaml:2: not valid YAML"),
])
def test_a_bad_file_is_refused_with_file_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(DisciplinesFileError) as info:
        disciplines.parse_registry(text, "d.yaml")
    assert [str(p) for p in info.value.problems][0].startswith(expected)


def test_a_rule_the_file_breaks_is_said_in_the_editor_s_language() -> None:
    text = "disciplines:\n  - {id: x1, name: {nl: A, en: B}, panel: seat}\n  - {id: x1, name: {nl: C, en: D}, panel: seat}\n"
    with pytest.raises(DisciplinesFileError) as info:
        disciplines.parse_registry(text, "d.yaml")
    [problem] = info.value.problems
    assert problem.what("nl") == "de id's van de disciplines moeten uniek zijn; herhaald: x1"
    assert problem.what("en") == "discipline ids must be unique; repeated: x1"


def test_a_check_that_speaks_english_only_is_not_passed_to_a_dutch_reader() -> None:
    # A ValueError that is not one of ours (no message id): the general sentence, its English text in the log.
    from assessment.fileplaces import explain

    error = {"type": "value_error", "loc": ("x",), "msg": "Value error, bad", "ctx": {"error": ValueError("bad")}}
    assert (explain(error).text("nl"), explain(error).text("en")) == ("deze waarde is hier niet toegestaan",
                                                                      "this value is not accepted here")


def test_every_problem_is_listed_at_once() -> None:
    text = "disciplines:\n  - {id: a1, name: {nl: A}, panel: seat}\n  - {id: b1, name: {nl: B, en: B}, panel: x}\n"
    with pytest.raises(DisciplinesFileError) as info:
        disciplines.parse_registry(text, "d.yaml")
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "disciplines.0.name.en"),
                                                                (3, "disciplines.1.panel")]


def test_a_quorum_larger_than_the_panel_is_refused() -> None:
    with pytest.raises(ValueError, match=r"larger than the number of seats on the panel \(6\)"):
        Settings(quorum_min_disciplines=7)


def test_an_information_source_gives_input_but_does_not_count_for_the_quorum(
        store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(panel=("police", "care", "immigration"))
    for d, pairs in (("police", POSITIVE["police"]), ("care", POSITIVE["care"]), ("immigration", POSITIVE["legal"])):
        v = services.save_input_draft(store, users[d], ref, InputDraft(
            observations=[ObservationInput(indicator=i, status=s, source="PV") for i, s in pairs],
            overall_view="positive", confidence="medium"), None, rubric=mini_rubric)
        services.submit_input(store, users[d], ref, v)
    chair = users["chair"]
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    assert set(services.deliberation_result(store, chair, ref, mini_rubric).per_discipline) == {
        "police", "care", "immigration"}  # its evidence is weighed
    with pytest.raises(Exception, match="2 of at least 3"):  # ... but only the two seats count
        services.record_decision(store, chair, ref, outcome="aannemelijk", reasons={"overall": "Redenen."},
                                 rubric=mini_rubric, expected_version=v)


def test_adding_a_discipline_is_one_yaml_entry_and_a_case_runs_through_it(
        registry_file: Path, tmp_path: Path, mini_rubric: Rubric) -> None:
    with registry_file.open("a", encoding="utf-8") as f:
        f.write("  - id: victim_support\n"
                "    name: {nl: \"Slachtofferhulp\", en: \"Victim support\"}\n"
                "    panel: seat\n"
                "    documents: [other]\n")
    disciplines.reload()
    assert "victim_support" in disciplines.seats()
    store = open_store(Settings(db_path=tmp_path / "new.sqlite3", demo=True, quorum_min_disciplines=7))
    services.load_demo_users(store)
    member = services.user_by_name(store, "victim_support")  # a demo member for the new seat
    assert (member.role, member.discipline) == ("member", "victim_support")
    secretary, chair = services.user_by_name(store, "secretary"), services.user_by_name(store, "chair")
    ref = services.create_case(store, secretary, intake())
    services.record_consent(store, secretary, ref, "medical", dt.date(2026, 3, 2))
    panel = ("police", "labour", "care", "medical", "legal", "academic", "victim_support")
    for d in panel:
        services.assign_panel(store, secretary, ref, d, d)
        services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
    services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.",
                                  services.get_case(store, secretary, ref).version)
    for d in panel:
        pairs = {"police": POSITIVE["police"], "victim_support": POSITIVE["care"]}.get(d, [("recruitment.w1", "absent")])
        user = services.user_by_name(store, d)
        v = services.save_input_draft(store, user, ref, InputDraft(
            observations=[ObservationInput(indicator=i, status=s, source="verslag") for i, s in pairs],
            overall_view="positive", confidence="medium"), None, rubric=mini_rubric)
        services.submit_input(store, user, ref, v)
    services.record_hearing(store, secretary, ref, Hearing(held_on=dt.date(2026, 4, 1),
                            members=["victim_support", "legal"], interpreter=False, summary="Consistent.",
                            report_sent_on=dt.date(2026, 4, 3), corrections_received_on=dt.date(2026, 4, 10)))
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, mini_rubric)
    reasons = {d.id: f"Redenen bij {d.id}." for d in result.dimensions.values() if d.status != "undetermined"}
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons={**reasons, "overall": "Geheel."},
                             rubric=mini_rubric, expected_version=v)  # the quorum of 7 needs the new seat
    letter = build_letter_context(store, secretary, ref, "nl", letter_date=dt.date(2026, 5, 1))
    named = {src.text for dim in letter.dimensions for ind in dim.relied_on for src in ind.sources}
    assert {"politie", "slachtofferhulp"} <= named  # who supplied the evidence, as the file names them
    assert letter.panel is not None and "slachtofferhulp" in letter.panel.expertise
    store.close()


def test_an_unknown_discipline_is_refused_when_seating_a_member(store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    with pytest.raises(ValidationError):
        services.assign_panel(store, users["secretary"], ref, "astrology", "police")


@pytest.mark.parametrize(("env", "nl", "en"), [
    # written by hand: what an administrator reads at start, the variable as set and what is wrong with it
    ({"AANNEMELIJK_QUORUM": "7"},
     "AANNEMELIJK_QUORUM='7': het quorum (7) is groter dan het aantal zetels in het panel (6)",
     "AANNEMELIJK_QUORUM='7': the quorum (7) is larger than the number of seats on the panel (6)"),
    ({"AANNEMELIJK_QUORUM": "0"}, "AANNEMELIJK_QUORUM='0': moet ten minste 1 zijn",
     "AANNEMELIJK_QUORUM='0': should be at least 1"),
    ({"AANNEMELIJK_QUORUM": "drie"}, "AANNEMELIJK_QUORUM='drie': moet een geheel getal zijn",
     "AANNEMELIJK_QUORUM='drie': should be a whole number"),
    ({"AANNEMELIJK_RETENTION_DAYS": "5 jaar"}, "AANNEMELIJK_RETENTION_DAYS='5 jaar': moet een geheel getal zijn",
     "AANNEMELIJK_RETENTION_DAYS='5 jaar': should be a whole number"),
    ({"AANNEMELIJK_RETENTION_DAYS": "-1"}, "AANNEMELIJK_RETENTION_DAYS='-1': moet ten minste 1 zijn",
     "AANNEMELIJK_RETENTION_DAYS='-1': should be at least 1"),
])
def test_a_wrong_setting_is_named_with_what_is_wrong_in_one_language(env: dict[str, str], nl: str, en: str) -> None:
    from assessment.config import load_settings
    from assessment.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        load_settings("x.sqlite3", env)
    assert (info.value.text("nl"), info.value.text("en"), info.value.field) == (nl, en, next(iter(env)))
