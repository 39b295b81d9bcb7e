"""Sessions (issue #14, hole 6), the part a syntax tree can check: every widget callback of every page runs
only through `ui.session.guarded` and every fragment starts with `session.fragment_holds()`, because
Streamlit runs callbacks and fragment reruns before (or instead of) the page script where the sign-in and
idle checks used to be. The behaviour itself is tested in a browser (tests/browser/test_session_browser.py)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.joinpath("ui").glob("*.py"), ROOT / "app.py"])
# Callbacks that are Streamlit's own sign-in redirects, "ignore" (a download without a rerun) or "rerun" (a
# plain rerun of the page script, which checks the session first like every run).
EXEMPT = {"st.login", "st.logout", "'ignore'", "'rerun'"}


def _decorators(fn: ast.FunctionDef) -> set[str]:
    return {ast.unparse(d) for d in fn.decorator_list}


def problems(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    guarded = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
               and _decorators(n) & {"guarded", "session.guarded"}}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for k in node.keywords:
                if k.arg in ("on_click", "on_change", "on_submit", "on_select"):
                    name = ast.unparse(k.value)
                    if name not in EXEMPT and name not in guarded:
                        out.append(f"{where}:{node.lineno}: callback {name} is not @guarded")
        if isinstance(node, ast.FunctionDef) and _decorators(node) & {"st.fragment", "st.fragment()"}:
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            first = ast.unparse(body[0]) if body else ""
            if "session.fragment_holds()" not in first:
                out.append(f"{where}:{node.lineno}: fragment {node.name} does not check the session first")
    return out


def test_every_callback_and_fragment_checks_the_session() -> None:
    found = [p for f in SOURCES for p in problems(f.read_text(encoding="utf-8"), f.name)]
    assert found == []


def test_the_check_finds_an_unguarded_callback_and_fragment() -> None:
    bad = (
        "def save():\n    pass\n"
        "st.button('x', on_click=save)\n"
        "@st.fragment\ndef part():\n    '''doc'''\n    st.write(1)\n"
    )
    assert len(problems(bad, "x")) == 2
    good = (
        "@guarded\ndef save():\n    pass\n"
        "st.button('x', on_click=save)\n"
        "@st.fragment\ndef part():\n    '''doc'''\n    if not session.fragment_holds():\n        return\n"
    )
    assert problems(good, "x") == []
