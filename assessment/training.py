"""Feedback for trainees: a trainee's assessment of a case beside the reference panel's, and the group view.

Pure functions over the rubric, the reference and the trainees' drafts (no storage).

Calibration score (what a trainee sees, and the trainer per trainee):
- `kappa`: Cohen's kappa between the trainee's status of each indicator of the case's rubric profile and
  the reference's consolidated status, over four categories: present, absent, unknown, not applicable (an
  indicator the trainee did not rate counts as unknown, as in the engine). 1 is full agreement, 0 is what chance gives,
  below 0 worse than chance. When both sides put every indicator in one and the same category, kappa is
  undefined: None, shown as the no-value mark (i18n.NO_VALUE) (the one answer of `assessment.kappa`, also used by the evaluators' figures).
- `outcome_match`: the rubric outcome of the trainee's observations equals the reference's, and
  `view_match`: the trainee's overall view agrees with the reference panel's decision (positive with
  *aannemelijk*, negative with *niet aannemelijk*; undetermined agrees with neither).
- `elements`: per part the panel gives a finding on (the elements of the legal test, or the dimensions of a
  rubric without elements), where they differ: the instrument's status of the trainee's observations beside
  the reference panel's *finding* (its decision's record, not the instrument's status of its observations;
  a part the panel gave no finding of its own on keeps the instrument's suggestion, as a recorded decision
  does). A reference without a decision has no findings: the instrument's status of its observations stands in.

Only what the trainee's file showed counts: a reference observation whose evidence the training file does
not hold (the panel member's own intake interview, say; `in_file` false, see `shown_in_file`) is kept for
the reference's outcome and findings, but an indicator the reference rated only on such evidence is `unseen`:
it is not counted as missed, and it is left out of the kappa (the trainee could not have seen it).

The group view (trainer): per case, Fleiss' kappa among the trainees who submitted (at least two), each
trainee's kappa with the reference and its mean, the indicators most often missed (present in the
reference, not present for the trainee), and how many trainees reached the reference outcome.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import kappa
from .model import InputDraft, PanelOutcome, View
from .observation import STATUSES, Observation, Status
from .rubric import Rubric
from .scoring import RubricResult, score

CATEGORIES = STATUSES  # present, absent, unknown, not applicable: four ways to rate, four categories
AGREES = {"aannemelijk": "positive", "niet_aannemelijk": "negative"}


class ReferenceObservation(BaseModel):
    """One indicator as a discipline of the reference panel recorded it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discipline: str
    indicator: str
    status: Status
    source: str = ""
    note: str = ""
    # Whether the trainee's file holds this evidence (references stored before this field: all count).
    in_file: bool = True


class Reference(BaseModel):
    """The reference assessment of a training case: the experienced panel's observations and decision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_file: str  # id of the curated case file
    profile: str  # rubric profile of the case
    observations: list[ReferenceObservation] = Field(default_factory=list)
    outcome: PanelOutcome | None = None  # the reference panel's decision, when it decided
    reasons: dict[str, str] = Field(default_factory=dict)
    # The reference panel's finding per part it names (see `reference_findings`); empty without a decision.
    findings: dict[str, View] = Field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorDifference:
    """An indicator the trainee saw differently, with what the reference relied on."""

    indicator: str
    reference_status: str
    trainee_status: str
    sources: tuple[str, ...]  # the reference's sources for its status
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    """One trainee's assessment of one case beside the reference."""

    missed: tuple[IndicatorDifference, ...]  # present in the reference, not for the trainee
    unseen: tuple[str, ...]  # indicators the reference rated only on evidence not in the trainee's file
    added: tuple[IndicatorDifference, ...]  # present for the trainee, not in the reference
    # part -> (instrument's status of the trainee's observations, reference panel's finding), where they differ
    elements: Mapping[str, tuple[str, str]]
    trainee_outcome: str
    reference_outcome: str
    panel_outcome: PanelOutcome | None
    trainee_view: str | None
    kappa: float | None  # None when undefined (see the module docstring)
    outcome_match: bool
    view_match: bool


@dataclass(frozen=True)
class GroupView:
    """All trainees on one case (the trainer's view)."""

    trainees: int
    fleiss_kappa: float | None  # among trainees; None with fewer than two
    kappa_with_reference: dict[str, float | None]  # trainee -> Cohen's kappa (None when undefined)
    mean_kappa: float | None  # over the defined ones
    outcome_matches: int
    most_missed: list[tuple[str, int]]  # indicator, how many trainees missed it (most first)


def _plain(text: str) -> str:
    """A source or title as compared: case and a '(fictief)' / '(fictitious)' mark of the synthetic data aside."""
    return text.casefold().replace("(fictief)", "").replace("(fictitious)", "").strip()


# The application form is always in the trainee's file: the intake is imported with every training case.
APPLICATION_FORM = ("aanvraagformulier", "application form")


def shown_in_file(source: str, titles: list[str]) -> bool:
    """Does the trainee's file hold the evidence `source` names? Yes when it names the application form, or
    when it and a document title of the file contain one another (e.g. 'PV aangifte' and 'Kort PV aangifte
    (fictief)'). No for a source the file has no document for (a member's own interview). No source: counted."""
    src = _plain(source)
    if not src or any(f in src for f in APPLICATION_FORM):
        return True
    return any(t and (src in t or t in src) for t in map(_plain, titles))


def unseen_indicators(reference: Reference) -> set[str]:
    """The indicators the reference recorded only on evidence the trainee's file does not hold."""
    shown = {o.indicator for o in reference.observations if o.in_file}
    return {o.indicator for o in reference.observations} - shown


