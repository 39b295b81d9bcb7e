"""Case files, one schema module.

A **case file** (`CaseFileModel`, the curated files in pilot_data/cases/*.yaml, documented at the top of each)
holds a whole procedure: intake, consents, documents, each discipline's input with its observations,
hearing, decision. The **score file** that `python -m assessment score` reads (`ScoreFile`) is its scoring
part, a subset: the observations (the same discipline, indicator, status, source and note an input holds,
with the discipline on each), and which rubric profile to apply:

    profile: adult_sexual            # or: age_group: adult, form: sexual (the rubric picks the profile)
    observations:
      - {discipline: police, indicator: coercion_destination.documents, status: present, source: "PV 2018-113"}

or, already consolidated:

    profile: adult_sexual
    indicators: {coercion_destination.documents: present, exploitation.low_salary: unknown}

`score` also takes a whole case file: it then reads that subset from it (the submitted inputs'
observations, the intake's age group and form).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from . import parsecache
from .config import PILOT_DATA
from .errors import CaseFileError, Problem
from .i18n import N_
from .model import (
    AgeGroup,
    CaseStatus,
    ConsentGiver,
    ConsentScope,
    Dissent,
    Form,
    Hearing,
    InputDraft,
    Intake,
    PanelOutcome,
    Space,
)
from .observation import Observation, Status
from .yamlfile import Located, YamlProblem, parse_yaml, read_file_bytes, to_plain, validation_problems


class ScoreFile(BaseModel):
    """What `score` needs of a case: the profile (or the age group and form it follows from) and either
    observations or consolidated indicator statuses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: str | None = Field(default=None, max_length=80)
    age_group: AgeGroup | None = None
    form: Form | None = None
    indicators: dict[str, Status] | None = None
    observations: list[Observation] | None = Field(default=None, max_length=100_000)


def parse_score_file(raw: bytes | str, filename: str = "<case>") -> ScoreFile:
    """Validate a score file, or a whole case file read as one; every problem is reported with file, line
    and field."""
    try:
        located = parse_yaml(raw, filename)
    except YamlProblem as exc:
        raise CaseFileError([exc.problem]) from None
    return _validate(located)


def read_score_file(path: str | Path) -> ScoreFile:
    """Read a score file (or a whole case file) from disk."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CaseFileError([Problem.of(str(path), None, "", N_("cannot read file: {reason}"), reason=exc.strerror)]) from None
    return parse_score_file(raw, str(path))


def _validate(located: Located) -> ScoreFile:
    if not isinstance(located.data, dict):
        raise CaseFileError([Problem.of(located.filename, 1, "", N_("a case file must be a mapping of keys to values"))])
    if "intake" in located.data:  # a whole case file: its scoring part
        return scoring_part(_full(located, "nl"))
    try:
        case = ScoreFile.model_validate(to_plain(located.data))
    except PydanticValidationError as exc:
        raise CaseFileError(validation_problems(exc.errors(include_url=False), located)) from None
    if (case.indicators is None) == (case.observations is None):
        raise CaseFileError([Problem.of(located.filename, 1, "", N_("give either 'indicators' or 'observations'"))])
    return case


# ---------------------------------------------------------------------------------------------------------
# The whole case file (curated cases, demo and training): every free text a user reads may be a plain string
# or `{nl: ..., en: ...}`; `read_case_file` takes the texts of one language (the title keeps both).

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConsentEntry(_Strict):
    scope: ConsentScope
    given_on: dt.date
    given_by: ConsentGiver = "applicant"  # the legal representative for an applicant under 16
    revoked_on: dt.date | None = None


class RecipientEntry(_Strict):
    """Consent to share the advice with one named recipient, and who gave it."""

    name: str = Field(min_length=1, max_length=200)
    given_on: dt.date
    given_by: Literal["applicant", "legal_representative"] = "applicant"
    revoked_on: dt.date | None = None


class DocumentEntry(_Strict):
    source: str
    kind: str
    received_on: dt.date
    title: str = ""


class ChronologyItem(_Strict):
    on: dt.date
    fact: str


class InputEntry(_Strict):
    submitted: bool = True
    draft: InputDraft


class DecisionEntry(_Strict):
    outcome: PanelOutcome
    reasons: dict[str, str]
    # The panel's finding per element (positive = aannemelijk gemaakt, negative = niet aannemelijk gemaakt,
    # undetermined = onvoldoende informatie); an element not named keeps the instrument's suggestion.
    findings: dict[str, Literal["positive", "negative", "undetermined"]] = Field(default_factory=dict)
    override_reason: str = ""
    dissents: list[Dissent] = Field(default_factory=list)


class WithdrawalEntry(_Strict):
    reason: str


class ExpectedEntry(_Strict):
    """What the case must come to after import (checked by tests/test_curated_cases.py)."""

    status: CaseStatus
    rubric_outcome: Literal["plausible", "not_plausible", "undetermined"] | None = None  # of submitted input
    # the instrument's status per part (element of the legal test, or dimension) of the submitted input
    dimensions: dict[str, Literal["positive", "negative", "undetermined"]] = Field(default_factory=dict)
    # the panel's finding per element, as the decision records it and the letter prints it
    findings: dict[str, Literal["positive", "negative", "undetermined"]] = Field(default_factory=dict)


class CaseFileModel(_Strict):
    """One curated case: the intake, and optionally how far the procedure got."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="stable id of the file, not the case reference")
    title: dict[str, str] = Field(description="nl/en one-line description of what the case demonstrates")
    space: Space = "real"
    intake: Intake
    consents: list[ConsentEntry] = Field(default_factory=list)
    recipients: list[RecipientEntry] = Field(default_factory=list)
    admissibility: dict[str, str] | None = None  # {decision: admissible|inadmissible, reasons: ...}
    panel: list[str] = Field(default_factory=list)  # disciplines; the demo member of each is seated
    documents: list[DocumentEntry] = Field(default_factory=list)
    chronology: list[ChronologyItem] = Field(default_factory=list)
    inputs: dict[str, InputEntry] = Field(default_factory=dict)  # discipline -> input
    hearing: Hearing | None = None
    deliberation: bool = False
    decision: DecisionEntry | None = None
    withdrawal: WithdrawalEntry | None = None
    expected: ExpectedEntry | None = None


