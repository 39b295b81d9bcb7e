"""Case services: intake, panel, admissibility, withdrawal, file, consents, hearing, letter, follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from .. import admissibility as requirements
from .. import age, disciplines, plausibility
from ..access import (
    CaseScope,
    allowed,
    may_read_document,
    may_read_input_text,
    may_sit_on_panel,
    own_seat_only,
    require,
    scope_of,
)
from ..config import Settings
from ..deadlines import Event, stage_deadlines
from ..errors import AccessDeniedError, ConsentError, LifecycleError, NotFoundError, TrainingSpaceError, ValidationError
from ..i18n import N_, Msg
from ..model import (
    REF_PREFIX,
    Admissibility,
    AdviceUse,
    Applicant,
    CaseSummary,
    CaseView,
    ChronologyEntry,
    Consent,
    ConsentGiver,
    ConsentScope,
    Deadline,
    Decision,
    Dissent,
    Document,
    DocumentSource,
    FollowUp,
    Hearing,
    InadmissibleGround,
    Intake,
    PanelSeat,
    RecipientConsent,
    Space,
    User,
)
from ..queries import case_parts as parts
from ..queries import cases as case_records
from ..queries import decisions as decision_rows
from ..queries import inputs as input_rows
from ..queries import users as accounts
from ..store import Store, Tx, now_iso
from ..vocabulary import Term, Terms
from ._common import case_for, date_or_none, loads, require_status, require_text, scope, today

_CASE_FACTS = (
    "received_on", "route", "route_end", "route_end_on", "reported_on", "form", "period_start", "period_end", "residence_status", "gender", "nationality", "birth_year", "age_group", "interpreter",
    "filing_party", "text_language",
)
# The intake's procedural facts, kept in `case_procedure` (the `cases` row is sealed over its columns).
_PROCEDURE_FACTS = ("exploitation_in_nl", "route_end_ground", "exception_ground", "exception_statement_on")
_APPLICANT_FIELDS = tuple(Applicant.model_fields)
# Intake fields typed as free text that may name a person or a business: stored with the applicant's
# personal data (p_applicants), not in the case record the evaluators read (issue #14, hole 9).
_PERSONAL_FACTS = ("sector",)


def _personal(intake: Intake) -> dict[str, Any]:
    """The applicant's row: the applicant's data and the intake's personal free text."""
    return {**intake.applicant.model_dump(), **{k: getattr(intake, k) for k in _PERSONAL_FACTS}}


def _facts(intake: Intake) -> dict[str, Any]:
    values = {k: getattr(intake, k) for k in _CASE_FACTS}
    values["languages"] = list(intake.languages)
    return values


def _procedure_facts(intake: Intake) -> dict[str, Any]:
    return {k: getattr(intake, k) for k in _PROCEDURE_FACTS}


def _check_new_intake(intake: Intake) -> None:
    """What a new or corrected intake must say (an older record may lack it and still opens)."""
    if intake.route == "exception" and intake.exception_ground is None:
        raise ValidationError(N_("The exception route needs its ground: serious threats, or a medical or "
                                 "psychological limitation"), field="exception_ground")


def within_term(intake_row: dict[str, Any], settings: Settings) -> bool | None:
    """Was the application received within the term after dismissal or acquittal? None on the exception route."""
    if intake_row["route"] != "report" or not intake_row["route_end_on"]:
        return None
    days = (dt.date.fromisoformat(intake_row["received_on"]) - dt.date.fromisoformat(intake_row["route_end_on"])).days
    return days <= settings.application_term_days


def reference_example(store: Store) -> str:
    """A reference of this database's space, this year, as an example in a search field: TRN-... in the
    training space, so a training screen never shows the form of a real case's reference."""
    return f"{REF_PREFIX['training' if store.settings.training else 'real']}-{today().year}-0001"


def create_case(store: Store, user: User, intake: Intake, *, space: Space = "real", synthetic_demo: bool = False) -> str:
    """Register an application; returns its new reference `AAN-<year>-<nnnn>`, `TRN-<year>-<nnnn>` in the
    training space (allocated in the transaction; prefixes: `model.REF_PREFIX`).
    A training case is created only in a training database and a real one only in the production database
    (TrainingSpaceError otherwise), so a training case never takes a real reference or a real member's seat,
    and nobody registers a real person's application in the training deployment. Every other write goes
    through an existing case, so this is where the spaces are kept apart; importing a case file and opening a
    training session both come here. The one exception is `synthetic_demo`, set only by the demo loader
    (services.importing.load_demo): the curated synthetic demo cases, which a training database may hold to
    show the production screens."""
    require(user, "case.create", None)
    if scope_of(user, "case.create") == "training" and space != "training":
        raise AccessDeniedError(N_("Trainers create training cases only"))
    if scope_of(user, "case.create") == "real" and space != "real":
        raise AccessDeniedError(N_("The role {role} does not create training cases"), role=Term("role", user.role))
    require_space(store, space, synthetic_demo=synthetic_demo)
    plausibility.check_intake(intake, today())
    _check_new_intake(intake)
    now = now_iso()
    with store.write() as tx:
        year = intake.received_on.year
        ref = tx.next_case_ref(year, REF_PREFIX[space])
        facts = _facts(intake)
        case_id = case_records.create(tx, {
            "ref": ref, "year": year, "space": space, "status": "intake", **facts,
            "within_term": within_term({k: (v.isoformat() if isinstance(v, dt.date) else v)
                                        for k, v in facts.items()}, store.settings),
            "created_by": user.username, "created_at": now, "updated_by": user.username, "updated_at": now,
        }, _personal(intake))
        parts.save_procedure(tx, case_id, _procedure_facts(intake))
        tx.append_audit(actor=user.username, action="case.create", case_ref=ref, entity="case",
                        after=intake.model_dump(mode="json"))
    return ref


