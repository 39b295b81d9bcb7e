"""Deliberation and decision: the consolidated rubric result, quorum, override reasons, dissent, reopening."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..access import blind_until_submitted, may_read_input_text, sees_panel_result, special_categories
from ..disciplines import is_seat
from ..errors import AccessDeniedError, LifecycleError, Msg, NotFoundError, ValidationError
from ..i18n import N_
from ..model import DecisionDraft, Dissent, PanelOutcome, User, View
from ..observation import Observation
from ..queries import cases as case_records
from ..queries import decisions as decision_rows
from ..queries import inputs as input_rows
from ..rubric import Rubric, Text
from ..scoring import RubricResult, score
from ..store import Store, Tx, now_iso
from ..vocabulary import Term, Terms
from ._common import age_group, case_for, date_or_none, loads, require_status, require_text, scope, today
from .cases import active_consents
from .inputs import visible_input_rows
from .procedure import require_settled_hearing_report
from .rubrics import active_rubric, keep_rubric

# The rubric outcome each panel outcome agrees with; anything else is a departure that needs reasons.
AGREES_WITH = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}


def _observations(tx: Tx, row: dict[str, Any], viewer: User | None = None, *,
                  without_special: bool = False) -> tuple[list[Observation], set[str]]:
    """The submitted observations the consolidated result rests on (consent applied). With a `viewer`, the
    sources and notes of a discipline the viewer may not read (access.may_read_input_text) are left out;
    `without_special` leaves out those of every special-category discipline (for what is stored for others)."""
    observations: list[Observation] = []
    disciplines: set[str] = set()
    sc = scope(tx, row)
    consents = active_consents(tx, row["id"])
    for i, _ in visible_input_rows(tx, None, row):
        if not i["submitted_at"]:
            continue
        disciplines.add(i["discipline"])
        readable = (viewer is None or may_read_input_text(viewer, i["discipline"], sc, consents)) and not (
            without_special and i["discipline"] in special_categories())
        texts = input_rows.rating_texts(tx, i["id"]) if readable else {}
        for o in input_rows.ratings(tx, i["id"]):
            t = texts.get(o["indicator"], {})
            observations.append(Observation(discipline=i["discipline"], indicator=o["indicator"], status=o["status"],
                                            source=t.get("source", ""), note=t.get("note", "")))
    return observations, disciplines


def _score(tx: Tx, row: dict[str, Any], rubric: Rubric, viewer: User | None = None, *,
           without_special: bool = False) -> tuple[RubricResult, set[str]]:
    observations, disciplines = _observations(tx, row, viewer, without_special=without_special)
    profile = rubric.profile_for(age_group(tx, row), row["form"])
    return score(rubric, profile.id, observations), disciplines


def score_case_row(tx: Tx, row: dict[str, Any], rubric: Rubric, viewer: User) -> RubricResult:
    """The rubric result of a case's submitted input as `viewer` may see it (the evidence's sources and notes
    only where access.may_read_input_text allows), inside a transaction whose caller checked access."""
    return _score(tx, row, rubric, viewer)[0]


@dataclass(frozen=True)
class Quorum:
    """Whether enough disciplines submitted input to decide: the one definition the Decision page shows and
    `record_decision` enforces."""

    needed: int  # the configured minimum of disciplines (Settings.quorum_min_disciplines)
    submitted: tuple[str, ...]  # disciplines whose submitted input counts (medical only with consent)
    missing: tuple[tuple[str, bool], ...]  # panel seats that do not count yet: (discipline, has a draft)

    @property
    def met(self) -> bool:
        return len(self.submitted) >= self.needed


def _quorum(tx: Tx, row: dict[str, Any], needed: int) -> Quorum:
    # Only disciplines holding a seat count; an information source's input is weighed but does not vote.
    counted = sorted({i["discipline"] for i, _ in visible_input_rows(tx, None, row)
                      if i["submitted_at"] and is_seat(i["discipline"])})
    drafts = {i["discipline"] for i in input_rows.of_case(tx, row["id"]) if not i["submitted_at"]}
    seats = sorted(d for d in scope(tx, row).panel if is_seat(d))
    return Quorum(needed=needed, submitted=tuple(counted),
                  missing=tuple((d, d in drafts) for d in seats if d not in counted))


def quorum(store: Store, user: User, ref: str) -> Quorum:
    """The quorum of a case as it stands: who submitted, who is missing, and whether it is met."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "input.view")
        return _quorum(tx, row, store.settings.quorum_min_disciplines)


