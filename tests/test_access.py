"""The access matrix of docs/access.md, parsed, against every role calling every service action for real.

Expectations come from the table in docs/access.md (the documented policy), never from `assessment.access`:
the table's scope for the actor's role and the case's space says whether the call must succeed or be refused.
Then the real call decides:

- expected refused: it must raise AccessDeniedError; succeeding, or failing for any other reason, fails;
- expected allowed: it must *succeed*, on a fresh copy of the world in which the case is at the stage the
  action needs (so a refusal for the stage, a stale version or any other error fails the test too).

The world is two databases, as a deployment has them: the production database with the real cases, and a
training database (its own accounts, the same demo names) with the training cases and a training session. A
call on a case runs against the database that holds the case (issue #14, hole 10: no training case in the
production database), so every role is still tried on a case of each space.

The one exception is named below (REACHABLE_ONLY_IN_REAL): a training case cannot get to a decision through
the services (no member enters input in the training space), so there an allowed decision-stage action
must pass the access check and then be refused with LifecycleError for the stage, nothing else.

The table is parsed by tests/access_table.py (tolerant of added rows and columns); an action in the table
without a call here fails `test_every_documented_action_has_a_call`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assessment import access, services
from assessment.access import POLICY
from assessment.config import Settings
from assessment.errors import AccessDeniedError, LifecycleError, TrainingSpaceError
from assessment.model import FollowUp, Hearing, InputDraft, User
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.services import privacy, rubrics, training
from assessment.services.importing import import_case_file
from assessment.store import Store, open_store
from tests.access_table import DOC, documented_allows, documented_matrix
from tests.conftest import intake

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = load_rubric(ILO_RUBRIC)
# Actor (a demo account) -> its role, the column of the table. Two members: `police` sits on every panel here,
# `labour` on none, so `assigned` is tested both ways.
ACTORS: dict[str, str] = {
    "secretary": "secretary", "police": "member", "labour": "member", "chair": "chair", "evaluator": "evaluator",
    "trainer": "trainer", "trainee": "trainee", "admin": "admin",
}
ON_PANEL = {"police"}
MATRIX = documented_matrix()
# Actions without a case (case.create makes one: it is tested in each space it could create in).
CASE_ACTIONS_CASELESS = {"case.list", "case.create", "audit.verify", "analysable.read", "workspace.view", "export.full", "users.list",
                         "users.manage", "rubric.manage", "template.manage", "retention.apply", "disclosure.configure"}
TRAINING_DB_ACTIONS = {"training.manage", "training.assess", "training.feedback"}


def expected(actor: str, action: str, space: str) -> bool:
    """Allowed by the documented table? (`space`: where the case lives, or where `case.create` creates.)"""
    caseless = action in CASE_ACTIONS_CASELESS - {"case.create"}
    return documented_allows(action, ACTORS[actor], space=None if caseless else space, on_panel=actor in ON_PANEL)


# --- the world: a case at every stage in each space (real cases in the production database, training cases in
# the training database), plus a session in the training database ---------------------------------------------

STAGES = ("intake", "assessment", "deliberation", "decided")


@dataclass
class World:
    store: Store
    training_store: Store
    users: dict[str, User]
    refs: dict[tuple[str, str], str]  # (space, stage) -> ref, in the database of that space
    session: int
    session_refs: tuple[str, str]  # a session case the trainee submitted, and one not started


def _case(store: Store, users: dict[str, User], space: str, stage: str) -> str:
    who = users["secretary"] if space == "real" else users["trainer"]
    chair = users["chair"] if space == "real" else users["trainer"]
    ref = services.create_case(store, who, intake(), space=space)  # type: ignore[arg-type]
    services.record_consent(store, who, ref, "police_file", dt.date(2026, 3, 2))
    services.assign_panel(store, who, ref, "police", "police")
    if space == "real":  # the member declares personally before reading anything (issue #14, hole 8)
        services.declare_no_conflict(store, users["police"], ref, "police")
    if space == "real":  # a second seat, so a hearing can be held by two members (its quorum)
        services.assign_panel(store, who, ref, "legal", "legal")
    if stage == "intake":
        return ref
    version = services.get_case(store, chair, ref).version
    services.decide_admissibility(store, who, ref, "admissible", "binnen de termijn", version)
    if stage == "assessment":
        return ref
    if space == "real":
        v = services.save_input_draft(store, users["police"], ref, InputDraft(), None)
        services.submit_input(store, users["police"], ref, v)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    if stage == "deliberation":
        return ref
    services.record_decision(store, chair, ref, outcome="niet_aannemelijk", reasons={"overall": "Te weinig gegevens."},
                             rubric=RUBRIC, override_reason="Het panel weegt anders.",
                             expected_version=services.get_case(store, chair, ref).version)
    return ref


def _build(tmp: Path) -> tuple[Path, Path, dict[tuple[str, str], str], int, tuple[str, str]]:
    """The world's two database files (built once; every allowed call gets fresh copies)."""
    store = open_store(Settings(db_path=tmp / "real.sqlite3", demo=True, quorum_min_disciplines=1))
    services.load_demo_users(store)
    admin = services.user_by_name(store, "admin")
    services.add_user(store, admin, "trainee", "trainee", "trainee-password")
    users = {a: services.user_by_name(store, a) for a in ACTORS}
    refs = {("real", stage): _case(store, users, "real", stage) for stage in STAGES}
    store.close()
    tstore = open_store(Settings(db_path=tmp / "training.sqlite3", demo=True, training=True))
    training.load_training_space(tstore)
    services.add_user(tstore, services.user_by_name(tstore, "admin"), "trainee", "trainee", "trainee-password")
    tusers = {a: services.user_by_name(tstore, a) for a in ACTORS}
    refs |= {("training", stage): _case(tstore, tusers, "training", stage) for stage in STAGES if stage != "decided"}
    trainer = services.user_by_name(tstore, "trainer")
    case_files = list(training.training_case_files())[:2]
    session = training.open_session(tstore, trainer, "Sessie", case_files, ["trainee"], RUBRIC)
    done, todo = (c.ref for c in training.get_session(tstore, trainer, session).cases)
    trainee = services.user_by_name(tstore, "trainee")
    v = training.save_trainee_input(tstore, trainee, session, done, InputDraft(), None)
    training.submit_trainee_input(tstore, trainee, session, done, v)
    tstore.close()
    return tmp / "real.sqlite3", tmp / "training.sqlite3", refs, session, (done, todo)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[tuple[str, str], str], int, tuple[str, str]]:
    return _build(tmp_path_factory.mktemp("world"))


