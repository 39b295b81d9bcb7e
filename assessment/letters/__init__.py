"""The advice letter (deskundigenbericht): its context, templates and rendering to PDF, PNG and DOCX."""

from .context import LetterContext
from .render import TemplateSet, render_markup, render_pdf, render_png

__all__ = ["LetterContext", "TemplateSet", "render_markup", "render_pdf", "render_png"]
