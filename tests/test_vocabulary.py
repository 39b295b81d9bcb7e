"""One vocabulary: every value of the domain has a label in both languages, Dutch screens, letters and
tables never show a raw id, and the words are the ones docs/letter-language.md asks for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import get_args

import pytest
from ruamel.yaml import YAML

from assessment import model, services, vocabulary
from assessment.config import Settings
from assessment.evaluation import facts
from assessment.evaluation.agreement import agreement
from assessment.rubric import ILO_RUBRIC, Rubric
from assessment.services.letter_context import build_letter_context
from assessment.store import open_store
from assessment.synthetic import facts as synthetic_cases

ROOT = Path(__file__).resolve().parent.parent
DISCIPLINES = YAML(typ="safe", pure=True).load((ROOT / "pilot_data" / "disciplines.yaml").read_text("utf-8"))[
    "disciplines"]
NL_NAMES = {d["id"]: d["name"]["nl"] for d in DISCIPLINES}
EN_NAMES = {d["id"]: d["name"]["en"] for d in DISCIPLINES}

# What each kind labels, as the domain types define it (not as the vocabulary lists it).
DOMAIN = {
    "role": model.Role, "status": model.CaseStatus, "route": model.Route, "route_end": model.RouteEnd,
    "route_end_phrase": model.RouteEnd, "form": model.Form, "gender": model.Gender, "age_group": model.AgeGroup,
    "filing_party": model.FilingParty, "residence_status": model.ResidenceStatus, "consent": model.ConsentScope,
    "consent_purpose": model.ConsentScope, "admissibility": model.Admissibility, "outcome": model.PanelOutcome,
    "view": model.View, "confidence": model.Confidence, "obs": model.ObsStatus, "source": model.DocumentSource,
    "deadline": model.DeadlineState, "follow_up_kind": model.FollowUpKind, "follow_up_status": model.FollowUpResult,
    "advice_user": model.AdviceUser, "advice_followed": model.AdviceFollowed,
    "pilot_advice_followed": facts.AdviceUseStatus, "pilot_hearing": facts.HearingKind,
    "pilot_status": facts.EvaluationStatus, "pilot_route": facts.Route, "pilot_gender": facts.Gender,
    "pilot_follow_up_status": facts.FollowUpStatus, "age_band": facts.AgeBand, "conclusion": facts.OverallView,
}
# Dutch words that are spelled as the English ones (or as the id); anything else equal to its English is a leak.
SAME_IN_DUTCH = {"intake", "evaluator", "trainer", "X"}


@pytest.mark.parametrize("kind", sorted(DOMAIN))
def test_every_value_has_a_label_in_each_language_and_dutch_is_dutch(kind: str) -> None:
    values = get_args(DOMAIN[kind])
    nl = {v: vocabulary.label(kind, v, "nl") for v in values}
    en = {v: vocabulary.label(kind, v, "en") for v in values}
    assert [v for v in values if not vocabulary.known(kind, v)] == []
    assert [v for v in values if nl[v] == en[v] and nl[v] not in SAME_IN_DUTCH] == []
    assert [v for v in values if "_" in nl[v] or "_" in en[v]] == []  # no code word


def test_the_options_of_a_kind_are_exactly_the_domain_values() -> None:
    assert {k: vocabulary.options(k) for k in DOMAIN} == {k: list(get_args(t)) for k, t in DOMAIN.items()} | {
        "conclusion": ["plausible", "not_plausible", "undetermined", "none"]}  # "none": no rubric result before


def test_discipline_labels_are_the_names_in_the_disciplines_file() -> None:
    assert {d: vocabulary.label("discipline", d, "nl") for d in NL_NAMES} == NL_NAMES
    assert {d: vocabulary.label("discipline", d, "en") for d in EN_NAMES} == EN_NAMES
    assert vocabulary.options("discipline") == list(NL_NAMES)


@pytest.mark.parametrize(("kind", "value", "nl"), [
    # docs/letter-language.md: the corrected Dutch wording
    ("outcome", "aannemelijk", "aannemelijk"), ("conclusion", "not_plausible", "niet aannemelijk"),
    ("source", "police", "politie"), ("route_end_phrase", "dismissal", "een sepot"),
    ("form", "sexual", "seksuele uitbuiting"), ("consent_purpose", "police_file", "opvragen politiedossier"),
    # issue 13: issuing is a signature, "vaststellen en ondertekenen" as on the button, not "verzenden"
    ("step", "letter", "brief vaststellen en ondertekenen"),
])
def test_the_dutch_words_are_the_ones_the_letter_language_note_asks_for(kind: str, value: str, nl: str) -> None:
    assert vocabulary.label(kind, value, "nl") == nl


def test_an_unlisted_value_is_shown_as_itself_and_none_as_a_dash() -> None:
    assert (vocabulary.label("form", "piracy", "nl"), vocabulary.label("form", None, "nl")) == ("piracy", "—")
    assert vocabulary.capitalised("outcome", "niet_aannemelijk", "nl") == "Niet aannemelijk"


@pytest.fixture(scope="module")
def decided_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str, Rubric]:
    from assessment.rubric import load_rubric

    rubric = load_rubric(ILO_RUBRIC)
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("vocab") / "d.sqlite3", demo=True,
                                quorum_min_disciplines=1))
    refs = services.load_demo(store, services.shipped_rubric())
    chair = services.user_by_name(store, "chair")
    decided = [r for r in refs if services.get_case(store, chair, r).status == "decided"]
    return store, decided[0], rubric


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_real_letter_names_disciplines_not_ids(decided_demo: tuple[object, str, Rubric], lang: str) -> None:
    # Issue #11 defect (2): Dutch letters listed ['care', 'police'].
    store, ref, _rubric = decided_demo
    secretary = services.user_by_name(store, "secretary")  # type: ignore[arg-type]
    ctx = build_letter_context(store, secretary, ref, lang, letter_date=dt.date(2026, 5, 1))  # type: ignore[arg-type]
    cited = {d["id"]: d.get("cited_as", d.get("expertise", d["name"]))[lang] for d in DISCIPLINES}
    expertise = {d["id"]: d.get("expertise", d["name"])[lang] for d in DISCIPLINES}
    uses = [ind for dim in ctx.dimensions for ind in dim.relied_on] + [r for el in ctx.annex for r in el.rows]
    whos = [s.text for ind in uses for s in ind.sources if s.text in cited.values()]
    assert whos  # every present indicator cites who supplied it, by name
    if lang == "nl":  # never a raw id (in English "police" is also the word)
        assert not {s.text for ind in uses for s in ind.sources} & set(cited)
    counter = [c.discipline for dim in ctx.dimensions for c in dim.counter_indicators]
    assert set(counter) <= set(expertise.values())
    assert ctx.panel is not None and set(ctx.panel.expertise) <= set(expertise.values())
    if lang == "nl":
        english = {vocabulary.label("source", s, "en") for s in get_args(model.DocumentSource)}
        assert [d.source for d in ctx.documents if d.source in english] == []


def test_evaluation_tables_name_the_pairs_of_disciplines() -> None:
    result = agreement(synthetic_cases(60, seed=7))
    pairs = next(t for t in result.tables if t.id == "agreement_pairs")
    assert pairs.rows
    for row in pairs.rows:
        a, b = row.id.split("|")
        assert (row.label.text("nl"), row.label.text("en")) == (f"{NL_NAMES[a]} – {NL_NAMES[b]}", f"{EN_NAMES[a]} – {EN_NAMES[b]}")


@pytest.mark.parametrize(("recorded", "nl", "en"), [
    ("Aanvrager D", "Aanvrager D", "Applicant D"),        # a pseudonym recorded in Dutch
    ("Applicant K", "Aanvrager K", "Applicant K"),        # ... or in English
    ("mr. Fictief-Jansen", "mr. Fictief-Jansen", "Fictief-Jansen"),  # no English form of the Dutch law degree
    ("dr. A. Bakker", "dr. A. Bakker", "Dr A. Bakker"),
    ("Mr. Een", "Mr. Een", "Mr. Een"),                    # an English title as typed: not the Dutch "mr."
    ("Eerste Aanvrager", "Eerste Aanvrager", "Eerste Aanvrager"),  # a name, not a pseudonym
])
def test_a_name_is_written_in_the_text_s_language(recorded: str, nl: str, en: str) -> None:
    assert (vocabulary.person_name(recorded, "nl"), vocabulary.person_name(recorded, "en")) == (nl, en)


# Language names as the Unicode CLDR data writes them (cldr.unicode.org, "Language names"), copied by hand.
@pytest.mark.parametrize(("code", "nl", "en"), [("pcm", "Nigeriaans Pidgin", "Nigerian Pidgin"),
                                               ("ti", "Tigrinya", "Tigrinya"), ("ro", "Roemeens", "Romanian")])
def test_a_language_has_one_name_on_screens_and_in_letters(code: str, nl: str, en: str) -> None:
    assert (vocabulary.label("language", code, "nl"), vocabulary.label("language", code, "en")) == (nl, en)
