"""Training sessions, only in a training database (the file marks itself; assessment.store refuses to open
it as production and the other way round; every function here also refuses a production store).

A trainer opens a session with chosen curated cases (pilot_data/cases) and trainee accounts. Each case is
imported into the training space as a file only (intake, consents, documents, chronology, hearing), without
the panel's input, so trainees assess it blind; the experienced panel's input and decision are kept beside
it as the session's reference. Each trainee assesses each case alone (`training_inputs`, keyed by session,
trainee and case); after submitting, the trainee sees their feedback (assessment.training), and the trainer
sees the group. A reset removes every trainee input of the session in one step (audited).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..access import may_train, own_training_only, require
from ..casefile import CaseFileModel, read_case_file
from ..disciplines import consent_needed
from ..errors import ConflictError, LifecycleError, NotFoundError, TrainingSpaceError, ValidationError
from ..evaluation.export import TRAINING_MARK
from ..i18n import N_, Msg
from ..model import InputDraft, User
from ..queries import training as sessions
from ..queries import users as accounts
from ..rubric import Rubric
from ..store import Store, Tx, now_iso
from ..training import (
    Feedback,
    GroupView,
    Reference,
    ReferenceObservation,
    feedback,
    group_view,
    reference_findings,
    shown_in_file,
)
from . import cases, users
from ._common import case_for
from .importing import DEMO_CASES, _import_file_parts
from .inputs import _check_indicators

TRAINEES = ("trainee1", "trainee2", "trainee3")  # demo trainee accounts of the training space (password demo)


@dataclass(frozen=True)
class SessionCase:
    ref: str
    case_file: str
    title: dict[str, str]


@dataclass(frozen=True)
class TrainingSession:
    """A session as its trainer and trainees see it."""

    id: int
    name: str
    created_by: str
    created_at: str
    reset_at: str | None
    cases: list[SessionCase]
    trainees: list[str]


@dataclass(frozen=True)
class TraineeInput:
    draft: InputDraft
    version: int | None  # None: nothing saved yet
    submitted: bool


def _role_of(store: Store, username: str) -> str | None:
    with store.read() as tx:
        row = accounts.get(tx, username)
    return None if row is None else str(row["role"])


def _require_training(store: Store) -> None:
    if not store.settings.training:
        raise TrainingSpaceError(N_("Training is only possible in the training space (a separate training database)."))


def load_training_space(store: Store) -> list[str]:
    """Fill a new training database with the demo accounts and the demo trainees; returns who was created."""
    _require_training(store)
    hashed = users.demo_password_hash()
    created = users.load_demo_users(store, hashed)
    for name in TRAINEES:
        if _role_of(store, name) is not None:
            continue
        users._insert_user(store, users.SYSTEM, User(username=name, role="trainee",  # noqa: SLF001
                                                     display_name=f"Demo {name.capitalize()}"),  # as the other demo accounts
                           users.DEMO_PASSWORD, demo=True, password_hash=hashed)
        created.append(name)
    return created


def training_case_files(directory: Path = DEMO_CASES) -> dict[str, dict[str, str]]:
    """The curated cases a session can use (those with a reference assessment): file id -> title."""
    # Parsing every case file takes most of a second; pages ask on every run. Files change only on deploy,
    # so the answer is kept until a file's name, size or modification time changes.
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.yaml")))
    return dict(_training_case_files(directory, stamp))


@lru_cache(maxsize=8)
def _training_case_files(directory: Path, stamp: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, dict[str, str]], ...]:
    out = {}
    for path in sorted(directory.glob("*.yaml")):
        cf = read_case_file(path)
        if any(e.submitted for e in cf.inputs.values()) and cf.admissibility and \
                cf.admissibility.get("decision") == "admissible" and cf.withdrawal is None:
            out[cf.id] = cf.title
    return tuple(out.items())


def _case_file(file_id: str, directory: Path, lang: str) -> CaseFileModel:
    for path in sorted(directory.glob("*.yaml")):
        cf = read_case_file(path, lang)  # type: ignore[arg-type]
        if cf.id == file_id:
            return cf
    raise NotFoundError(N_("Training case {file_id} does not exist"), file_id=file_id)


def _reference(cf: CaseFileModel, rubric: Rubric) -> Reference:
    active = {c.scope for c in cf.consents if c.revoked_on is None}
    titles = [d.title for d in cf.documents]  # the documents imported into the trainee's file
    observations = [ReferenceObservation(discipline=d, indicator=o.indicator, status=o.status, source=o.source,
                                         note=o.note, in_file=shown_in_file(o.source, titles))
                    for d, entry in cf.inputs.items() if entry.submitted and consent_needed(d) in (None, *active)
                    for o in entry.draft.observations]
    reference = Reference(case_file=cf.id, profile=rubric.profile_for(cf.intake.age_group, cf.intake.form).id,
                          observations=observations, outcome=cf.decision.outcome if cf.decision else None,
                          reasons=cf.decision.reasons if cf.decision else {})
    if cf.decision is None:
        return reference
    # The panel's findings are the record the trainees are compared with, not the instrument's status.
    return reference.model_copy(update={"findings": reference_findings(rubric, reference, cf.decision.findings)})


def _import_file_only(store: Store, user: User, cf: CaseFileModel) -> str:
    """The case's file in the training space, without the panel's input (trainees assess it blind)."""
    ref = cases.create_case(store, user, cf.intake, space="training")
    consent_ids = _import_file_parts(store, user, ref, cf)
    for c in cf.consents:
        if c.revoked_on:
            cases.revoke_consent(store, user, ref, consent_ids[c.scope], "case file", 1, on=c.revoked_on)
    assert cf.admissibility is not None
    cases.decide_admissibility(store, user, ref, "admissible", cf.admissibility.get("reasons", ""),
                               cases.get_case(store, user, ref).version)
    if cf.hearing:
        # the trainer holds the rehearsed hearing alone; the rest (interpreter, report for correction) as the file has it
        cases.record_hearing(store, user, ref, cf.hearing.model_copy(update={"members": [user.username]}))
    return ref


def open_session(store: Store, user: User, name: str, case_files: list[str], trainees: list[str],
                 rubric: Rubric, *, lang: str = "nl", directory: Path = DEMO_CASES) -> int:
    """The trainer opens a session with these curated cases and trainee accounts; returns its id."""
    require(user, "training.manage")
    _require_training(store)
    if not name.strip():
        raise ValidationError(N_("Give the session a name"), field="name")
    usable = training_case_files(directory)
    if not case_files or any(f not in usable for f in case_files):
        raise ValidationError(N_("Choose training cases from: {cases}"), cases=", ".join(usable),
                              field="case_files")
    if not trainees:
        raise ValidationError(N_("Choose at least one trainee"), field="trainees")
    for t in trainees:
        if not may_train(_role_of(store, t) or ""):
            raise ValidationError(N_("{username} is not a trainee"), username=t, field="trainees")
    imported = []
    for file_id in dict.fromkeys(case_files):
        cf = _case_file(file_id, directory, lang)
        imported.append((_import_file_only(store, user, cf), cf.id, _reference(cf, rubric)))
    with store.write() as tx:
        sid = sessions.add_session(tx, name.strip(), user.username,
                                   [(ref, file_id, reference.model_dump_json()) for ref, file_id, reference in imported],
                                   list(dict.fromkeys(trainees)))
        tx.append_audit(actor=user.username, action="training.open", entity=f"training_session:{sid}",
                        after={"name": name.strip(), "cases": [r for r, _, _ in imported], "trainees": trainees})
    return sid


def _session(tx: Tx, user: User, session_id: int) -> TrainingSession:
    row = sessions.session(tx, session_id)
    trainees = sessions.trainees(tx, session_id)
    if row is None or (own_training_only(user) and user.username not in trainees):
        raise NotFoundError(N_("Training session {session_id} does not exist"), session_id=session_id)
    titles = training_case_files()
    session_cases = [SessionCase(r["case_ref"], r["case_file"], titles.get(r["case_file"], {}))
                     for r in sessions.cases(tx, session_id)]
    return TrainingSession(row["id"], row["name"], row["created_by"], row["created_at"], row["reset_at"],
                           session_cases, trainees)


def list_sessions(store: Store, user: User) -> list[TrainingSession]:
    """The sessions this user may see: all for a trainer, their own for a trainee."""
    require(user, "training.feedback")
    _require_training(store)
    with store.read() as tx:
        ids = sessions.session_ids_newest_first(tx)
        out = []
        for sid in ids:
            try:
                out.append(_session(tx, user, sid))
            except NotFoundError:
                continue  # a trainee sees only the sessions they are in
        return out


def get_session(store: Store, user: User, session_id: int) -> TrainingSession:
    """One session (a trainee only sees sessions they are in)."""
    require(user, "training.feedback")
    _require_training(store)
    with store.read() as tx:
        return _session(tx, user, session_id)


def _in_session(tx: Tx, user: User, session_id: int, ref: str) -> dict[str, object]:
    session = _session(tx, user, session_id)
    if ref not in {c.ref for c in session.cases}:
        raise NotFoundError(N_("Case {ref} is not in this session"), ref=ref)
    row = sessions.case(tx, session_id, ref)
    assert row is not None
    return row


def get_trainee_input(store: Store, user: User, session_id: int, ref: str) -> TraineeInput:
    """The trainee's own input on a case of the session (empty before the first save)."""
    with store.read() as tx:
        case_for(tx, user, ref, "training.assess")
        _require_training(store)
        _in_session(tx, user, session_id, ref)
        row = sessions.trainee_input(tx, session_id, user.username, ref)
    if row is None:
        return TraineeInput(InputDraft(), None, False)
    return TraineeInput(InputDraft.model_validate_json(row["draft"]), row["version"], bool(row["submitted_at"]))


