"""The scoring engine on the shipped rubrics: Rule A boundaries, Rule B branches, the child and sexual
lists' retiered and dropped indicators, consolidation and contested indicators, points rubrics."""

from __future__ import annotations

import pytest

from assessment.config import PILOT_DATA
from assessment.errors import InvalidStatusError, UnknownIndicatorError, UnknownProfileError
from assessment.observation import Observation
from assessment.rubric import ILO_RUBRIC, Rubric, load_rubric
from assessment.scoring import score


@pytest.fixture(scope="module")
def ilo() -> Rubric:
    return load_rubric(ILO_RUBRIC)


@pytest.fixture(scope="module")
def police() -> Rubric:
    return load_rubric(PILOT_DATA / "rubrics" / "police-signals.yaml")


def ids_of(rubric: Rubric, profile: str, dimension: str, tier: str) -> list[str]:
    return [
        iid
        for iid, e in rubric.profile(profile).indicators.items()
        if iid.startswith(dimension + ".") and e.tier == tier
    ]


def pick(rubric: Rubric, profile: str, dimension: str, strong: int = 0, medium: int = 0, weak: int = 0) -> list[str]:
    chosen = []
    for tier, n in (("strong", strong), ("medium", medium), ("weak", weak)):
        pool = ids_of(rubric, profile, dimension, tier)
        assert len(pool) >= n, (dimension, tier, n)
        chosen += pool[:n]
    return chosen


def dim_status(rubric: Rubric, profile: str, dimension: str, present: list[str], unknown_rest: bool = False) -> str:
    """Status of one dimension with `present` present and every other indicator absent (or unknown)."""
    rest = "unknown" if unknown_rest else "absent"
    indicators = {iid: ("present" if iid in present else rest) for iid in rubric.profile(profile).indicators}
    return score(rubric, profile, indicators=indicators).dimensions[dimension].status


# Rule A: at least 2 strong, or 1 strong + 1 medium-or-weak, or 3 medium, or 2 medium + 1 weak.
# coercion_destination (adult_labour) has 4 strong, 10 medium and 1 weak indicator: every clause fits.
RULE_A = [
    ((2, 0, 0), "positive"),
    ((1, 0, 0), "negative"),
    ((1, 1, 0), "positive"),
    ((1, 0, 1), "positive"),
    ((0, 3, 0), "positive"),
    ((0, 2, 0), "negative"),
    ((0, 2, 1), "positive"),
    ((0, 1, 1), "negative"),
    ((0, 0, 1), "negative"),
    ((0, 0, 0), "negative"),
]


@pytest.mark.parametrize(("counts", "expected"), RULE_A, ids=[f"s{c[0]}m{c[1]}w{c[2]}" for c, _ in RULE_A])
def test_rule_a_boundaries(ilo: Rubric, counts: tuple[int, int, int], expected: str) -> None:
    present = pick(ilo, "adult_labour", "coercion_destination", *counts)
    assert dim_status(ilo, "adult_labour", "coercion_destination", present) == expected


def test_rule_a_names_the_clause_met(ilo: Rubric) -> None:
    present = pick(ilo, "adult_labour", "coercion_destination", 0, 2, 1)
    indicators = dict.fromkeys(ilo.profile("adult_labour").indicators, "absent") | dict.fromkeys(present, "present")
    dim = score(ilo, "adult_labour", indicators=indicators).dimensions["coercion_destination"]
    assert (dim.status, dim.clause, dim.counts) == ("positive", "2 medium + 1 weak", {"strong": 0, "medium": 2, "weak": 1})


def test_two_weak_never_make_a_dimension(ilo: Rubric) -> None:
    # deceptive recruitment has a single weak indicator; vulnerability at destination has two
    present = pick(ilo, "adult_labour", "vulnerability_destination", weak=2)
    assert dim_status(ilo, "adult_labour", "vulnerability_destination", present) == "negative"


def test_undetermined_dimension_when_unknowns_could_complete_the_rule(ilo: Rubric) -> None:
    present = pick(ilo, "adult_labour", "exploitation", strong=1)
    assert dim_status(ilo, "adult_labour", "exploitation", present, unknown_rest=True) == "undetermined"


