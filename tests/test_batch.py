"""The numpy batch scorer gives exactly what the single-case engine gives, field by field."""

from __future__ import annotations

import numpy as np
import pytest

from assessment.batch import score_batch
from assessment.config import PILOT_DATA
from assessment.observation import Observation
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.scoring import score

DISCIPLINES = ["police", "care", "medical"]


@pytest.mark.parametrize(
    ("rubric_file", "profile"),
    [("ilo-2009.yaml", "adult_labour"), ("ilo-2009.yaml", "child_sexual"), ("police-signals.yaml", "general"),
     ("legal-273f.yaml", "adult_sexual"), ("legal-273f.yaml", "child_labour")],
)
def test_batch_equals_single_case_engine(rubric_file: str, profile: str) -> None:
    rubric = load_rubric(PILOT_DATA / "rubrics" / rubric_file)
    ids = list(rubric.profile(profile).indicators)
    rng = np.random.default_rng(11)
    n = 300
    # sparse ratings, as members give them: most indicators unknown to most disciplines
    # codes: 0 unknown, 1 present, 2 absent, 3 not applicable
    cube = rng.choice([0, 1, 2, 3], size=(n, len(DISCIPLINES), len(ids)), p=[0.83, 0.1, 0.05, 0.02]).astype(np.int8)
    batch = score_batch(rubric, profile, cube)
    names = ("unknown", "present", "absent", "not_applicable")
    for c in range(n):
        observations = [
            Observation(discipline=d, indicator=iid, status=names[cube[c, k, i]])  # type: ignore[arg-type]
            for k, d in enumerate(DISCIPLINES)
            for i, iid in enumerate(ids)
            if cube[c, k, i]
        ]
        single = score(rubric, profile, observations).to_json()
        expected = {key: single[key] for key in ("outcome", "dimensions", "profile", "contested", "could_change")}
        expected["per_discipline"] = {d: single["per_discipline"].get(d, _silent(rubric, profile)) for d in DISCIPLINES}
        assert batch.case_json(c, DISCIPLINES) == expected, c


def _silent(rubric, profile):  # type: ignore[no-untyped-def]
    """A discipline that rated nothing: its own result is the rubric on all-unknown."""
    return score(rubric, profile, []).outcome


def test_batch_refuses_a_cube_of_the_wrong_shape() -> None:
    rubric = load_rubric(ILO_RUBRIC)
    with pytest.raises(ValueError, match=r"expected \[cases, disciplines, 67\] statuses, got shape \(2, 3\)"):
        score_batch(rubric, "adult_labour", np.zeros((2, 3)))


@pytest.mark.parametrize(("rubric_file", "profile"), [("ilo-2009.yaml", "adult_sexual"), ("police-signals.yaml", "general")])
def test_outcomes_only_equal_the_single_case_engine(rubric_file: str, profile: str) -> None:
    """`outcomes_batch` (re-scoring's entry point) gives each case the outcome `scoring.score` gives."""
    from assessment.batch import outcomes_batch

    rubric = load_rubric(PILOT_DATA / "rubrics" / rubric_file)
    ids = list(rubric.profile(profile).indicators)
    cube = np.random.default_rng(5).choice([0, 1, 2], size=(200, 3, len(ids)), p=[0.7, 0.2, 0.1]).astype(np.int8)
    codes, names = outcomes_batch(rubric, profile, cube)
    status = ("unknown", "present", "absent")
    for c in range(len(cube)):
        obs = [Observation(discipline=d, indicator=iid, status=status[cube[c, k, i]])  # type: ignore[arg-type]
               for k, d in enumerate(DISCIPLINES) for i, iid in enumerate(ids) if cube[c, k, i]]  # fmt: skip
        assert names[codes[c]] == score(rubric, profile, obs).outcome, c