def require_space(store: Store, space: Space, *, synthetic_demo: bool = False) -> None:
    """TrainingSpaceError unless a case of `space` belongs in this store: training cases only in a training
    database, real cases only in the production database (or, `synthetic_demo`, the curated demo cases in a
    training database)."""
    if space == "training" and not store.settings.training:
        raise TrainingSpaceError(N_("A training case is created only in the training database (AANNEMELIJK_SPACE="
                                    "training), never in the production database. Nothing was created."))
    if space != "training" and store.settings.training and not synthetic_demo:
        raise TrainingSpaceError(N_("This is a training database: it holds training cases only. A real case is "
                                    "registered in the production database. Nothing was created."))


def list_cases(store: Store, user: User, *, status: str | None = None, limit: int = 200,
               offset: int = 0) -> list[CaseSummary]:
    """The cases this user may see, newest first (members: only their own panels; trainers: training)."""
    require(user, "case.list")
    sc = scope_of(user, "case.list")
    spaces = ["training"] if sc == "training" else ["real"]
    with store.read() as tx:
        rows = tx.list_cases(spaces, status=status, member=user.username if sc == "assigned" else None,
                             limit=limit, offset=offset)
    return [CaseSummary.model_validate(r) for r in rows]


def _intake(row: dict[str, Any], app: dict[str, Any], proc: dict[str, Any]) -> Intake:
    values = {k: row[k] for k in _CASE_FACTS}
    values.update({k: proc[k] for k in _PROCEDURE_FACTS if proc.get(k) is not None})
    values["interpreter"] = bool(values["interpreter"])
    values["languages"] = loads(row["languages"]) or []
    values.update({k: app.get(k) or "" for k in _PERSONAL_FACTS})
    values["applicant"] = {k: app[k] for k in _APPLICANT_FIELDS}
    return Intake.model_validate(values)


def intake_of(tx: Tx, row: dict[str, Any]) -> Intake:
    """The stored intake of a case row (for a caller that checked access)."""
    return _intake(row, case_records.applicant(tx, row["id"]), parts.procedure(tx, row["id"]))


def update_intake(store: Store, user: User, ref: str, intake: Intake, expected_version: int) -> int:
    """Correct the intake data; refused when someone saved the case since `expected_version`."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "case.edit_intake")
        require_status(row, "intake", "assessment", doing=N_("editing the intake"))
        plausibility.check_intake(intake, today())
        _check_new_intake(intake)
        app = case_records.applicant(tx, row["id"])
        before = _intake(row, app, parts.procedure(tx, row["id"])).model_dump(mode="json")
        facts = _facts(intake)
        version = case_records.update(tx, row["id"], facts, actor=user.username,
                                      expected_version=expected_version, what=Msg(N_("Case {ref}"), {"ref": ref}))
        case_records.replace_applicant(tx, row["id"], {**_personal(intake),
                                                       "admissibility_reasons": app.get("admissibility_reasons", ""),
                                                       "withdrawn_reason": app.get("withdrawn_reason", ""),
                                                       "deferral_reasons": app.get("deferral_reasons", "")})
        parts.save_procedure(tx, row["id"], _procedure_facts(intake))
        tx.append_audit(actor=user.username, action="case.edit_intake", case_ref=ref, entity="case",
                        before=before, after=intake.model_dump(mode="json"))
    return version


def assign_panel(store: Store, user: User, ref: str, discipline: str, username: str) -> None:
    """Seat a member for one discipline. The member then declares, personally, whether they have a conflict
    of interest (`declare_no_conflict`, `declare_conflict`); nobody declares it for them.

    Refused when the member's discipline differs. Replacing a member who already submitted is refused."""
    if discipline not in disciplines.ids():
        raise ValidationError(N_("Unknown discipline: {discipline}"), discipline=discipline, field="discipline")
    with store.write() as tx:
        row = case_for(tx, user, ref, "panel.assign")
        require_status(row, "intake", "assessment", "deliberation", doing=N_("assigning the panel"))
        member = accounts.get(tx, username)
        if member is None or member["disabled"] or not may_sit_on_panel(member["role"]) or member["discipline"] != discipline:
            raise ValidationError(N_("{username} is not an active member for {discipline}"), username=username,
                                  discipline=Term("discipline", discipline), field="username")
        current = parts.seat(tx, row["id"], discipline)
        submitted = input_rows.of_discipline(tx, row["id"], discipline)
        if current and current["username"] != username and submitted and submitted["submitted_at"]:
            raise ValidationError(N_("The {discipline} input is submitted"), discipline=Term("discipline", discipline))
        parts.seat_member(tx, row["id"], discipline, username, no_conflict_declared=False)
        tx.append_audit(actor=user.username, action="panel.assign", case_ref=ref, entity=f"panel:{discipline}",
                        before=current and {"username": current["username"]},
                        after={"username": username})