def departs_from_rubric(outcome: PanelOutcome, rubric_outcome: str) -> bool:
    """Does the panel's outcome depart from the rubric's (so that it needs written reasons)?"""
    return AGREES_WITH[outcome] != rubric_outcome


def _rubric_or_active(store: Store, rubric: Rubric | None) -> Rubric:
    return rubric if rubric is not None else active_rubric(store)


def open_deliberation(store: Store, user: User, ref: str, expected_version: int) -> int:
    """The chair opens deliberation: every member now sees all submitted input."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "deliberation.open")
        # from "hearing": the panel sent the case to a hearing for more information and takes it up again
        require_status(row, "assessment", "hearing", doing=N_("opening deliberation"))
        require_settled_hearing_report(tx, row)
        on = date_or_none(row["deliberation_on"]) or today()  # the first opening stays the stage's date
        version = case_records.update(tx, row["id"],
                                      {"status": "deliberation", "deliberation_on": on},
                                      actor=user.username, expected_version=expected_version,
                                      what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="deliberation.open", case_ref=ref, entity="case",
                        before={"status": row["status"]}, after={"status": "deliberation"})
    return version


def deliberation_result(store: Store, user: User, ref: str, rubric: Rubric | None = None) -> RubricResult:
    """The rubric result of the consolidated submitted input (medical input only with an active consent),
    scored against `rubric` or, by default, the active rubric version."""
    rubric = _rubric_or_active(store, rubric)
    with store.read() as tx:
        row = case_for(tx, user, ref, "decision.record")
        return _score(tx, row, rubric, user)[0]


def record_decision(
    store: Store, user: User, ref: str, *, outcome: PanelOutcome, reasons: dict[str, str],
    rubric: Rubric | None = None, expected_version: int, override_reason: str = "", dissents: list[Dissent] | None = None,
    findings: dict[str, View] | None = None,
) -> int:
    """The chair records the panel's decision; the case is then locked. Needs quorum (the configured minimum
    of disciplines with submitted input, and the chair), reasons, and written reasons for a departure from
    the rubric's outcome. `findings` is the panel's own finding per dimension (positive, negative or
    undetermined); a dimension not named keeps the rubric's status, and a finding either way needs written
    reasons for that dimension. Returns the decision's id."""
    rubric = _rubric_or_active(store, rubric)  # None: the active rubric version
    if not any(v.strip() for v in reasons.values()):
        raise ValidationError(N_("Reasons per element are required"), field="reasons")
    with store.write() as tx:
        row = case_for(tx, user, ref, "decision.record")
        require_status(row, "deliberation", doing=N_("deciding"))
        require_settled_hearing_report(tx, row)
        # The stored result is read by others (subject export, retention): no special-category text in it.
        result, _disciplines = _score(tx, row, rubric, without_special=True)
        q = _quorum(tx, row, store.settings.quorum_min_disciplines)
        if not q.met:
            raise LifecycleError(N_("No quorum: {n} of at least {need} disciplines submitted ({names})."),
                                 n=len(q.submitted), need=q.needed, names=Terms("discipline", q.submitted))
        departs = departs_from_rubric(outcome, result.outcome)
        if departs:
            override_reason = require_text(
                override_reason, "override_reason",
                Msg(N_("A reason why the panel departs from the assessment instrument ({outcome})"),
                    {"outcome": Term("conclusion", result.outcome)}))
        seats = scope(tx, row).panel
        for d in dissents or []:
            if d.username not in seats.values():
                raise ValidationError(N_("{user} is not on the panel"), user=d.username, field="dissents")
        at = now_iso()
        dims = dict(result.assessed)  # the elements of the legal test, or the dimensions of another rubric
        panel_findings = _findings(rubric, dims, findings or {}, reasons)
        keep_rubric(tx, rubric, user.username)  # so the letter can always render with this rubric
        decision_id = decision_rows.add(tx, {
            "case_id": row["id"], "outcome": outcome, "rubric_id": result.rubric_id,
            "rubric_version": result.rubric_version, "rubric_hash": result.rubric_hash,
            "rubric_outcome": result.outcome, "rubric_dimensions": dims, "departs": departs,
            "decided_at": at, "decided_by": user.username,
        }, reasons=reasons, override_reason=override_reason,
            rubric_result=json.dumps(result.to_json(), ensure_ascii=False), findings=panel_findings,
            dissents=[(d.username, d.text) for d in dissents or []])
        decision_rows.drop_draft(tx, row["id"])  # the draft became the decision
        version = case_records.update(tx, row["id"],
                                      {"status": "decided", "decided_on": at[:10], "panel_outcome": outcome,
                                       "rubric_outcome": result.outcome},
                                      actor=user.username, expected_version=expected_version,
                                      what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="decision.record", case_ref=ref, entity=f"decision:{decision_id}",
                        before={"status": row["status"]},
                        after={"status": "decided", "outcome": outcome, "rubric": result.to_json()["rubric"],
                               "rubric_outcome": result.outcome, "departs": departs, "reasons": reasons,
                               "override_reason": override_reason, "findings": panel_findings,
                               "version": version})
    return decision_id


