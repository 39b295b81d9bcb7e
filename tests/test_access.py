"""The access matrix: every role against every service action, on a real case and a training case."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assessment import access, services
from assessment.access import POLICY, CaseScope, allowed
from assessment.config import Settings
from assessment.errors import AannemelijkError, AccessDeniedError
from assessment.model import FollowUp, Hearing, InputDraft, User
from assessment.rubric import load_rubric
from assessment.services import privacy, rubrics, training
from assessment.store import Store, open_store
from tests.conftest import MINI, intake

ROOT = Path(__file__).resolve().parent.parent
# Every role, and a member both on and off the panel.
ACTORS = ["secretary", "police", "labour", "chair", "evaluator", "trainer", "trainee", "admin"]
MINI_RUBRIC = load_rubric(MINI)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, User], dict[str, str]]]:
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("access") / "a.sqlite3", demo=True))
    services.load_demo_users(store)
    admin = services.user_by_name(store, "admin")
    services.add_user(store, admin, "trainee", "trainee", "trainee-password")
    users = {u: services.user_by_name(store, u) for u in [*ACTORS]}
    real = services.create_case(store, users["secretary"], intake())
    services.assign_panel(store, users["secretary"], real, "police", "police", no_conflict_declared=True)
    training = services.create_case(store, users["trainer"], intake(), space="training")
    for ref, who in ((real, "secretary"), (training, "trainer")):
        services.record_consent(store, users[who], ref, "police_file", dt.date(2026, 3, 2))
    yield store, users, {"real": real, "training": training}
    store.close()


def version(store: Store, ref: str) -> int:
    with store.read() as tx:
        row = tx.get("cases", ref=ref)
    assert row is not None
    return int(row["version"])


def consent_id(store: Store, ref: str) -> tuple[int, int]:
    with store.read() as tx:
        case = tx.get("cases", ref=ref)
        assert case is not None
        c = tx.select("consents", case_id=case["id"])[0]
    return int(c["id"]), int(c["version"])


Call = Callable[[Store, User, str], Any]

CALLS: dict[str, Call] = {
    "case.list": lambda s, u, r: services.list_cases(s, u),
    "case.view": lambda s, u, r: services.get_case(s, u, r),
    "case.view_personal": lambda s, u, r: services.get_case(s, u, r).intake or (_ for _ in ()).throw(
        AccessDeniedError("no personal data")),
    "case.edit_intake": lambda s, u, r: services.update_intake(s, u, r, intake(), version(s, r)),
    "panel.assign": lambda s, u, r: services.assign_panel(s, u, r, "legal", "legal"),
    "panel.declare_coi": lambda s, u, r: services.declare_no_conflict(s, u, r, "police"),
    "case.admissibility": lambda s, u, r: services.decide_admissibility(s, u, r, "admissible", "ok", version(s, r)),
    "case.withdraw": lambda s, u, r: services.withdraw_case(s, u, r, "reden", version(s, r) + 1000),
    "document.add": lambda s, u, r: services.add_document(s, u, r, source="police", kind="pv",
                                                          received_on=dt.date(2026, 3, 3)),
    "chronology.add": lambda s, u, r: services.add_chronology(s, u, r, dt.date(2026, 1, 1), "feit"),
    "consent.record": lambda s, u, r: services.record_consent(s, u, r, "care_file", dt.date(2026, 3, 3)),
    "consent.revoke": lambda s, u, r: services.revoke_consent(s, u, r, consent_id(s, r)[0], "x",
                                                              consent_id(s, r)[1] + 1000),
    "input.edit": lambda s, u, r: services.save_input_draft(s, u, r, InputDraft(), None),
    "input.view": lambda s, u, r: services.get_inputs(s, u, r),
    "hearing.record": lambda s, u, r: services.record_hearing(s, u, r, Hearing(held_on=dt.date(2026, 4, 1), members=[])),
    "deliberation.open": lambda s, u, r: services.open_deliberation(s, u, r, version(s, r) + 1000),
    "decision.record": lambda s, u, r: services.record_decision(s, u, r, outcome="aannemelijk", reasons={"x": "y"},
                                                                rubric=MINI_RUBRIC, expected_version=version(s, r)),
    "dissent.record": lambda s, u, r: services.record_dissent(s, u, r, "oneens"),
    "case.reopen": lambda s, u, r: services.reopen_case(s, u, r, "reden", version(s, r)),
    "letter.mark_issued": lambda s, u, r: services.mark_letter_issued(s, u, r),
    "letter.preview": lambda s, u, r: services.preview_letter(s, u, r, "nl", "pdf"),
    "letter.issue": lambda s, u, r: services.issue_letter(s, u, r, "nl"),
    "letter.download": lambda s, u, r: services.list_letters(s, u, r),
    "template.manage": lambda s, u, r: services.list_template_sets(s, u),
    "retention.apply": lambda s, u, r: privacy.apply_retention(s, u, dry_run=True),
    "subject.export": lambda s, u, r: privacy.subject_export(s, u, r),
    "followup.record": lambda s, u, r: services.record_followup(s, u, r, FollowUp(kind="care", result="granted")),
    "audit.case": lambda s, u, r: services.case_audit(s, u, r),
    "audit.verify": lambda s, u, r: services.verify_audit(s, u),
    "analysable.read": lambda s, u, r: services.analysable_cases(s, u),
    "export.full": lambda s, u, r: services.full_export(s, u, Path(tempfile.mkdtemp()) / "full", "csv"),
    "users.list": lambda s, u, r: services.list_users(s, u),
    "users.manage": lambda s, u, r: services.disable_user(s, u, "nobody"),
    "rubric.manage": lambda s, u, r: rubrics.list_rubric_versions(s, u),
    "case.create": lambda s, u, r: services.create_case(s, u, intake(), space="training" if "T" in r else "real"),
    # Training sessions: this store is production, so whoever passes the access check meets TrainingSpaceError.
    "training.manage": lambda s, u, r: training.list_sessions(s, u) if u.role != "trainee" else training.reset_session(s, u, 1),
    "training.assess": lambda s, u, r: training.save_trainee_input(s, u, 1, r, InputDraft(), None),
    "training.feedback": lambda s, u, r: training.trainee_feedback(s, u, 1, r, MINI_RUBRIC),
}
CASELESS = {"audit.verify", "analysable.read", "export.full", "users.list", "users.manage", "rubric.manage", "template.manage", "training.manage",
            "retention.apply"}


def test_every_policy_action_has_a_call() -> None:
    assert set(CALLS) == set(POLICY)


def outcome(store: Store, user: User, action: str, ref: str) -> bool:
    """True when access was granted: the call succeeded or failed for a reason other than access."""
    try:
        CALLS[action](store, user, ref)
    except AccessDeniedError:
        return False
    except AannemelijkError:
        return True  # past the access check (e.g. wrong stage, stale version on purpose)
    return True


@pytest.mark.parametrize("space", ["real", "training"])
@pytest.mark.parametrize("action", list(POLICY))
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world: tuple[Store, dict[str, User], dict[str, str]], actor: str, action: str, space: str) -> None:
    store, users, refs = world
    user = users[actor]
    if action == "case.create":
        ref = "T" if space == "training" else ""
        expected = access.scope_of(user, action) == ("training" if space == "training" else "real")
    elif action in CASELESS or action == "case.list":
        ref, expected = refs[space], allowed(user, action)
    else:
        ref = refs[space]
        panel = {"police": "police"} if space == "real" else {}
        expected = allowed(user, action, CaseScope(ref=ref, space=space, panel=panel))  # type: ignore[arg-type]
    assert outcome(store, user, action, ref) is expected


def test_listing_shows_only_what_the_scope_allows(world: tuple[Store, dict[str, User], dict[str, str]]) -> None:
    store, users, refs = world
    real = {c.ref for c in services.list_cases(store, users["chair"])}
    assert refs["real"] in real and refs["training"] not in real
    assert {c.space for c in services.list_cases(store, users["trainee"])} == {"training"}
    assert [c.ref for c in services.list_cases(store, users["police"])] == [refs["real"]]
    assert services.list_cases(store, users["labour"]) == []


def test_policy_keeps_the_issue_s_promises() -> None:
    for action, rules in POLICY.items():
        assert rules.get("trainer") in (None, "training") and rules.get("trainee") in (None, "training"), action
        assert rules.get("member") in (None, "assigned"), action
        if rules.get("evaluator"):
            assert action == "analysable.read"
        if rules.get("admin"):
            assert action in ("users.list", "users.manage", "rubric.manage", "audit.verify", "template.manage",
                              "retention.apply", "export.full")


def test_docs_hold_the_same_matrix() -> None:
    table = access.matrix_markdown()
    assert access.__doc__ is not None and table in access.__doc__
    assert table in (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