def reference_result(rubric: Rubric, reference: Reference) -> RubricResult:
    """The rubric result of the reference panel's observations."""
    obs = [Observation(discipline=o.discipline, indicator=o.indicator, status=o.status,
                       source=o.source, note=o.note) for o in reference.observations]
    return score(rubric, reference.profile, obs)


def reference_findings(rubric: Rubric, reference: Reference, named: Mapping[str, View]) -> dict[str, View]:
    """The reference panel's finding per part, as its decision records it: the finding it `named`, else the
    instrument's suggestion from its observations (named findings on parts this rubric does not assess, e.g.
    legal elements under the ILO instrument, do not apply)."""
    return {p: named.get(p, s) for p, s in reference_result(rubric, reference).assessed.items()}


def trainee_result(rubric: Rubric, profile: str, draft: InputDraft) -> RubricResult:
    """The rubric result of one trainee's observations."""
    return score(rubric, profile, [Observation(discipline="trainee", indicator=o.indicator, status=o.status,
                                               source=o.source, note=o.note) for o in draft.observations])


def _statuses(rubric: Rubric, profile: str, result: RubricResult, leave_out: set[str] | None = None) -> list[str]:
    return [result.statuses.get(i, "unknown") for i in rubric.profile(profile).indicators
            if i not in (leave_out or set())]


def _counted(rubric: Rubric, reference: Reference, mine: RubricResult, ref: RubricResult) -> tuple[list[str], list[str]]:
    """The trainee's and the reference's statuses of the indicators that count (the unseen left out)."""
    unseen = unseen_indicators(reference)
    return (_statuses(rubric, reference.profile, mine, unseen), _statuses(rubric, reference.profile, ref, unseen))


def _rounded(k: float | None) -> float | None:
    return None if k is None else round(k, 3)


def cohen(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two raters over CATEGORIES, None when undefined (see the module docstring)."""
    table = np.zeros((len(CATEGORIES), len(CATEGORIES)))
    for x, y in zip(a, b, strict=True):
        table[CATEGORIES.index(x), CATEGORIES.index(y)] += 1
    return _rounded(kappa.cohen(table))


def fleiss(ratings: list[list[str]]) -> float | None:
    """Fleiss' kappa of several raters (one list of statuses each, same indicators); None under two raters
    or when undefined."""
    if len(ratings) < 2:
        return None
    counts = np.array([[sum(r[i] == c for r in ratings) for c in CATEGORIES] for i in range(len(ratings[0]))])
    return _rounded(kappa.fleiss(counts))


def _difference(iid: str, ref: RubricResult, reference: Reference, trainee_status: str) -> IndicatorDifference:
    status = ref.statuses.get(iid, "unknown")
    said = [o for o in reference.observations if o.indicator == iid and o.status == status]
    return IndicatorDifference(iid, status, trainee_status, tuple(o.source for o in said if o.source),
                               tuple(o.note for o in said if o.note))


def feedback(rubric: Rubric, reference: Reference, draft: InputDraft) -> Feedback:
    """The trainee's draft beside the reference: indicators missed and added, the parts where the trainee's
    evidence leads elsewhere than the reference panel's finding, the outcome, and the calibration score."""
    ref = reference_result(rubric, reference)
    mine = trainee_result(rubric, reference.profile, draft)
    order = list(rubric.profile(reference.profile).indicators)
    unseen = unseen_indicators(reference)
    missed = tuple(_difference(i, ref, reference, mine.statuses.get(i, "unknown")) for i in order
                   if ref.statuses.get(i) == "present" and mine.statuses.get(i) != "present" and i not in unseen)
    added = tuple(_difference(i, ref, reference, "present") for i in order
                  if mine.statuses.get(i) == "present" and ref.statuses.get(i) != "present")
    panel = {p: reference.findings.get(p, s) for p, s in ref.assessed.items()} if reference.findings else dict(ref.assessed)
    parts = {p: (mine.assessed[p], found) for p, found in panel.items() if mine.assessed.get(p) != found}
    view_match = reference.outcome is not None and draft.overall_view == AGREES[reference.outcome]
    return Feedback(
        missed=missed, unseen=tuple(i for i in order if i in unseen), added=added, elements=parts, trainee_outcome=mine.outcome, reference_outcome=ref.outcome,
        panel_outcome=reference.outcome, trainee_view=draft.overall_view,
        kappa=cohen(*_counted(rubric, reference, mine, ref)),
        outcome_match=mine.outcome == ref.outcome, view_match=view_match,
    )


def group_view(rubric: Rubric, reference: Reference, drafts: dict[str, InputDraft], top: int = 5) -> GroupView:
    """All trainees' drafts of one case: agreement among them and with the reference, most missed."""
    ref = reference_result(rubric, reference)
    results = {u: trainee_result(rubric, reference.profile, d) for u, d in sorted(drafts.items())}
    unseen = unseen_indicators(reference)
    ref_statuses = _statuses(rubric, reference.profile, ref, unseen)
    ratings = {u: _statuses(rubric, reference.profile, r, unseen) for u, r in results.items()}
    kappas = {u: cohen(s, ref_statuses) for u, s in ratings.items()}
    missed: collections.Counter[str] = collections.Counter()
    for r in results.values():
        missed.update(i for i, s in ref.statuses.items()
                      if s == "present" and r.statuses.get(i) != "present" and i not in unseen)
    order = list(rubric.profile(reference.profile).indicators)
    ranked = sorted(missed.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    return GroupView(
        trainees=len(results), fleiss_kappa=fleiss(list(ratings.values())), kappa_with_reference=kappas,
        mean_kappa=round(sum(defined) / len(defined), 3) if (defined := [k for k in kappas.values() if k is not None])
        else None,
        outcome_matches=sum(r.outcome == ref.outcome for r in results.values()), most_missed=ranked[:top],
    )
