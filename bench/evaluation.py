"""Benchmark of the evaluators' workspace as the product runs it: a SQLite store of synthetic cases (default
100,000), read straight into columns, then all figures, re-scoring and the research export.

    .venv/bin/python bench/evaluation.py [--cases N] [--rescore-cases M] [--profile P] [--seed S] [--repeat R]
                                        [--no-export] [--stores FOLDER]

Targets (issue #16): all figures for 100,000 cases <= 1 s; research export <= 3 s; re-scoring 100,000 decided
cases <= 1 s; memory < 1 GB. The parent process generates the synthetic cases and writes them into two
stores (untimed): one of N cases for the figures and the export, one of M decided cases for the re-scoring.
A fresh child process then does only what the product does (open the store, read, compute), so the
generator's objects do not count. Each figure, and each export after a change and warm, is timed R times (default 3; median wall time against the
target, median CPU beside it because other work on the machine inflates wall time). The figures are timed on
the columns (the target) and once more through the service as the report, the `metrics` command and the
workspace run them (the store read included). Each step's peak memory is its own: a product action (one
command, one page request) reads the store and computes one thing, so the step before is let go and the
peak reset (Linux: /proc/self/clear_refs) before the next; where it cannot be reset, the process's peak
is printed at the end instead.
The services keep the columns they read in the store per block (the cases received in the same ten days or so) until a table
they come from changes for a case of that block (`assessment.evaluation.blocks`, `.snapshot`), so every
step is timed three times where that matters: cold (every block dropped first, as after an upgrade: all
the tables are read, and every block written), after one change (one case's row changed, as every save
changes its case: that case's block is read from the tables and joined to the blocks kept) and warm
(every block kept, nothing changed since).
Progress goes to stderr; the figures to stdout."""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.config import Settings  # noqa: E402
from assessment.model import User  # noqa: E402
from assessment.store import Store, open_store  # noqa: E402

EVALUATOR = User(username="evaluator", role="evaluator")


