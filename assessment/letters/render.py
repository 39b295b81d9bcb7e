"""Rendering a letter: Jinja (sandboxed, strict) produces Typst markup, typst compiles it to PDF or PNG.

Every value a template prints goes through the environment's `finalize`, which turns it into a Typst
string literal (`#"...";`). Whatever a user typed, Typst shows it as text: no markup, code or math inside
a value can take effect. Templates that need a value inside Typst code use the `typst_str` filter.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import typst
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..i18n import N_, Msg, Plain, Translatable, long_date
from .context import LetterContext, context_fields

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "letters"
FONT_DIR = TEMPLATE_DIR / "fonts"  # optional fonts shipped with the templates
PdfStandard = Literal["a-2b", "a-3b"]
ARCHIVE_STANDARD: PdfStandard = "a-2b"  # PDF/A-2b: archivable, fonts embedded, no transparency problems


class TypstMarkup(str):
    """Text that is already Typst markup or code (made by a filter); `finalize` passes it through."""


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "", "\t": " "}
_STRING_RE = re.compile(r'[\\"\n\r\t]')


def typst_string(value: object) -> str:
    """`value` as a Typst string literal (quotes included); control characters become spaces."""
    text = "" if value is None else str(value)
    text = _STRING_RE.sub(lambda m: _STRING_ESCAPES[m.group(0)], text)
    # Other control characters cannot be typed on purpose; drop them so they cannot confuse the parser.
    text = "".join(ch if ch >= " " or ch == "\\" else " " for ch in text)
    return f'"{text}"'


def escape_typst(value: object) -> TypstMarkup:
    """`value` as Typst markup that shows it literally: an embedded string expression ended by `;`."""
    if isinstance(value, TypstMarkup):
        return value
    if value is None or value == "":
        return TypstMarkup("")
    return TypstMarkup(f"#{typst_string(value)};")


def _longdate(value: dt.date | None, lang: str) -> str:
    return "" if value is None else long_date(value, lang)


# The language of a text as the letter names it, when the text is in another language than the letter.
_IN_LANGUAGE = {("nl", "en"): "in het Engels", ("en", "nl"): "in Dutch"}


def _usertext(value: Any, lang: str) -> str:
    """A text someone typed, as written; marked with its language when that is not the letter's, and set in
    curly quotes so a reader sees where the typed text begins and ends."""
    if value is None:
        return ""
    text, text_lang = str(value.text).strip(), str(value.lang)
    if not text or text_lang == lang:
        return text
    return f"“{text}” ({_IN_LANGUAGE.get((lang, text_lang), text_lang)})"


def _typst_str(value: object) -> TypstMarkup:
    return TypstMarkup(typst_string(value))


FILTERS: dict[str, Callable[..., Any]] = {"longdate": _longdate, "usertext": _usertext,
                                          "typst_str": _typst_str}


def make_environment(loader: jinja2.BaseLoader | None = None) -> SandboxedEnvironment:
    """The one Jinja environment letters use: sandboxed, StrictUndefined, Typst escaping in `finalize`."""
    env = SandboxedEnvironment(
        loader=loader or jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        finalize=escape_typst,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


class _NamedDictLoader(jinja2.DictLoader):
    """A DictLoader that gives each template its name as file name, so errors can name template and line."""

    def get_source(  # type: ignore[override]  # a file name where DictLoader gives None
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, _, uptodate = super().get_source(environment, template)
        return source, template, uptodate


@dataclass(frozen=True)
class TemplateSet:
    """A letter template version: the main templates per language and the partials they include."""

    sources: dict[str, str]  # file name -> Jinja source
    version: str = "builtin"

    @classmethod
    def from_dir(cls, path: Path = TEMPLATE_DIR, version: str = "builtin") -> TemplateSet:
        """Read every `*.typ.j2` file of a directory."""
        return cls({p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.typ.j2"))}, version)

    @cached_property
    def env(self) -> SandboxedEnvironment:
        """An environment that loads from this set only (so an uploaded version cannot reach other files).
        Kept with the set so templates compile once; it holds templates, never a rendered letter."""
        return make_environment(_NamedDictLoader(self.sources))

    def environment(self) -> SandboxedEnvironment:
        """The set's environment (see `env`)."""
        return self.env


def main_template(lang: str) -> str:
    """File name of the main template for a language."""
    return f"letter.{lang}.typ.j2"


