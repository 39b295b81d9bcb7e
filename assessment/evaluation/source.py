"""The evaluators' facts of one stored case: `AnalysableCase` (the store's analysable part) to `CaseFacts`.

Pure: the services read the store (assessment.services.evaluation) and call `to_facts`."""

from __future__ import annotations

from ..model import AnalysableCase
from .facts import CaseFacts, CaseStatus, FollowUpStatus, OverallView, PanelOutcome

_STATUS: dict[str, CaseStatus] = {
    "intake": "received",
    "assessment": "in_progress",
    "deliberation": "in_progress",
    "inadmissible": "inadmissible",
    "withdrawn": "withdrawn",
    "decided": "decided",
}
_PANEL: dict[str, PanelOutcome] = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
_OVERALL: dict[str, OverallView] = {
    "positive": "plausible",
    "negative": "not_plausible",
    "undetermined": "undetermined",
}
# "Not applied for" says nothing about the provision's outcome: the figures count it as unknown.
_FOLLOW_UP: dict[str, FollowUpStatus] = {"granted": "granted", "refused": "refused", "pending": "pending",
                                         "not_applied": "unknown"}  # fmt: skip


def to_facts(c: AnalysableCase) -> CaseFacts:
    """One stored case as evaluators' facts. The age at application is approximate (birth year only)."""
    status = _STATUS[c.status]
    if status == "decided" and c.letter_issued_on is not None:
        status = "letter_issued"
    disciplines = sorted(set(c.indicator_statuses) | set(c.dimension_views) | set(c.overall_views))
    age = c.received_on.year - c.birth_year if c.birth_year is not None else None
    return CaseFacts.model_validate(
        {
            "key": c.ref,
            "received": c.received_on,
            "admissibility_decided": c.admissibility_on,
            "file_complete": c.file_complete_on,
            "hearing": c.hearing_on,
            "deliberation": c.deliberation_on,
            "decided": c.decided_on,
            "letter": c.letter_issued_on,
            "status": status,
            "form": c.form,
            "nationality": c.nationality.upper() if len(c.nationality) == 2 else None,
            "gender": "other" if c.gender == "x" else c.gender,
            "age": age if age is not None and 0 <= age <= 120 else None,
            "age_group": c.age_group,
            "route": "report_dismissal" if c.route == "report" else "exception",
            "rubric_id": c.rubric_id,
            "rubric_version": c.rubric_version,
            "rubric_outcome": c.rubric_outcome,
            "panel_outcome": _PANEL.get(c.panel_outcome or ""),
            # A departure from the rubric cannot be recorded without written reasons.
            "override_reason": bool(c.departs_from_rubric),
            "disciplines": [
                {
                    "discipline": d,
                    "indicators": c.indicator_statuses.get(d, {}),
                    "dimensions": c.dimension_views.get(d, {}),
                    "overall": _OVERALL.get(c.overall_views.get(d, "")),
                }
                for d in disciplines
            ],
            "follow_up": {f.kind: _FOLLOW_UP[f.result] for f in c.followups},
        }
    )