@pytest.fixture
def fresh(built: tuple[Path, Path, dict[tuple[str, str], str], int, tuple[str, str]],
          tmp_path: Path) -> Iterator[Callable[[], World]]:
    """A factory of fresh worlds: copies of the built files, opened; closed at the end of the test."""
    opened: list[Store] = []

    def make() -> World:
        n = len(opened)
        real, train = tmp_path / f"real{n}.sqlite3", tmp_path / f"training{n}.sqlite3"
        shutil.copyfile(built[0], real)
        shutil.copyfile(built[1], train)
        store = open_store(Settings(db_path=real, demo=True, quorum_min_disciplines=1))
        tstore = open_store(Settings(db_path=train, demo=True, training=True))
        opened.extend([store, tstore])
        users = {a: services.user_by_name(store, a) for a in ACTORS}
        return World(store, tstore, users, built[2], built[3], built[4])

    yield make
    for s in opened:
        s.close()


# --- one call per action: arguments valid for the stage, so an allowed call succeeds ------------------------

def _raw_version(store: Store, ref: str) -> int:
    with store.read() as tx:
        row = tx.get("cases", ref=ref)
    assert row is not None
    return int(row["version"])


def _consent(store: Store, ref: str) -> tuple[int, int]:
    with store.read() as tx:
        case = tx.get("cases", ref=ref)
        assert case is not None
        c = tx.select("consents", case_id=case["id"])[0]
    return int(c["id"]), int(c["version"])


Call = Callable[[World, User, str, str], Any]  # (world, user, space, ref of the case at the action's stage)

