"""Benchmark: wall time of `python -m assessment score CASE` and `python -m assessment --help`, each in a fresh
process (interpreter start, imports, the rubric, the work), median of N runs. Prints figures; asserts nothing.

    .venv/bin/python bench/startup.py [--runs N]

Targets (issue #11): `score` well under 0.5 s, `--help` under 0.3 s, on an idle 2-core machine.
tests/test_startup.py keeps the heavy libraries out of both paths; this measures what that buys.
"""

from __future__ import annotations

import argparse
import json
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


def wall_seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(json.dumps(CASE), encoding="utf-8")
        commands = {"score": ["score", str(case)], "help": ["--help"]}
        first = {name: wall_seconds(argv) for name, argv in commands.items()}  # cold file cache, first start
        medians = {name: statistics.median(wall_seconds(argv) for _ in range(args.runs))
                   for name, argv in commands.items()}
    print(f"{'command':<34}{'first s':>10}{'median s':>10}")
    for name, argv in commands.items():
        shown = "python -m assessment " + (" ".join(argv) if name != "score" else "score case.json")
        print(f"{shown:<34}{first[name]:>10.3f}{medians[name]:>10.3f}")
    print(f"RESULT startup_score {medians['score'] * 1000:.0f} ms <500ms")
    print(f"RESULT startup_help {medians['help'] * 1000:.0f} ms <300ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
