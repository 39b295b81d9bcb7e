"""Translated names of the domain's fixed values (roles, statuses, forms, disciplines, ...).

The English names below are gettext message ids, marked with `N_` so Babel extracts them; `label()`
translates at the moment of showing, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable

from . import state
from .i18n import translations


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """Mark a message id for extraction without translating it yet."""
    return message


LABELS: dict[str, dict[str, str]] = {
    "role": {
        "secretary": N_("secretary"), "member": N_("panel member"), "chair": N_("chair"),
        "evaluator": N_("evaluator"), "trainer": N_("trainer"), "trainee": N_("trainee"),
        "admin": N_("administrator"),
    },
    "discipline": {
        "police": N_("Police / public prosecution"), "immigration": N_("Immigration"),
        "care": N_("Care and shelter"), "medical": N_("Medical and psychological"),
        "labour": N_("Labour inspectorate / labour NGO"), "legal": N_("Legal"),
        "academic": N_("Academic (criminology, victimology)"),
    },
    "status": {
        "intake": N_("intake"), "inadmissible": N_("inadmissible"), "assessment": N_("assessment"),
        "deliberation": N_("deliberation"), "decided": N_("decided"), "withdrawn": N_("withdrawn"),
    },
    "form": {"sexual": N_("sexual exploitation"), "labour": N_("labour exploitation"),
             "criminal": N_("criminal exploitation"), "other": N_("other exploitation")},
    "route": {"report": N_("report and dismissal or acquittal"), "exception": N_("exception (no report)")},
    "route_end": {"dismissal": N_("dismissal (sepot)"), "acquittal": N_("acquittal")},
    "gender": {"female": N_("female"), "male": N_("male"), "x": N_("X"), "unknown": N_("unknown")},
    "age_group": {"adult": N_("adult"), "child": N_("child")},
    "filing_party": {"lawyer": N_("lawyer"), "ngo": N_("NGO"), "self": N_("the applicant"),
                     "care_provider": N_("care provider"), "other": N_("other")},
    "residence_status": {
        "none": N_("no residence permit"), "asylum_pending": N_("asylum application pending"),
        "b8_permit": N_("B8 permit (trafficking)"), "regular": N_("regular permit"),
        "eu_citizen": N_("EU citizen"), "dutch": N_("Dutch national"), "unknown": N_("unknown"),
    },
    "consent": {
        "police_file": N_("police file"), "immigration_file": N_("immigration file"),
        "medical": N_("medical information"), "care_file": N_("care file"),
        "inform_third_parties": N_("inform third parties"),
    },
    "source": {
        "applicant": N_("applicant"), "police": N_("police"), "immigration": N_("immigration service"),
        "care": N_("care provider"), "medical": N_("medical"), "labour": N_("labour inspectorate"),
        "lawyer": N_("lawyer"), "other": N_("other"),
    },
    "obs": {"present": N_("present"), "absent": N_("absent"), "unknown": N_("unknown"),
            "not_applicable": N_("not applicable")},
    "view": {"positive": N_("positive"), "negative": N_("negative"), "undetermined": N_("undetermined")},
    "confidence": {"low": N_("low"), "medium": N_("medium"), "high": N_("high")},
    "admissibility": {"admissible": N_("admissible"), "inadmissible": N_("inadmissible")},
    "outcome": {"aannemelijk": N_("plausible (aannemelijk)"), "niet_aannemelijk": N_("not plausible (niet aannemelijk)")},
    "deadline": {"due": N_("due"), "overdue": N_("overdue"), "met": N_("met"), "met_late": N_("met late")},
    "stage": {"admissibility": N_("admissibility"), "assessment": N_("assessment"), "decision": N_("decision"),
              "letter": N_("letter")},
    "dim_status": {"positive": N_("positive"), "negative": N_("negative"), "undetermined": N_("undetermined")},
    # what the assessment instrument suggests for a legal element (the panel's finding is a separate record)
    "element_status": {"positive": N_("supported by the indicators"), "negative": N_("not supported by the indicators"),
                       "undetermined": N_("insufficient information"), "not_required": N_("not required")},
}


def label(kind: str, value: str | None, lang: str | None = None) -> str:
    """The translated name of `value` of this kind ('—' for none; the value itself when unlisted)."""
    if value is None:
        return "—"
    message = LABELS.get(kind, {}).get(value)
    return translations(lang or state.lang()).gettext(message) if message else value


def options(kind: str) -> list[str]:
    """The values of a kind, in their listed order (for selectboxes with `format_func`)."""
    return list(LABELS[kind])


def formatter(kind: str) -> Callable[[str], str]:
    """A `format_func` for widgets whose options are values of this kind. The language is fixed when the
    widget is made, as Streamlit may call the function outside the script run."""
    lang = state.lang()
    return lambda value: label(kind, value, lang)