CALLS: dict[str, tuple[str, Call]] = {
    # action: (the stage the case must be at, the call)
    "case.create": ("intake", lambda w, u, sp, r: services.create_case(w.store, u, intake(), space=sp)),  # type: ignore[arg-type]
    "case.list": ("intake", lambda w, u, sp, r: services.list_cases(w.store, u)),
    "case.view": ("intake", lambda w, u, sp, r: services.get_case(w.store, u, r)),
    "case.view_personal": ("intake", lambda w, u, sp, r: _personal(w, u, r)),
    "case.edit_intake": ("intake", lambda w, u, sp, r: services.update_intake(w.store, u, r, intake(),
                                                                              _raw_version(w.store, r))),
    "panel.assign": ("intake", lambda w, u, sp, r: services.assign_panel(w.store, u, r, "legal", "legal")),
    "panel.declare_coi": ("intake", lambda w, u, sp, r: services.declare_no_conflict(w.store, u, r, "police")),
    "case.admissibility": ("intake", lambda w, u, sp, r: services.decide_admissibility(
        w.store, u, r, "admissible", "ok", _raw_version(w.store, r))),
    "case.withdraw": ("intake", lambda w, u, sp, r: services.withdraw_case(w.store, u, r, "reden",
                                                                           _raw_version(w.store, r))),
    "document.add": ("intake", lambda w, u, sp, r: services.add_document(
        w.store, u, r, source="police", kind="pv", received_on=dt.date(2026, 3, 3))),
    "chronology.add": ("intake", lambda w, u, sp, r: services.add_chronology(w.store, u, r, dt.date(2026, 1, 1),
                                                                             "feit")),
    "consent.record": ("intake", lambda w, u, sp, r: services.record_consent(w.store, u, r, "care_file",
                                                                             dt.date(2026, 3, 3))),
    "consent.revoke": ("intake", lambda w, u, sp, r: services.revoke_consent(
        w.store, u, r, _consent(w.store, r)[0], "ingetrokken", _consent(w.store, r)[1])),
    "input.edit": ("assessment", lambda w, u, sp, r: services.save_input_draft(w.store, u, r, InputDraft(), None)),
    "input.view": ("assessment", lambda w, u, sp, r: services.get_inputs(w.store, u, r)),
    "hearing.record": ("assessment", lambda w, u, sp, r: services.record_hearing(
        w.store, u, r, Hearing(held_on=dt.date(2026, 4, 1),  # a quorum of two; a trainee alone
        members=["police", "legal"] if sp == "real" else ["police"]))),
    "file.complete": ("assessment", lambda w, u, sp, r: services.mark_file_complete(w.store, u, r,
                                                                                  _raw_version(w.store, r))),
    "deliberation.open": ("assessment", lambda w, u, sp, r: services.open_deliberation(w.store, u, r,
                                                                                       _raw_version(w.store, r))),
    "decision.record": ("deliberation", lambda w, u, sp, r: services.record_decision(
        w.store, u, r, outcome="niet_aannemelijk", reasons={"overall": "Te weinig gegevens."}, rubric=RUBRIC,
        override_reason="Het panel weegt anders.", expected_version=_raw_version(w.store, r))),
    "dissent.record": ("decided", lambda w, u, sp, r: services.record_dissent(w.store, u, r, "Ik ben het oneens.")),
    "case.reopen": ("decided", lambda w, u, sp, r: services.reopen_case(w.store, u, r, "nieuw feit",
                                                                        _raw_version(w.store, r))),
    "letter.mark_issued": ("decided", lambda w, u, sp, r: services.mark_letter_issued(w.store, u, r)),
    "letter.preview": ("decided", lambda w, u, sp, r: services.preview_letter(w.store, u, r, "nl", "pdf")),
    "letter.issue": ("decided", lambda w, u, sp, r: services.issue_letter(w.store, u, r, "nl")),
    "letter.download": ("decided", lambda w, u, sp, r: services.list_letters(w.store, u, r)),
    "template.manage": ("intake", lambda w, u, sp, r: services.list_template_sets(w.store, u)),
    "followup.record": ("decided", lambda w, u, sp, r: services.record_followup(
        w.store, u, r, FollowUp(kind="care", result="granted"))),
    "audit.case": ("intake", lambda w, u, sp, r: services.case_audit(w.store, u, r)),
    "audit.verify": ("intake", lambda w, u, sp, r: services.verify_audit(w.store, u)),
    "analysable.read": ("intake", lambda w, u, sp, r: services.analysable_cases(w.store, u)),
    "workspace.view": ("intake", lambda w, u, sp, r: services.workspace_figures(w.store, u)),
    "export.full": ("intake", lambda w, u, sp, r: services.full_export(w.store, u, w.store.path.parent / "full",
                                                                       "csv")),
    "disclosure.configure": ("intake", lambda w, u, sp, r: services.configure_disclosure(
        w.store, u, threshold=12, reason="Advies van de privacyfunctionaris.")),
    "users.list": ("intake", lambda w, u, sp, r: services.list_users(w.store, u)),
    "users.manage": ("intake", lambda w, u, sp, r: services.disable_user(w.store, u, "labour")),
    "rubric.manage": ("intake", lambda w, u, sp, r: rubrics.list_rubric_versions(w.store, u)),
    "retention.apply": ("intake", lambda w, u, sp, r: privacy.apply_retention(w.store, u, dry_run=True)),
    "subject.export": ("intake", lambda w, u, sp, r: privacy.subject_export(w.store, u, r)),
    # In the training database, on the session's case.
    "training.manage": ("intake", lambda w, u, sp, r: training.reset_session(w.training_store, u, w.session)),
    "training.assess": ("intake", lambda w, u, sp, r: training.save_trainee_input(
        w.training_store, u, w.session, w.session_refs[1], InputDraft(), None)),
    "training.feedback": ("intake", lambda w, u, sp, r: training.trainee_feedback(
        w.training_store, u, w.session, w.session_refs[0], RUBRIC, trainee="trainee")),
}
# Calls that need a decided case (or a quorum of member input): out of reach of a training case.
REACHABLE_ONLY_IN_REAL = {"decision.record", "dissent.record", "case.reopen", "letter.mark_issued", "letter.preview",
                          "letter.issue", "followup.record"}


