"""The domain's values: who acts (User), what a case holds, and what each stage records.

Analysable facts (dates, form, nationality, gender, birth year, route, outcomes, statuses) and
personal data (names, contact, the sector, every free text) are separate models, stored in separate tables; an
evaluator only ever receives `AnalysableCase`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from . import age
from .age import AgeGroup as AgeGroup  # re-exported: the model names every value type
from .errors import RuleError
from .i18n import N_
from .observation import Status

Role = Literal["secretary", "member", "chair", "evaluator", "trainer", "trainee", "admin"]
ROLES: tuple[Role, ...] = ("secretary", "member", "chair", "evaluator", "trainer", "trainee", "admin")

Space = Literal["real", "training"]
# "hearing": the panel found too little information and sent the case to a hearing (back to deliberation once the
# hearing report is settled); "set_aside": too little information to advise on the merits, no advice given.
CaseStatus = Literal["intake", "inadmissible", "assessment", "deliberation", "hearing", "set_aside", "decided",
                     "withdrawn"]
CASE_STATUSES: tuple[CaseStatus, ...] = ("intake", "inadmissible", "assessment", "deliberation", "hearing",
                                         "set_aside", "decided", "withdrawn")
Route = Literal["report", "exception"]
RouteEnd = Literal["dismissal", "acquittal"]
# The ground of the dismissal (sepot) or acquittal, where known. Which grounds fit which end: ROUTE_END_GROUNDS.
RouteEndGround = Literal["insufficient_evidence", "suspect_unknown", "policy", "not_proven", "other"]
ROUTE_END_GROUNDS: dict[RouteEnd, tuple[RouteEndGround, ...]] = {
    "dismissal": ("insufficient_evidence", "suspect_unknown", "policy", "other"),
    "acquittal": ("not_proven", "other"),
}
# The exception to the report route (Stcrt. 2017, 74288): no report because of serious threats, or because of a
# medical or psychological limitation, the latter supported by a statement.
ExceptionGround = Literal["serious_threats", "medical_psychological"]
# Where the exploitation (or a preparatory act) took place: it must be (partly) in the Netherlands.
ExploitationInNl = Literal["in_nl", "partly_in_nl", "not_in_nl", "unknown"]
# A requirement of admissibility that was not met: what an inadmissible decision names as its ground.
# "other": a requirement of the regulation outside these (its reasons say which).
InadmissibleGround = Literal["not_in_nl", "no_report", "late", "no_exception_ground", "no_statement", "other"]
INADMISSIBLE_GROUNDS: tuple[InadmissibleGround, ...] = ("not_in_nl", "no_report", "late", "no_exception_ground",
                                                        "no_statement", "other")
# What the panel does with a case whose information is too thin for an advice on the merits.
Deferral = Literal["set_aside", "hearing"]
Form = Literal["sexual", "labour", "criminal", "other"]
Gender = Literal["female", "male", "x", "unknown"]
FilingParty = Literal["lawyer", "ngo", "self", "care_provider", "other"]
ResidenceStatus = Literal["none", "asylum_pending", "b8_permit", "regular", "eu_citizen", "dutch", "unknown"]
ConsentScope = Literal["police_file", "immigration_file", "medical", "care_file", "inform_third_parties"]
CONSENT_SCOPES: tuple[ConsentScope, ...] = ("police_file", "immigration_file", "medical", "care_file", "inform_third_parties")
Admissibility = Literal["admissible", "inadmissible"]
PanelOutcome = Literal["aannemelijk", "niet_aannemelijk"]
# A view on a dimension or legal element: a member's, the panel's finding, the engine's status.
View = Literal["positive", "negative", "undetermined"]
VIEWS: tuple[View, ...] = ("positive", "negative", "undetermined")
Confidence = Literal["low", "medium", "high"]
ObsStatus = Status  # one definition: assessment.observation
FollowUpKind = Literal["residence_permit", "care", "compensation"]
FollowUpResult = Literal["granted", "refused", "pending", "not_applied"]
# Who reported back on using the issued advice, and whether they followed it (issue #16, item 3).
AdviceUser = Literal["ind", "prosecution", "municipality", "care"]
AdviceFollowed = Literal["followed", "not_followed", "unknown"]
DocumentSource = Literal["applicant", "police", "immigration", "care", "medical", "labour", "lawyer", "other"]
DeadlineState = Literal["due", "overdue", "met", "met_late"]

# The prefix of a case reference per space: a training case must never pass for a real one (issue #15, item 6).
# Training cases made before the TRN prefix keep their AAN reference; both forms are valid references.
REF_PREFIX: dict[Space, str] = {"real": "AAN", "training": "TRN"}
REF_PATTERN = re.compile(rf"^({'|'.join(REF_PREFIX.values())})-\d{{4}}-\d{{4}}$")
Username = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{1,39}$")]
# The length limits of free text: defined here once; the services check them and the pages read them (a field
# shows its limit and a counter, and refuses more).
SHORT_MAX = 200  # names, contacts, sector, place
SOURCE_MAX = 2000  # an indicator's source
LONG_MAX = 20_000  # notes, reasons, facts
Short = Annotated[str, StringConstraints(max_length=SHORT_MAX)]
LongText = Annotated[str, StringConstraints(max_length=LONG_MAX)]


class Value(BaseModel):
    """Base of the domain values: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class User(Value):
    """Who acts. Every service takes one as its second argument."""

    username: Username
    role: Role
    discipline: str | None = None
    display_name: Short = ""

    @model_validator(mode="after")
    def _discipline_fits_role(self) -> User:
        from . import disciplines  # the registry reads its file on first use, not at import

        if self.role == "member" and self.discipline not in disciplines.ids():
            raise RuleError(N_("a member needs exactly one discipline: one of {disciplines}"),
                            disciplines=", ".join(disciplines.ids()))
        if self.role not in ("member", "trainee") and self.discipline is not None:
            from .vocabulary import Term  # the vocabulary reads the disciplines file, as above

            raise RuleError(N_("a {role} has no discipline"), role=Term("role", self.role))
        return self


