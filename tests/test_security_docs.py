"""docs/deployment.md and docs/access.md say what the code does about keys, anchors, settings and who reads
special-category text (issue #14): each fact is read from the code here and looked up in the docs."""

from __future__ import annotations

import re
from pathlib import Path

from assessment import access
from assessment.config import DEFAULT_AUDIT_KEY, ROOT, Settings

DEPLOYMENT = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
ACCESS = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")


def _code_text() -> str:
    files = [*ROOT.joinpath("assessment").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"), ROOT / "app.py"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.is_file())


def test_every_environment_setting_is_documented() -> None:
    used = set(re.findall(r"AANNEMELIJK_[A-Z_]+", _code_text()))
    assert used, "no settings found: the scan is broken"
    documented = set(re.findall(r"AANNEMELIJK_[A-Z_]+", DEPLOYMENT))
    assert used - documented == set()


def test_key_and_anchor_defaults_are_the_documented_ones() -> None:
    assert f"`{DEFAULT_AUDIT_KEY.relative_to(ROOT).as_posix()}`" in DEPLOYMENT
    suffix = Settings(db_path=Path("x.sqlite3")).anchor_path.name.removeprefix("x.sqlite3")
    assert f"`<database>{suffix}`" in DEPLOYMENT
    assert f"`<backup>{suffix}`" in DEPLOYMENT


def test_special_category_rule_in_access_doc() -> None:
    section = ACCESS.split("**Special-category text**", 1)[1].split("\n- ", 1)[0]
    for role in access.SPECIAL_READERS:
        assert role in section, role
    for discipline in access.special_categories():
        assert f"the {discipline} one" in section
    assert "may_read_input_text" in section and hasattr(access, "may_read_input_text")