def positive_set(rubric: Rubric, profile: str, dims: list[str]) -> dict[str, str]:
    """Every indicator absent except a Rule A-satisfying set in each of `dims`."""
    indicators = dict.fromkeys(rubric.profile(profile).indicators, "absent")
    for d in dims:
        strong = ids_of(rubric, profile, d, "strong")
        chosen = pick(rubric, profile, d, strong=1, medium=1) if strong else pick(rubric, profile, d, medium=3)
        indicators.update(dict.fromkeys(chosen, "present"))
    return indicators


ADULT_B = [
    (["deceptive_recruitment", "exploitation", "coercion_destination"], "plausible"),
    (["coercive_recruitment", "exploitation", "vulnerability_destination"], "plausible"),
    (["recruitment_vulnerability", "exploitation", "coercion_destination"], "plausible"),
    (["exploitation", "coercion_destination", "vulnerability_destination"], "not_plausible"),  # no recruitment
    (["deceptive_recruitment", "coercion_destination"], "not_plausible"),  # no exploitation
    (["deceptive_recruitment", "exploitation"], "not_plausible"),  # no means at destination
    ([], "not_plausible"),
]


@pytest.mark.parametrize(("dims", "expected"), ADULT_B, ids=[str(i) for i in range(len(ADULT_B))])
@pytest.mark.parametrize("profile", ["adult_labour", "adult_sexual"])
def test_rule_b_adults(ilo: Rubric, profile: str, dims: list[str], expected: str) -> None:
    result = score(ilo, profile, indicators=positive_set(ilo, profile, dims))
    assert result.outcome == expected
    assert result.could_change == ()


CHILD_B = [
    (["deceptive_recruitment", "exploitation"], "plausible"),  # children need no means at destination
    (["recruitment_vulnerability", "exploitation"], "plausible"),
    (["coercive_recruitment", "exploitation"], "plausible"),
    (["exploitation", "coercion_destination"], "not_plausible"),
    (["deceptive_recruitment", "coercion_destination"], "not_plausible"),
]


@pytest.mark.parametrize(("dims", "expected"), CHILD_B, ids=[str(i) for i in range(len(CHILD_B))])
@pytest.mark.parametrize("profile", ["child_labour", "child_sexual"])
def test_rule_b_children(ilo: Rubric, profile: str, dims: list[str], expected: str) -> None:
    assert score(ilo, profile, indicators=positive_set(ilo, profile, dims)).outcome == expected


def test_child_lists_retier_indicators(ilo: Rubric) -> None:
    # "Deceived about access to education" is weak for adults and strong for children:
    # with one strong more, the dimension is positive for a child, not for an adult.
    present = ["deceptive_recruitment.education", "deceptive_recruitment.nature_of_job"]
    assert dim_status(ilo, "child_labour", "deceptive_recruitment", present) == "positive"
    assert dim_status(ilo, "adult_labour", "deceptive_recruitment", present) == "positive"  # 1 strong + 1 weak
    assert dim_status(ilo, "adult_labour", "deceptive_recruitment", ["deceptive_recruitment.education"]) == "negative"
    # two retiered-to-strong coercion indicators alone make coercive recruitment for a child, not for an adult
    two = ["coercive_recruitment.threat_violence", "coercive_recruitment.abduction"]
    assert dim_status(ilo, "child_labour", "coercive_recruitment", two) == "positive"
    assert dim_status(ilo, "adult_labour", "coercive_recruitment", two) == "negative"
    assert ilo.profile("child_labour").indicators["recruitment_vulnerability.beliefs"].tier == "medium"
    assert ilo.profile("child_sexual").indicators["exploitation.hazardous_work"].tier == "strong"
    assert ilo.profile("adult_sexual").indicators["coercion_destination.forced_tasks"].tier == "strong"
    assert ilo.profile("adult_sexual").indicators["exploitation.excessive_hours"].tier == "medium"


@pytest.mark.parametrize("dropped", ["recruitment_vulnerability.false_info_law", "exploitation.social_protection"])
@pytest.mark.parametrize("profile", ["child_labour", "child_sexual"])
def test_dropped_indicators_are_refused_by_name(ilo: Rubric, profile: str, dropped: str) -> None:
    obs = [Observation(discipline="police", indicator=dropped, status="present")]
    with pytest.raises(UnknownIndicatorError) as info:
        score(ilo, profile, obs)
    assert str(info.value) == (
        f"Unknown indicator '{dropped}' for profile {profile} (it exists in rubric ilo-2009, but profile {profile} drops it)"
    )


