"""Properties of the three-valued engine, checked with hypothesis against brute force."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.config import PILOT_DATA
from assessment.rubric import ILO_RUBRIC, Rubric, load_rubric
from assessment.scoring import score

ILO = load_rubric(ILO_RUBRIC)
POLICE = load_rubric(PILOT_DATA / "rubrics" / "police-signals.yaml")
MINI = load_rubric(Path(__file__).parent / "data" / "rubrics" / "mini.yaml")

STATUS = st.sampled_from(["present", "absent", "unknown", "not_applicable"])


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
    known = {i: draw(st.sampled_from(["present", "absent", "not_applicable"])) for i in ids if i not in unknown}
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


# ---------------------------------------------------------------------------------------------------------
# The legal-test rubric (art. 273f Sr): properties the law gives (../shared/docs/legal-test.md).

LEGAL = load_rubric(PILOT_DATA / "rubrics" / "legal-273f.yaml")
MEANS_ONLY = ("coercion_destination.", "vulnerability_destination.")  # evidence of the means and nothing else
ANY_STATUS = st.sampled_from(["present", "absent", "unknown", "not_applicable"])


@st.composite
def legal_case(draw: st.DrawFn, profile: str, statuses: st.SearchStrategy[str] = ANY_STATUS) -> dict[str, str]:
    ids = list(LEGAL.profile(profile).indicators)
    chosen = draw(st.lists(st.sampled_from(ids), max_size=30, unique=True))
    return {i: draw(statuses) for i in chosen}


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_legal_a_minor_never_needs_a_means(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(["child_labour", "child_sexual"]))
    case = data.draw(legal_case(profile))
    result = score(LEGAL, profile, indicators=case)
    assert result.elements["means"].status == "not_required"
    # Whatever is known about the means, conduct and purpose established make the outcome plausible.
    established = case | {"act.recruited": "present", "exploitation_form.forced_labour": "present"}
    no_means = established | {i: "absent" for i in LEGAL.profile(profile).indicators if i.startswith(MEANS_ONLY)}
    for c in (established, no_means):
        assert score(LEGAL, profile, indicators=c).outcome == "plausible"


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_legal_deception_alone_satisfies_the_means(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(["adult_labour", "adult_sexual"]))
    case = data.draw(legal_case(profile))
    # everything else about the means ruled out
    case |= {i: "absent" for i in LEGAL.profile(profile).indicators
             if i.startswith(MEANS_ONLY + ("coercive_recruitment.", "recruitment_vulnerability."))}
    # deception: the strong indicator "deceived about the nature of the job", or two medium ones
    way = data.draw(st.sampled_from([("deceptive_recruitment.nature_of_job",),
                                     ("deceptive_recruitment.wages", "deceptive_recruitment.housing")]))
    case |= {i: "present" for i in way}
    assert score(LEGAL, profile, indicators=case).elements["means"].status == "positive"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_legal_no_element_is_present_on_unknown_or_not_applicable_indicators_only(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from([p.id for p in LEGAL.profiles]))
    case = data.draw(legal_case(profile, st.sampled_from(["absent", "unknown", "not_applicable"])))
    result = score(LEGAL, profile, indicators=case)
    assert all(e.status != "positive" for e in result.elements.values())
    assert result.outcome != "plausible"


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_legal_outcome_equals_brute_force(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(["adult_sexual", "child_labour"]))
    check_against_brute_force(LEGAL, profile, data.draw(small_case(LEGAL, profile, 8)))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_legal_element_status_equals_brute_force(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(["adult_labour", "child_sexual"]))
    case = data.draw(small_case(LEGAL, profile, 7))
    unknown = [i for i in LEGAL.profile(profile).indicators if i not in case]
    seen: dict[str, set[str]] = {}
    for values in itertools.product(("present", "absent"), repeat=len(unknown)):
        done = score(LEGAL, profile, indicators=case | dict(zip(unknown, values, strict=True)))
        for k, e in done.elements.items():
            seen.setdefault(k, set()).add(e.status)
    for k, e in score(LEGAL, profile, indicators=case).elements.items():
        assert e.status == (next(iter(seen[k])) if len(seen[k]) == 1 else "undetermined"), k


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_route_turns_its_dimension_positive(data: st.DataObject) -> None:
    rubric = {"legal": LEGAL, "ilo": ILO}[data.draw(st.sampled_from(["legal", "ilo"]))]
    profile = data.draw(st.sampled_from([p.id for p in rubric.profiles]))
    case = data.draw(st.lists(st.sampled_from(list(rubric.profile(profile).indicators)), max_size=40, unique=True))
    indicators = {i: data.draw(STATUS) for i in case}
    result = score(rubric, profile, indicators=indicators)
    tier_of = {i: e.tier for i, e in rubric.profile(profile).indicators.items()}
    for dim in result.dimensions.values():
        needs = result.needs(dim.id)
        assert bool(needs) == (dim.status == "undetermined")
        for need in needs:
            # make exactly the needed number of unknown indicators of the named tiers present
            added = dict(indicators)
            for key, n in need.counts:
                tiers = {t.id for t in rubric.tiers} if key == "any" else set(key.split("_or_"))
                pick = [i for i in dim.unknown if tier_of[i] in tiers and added.get(i, "unknown") == "unknown"][:n]
                assert len(pick) == n
                added |= {i: "present" for i in pick}
            assert score(rubric, profile, indicators=added).dimensions[dim.id].status == "positive", need


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_not_applicable_is_kept_apart_from_absent_and_unknown(data: st.DataObject) -> None:
    rubric = {"legal": LEGAL, "ilo": ILO}[data.draw(st.sampled_from(["legal", "ilo"]))]
    profile = data.draw(st.sampled_from([p.id for p in rubric.profiles]))
    case = {i: data.draw(STATUS) for i in data.draw(
        st.lists(st.sampled_from(list(rubric.profile(profile).indicators)), max_size=30, unique=True))}
    result = score(rubric, profile, indicators=case)
    na = {i for i, s in case.items() if s == "not_applicable"}
    for dim in result.dimensions.values():
        # listed as not applicable, never as absent (a counter-indication) or unknown (a gap in the file)
        assert set(dim.not_applicable) == na & set(dim.all_ids)
        assert not na & (set(dim.absent) | set(dim.unknown))
    assert not na & set(result.could_change)
    # for the rules it can no more be present than an absent indicator: the verdict is the same
    as_absent = score(rubric, profile, indicators={i: ("absent" if s == "not_applicable" else s) for i, s in case.items()})
    assert result.outcome == as_absent.outcome
    assert {d: r.status for d, r in result.dimensions.items()} == {d: r.status for d, r in as_absent.dimensions.items()}