def own_seat(store: Store, user: User, ref: str) -> PanelSeat | None:
    """The member's own seat on this case (to ask for the declaration before anything else is shown)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "panel.declare_coi")
        seat = next((s for s in parts.seats(tx, row["id"]) if s["username"] == user.username), None)
    return None if seat is None else PanelSeat(discipline=seat["discipline"], username=seat["username"],
                                               assigned_on=seat["assigned_on"], coi_declared_on=seat["coi_declared_on"])


def _declaring_seat(tx: Tx, user: User, ref: str, discipline: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case and the seat a member declares for (conflict or none): the seat must exist, and a member may
    only declare for their own."""
    row = case_for(tx, user, ref, "panel.declare_coi")
    seat = parts.seat(tx, row["id"], discipline)
    if seat is None:
        raise NotFoundError(N_("No {discipline} member on {ref}"), discipline=Term("discipline", discipline), ref=ref)
    if own_seat_only(user) and seat["username"] != user.username:
        raise AccessDeniedError(N_("You can only declare for yourself"))
    return row, seat


def declare_conflict(store: Store, user: User, ref: str, discipline: str, reason: str) -> None:
    """A seated member declares a conflict of interest: they leave the panel of this case at once (the seat is
    empty for the secretary to fill) and no longer see it. Only for their own seat."""
    reason = require_text(reason, "reason", N_("The nature of the conflict"))
    with store.write() as tx:
        row, seat = _declaring_seat(tx, user, ref, discipline)
        submitted = input_rows.of_discipline(tx, row["id"], discipline)
        if submitted and submitted["submitted_at"]:
            raise ValidationError(N_("The {discipline} input is submitted"), discipline=Term("discipline", discipline))
        parts.vacate(tx, row["id"], discipline)
        tx.append_audit(actor=user.username, action="panel.declare_conflict", case_ref=ref,
                        entity=f"panel:{discipline}", before={"username": seat["username"]}, after=None, reason=reason)


def declare_no_conflict(store: Store, user: User, ref: str, discipline: str) -> None:
    """Record a seated member's declaration that they were not otherwise involved in the case.
    A member may only declare for their own seat."""
    with store.write() as tx:
        row, seat = _declaring_seat(tx, user, ref, discipline)
        parts.declare_no_conflict(tx, seat)
        tx.append_audit(actor=user.username, action="panel.declare_coi", case_ref=ref,
                        entity=f"panel:{discipline}", after={"username": seat["username"]})


def decide_admissibility(store: Store, user: User, ref: str, decision: Admissibility, reasons: str,
                         expected_version: int, *, on: dt.date | None = None,
                         grounds: Sequence[InadmissibleGround] = ()) -> int:
    """Admissible (the case moves to assessment) or inadmissible (closed), always with reasons.

    Admissible only when every requirement is met (assessment.admissibility) and where the exploitation took
    place is recorded. Inadmissible names the requirements not met (`grounds`; by default those the intake
    shows unmet); a ground the intake contradicts is refused ("other" is always possible, its reasons say why)."""
    reasons = require_text(reasons, "reasons", N_("A reason"))
    on = on or today()
    with store.write() as tx:
        row = case_for(tx, user, ref, "case.admissibility")
        require_status(row, "intake", doing=N_("deciding admissibility"))
        proc = parts.procedure(tx, row["id"])
        intake = _intake(row, case_records.applicant(tx, row["id"]), proc)
        term = None if row["within_term"] is None else bool(row["within_term"])
        unmet = requirements.unmet(intake, term)
        if decision == "admissible":
            if unmet:
                raise ValidationError(N_("Not admissible: {grounds}"), grounds=Terms("inadmissible_ground",
                                                                                     tuple(unmet)), field="decision")
            if requirements.undetermined(intake):
                raise ValidationError(N_("Record first whether the exploitation took place (partly) in the "
                                         "Netherlands"), field="exploitation_in_nl")
            chosen: list[InadmissibleGround] = []
        else:
            chosen = list(dict.fromkeys(grounds)) or unmet
            if not chosen:
                raise ValidationError(N_("Name the requirement that was not met"), field="grounds")
            wrong = [g for g in chosen if g != "other" and g not in unmet]
            if wrong:
                raise ValidationError(N_("The intake does not show this requirement unmet: {grounds}"),
                                      grounds=Terms("inadmissible_ground", tuple(wrong)), field="grounds")
        status = "assessment" if decision == "admissible" else "inadmissible"
        version = case_records.update(tx, row["id"],
                                      {"admissibility": decision, "admissibility_on": on, "status": status},
                                      actor=user.username, expected_version=expected_version,
                                      what=Msg(N_("Case {ref}"), {"ref": ref}))
        case_records.set_applicant(tx, row["id"], {"admissibility_reasons": reasons})
        parts.save_procedure(tx, row["id"], {"inadmissible_grounds": chosen})
        tx.append_audit(actor=user.username, action="case.admissibility", case_ref=ref, entity="case",
                        before={"status": row["status"]}, after={"status": status, "admissibility": decision,
                                                                  "within_term": row["within_term"],
                                                                  "grounds": chosen},
                        reason=reasons)
    return version