def _personal(w: World, u: User, ref: str) -> object:
    view = services.get_case(w.store, u, ref)
    if view.intake is None:  # the case is shown without its personal data: that is a refusal of this action
        raise AccessDeniedError("no personal data")
    return view.intake


def _ref(w: World, action: str, space: str) -> str:
    stage = CALLS[action][0]
    if space == "training" and stage == "decided":
        stage = "deliberation"  # the furthest a training case gets
    return w.refs[(space, stage)]


def _in_space(w: World, action: str, space: str) -> World:
    """The world as a call in `space` sees it: `store` is the database that holds the cases of that space."""
    return dataclasses.replace(w, store=w.training_store) if space == "training" or action in TRAINING_DB_ACTIONS \
        else w


def _user(w: World, actor: str) -> User:
    return services.user_by_name(w.store, actor)


def spaces(action: str) -> list[str]:
    """Both spaces for case actions; one run for actions without a case (and for the training database)."""
    if action == "case.create":
        return ["real", "training"]
    if action in TRAINING_DB_ACTIONS:
        return ["training"]
    return ["real"] if action in CASE_ACTIONS_CASELESS else ["real", "training"]


def test_every_documented_action_has_a_call() -> None:
    assert set(MATRIX) == set(CALLS)
    assert set(POLICY) == set(MATRIX), "docs/access.md and access.POLICY name different actions"


def test_the_table_names_every_role() -> None:
    for action, row in MATRIX.items():
        assert set(ACTORS.values()) <= set(row), action


