"""Scoring throughput for synthetic cases with six disciplines each.

    .venv/bin/python bench/scoring.py [--cases 100000] [--single 20000] [--seed 7] [--rubric FILE]

(--rubric pilot_data/rubrics/legal-273f.yaml times the legal test, whose single figure includes its
elements and what each still needs)

Two figures:
- batch (assessment.batch.score_batch, numpy): consolidation + evaluation + the explanation's data
  (dimension statuses, the rule clause met, counts per tier, contested and could-change indicators, each
  discipline's own outcome) for all cases at once. This is the path for rescoring and evaluation.
- single (assessment.scoring.score): the same plus the explanation as Python objects, one case at a time,
  as the app does for the case on screen. Measured on a sample (--single) because it is slower.
Target: at least 50,000 cases/s on one core.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.batch import score_batch  # noqa: E402
from assessment.observation import Observation  # noqa: E402
from assessment.routes import element_routes  # noqa: E402
from assessment.rubric import DEFAULT_RUBRIC, Rubric, load_rubric  # noqa: E402
from assessment.scoring import score  # noqa: E402

DISCIPLINES = ["police", "immigration", "care", "medical", "labour", "legal"]
STATUS_NAMES = ("unknown", "present", "absent")


def synthetic_cubes(n: int, seed: int, rubric: Rubric) -> dict[str, np.ndarray]:
    """Per profile, a [cases, 6, indicators] cube: each discipline rates 4 to 12 indicators."""
    rng = np.random.default_rng(seed)
    profiles = [p.id for p in rubric.profiles]
    which = rng.integers(0, len(profiles), size=n)
    cubes = {}
    for k, pid in enumerate(profiles):
        m = int((which == k).sum())
        n_ind = len(rubric.profile(pid).indicators)
        cube = np.zeros((m, len(DISCIPLINES), n_ind), dtype=np.int8)
        rated = rng.integers(4, 13, size=(m, len(DISCIPLINES)))
        for d in range(len(DISCIPLINES)):
            order = rng.random((m, n_ind)).argsort(axis=1)
            mask = order < rated[:, d : d + 1]
            values = rng.choice([1, 2, 0], size=(m, n_ind), p=[0.5, 0.3, 0.2]).astype(np.int8)
            cube[:, d, :] = np.where(mask, values, 0)
        cubes[pid] = cube
    return cubes


def as_observations(ids: list[str], cube: np.ndarray, c: int) -> list[Observation]:
    return [
        Observation.model_construct(discipline=DISCIPLINES[d], indicator=ids[i], status=STATUS_NAMES[v], source="", note="")
        for d in range(cube.shape[1])
        for i, v in enumerate(cube[c, d])
        if v
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=20_000, help="cases for the one-at-a-time figure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rubric", type=Path, default=DEFAULT_RUBRIC)
    args = parser.parse_args()
    rubric = load_rubric(args.rubric)
    print(f"building {args.cases} synthetic cases ...", file=sys.stderr)
    cubes = synthetic_cubes(args.cases, args.seed, rubric)
    n_obs = int(sum((c > 0).sum() for c in cubes.values()))

    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    for pid, cube in cubes.items():
        result = score_batch(rubric, pid, cube)
        for code, count in zip(*np.unique(result.outcome, return_counts=True), strict=True):
            outcomes[result.outcomes[code]] = outcomes.get(result.outcomes[code], 0) + int(count)
    batch_s = time.perf_counter() - start

    sample = []
    per_profile = max(1, args.single // len(cubes))
    for pid, cube in cubes.items():
        ids = list(rubric.profile(pid).indicators)
        sample += [(pid, as_observations(ids, cube, c)) for c in range(min(per_profile, len(cube)))]
    # Millions of input objects would make every garbage collection walk them: that measures the
    # benchmark's own input, not the engine (a real caller holds one case at a time).
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    for pid, observations in sample:
        result = score(rubric, pid, observations)
        result.explanation()
        for element in result.elements.values():  # empty for a rubric without elements
            element_routes(rubric, element, "nl")
    single_s = time.perf_counter() - start

    print(f"rubric: {rubric.id} {rubric.version}")
    print(f"cases: {args.cases}  observations: {n_obs}  disciplines per case: {len(DISCIPLINES)}")
    print(f"outcomes: {dict(sorted(outcomes.items()))}")
    print(f"batch  (numpy, all cases at once):      {batch_s:6.2f} s  {args.cases / batch_s:10,.0f} cases/s")
    print(f"single (one case at a time, explained): {single_s:6.2f} s  {len(sample) / single_s:10,.0f} cases/s"
          f"  ({len(sample)} cases)")
    print("target: >= 50,000 cases/s on one core")
    print(f"RESULT batch_throughput {args.cases / batch_s:.0f} cases/s >=50000")  # for bench/run_all.py
    print(f"RESULT single_throughput {len(sample) / single_s:.0f} cases/s -")


if __name__ == "__main__":
    main()
