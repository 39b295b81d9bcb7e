"""Docs and code cannot drift: every CLI command and action is in the README, every rubric field in the rubric
docs (every letter variable carries a description: tests/test_letters.py)."""

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


def test_every_cli_action_is_in_the_readme() -> None:
    """The second level too (`users add`, `training reset`, ...): the README's command table names each one, as
    `group action` or in a `group a\\|b\\|c` cell."""
    import argparse

    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = []
    for name, group in sub.choices.items():  # type: ignore[union-attr]
        for action in group._actions:
            if isinstance(action, argparse._SubParsersAction):
                for verb in action.choices:
                    forms = (f"`{name} {verb}", f"`{name} {verb}\\|", f"\\|{verb}\\|", f"\\|{verb}`")
                    if not any(f in readme for f in forms):
                        missing.append(f"{name} {verb}")
    assert missing == []
