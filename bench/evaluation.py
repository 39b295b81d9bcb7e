"""Benchmark of the evaluators' workspace on synthetic cases (default 100,000): all figures (target < 2 s),
research CSV and XLSX exports (target < 10 s each), re-scoring every decided case (target < 10 s).

    .venv/bin/python bench/evaluation.py [--cases N] [--seed S] [--repeat R] [--figures-only]

The figures are timed R times (default 3): the median wall time is the figure against the target, the
median CPU time is printed beside it because other work on the machine inflates wall time.
Progress goes to stderr; the figures to stdout."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.evaluation.export import export  # noqa: E402
from assessment.evaluation.metrics import compute_all, rubric_labels  # noqa: E402
from assessment.evaluation.rescore import rescore  # noqa: E402
from assessment.evaluation.synthetic import synthetic_cases  # noqa: E402
from assessment.rubric import DEFAULT_RUBRIC, load_rubric  # noqa: E402


def progress(what: str, done: int, total: int) -> None:
    print(f"\r  {what}: {done:,}/{total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=3, help="times to compute all figures (median)")
    parser.add_argument("--figures-only", action="store_true", help="skip the exports and re-scoring")
    args = parser.parse_args()
    rubric = load_rubric(DEFAULT_RUBRIC)
    labels = rubric_labels(rubric)

    t = time.perf_counter()
    chunk = 10_000
    cases = []
    for start in range(0, args.cases, chunk):
        n = min(chunk, args.cases - start)
        cases += [c.model_copy(update={"key": f"S-{start + i:07d}"})
                  for i, c in enumerate(synthetic_cases(n, seed=args.seed + start, rubric=rubric))]  # fmt: skip
        progress("generating", len(cases), args.cases)
    generated = time.perf_counter() - t
    n_inputs = sum(len(c.disciplines) for c in cases)
    print(f"synthetic cases: {len(cases):,} ({n_inputs:,} discipline inputs) generated in {generated:.1f} s")

    walls, cpus = [], []
    for run in range(max(args.repeat, 1)):
        print(f"  figures, run {run + 1} ...", file=sys.stderr, flush=True)
        t, c = time.perf_counter(), time.process_time()
        result = compute_all(cases, labels=labels)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(
        f"all figures ({len(result.all_tables())} tables): {statistics.median(walls):.2f} s "
        f"(target < 2 s; CPU {statistics.median(cpus):.2f} s; runs: {runs} s)"
    )
    if args.figures_only:
        return

    with tempfile.TemporaryDirectory() as tmp:
        for fmt, out in (("csv", Path(tmp) / "csv"), ("xlsx", Path(tmp) / "export.xlsx")):
            t = time.perf_counter()
            done = export(cases, out, "research", fmt, progress=progress)  # type: ignore[arg-type]
            took = time.perf_counter() - t
            size = sum(p.stat().st_size for p in done.paths) / 1e6
            print(f"research {fmt} export ({done.cases:,} + {done.discipline_rows:,} rows, {size:.0f} MB): "
                  f"{took:.2f} s (target < 10 s)")  # fmt: skip

    t = time.perf_counter()
    what_if = rescore(cases, rubric, progress=lambda d, n: progress("rescore", d, n))
    took = time.perf_counter() - t
    print(f"re-score {what_if.scored:,} decided cases under {rubric.id} {rubric.version}: {took:.2f} s "
          f"(target < 10 s; {what_if.changed:,} outcomes would change)")  # fmt: skip


if __name__ == "__main__":
    main()
