"""Streamlit's own English texts that no widget parameter sets, said in the user's language: the one place
for them (issue #15, item 5). Everything a widget parameter can say (placeholders, labels, help, upload
limits) is said through the parameter instead (tests/test_widget_texts.py).

What is left is written by Streamlit's frontend itself: the help icon's name ("Help for Naam"), the select
box's screen-reader announcements ("12 options available."; React Aria in Streamlit 1.67 is fixed to
en-US), the file uploader's button, drop zone and limit line, the date fields' names ("Choose date",
"day, Geboortedatum"), the table and chart toolbars, the heading links and the skip link. A fixed script
(no user data in it) watches the page and rewrites exactly these texts, each matched whole, into the
catalogue's translation; it remembers what Streamlit wrote, so switching back to English restores it.
The browser suite's English check (tests/browser/screencheck.py) reads these texts and names too, so a text
that comes back fails it."""

from __future__ import annotations

import json

import streamlit as st

from assessment.services import N_

from .i18n import _

# Where a text rule applies: a CSS selector the text's element lies in ("" anywhere; attribute names, such as
# aria-label, are Streamlit's own wherever they match whole).
UPLOADER = '[data-testid^="stFileUploader"]'
ANNOUNCER = "[data-live-announcer]"  # React Aria's hidden live region
SKIP_LINK = '[data-testid="stSkipToContent"]'

# (where, what Streamlit writes as a regular expression matched whole, the message id: {0}, {1} are its
# groups). Applied in this order, each on the result of the one before ("day, Periode start date").
RULES: tuple[tuple[str, str, str], ...] = (
    ("", r"Help for (.+)", N_("Help for {0}")),
    ("", r"Link to heading", N_("Link to heading")),
    ("", r"Show password", N_("Show password")),
    ("", r"Choose date", N_("Choose date")),
    ("", r"Choose date range", N_("Choose date range")),
    ("", r"Clear date", N_("Clear date")),
    ("", r"Clear value", N_("Clear value")),
    ("", r"day, (.+)", N_("day, {0}")),
    ("", r"month, (.+)", N_("month, {0}")),
    ("", r"year, (.+)", N_("year, {0}")),
    ("", r"(.+) start date", N_("{0} start date")),
    ("", r"(.+) end date", N_("{0} end date")),
    ("", r"Empty", N_("Empty")),
    ("", r"Increment", N_("Increment")),
    ("", r"Decrement", N_("Decrement")),
    ("", r"Show/hide columns", N_("Show/hide columns")),
    ("", r"Search", N_("Search")),
    ("", r"Download as CSV", N_("Download as CSV")),
    ("", r"Download as PNG", N_("Download as PNG")),
    ("", r"Show data", N_("Show data")),
    ("", r"Show chart", N_("Show chart")),
    ("", r"Fullscreen", N_("Fullscreen")),
    ("", r"Close fullscreen", N_("Close fullscreen")),
    ("", r"file upload", N_("file upload")),
    ("", r"Collapse sidebar", N_("Collapse sidebar")),
    ("", r"Expand sidebar", N_("Expand sidebar")),
    ("", r"App pages", N_("App pages")),
    (UPLOADER, r"Upload", N_("Upload")),
    (UPLOADER, r"Drag and drop a file here", N_("Drag and drop a file here")),
    (UPLOADER, r"Drag and drop files here", N_("Drag and drop files here")),
    (UPLOADER, r"(\d+(?:\.\d+)?)\s?([KMG]B) per file", N_("{0} {1} per file")),
    (ANNOUNCER, r"1 option available\.", N_("1 option available.")),
    (ANNOUNCER, r"(\d+) options available\.", N_("{0} options available.")),
    (ANNOUNCER, r"(.+), selected", N_("{0}, selected")),
    (SKIP_LINK, r"Skip to main content", N_("Skip to main content")),
)
# The attributes that carry text a reader meets (names, values, hints).
ATTRIBUTES = ("aria-label", "aria-valuetext", "title", "placeholder")

# Installed once per browser tab; a later run only hands it the rules of the language now chosen (none for
# English: what Streamlit wrote is restored). `memo` keeps, per text node or element and attribute, what
# Streamlit wrote and what we wrote instead, so our own writes are recognised and never translated twice.
_SCRIPT = """<script>
(() => {
  const w = window;
  document.documentElement.lang = %(code)s;
  w.__aannemelijkRules = %(rules)s.map(([scope, pattern, to]) => [scope, new RegExp('^(?:' + pattern + ')$'), to]);
  if (w.__aannemelijkTexts) { w.__aannemelijkTexts(document.body); return; }
  const ATTRIBUTES = %(attributes)s;
  const memo = new WeakMap();
  const say = (owner, name, now, write) => {
    const box = memo.get(owner) || new Map();
    memo.set(owner, box);
    const seen = box.get(name);
    const wrote = seen && seen[1] === now ? seen[0] : now;  // what Streamlit wrote
    let out = wrote;
    const el = owner.nodeType === Node.ELEMENT_NODE ? owner : owner.parentElement;
    for (const [scope, re, to] of w.__aannemelijkRules)
      if ((!scope || el?.closest(scope)) && re.test(out)) out = out.replace(re, to);
    box.set(name, [wrote, out]);
    if (out !== now) write(out);
  };
  const text = n => { const t = n.nodeValue; if (t.trim()) say(n, '', t, v => { n.nodeValue = v; }); };
  const attributes = el => { for (const a of ATTRIBUTES) if (el.hasAttribute(a))
    say(el, a, el.getAttribute(a), v => el.setAttribute(a, v)); };
  const all = root => {
    if (root.nodeType === Node.TEXT_NODE) return text(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    attributes(root);
    for (const el of root.querySelectorAll(ATTRIBUTES.map(a => `[${a}]`).join(','))) attributes(el);
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) text(n);
  };
  w.__aannemelijkTexts = all;
  new MutationObserver(records => { for (const r of records) {
    if (r.type === 'childList') r.addedNodes.forEach(all);
    else if (r.type === 'characterData') text(r.target);
    else attributes(r.target);
  } }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                               attributeFilter: ATTRIBUTES});
  all(document.body);
})();
</script>"""


def replacement(message: str) -> str:
    """A translated message as a JavaScript replacement string: {0}, {1} become the match's groups."""
    return message.replace("$", "$$").replace("{0}", "$1").replace("{1}", "$2")


def rules(lang: str) -> list[tuple[str, str, str]]:
    """The rules for `lang`: none for English (Streamlit's texts are English), else each with its translation."""
    return [] if lang == "en" else [(scope, pattern, replacement(_(message))) for scope, pattern, message in RULES]


def declare(lang: str) -> None:
    """`<html lang>` names the page's language (Streamlit's page says "en" whatever is shown), so a screen
    reader speaks Dutch as Dutch (WCAG 3.1.1), and Streamlit's own texts follow the language. In the sidebar,
    where it takes no room; it runs again whenever the language changes, as its text changes with it."""
    code = {"nl": "nl", "en": "en"}[lang]  # never user input in a script: our code and our catalogue's text
    script = _SCRIPT % {"code": _literal(code), "rules": _literal(rules(lang)), "attributes": _literal(ATTRIBUTES)}
    st.sidebar.html(script, unsafe_allow_javascript=True)


def _literal(value: object) -> str:
    """`value` as a JavaScript literal that cannot end the script element early (a "</script>" in a text)."""
    return json.dumps(value).replace("</", "<\\/")

