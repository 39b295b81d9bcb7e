"""The vocabulary (assessment.vocabulary) as the figures and exports need it: each label in both languages.

The figures are built once and shown or exported in either language, so they carry both texts (`L`).
The words themselves come from the one vocabulary; nothing is translated here.
"""

from __future__ import annotations

from .. import vocabulary
from .disclosure import L

# The figures' names for categories whose vocabulary kind is named otherwise.
_KIND = {"status": "pilot_status", "outcome": "conclusion", "route": "pilot_route", "gender": "pilot_gender",
         "follow_up_status": "pilot_follow_up_status", "deadline_stage": "stage"}
# The categories the figures and the codebook of the exports use.
KINDS = ("status", "form", "gender", "route", "age_band", "outcome", "view", "deadline_stage", "follow_up_kind",
         "follow_up_status")


def label(kind: str, value: str) -> L:
    """The label of a category value; an unknown value is shown as itself (e.g. another rubric's outcome)."""
    k = _KIND.get(kind, kind)
    return L(nl=vocabulary.capitalised(k, value, "nl"), en=vocabulary.capitalised(k, value, "en"))


def values(kind: str) -> list[str]:
    """The values of a category in the vocabulary's order."""
    return vocabulary.options(_KIND.get(kind, kind))


def discipline_label(discipline_id: str) -> L:
    """A discipline's name in both languages (from the disciplines file)."""
    return label("discipline", discipline_id)


def slug_label(value: str) -> L:
    """A readable label for an id that has no translation of its own (a reason category)."""
    text = value.replace("_", " ").capitalize()
    return L(nl=text, en=text)


VALUE_LABELS: dict[str, dict[str, L]] = {kind: {v: label(kind, v) for v in values(kind)} for kind in KINDS}
