"""docs/letter-templates.md, the reference for the people who edit the letter templates: its list of fields is
the letter context's as it is now, and it names every variable the shipped templates use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import meta

from assessment.letters.reference import BEGIN, DOC, END, with_reference
from assessment.letters.render import make_environment

SHIPPED = Path(__file__).resolve().parents[1] / "templates" / "letters"


def test_the_reference_is_the_letter_context_as_it_is() -> None:
    text = DOC.read_text("utf-8")
    assert with_reference(text) == text, "run `.venv/bin/python -m assessment.letters.reference` and commit the doc"


def test_every_variable_the_shipped_templates_use_is_in_the_reference() -> None:
    # The templates, read with Jinja itself, are the second source: what they use must be documented.
    text = DOC.read_text("utf-8")
    top = text[text.index("### LetterContext"):]
    top = top[:top.index("\n### ", 1)]
    documented = set(re.findall(r"^- `(\w+)`", top, re.M))
    env = make_environment()  # only to parse: it knows the letters' filters
    used = set()
    for path in SHIPPED.glob("*.typ.j2"):
        used |= meta.find_undeclared_variables(env.parse(path.read_text("utf-8")))
    assert used, "no variables found: the templates were not read"
    assert used - documented == set()


def test_a_doc_without_its_markers_is_refused_with_what_is_missing() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_reference("# Letter templates\n\nno markers here\n")
    rewritten = with_reference(f"before\n{BEGIN}\nSTALE-LIST\n{END}\nafter\n")
    assert rewritten.startswith(f"before\n{BEGIN}\n\n### LetterContext\n") and rewritten.endswith(f"{END}\nafter\n")
    assert "STALE-LIST" not in rewritten