def withdraw_case(store: Store, user: User, ref: str, reason: str, expected_version: int) -> int:
    """The applicant withdraws: possible at any stage before the decision, always with a reason."""
    reason = require_text(reason, "reason", N_("The reason"))
    with store.write() as tx:
        row = case_for(tx, user, ref, "case.withdraw")
        require_status(row, "intake", "assessment", "deliberation", doing=N_("withdrawing"))
        version = case_records.update(tx, row["id"], {"status": "withdrawn", "withdrawn_on": today()},
                                      actor=user.username, expected_version=expected_version,
                                      what=Msg(N_("Case {ref}"), {"ref": ref}))
        case_records.set_applicant(tx, row["id"], {"withdrawn_reason": reason})
        tx.append_audit(actor=user.username, action="case.withdraw", case_ref=ref, entity="case",
                        before={"status": row["status"]}, after={"status": "withdrawn"}, reason=reason)
    return version


def active_consent(tx: Tx, case_id: int, scope_name: ConsentScope) -> bool:
    """Is there an unrevoked consent of this scope for the case?"""
    return any(c["revoked_on"] is None for c in parts.consents(tx, case_id, scope_name))


def active_consents(tx: Tx, case_id: int) -> frozenset[str]:
    """The scopes with an unrevoked consent for the case."""
    return frozenset(c["scope"] for c in parts.consents(tx, case_id) if c["revoked_on"] is None)


def add_document(
    store: Store, user: User, ref: str, *, source: DocumentSource, kind: str, received_on: dt.date,
    title: str = "", consent_scope: ConsentScope | None = None, content: bytes | None = None,
    media_type: str | None = None,
) -> int:
    """Register a document received; an attachment is optional and its type and size are checked.
    A document that needs a consent (e.g. medical) is refused without an active one."""
    kind = require_text(kind, "kind", N_("The kind of document"))
    if len(title) > 200 or len(kind) > 200:  # the Document model's limit: a longer title would make the case unreadable
        raise ValidationError(N_("Title or kind too long (max 200 characters)"),
                              field="title")
    if source not in get_args(DocumentSource):  # stored unchecked, it would make the whole case unreadable
        raise ValidationError(N_("Unknown document source: {source}"), source=source,
                              field="source")
    s = store.settings
    if content is not None:
        if media_type not in s.attachment_types:
            raise ValidationError(N_("File type not allowed: {media_type}"), media_type=media_type, field="content")
        if len(content) > s.max_attachment_bytes:
            raise ValidationError(N_("File too large: {size} bytes"), size=len(content), field="content")
        if media_type == "application/pdf" and not content.startswith(b"%PDF-"):
            raise ValidationError(N_("This is not a PDF"), field="content")
    plausibility.check_document_date(received_on, today())
    if source == "medical" and consent_scope is None:
        consent_scope = "medical"
    with store.write() as tx:
        row = case_for(tx, user, ref, "document.add")
        require_status(row, "intake", "assessment", "deliberation", doing=N_("adding documents"))
        if consent_scope is not None and not active_consent(tx, row["id"], consent_scope):
            raise ConsentError(N_("No valid '{scope}' consent for {ref}"), scope=consent_scope, ref=ref)
        doc_id = parts.add_document(tx, row["id"], {
            "source": source, "received_on": received_on,
            "consent_scope": consent_scope, "media_type": media_type if content is not None else None,
            "size": len(content) if content is not None else None,
        }, kind, title, content)
        tx.append_audit(actor=user.username, action="document.add", case_ref=ref, entity=f"document:{doc_id}",
                        after={"source": source, "kind": kind, "received_on": received_on.isoformat(),
                               "title": title, "size": len(content) if content else None})
    return doc_id


