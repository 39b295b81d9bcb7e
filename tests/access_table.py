"""The access matrix as docs/access.md documents it, parsed: the independent source of the access tests'
expectations (tests/test_access.py, test_cli_db.py, test_privacy.py), so no test takes its expected outcome from
`assessment.access`, the code under test.

The parser takes the first table whose first header cell is `action`, reads every column (callers look up the
role columns they need) and stops at the first line that is not a table row, so rows and columns added to the
document do not break it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "access.md"
SCOPES = {"real", "assigned", "training", "all", "-"}


def _cells(line: str) -> list[str]:
    return [c.strip().strip("`") for c in line.strip().strip("|").split("|")]


@cache
def documented_matrix() -> dict[str, dict[str, str]]:
    """action -> column (role) -> scope."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("|") and _cells(line)[0] == "action")
    header = _cells(lines[start])
    table: dict[str, dict[str, str]] = {}
    for line in lines[start + 2:]:
        if not line.strip().startswith("|"):
            break
        cells = _cells(line)
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=False))
    return table


def documented_scope(action: str, role: str) -> str:
    scope = documented_matrix()[action][role]
    assert scope in SCOPES, f"docs/access.md: unknown scope {scope!r} for {action} / {role}"
    return scope


def documented_allows(action: str, role: str, *, space: str | None = None, on_panel: bool = False) -> bool:
    """Does the table let `role` do `action` on a case of `space` (None: no case involved, e.g. a listing or
    an operator task; for `case.create`, the space created in)? `on_panel`: the user sits on the case's panel."""
    scope = documented_scope(action, role)
    if scope == "-":
        return False
    if space is None or scope == "all":
        return True
    if scope == "training":
        return space == "training"
    if scope == "real":
        return space == "real"
    return space == "real" and on_panel  # assigned
