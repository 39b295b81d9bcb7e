"""Docs and code cannot drift: every CLI command is in the README, every rubric field in the rubric docs."""

from __future__ import annotations

from pathlib import Path

from assessment.cli import build_parser
from assessment.rubric import Rubric

ROOT = Path(__file__).resolve().parent.parent


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)  # type: ignore[union-attr]


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in commands() if f"`{c}" not in readme and f", `{c}" not in readme]
    assert missing == []


def test_every_rubric_field_is_documented() -> None:
    doc = (ROOT / "docs" / "rubrics.md").read_text()
    fields = set(Rubric.model_fields)
    for model_name in ("Profile", "Dimension", "Indicator", "DimensionRule", "ProfileOutcome", "ProfileIndicator", "Element",
                       "Tier"):
        import assessment.rubric as r

        fields |= set(getattr(r, model_name).model_fields)
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert missing == []
