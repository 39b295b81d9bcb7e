"""Fast start: `python -m assessment score` and `--help` load no heavy library and none of the database layers.

Start-up time is measured in bench/startup.py (tests never time things); this test keeps it from regressing by
checking *what* gets imported, in a fresh interpreter, which is what the time depends on. A module on the list
below belongs behind a function-level import in the command that needs it (see assessment/cli/).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Heavy third-party libraries (each costs tenths of a second to import) and the project's own layers that pull
# them in. None of them is needed to score one case file or to print the help.
HEAVY = [
    "statsmodels", "scipy", "numpy", "pandas", "krippendorff", "altair", "typst", "docxtpl", "docx", "openpyxl",
    "sqlite_utils", "argon2", "jinja2", "streamlit",
    "assessment.services", "assessment.store", "assessment.evaluation", "assessment.letters", "assessment.batch",
    "assessment.training", "assessment.passwords",
]

PROBE = """
import contextlib, io, json, sys
from assessment.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:  # argparse's --help exits
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def loaded(*argv: str) -> tuple[int, str, set[str]]:
    """Run the CLI with `argv` in a fresh interpreter; its exit code, its output and every module it imported."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.splitlines()[-1])
    return report["code"], report["out"], set(report["modules"])


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_score_imports_no_heavy_library(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"profile": "adult_labour", "indicators": {}}), encoding="utf-8")
    code, out, modules = loaded("score", str(case), "--json")
    assert code == 0
    assert json.loads(out)["profile"] == "adult_labour"  # it really scored
    assert "assessment.scoring" in modules  # the probe sees the modules the command used
    assert heavy_among(modules) == []


def test_help_imports_no_heavy_library() -> None:
    code, out, modules = loaded("--help")
    assert code == 0
    assert "score" in out and "letter" in out
    assert heavy_among(modules) == []


@pytest.mark.parametrize("command", ["letter", "metrics", "training"])
def test_command_help_imports_no_heavy_library(command: str) -> None:
    code, out, modules = loaded(command, "--help")
    assert code == 0
    assert command in out
    assert heavy_among(modules) == []


def test_the_check_sees_a_heavy_import(tmp_path: Path) -> None:
    """The probe itself works: a command that needs the store (and so sqlite_utils) is caught."""
    code, _, modules = loaded("init", "--db", str(tmp_path / "x.sqlite3"))
    assert code == 0
    assert {"sqlite_utils", "assessment.store"} <= set(heavy_among(modules))


def test_the_services_load_no_statistics_or_spreadsheet_library() -> None:
    """The app and every CLI command import the services; statsmodels/scipy, krippendorff, altair and openpyxl
    (each tenths of a second) load only in the functions that compute or write with them."""
    probe = "import json, sys; import assessment.services; print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    modules = set(json.loads(proc.stdout.splitlines()[-1]))
    assert "assessment.services" in modules
    heavy = ("statsmodels", "scipy", "krippendorff", "altair", "openpyxl")
    assert sorted(m for m in modules if m.split(".")[0] in heavy) == []


def test_help_does_not_load_the_model_the_rubric_or_the_engine() -> None:
    """Listing the commands needs argparse and the commands' names: no pydantic, no YAML reader."""
    _, _, modules = loaded("--help")
    light = ("assessment.model", "assessment.rubric", "assessment.scoring", "assessment.casefile",
             "assessment.yamlfile")
    assert sorted(m for m in modules if m in light or m.split(".")[0] in ("pydantic", "ruamel")) == []


def test_choices_still_refuse_a_wrong_value_and_list_the_right_ones(capsys: pytest.CaptureFixture[str]) -> None:
    from assessment.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["cases", "--status", "bogus", "--as", "x"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "invalid choice: 'bogus'" in err and "'intake'" in err and "'decided'" in err
    with pytest.raises(SystemExit):
        main(["users", "add", "--help"])
    assert "medical" in capsys.readouterr().out  # the disciplines, listed in the command's own help