def save_trainee_input(store: Store, user: User, session_id: int, ref: str, draft: InputDraft,
                       expected_version: int | None, *, rubric: Rubric | None = None) -> int:
    """Save the trainee's input as typed (first save: `expected_version=None`); returns the new version."""
    _check_indicators(rubric, draft)
    with store.write() as tx:
        case_for(tx, user, ref, "training.assess")
        _require_training(store)
        _in_session(tx, user, session_id, ref)
        current = sessions.trainee_input(tx, session_id, user.username, ref)
        if current is not None and current["submitted_at"]:
            raise LifecycleError(N_("You have submitted this case already"))
        if current is None:
            if expected_version is not None:
                raise ConflictError(N_("Your exercise was reset; reload"))
            version = sessions.add_input(tx, session_id, user.username, ref, draft.model_dump_json())
        else:
            version = sessions.update_input(tx, current["id"], {"draft": draft.model_dump_json()},
                                            actor=user.username, what=Msg(N_("Exercise {ref}"), {"ref": ref}),
                                            expected_version=expected_version if expected_version is not None else -1)
        tx.append_audit(actor=user.username, action="training.input.save", case_ref=ref,
                        entity=f"training_session:{session_id}", after={"version": version})
    return version


def submit_trainee_input(store: Store, user: User, session_id: int, ref: str, expected_version: int) -> int:
    """Submit the trainee's input: from now on the trainee sees the feedback for this case."""
    with store.write() as tx:
        case_for(tx, user, ref, "training.assess")
        _require_training(store)
        _in_session(tx, user, session_id, ref)
        current = sessions.trainee_input(tx, session_id, user.username, ref)
        if current is None:
            raise NotFoundError(N_("There is no exercise to submit yet"))
        version = sessions.update_input(tx, current["id"], {"submitted_at": now_iso()}, actor=user.username,
                                        expected_version=expected_version, what=Msg(N_("Exercise {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="training.input.submit", case_ref=ref,
                        entity=f"training_session:{session_id}")
    return version


def trainee_feedback(store: Store, user: User, session_id: int, ref: str, rubric: Rubric,
                     trainee: str | None = None) -> Feedback:
    """A trainee's submitted assessment beside the reference. A trainee sees only their own; the trainer
    names the trainee."""
    with store.read() as tx:
        case_for(tx, user, ref, "training.feedback")
        _require_training(store)
        row = _in_session(tx, user, session_id, ref)
        who = user.username if own_training_only(user) else trainee
        if who is None:
            raise ValidationError(N_("Choose a trainee"), field="trainee")
        mine = sessions.trainee_input(tx, session_id, who, ref)
    if mine is None or not mine["submitted_at"]:
        raise LifecycleError(N_("Feedback comes after submitting"))
    reference = Reference.model_validate_json(str(row["reference"]))
    return feedback(rubric, reference, InputDraft.model_validate_json(mine["draft"]))


def group_feedback(store: Store, user: User, session_id: int, rubric: Rubric) -> dict[str, GroupView]:
    """The trainer's view of the whole group, per case of the session (submitted inputs only)."""
    require(user, "training.manage")
    _require_training(store)
    with store.read() as tx:
        _session(tx, user, session_id)
        rows = sessions.cases(tx, session_id)
        inputs = [r for r in sessions.inputs(tx, session_id) if r["submitted_at"]]
    out = {}
    for row in rows:
        drafts = {i["username"]: InputDraft.model_validate_json(i["draft"]) for i in inputs
                  if i["case_ref"] == row["case_ref"]}
        out[row["case_ref"]] = group_view(rubric, Reference.model_validate_json(row["reference"]), drafts)
    return out


def group_export_csv(store: Store, user: User, session_id: int, rubric: Rubric) -> str:
    """The group view as CSV; its first line marks it as training output, so it cannot pass for real data."""
    views = group_feedback(store, user, session_id, rubric)
    buf = io.StringIO()
    buf.write(TRAINING_MARK + "\n")
    w = csv.writer(buf)
    w.writerow(["case", "trainees", "fleiss_kappa", "mean_kappa_with_reference", "outcome_matches", "most_missed"])
    for ref, v in views.items():
        w.writerow([ref, v.trainees, v.fleiss_kappa, v.mean_kappa, v.outcome_matches,
                    json.dumps(dict(v.most_missed))])
    return buf.getvalue()


def reset_session(store: Store, user: User, session_id: int) -> int:
    """Remove every trainee input of the session (one click); returns how many were removed. Audited."""
    require(user, "training.manage")
    _require_training(store)
    with store.write() as tx:
        _session(tx, user, session_id)
        n, at = sessions.reset(tx, session_id)
        tx.append_audit(actor=user.username, action="training.reset", entity=f"training_session:{session_id}",
                        after={"removed_inputs": n, "reset_at": at})
    return n
