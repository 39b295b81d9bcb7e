"""Translations through gettext catalogues (locale/<lang>/LC_MESSAGES/aannemelijk.po).

Message ids are English; the Dutch catalogue translates every one of them (a test checks it). The .po
files are compiled with Babel into a cache directory at start, only when a .po is newer than its .mo,
so the repository holds no generated files that could go stale.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from assessment.config import ROOT

from . import state

DOMAIN = "aannemelijk"
LANGS = ("nl", "en")
LOCALE_DIR = ROOT / "locale"
CACHE_DIR = ROOT / "var" / "locale"


def compile_catalogues(source: Path = LOCALE_DIR, target: Path = CACHE_DIR) -> Path:
    """Compile every .po under `source` into `target` (only those newer than their .mo); returns `target`."""
    for lang in LANGS:
        po = source / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo = target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not po.exists() or (mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime):
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        tmp = mo.with_suffix(".tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo)  # atomic: a second process never reads half a file
    return target


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (English falls back to the message ids)."""
    directory = compile_catalogues()
    return gettext.translation(DOMAIN, localedir=directory, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` (an English message id) in the user's language."""
    return translations(state.lang()).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """Singular or plural form of a message, in the user's language."""
    return translations(state.lang()).ngettext(singular, plural, n)
