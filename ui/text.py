"""The one way pages show what people typed: as text, never as Markdown, HTML or LaTeX.

Streamlit renders the body of st.markdown, st.write, st.info/success/warning/error, st.caption, titles and
widget labels as Markdown (with LaTeX between dollar signs, `:color[...]` and `:material/...:` directives
and emoji shortcodes). A dissent, a name or a hearing summary shown that way could fetch an image from
another host in every viewer's browser, or turn into headings and formulas. So:

- `user_text` shows a value on its own, with `st.text` (no parsing at all);
- `md_escape` makes a value safe to put inside one of our own Markdown messages, escaping every character
  Markdown or Streamlit gives a meaning (and joining lines, since a message is one paragraph; `lines=True`
  keeps each line, for an error message that lists its problems line by line).

Error messages and rubric texts go through `md_escape` too: an error can quote what someone typed or uploaded
(a file name, a reference, a rubric's field), and a rubric's names, help texts and disclaimer come from a YAML
file an administrator uploads (ui/widgets.py: `show_error`, `rubric_text`).

tests/test_user_text.py finds any rendering call whose argument holds a user-entered field outside these two.
"""

from __future__ import annotations

import re

import streamlit as st

# Every ASCII punctuation character CommonMark lets a backslash escape, plus what Streamlit adds ($ for
# LaTeX, : for directives and emoji shortcodes).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
# Streamlit's Markdown turns a bare address (`http://...`, `www.`) into a link after the escapes are read, so an
# invisible WORD JOINER (U+2060) goes into each such start: the text reads the same and no link is made.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=www)(?=\.)")
JOINER = "\u2060"


def md_escape(value: object, *, lines: bool = False) -> str:
    """`value` as literal text inside Markdown: each special character escaped, whitespace joined (`lines`:
    within each line, the lines kept apart by Markdown line breaks)."""
    if lines:
        return "  \n".join(md_escape(line) for line in str(value).splitlines() if line.strip())
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(JOINER, " ".join(str(value).split())))


def user_text(value: str, *, label: str | None = None) -> None:
    """Show text a person typed exactly as typed (line breaks kept); `label` is our own caption above it."""
    if label:
        st.caption(label)
    st.text(value)