def add_chronology(store: Store, user: User, ref: str, on: dt.date, fact: str) -> int:
    """Add one dated fact to the case's chronology."""
    fact = require_text(fact, "fact", N_("The fact"))
    with store.write() as tx:
        row = case_for(tx, user, ref, "chronology.add")
        birth = case_records.applicant(tx, row["id"]).get("date_of_birth")
        plausibility.check_fact_date(on, today(), date_or_none(birth))
        entry_id = parts.add_fact(tx, row["id"], on, fact)
        tx.append_audit(actor=user.username, action="chronology.add", case_ref=ref, entity=f"chronology:{entry_id}",
                        after={"on": on.isoformat(), "fact": fact})
    return entry_id


def _check_giver(tx: Tx, row: dict[str, Any], given_by: str, given_on: dt.date) -> None:
    """Who may give a consent: for an applicant under 16 on that day, only the legal representative (UAVG
    art. 5; assessment.age). Where the birth data cannot tell, the secretary's record stands."""
    if given_by not in ("applicant", "legal_representative"):
        raise ValidationError(N_("Unknown giver of consent: {given_by}"), given_by=given_by, field="given_by")
    birth = date_or_none(case_records.applicant(tx, row["id"]).get("date_of_birth"))
    if given_by == "applicant" and age.under_consent_age(birth, row["birth_year"], given_on):
        raise ValidationError(N_("The applicant was under 16 on that day: the legal representative gives this "
                                 "consent"), field="given_by")


def record_consent(store: Store, user: User, ref: str, scope_name: ConsentScope, given_on: dt.date,
                   given_by: ConsentGiver = "applicant") -> int:
    """Record a consent (scope and date) and who gave it: the applicant, or the legal representative (always,
    for an applicant under 16)."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "consent.record")
        _check_giver(tx, row, given_by, given_on)
        cid = parts.add_consent(tx, row["id"], scope_name, given_on, user.username, given_by)
        tx.append_audit(actor=user.username, action="consent.record", case_ref=ref, entity=f"consent:{cid}",
                        after={"scope": scope_name, "given_on": given_on.isoformat(), "given_by": given_by})
    return cid


def record_recipient_consent(store: Store, user: User, ref: str, recipient: str, given_on: dt.date,
                             given_by: ConsentGiver = "applicant") -> int:
    """Record consent to share the advice with one named recipient (e.g. the Immigratie- en
    Naturalisatiedienst), and who gave it: only these recipients get a copy of the letter."""
    recipient = recipient.strip()
    if not recipient:
        raise ValidationError(N_("Name the recipient"), field="recipient")
    if len(recipient) > 200:
        raise ValidationError(N_("The recipient's name is too long (max. 200)"), field="recipient")
    with store.write() as tx:
        row = case_for(tx, user, ref, "consent.record")
        _check_giver(tx, row, given_by, given_on)
        cid = parts.add_recipient_consent(tx, row["id"], recipient, given_on, given_by, user.username)
        tx.append_audit(actor=user.username, action="consent.record", case_ref=ref, entity=f"recipient_consent:{cid}",
                        after={"recipient": recipient, "given_on": given_on.isoformat(), "given_by": given_by})
    return cid


def revoke_consent(store: Store, user: User, ref: str, consent_id: int, reason: str, expected_version: int,
                   *, on: dt.date | None = None, recipient: bool = False) -> int:
    """Revoke a consent: to a scope of information (what depended on it disappears from views and letters), or
    with `recipient` to a copy of the letter (later letters no longer go to them). Both stay in the audit trail."""
    on = on or today()
    with store.write() as tx:
        row = case_for(tx, user, ref, "consent.revoke")
        consent = parts.consent(tx, row["id"], consent_id, recipient=recipient)
        if consent is None:
            raise NotFoundError(N_("Consent {consent_id} is not on {ref}"), consent_id=consent_id, ref=ref)
        if consent["revoked_on"]:
            raise ValidationError(N_("This consent is already revoked"))
        version = parts.revoke_consent(tx, consent_id, on, recipient=recipient, actor=user.username,
                                       expected_version=expected_version)
        tx.append_audit(actor=user.username, action="consent.revoke", case_ref=ref,
                        entity=f"{'recipient_consent' if recipient else 'consent'}:{consent_id}",
                        before={"revoked_on": None}, after={"revoked_on": on.isoformat()}, reason=reason)
    return version


def record_hearing(store: Store, user: User, ref: str, hearing: Hearing) -> None:
    """Record (or correct) the hearing: date, members present, interpreter, summary."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "hearing.record")
        require_status(row, "assessment", "deliberation", "hearing", doing=N_("recording a hearing"))
        # a trainee rehearses the hearing alone; a real one is held by the panel
        plausibility.check_hearing(hearing, today(), quorum=1 if row["space"] == "training" else None)
        seats = scope(tx, row).panel
        strangers = [m for m in hearing.members if m not in seats.values() and m != user.username]
        if strangers:
            raise ValidationError(N_("Not on the panel: {names}"), names=", ".join(strangers), field="members")
        before, _summary = parts.hearing(tx, row["id"])
        parts.save_hearing(tx, row["id"], {"held_on": hearing.held_on, "members": list(hearing.members),
                                           "interpreter": hearing.interpreter,
                                           "interpreter_language": hearing.interpreter_language,
                                           "interpreter_gender": hearing.interpreter_gender,
                                           "report_sent_on": hearing.report_sent_on,
                                           "corrections_received_on": hearing.corrections_received_on},
                           hearing.summary, actor=user.username, what=Msg(N_("The hearing on {ref}"), {"ref": ref}),
                           corrections=hearing.corrections)
        case_records.update(tx, row["id"], {"hearing_on": hearing.held_on}, actor=user.username,
                            expected_version=None, what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="hearing.record", case_ref=ref, entity="hearing",
                        before=before and {"held_on": before["held_on"], "members": loads(before["members"])},
                        after=hearing.model_dump(mode="json"))


