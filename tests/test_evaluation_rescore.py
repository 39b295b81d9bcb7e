"""What-if re-scoring under another rubric: which outcomes change, how many, in which direction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluation_cases import decided

from assessment.evaluation.disclosure import DisclosureRule
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.rescore import rescore
from assessment.observation import Observation
from assessment.rubric import ILO_RUBRIC, load_rubric, parse_rubric
from assessment.scoring import score

MINI = Path("tests/data/rubrics/mini.yaml")
OPEN = DisclosureRule(threshold=0, min_denominator=0)
ALL_PRESENT = {"recruitment.s1": "present", "recruitment.m1": "present", "exploitation.s1": "present",
               "exploitation.m1": "present", "coercion.s1": "present", "coercion.m1": "present"}  # fmt: skip


def rated(police: dict[str, str], care: dict[str, str] | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"discipline": "police", "indicators": police}]
    if care is not None:
        out.append({"discipline": "care", "indicators": care})
    return out


def cases() -> list[CaseFacts]:
    no_coercion = {**ALL_PRESENT, "coercion.s1": "absent", "coercion.m1": "absent"}
    return [
        # Under mini: plausible (every dimension has strong + medium), on record plausible: no change.
        decided("R1", "plausible", 100, rubric_outcome="plausible", disciplines=rated(ALL_PRESENT)),
        # Under mini: not plausible (coercion absent), on record plausible: plausible -> not_plausible.
        decided("R2", "plausible", 100, rubric_outcome="plausible", disciplines=rated(no_coercion)),
        # Under mini: undetermined (coercion unknown), on record not plausible.
        decided("R3", "not_plausible", 100, rubric_outcome="not_plausible",
                disciplines=rated({"recruitment.s1": "present", "recruitment.m1": "present",
                                   "exploitation.s1": "present", "exploitation.m1": "present"})),
        # Disciplines disagree on coercion; any_present consolidation makes it present: plausible.
        decided("R4", "plausible", 100, rubric_outcome="undetermined",
                disciplines=rated(no_coercion, {"coercion.s1": "present", "coercion.m1": "present",
                                                "other.id": "present"})),
        # Not decided: not re-scored.
        CaseFacts(key="R5", received="2018-01-01", status="in_progress", form="sexual", route="exception", age=30),
    ]  # fmt: skip


def test_rescore_counts_changes_and_directions() -> None:
    result = rescore(cases(), load_rubric(MINI), OPEN)
    assert (result.scored, result.changed, result.skipped, result.dropped_indicators) == (4, 3, 0, 1)
    assert [(c.key, c.before, c.after) for c in result.changes] == [
        ("R2", "plausible", "not_plausible"),
        ("R3", "not_plausible", "undetermined"),
        ("R4", "undetermined", "plausible"),
    ]
    t = result.transitions
    assert [r.id for r in t.rows] == ["not_plausible", "plausible", "undetermined", "total"]
    assert [c.id for c in t.columns] == ["not_plausible", "plausible", "undetermined", "total"]
    assert [[c.value for c in r.cells] for r in t.rows] == [
        [0, 0, 1, 1],
        [1, 1, 0, 2],
        [0, 1, 0, 1],
        [1, 2, 1, 4],
    ]
    # Panel agreed with the rubric on record in R1, R2, R3; under mini in R1, R4.
    assert (result.agree_with_panel_before, result.agree_with_panel_after) == (3, 2)
    assert "mini 1" in result.text("en")


def test_rescore_gives_the_same_outcome_as_score() -> None:
    rubric = load_rubric(MINI)
    result = rescore(cases(), rubric, OPEN)
    after = {c.key: c.after for c in result.changes}
    for c in cases()[:4]:
        obs = [Observation(discipline=d.discipline, indicator=i, status=s)
               for d in c.disciplines for i, s in d.indicators.items() if i != "other.id"]  # fmt: skip
        assert score(rubric, "adult", obs).outcome == after.get(c.key, c.rubric_outcome)


def test_rescore_skips_cases_without_a_matching_profile() -> None:
    text = MINI.read_text().replace("age_group: adult", "age_group: child")
    rubric = parse_rubric(text, "child-only.yaml")
    result = rescore(cases(), rubric, OPEN)
    assert (result.scored, result.skipped) == (0, 4)


def test_rescore_suppresses_small_transition_counts() -> None:
    result = rescore(cases(), load_rubric(MINI))
    assert all(c.value is None for r in result.transitions.rows if not r.total for c in r.cells)
    # The totals row (all four cases under the new rubric) is published as it is, as every totals row.
    totals = rescore(cases(), load_rubric(MINI), OPEN).transitions.rows[-1]
    assert result.transitions.rows[-1] == totals and totals.total


def test_rescore_on_the_batch_engine_equals_the_single_case_engine_case_by_case() -> None:
    """Every decided synthetic case re-scored under the ILO rubric: the batch engine's outcome is the one
    `scoring.score` gives on the same ratings (the expectation is computed case by case here, with the
    single-case engine). Synthetic outcomes on record are drawn at random, so many differ."""
    from assessment.synthetic import facts as synthetic_cases

    ilo = load_rubric(ILO_RUBRIC)
    cases = synthetic_cases(400, seed=7, rubric=ilo)
    # A rating of an indicator no profile has (dropped) and a decided case without an age (skipped).
    first = cases[[c.panel_outcome is not None for c in cases].index(True)]
    extra = first.disciplines[0].model_copy(update={"indicators": {**first.disciplines[0].indicators, "made.up": "present"}})
    cases[cases.index(first)] = first.model_copy(update={"disciplines": [extra, *first.disciplines[1:]]})
    cases.append(CaseFacts.model_validate({**first.model_dump(), "key": "NO-AGE", "age": None, "age_band": "unknown",
                                           "age_group": None}))  # fmt: skip
    result = rescore(cases, ilo, OPEN)
    expected_changes = []
    scored = dropped = agree = 0
    for c in cases:
        if c.panel_outcome is None or c.age_group is None:
            continue
        profile = ilo.profile_for(c.age_group, c.form)
        known = set(profile.indicators)
        obs = [Observation(discipline=d.discipline, indicator=i, status=s)
               for d in c.disciplines for i, s in d.indicators.items() if i in known]  # fmt: skip
        dropped += sum(i not in known for d in c.disciplines for i in d.indicators)
        scored += 1
        after = score(ilo, profile.id, obs).outcome
        agree += after == c.panel_outcome
        if after != c.rubric_outcome:
            expected_changes.append((c.key, c.rubric_outcome, after))
    assert (result.scored, result.skipped, result.dropped_indicators) == (scored, 1, dropped)
    assert dropped >= 1
    assert result.agree_with_panel_after == agree
    assert [(c.key, c.before, c.after) for c in result.changes] == expected_changes
    assert result.changed == len(expected_changes) > 0


def test_whatif_under_the_legal_test_accepts_deception_alone_as_the_means() -> None:
    # Recorded under the ILO rule (not plausible: no coercion or vulnerability at destination); under the
    # legal test deception alone is a means, so the same ratings give plausible (legal-test.md, case 06).
    legal = load_rubric(Path("pilot_data/rubrics/legal-273f.yaml"))
    deceived = {"act.recruited": "present", "deceptive_recruitment.nature_of_job": "present",
                "exploitation_form.forced_labour": "present",
                "deceptive_recruitment.family_reunification": "not_applicable",
                "coercion_destination.violence": "absent", "vulnerability_destination.economic_reasons": "absent"}
    nothing_known = {"deceptive_recruitment.family_reunification": "not_applicable"}
    facts = [decided("L1", "plausible", 100, form="labour", rubric_outcome="not_plausible",
                     disciplines=rated(deceived)),
             decided("L2", "not_plausible", 100, form="labour", rubric_outcome="undetermined",
                     disciplines=rated(nothing_known))]
    result = rescore(facts, legal, OPEN)
    assert (result.scored, result.changed) == (2, 1)
    assert [(c.key, c.before, c.after) for c in result.changes] == [("L1", "not_plausible", "plausible")]
    assert result.agree_with_panel_after == 1  # L1; L2 stays undetermined, which is no "not plausible"