def test_unknown_indicator_status_and_profile_are_named(ilo: Rubric) -> None:
    with pytest.raises(UnknownIndicatorError, match="Unknown indicator 'exploitation.nope' for profile adult_labour$"):
        score(ilo, "adult_labour", [Observation(discipline="police", indicator="exploitation.nope", status="present")])
    with pytest.raises(InvalidStatusError, match="Unknown status 'maybe' for exploitation.hazardous_work") as status:
        score(ilo, "adult_labour", indicators={"exploitation.hazardous_work": "maybe"})
    assert status.value.text("nl") == ("Onbekende status 'maybe' bij exploitation.hazardous_work: gebruik present, "
                                       "absent, unknown of not_applicable")
    with pytest.raises(UnknownProfileError, match="Unknown profile 'adult_organs' for rubric ilo-2009") as refused:
        score(ilo, "adult_organs", [])
    assert refused.value.text("nl").startswith("Onbekend profiel 'adult_organs' voor beoordelingsinstrument ilo-2009")


def obs(discipline: str, indicator: str, status: str, source: str = "") -> Observation:
    return Observation(discipline=discipline, indicator=indicator, status=status, source=source)  # type: ignore[arg-type]


def test_consolidation_any_present_and_contested(ilo: Rubric) -> None:
    result = score(
        ilo,
        "adult_sexual",
        [
            obs("police", "coercion_destination.documents", "present", "PV 2018-113"),
            obs("care", "coercion_destination.documents", "absent", "intake shelter"),
            obs("care", "coercion_destination.violence", "absent"),
            obs("medical", "coercion_destination.violence", "unknown"),
            obs("legal", "coercion_destination.isolation", "unknown"),
        ],
    )
    ind = result.indicators
    assert ind["coercion_destination.documents"].status == "present"
    assert ind["coercion_destination.documents"].contested
    assert ind["coercion_destination.documents"].disciplines == ["police"]
    assert ind["coercion_destination.documents"].sources == ["PV 2018-113"]
    assert ind["coercion_destination.violence"].status == "absent"
    assert ind["coercion_destination.isolation"].status == "unknown"
    assert ind["exploitation.hazardous_work"].status == "unknown"  # never mentioned: unknown, not absent
    assert result.contested == ("coercion_destination.documents",)


def test_absent_and_unknown_are_never_the_same(ilo: Rubric) -> None:
    present = positive_set(ilo, "adult_labour", ["deceptive_recruitment", "exploitation"])
    present = {k: v for k, v in present.items() if v == "present"}
    unknown_means = score(ilo, "adult_labour", indicators=present)
    absent_means = score(
        ilo,
        "adult_labour",
        indicators=dict.fromkeys(ilo.profile("adult_labour").indicators, "absent") | present,
    )
    assert unknown_means.outcome == "undetermined"
    assert absent_means.outcome == "not_plausible"
    could = set(unknown_means.could_change)
    assert could and all(i.split(".")[0] in ("coercion_destination", "vulnerability_destination") for i in could)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("any_present", "present"), ("majority", "absent"), ("unanimous", "unknown")],
)
def test_consolidation_policies(policy: str, expected: str) -> None:
    from pathlib import Path

    from assessment.rubric import parse_rubric

    text = (Path(__file__).parent / "data" / "rubrics" / "mini.yaml").read_text()
    rubric = parse_rubric(text.replace('undetermined: {', f"consolidation: {policy}\nundetermined: {{", 1))
    result = score(
        rubric,
        "adult",
        [obs("police", "coercion.s1", "present"), obs("care", "coercion.s1", "absent"), obs("legal", "coercion.s1", "absent")],
    )
    assert result.indicators["coercion.s1"].status == expected
    assert result.contested == ("coercion.s1",)


