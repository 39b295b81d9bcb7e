"""The chair's draft decision (services.save_decision_draft): saved as typed, kept in the database across a
reload, audit-trailed, refused to anyone but the chair and outside deliberation, and, after a reopening,
holding the voided decision's content instead of an empty form. Real SQLite file, mini rubric."""

from __future__ import annotations

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, ConflictError, LifecycleError, ValidationError
from assessment.model import DecisionDraft, Dissent
from assessment.store import Store, open_store
from tests.conftest import POSITIVE
from tests.test_services import ELEMENT_REASONS, submit

TYPED = DecisionDraft(outcome="niet_aannemelijk", findings={"coercion": "negative"},
                      reasons={"coercion": "Geen dwang: zij had haar paspoort en vertrok toen zij wilde.",
                               "overall": "Half getypt"},
                      override_reason="Het panel weegt de hoorzitting zwaarder.",
                      dissents={"legal": "Dit lid acht dwang wel aannemelijk."})


@pytest.fixture
def deliberating(store: Store, users, make_case, mini_rubric) -> str:  # type: ignore[no-untyped-def]
    ref = make_case()
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], mini_rubric)
    chair = users["chair"]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    return ref


def test_a_draft_is_saved_as_typed_and_survives_a_reload(store: Store, users, deliberating: str) -> None:  # type: ignore[no-untyped-def]
    chair, ref = users["chair"], deliberating
    assert services.decision_draft(store, chair, ref) == (DecisionDraft(), None)  # nothing typed yet
    v1 = services.save_decision_draft(store, chair, ref, TYPED.model_copy(update={"reasons": {"overall": "Half"}}), None)
    v2 = services.save_decision_draft(store, chair, ref, TYPED, v1)
    assert (v1, v2) == (1, 2)
    # A reload is a new connection to the same file.
    reopened = open_store(store.settings)
    try:
        assert services.decision_draft(reopened, chair, ref) == (TYPED, 2)
    finally:
        reopened.close()
    saves = [e for e in services.case_audit(store, chair, ref) if e["action"] == "decision.draft.save"]
    assert len(saves) == 2
    assert services.verify_audit(store, services.user_by_name(store, "admin")) > 0


def test_a_stale_draft_is_a_conflict_and_nothing_is_lost(store: Store, users, deliberating: str) -> None:  # type: ignore[no-untyped-def]
    chair, ref = users["chair"], deliberating
    v1 = services.save_decision_draft(store, chair, ref, TYPED, None)
    services.save_decision_draft(store, chair, ref, TYPED.model_copy(update={"override_reason": "Tweede venster."}), v1)
    with pytest.raises(ConflictError, match="changed by chair"):
        services.save_decision_draft(store, chair, ref, TYPED.model_copy(update={"override_reason": "Oud venster."}), v1)
    with pytest.raises(ConflictError):  # a second "first save" does not overwrite either
        services.save_decision_draft(store, chair, ref, DecisionDraft(), None)
    assert services.decision_draft(store, chair, ref)[0].override_reason == "Tweede venster."


def test_only_the_chair_in_deliberation_keeps_a_draft(store: Store, users, make_case, deliberating: str) -> None:  # type: ignore[no-untyped-def]
    ref = deliberating
    for name in ("police", "secretary"):
        with pytest.raises(AccessDeniedError):
            services.save_decision_draft(store, users[name], ref, TYPED, None)
        with pytest.raises(AccessDeniedError):
            services.decision_draft(store, users[name], ref)
    early = make_case()  # still in assessment: no deliberation yet
    with pytest.raises(LifecycleError):
        services.save_decision_draft(store, users["chair"], early, TYPED, None)
    with pytest.raises(ValidationError, match="not on the panel"):
        services.save_decision_draft(store, users["chair"], ref, DecisionDraft(dissents={"stranger": "x"}), None)


def test_reopening_brings_back_the_earlier_decision_not_an_empty_form(store: Store, users, deliberating: str,  # type: ignore[no-untyped-def]
                                                                      mini_rubric) -> None:
    chair, ref = users["chair"], deliberating
    v = services.save_decision_draft(store, chair, ref, TYPED, None)
    reasons = ELEMENT_REASONS | {"overall": "Alle elementen aannemelijk gemaakt."}
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons, rubric=mini_rubric,
                             expected_version=services.get_case(store, chair, ref).version,
                             dissents=[Dissent(username="legal", text="Twijfel over de werving.")])
    assert v == 1
    with pytest.raises(LifecycleError):  # decided: no draft is kept
        services.save_decision_draft(store, chair, ref, TYPED, None)
    services.reopen_case(store, chair, ref, "Nieuw medisch rapport.", services.get_case(store, chair, ref).version)
    draft, version = services.decision_draft(store, chair, ref)
    # The recorded decision, as recorded (the typed draft it replaced is gone): every part's finding is the
    # rubric's, since the chair named none (mini rubric: all three dimensions positive on POSITIVE input).
    assert (draft.outcome, draft.reasons, draft.findings, draft.override_reason, draft.dissents) == (
        "aannemelijk", reasons, {"recruitment": "positive", "exploitation": "positive", "coercion": "positive"}, "",
        {"legal": "Twijfel over de werving."})
    assert version is not None
    # The chair edits on from there; the edit is saved over that version.
    services.save_decision_draft(store, chair, ref, draft.model_copy(update={"override_reason": "x"}), version)
    assert services.decision_draft(store, chair, ref)[0].override_reason == "x"
