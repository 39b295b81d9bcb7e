# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""All user text shown as text (issue #14, hole 5): no page passes a field people type to a call that
renders Markdown, HTML or LaTeX, except through ui/text.py (`user_text`, `md_escape`).

The fields people type are listed here from the intake, file, hearing, input and decision forms (and
checked to exist in assessment.model, so the list cannot silently go stale); the pages are read as Python
syntax trees, so a new `st.markdown(case.x.summary)` anywhere fails this test. Error messages (`exc.text(..)`,
and the messages the pages keep under an error key) and rubric texts (an uploaded YAML file: names, help,
disclaimer, outcome labels, routes) count as such text too.

Then the real pages, through Streamlit's AppTest: a rubric whose names and disclaimer carry markup is uploaded
and activated, and the deliberation and decision screens (including an error message that names the rubric's
parts) must show the markup as text: never the raw markup in a Markdown body, always its text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assessment import model, services
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401 (fixtures)
from tests.test_app_journeys import POSITIVE, submit

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
# md_escape/user_text (ui/text.py) and rubric_text (ui/widgets.py, a rubric text escaped by md_escape).
SAFE = {"md_escape", "user_text", "rubric_text"}
# Our own texts: translations, labels of stored codes, the error boundary's own message.
OURS = {"_", "t", "label", "N_", "message"}
# Methods that return text someone else wrote: a rubric's texts in a language (`ind.name(lang)`,
# `r.disclaimer(lang)`, ...) and what is built from them (`services.met_text`, `element_routes`,
# `outcome_routes`); and an error's message (`exc.text(lang)`, which can quote what was typed or uploaded; the
# pages name a caught error `exc`, and `.text(lang)` of our own message ids elsewhere is ours).
FOREIGN_CALLS = {"name", "title", "disclaimer", "outcome_label", "part_name", "basis", "help",
                 "met_text", "element_routes", "outcome_routes"}
ERROR_NAMES = {"exc", "err", "error"}
# A message kept in the session under an error key (`state.get(ERROR)`), shown on the next run.
ERROR_KEY = re.compile(r"error", re.IGNORECASE)


def _model_fields() -> set[str]:
    fields: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and hasattr(obj, "model_fields"):
            fields |= set(obj.model_fields)
    return fields


def test_the_user_text_list_names_real_fields() -> None:
    missing = USER_TEXT - _model_fields() - {"sources", "correction_reason"}
    assert missing == set()


def _stored_error(node: ast.AST) -> bool:
    """`state.get(ERROR)`, `state.pop("chron.error")`: a message kept under an error key."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop")
            and bool(node.args) and ERROR_KEY.search(ast.unparse(node.args[0])) is not None)


def _error_text(node: ast.AST) -> bool:
    """`exc.text(lang)`: a caught error's message."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "text"
            and isinstance(node.func.value, ast.Name) and node.func.value.id in ERROR_NAMES)


def _carries_message(node: ast.AST, tainted: frozenset[str]) -> bool:
    """Does `node` hold an error message or a rubric's text (outside md_escape/user_text)?"""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAFE:
        return False
    if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp) and isinstance(node.elt, ast.Call) \
            and isinstance(node.elt.func, ast.Name) and node.elt.func.id in SAFE:
        return False
    if _stored_error(node) or _error_text(node) or (isinstance(node, ast.Name) and node.id in tainted):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FOREIGN_CALLS:
        return True
    return any(_carries_message(child, tainted) for child in ast.iter_child_nodes(node))


