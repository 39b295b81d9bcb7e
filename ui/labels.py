"""The vocabulary (assessment.vocabulary, through the services) in the user's language, for widgets and tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assessment import services

from . import state


def label(kind: str, value: str | None, lang: str | None = None) -> str:
    """The name of `value` of this kind in the user's language ('—' for none)."""
    return services.label(kind, value, lang or state.lang())


def heading(kind: str, value: str | None, lang: str | None = None) -> str:
    """The label with a capital first letter, for a value standing on its own (a metric, a cell)."""
    return services.heading(kind, value, lang or state.lang())


def options(kind: str) -> list[str]:
    """The values of a kind, in their listed order (for selectboxes with `format_func`)."""
    return services.label_options(kind)


def formatter(kind: str) -> Callable[[str], str]:
    """A `format_func` for widgets whose options are values of this kind. The language is fixed when the
    widget is made, as Streamlit may call the function outside the script run."""
    lang = state.lang()
    return lambda value: services.label(kind, value, lang)


def day(value: dt.date | None, lang: str | None = None) -> str:
    """A date as people write it: 3 december 2026 / 3 December 2026 (the no-value mark for none), never ISO."""
    if value is None:
        return services.NO_VALUE
    return services.long_date(value, lang or state.lang())


def statistic(value: float | None, decimals: int = 2) -> str:
    """A statistic (a kappa) as a reader of the page's language writes it: "0,48" in Dutch (the no-value mark when undefined)."""
    return services.statistic(value, state.lang(), decimals)
