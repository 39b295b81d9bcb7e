"""Run every benchmark in bench/ (each in its own process) and print one summary table: figure, target, result.

    .venv/bin/python bench/run_all.py [--quick] [--only NAME ...]

A benchmark reports a figure with a line `RESULT <name> <value> <unit> <target>` (target as e.g. `<5ms` or
`>=50000cases/s`); lines without that prefix are summarised as they are (every line that names a target).
`--quick` passes each benchmark its small-size arguments, for a smoke run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Small sizes for --quick (unknown options are not passed: each bench is asked only what it accepts).
QUICK: dict[str, list[str]] = {
    "store": ["--cases", "2000", "--repeat", "20"],
    "scoring": ["--cases", "5000", "--single", "500"],
    "evaluation": ["--cases", "2000", "--rescore-cases", "2000"],
    "letters": ["--runs", "3"],
    "app": ["--runs", "3"],
    "load_services": ["--seconds", "3"],
    "load_browser": ["--seconds", "10"],
    "startup": ["--runs", "3"],
}
RESULT = re.compile(r"^RESULT\s+(\S+)\s+(\S+)\s+(\S+)\s*(\S*)")


def benchmarks() -> list[Path]:
    """Every benchmark script in bench/ but this one."""
    return sorted(p for p in BENCH.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))


def run_one(path: Path, quick: bool, timeout: float) -> tuple[list[tuple[str, str, str]], float, int]:
    """Run one benchmark; returns its rows (figure, target, result), its wall time and exit code."""
    args = QUICK.get(path.stem, []) if quick else []
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, str(path), *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
        out, code = proc.stdout, proc.returncode
        if code != 0:
            out += "\n" + "\n".join(proc.stderr.strip().splitlines()[-3:])
    except subprocess.TimeoutExpired:
        out, code = f"timed out after {timeout:.0f} s", -1
    rows = parse(path.stem, out)
    return rows, time.monotonic() - start, code


def parse(name: str, out: str) -> list[tuple[str, str, str]]:
    """RESULT lines as (figure, target, value unit); otherwise every line naming a target, as it is."""
    rows = []
    for line in out.splitlines():
        m = RESULT.match(line.strip())
        if m:
            rows.append((f"{name}: {m.group(1)}", m.group(4) or "-", f"{m.group(2)} {m.group(3)}"))
    if rows:
        return rows
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    picked = lines[-8:]
    return [(f"{name}", "(in line)", ln) for ln in picked]


def table(rows: list[tuple[str, str, str]]) -> str:
    """A Markdown table of the rows."""
    out = ["| figure | target | result |", "|---|---|---|"]
    out += [f"| {f} | {t} | {r.replace('|', '/')} |" for f, t, r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", nargs="*", default=None, help="benchmark names (file stems) to run")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark (default 1800)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str]] = []
    for path in benchmarks():
        if args.only is not None and path.stem not in args.only:
            continue
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        got, seconds, code = run_one(path, args.quick, args.timeout)
        rows += got
        rows.append((f"{path.stem}: wall time", "-", f"{seconds:.1f} s" + ("" if code == 0 else f" (exit {code})")))
    print(f"Measured {dt.date.today().isoformat()} on {platform.node() or 'unknown'} ({platform.machine()}, "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()})"
          f"{' [quick]' if args.quick else ''}")
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
