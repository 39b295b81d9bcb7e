"""The evaluators' input: the analysable facts of one case, and nothing that identifies a person.

A `CaseFacts` holds dates, categories and ratings; never a name, date of birth, contact detail or free
text. Exports turn its dates into durations and year-months and its age into a band.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..observation import Status

CaseStatus = Literal["received", "inadmissible", "withdrawn", "in_progress", "decided", "letter_issued"]
CASE_STATUSES: tuple[CaseStatus, ...] = (
    "received",
    "inadmissible",
    "withdrawn",
    "in_progress",
    "decided",
    "letter_issued",
)
ExploitationForm = Literal["sexual", "labour", "criminal", "other"]
FORMS: tuple[ExploitationForm, ...] = ("sexual", "labour", "criminal", "other")
Gender = Literal["female", "male", "other", "unknown"]
GENDERS: tuple[Gender, ...] = ("female", "male", "other", "unknown")
Route = Literal["report_dismissal", "exception"]
ROUTES: tuple[Route, ...] = ("report_dismissal", "exception")
AgeBand = Literal["0-17", "18-24", "25-34", "35-44", "45+", "unknown"]
AGE_BANDS: tuple[AgeBand, ...] = ("0-17", "18-24", "25-34", "35-44", "45+", "unknown")
PanelOutcome = Literal["plausible", "not_plausible"]
PANEL_OUTCOMES: tuple[PanelOutcome, ...] = ("plausible", "not_plausible")
View = Literal["positive", "negative", "undetermined"]
VIEWS: tuple[View, ...] = ("positive", "negative", "undetermined")
OverallView = Literal["plausible", "not_plausible", "undetermined"]
OVERALL_VIEWS: tuple[OverallView, ...] = ("plausible", "not_plausible", "undetermined")
FollowUpKind = Literal["residence_permit", "care", "compensation"]
FOLLOW_UP_KINDS: tuple[FollowUpKind, ...] = ("residence_permit", "care", "compensation")
FollowUpStatus = Literal["granted", "refused", "pending", "unknown"]
FOLLOW_UP_STATUSES: tuple[FollowUpStatus, ...] = ("granted", "refused", "pending", "unknown")

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Key = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]

# Statuses in which the panel has decided (the advice exists, with or without its letter).
DECIDED: frozenset[str] = frozenset({"decided", "letter_issued"})
# Statuses of a case that is still open.
OPEN: frozenset[str] = frozenset({"received", "in_progress"})


def age_band(age: int | None) -> AgeBand:
    """The band an age at application falls in; `unknown` when the age is not known."""
    if age is None:
        return "unknown"
    if age < 18:
        return "0-17"
    if age < 25:
        return "18-24"
    if age < 35:
        return "25-34"
    if age < 45:
        return "35-44"
    return "45+"


class DisciplineFacts(BaseModel):
    """One discipline's input on one case: its indicator ratings, its view per dimension, its overall view."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discipline: Slug
    indicators: dict[str, Status] = Field(default_factory=dict)
    dimensions: dict[str, View] = Field(default_factory=dict)
    overall: OverallView | None = None


class CaseFacts(BaseModel):
    """What the figures need of one case. `key` is a pseudonymous case key, never a name or file number
    the applicant could be traced by outside the tool; exports replace it again by a fresh key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    received: date
    admissibility_decided: date | None = None
    file_complete: date | None = None
    hearing: date | None = None
    decided: date | None = None
    letter: date | None = None
    status: CaseStatus
    form: ExploitationForm
    nationality: Country | None = None
    gender: Gender = "unknown"
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_band: AgeBand = "unknown"
    # Known even without an age (the intake records adult or child); derived from the age band otherwise.
    age_group: Literal["adult", "child"] | None = None
    route: Route
    rubric_id: str | None = None
    rubric_version: str | None = None
    profile: str | None = None
    rubric_outcome: str | None = None
    panel_outcome: PanelOutcome | None = None
    override_reason: bool = False
    override_category: Slug | None = None
    disciplines: list[DisciplineFacts] = Field(default_factory=list)
    follow_up: dict[FollowUpKind, FollowUpStatus] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> CaseFacts:
        if self.age is not None:
            band = age_band(self.age)
            if self.age_band not in ("unknown", band):
                raise ValueError(f"age {self.age} does not fall in age band {self.age_band}")
            object.__setattr__(self, "age_band", band)  # frozen model: set the derived band once
        if self.age_band != "unknown":
            group = "child" if self.age_band == "0-17" else "adult"
            if self.age_group not in (None, group):
                raise ValueError(f"age band {self.age_band} does not fit age group {self.age_group}")
            object.__setattr__(self, "age_group", group)
        order = [
            ("received", self.received),
            ("admissibility_decided", self.admissibility_decided),
            ("decided", self.decided),
            ("letter", self.letter),
        ]
        known = [(n, d) for n, d in order if d is not None]
        for (n1, d1), (n2, d2) in zip(known, known[1:], strict=False):
            if d2 < d1:
                raise ValueError(f"{n2} ({d2}) is before {n1} ({d1})")
        for name in ("file_complete", "hearing"):
            d = getattr(self, name)
            if d is not None and d < self.received:
                raise ValueError(f"{name} ({d}) is before received ({self.received})")
        if self.panel_outcome is not None and self.status not in DECIDED:
            raise ValueError(f"a panel outcome needs status decided or letter_issued, not {self.status}")
        if self.override_category is not None and not self.override_reason:
            raise ValueError("an override category needs override_reason")
        return self

    @property
    def is_decided(self) -> bool:
        """The panel has given its advice (a panel outcome implies a decided status, see the validator)."""
        return self.panel_outcome is not None
