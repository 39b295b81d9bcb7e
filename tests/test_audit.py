"""The audit trail: append-only, hash-chained; verify names the first changed, removed or reordered event."""

from __future__ import annotations

import sqlite3

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, AuditChainError
from assessment.store import Store


@pytest.fixture
def logged(store: Store) -> Store:
    with store.write() as tx:
        for i in range(1, 6):
            tx.append_audit(actor="secretary", action=f"act{i}", case_ref="AAN-2026-0001",
                            before={"n": i - 1}, after={"n": i}, reason=f"r{i}")
    return store


def tamper(store: Store, *sql: str) -> None:
    """What a person with raw file access could do: drop the guards and edit rows."""
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_intact_chain_verifies(logged: Store) -> None:
    assert services.check_audit_chain(logged) == 5


def test_verifying_in_the_app_needs_a_user_the_policy_allows(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    # docs/access.md: audit.verify is for the chair and the administrator only
    assert services.verify_audit(store, users["chair"]) == services.check_audit_chain(store) > 0
    for name in ("secretary", "police"):
        with pytest.raises(AccessDeniedError, match="may not perform 'audit.verify'"):
            services.verify_audit(store, users[name])


def test_log_is_append_only(logged: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        logged.db.conn.execute("UPDATE audit_events SET actor = 'x' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        logged.db.conn.execute("DELETE FROM audit_events WHERE seq = 2")


def test_changed_event_is_named(logged: Store) -> None:
    tamper(logged, "UPDATE audit_events SET after = '{\"n\": 99}' WHERE seq = 3")
    with pytest.raises(AuditChainError, match=r"Event #3 was changed"):
        services.check_audit_chain(logged)


def test_removed_event_is_named(logged: Store) -> None:
    tamper(logged, "DELETE FROM audit_events WHERE seq = 3")
    with pytest.raises(AuditChainError, match=r"after #2 were removed"):
        services.check_audit_chain(logged)


def test_removed_and_renumbered_is_still_found(logged: Store) -> None:
    tamper(logged, "DELETE FROM audit_events WHERE seq = 3", "UPDATE audit_events SET seq = seq + 100 WHERE seq > 3",
           "UPDATE audit_events SET seq = seq - 101 WHERE seq > 100")
    with pytest.raises(AuditChainError, match=r"after #2 were removed"):
        services.check_audit_chain(logged)


def test_removed_tail_is_found_through_the_head(logged: Store) -> None:
    tamper(logged, "DELETE FROM audit_events WHERE seq = 5")
    with pytest.raises(AuditChainError, match=r"after #4 were removed"):
        services.check_audit_chain(logged)


def test_reordered_events_are_named(logged: Store) -> None:
    tamper(logged, "UPDATE audit_events SET seq = 100 WHERE seq = 2", "UPDATE audit_events SET seq = 2 WHERE seq = 3",
           "UPDATE audit_events SET seq = 3 WHERE seq = 100")
    with pytest.raises(AuditChainError, match=r"Event #2 was reordered"):
        services.check_audit_chain(logged)


def test_every_service_change_is_audited_with_before_after_and_reason(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="assessment")
    v = services.get_case(store, users["chair"], ref).version
    services.withdraw_case(store, users["chair"], ref, "Aanvrager trekt in.", v)
    events = services.case_audit(store, users["chair"], ref)
    assert [e["action"] for e in events] == [
        "case.create", "consent.record", "consent.record",
        *["panel.assign", "panel.declare_coi"] * 4,  # each of the four members declares personally on being seated
        "case.admissibility", "case.withdraw"]
    last = events[-1]
    assert (last["actor"], last["before"], last["after"], last["reason"]) == (
        "chair", '{"status": "assessment"}', '{"status": "withdrawn"}', "Aanvrager trekt in.")
    assert services.check_audit_chain(store) == len(events) + len(users)  # one user.add event per account
