"""The shipped ILO rubric carries exactly the ids and tiers of the shared source file, list by list."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assessment.rubric import ILO_RUBRIC, load_rubric

# A copy of the team's transcription of the ILO/EC brochure (shared/data/ilo-indicators.yaml), kept in the repo so
# the check runs wherever the suite runs (it used to skip, and so could not fail, outside the team's machine).
SOURCE = Path(__file__).resolve().parent / "data" / "ilo-indicators.yaml"


def expand(lists: dict, name: str) -> dict[str, str]:  # type: ignore[type-arg]
    """The source gives adult_labour in full and the other lists as deltas (based_on, retier, drop)."""
    spec = lists[name]
    if "based_on" not in spec:
        return {f"{dim}.{slug}": tier for dim, tiers in spec.items() for tier, items in tiers.items() for slug, _ in items}
    tiers = expand(lists, spec["based_on"])
    tiers.update(spec.get("retier", {}))
    for dropped in spec.get("drop", []):
        del tiers[dropped]
    return tiers


@pytest.fixture(scope="module")
def source() -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe", pure=True).load(SOURCE.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("profile", ["adult_labour", "child_labour", "adult_sexual", "child_sexual"])
def test_ids_and_tiers_equal_the_source(source: dict, profile: str) -> None:  # type: ignore[type-arg]
    rubric = load_rubric(ILO_RUBRIC)
    ours = {iid: entry.tier for iid, entry in rubric.profile(profile).indicators.items()}
    assert ours == expand(source["lists"], profile)


def test_english_names_and_provisional_lists(source: dict) -> None:  # type: ignore[type-arg]
    rubric = load_rubric(ILO_RUBRIC)
    names = {
        f"{dim}.{slug}": name
        for dim, tiers in source["lists"]["adult_labour"].items()
        for items in tiers.values()
        for slug, name in items
    }
    assert {i.id: i.name.en for i in rubric.indicators} == names
    assert {p.id: p.provisional for p in rubric.profiles} == {
        "adult_labour": False,
        "child_labour": False,
        "adult_sexual": True,
        "child_sexual": True,
    }
    assert [d.id for d in rubric.dimensions] == [d["id"] for d in source["dimensions"]]