class UserRecord(User):
    """A user as the user list shows it (never the password hash)."""

    disabled: bool = False
    demo: bool = False
    locked_until: str | None = None


class Applicant(Value):
    """Personal data of the applicant: stored apart, never shown to evaluators."""

    name: Short = ""
    date_of_birth: dt.date | None = None
    contact: Short = ""
    representative: Short = ""
    representative_contact: Short = ""
    place_of_exploitation: Short = ""
    exception_reason: LongText = ""
    exception_statement_by: Short = ""  # who made the medical or psychological statement (e.g. "GZ-psycholoog")
    notes: LongText = ""


class Intake(Value):
    """What the secretary registers when an application comes in."""

    received_on: dt.date
    route: Route
    route_end: RouteEnd | None = None  # dismissal (sepot) or acquittal, on the report route
    route_end_on: dt.date | None = None
    route_end_ground: RouteEndGround | None = None  # where known
    reported_on: dt.date | None = None
    exception_ground: ExceptionGround | None = None  # on the exception route
    exception_statement_on: dt.date | None = None  # the medical or psychological statement, dated
    exploitation_in_nl: ExploitationInNl = "unknown"
    form: Form
    sector: Short = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    residence_status: ResidenceStatus = "unknown"
    gender: Gender = "unknown"
    nationality: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$|^$")] = ""  # ISO 3166 alpha-2
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    # The age at the START of the exploitation (assessment.age): derived from the birth data and the start of the
    # exploitation when they tell; the secretary's choice only where they do not.
    age_group: AgeGroup = "adult"
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]] = Field(default_factory=list)
    interpreter: bool = False
    filing_party: FilingParty = "self"
    # The language the case's texts are typed in (facts, reasons, dissent): a letter in the other language
    # shows them as written and marks them.
    text_language: Literal["nl", "en"] = "nl"
    applicant: Applicant = Field(default_factory=Applicant)

    @model_validator(mode="after")
    def _route_rules(self) -> Intake:
        if self.route == "report" and (self.route_end is None or self.route_end_on is None):
            raise RuleError(N_("The report route needs the dismissal or acquittal and its date."), field="route_end_on")
        if self.route == "exception" and not self.applicant.exception_reason.strip():
            raise RuleError(N_("The exception route needs its reason."), field="applicant.exception_reason")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise RuleError(N_("The period of exploitation ends before it starts."), field="period_end")
        if self.route_end_on and self.route_end_on > self.received_on:
            raise RuleError(N_("The dismissal or acquittal date lies after the application."), field="route_end_on")
        if self.route_end_ground is not None and (
                self.route_end is None or self.route_end_ground not in ROUTE_END_GROUNDS[self.route_end]):
            raise RuleError(N_("This ground does not fit a dismissal or an acquittal."), field="route_end_ground")
        if self.route == "report" and (self.exception_ground or self.exception_statement_on):
            raise RuleError(N_("A ground for the exception belongs to the exception route."), field="exception_ground")
        if self.exception_ground == "medical_psychological" and self.exception_statement_on is None:
            raise RuleError(N_("A medical or psychological limitation needs the date of the statement that supports it."),
                            field="exception_statement_on")
        if self.exception_statement_on and self.exception_statement_on > self.received_on:
            raise RuleError(N_("The statement is dated after the application."), field="exception_statement_on")
        derived = age.age_group_at_start(self.applicant.date_of_birth, self.birth_year, self.period_start)
        if derived is not None and derived != self.age_group:
            object.__setattr__(self, "age_group", derived)  # frozen model: the one definition wins
        return self


