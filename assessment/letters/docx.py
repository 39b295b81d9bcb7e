"""The letter as a Word document, through docxtpl, from the same LetterContext as the PDF.

For staff who must edit wording in Word before sending. docxtpl renders Jinja inside the Word XML; we give
it the same sandboxed, strict environment as the PDF, with XML autoescaping, so typed text stays text.
"""

from __future__ import annotations

import io
import re
from collections.abc import MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document as DocumentObject
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from ..i18n import N_, Msg, Plain, gettext
from .context import LetterContext, context_fields
from .render import FILTERS, TEMPLATE_DIR, syntax_error, template_error

# Characters XML 1.0 does not allow; a value containing one would make the document unreadable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _finalize(value: object) -> object:
    if isinstance(value, str):
        return _XML_INVALID.sub(" ", value)
    return value


def docx_template_path(lang: str, directory: Path = TEMPLATE_DIR) -> Path:
    """The Word template for a language."""
    return directory / f"letter.{lang}.docx"


class _DocxEnvironment(SandboxedEnvironment):
    """docxtpl compiles the Word XML of every part (body, headers, footers) with `from_string` on every render;
    compiling the body is most of a DOCX's cost. The compiled template depends only on the template's XML,
    never on a letter, so it is kept per source text (a few parts per template file)."""

    _MAX_KEPT = 64

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(
        self, source: str | jinja2.nodes.Template, globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if not isinstance(source, str) or globals or template_class:
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self._MAX_KEPT:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


@lru_cache(maxsize=1)
def docx_environment() -> SandboxedEnvironment:
    """Sandboxed, StrictUndefined, autoescaped for XML; the same filters as the Typst templates. One per
    process: it holds compiled templates, never a rendered letter."""
    env = _DocxEnvironment()
    env.filters.update(FILTERS)
    return env


class _Template(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no type information
    """docxtpl's template with its XML clean-up (`patch_xml`, pure regular expressions over the template's
    XML) done once per template text instead of on every render."""

    def patch_xml(self, src_xml: str) -> str:
        patched = _PATCHED.get(src_xml)
        if patched is None:
            if len(_PATCHED) >= 64:
                _PATCHED.clear()
            patched = _PATCHED[src_xml] = super().patch_xml(src_xml)
        return patched


_PATCHED: dict[str, str] = {}


@lru_cache(maxsize=8)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def check_docx_template(path: Path) -> None:
    """Reject a Word template that does not parse or uses a variable that is not a LetterContext field."""
    try:
        unknown = DocxTemplate(str(path)).get_undeclared_template_variables(docx_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(path.name, exc.lineno, syntax_error(exc)) from exc
    except Exception as exc:  # a corrupt upload is a bad template, whatever the zip or XML library says
        raise template_error(path.name, None, Msg(N_("not a readable Word document ({detail})"),
                                                  {"detail": str(exc)})) from exc
    extra = sorted(unknown - context_fields())
    if extra:
        raise template_error(path.name, None, Msg(N_("uses undeclared variable(s) {names}; a template may only use "
                                                     "the letter's fields, listed in docs/letter-templates.md"), {"names": ", ".join(extra)}))


def render_docx(context: LetterContext, template: Path | None = None) -> bytes:
    """The letter as DOCX bytes."""
    path = template or docx_template_path(context.lang)
    doc = _Template(io.BytesIO(_template_bytes(path, path.stat().st_mtime_ns)))
    variables = {field: getattr(context, field) for field in LetterContext.model_fields}
    try:
        doc.render(variables, jinja_env=docx_environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(path.name, exc.lineno, syntax_error(exc)) from exc
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
        raise template_error(path.name, None, Plain(str(exc))) from exc
    out = io.BytesIO()
    doc.save(out)
    if context.training or context.draft:
        # On the saved document: docxtpl swaps the header parts for plain XML parts while rendering.
        from docx import Document

        marked = Document(io.BytesIO(out.getvalue()))
        if context.draft:
            _watermark(marked, DRAFT_WATERMARK, (0x1D, 0x4F, 0x5C))
        if context.training:
            _watermark(marked, training_watermark(context.lang), (0xC8, 0x28, 0x28))
        out = io.BytesIO()
        marked.save(out)
    return out.getvalue()


# The same words as the PDF's watermark (templates/letters/_layout.typ.j2), in the letter's one language.
TRAINING_WATERMARK = N_("TRAINING LETTER – NOT A REAL ADVICE")


def training_watermark(lang: str) -> str:
    """The line that marks a training letter, in the letter's language."""
    return "TRAINING – " + gettext(lang, TRAINING_WATERMARK)
# A preview not yet adopted and signed (the same word as the PDF's watermark).
DRAFT_WATERMARK = "CONCEPT"


def _watermark(document: DocumentObject, words: str, rgb: tuple[int, int, int]) -> None:
    """Mark a training letter or a draft after rendering, so every template (also an uploaded one) carries
    it: a bold line at the top of the body and in the header of every section, i.e. on every page."""
    from docx.shared import Pt, RGBColor

    def mark(paragraph: Paragraph) -> None:
        run = paragraph.add_run(words)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(*rgb)

    first = document.add_paragraph()
    mark(first)
    body = document.element.body
    body.remove(first._p)
    body.insert(0, first._p)  # above everything, also above a leading table (the letterhead)
    seen: set[str] = set()
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            if str(header.part.partname) in seen:  # a header linked to the previous section's: marked already
                continue
            seen.add(str(header.part.partname))
            paragraphs = header.paragraphs
            mark(paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph())


def docx_text(data: bytes) -> str:
    """The text of a DOCX (paragraphs and table cells, in order), for tests and comparisons."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                                  for p in cell.iter() if p.tag.endswith("}p")).strip())
                    lines.append(" | ".join(cells))
    return "\n".join(line for line in lines if line.strip())