def unexplained(findings: Mapping[str, str], reasons: Mapping[str, str]) -> list[str]:
    """The parts (elements or dimensions) with a finding either way but no written reasons. The one rule of
    what a decision needs per part: checked when it is recorded and again by the letter, so a recorded
    decision always gives a letter."""
    return [part for part, finding in findings.items() if finding != "undetermined" and not reasons.get(part, "").strip()]


@dataclass(frozen=True)
class _PartNames:
    """The rubric's names of some parts, said in the language the error is shown in (the rubric's own texts)."""

    names: tuple[Text, ...]

    def text(self, lang: str) -> str:
        return ", ".join(n.text(lang) for n in self.names)


def _findings(rubric: Rubric, rubric_dims: Mapping[str, str], given: Mapping[str, str],
              reasons: Mapping[str, str]) -> dict[str, str]:
    """The panel's finding per part: the one given, else the rubric's suggestion; checked against reasons."""
    unknown = sorted(set(given) - set(rubric_dims))
    if unknown:
        raise ValidationError(N_("Unknown element: {elements}"), elements=", ".join(unknown), field="findings")
    for dimension, finding in given.items():
        if finding not in ("positive", "negative", "undetermined"):
            raise ValidationError(N_("Finding {finding} at {dimension} is not a finding (positive, negative, undetermined)"),
                                  finding=repr(finding), dimension=dimension, field="findings")
    final = {d: given.get(d, status) for d, status in rubric_dims.items()}
    missing = unexplained(final, reasons)
    if missing:
        raise ValidationError(N_("A finding either way needs written reasons; missing for: {parts}"),
                              parts=_PartNames(tuple(rubric.part_name(p) for p in missing)), field="reasons")
    return final


def record_dissent(store: Store, user: User, ref: str, text: str) -> None:
    """A panel member (or the chair) records their dissent with the current decision, before the letter."""
    text = require_text(text, "text", N_("The dissent's text"))
    with store.write() as tx:
        row = case_for(tx, user, ref, "dissent.record")
        require_status(row, "decided", doing=N_("recording dissent"))
        if row["letter_issued_on"]:
            raise LifecycleError(N_("The letter has been issued already"))
        decision = decision_rows.live(tx, row["id"])[0]
        decision_rows.add_dissent(tx, decision["id"], user.username, text)
        tx.append_audit(actor=user.username, action="dissent.record", case_ref=ref, entity=f"decision:{decision['id']}",
                        after={"username": user.username, "text": text})


def _draft_of_decision(tx: Tx, d: dict[str, Any]) -> DecisionDraft:
    p = decision_rows.texts(tx, d["id"])
    return DecisionDraft(outcome=d["outcome"], findings=decision_rows.findings(tx, d["id"]),
                         reasons=loads(p.get("reasons")) or {}, override_reason=p.get("override_reason", ""),
                         dissents={x["username"]: x["text"] for x in decision_rows.dissent_texts(tx, d["id"])})


