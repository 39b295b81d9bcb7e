"""The one mechanism for translatable text: gettext catalogues (locale/<lang>/LC_MESSAGES/aannemelijk.po).

Message ids are English; the Dutch catalogue translates every one of them (a test checks it). The .po
files are compiled with Babel into a cache directory when first needed, only when a .po is newer than its
.mo, so the repository holds no generated files that could go stale.

The core never knows the user's language: it marks texts with `N_` (labels, message ids of errors) and
the edge (a page, the CLI) translates them with `gettext(lang, ...)`. Data with its own translations (the
rubric's texts, the discipline names in pilot_data/disciplines.yaml) stays data.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

# The repository root (as config.ROOT; not imported from there, since config imports errors, which marks its
# messages with `N_` from here).
ROOT = Path(__file__).resolve().parent.parent
Lang = Literal["nl", "en"]
DOMAIN = "aannemelijk"
LANGS: tuple[Lang, ...] = ("nl", "en")
DEFAULT_LANG: Lang = "nl"
LOCALE_DIR = ROOT / "locale"
CACHE_DIR = ROOT / "var" / "locale"


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """Mark a message id for extraction without translating it yet."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Mark a message id that needs a context (the same English word, another Dutch one: "medium" as a
    confidence is "gemiddeld", as a tier "matig")."""
    return context, message


@runtime_checkable
class Translatable(Protocol):
    """Anything that can say itself in a language (a message, a vocabulary term, a rubric's own text)."""

    def text(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Msg:
    """A message id (or a `(context, id)` pair from `NC_`) with parameters, translated when shown. A
    parameter that is itself `Translatable` is shown in the same language."""

    message_id: str | tuple[str, str]
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        params = {k: (v.text(lang) if isinstance(v, Translatable) else v) for k, v in self.params.items()}
        if isinstance(self.message_id, tuple):
            return pgettext(lang, *self.message_id, **params)
        return gettext(lang, self.message_id, **params)


@dataclass(frozen=True)
class Plain:
    """A text that reads the same in every language (a period, a range of days, a code with no name)."""

    value: str

    def text(self, lang: str) -> str:
        return self.value


def in_every_language(text: Translatable) -> dict[str, str]:
    """A text said in each language, for keeping (a stored report, a label in a JSON file): `Said` shows it."""
    return {lang: text.text(lang) for lang in LANGS}


@dataclass(frozen=True)
class Said:
    """A text kept as it was said in each language (`in_every_language`), shown in the reader's."""

    texts: tuple[tuple[str, str], ...]

    def text(self, lang: str) -> str:
        said = dict(self.texts)
        return said.get(lang) or said.get(DEFAULT_LANG) or next(iter(said.values()), "")


@dataclass(frozen=True)
class Joined:
    """Several translatable texts as one, separated by `sep` (a list of problems in one message)."""

    parts: tuple[Translatable, ...]
    sep: str = "; "

    def text(self, lang: str) -> str:
        return self.sep.join(p.text(lang) for p in self.parts)


# The one mark of a value that is not there (no date, no label, a statistic on no units, an undefined kappa):
# the same on every page, letter, report and terminal, in both languages.
NO_VALUE = "—"

# Each language named in itself, as a language switch offers it (a reader looks for their own language's
# name, so these are not translated).
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}

# The Babel locale of each language: how dates and numbers are written in it.
LOCALES: dict[str, str] = {"nl": "nl_NL", "en": "en_GB"}


def long_date(day: dt.date, lang: str) -> str:
    """A date as running text writes it: "22 december 2025" in Dutch, "22 December 2025" in English; the one
    place dates are formatted for a reader (letters, messages, pages), so none shows ISO or 22-12-2025."""
    from babel.dates import format_date  # Babel only when a date is shown: `score` and `--help` start fast

    return str(format_date(day, "long", locale=LOCALES.get(lang, LOCALES[DEFAULT_LANG])))


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number as a reader of the language writes it, with at most `decimals` decimals: "136,5" and "1.234"
    in Dutch, "136.5" and "1,234" in English; the one place figures are formatted for a reader."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(format_decimal(value, pattern, locale=LOCALES.get(lang, LOCALES[DEFAULT_LANG])))


def fixed(value: float, lang: str, decimals: int = 2) -> str:
    """A number with exactly `decimals` decimals (a statistic: "0,45", "-0,10")."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * decimals if decimals > 0 else "#,##0"
    return str(format_decimal(value, pattern, locale=LOCALES.get(lang, LOCALES[DEFAULT_LANG])))


def statistic(value: float | None, lang: str, decimals: int = 2) -> str:
    """A statistic (a kappa) as a reader of `lang` writes it: "0,45" in Dutch, the no-value mark when it is
    undefined."""
    return NO_VALUE if value is None else fixed(value, lang, decimals)


def period_name(period: str, lang: str) -> str:
    """A period of `metrics.period_of` as a reader writes it: "2018", "1e kwartaal 2018" / "Q1 2018",
    "juli 2018" / "July 2018" (Babel's CLDR patterns); anything else as it is."""
    from babel.dates import format_date

    locale = LOCALES.get(lang, LOCALES[DEFAULT_LANG])
    year, _, part = period.partition("-")
    if not year.isdigit():
        return period
    if not part:
        return year
    if part.startswith("Q") and part[1:].isdigit():
        return str(format_date(dt.date(int(year), 3 * int(part[1:]) - 2, 1), "QQQQ y", locale=locale))
    if part.isdigit():
        return str(format_date(dt.date(int(year), int(part), 1), "LLLL y", locale=locale))
    return period


@dataclass(frozen=True)
class PeriodName:
    """A period id ("2018-Q3") as a label, written as `period_name` in the language shown."""

    value: str

    def text(self, lang: str) -> str:
        return period_name(self.value, lang)


@dataclass(frozen=True)
class Number:
    """A number as a message parameter, written as the message's language writes it (`number`: "2.097.152")."""

    value: float
    decimals: int = 0

    def text(self, lang: str) -> str:
        return number(self.value, lang, self.decimals)


@dataclass(frozen=True)
class Day:
    """A date as a message parameter, written as running text in the message's language (`long_date`)."""

    value: dt.date

    def text(self, lang: str) -> str:
        return long_date(self.value, lang)


def long_datetime(at: dt.datetime, lang: str) -> str:
    """A moment as people write it, in Dutch time (stored times are UTC): "1 december 2026, 03:02"."""
    from babel.dates import format_datetime, get_timezone

    when = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return str(format_datetime(when, "d MMMM y, HH:mm", tzinfo=get_timezone("Europe/Amsterdam"),
                               locale=LOCALES.get(lang, LOCALES[DEFAULT_LANG])))


@dataclass(frozen=True)
class Moment:
    """A stored moment (ISO text, UTC) as a message parameter, written as `long_datetime` in the message's
    language; text that is not a moment is shown as it is."""

    value: str

    def text(self, lang: str) -> str:
        try:
            return long_datetime(dt.datetime.fromisoformat(self.value), lang)
        except ValueError:
            return self.value


def compile_catalogues(source: Path = LOCALE_DIR, target: Path = CACHE_DIR) -> Path:
    """Compile every .po under `source` into `target` (only those newer than their .mo); returns `target`."""
    from babel.messages.mofile import write_mo  # Babel only when a catalogue needs compiling
    from babel.messages.pofile import read_po

    for lang in LANGS:
        po = source / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo = target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not po.exists() or (mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime):
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo)  # atomic: a second process never reads half a file
    return target


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of one language (English falls back to the message ids)."""
    directory = compile_catalogues()
    return _gettext.translation(DOMAIN, localedir=directory, languages=[lang], fallback=True)


def gettext(lang: str, message: str, /, **params: object) -> str:
    """`message` (an English message id) in `lang`, with `{name}` placeholders filled from `params`."""
    text = translations(lang).gettext(message)
    return text.format(**params) if params else text


def pgettext(lang: str, context: str, message: str, /, **params: object) -> str:
    """`message` in `context` (see `NC_`) in `lang`, with `params` filled in."""
    text = translations(lang).pgettext(context, message)
    return text.format(**params) if params else text


def ngettext(lang: str, singular: str, plural: str, n: int, /, **params: object) -> str:
    """Singular or plural form of a message in `lang`, with `{n}` and `params` filled in."""
    return translations(lang).ngettext(singular, plural, n).format(n=n, **params)


def lang_from_env(environ: dict[str, str] | None = None) -> Lang:
    """The language the environment asks for (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`); Dutch by default."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return "en" if code == "en" else DEFAULT_LANG if code in ("nl", "c", "posix", "") else "en"
    return DEFAULT_LANG
