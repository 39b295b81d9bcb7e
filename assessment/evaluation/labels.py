"""Dutch and English labels of every category value the figures and exports use."""

from __future__ import annotations

from .disclosure import L

VALUE_LABELS: dict[str, dict[str, L]] = {
    "status": {
        "received": L(nl="Ontvangen", en="Received"),
        "inadmissible": L(nl="Niet-ontvankelijk", en="Inadmissible"),
        "withdrawn": L(nl="Ingetrokken", en="Withdrawn"),
        "in_progress": L(nl="In behandeling", en="In progress"),
        "decided": L(nl="Advies uitgebracht", en="Advice issued"),
        "letter_issued": L(nl="Brief verzonden", en="Letter issued"),
    },
    "form": {
        "sexual": L(nl="Seksuele uitbuiting", en="Sexual exploitation"),
        "labour": L(nl="Arbeidsuitbuiting", en="Labour exploitation"),
        "criminal": L(nl="Criminele uitbuiting", en="Criminal exploitation"),
        "other": L(nl="Overige uitbuiting", en="Other exploitation"),
    },
    "gender": {
        "female": L(nl="Vrouw", en="Female"),
        "male": L(nl="Man", en="Male"),
        "other": L(nl="Anders", en="Other"),
        "unknown": L(nl="Onbekend", en="Unknown"),
    },
    "route": {
        "report_dismissal": L(nl="Aangifte en sepot", en="Report and dismissal"),
        "exception": L(nl="Uitzondering (geen aangifte)", en="Exception (no report)"),
    },
    "age_band": {
        "0-17": L(nl="0-17 jaar", en="0-17 years"),
        "18-24": L(nl="18-24 jaar", en="18-24 years"),
        "25-34": L(nl="25-34 jaar", en="25-34 years"),
        "35-44": L(nl="35-44 jaar", en="35-44 years"),
        "45+": L(nl="45 jaar en ouder", en="45 years and over"),
        "unknown": L(nl="Onbekend", en="Unknown"),
    },
    "outcome": {
        "plausible": L(nl="Aannemelijk", en="Plausible"),
        "not_plausible": L(nl="Niet aannemelijk", en="Not plausible"),
        "undetermined": L(nl="Onbepaald", en="Undetermined"),
    },
    "view": {
        "positive": L(nl="Positief", en="Positive"),
        "negative": L(nl="Negatief", en="Negative"),
        "undetermined": L(nl="Onbepaald", en="Undetermined"),
    },
    "deadline_stage": {
        "admissibility": L(nl="Ontvankelijkheid", en="Admissibility"),
        "assessment": L(nl="Beoordeling", en="Assessment"),
        "decision": L(nl="Besluit", en="Decision"),
        "letter": L(nl="Brief", en="Letter"),
    },
    "follow_up_kind": {
        "residence_permit": L(nl="Verblijfsvergunning", en="Residence permit"),
        "care": L(nl="Zorg", en="Care"),
        "compensation": L(nl="Schadevergoeding", en="Compensation"),
    },
    "follow_up_status": {
        "granted": L(nl="Toegekend", en="Granted"),
        "refused": L(nl="Afgewezen", en="Refused"),
        "pending": L(nl="Lopend", en="Pending"),
        "unknown": L(nl="Onbekend", en="Unknown"),
    },
}


def label(kind: str, value: str) -> L:
    """The label of a category value; an unknown value is shown as itself (e.g. another rubric's outcome)."""
    found = VALUE_LABELS.get(kind, {}).get(value)
    return found if found is not None else L(nl=value, en=value)


def slug_label(value: str) -> L:
    """A readable label for an id that has no translation of its own (a reason category, a discipline)."""
    text = value.replace("_", " ").capitalize()
    return L(nl=text, en=text)
