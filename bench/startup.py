"""Benchmark: wall time of `python -m assessment score CASE` and `python -m assessment --help`, each in a fresh
process (interpreter start, imports, the rubric, the work), median of N runs, as wall time and as CPU time
(user + system: on a busy shared machine the wall time is mostly waiting for a core). Prints figures and the
load average; asserts nothing.

    .venv/bin/python bench/startup.py [--runs N]

Targets (issue #11): `score` well under 0.5 s, `--help` under 0.3 s, on an idle 2-core machine.
tests/test_startup.py keeps the heavy libraries out of both paths; this measures what that buys.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = {
    "profile": "adult_sexual",
    "observations": [
        {"discipline": "police", "indicator": "coercion_destination.documents", "status": "present",
         "source": "PV 2018-113"},
        {"discipline": "care", "indicator": "coercion_destination.documents", "status": "absent", "source": "intake"},
    ],
}


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one `python -m assessment ...` process. On a busy shared
    machine the wall time mostly measures the queue for a core; the CPU time is what the start itself costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(json.dumps(CASE), encoding="utf-8")
        commands = {"score": ["score", str(case)], "help": ["--help"]}
        first = {name: run(argv)[0] for name, argv in commands.items()}  # first start (cold caches)
        runs = {name: [run(argv) for _ in range(args.runs)] for name, argv in commands.items()}
    wall = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':<38}{'first s':>9}{'median s':>10}{'CPU s':>8}")
    for name, argv in commands.items():
        shown = "python -m assessment " + (" ".join(argv) if name != "score" else "score case.json")
        print(f"{shown:<38}{first[name]:>9.3f}{wall[name]:>10.3f}{cpu[name]:>8.3f}")
    print(f"RESULT startup_score {wall['score'] * 1000:.0f} ms <500ms")
    print(f"RESULT startup_help {wall['help'] * 1000:.0f} ms <300ms")
    print(f"RESULT startup_score_cpu {cpu['score'] * 1000:.0f} ms <500ms")
    print(f"RESULT startup_help_cpu {cpu['help'] * 1000:.0f} ms <300ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