class PanelSeat(Value):
    discipline: str
    username: str
    assigned_on: str
    coi_declared_on: str | None = None  # declaration of no conflict of interest


ConsentGiver = Literal["applicant", "legal_representative"]


class Consent(Value):
    id: int
    scope: ConsentScope
    given_on: dt.date
    given_by: ConsentGiver = "applicant"  # the legal representative for an applicant under 16 (UAVG art. 5)
    revoked_on: dt.date | None = None
    version: int

    @property
    def active(self) -> bool:
        return self.revoked_on is None


class RecipientConsent(Value):
    """Consent to share the advice with one named recipient (a copy of the letter goes only to these)."""

    id: int
    recipient: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    given_on: dt.date
    given_by: ConsentGiver
    revoked_on: dt.date | None = None
    version: int

    @property
    def active(self) -> bool:
        return self.revoked_on is None


class Document(Value):
    id: int
    source: DocumentSource
    kind: Short
    received_on: dt.date
    title: Short = ""
    consent_scope: ConsentScope | None = None
    media_type: str | None = None
    size: int | None = None
    hidden: bool = False  # its consent was revoked: shown to nobody, kept for the audit trail


class ChronologyEntry(Value):
    id: int
    on: dt.date
    fact: LongText


class ObservationInput(Value):
    """One indicator as a member records it."""

    indicator: Annotated[str, StringConstraints(min_length=1, max_length=160)]
    status: ObsStatus
    source: Annotated[str, StringConstraints(max_length=SOURCE_MAX)] = ""
    note: LongText = ""


class DimensionView(Value):
    dimension: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    view: View
    reasons: LongText = ""


class InputDraft(Value):
    """A discipline's input as typed so far (also what a save sends)."""

    observations: list[ObservationInput] = Field(default_factory=list, max_length=2000)
    dimension_views: list[DimensionView] = Field(default_factory=list, max_length=100)
    overall_view: View | None = None
    confidence: Confidence | None = None
    overall_reasons: LongText = ""
    inconsistency_notes: LongText = ""

    @field_validator("observations")
    @classmethod
    def _one_per_indicator(cls, v: list[ObservationInput]) -> list[ObservationInput]:
        seen = [o.indicator for o in v]
        dupes = sorted({i for i in seen if seen.count(i) > 1})
        if dupes:
            raise RuleError(N_("indicator recorded twice: {indicators}"), indicators=", ".join(dupes))
        return v


