"""The legal-test rubric (art. 273f Sr): its data against the ILO source, and hand-worked cases from
../shared/docs/legal-test.md. Expected values come from the law as that note states it, not from the engine."""

from __future__ import annotations

import pytest

from assessment.config import PILOT_DATA
from assessment.routes import element_routes
from assessment.rubric import load_rubric
from assessment.scoring import score

LEGAL = load_rubric(PILOT_DATA / "rubrics" / "legal-273f.yaml")
ILO = load_rubric(PILOT_DATA / "rubrics" / "ilo-2009.yaml")
PROFILES = ["adult_labour", "child_labour", "adult_sexual", "child_sexual"]
ACTS = {"recruited", "transported", "transferred", "harboured", "received", "transfer_of_control"}
FORMS = {"sexual", "forced_labour", "slavery", "servitude", "criminal", "organ_removal"}


@pytest.mark.parametrize("profile", PROFILES)
def test_ilo_indicators_keep_their_ids_and_tiers(profile: str) -> None:
    # The same observations must score under both instruments, so the evidence is the ILO list itself.
    ilo = {i: e.tier for i, e in ILO.profile(profile).indicators.items()}
    legal = {i: e.tier for i, e in LEGAL.profile(profile).indicators.items()}
    assert {i: t for i, t in legal.items() if i in ilo} == ilo
    assert {i for i in legal if i not in ilo} == {f"act.{a}" for a in ACTS} | {f"exploitation_form.{f}" for f in FORMS}


def test_elements_and_their_legal_basis() -> None:
    assert [e.id for e in LEGAL.elements] == ["conduct", "means", "purpose"]
    assert [e.name("nl") for e in LEGAL.elements] == ["Gedraging", "Middel", "Oogmerk van uitbuiting"]
    for e in LEGAL.elements:
        assert "273f" in e.basis("nl") and "273f" in e.basis("en")
    # adults: all three elements (lid 1 sub 1); minors: no means (lid 1 sub 2)
    for p in PROFILES:
        expected = ("conduct", "purpose") if p.startswith("child") else ("conduct", "means", "purpose")
        assert LEGAL.required_elements(LEGAL.profile(p)) == expected


def elements(profile: str, indicators: dict[str, str]) -> dict[str, str]:
    return {k: e.status for k, e in score(LEGAL, profile, indicators=indicators).elements.items()}


def test_deception_alone_is_a_means_where_the_ilo_rule_says_not_plausible() -> None:
    # Curated case 06 as issue #12 reads it: an adult recruited with a false job offer, then exploited;
    # no coercion or abuse of vulnerability at destination. The law: deception alone is a means.
    case = {
        "act.recruited": "present",
        "deceptive_recruitment.nature_of_job": "present",  # strong
        "exploitation_form.forced_labour": "present",
        **{i: "absent" for i in LEGAL.profile("adult_labour").indicators
           if i.startswith(("coercive_recruitment.", "coercion_destination.", "vulnerability_destination.",
                            "recruitment_vulnerability."))},
    }
    assert elements("adult_labour", case) == {"conduct": "positive", "means": "positive", "purpose": "positive"}
    assert score(LEGAL, "adult_labour", indicators=case).outcome == "plausible"
    # The ILO screening rule asks for coercion or vulnerability at destination, so it refuses this case.
    ilo_case = {i: s for i, s in case.items() if i in ILO.profile("adult_labour").indicators}
    assert score(ILO, "adult_labour", indicators=ilo_case).outcome == "not_plausible"


def test_a_minor_needs_no_means() -> None:
    means_evidence = ("coercive_recruitment.", "coercion_destination.", "vulnerability_destination.",
                      "recruitment_vulnerability.", "deceptive_recruitment.")
    case = {"act.transported": "present", "exploitation_form.criminal": "present"}
    for profile in ("child_labour", "adult_labour"):
        case_all = case | {i: "absent" for i in LEGAL.profile(profile).indicators if i.startswith(means_evidence)}
        result = score(LEGAL, profile, indicators=case_all)
        if profile == "child_labour":
            assert result.elements["means"].status == "not_required"
            assert result.outcome == "plausible"
        else:  # the same facts for an adult lack the means
            assert result.elements["means"].status == "negative"
            assert result.outcome == "not_plausible"


def test_nothing_known_is_insufficient_information_never_a_finding() -> None:
    result = score(LEGAL, "adult_sexual", indicators={})
    assert result.outcome == "undetermined"
    assert {e.status for e in result.elements.values()} == {"undetermined"}
    assert LEGAL.outcome_label(result.outcome, "nl") == "Onvoldoende informatie"


def test_the_shortest_route_is_named_per_element() -> None:
    # Issue #12: "nog nodig: 1 sterke of 2 matige indicatoren van misleiding". Everything but deception
    # ruled out for the means: the route names deception only.
    case = {"act.recruited": "present", "exploitation_form.sexual": "present"}
    case |= {i: "absent" for i in LEGAL.profile("adult_sexual").indicators
             if i.startswith(("coercive_recruitment.", "coercion_destination.", "vulnerability_destination.",
                              "recruitment_vulnerability."))}
    means = score(LEGAL, "adult_sexual", indicators=case).elements["means"]
    assert means.status == "undetermined"
    assert element_routes(LEGAL, means, "nl") == ["1 sterke of 2 matige indicatoren van misleiding"]
    assert element_routes(LEGAL, means, "en") == ["1 strong or 2 medium indicators of deception"]
    # one medium deception indicator found: one more medium (or one strong) does it
    case["deceptive_recruitment.wages"] = "present"
    means = score(LEGAL, "adult_sexual", indicators=case).elements["means"]
    assert element_routes(LEGAL, means, "nl") == ["1 sterke of 1 matige indicator van misleiding"]


def test_a_route_needs_only_what_the_unknowns_can_still_give() -> None:
    # Deception: the strong indicator ruled out, one medium left unknown: no route through deception
    # (2 medium needed, 1 possible); the element is then decided by the other routes alone.
    deception = [i for i in LEGAL.profile("adult_labour").indicators if i.startswith("deceptive_recruitment.")]
    case = {i: "absent" for i in deception if i != "deceptive_recruitment.wages"}
    means = score(LEGAL, "adult_labour", indicators=case).elements["means"]
    assert all(n.dimension != "deceptive_recruitment" for route in means.routes for n in route)


def test_evaluators_tables_name_the_elements() -> None:
    # decisions under the legal test record findings per element: the evaluators' tables need their names
    from assessment.evaluation.metrics import rubric_labels

    labels = rubric_labels(LEGAL)
    assert [labels[e].nl for e in ("conduct", "means", "purpose")] == ["Gedraging", "Middel", "Oogmerk van uitbuiting"]
    assert labels["deceptive_recruitment"].en == "Deception"
