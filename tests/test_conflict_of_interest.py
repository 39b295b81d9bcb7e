"""Conflict of interest (issue #14, hole 8): a member reads a case only after declaring, personally, that
they have no conflict of interest; nobody declares it for them; a declared conflict takes them off the case."""

from __future__ import annotations

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, DeclarationNeededError
from assessment.model import User
from assessment.store import Store


@pytest.fixture
def seated(store: Store, users: dict[str, User], make_case) -> str:  # type: ignore[no-untyped-def]
    """A case in assessment with the legal member seated but not yet declared."""
    ref = make_case(stage="assessment", panel=("police", "care", "medical"))
    services.assign_panel(store, users["secretary"], ref, "legal", "legal")
    return ref


READS = [
    lambda s, u, r: services.get_case(s, u, r),
    lambda s, u, r: services.get_inputs(s, u, r),
    lambda s, u, r: services.deliberation_view(s, u, r),
    lambda s, u, r: services.add_chronology(s, u, r, __import__("datetime").date(2026, 1, 1), "feit"),
]


@pytest.mark.parametrize("read", READS, ids=["get_case", "get_inputs", "deliberation_view", "add_chronology"])
def test_nothing_before_the_members_own_declaration(store: Store, users: dict[str, User], seated: str, read) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DeclarationNeededError):
        read(store, users["legal"], seated)
    assert seated in [c.ref for c in services.list_cases(store, users["legal"])]  # it can find the case to declare


@pytest.mark.parametrize("who", ["secretary", "chair", "police"])
def test_nobody_declares_on_a_members_behalf(store: Store, users: dict[str, User], seated: str, who: str) -> None:
    with pytest.raises(AccessDeniedError):
        services.declare_no_conflict(store, users[who], seated, "legal")
    assert services.own_seat(store, users["legal"], seated).coi_declared_on is None  # type: ignore[union-attr]


def test_the_member_declares_and_then_reads(store: Store, users: dict[str, User], seated: str) -> None:
    services.declare_no_conflict(store, users["legal"], seated, "legal")
    assert services.get_case(store, users["legal"], seated).ref == seated
    actions = [e["action"] for e in services.case_audit(store, users["chair"], seated)]
    assert actions[-1] == "panel.declare_coi"


def test_a_declared_conflict_takes_the_member_off_the_case(store: Store, users: dict[str, User], seated: str) -> None:
    services.declare_conflict(store, users["legal"], seated, "legal", "Ik ken de werkgever.")
    assert "legal" not in [s.discipline for s in services.get_case(store, users["secretary"], seated).panel]
    assert seated not in [c.ref for c in services.list_cases(store, users["legal"])]
    with pytest.raises(AccessDeniedError):
        services.get_case(store, users["legal"], seated)
    last = services.case_audit(store, users["chair"], seated)[-1]
    assert (last["action"], last["reason"]) == ("panel.declare_conflict", "Ik ken de werkgever.")


def test_seating_someone_of_another_discipline_is_refused_in_one_language(store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    from assessment.errors import ValidationError

    ref = make_case(stage="intake")
    with pytest.raises(ValidationError) as info:
        services.assign_panel(store, users["secretary"], ref, "legal", "care")
    assert (info.value.text("nl"), info.value.text("en"), info.value.field) == (
        "care is geen actief lid voor Juridisch", "care is not an active member for Legal", "username")
