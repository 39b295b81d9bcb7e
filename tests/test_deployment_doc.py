"""docs/deployment.md cannot drift: every `python -m assessment` command in it parses, every flag it names
exists, the restore drill runs end to end on a temporary database, and the settings it names exist."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)([^\n]*)\n(.*?)^```", DOC, flags=re.S | re.M)


def commands(kind: str = "sh", tag: str | None = None) -> list[str]:
    """The command lines of the fenced blocks of this kind (and tag, e.g. `drill`)."""
    out = []
    for lang, rest, body in BLOCKS:
        if lang == kind and (tag is None or rest.strip() == tag):
            out += [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return out


def assessment_args(line: str) -> list[str] | None:
    line = re.sub(r"\$\([^)]*\)", "DATE", line)  # a command substitution (the cron line's date) is one word
    tokens = shlex.split(line.split(" < ")[0])
    for i in range(len(tokens) - 2):
        if tokens[i].endswith("python") and tokens[i + 1:i + 3] == ["-m", "assessment"]:
            return tokens[i + 3:]
    return None


ASSESSMENT = [a for line in commands() + [c for _, _, b in BLOCKS for c in b.splitlines() if "-m assessment" in c]
              if (a := assessment_args(line)) is not None]


def test_the_doc_has_the_sections_an_operator_needs() -> None:
    for heading in ("One machine", "HTTPS", "OIDC", "Encryption at rest", "Backups and restore drills",
                    "Updates with migrations", "Privacy over time", "Monitoring"):
        assert re.search(rf"^## \d+\. .*{heading}", DOC, flags=re.M), heading
    assert len(ASSESSMENT) >= 12


@pytest.mark.parametrize("args", ASSESSMENT, ids=[" ".join(a)[:60] for a in ASSESSMENT])
def test_every_assessment_command_parses(args: list[str]) -> None:
    parsed = build_parser().parse_args(args)  # argparse exits (SystemExit) on an unknown command or flag
    assert callable(parsed.handler)


def test_the_restore_drill_runs(tmp_path: Path) -> None:
    drill = commands(tag="drill")
    assert drill[0] == "python -m assessment init"
    env = {**os.environ, "AANNEMELIJK_DB": str(tmp_path / "live.sqlite3"), "AANNEMELIJK_DEMO": "0",
           "PYTHONPATH": str(ROOT)}
    for line in drill:
        argv = shlex.split(line)
        if argv[:3] == ["python", "-m", "assessment"]:
            argv = [sys.executable, *argv[1:]]
        proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (line, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert (tmp_path / "drill-scratch.sqlite3").exists()


def test_the_settings_it_names_exist() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "assessment").rglob("*.py"),
                                                             *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"])
    for name in set(re.findall(r"AANNEMELIJK_[A-Z_]+", DOC)) - {"AANNEMELIJK_PASSWORD"}:
        assert f'"{name}"' in code, name  # read by the code (as a string), not only mentioned
    assert "AANNEMELIJK_PASSWORD" in (ROOT / "assessment" / "cli" / "_common.py").read_text(encoding="utf-8")


def test_the_secrets_example_has_the_keys_st_login_reads() -> None:
    toml = next(b for lang, _, b in BLOCKS if lang == "toml")
    keys = set(re.findall(r"^(\w+) =", toml, flags=re.M))
    assert keys == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
