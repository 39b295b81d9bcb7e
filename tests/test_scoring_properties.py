"""Properties of the three-valued engine, checked with hypothesis against brute force."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.rubric import PILOT_DATA, Rubric, load_rubric
from assessment.scoring import score

ILO = load_rubric()
POLICE = load_rubric(PILOT_DATA / "rubrics" / "police-signals.yaml")
MINI = load_rubric(Path(__file__).parent / "data" / "rubrics" / "mini.yaml")

STATUS = st.sampled_from(["present", "absent", "unknown"])


def ranks(rubric: Rubric, result_range: tuple[str, str]) -> tuple[int, int]:
    order = [o.id for o in rubric.outcomes]
    return order.index(result_range[0]), order.index(result_range[1])


@st.composite
def case(draw: st.DrawFn, rubric: Rubric, profiles: list[str]) -> tuple[str, dict[str, str]]:
    profile = draw(st.sampled_from(profiles))
    ids = list(rubric.profile(profile).indicators)
    # mostly sparse cases, as real files are: a few indicators rated, the rest unknown
    chosen = draw(st.lists(st.sampled_from(ids), max_size=25, unique=True))
    return profile, {i: draw(STATUS) for i in chosen}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.sampled_from(["ilo", "police"]))
def test_present_never_lowers_and_absent_never_raises(data: st.DataObject, which: str) -> None:
    rubric = ILO if which == "ilo" else POLICE
    profile, indicators = data.draw(case(rubric, [p.id for p in rubric.profiles]))
    unknown = [i for i in rubric.profile(profile).indicators if indicators.get(i, "unknown") == "unknown"]
    if not unknown:
        return
    flip = data.draw(st.sampled_from(unknown))
    base = ranks(rubric, score(rubric, profile, indicators=indicators).outcome_range)
    up = ranks(rubric, score(rubric, profile, indicators=indicators | {flip: "present"}).outcome_range)
    down = ranks(rubric, score(rubric, profile, indicators=indicators | {flip: "absent"}).outcome_range)
    # Knowing more only narrows the range of possible outcomes: present can never lower the lowest
    # possible outcome, absent can never raise the highest, and present is never below absent.
    assert base[0] <= up[0] and up[1] <= base[1]
    assert base[0] <= down[0] and down[1] <= base[1]
    assert down[0] <= up[0] and down[1] <= up[1]


def brute_force(rubric: Rubric, profile: str, indicators: dict[str, str]) -> tuple[set[str], set[str]]:
    """Every outcome reachable by deciding the unknowns, and the unknowns whose flip changes some outcome."""
    unknown = [i for i in rubric.profile(profile).indicators if indicators.get(i, "unknown") == "unknown"]
    outcomes: dict[tuple[bool, ...], str] = {}
    for values in itertools.product((False, True), repeat=len(unknown)):
        assigned = indicators | {i: ("present" if v else "absent") for i, v in zip(unknown, values, strict=True)}
        outcomes[values] = score(rubric, profile, indicators=assigned).outcome
    relevant = set()
    for values, outcome in outcomes.items():
        for k, v in enumerate(values):
            if not v:
                flipped = values[:k] + (True,) + values[k + 1 :]
                if outcomes[flipped] != outcome:
                    relevant.add(unknown[k])
    return set(outcomes.values()), relevant


@st.composite
def small_case(draw: st.DrawFn, rubric: Rubric, profile: str, max_unknown: int) -> dict[str, str]:
    ids = list(rubric.profile(profile).indicators)
    unknown = draw(st.lists(st.sampled_from(ids), max_size=max_unknown, unique=True))
    known = {i: draw(st.sampled_from(["present", "absent"])) for i in ids if i not in unknown}
    return known


@settings(max_examples=300, deadline=None)
@given(indicators=small_case(MINI, "adult", 8))
def test_three_valued_outcome_equals_brute_force_mini(indicators: dict[str, str]) -> None:
    check_against_brute_force(MINI, "adult", indicators)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_three_valued_outcome_equals_brute_force_ilo(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(["adult_labour", "child_sexual"]))
    check_against_brute_force(ILO, profile, data.draw(small_case(ILO, profile, 9)))


@settings(max_examples=60, deadline=None)
@given(indicators=small_case(POLICE, "general", 9))
def test_three_valued_outcome_equals_brute_force_points(indicators: dict[str, str]) -> None:
    check_against_brute_force(POLICE, "general", indicators)


def check_against_brute_force(rubric: Rubric, profile: str, indicators: dict[str, str]) -> None:
    result = score(rubric, profile, indicators=indicators)
    reachable, relevant = brute_force(rubric, profile, indicators)
    if len(reachable) == 1:
        assert result.outcome == next(iter(reachable))
        assert result.could_change == ()
    else:
        assert result.outcome == "undetermined"
        assert set(result.could_change) == relevant
        order = [o.id for o in rubric.outcomes]
        assert result.outcome_range == (min(reachable, key=order.index), max(reachable, key=order.index))
