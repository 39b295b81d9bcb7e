"""Template injection through a letter-template upload (issue #8, attack).

Each payload is appended to the shipped Dutch letter template and uploaded through
`services.letters.upload_template_set` by an administrator: Jinja sandbox escapes, attribute access to
internals, includes outside the set, and Typst markup that reads or imports files. Each is refused with a
TemplateError that names the template, or renders harmless (no internals, no file content); a refused
version is stored as refused and can never be activated.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment import services
from assessment.errors import TemplateError
from assessment.letters.render import render_markup
from assessment.letters.templates import TEMPLATE_DIR, sample_contexts
from assessment.model import User
from assessment.store import Store

MAIN = "letter.nl.typ.j2"
SHIPPED = (TEMPLATE_DIR / MAIN).read_text(encoding="utf-8")
# What would show that a payload ran or read something it may not.
LEAKS = ("root:x:0", "__globals__", "<class", "<function", "<module", "subprocess", "os.popen", "DB_PATH",
         "def ", "import ")

PAYLOADS: dict[str, str] = {
    # Jinja: reach Python internals from a string, a global or a context value.
    "str-mro": "{{ ''.__class__.__mro__ }}",
    "cycler-globals": "{{ cycler.__init__.__globals__ }}",
    "lipsum-globals-os": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__.__builtins__ }}",
    "namespace-init": "{% set ns = namespace() %}{{ ns.__init__.__globals__ }}",
    "subclasses-loop": "{% for c in reference.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    "attr-filter": "{{ reference|attr('__class__')|attr('__mro__') }}",
    "format-string": "{{ '{0.__class__.__mro__}'.format(reference) }}",
    "format-map": "{{ '{a.__class__}'.format_map({'a': reference}) }}",
    "percent-format": "{{ '%s' % reference.__class__ }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "model-internals": "{{ applicant.__dict__ }}",
    "model-class": "{{ applicant.__class__.__init__.__globals__ }}",
    "pydantic-private": "{{ applicant.__pydantic_fields__ }}",
    "config-request": "{{ config }}{{ request }}",
    "range-huge": "{% for i in range(10**12) %}x{% endfor %}",
    "zero-division": "{{ 1 // 0 }}",
    "recursive-macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    # Jinja: files outside the uploaded set.
    "include-abs": "{% include '/etc/passwd' %}",
    "include-traversal": "{% include '../../assessment/config.py' %}",
    "extends-abs": "{% extends '/etc/passwd' %}",
    "import-module": "{% import '../../app.py' as app %}{{ app }}",
    # Typst: files outside the template directory.
    "typst-read-abs": '#read("/etc/passwd")',
    "typst-read-traversal": '#read("../../assessment/config.py")',
    "typst-include-abs": '#include "/etc/passwd"',
    "typst-import-abs": '#import "/etc/passwd": *',
    "typst-image-abs": '#image("/etc/passwd")',
    "typst-eval-read": '#eval("read(\\"/etc/passwd\\")")',
    "typst-read-proc": '#read("/proc/self/environ")',
}


@pytest.fixture
def admin(users: dict[str, User]) -> User:
    return users["admin"]


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_an_injected_template_is_refused_or_harmless(store: Store, admin: User, payload: str) -> None:
    try:
        version = services.upload_template_set(store, admin, {MAIN: SHIPPED + "\n" + payload + "\n"})
    except TemplateError as exc:
        message = str(exc)
        assert MAIN in message  # names the template, for the administrator
        assert not any(leak in message for leak in ("root:x:0", "<function", "<module", "DB_PATH"))  # no content
        stored = [v for v in services.list_template_sets(store, admin) if not v.shipped]
        assert [v.valid for v in stored] == [False]
        with pytest.raises(TemplateError):
            services.activate_template_set(store, admin, stored[0].id)
        return
    # Accepted: it must have rendered without running anything or reading a file.
    assert version.valid
    from assessment.letters.render import TemplateSet

    markup = render_markup(sample_contexts("nl")[0], TemplateSet({**_shipped_sources(), MAIN: SHIPPED + "\n" + payload}, "t"))
    tail = markup[markup.rfind(markup.strip().splitlines()[-1]):]
    assert not any(leak in tail for leak in LEAKS), tail[:300]


def _shipped_sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in Path(TEMPLATE_DIR).glob("*.typ.j2")}


def test_a_typst_package_import_never_reaches_the_network(store: Store, admin: User) -> None:
    """`#import "@preview/..."` makes Typst download and run a third-party package at validation time;
    a letter template must not fetch anything."""
    with pytest.raises(TemplateError) as refused:
        services.upload_template_set(store, admin, {MAIN: SHIPPED + '\n#import "@preview/cetz:0.2.2": *\n'})
    assert "imports a Typst package" in str(refused.value)  # refused before any download was tried


def test_template_file_names_cannot_leave_the_set(store: Store, admin: User) -> None:
    for name in ("../letter.nl.typ.j2", "/etc/passwd.typ.j2", "sub\\letter.nl.typ.j2", "letter.nl.py"):
        with pytest.raises(TemplateError):
            services.upload_template_set(store, admin, {name: SHIPPED})
    assert [v for v in services.list_template_sets(store, admin) if not v.shipped] == []


def test_only_an_administrator_may_upload(store: Store, users: dict[str, User]) -> None:
    from assessment.errors import AccessDeniedError

    for name in ("chair", "secretary", "police", "evaluator", "trainer"):
        with pytest.raises(AccessDeniedError):
            services.upload_template_set(store, users[name], {MAIN: SHIPPED + "\n{{ ''.__class__ }}\n"})


def test_a_package_import_assembled_by_jinja_is_refused_at_render(store: Store, admin: User) -> None:
    """The source check cannot see an import that Jinja assembles; the rendered markup is checked too."""
    sneaky = SHIPPED + '\n{% raw %}#imp{% endraw %}ort "@preview/cetz:0.2.2": *\n'
    with pytest.raises(TemplateError) as refused:
        services.upload_template_set(store, admin, {MAIN: sneaky})
    assert "imports a Typst package (rendered line" in str(refused.value)