Lang = Literal["nl", "en"]


def pick_language(value: Any, lang: Lang) -> Any:
    """`value` with every `{nl: ..., en: ...}` text replaced by its `lang` text (plain strings stay)."""
    if isinstance(value, dict):
        if set(value) == {"nl", "en"} and all(isinstance(v, str) for v in value.values()):
            return value[lang]
        return {k: pick_language(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [pick_language(v, lang) for v in value]
    return value


def read_case_file(path: Path, lang: Lang = "nl") -> CaseFileModel:
    """Validate a curated case file, taking its texts in `lang`; every problem is reported with file,
    line and field.

    A file shipped with the tool (under pilot_data/: synthetic) that was read and validated before is taken
    from assessment.parsecache (the demo reads every curated file at each first start, the tests dozens of
    times) and validated again; an entry that no longer validates is parsed afresh, so its problems still come
    with their lines. Any other file is never kept there: a file a user imports holds personal data, which
    lives in the store alone."""
    try:
        raw = read_file_bytes(str(path))
    except YamlProblem as exc:
        raise CaseFileError([exc.problem]) from None
    shipped = Path(path).resolve().is_relative_to(PILOT_DATA)
    plain = parsecache.cached(raw) if shipped else None
    if plain is not None:
        try:
            return _model(plain, lang)
        except PydanticValidationError:
            pass
    try:
        located = parse_yaml(raw, str(path))
    except YamlProblem as exc:
        raise CaseFileError([exc.problem]) from None
    case_file = _full(located, lang)
    if shipped:
        parsecache.remember(raw, to_plain(located.data))
    return case_file


def _model(plain: Any, lang: Lang) -> CaseFileModel:
    if isinstance(plain, dict):
        # The title is the one field that keeps both languages.
        plain = {k: (v if k == "title" else pick_language(v, lang)) for k, v in plain.items()}
    return CaseFileModel.model_validate(plain)


def _full(located: Located, lang: Lang) -> CaseFileModel:
    try:
        return _model(to_plain(located.data), lang)
    except PydanticValidationError as exc:
        raise CaseFileError(validation_problems(exc.errors(include_url=False), located)) from None




def scoring_part(cf: CaseFileModel) -> ScoreFile:
    """The score file a whole case file contains: its submitted inputs' observations (medical ones only
    under a medical consent not revoked, as in the panel's own result), its intake's age group and form
    (the rubric picks the profile from them)."""
    medical_ok = any(c.scope == "medical" and c.revoked_on is None for c in cf.consents)
    observations = [
        Observation(discipline=d, indicator=o.indicator, status=o.status, source=o.source, note=o.note)
        for d, entry in cf.inputs.items()
        if entry.submitted and (d != "medical" or medical_ok)
        for o in entry.draft.observations
    ]
    return ScoreFile(age_group=cf.intake.age_group, form=cf.intake.form, observations=observations)
