"""One language per screen (issue #15, item 5), the part a syntax tree can check: Streamlit's own widget texts
are English unless the page sets them through the widget's parameters, so every selectbox and multiselect
passes a placeholder, every file uploader its size limit and a help text, and every date field the Dutch
day-month-year format. What the placeholders say in Dutch is checked against the catalogue below."""

from __future__ import annotations

import ast
from pathlib import Path

from assessment import services

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.joinpath("ui").glob("*.py"), ROOT / "app.py"])
# widget -> the keyword arguments it must be given (and, where it matters, the value)
REQUIRED: dict[str, dict[str, str | None]] = {
    "selectbox": {"placeholder": None},
    "multiselect": {"placeholder": None},
    "file_uploader": {"max_upload_size": None, "help": None},
    "date_input": {"format": "'DD-MM-YYYY'"},
}


def problems(source: str, where: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in REQUIRED:
            given = {k.arg: ast.unparse(k.value) for k in node.keywords}
            for arg, value in REQUIRED[node.func.attr].items():
                if arg not in given or (value is not None and given[arg] != value):
                    out.append(f"{where}:{node.lineno}: {node.func.attr} without {arg}{'=' + value if value else ''}")
    return out


def test_every_widget_sets_its_own_texts_in_the_user_s_language() -> None:
    found = [p for f in SOURCES for p in problems(f.read_text(encoding="utf-8"), f.name)]
    assert found == []


def test_the_check_finds_a_widget_left_with_streamlit_s_english_text() -> None:
    bad = ("st.selectbox('a', [1], key='k')\n"
           "col.multiselect('b', [1])\n"
           "st.file_uploader('c', type=['pdf'], help='h')\n"
           "st.date_input('d', format='YYYY-MM-DD')\n")
    assert [p.split(": ", 1)[1] for p in problems(bad, "x")] == [
        "selectbox without placeholder", "multiselect without placeholder", "file_uploader without max_upload_size",
        "date_input without format='DD-MM-YYYY'"]
    good = ("st.selectbox('a', [1], placeholder=choose_one())\n"
            "col.multiselect('b', [1], placeholder=choose_any())\n"
            "st.file_uploader('c', max_upload_size=2, help='h')\n"
            "st.date_input('d', format='DD-MM-YYYY')\n")
    assert problems(good, "x") == []


def test_the_placeholders_and_the_upload_help_are_dutch_in_the_dutch_interface() -> None:
    # Expected texts from the Dutch catalogue's reviewed wording, not from the code.
    assert services.gettext("nl", "Choose an option") == "Maak een keuze"
    assert services.gettext("nl", "Choose one or more options") == "Kies een of meer opties"
    assert services.gettext("nl", "{kinds}; at most {n} MB per file.").format(kinds="YAML", n=2) == \
        "YAML; hoogstens 2 MB per bestand."
    assert services.gettext("en", "Choose one or more options") == "Choose one or more options"