# "Not applicable" (e.g. family reunification for someone without family) says "not present" like absent,
# but is no counter-indication: the merged status is absent if anyone said absent, else not applicable.
@pytest.mark.parametrize(
    ("policy", "said", "expected", "contested"),
    [
        ("any_present", ["not_applicable"], "not_applicable", False),
        ("any_present", ["not_applicable", "unknown"], "not_applicable", False),
        ("any_present", ["not_applicable", "absent"], "absent", False),
        ("any_present", ["not_applicable", "present"], "present", True),
        ("majority", ["not_applicable", "not_applicable", "present"], "not_applicable", True),
        ("majority", ["not_applicable", "present"], "unknown", True),
        ("majority", ["not_applicable", "absent", "present"], "absent", True),
        ("unanimous", ["not_applicable", "absent"], "absent", False),
        ("unanimous", ["not_applicable", "present"], "unknown", True),
    ],
)
def test_consolidation_of_not_applicable(policy: str, said: list[str], expected: str, contested: bool) -> None:
    from pathlib import Path

    from assessment.rubric import parse_rubric

    text = (Path(__file__).parent / "data" / "rubrics" / "mini.yaml").read_text()
    rubric = parse_rubric(text.replace('undetermined: {', f"consolidation: {policy}\nundetermined: {{", 1))
    disciplines = ["police", "care", "legal"]
    result = score(rubric, "adult", [obs(d, "coercion.s1", s) for d, s in zip(disciplines, said, strict=False)])
    assert result.indicators["coercion.s1"].status == expected
    assert (result.contested == ("coercion.s1",)) is contested
    dim = result.dimensions["coercion"]
    assert ("coercion.s1" in dim.not_applicable) is (expected == "not_applicable")
    assert ("coercion.s1" in dim.absent) is (expected == "absent")
    assert ("coercion.s1" in dim.unknown) is (expected == "unknown")


def test_per_discipline_outcomes(ilo: Rubric) -> None:
    full = positive_set(ilo, "adult_labour", ["deceptive_recruitment", "exploitation", "coercion_destination"])
    police = [obs("police", i, "present") for i, s in full.items() if s == "present"]
    care = [obs("care", i, "absent") for i in list(full)[:5]]
    result = score(ilo, "adult_labour", police + care)
    assert result.outcome == "plausible"
    assert {d: r.outcome for d, r in result.per_discipline.items()} == {"police": "plausible", "care": "undetermined"}
    assert result.to_json()["per_discipline"] == {"police": "plausible", "care": "undetermined"}


def test_result_carries_rubric_identity(ilo: Rubric) -> None:
    result = score(ilo, "adult_labour", [])
    assert result.to_json()["rubric"] == {"id": "ilo-2009", "version": ilo.version, "hash": ilo.content_hash}
    assert ilo.content_hash.startswith("sha256:") and len(ilo.content_hash) == 71


def test_points_rubric_bands_and_undetermined(police: Rubric) -> None:
    profile = police.profile("general")
    ids = list(profile.indicators)
    points = {i: profile.indicators[i].points for i in ids}
    bands = [(b.outcome, b.min) for b in profile.outcome.points.bands]  # type: ignore[union-attr]
    everything_absent = dict.fromkeys(ids, "absent")
    assert score(police, "general", indicators=everything_absent).outcome == "none"
    # reach exactly the 'clear' threshold with present indicators, everything else absent
    clear_min = dict(bands)["clear"]
    chosen, total = [], 0
    for i in sorted(ids, key=lambda i: -points[i]):
        if total + points[i] <= clear_min:  # type: ignore[operator]
            chosen.append(i)
            total += points[i]  # type: ignore[operator]
        if total == clear_min:
            break
    assert total == clear_min
    result = score(police, "general", indicators=everything_absent | dict.fromkeys(chosen, "present"))
    assert (result.outcome, result.points) == ("clear", (clear_min, clear_min))
    # nothing known: the total can be anything from 0 to the maximum, so the outcome is undetermined,
    # and every indicator with points could change it
    open_result = score(police, "general", [])
    assert open_result.outcome == "undetermined"
    assert open_result.outcome_range == ("none", "clear")
    assert set(open_result.could_change) == {i for i in ids if points[i]}


def test_police_rubric_cluster_dimensions(police: Rubric) -> None:
    profile = police.profile("general")
    heavy = [i for i, e in profile.indicators.items() if e.points == 2 and i.startswith("restricted_freedoms.")]
    assert heavy, "the rubric has a heavy signal in restricted_freedoms"
    result = score(police, "general", indicators=dict.fromkeys(profile.indicators, "absent") | {heavy[0]: "present"})
    assert result.dimensions["restricted_freedoms"].status == "positive"
    assert result.dimensions["multiple_dependency"].status == "negative"