def progress(what: str, done: int, total: int) -> None:
    print(f"\r  {what}: {done:,}/{total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float, list[float]]:
    """The result, median wall and CPU seconds, and every wall time, of `repeat` runs."""
    walls, cpus, result = [], [], None
    for _ in range(max(repeat, 1)):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return result, statistics.median(walls), statistics.median(cpus), walls


def build(db: Path, n: int, profile: str, seed: int, decided_only: bool, offset: int) -> int:
    """Write `n` synthetic cases (only decided ones when asked) into a new store; returns the inputs written."""
    from assessment.rubric import load_rubric
    from assessment.synthetic import facts, seed_store

    rubric = load_rubric()
    store = open_store(Settings(db_path=db, demo=False))
    written = inputs = 0
    chunk = 10_000
    round_ = 0
    while written < n:
        batch = facts(chunk, profile, seed=seed + offset + round_, rubric=rubric)
        round_ += 1
        if decided_only:
            batch = [c for c in batch if c.panel_outcome is not None]
        batch = batch[: n - written]
        batch = [c.model_copy(update={"key": f"S-{offset + written + i:08d}"}) for i, c in enumerate(batch)]
        with store.write() as tx:
            seed_store(tx, batch, first_id=written + 1)
        written += len(batch)
        inputs += sum(len(c.disciplines) for c in batch)
        progress("decided cases" if decided_only else "cases", written, n)
    store.close()
    return inputs


def peak_reset() -> bool:
    """Start this process's peak resident memory afresh (Linux); False where that cannot be done."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    """This process's peak resident memory in MB since the last `peak_reset` (or since it started)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STATES = ("cold", "after one case changed", "warm")


def change_one_case(store: Store, refs: list[str]) -> None:
    """Change one case's row with its audit event, as every save changes its case (who saved it): the
    triggers drop that case's block of the kept columns. Another case each time, spread over the year."""
    n = next(_CHANGES)
    ref = refs[(n * 7919) % len(refs)]
    with store.write() as tx:
        tx.set("cases", {"ref": ref}, {"updated_by": f"bench-{n}"})
        tx.append_audit(actor="bench", action="case.update", case_ref=ref, entity="case")


_CHANGES = itertools.count(1)


def prepare(store: Store, cases: list[str], state: str) -> None:
    """Put the kept columns in `state` (one of STATES) before a timed step; warm follows another step."""
    if state == "cold":
        store.drop_analysis_blocks()
    elif state == "after one case changed":
        change_one_case(store, cases)


def measure(args: argparse.Namespace) -> None:
    """The product's work on the two stores, in this (fresh) process."""
    from assessment import services
    from assessment.evaluation.metrics import compute_all, rubric_labels
    from assessment.evaluation.rescore import rescore
    from assessment.rubric import load_rubric
    from assessment.services.evaluation import _columns  # the services' own read of the exact facts

    rubric = load_rubric()
    labels = rubric_labels(rubric)
    store = open_store(Settings(db_path=Path(args.measure), demo=False))
    per_step = peak_reset()  # each step's own peak (the kernel's peak is reset, so `time -f %M` sees the last step's)
    step_peak = "peak memory of the step" if per_step else "peak memory of the process so far"
    store.drop_analysis_blocks()
    (cols, skipped), wall, cpu, _ = timed(lambda: _columns(store), 1)
    print(f"read {len(cols):,} cases, {len(cols.inputs):,} inputs, {len(cols.inputs.indicators):,} ratings and "
          f"{len(cols.inputs.dimensions):,} views from SQLite into columns, cold (every block read and kept): "
          f"{wall:.2f} s (CPU {cpu:.2f} s)")  # fmt: skip
    cases = list(cols.keys)  # the references of the cases to change
    del cols
    walls, cpus = [], []
    for _ in range(max(args.repeat, 1)):
        change_one_case(store, cases)
        (cols, skipped), wall, cpu, _ = timed(lambda: _columns(store), 1)
        walls.append(wall)
        cpus.append(cpu)
        del cols
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"the same columns after one case changed (its block read, the others kept): {statistics.median(walls):.2f} s "
          f"(CPU {statistics.median(cpus):.2f} s; runs: {runs} s)")  # fmt: skip
    (cols, skipped), wall, cpu, walls = timed(lambda: _columns(store), args.repeat)
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"the same columns, warm (every block kept): {wall:.2f} s (CPU {cpu:.2f} s; runs: {runs} s)")
    result, wall, cpu, walls = timed(lambda c=cols: compute_all(c, labels=labels), args.repeat)  # type: ignore[misc]
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"all figures ({len(result.all_tables())} tables) on the columns: {wall:.2f} s "
          f"(target <= 1 s; CPU {cpu:.2f} s; runs: {runs} s; {step_peak} with the read: {peak_mb():,.0f} MB)")  # fmt: skip
    del cols, result

    for state in STATES:
        prepare(store, cases, state)
        peak_reset()
        (result, _), wall, cpu, _ = timed(lambda: services.pilot_figures(store, EVALUATOR), 1)
        print(f"all figures through the service as the report and `metrics` run them (store read included), "
              f"{state}: {wall:.2f} s (CPU {cpu:.2f} s; {step_peak}: {peak_mb():,.0f} MB)")  # fmt: skip
        del result

    peak_reset()
    rescore_store = open_store(Settings(db_path=Path(args.rescore_db), demo=False))
    decided, _ = _columns(rescore_store)
    what_if, wall, cpu, walls = timed(lambda d=decided: rescore(d, rubric), args.repeat)  # type: ignore[misc]
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"re-score {what_if.scored:,} decided cases under {rubric.id} {rubric.version} (batch engine): {wall:.2f} s "
          f"(target <= 1 s; CPU {cpu:.2f} s; runs: {runs} s; {what_if.changed:,} outcomes would change; "
          f"{step_peak} with the read: {peak_mb():,.0f} MB)")  # fmt: skip
    del decided, what_if

    if not args.no_export:
        with tempfile.TemporaryDirectory() as tmp:
            for i, (fmt, state) in enumerate((fmt, state) for fmt in ("csv", "xlsx") for state in STATES):
                # Each state made again before each run (cold: once, it takes a while); the median run counts.
                walls, cpus, peaks = [], [], []
                for j in range(1 if state == "cold" else max(args.repeat, 1)):
                    out = Path(tmp) / f"{i}-{j}" / ("csv" if fmt == "csv" else "export.xlsx")
                    out.parent.mkdir()
                    prepare(store, cases, state)
                    peak_reset()
                    (done, _), wall, cpu, _ = timed(
                        lambda fmt=fmt, out=out: services.research_export(store, EVALUATOR, out, fmt), 1  # type: ignore[misc]
                    )
                    walls.append(wall)
                    cpus.append(cpu)
                    peaks.append(peak_mb())
                size = sum(p.stat().st_size for p in done.paths) / 1e6
                runs = ", ".join(f"{w:.2f}" for w in walls)
                print(f"research {fmt} export through the service, from the store, {state} ({done.cases:,} + "
                      f"{done.discipline_rows:,} rows, {size:.0f} MB): {statistics.median(walls):.2f} s (target <= 3 s; "
                      f"CPU {statistics.median(cpus):.2f} s; runs: {runs} s; {step_peak}: {max(peaks):,.0f} MB)")  # fmt: skip
    if not per_step:
        print(f"peak memory of the process: {peak_mb():,.0f} MB (target < 1 GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rescore-cases", type=int, default=100_000, help="decided cases to re-score")
    parser.add_argument("--profile", choices=["national", "pilot"], default="national",
                        help="synthetic population (assessment.synthetic.PROFILES)")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=3, help="times to run each timed step (median)")
    parser.add_argument("--no-export", action="store_true", help="skip the research exports")
    parser.add_argument("--stores", help="keep the synthetic stores in this folder and reuse them when there")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child: the store to measure
    parser.add_argument("--rescore-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.stores or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db, rescore_db = folder / "evaluation.sqlite3", folder / "rescore.sqlite3"
        if db.exists() and rescore_db.exists():
            print(f"synthetic stores reused from {folder} (made by an earlier run with the same options)")
        else:
            t = time.perf_counter()
            inputs = build(db, args.cases, args.profile, args.seed, decided_only=False, offset=0)
            build(rescore_db, args.rescore_cases, args.profile, args.seed + 7919, decided_only=True, offset=10_000_000)
            print(f"synthetic stores ({args.profile} profile): {args.cases:,} cases ({inputs:,} discipline inputs) and "
                  f"{args.rescore_cases:,} decided cases, generated and written in {time.perf_counter() - t:.0f} s "
                  "(not timed below)")  # fmt: skip
        child = [sys.executable, __file__, "--measure", str(db), "--rescore-db", str(rescore_db),
                 "--repeat", str(args.repeat), *(["--no-export"] if args.no_export else [])]  # fmt: skip
        subprocess.run(child, check=True)


if __name__ == "__main__":
    main()
