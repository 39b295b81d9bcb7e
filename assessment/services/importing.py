"""Importing curated case files (pilot_data/cases/*.yaml) and loading the demo (accounts and cases).

The case-file format is documented at the top of each shipped file; `CaseFileModel` is its schema.

Languages: every free text a user reads (reasons, facts, notes, summaries, names of documents) may be a
plain string or `{nl: ..., en: ...}`. The importer takes a `lang` and stores the text of that language
only: the database holds one language per case, as a real file does (the panel works in Dutch; an English
demo database is imported with `lang="en"`). The file's `title` keeps both languages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from ..errors import CaseFileError, ValidationError
from ..model import CaseStatus, ConsentScope, Dissent, Hearing, InputDraft, Intake, PanelOutcome, Space, User
from ..rubric import PILOT_DATA, Rubric
from ..store import Store
from ..synthetic import SyntheticCase
from ..yamlfile import YamlProblem, read_yaml_file, to_plain, validation_problems
from . import cases, decisions, inputs, users

DEMO_CASES = PILOT_DATA / "cases"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConsentEntry(_Strict):
    scope: ConsentScope
    given_on: dt.date
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
    override_reason: str = ""
    dissents: list[Dissent] = Field(default_factory=list)


class WithdrawalEntry(_Strict):
    reason: str


class ExpectedEntry(_Strict):
    """What the case must come to after import (checked by tests/test_curated_cases.py)."""

    status: CaseStatus
    rubric_outcome: Literal["plausible", "not_plausible", "undetermined"] | None = None  # of submitted input
    dimensions: dict[str, Literal["positive", "negative", "undetermined"]] = Field(default_factory=dict)


class CaseFileModel(_Strict):
    """One curated case: the intake, and optionally how far the procedure got."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="stable id of the file, not the case reference")
    title: dict[str, str] = Field(description="nl/en one-line description of what the case demonstrates")
    space: Space = "real"
    intake: Intake
    consents: list[ConsentEntry] = Field(default_factory=list)
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
    line and field."""
    try:
        located = read_yaml_file(str(path))
    except YamlProblem as exc:
        raise CaseFileError([exc.problem]) from None
    try:
        plain = to_plain(located.data)
        if isinstance(plain, dict):
            # The title is the one field that keeps both languages.
            plain = {k: (v if k == "title" else pick_language(v, lang)) for k, v in plain.items()}
        return CaseFileModel.model_validate(plain)
    except PydanticValidationError as exc:
        raise CaseFileError(validation_problems(exc.errors(include_url=False), located)) from None


def import_case_file(store: Store, user: User, path: Path, rubric: Rubric | None = None, *,
                     lang: Lang = "nl") -> str:
    """Import one curated case file through the services (so access and audit apply as for a person);
    members' steps are taken as the demo member of each discipline; texts in `lang`. Returns the new
    reference."""
    cf = read_case_file(path, lang)
    ref = cases.create_case(store, user, cf.intake, space=cf.space)
    consent_ids = {}
    for c in cf.consents:
        consent_ids[c.scope] = cases.record_consent(store, user, ref, c.scope, c.given_on)
    for d in cf.documents:
        cases.add_document(store, user, ref, source=d.source, kind=d.kind, received_on=d.received_on,  # type: ignore[arg-type]
                           title=d.title)
    for item in cf.chronology:
        cases.add_chronology(store, user, ref, item.on, item.fact)
    for discipline in cf.panel:
        cases.assign_panel(store, user, ref, discipline, discipline, no_conflict_declared=True)
    if cf.admissibility:
        version = cases.get_case(store, user, ref).version
        decision = cf.admissibility.get("decision")
        if decision not in ("admissible", "inadmissible"):
            raise ValidationError(f"{path}: admissibility.decision must be admissible or inadmissible")
        cases.decide_admissibility(store, user, ref, decision, cf.admissibility.get("reasons", ""), version)  # type: ignore[arg-type]
    for discipline, entry in cf.inputs.items():
        member = users.user_by_name(store, discipline)
        v = inputs.save_input_draft(store, member, ref, entry.draft, None, rubric=rubric)
        if entry.submitted:
            inputs.submit_input(store, member, ref, v)
    if cf.hearing:
        cases.record_hearing(store, user, ref, cf.hearing)
    for c in cf.consents:
        if c.revoked_on:
            cases.revoke_consent(store, user, ref, consent_ids[c.scope], "case file", 1, on=c.revoked_on)
    if cf.withdrawal:
        cases.withdraw_case(store, user, ref, cf.withdrawal.reason, cases.get_case(store, user, ref).version)
    if cf.deliberation or cf.decision:
        decisions.open_deliberation(store, user, ref, cases.get_case(store, user, ref).version)
    if cf.decision and rubric is not None:
        decisions.record_decision(store, user, ref, outcome=cf.decision.outcome, reasons=cf.decision.reasons,
                                  rubric=rubric, expected_version=cases.get_case(store, user, ref).version,
                                  override_reason=cf.decision.override_reason, dissents=cf.decision.dissents)
    return ref


def load_demo(store: Store, rubric: Rubric | None = None, directory: Path = DEMO_CASES) -> list[str]:
    """The demo: the demo accounts, then every case file in `directory` (sorted by name), imported by the
    demo chair (and the demo trainer for training cases). Returns the new references."""
    users.load_demo_users(store)
    chair = users.user_by_name(store, "chair")
    trainer = users.user_by_name(store, "trainer")
    refs = []
    for path in sorted(directory.glob("*.yaml")):
        space = read_case_file(path).space
        refs.append(import_case_file(store, trainer if space == "training" else chair, path, rubric))
    return refs


def load_synthetic(store: Store, user: User, generated: list[SyntheticCase], rubric: Rubric) -> list[str]:
    """Register generated cases through the services, as `user` (a chair) and the demo members, so access
    and the audit chain apply as for any case. Returns the new references."""
    refs = []
    for g in generated:
        ref = cases.create_case(store, user, g.intake)
        cases.record_consent(store, user, ref, "police_file", g.intake.received_on)
        if "medical" in g.panel:
            cases.record_consent(store, user, ref, "medical", g.intake.received_on)
        for discipline in g.panel:
            cases.assign_panel(store, user, ref, discipline, discipline, no_conflict_declared=True)
        cases.decide_admissibility(store, user, ref, "inadmissible" if g.plan == "inadmissible" else "admissible", g.admissibility_reasons,
                                   cases.get_case(store, user, ref).version)
        if g.plan == "withdrawn":
            cases.withdraw_case(store, user, ref, "Synthetisch: ingetrokken / Synthetic: withdrawn",
                                cases.get_case(store, user, ref).version)
        for discipline, draft in g.inputs.items():
            member = users.user_by_name(store, discipline)
            inputs.submit_input(store, member, ref, inputs.save_input_draft(store, member, ref, draft, None,
                                                                            rubric=rubric))
        if g.outcome is not None:
            decisions.open_deliberation(store, user, ref, cases.get_case(store, user, ref).version)
            decisions.record_decision(store, user, ref, outcome=g.outcome, reasons=g.reasons, rubric=rubric,
                                      expected_version=cases.get_case(store, user, ref).version,
                                      override_reason=g.override_reason)
        refs.append(ref)
    return refs