@pytest.mark.parametrize(("action", "space"), [(a, s) for a in CALLS for s in spaces(a)])
def test_matrix(action: str, space: str, fresh: Callable[[], World]) -> None:
    shared = fresh()  # refused calls must change nothing, so they share one world
    wrong: list[str] = []
    for actor in ACTORS:
        allowed = expected(actor, action, space)
        world = _in_space(fresh() if allowed else shared, action, space)
        user = _user(world, actor)
        call = CALLS[action][1]
        try:
            call(world, user, space, _ref(world, action, space))
        except AccessDeniedError as exc:
            if allowed:
                wrong.append(f"{actor}: refused, but the table allows it ({exc})")
        except LifecycleError as exc:
            if not (allowed and space == "training" and action in REACHABLE_ONLY_IN_REAL):
                wrong.append(f"{actor}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - any other failure is a defect, reported with the rest
            wrong.append(f"{actor}: {type(exc).__name__}: {exc}")
        else:
            if not allowed:
                wrong.append(f"{actor}: allowed, but the table refuses it")
            elif space == "training" and action in REACHABLE_ONLY_IN_REAL:
                wrong.append(f"{actor}: succeeded on a training case that cannot be at this stage")
    assert wrong == [], f"{action} on a {space} case"


def test_listing_shows_only_what_the_scope_allows(fresh: Callable[[], World]) -> None:
    w = fresh()
    real = {ref for (space, _), ref in w.refs.items() if space == "real"}
    training_refs = {ref for (space, _), ref in w.refs.items() if space == "training"}
    assert {c.ref for c in services.list_cases(w.store, w.users["chair"])} == real
    assert services.list_cases(w.store, w.users["trainer"]) == []  # no training case in production
    t = _in_space(w, "case.list", "training")
    assert {c.ref for c in services.list_cases(t.store, _user(t, "trainer"))} >= training_refs  # and the session's
    assert {c.ref for c in services.list_cases(t.store, _user(t, "chair"))} == set()  # a real scope: no real case
    assert {c.ref for c in services.list_cases(t.store, _user(t, "trainee"))} <= {
        c.ref for c in services.list_cases(t.store, _user(t, "trainer"))}
    assert {c.ref for c in services.list_cases(w.store, w.users["police"])} == real  # on every real panel here
    assert services.list_cases(w.store, w.users["labour"]) == []


def test_policy_keeps_the_issue_s_promises() -> None:
    for action, rules in POLICY.items():
        assert rules.get("trainer") in (None, "training") and rules.get("trainee") in (None, "training"), action
        assert rules.get("member") in (None, "assigned"), action
        if rules.get("evaluator"):  # pseudonymous facts, and the exact counts of the workspace (issue #16)
            assert action in ("analysable.read", "workspace.view")
        if rules.get("admin"):
            assert action in ("users.list", "users.manage", "rubric.manage", "audit.verify", "template.manage",
                              "retention.apply", "export.full", "disclosure.configure")


def test_docs_hold_the_same_matrix() -> None:
    table = access.matrix_markdown()
    assert access.__doc__ is not None and table in access.__doc__
    assert table in DOC.read_text(encoding="utf-8")


# --- issue #14, hole 10: no training case in the production database, no real case in a training one ---------

def _case_count(store: Store) -> tuple[int, int]:
    with store.read() as tx:
        return len(tx.select("cases", space="real")), len(tx.select("cases", space="training"))


def test_no_training_case_is_created_or_imported_in_the_production_database(fresh: Callable[[], World],
                                                                            tmp_path: Path) -> None:
    w = fresh()
    before = _case_count(w.store), _case_count(w.training_store)
    trainer = services.user_by_name(w.store, "trainer")  # a trainer account in the production database
    with pytest.raises(TrainingSpaceError):
        services.create_case(w.store, trainer, intake(), space="training")
    case_file = ROOT / "pilot_data" / "cases" / "01-clear-positive.yaml"
    as_training = tmp_path / "training-case.yaml"
    as_training.write_text("space: training\n" + case_file.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(TrainingSpaceError):
        import_case_file(w.store, trainer, as_training, RUBRIC)
    # ... and the other way round: the training database takes no real case, whoever asks.
    t_secretary = services.user_by_name(w.training_store, "secretary")
    with pytest.raises(TrainingSpaceError):
        services.create_case(w.training_store, t_secretary, intake(), space="real")
    with pytest.raises(TrainingSpaceError):
        import_case_file(w.training_store, t_secretary, case_file, RUBRIC)
    assert (_case_count(w.store), _case_count(w.training_store)) == before  # nothing was created anywhere
    assert before[0][1] == 0  # and the production database of this world holds no training case at all
    # The next real reference is still the next one: a refused training case took none.
    ref = services.create_case(w.store, services.user_by_name(w.store, "secretary"), intake())
    assert ref == f"AAN-2026-{before[0][0] + 1:04d}"