def decision_draft(store: Store, user: User, ref: str) -> tuple[DecisionDraft, int | None]:
    """The chair's decision as typed so far and its version (None: nothing saved yet, an empty draft). After
    a reopening it holds the voided decision's content."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "decision.record")
        stored = decision_rows.draft(tx, row["id"])
    if stored is None:
        return DecisionDraft(), None
    meta, text = stored
    return DecisionDraft.model_validate_json(text), int(meta["version"])


def save_decision_draft(store: Store, user: User, ref: str, draft: DecisionDraft, expected_version: int | None) -> int:
    """Save the chair's decision as typed (first save: `expected_version=None`); returns the new version. A
    stale version raises ConflictError and nothing is saved. Only while the panel deliberates; the rules of a
    decision (reasons, quorum) are checked when it is recorded, not here."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "decision.record")
        require_status(row, "deliberation", doing=N_("saving the draft decision"))
        seats = set(scope(tx, row).panel.values())
        strangers = sorted(set(draft.dissents) - seats)
        if strangers:
            raise ValidationError(N_("{user} is not on the panel"), user=", ".join(strangers), field="dissents")
        before = decision_rows.draft(tx, row["id"])
        if before is None and expected_version is not None:
            raise NotFoundError(N_("There is no draft to update yet"))
        version = decision_rows.save_draft(
            tx, row["id"], draft.outcome, draft.model_dump_json(), actor=user.username,
            expected_version=expected_version if expected_version is not None else -1,
            what=Msg(N_("The draft decision on {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="decision.draft.save", case_ref=ref, entity="decision_draft",
                        before=loads(before[1]) if before else None, after=draft.model_dump(mode="json"))
    return version


def reopen_case(store: Store, user: User, ref: str, reason: str, expected_version: int) -> int:
    """The chair reopens a decided case with a reason; the decision is voided (kept, marked void) and the
    case returns to deliberation."""
    reason = require_text(reason, "reason", N_("The reason for reopening"))
    with store.write() as tx:
        row = case_for(tx, user, ref, "case.reopen")
        require_status(row, "decided", doing=N_("reopening"))
        at = now_iso()
        live = decision_rows.live(tx, row["id"])
        for d in live:
            decision_rows.void(tx, d["id"], at=at, by=user.username, reason=reason)
        if live:
            # The reopened form starts from the decision it replaces, not from nothing.
            draft = _draft_of_decision(tx, live[-1])
            decision_rows.save_draft(tx, row["id"], draft.outcome, draft.model_dump_json(), actor=user.username,
                                     expected_version=None, what=Msg(N_("The draft decision on {ref}"), {"ref": ref}))
        version = case_records.update(tx, row["id"],
                                      {"status": "deliberation", "decided_on": None, "panel_outcome": None,
                                       "rubric_outcome": None, "letter_issued_on": None},
                                      actor=user.username, expected_version=expected_version,
                                      what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="case.reopen", case_ref=ref, entity="case",
                        before={"status": "decided", "outcome": row["panel_outcome"],
                                "letter_issued_on": row["letter_issued_on"]},
                        after={"status": "deliberation", "voided": [d["id"] for d in live]}, reason=reason)
    return version


def deliberation_view(store: Store, user: User, ref: str, rubric: Rubric | None = None) -> RubricResult:
    """The consolidated rubric result for the deliberation screen: the chair at any time; a member only
    after submitting their own input or once deliberation is open (blind until submitted)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "input.view")
        if blind_until_submitted(user) and row["status"] not in ("deliberation", "decided"):
            own = [i for i, _ in visible_input_rows(tx, user, row) if i["username"] == user.username]
            if not own or not own[0]["submitted_at"]:
                raise LifecycleError(N_("You see the panel's result only after submitting your own input"))
        if not sees_panel_result(user):
            raise AccessDeniedError(N_("Access denied: {role}"), role=Term("role", user.role))
        if rubric is None:
            rubric = active_rubric(store)
        return score_case_row(tx, row, rubric, user)