class DisciplineInput(Value):
    """A stored input as a viewer may see it; `notes_hidden` says free text was withheld from this viewer."""

    discipline: str
    username: str
    submitted: bool
    submitted_at: str | None
    version: int
    draft: InputDraft
    notes_hidden: bool = False


InterpreterGender = Literal["female", "male"]


class Hearing(Value):
    """The hearing: held by at least two panel members (plausibility.HEARING_QUORUM), with an interpreter where
    needed; its report goes to the applicant for correction before deliberation relies on it."""

    held_on: dt.date
    members: list[str]
    interpreter: bool = False
    interpreter_language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$|^$")] = ""
    interpreter_gender: InterpreterGender | None = None  # only where the applicant asked for one
    summary: LongText = ""
    report_sent_on: dt.date | None = None  # the report sent to the applicant for correction
    # The applicant's reply (or the day the term for it ended without one) and the corrections it made.
    corrections_received_on: dt.date | None = None
    corrections: LongText = ""

    @model_validator(mode="after")
    def _report_rules(self) -> Hearing:
        if not self.interpreter and (self.interpreter_language or self.interpreter_gender):
            raise RuleError(N_("An interpreter's language or gender needs an interpreter."), field="interpreter")
        if self.report_sent_on and self.report_sent_on < self.held_on:
            raise RuleError(N_("The report cannot be sent before the hearing was held."), field="report_sent_on")
        if self.corrections_received_on and (self.report_sent_on is None
                                             or self.corrections_received_on < self.report_sent_on):
            raise RuleError(N_("Corrections are received after the report was sent, and need their date."),
                            field="corrections_received_on")
        if self.corrections.strip() and self.corrections_received_on is None:
            raise RuleError(N_("Corrections are received after the report was sent, and need their date."),
                            field="corrections_received_on")
        return self

    @property
    def report_settled(self) -> bool:
        """The applicant had the report for correction and replied (or the term ended): deliberation may use it."""
        return self.report_sent_on is not None and self.corrections_received_on is not None


class Dissent(Value):
    username: str
    text: LongText


class DecisionDraft(Value):
    """The chair's decision as typed so far, saved with every change (services.save_decision_draft): kept
    across page reloads, and after reopening a case it holds the voided decision's content. Nothing in it
    is checked against the rules of a decision until it is recorded."""

    outcome: PanelOutcome | None = None
    findings: dict[str, View] = Field(default_factory=dict)  # per part, as chosen in the form
    reasons: dict[str, LongText] = Field(default_factory=dict)  # per part, and "overall"
    override_reason: LongText = ""
    dissents: dict[str, LongText] = Field(default_factory=dict)  # username -> text


class Decision(Value):
    id: int
    outcome: PanelOutcome
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    rubric_outcome: str
    departs_from_rubric: bool
    reasons: dict[str, str]  # per dimension (and "overall")
    # The panel's own finding per dimension (defaults to the rubric's status when the chair gave none).
    findings: dict[str, View] = Field(default_factory=dict)
    override_reason: str = ""
    dissents: list[Dissent] = Field(default_factory=list)
    decided_at: str
    decided_by: str
    voided_at: str | None = None
    void_reason: str = ""


class FollowUp(Value):
    kind: FollowUpKind
    result: FollowUpResult
    on: dt.date | None = None


class AdviceUse(Value):
    """What a recipient of the issued advice reported back: whether it followed the advice, and when."""

    by: AdviceUser
    followed: AdviceFollowed
    on: dt.date | None = None


class Deadline(Value):
    stage: str
    opened_on: dt.date
    due_on: dt.date
    state: DeadlineState


