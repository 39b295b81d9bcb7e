"""Translation for the pages: the gettext catalogues (assessment.i18n, through the services) in the user's
language."""

from __future__ import annotations

from assessment import services
from assessment.services import N_

from . import state

__all__ = ["N_", "_", "choose_any", "choose_one", "n_"]


def _(message: str) -> str:
    """`message` (an English message id) in the user's language."""
    return services.gettext(state.lang(), message)


def n_(singular: str, plural: str, n: int) -> str:
    """Singular or plural form of a message, in the user's language (`{n}` is filled in)."""
    return services.ngettext(state.lang(), singular, plural, n)


# Streamlit's own widget texts, set through the widgets' parameters (its defaults are English): every
# selectbox and multiselect passes one of these as its placeholder (tests/test_widget_texts.py checks it).
def choose_one() -> str:
    """The placeholder of a selectbox."""
    return _("Choose an option")


def choose_any() -> str:
    """The placeholder of a multiselect."""
    return _("Choose one or more options")