def mark_file_complete(store: Store, user: User, ref: str, expected_version: int, *,
                       on: dt.date | None = None) -> int:
    """The secretary marks the file complete: everything the panel needs is in (documents, consents,
    reports). Once, during assessment, on a day from admissibility to today; the evaluators' "file complete"
    is this recorded day and nothing else (opening deliberation does not stamp it)."""
    on = on or today()
    with store.write() as tx:
        row = case_for(tx, user, ref, "file.complete")
        require_status(row, "assessment", doing=N_("marking the file complete"))
        if row["file_complete_on"]:
            raise ValidationError(N_("The file of {ref} is already marked complete."), ref=ref, field="file_complete")
        admissible_on = date_or_none(row["admissibility_on"])
        if on > today() or (admissible_on is not None and on < admissible_on):
            raise ValidationError(N_("The day the file was complete lies between the admissibility decision "
                                     "and today."), field="file_complete")
        version = case_records.update(tx, row["id"], {"file_complete_on": on}, actor=user.username,
                                      expected_version=expected_version, what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="file.complete", case_ref=ref, entity="case",
                        after={"file_complete_on": on.isoformat()})
    return version


def mark_letter_issued(store: Store, user: User, ref: str, on: dt.date | None = None) -> None:
    """Record that the advice letter was sent (the letters issue calls this after rendering)."""
    on = on or today()
    with store.write() as tx:
        row = case_for(tx, user, ref, "letter.mark_issued")
        require_status(row, "decided", doing=N_("issuing the letter"))
        case_records.update(tx, row["id"], {"letter_issued_on": on}, actor=user.username,
                            expected_version=None, what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="letter.issued", case_ref=ref, entity="case",
                        after={"letter_issued_on": on.isoformat()})


def record_followup(store: Store, user: User, ref: str, followup: FollowUp) -> None:
    """Record what became of the case later (residence permit, care, compensation), for the evaluators."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "followup.record")
        require_status(row, "decided", doing=N_("recording follow-up"))
        before = parts.followup(tx, row["id"], followup.kind)
        parts.save_followup(tx, row["id"], followup.kind, followup.result, followup.on)
        tx.append_audit(actor=user.username, action="followup.record", case_ref=ref, entity=f"followup:{followup.kind}",
                        before=before and {"result": before["result"]}, after=followup.model_dump(mode="json"))


def record_advice_use(store: Store, user: User, ref: str, use: AdviceUse) -> None:
    """Record (or correct) what a recipient reported back on the issued advice: the IND, the Public
    Prosecution Service, the municipality or care followed it, did not, or it is not known; with the day it
    was reported. Only after the letter was issued (before that nobody has the advice), never in the future."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "followup.record")
        require_status(row, "decided", doing=N_("recording the use of the advice"))
        issued = date_or_none(row["letter_issued_on"])
        if issued is None:
            raise LifecycleError(N_("The advice on {ref} has not been issued yet."), ref=ref)
        if use.on is not None and not issued <= use.on <= today():
            raise ValidationError(N_("The day it was reported lies between the letter and today."), field="on")
        before = parts.advice_use(tx, row["id"], use.by)
        parts.save_advice_use(tx, row["id"], use.by, use.followed, use.on)
        tx.append_audit(actor=user.username, action="advice_use.record", case_ref=ref, entity=f"advice_use:{use.by}",
                        before=before and {"followed": before["followed"], "on": before["on_date"]},
                        after=use.model_dump(mode="json"))


