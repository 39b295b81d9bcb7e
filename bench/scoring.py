"""Scoring throughput: consolidation + evaluation + explanation for synthetic cases with six disciplines.

    .venv/bin/python bench/scoring.py [--cases 100000] [--seed 7]

Prints cases per second on one core (target: at least 50,000). Each synthetic case picks a profile, and
each of six disciplines rates a handful of indicators (present, absent or unknown), as members do.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.observation import Observation  # noqa: E402
from assessment.rubric import load_rubric  # noqa: E402
from assessment.scoring import score  # noqa: E402

DISCIPLINES = ["police", "immigration", "care", "medical", "labour", "legal"]


def synthetic_cases(n: int, seed: int) -> list[tuple[str, list[Observation]]]:
    rubric = load_rubric()
    rng = random.Random(seed)
    profiles = {p.id: list(p.indicators) for p in rubric.profiles}
    names = list(profiles)
    cases = []
    for _ in range(n):
        profile = rng.choice(names)
        ids = profiles[profile]
        observations = [
            Observation.model_construct(
                discipline=disc, indicator=iid, status=rng.choices(("present", "absent", "unknown"), (5, 3, 2))[0],
                source="", note="",
            )
            for disc in DISCIPLINES
            for iid in rng.sample(ids, rng.randint(4, 12))
        ]
        cases.append((profile, observations))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rubric = load_rubric()
    print(f"building {args.cases} synthetic cases ...", file=sys.stderr)
    cases = synthetic_cases(args.cases, args.seed)
    n_obs = sum(len(o) for _, o in cases)
    # Millions of input objects would otherwise make every garbage collection walk them all, which
    # measures the benchmark's own input, not the engine (a real caller holds one case at a time).
    gc.collect()
    gc.freeze()
    outcomes: dict[str, int] = {}
    start = time.perf_counter()
    for i, (profile, observations) in enumerate(cases):
        result = score(rubric, profile, observations)
        result.explanation()
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        if i and i % 20_000 == 0:
            print(f"  {i}/{len(cases)}", file=sys.stderr)
    elapsed = time.perf_counter() - start
    print(f"cases: {len(cases)}  observations: {n_obs}  disciplines per case: {len(DISCIPLINES)}")
    print(f"outcomes: {dict(sorted(outcomes.items()))}")
    print(f"scoring (consolidate + evaluate + explain, with per-discipline results): {elapsed:.2f} s")
    print(f"throughput: {len(cases) / elapsed:,.0f} cases/s on one core (target >= 50,000)")


if __name__ == "__main__":
    main()