def _user_refs(node: ast.AST, tainted: frozenset[str] = frozenset()) -> list[str]:
    """User-text references in `node`, skipping whatever sits inside md_escape(...)/user_text(...); `tainted`:
    names assigned such text elsewhere in the module."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAFE | OURS:
        return []
    if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp) and isinstance(node.elt, ast.Call) \
            and isinstance(node.elt.func, ast.Name) and node.elt.func.id in SAFE:
        return []  # [md_escape(x) for x in texts]: every item escaped
    if isinstance(node, ast.IfExp):  # `(x if d.title else y)`: the condition is not shown
        return _user_refs(node.body, tainted) + _user_refs(node.orelse, tainted)
    found = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in USER_TEXT - FOREIGN_CALLS \
            and not _error_text(node):
        node = ast.Call(func=node.func.value, args=node.args, keywords=node.keywords)  # msg.text(lang): a method
    if _stored_error(node) or _error_text(node) or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                                                    and node.func.attr in FOREIGN_CALLS):
        return [ast.unparse(node)]
    if isinstance(node, ast.Name) and node.id in tainted:
        return [node.id]
    if isinstance(node, ast.Attribute) and node.attr in USER_TEXT:
        found.append(ast.unparse(node))
    elif isinstance(node, ast.Name) and node.id in USER_TEXT:
        found.append(node.id)
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in USER_TEXT:
        found.append(ast.unparse(node))
    for child in ast.iter_child_nodes(node):
        found += _user_refs(child, tainted)
    return found


def _tainted(tree: ast.AST) -> frozenset[str]:
    """Names the module assigns an error message or a rubric's text to (`failed = state.pop("chron.error")`,
    `routes = services.outcome_routes(...)`), to a fixed point."""
    names: set[str] = set()
    while True:
        more = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AnnAssign) and node.value
                and _carries_message(node.value, frozenset(names))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
        if more <= names:
            return frozenset(names)
        names |= more


def offenders(source: str, where: str) -> list[str]:
    out = []
    tree = ast.parse(source)
    tainted = _tainted(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RENDERS):
            continue
        shown = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("body", "label", "help"))]
        for arg in shown:
            for ref in _user_refs(arg, tainted):
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
        "st.error(exc.text(state.lang()), icon='x')",
        "st.info(r.disclaimer(lang))",
        "st.markdown(ind.name(lang))",
        "st.info(_('Rubric result: {o}').format(o=r.outcome_label(res.outcome, lang)))",
        "failed = state.pop('chron.error')\nst.error(failed)",
        "status_line.error(state.get(ERROR))",
        "routes = services.outcome_routes(r, res, lang)\nst.markdown('\\n'.join(f'- {x}' for x in routes))",
        "st.caption(rubric_plain(dim.name))",
        "st.markdown(d.title if ok else '')",
    ]
    for line in bad:
        assert offenders(line, "x"), line
    good = ["st.markdown(md_escape(case.hearing.summary))", "user_text(x.text)", "st.text(h.summary)",
            "st.caption(_('Saved'))", "st.subheader(rubric_text(dim.name))", "st.markdown(md_escape(ind.name(lang)))",
            "st.error(md_escape(exc.text(lang), lines=True))", "st.dataframe([{'a': rubric_plain(d.name)}])",
            "routes = [md_escape(x) for x in services.element_routes(r, e, lang)]\nst.markdown('; '.join(routes))",
            "st.error(message(), icon='x')", "st.markdown(md_escape(d.title) if d.title else '')"]
    for line in good:
        assert not offenders(line, "x"), line


# --- the pages themselves: a rubric and an error message that carry markup ---------------------------------

# Markup from tests/attack/strings.json: an image from another host (Markdown and HTML), a heading, a formula,
# Streamlit's directives. Each raw fragment below appears in a Markdown body only if it was not escaped.
MARK = "![x](http://evil.invalid/md.png) <img src=http://evil.invalid/html.png> # Kop $x^2$ :red[ROOD] :material/home:"
# A fragment is raw where it stands without the backslash that makes its first character literal (escaped,
# every special character inside it carries one too, so the fragment no longer occurs at all).
RAW = [re.compile(r"(?<!\\)" + re.escape(f)) for f in ("![x](", "<img", "$x^2$", ":red[ROOD", ":material/home:", "# Kop")]
BODIES = ("title", "header", "subheader", "markdown", "caption", "success", "info", "warning", "error")


def _planted_rubric() -> bytes:
    """The ILO rubric with markup in its disclaimer, a dimension's name and an indicator's name."""
    text = ILO_RUBRIC.read_text("utf-8")
    for original in ('"De ILO-indicatoren zijn een onderzoeks', '"Misleidende werving (inclusief overbrenging en vervoer)"',
                     '"Misleid over loon of verdiensten"'):
        assert original in text
        planted = original[:-1] + " " + MARK + '"' if original.endswith('"') else '"' + MARK + " " + original[1:]
        text = text.replace(original, planted, 1)
    return text.replace('version: "2009.1"', 'version: "2009.9"', 1).encode()


def _bodies(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e.value) for kind in BODIES for e in getattr(at, kind)]


def _raw_markup(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [body for body in _bodies(at) if any(fragment.search(body) for fragment in RAW)]


def test_rubric_texts_and_error_messages_with_markup_are_shown_as_text(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User], rubric: Rubric) -> None:
    admin, chair = app_env["admin"], app_env["chair"]
    kept = services.upload_rubric(store, admin, "planted.yaml", _planted_rubric())
    services.activate_rubric(store, admin, kept.key)
    ref = make_case()
    submit(store, app_env["police"], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    submit(store, app_env["care"], ref, {**dict.fromkeys(POSITIVE, "present"), "deceptive_recruitment.wages": "absent"},
           rubric)  # contested: the indicator's name shows in an alert
    submit(store, app_env["legal"], ref, {"coercion_destination.isolation": "unknown"}, rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    mark = " ".join(MARK.split())

    at = open_app("chair", "ui/deliberation.py")
    assert _raw_markup(at) == []
    seen = "\n".join(as_text(b) for b in _bodies(at))
    assert seen.count(mark) >= 3  # the disclaimer, the dimension's heading, the contested indicator: as text
    assert any(mark in as_text(e.value) for e in at.info)  # the disclaimer
    assert any(mark in as_text(e.value) for e in at.error)  # the contested indicator

    at = open_app("chair", "ui/decision.py")
    at.radio(key="decision.outcome").set_value("aannemelijk").run()
    at.text_area(key="decision.reason.overall").input("Samenhangend relaas.")
    at.button(key="decision.submit").click().run()
    errors = [as_text(e.value) for e in at.error]  # the refusal names the parts without reasons: the rubric's names
    assert errors and any(mark in e for e in errors), errors
    assert _raw_markup(at) == []
    assert services.get_case(store, chair, ref).status == "deliberation"  # refused, nothing recorded
