"""All user text shown as text (issue #14, hole 5): no page passes a field people type to a call that
renders Markdown, HTML or LaTeX, except through ui/text.py (`user_text`, `md_escape`).

The fields people type are listed here from the intake, file, hearing, input and decision forms (and
checked to exist in assessment.model, so the list cannot silently go stale); the pages are read as Python
syntax trees, so a new `st.markdown(case.x.summary)` anywhere fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

from assessment import model

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([*ROOT.joinpath("ui").glob("*.py"), ROOT / "app.py"])

# What people type into Aannemelijk (applicant, intake, file, hearing, input, decision, accounts).
USER_TEXT = {
    "name", "display_name", "contact", "representative", "representative_contact", "place_of_exploitation",
    "exception_reason", "notes", "sector", "admissibility_reasons", "withdrawn_reason", "title", "kind", "fact",
    "summary", "source", "sources", "note", "reasons", "overall_reasons", "inconsistency_notes", "override_reason",
    "text", "void_reason", "correction_reason",
}
# Streamlit calls whose text argument is rendered as Markdown (with LaTeX and directives) or HTML.
RENDERS = {"markdown", "write", "caption", "info", "success", "warning", "error", "title", "header", "subheader",
           "expander", "toast", "checkbox", "radio", "button", "tabs", "metric", "popover", "html", "latex",
           "download_button", "form_submit_button", "text_input", "text_area", "selectbox", "toggle"}
SAFE = {"md_escape", "user_text"}
# Our own texts: translations, labels of stored codes, and rubric texts (shipped or uploaded by the
# administrator, validated on upload); a method called `name(...)`/`title(...)` is a rubric text in a language.
OURS = {"_", "t", "label", "rubric_text", "N_"}


def _model_fields() -> set[str]:
    fields: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and hasattr(obj, "model_fields"):
            fields |= set(obj.model_fields)
    return fields


def test_the_user_text_list_names_real_fields() -> None:
    missing = USER_TEXT - _model_fields() - {"sources", "correction_reason"}
    assert missing == set()


def _user_refs(node: ast.AST) -> list[str]:
    """User-text references in `node`, skipping whatever sits inside md_escape(...)/user_text(...)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAFE | OURS:
        return []
    found = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in USER_TEXT:
        node = ast.Call(func=node.func.value, args=node.args, keywords=node.keywords)  # x.name(lang): a method
    if isinstance(node, ast.Attribute) and node.attr in USER_TEXT:
        found.append(ast.unparse(node))
    elif isinstance(node, ast.Name) and node.id in USER_TEXT:
        found.append(node.id)
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in USER_TEXT:
        found.append(ast.unparse(node))
    for child in ast.iter_child_nodes(node):
        found += _user_refs(child)
    return found


def offenders(source: str, where: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RENDERS):
            continue
        shown = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("body", "label", "help"))]
        for arg in shown:
            for ref in _user_refs(arg):
                out.append(f"{where}:{node.lineno}: {ref} in {ast.unparse(node.func)}(...)")
        for k in node.keywords:
            if k.arg in ("unsafe_allow_html",) and not (isinstance(k.value, ast.Constant) and k.value.value is False):
                out.append(f"{where}:{node.lineno}: unsafe_allow_html")
    return out


def test_no_page_renders_user_text_as_markdown() -> None:
    found = [o for page in PAGES for o in offenders(page.read_text(encoding="utf-8"), page.name)]
    assert found == []


def test_the_check_finds_what_it_should() -> None:
    """The scanner itself: each of these would render a user's text as Markdown."""
    bad = [
        "st.markdown(case.hearing.summary)",
        "st.info(_('Dissent of {who}: {text}').format(who=x.username, text=x.text))",
        "col.markdown('**' + _('Applicant') + ':** ' + case.intake.applicant.name)",
        "st.warning(f'{d.override_reason}')",
        "st.expander(doc.title)",
        "st.markdown(p['sources'])",
        "st.markdown(md_escape(a) + b.note)",
        "st.markdown(f'**{key}**: {text}')",
    ]
    for line in bad:
        assert offenders(line, "x"), line
    good = ["st.markdown(md_escape(case.hearing.summary))", "user_text(x.text)", "st.text(h.summary)",
            "st.caption(_('Saved'))", "st.subheader(rubric_text(dim.name))", "st.markdown(ind.name(lang))"]
    for line in good:
        assert not offenders(line, "x"), line