def deadlines(row: dict[str, Any], settings: Settings, on: dt.date) -> list[Deadline]:
    """The stage deadlines of a case row: due, overdue, met or met late (pure: row, settings, today).
    What each stage and term means is defined once, in `assessment.deadlines`."""
    admissibility_on = date_or_none(row["admissibility_on"])
    events: dict[Event, dt.date | None] = {
        "received": date_or_none(row["received_on"]),
        "admissibility_decided": admissibility_on or date_or_none(row["withdrawn_on"]),
        "admissible": admissibility_on if row["admissibility"] == "admissible" else None,
        "deliberation": date_or_none(row["deliberation_on"]),
        "decided": date_or_none(row["decided_on"]),
        "letter": date_or_none(row["letter_issued_on"]),
    }
    return stage_deadlines(events, on, settings.deadlines, closed=row["status"] in ("withdrawn", "inadmissible", "set_aside"))


def _decisions(tx: Tx, case_id: int) -> list[Decision]:
    out = []
    for d in decision_rows.of_case(tx, case_id):
        p = decision_rows.texts(tx, d["id"])
        dissents = [Dissent(username=x["username"], text=x["text"]) for x in decision_rows.dissent_texts(tx, d["id"])]
        out.append(Decision(
            id=d["id"], outcome=d["outcome"], rubric_id=d["rubric_id"], rubric_version=d["rubric_version"],
            rubric_hash=d["rubric_hash"], rubric_outcome=d["rubric_outcome"], departs_from_rubric=bool(d["departs"]),
            reasons=loads(p.get("reasons")) or {}, override_reason=p.get("override_reason", ""), dissents=dissents,
            findings=decision_rows.findings(tx, d["id"]),
            decided_at=d["decided_at"], decided_by=d["decided_by"], voided_at=d["voided_at"],
            void_reason=p.get("void_reason", ""),
        ))
    return out


def get_case(store: Store, user: User, ref: str, *, on: dt.date | None = None) -> CaseView:
    """The whole case as this user may see it: documents depending on a revoked consent are hidden,
    special-category documents are shown only as access.may_read_document allows."""
    on = on or today()
    with store.read() as tx:
        row = case_for(tx, user, ref, "case.view")
        sc = scope(tx, row)
        app = case_records.applicant(tx, row["id"])
        personal = allowed(user, "case.view_personal", sc)
        proc = parts.procedure(tx, row["id"])
        consents = [Consent(id=c["id"], scope=c["scope"], given_on=c["given_on"], given_by=c["given_by"],
                            revoked_on=c["revoked_on"], version=c["version"]) for c in parts.consents(tx, row["id"])]
        active = frozenset(c.scope for c in consents if c.active)
        recipients = [RecipientConsent(id=c["id"], recipient=c["recipient"], given_on=c["given_on"],
                                       given_by=c["given_by"], revoked_on=c["revoked_on"], version=c["version"])
                      for c in parts.recipient_consents(tx, row["id"])] if personal else []
        documents = []
        for d in parts.documents(tx, row["id"]):
            if not may_read_document(user, d["consent_scope"], sc, active):
                continue
            p = parts.document_text(tx, d["id"])
            documents.append(Document(id=d["id"], source=d["source"], kind=d["kind"], received_on=d["received_on"],
                                      title=p.get("title", "") if personal else "", consent_scope=d["consent_scope"],
                                      media_type=d["media_type"], size=d["size"]))
        chronology = [ChronologyEntry(id=c["id"], on=c["on_date"], fact=c["fact"])
                      for c in parts.chronology(tx, row["id"])] if personal else []
        h, ph = parts.hearing(tx, row["id"])
        hearing = _hearing(h, ph, personal)
        decisions = _decisions(tx, row["id"])
        followups = [FollowUp(kind=f["kind"], result=f["result"], on=f["on_date"])
                     for f in parts.followups(tx, row["id"])]
        advice_uses = [AdviceUse(by=a["used_by"], followed=a["followed"], on=a["on_date"])
                       for a in parts.advice_uses(tx, row["id"])]
        panel = [PanelSeat(discipline=s["discipline"], username=s["username"], assigned_on=s["assigned_on"],
                           coi_declared_on=s["coi_declared_on"]) for s in parts.seats(tx, row["id"])]
    return CaseView(
        ref=row["ref"], space=row["space"], status=row["status"], version=row["version"],
        intake=_intake(row, app, proc) if personal else None, received_on=row["received_on"], form=row["form"],
        admissibility=row["admissibility"], admissibility_reasons=app.get("admissibility_reasons", "") if personal else "",
        inadmissible_grounds=loads(proc.get("inadmissible_grounds")) or [],
        deferral=proc.get("deferral"), deferred_on=proc.get("deferred_on"), deferral_reasons=app.get("deferral_reasons", "") if personal else "",
        within_term=None if row["within_term"] is None else bool(row["within_term"]),
        withdrawn_reason=app.get("withdrawn_reason", "") if personal else "",
        panel=panel, consents=consents, recipients=recipients, documents=documents, chronology=chronology,
        hearing=hearing,
        decision=next((d for d in decisions if d.voided_at is None), None),
        voided_decisions=[d for d in decisions if d.voided_at is not None], followups=followups,
        deadlines=deadlines(row, store.settings, on), letter_issued_on=row["letter_issued_on"],
        file_complete_on=row["file_complete_on"], advice_uses=advice_uses,
    )