def _line_of(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template file and line a Jinja runtime error happened in, from its (rewritten) traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Path(frame.filename).name, frame.lineno
    return fallback, None


def template_error(name: str, line: int | None, reason: Translatable) -> TemplateError:
    """The template, the line and the reason, each said in the reader's language when shown (Jinja's and Typst's
    own words are technical detail: they stay as they are)."""
    where = Msg(N_("{name}, line {line}"), {"name": name, "line": line}) if line is not None else Plain(name)
    return TemplateError(N_("Letter template {where}: {reason}"), where=where, reason=reason)


def check_templates(templates: TemplateSet) -> None:
    """Reject a template set with a syntax error, an undeclared variable, a missing include or a missing
    language. Raises TemplateError naming the template, the line and the reason."""
    env = templates.environment()
    allowed = context_fields()
    for lang in ("nl", "en"):
        if main_template(lang) not in templates.sources:
            raise template_error(main_template(lang), None,
                                  Msg(N_("missing: every language needs its own template")))
    for name, source in templates.sources.items():
        line = _package_import_line(source)
        if line is not None:
            raise template_error(name, line, Msg(N_("imports a Typst package; letters use no packages (they would "
                                                     "be downloaded and run)")))
        try:
            ast = env.parse(source, name=name)
        except jinja2.TemplateSyntaxError as exc:
            raise template_error(name, exc.lineno, syntax_error(exc)) from exc
        unknown = sorted(meta.find_undeclared_variables(ast) - allowed - set(env.globals))
        if unknown:
            line = _first_use(source, unknown[0])
            raise template_error(name, line, Msg(N_("uses undeclared variable(s) {names}; a template may only use "
                                                     "the letter's fields, listed in docs/letter-templates.md"), {"names": ", ".join(unknown)}))
        for ref in meta.find_referenced_templates(ast):
            if ref is None or ref not in templates.sources:
                raise template_error(name, _first_use(source, ref or "include"),
                                      Msg(N_("includes {name}, which is not in this template set"),
                                          {"name": ref if ref else Msg(N_("a computed name"))}))


def _first_use(source: str, word: str) -> int | None:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    for number, line in enumerate(source.splitlines(), start=1):
        if "{" in line and pattern.search(line):
            return number
    return None


def render_markup(context: LetterContext, templates: TemplateSet | None = None) -> str:
    """The Typst source of a letter. Raises TemplateError for a template that fails while rendering."""
    templates = templates or builtin_templates()
    env = templates.environment()
    name = main_template(context.lang)
    variables = {field: getattr(context, field) for field in LetterContext.model_fields}
    try:
        return env.get_template(name).render(variables)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(exc.name or name, exc.lineno, syntax_error(exc)) from exc
    except jinja2.TemplateNotFound as exc:
        raise template_error(name, None, Msg(N_("template {name} not found"), {"name": exc.name})) from exc
    except jinja2.UndefinedError as exc:
        where, line = _line_of(exc, name)
        raise template_error(where, line, Msg(N_("undefined value: {detail}"), {"detail": exc.message})) from exc
    except jinja2.exceptions.SecurityError as exc:
        where, line = _line_of(exc, name)
        raise template_error(where, line, Msg(N_("not allowed in a letter template: {detail}"),
                                               {"detail": str(exc)})) from exc
    except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError) as exc:
        # ArithmeticError: the sandbox's OverflowError for huge ranges, a division by zero; RecursionError: a
        # macro calling itself. All are the template's fault: refuse it like any other broken template.
        where, line = _line_of(exc, name)
        raise template_error(where, line, Plain(f"{type(exc).__name__}: {exc}")) from exc


def syntax_error(exc: jinja2.TemplateSyntaxError) -> Msg:
    return Msg(N_("syntax error: {detail}"), {"detail": exc.message})


@lru_cache(maxsize=1)
def builtin_templates() -> TemplateSet:
    """The templates shipped in templates/letters (read once per process)."""
    return TemplateSet.from_dir()


@lru_cache(maxsize=1)
def _fonts() -> typst.Fonts:
    # Scanning fonts is the slow part of a first compile; the set never changes while we run.
    paths = [str(FONT_DIR)] if FONT_DIR.is_dir() else []
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True, font_paths=paths)


def _compiler() -> typst.Compiler:
    # A fresh compiler per letter: nothing of one person's letter can linger into another's.
    return typst.Compiler(font_paths=_fonts(), root=str(TEMPLATE_DIR))


def _timestamp(context: LetterContext) -> dt.datetime:
    # The PDF's creation date is the letter's date, so the same letter always gives the same bytes.
    return dt.datetime.combine(context.letter_date, dt.time(12, 0), tzinfo=dt.UTC)


# Typst fetches `@namespace/package` imports from the internet and runs them: a letter must never do that.
# User values are escaped string literals (their quotes are `\"`), so this only matches template markup.
_PACKAGE_IMPORT = re.compile(r'#\s*(?:import|include)\s*"@')


def _package_import_line(markup: str) -> int | None:
    for number, line in enumerate(markup.splitlines(), start=1):
        if _PACKAGE_IMPORT.search(line):
            return number
    return None


def _compile(markup: str, context: LetterContext, **kwargs: Any) -> Any:
    line = _package_import_line(markup)
    if line is not None:
        raise template_error(main_template(context.lang), None,
                              Msg(N_("imports a Typst package (rendered line {line}); letters use no packages"),
                                  {"line": line}))
    try:
        return _compiler().compile(input=markup.encode("utf-8"), timestamp=_timestamp(context), **kwargs)
    except typst.TypstError as exc:
        raise TemplateError(N_("Letter template {name} produced invalid Typst: {detail}"),
                            name=main_template(context.lang), detail=f"{exc.message} {exc.diagnostic}".strip()) from exc


def render_pdf(context: LetterContext, templates: TemplateSet | None = None, *, archive: bool = True) -> bytes:
    """The letter as PDF bytes (PDF/A-2b when `archive`)."""
    markup = render_markup(context, templates)
    standards: list[str] = [ARCHIVE_STANDARD] if archive else []
    pdf: bytes = _compile(markup, context, format="pdf", pdf_standards=standards)
    return pdf


def render_png(context: LetterContext, templates: TemplateSet | None = None, *, ppi: float = 96) -> list[bytes]:
    """The letter's pages as PNG images, for the preview: the same markup as the PDF, so what the chair
    reviews is what is sent."""
    markup = render_markup(context, templates)
    pages = _compile(markup, context, format="png", ppi=ppi)
    return list(pages) if isinstance(pages, list) else [pages]