class CaseSummary(Value):
    """One row of the case list: no personal data, so every role that may list cases may see it."""

    ref: str
    space: Space
    status: CaseStatus
    received_on: dt.date
    form: Form
    route: Route
    version: int


class CaseView(Value):
    """A case as one viewer may see it; parts this viewer may not see are None or empty."""

    ref: str
    space: Space
    status: CaseStatus
    version: int
    intake: Intake | None  # None when the viewer may not see personal data
    received_on: dt.date
    form: Form
    admissibility: Admissibility | None
    admissibility_reasons: str = ""
    # the requirements an inadmissible decision found unmet (labels: vocabulary kind "inadmissible_ground")
    inadmissible_grounds: list[InadmissibleGround] = Field(default_factory=list)
    within_term: bool | None  # the 4-week term after dismissal or acquittal (None on the exception route)
    deferral: Deferral | None = None  # too little information: set aside, or sent to a hearing
    deferred_on: dt.date | None = None
    deferral_reasons: str = ""
    withdrawn_reason: str = ""
    panel: list[PanelSeat]
    consents: list[Consent]
    recipients: list[RecipientConsent] = Field(default_factory=list)  # consents to share the advice, per recipient
    documents: list[Document]
    chronology: list[ChronologyEntry]
    hearing: Hearing | None
    decision: Decision | None
    voided_decisions: list[Decision]
    followups: list[FollowUp]
    deadlines: list[Deadline]
    letter_issued_on: dt.date | None
    file_complete_on: dt.date | None = None  # the secretary marked the file complete (services.mark_file_complete)
    advice_uses: list[AdviceUse] = Field(default_factory=list)  # per recipient (services.record_advice_use)


class AnalysableCase(Value):
    """What an evaluator may see of one case: facts and outcomes, no names, no free text."""

    ref: str
    status: CaseStatus
    received_on: dt.date
    route: Route
    route_end: RouteEnd | None
    route_end_on: dt.date | None
    form: Form
    nationality: str
    gender: Gender
    birth_year: int | None
    age_group: AgeGroup
    period_start: dt.date | None = None  # the start of the exploitation: the evaluators' age is the age then
    residence_status: ResidenceStatus
    filing_party: FilingParty
    interpreter: bool
    admissibility: Admissibility | None
    admissibility_on: dt.date | None
    # The procedure's structured facts (no free text): admissibility, exception, hearing, deferral.
    exploitation_in_nl: ExploitationInNl = "unknown"
    route_end_ground: RouteEndGround | None = None
    exception_ground: ExceptionGround | None = None
    inadmissible_grounds: list[InadmissibleGround] = Field(default_factory=list)
    within_term: bool | None = None
    hearing_members: int | None = None
    hearing_interpreter: bool | None = None  # None: no hearing recorded
    interpreter_language: str | None = None
    interpreter_gender: InterpreterGender | None = None
    hearing_report_sent_on: dt.date | None = None
    hearing_corrections_on: dt.date | None = None
    deferral: Deferral | None = None
    deferred_on: dt.date | None = None
    file_complete_on: dt.date | None
    hearing_on: dt.date | None
    deliberation_on: dt.date | None
    decided_on: dt.date | None
    withdrawn_on: dt.date | None
    letter_issued_on: dt.date | None
    panel_outcome: PanelOutcome | None
    rubric_outcome: str | None
    rubric_id: str | None = None  # the rubric of the decision in force, for "rubric versions in force"
    rubric_version: str | None = None
    rubric_dimensions: dict[str, str]
    findings: dict[str, str] = Field(default_factory=dict)  # the panel's finding per part (live decision)
    departs_from_rubric: bool | None
    dissent_count: int
    indicator_statuses: dict[str, dict[str, ObsStatus]]  # discipline -> indicator -> status (submitted only)
    dimension_views: dict[str, dict[str, View]]  # discipline -> dimension -> view
    overall_views: dict[str, View]
    followups: list[FollowUp]
    advice_uses: list[AdviceUse] = Field(default_factory=list)
