"""The vocabulary (assessment.vocabulary) as the figures and exports need it: labels translated when shown.

The figures are built once and shown or exported in either language, so they carry `Translatable` labels
(vocabulary terms, gettext messages, the rubric's own texts), never finished strings.
"""

from __future__ import annotations

from .. import vocabulary
from ..i18n import Plain
from ..vocabulary import Term
from .disclosure import Label

# The figures' names for categories whose vocabulary kind is named otherwise.
_KIND = {"status": "pilot_status", "outcome": "conclusion", "route": "pilot_route", "gender": "pilot_gender",
         "follow_up_status": "pilot_follow_up_status", "deadline_stage": "stage", "advice_use": "pilot_advice_followed",
         "hearing": "pilot_hearing"}
# The categories the figures and the codebook of the exports use.
KINDS = ("status", "form", "gender", "route", "age_band", "outcome", "view", "deadline_stage", "follow_up_kind",
         "follow_up_status")


def label(kind: str, value: str) -> Term:
    """The label of a category value, capitalised; an unknown value is shown as itself (another rubric's
    outcome). `lower(...)` gives the same term in running text."""
    return Term(_KIND.get(kind, kind), value, capital=True)


def lower(kind: str, value: str) -> Term:
    """The label of a category value as it reads inside a sentence."""
    return Term(_KIND.get(kind, kind), value)


def values(kind: str) -> list[str]:
    """The values of a category in the vocabulary's order."""
    return vocabulary.options(_KIND.get(kind, kind))


def discipline_label(discipline_id: str) -> Term:
    """A discipline's name (from the disciplines file)."""
    return label("discipline", discipline_id)


def slug_label(value: str) -> Label:
    """A readable label for an id that has no translation of its own (a reason category)."""
    return Plain(value.replace("_", " ").capitalize())


VALUE_LABELS: dict[str, dict[str, Term]] = {kind: {v: label(kind, v) for v in values(kind)} for kind in KINDS}