def _hearing(h: dict[str, Any] | None, ph: dict[str, Any], personal: bool) -> Hearing | None:
    if h is None:
        return None
    return Hearing(held_on=h["held_on"], members=loads(h["members"]), interpreter=bool(h["interpreter"]),
                   interpreter_language=h["interpreter_language"] or "", interpreter_gender=h["interpreter_gender"],
                   report_sent_on=h["report_sent_on"], corrections_received_on=h["corrections_received_on"],
                   summary=ph.get("summary", "") if personal else "",
                   corrections=ph.get("corrections", "") if personal else "")


def case_audit(store: Store, user: User, ref: str) -> list[dict[str, Any]]:
    """The audit events of one case, oldest first (secretary and chair), as `case_audit_rows` shows them."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "audit.case")
        return case_audit_rows(tx, user, row)


@dataclass(frozen=True)
class AuditLine:
    """One audit event as the audit page shows it: who did what, when, to which part of the case. `action` is
    the stored code (vocabulary kind "audit_action" names it); `reason` is "" when `withheld`."""

    at: dt.datetime  # UTC, as stored
    actor: str  # the username the event records
    actor_name: str  # the account's display name (the username where it has none, or no account)
    action: str
    entity: str
    reason: str
    withheld: bool  # its payload carries special-category text this viewer may not read


def audit_trail(store: Store, user: User, ref: str, *, actor: str | None = None, action: str | None = None,
                since: dt.date | None = None, until: dt.date | None = None) -> list[AuditLine]:
    """One case's audit events, oldest first, for who may read them (`audit.case`, as `case_audit`), kept
    to one actor, one action and a period (both days included, in UTC) when asked."""
    events = case_audit(store, user, ref)
    with store.read() as tx:
        names = {a: ((accounts.get(tx, a) or {}).get("display_name") or a) for a in {e["actor"] for e in events}}
    lines = [AuditLine(at=dt.datetime.fromisoformat(e["at"]), actor=e["actor"], actor_name=names[e["actor"]],
                       action=e["action"], entity=e["entity"], reason=e["reason"] or "",
                       withheld=bool(e.get("withheld")))
             for e in events]
    return [x for x in lines if (actor is None or x.actor == actor) and (action is None or x.action == action)
            and (since is None or x.at.date() >= since) and (until is None or x.at.date() <= until)]


def case_audit_rows(tx: Tx, user: User, row: dict[str, Any]) -> list[dict[str, Any]]:
    """A case's audit events for a viewer whose access the caller checked. An event whose payload carries
    special-category text this viewer may not read (access.may_read_input_text; nobody once its consent is
    revoked) keeps its place, actor and time, with `before`, `after` and `reason` withheld."""
    sc = scope(tx, row)
    consents = active_consents(tx, row["id"])
    doc_scope = {f"document:{d['id']}": d["consent_scope"] for d in parts.documents(tx, row["id"])}
    out = []
    for e in tx.audit_events(row["ref"]):
        event = e.row()
        if not _audit_payload_readable(user, e.entity, doc_scope, sc, consents):
            event.update(before=None, after=None, reason="", withheld=True)
        out.append(event)
    return out


def _audit_payload_readable(user: User, entity: str, doc_scope: dict[str, str | None], sc: CaseScope,
                            consents: frozenset[str]) -> bool:
    kind, _, what = entity.partition(":")
    if kind == "input":
        return may_read_input_text(user, what, sc, consents)
    if kind == "document":
        return may_read_document(user, doc_scope.get(entity), sc, consents)
    return True


def panel_candidates(store: Store, user: User, discipline: str) -> list[tuple[str, str]]:
    """Active members of one discipline as (username, display name), for whoever may assign panels."""
    require(user, "panel.assign")
    with store.read() as tx:
        rows = accounts.active_members(tx, discipline)
    return [(r["username"], r["display_name"] or r["username"]) for r in rows]


@dataclass(frozen=True)
class CaseRow:
    """One row of the Cases screen: the summary plus its open stage deadline (if any)."""

    summary: CaseSummary
    deadline: Deadline | None  # the stage now running, or None when the case is closed


def case_rows(store: Store, user: User, *, status: str | None = None) -> list[CaseRow]:
    """The cases this user may list, each with the deadline of its running stage (due or overdue)."""
    summaries = list_cases(store, user, status=status, limit=1000)
    if not summaries:
        return []
    on = today()
    with store.read() as tx:
        rows = {r["ref"]: r for r in case_records.by_refs(tx, [s.ref for s in summaries])}
    out = []
    for s in summaries:
        running = [d for d in deadlines(rows[s.ref], store.settings, on) if d.state in ("due", "overdue")]
        out.append(CaseRow(summary=s, deadline=running[-1] if running else None))
    return out
