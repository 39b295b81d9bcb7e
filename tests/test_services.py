"""The case lifecycle through the services, with a real database and the mini rubric."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from assessment import services
from assessment.config import Settings
from assessment.errors import (
    AuthenticationError,
    CaseFileError,
    ConflictError,
    ConsentError,
    DeclarationNeededError,
    LifecycleError,
    ValidationError,
)
from assessment.model import Dissent, FollowUp, Hearing, InputDraft, ObservationInput, User
from assessment.rubric import Rubric
from assessment.store import Store, open_store
from tests.conftest import POSITIVE, intake

# A finding either way needs written reasons (the rule the letter applies too): one per dimension of mini.yaml.
ELEMENT_REASONS = {"recruitment": "Werving blijkt uit de verklaring.", "exploitation": "Uitbuiting blijkt uit het PV.",
                   "coercion": "Dwang blijkt uit de verklaring."}


def draft(pairs: list[tuple[str, str]], note: str = "") -> InputDraft:
    return InputDraft(observations=[ObservationInput(indicator=i, status=s, source="PV", note=note) for i, s in pairs],
                      overall_view="positive", confidence="medium", overall_reasons="reasons text")


def submit(store: Store, member: User, ref: str, pairs: list[tuple[str, str]], rubric: Rubric, note: str = "") -> None:
    v = services.save_input_draft(store, member, ref, draft(pairs, note), None, rubric=rubric)
    services.submit_input(store, member, ref, v)


def test_full_lifecycle_to_decision_letter_and_followup(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    assert ref == "AAN-2026-0001"
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], mini_rubric)
    services.record_hearing(store, users["secretary"], ref, Hearing(held_on=dt.date(2026, 4, 1),
                            members=["police", "legal"], interpreter=True, interpreter_language="en",
                            summary="Verklaring consistent.", report_sent_on=dt.date(2026, 4, 3),
                            corrections_received_on=dt.date(2026, 4, 10)))
    chair = users["chair"]
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, mini_rubric)
    assert result.outcome == "plausible" and set(result.per_discipline) == {"police", "care", "legal"}
    decision_id = services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=ELEMENT_REASONS | {"overall": "Alle elementen."},
                                           rubric=mini_rubric, expected_version=v,
                                           dissents=[Dissent(username="legal", text="Twijfel over werving.")])
    case = services.get_case(store, chair, ref)
    assert case.status == "decided" and case.decision is not None
    assert (case.decision.id, case.decision.outcome, case.decision.rubric_id, case.decision.rubric_hash,
            case.decision.departs_from_rubric, [d.username for d in case.decision.dissents]) == (
        decision_id, "aannemelijk", "mini", mini_rubric.content_hash, False, ["legal"])
    with pytest.raises(LifecycleError):  # locked
        services.save_input_draft(store, users["police"], ref, draft(POSITIVE["police"]), 2)
    services.mark_letter_issued(store, users["secretary"], ref, dt.date(2026, 5, 1))
    services.record_followup(store, users["secretary"], ref, FollowUp(kind="residence_permit", result="granted"))
    case = services.get_case(store, chair, ref)
    assert (case.letter_issued_on, case.followups) == (dt.date(2026, 5, 1), [FollowUp(kind="residence_permit",
                                                                                       result="granted")])


def test_blind_until_submitted_then_open_at_deliberation(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    submit(store, users["police"], ref, POSITIVE["police"], mini_rubric)
    services.save_input_draft(store, users["care"], ref, draft(POSITIVE["care"]), None, rubric=mini_rubric)
    # care has a draft only: sees its own input, not police's
    assert [i.discipline for i in services.get_inputs(store, users["care"], ref)] == ["care"]
    # police submitted: sees its own and no draft of care
    assert [i.discipline for i in services.get_inputs(store, users["police"], ref)] == ["police"]
    services.submit_input(store, users["care"], ref, 1)
    assert [i.discipline for i in services.get_inputs(store, users["care"], ref)] == ["care", "police"]
    # legal has not written anything: blind until the chair opens deliberation
    assert services.get_inputs(store, users["legal"], ref) == []
    services.open_deliberation(store, users["chair"], ref, services.get_case(store, users["chair"], ref).version)
    assert [i.discipline for i in services.get_inputs(store, users["legal"], ref)] == ["care", "police"]


def test_medical_notes_only_for_medical_member_and_chair(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    submit(store, users["medical"], ref, POSITIVE["medical"], mini_rubric, note="PTSS-diagnose")
    submit(store, users["police"], ref, POSITIVE["police"], mini_rubric)
    def medical_note(u: str) -> tuple[bool, str]:
        m = next(i for i in services.get_inputs(store, users[u], ref) if i.discipline == "medical")
        return m.notes_hidden, m.draft.observations[0].note
    assert medical_note("medical") == (False, "PTSS-diagnose")
    assert medical_note("chair") == (False, "PTSS-diagnose")
    assert medical_note("police") == (True, "")
    assert medical_note("secretary") == (True, "")


def test_medical_input_needs_consent_and_revocation_hides_it(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    submit(store, users["medical"], ref, POSITIVE["medical"], mini_rubric)
    consent = next(c for c in services.get_case(store, users["secretary"], ref).consents if c.scope == "medical")
    services.revoke_consent(store, users["secretary"], ref, consent.id, "Aanvrager trekt machtiging in", consent.version)
    assert services.get_inputs(store, users["chair"], ref) == []
    with pytest.raises(ConsentError, match="medical authorisation"):
        services.save_input_draft(store, users["medical"], ref, draft(POSITIVE["medical"]), 2)
    with pytest.raises(ConsentError):
        services.add_document(store, users["secretary"], ref, source="medical", kind="rapport",
                              received_on=dt.date(2026, 3, 5))
    # kept for the audit trail
    actions = [e["action"] for e in services.case_audit(store, users["chair"], ref)]
    assert actions.count("input.save") == 1 and "consent.revoke" in actions


def test_medical_input_refused_without_any_consent(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = services.create_case(store, users["secretary"], intake())
    services.assign_panel(store, users["secretary"], ref, "medical", "medical")
    services.declare_no_conflict(store, services.user_by_name(store, "medical"), ref, "medical")  # personally
    services.decide_admissibility(store, users["secretary"], ref, "admissible", "ok", 1)
    with pytest.raises(ConsentError):
        services.save_input_draft(store, users["medical"], ref, draft(POSITIVE["medical"]), None)


def test_quorum_and_override_reasons(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    submit(store, users["police"], ref, POSITIVE["police"], mini_rubric)
    submit(store, users["care"], ref, POSITIVE["care"], mini_rubric)
    chair = users["chair"]
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    q = services.quorum(store, chair, ref)
    assert (q.met, q.needed, q.submitted, q.missing) == (False, 3, ("care", "police"), (("legal", False), ("medical", False)))
    with pytest.raises(LifecycleError, match="No quorum: 2 of at least 3"):
        services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=ELEMENT_REASONS | {"overall": "x"},
                                 rubric=mini_rubric, expected_version=v)
    submit(store, users["legal"], ref, POSITIVE["legal"], mini_rubric)
    assert services.quorum(store, chair, ref).met
    with pytest.raises(ValidationError, match="departs from the assessment instrument"):
        services.record_decision(store, chair, ref, outcome="niet_aannemelijk", reasons=ELEMENT_REASONS | {"overall": "x"},
                                 rubric=mini_rubric, expected_version=v)
    services.record_decision(store, chair, ref, outcome="niet_aannemelijk", reasons=ELEMENT_REASONS | {"overall": "x"},
                             rubric=mini_rubric, expected_version=v, override_reason="Verklaring tegenstrijdig.")
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None and (decision.departs_from_rubric, decision.override_reason) == (
        True, "Verklaring tegenstrijdig.")


def test_reopen_voids_decision_and_needs_reason(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], mini_rubric)
    chair = users["chair"]
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=ELEMENT_REASONS | {"overall": "x"}, rubric=mini_rubric,
                             expected_version=v)
    v = services.get_case(store, chair, ref).version
    with pytest.raises(ValidationError):
        services.reopen_case(store, chair, ref, " ", v)
    services.reopen_case(store, chair, ref, "Nieuw medisch rapport.", v)
    case = services.get_case(store, chair, ref)
    assert (case.status, case.decision, len(case.voided_decisions), case.voided_decisions[0].void_reason) == (
        "deliberation", None, 1, "Nieuw medisch rapport.")


def test_stale_case_save_is_a_conflict(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(stage="intake")
    services.update_intake(store, users["secretary"], ref, intake(sector="horeca"), 1)
    with pytest.raises(ConflictError, match="changed by secretary"):
        services.update_intake(store, users["chair"], ref, intake(sector="other"), 1)
    case = services.get_case(store, users["chair"], ref)
    assert case.intake is not None and (case.intake.sector, case.version) == ("horeca", 2)


def test_concurrent_first_drafts_conflict(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    services.save_input_draft(store, users["police"], ref, draft(POSITIVE["police"]), None)
    with pytest.raises(ConflictError):
        services.save_input_draft(store, users["police"], ref, draft([]), None)


def test_admissibility_term_withdrawal_and_deadlines(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    late = services.create_case(store, users["secretary"], intake(route_end_on=dt.date(2026, 1, 2)))
    case = services.get_case(store, users["secretary"], late, on=dt.date(2026, 3, 30))
    assert case.within_term is False
    assert [(d.stage, d.due_on, d.state) for d in case.deadlines] == [("admissibility", dt.date(2026, 3, 16), "overdue")]
    with pytest.raises(ValidationError):
        services.decide_admissibility(store, users["secretary"], late, "inadmissible", "", 1)
    services.decide_admissibility(store, users["secretary"], late, "inadmissible", "Termijn overschreden.", 1,
                                  on=dt.date(2026, 3, 10))
    case = services.get_case(store, users["secretary"], late, on=dt.date(2026, 3, 30))
    assert (case.status, case.admissibility_reasons, [d.state for d in case.deadlines]) == (
        "inadmissible", "Termijn overschreden.", ["met"])
    with pytest.raises(LifecycleError):
        services.withdraw_case(store, users["secretary"], late, "te laat", 2)


def test_panel_needs_matching_member_and_coi_before_input(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case(panel=())
    with pytest.raises(ValidationError):
        services.assign_panel(store, users["secretary"], ref, "police", "care")
    services.assign_panel(store, users["secretary"], ref, "police", "police")
    with pytest.raises(DeclarationNeededError, match="conflict of interest"):
        services.save_input_draft(store, users["police"], ref, draft([]), None)
    services.declare_no_conflict(store, users["police"], ref, "police")
    assert services.save_input_draft(store, users["police"], ref, draft([]), None) == 1


def test_documents_attachment_checks(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    sec = users["secretary"]
    with pytest.raises(ValidationError, match="not allowed"):
        services.add_document(store, sec, ref, source="police", kind="pv", received_on=dt.date(2026, 3, 3),
                              content=b"MZ", media_type="application/x-msdownload")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.add_document(store, sec, ref, source="police", kind="pv", received_on=dt.date(2026, 3, 3),
                              content=b"hello", media_type="application/pdf")
    doc = services.add_document(store, sec, ref, source="police", kind="pv", received_on=dt.date(2026, 3, 3),
                                title="PV", content=b"%PDF-1.4 x", media_type="application/pdf")
    services.add_chronology(store, sec, ref, dt.date(2024, 1, 1), "Werving.")
    case = services.get_case(store, sec, ref)
    assert [(d.id, d.title, d.size) for d in case.documents] == [(doc, "PV", 10)]
    assert [c.fact for c in case.chronology] == ["Werving."]


def test_authentication_demo_mode_and_lockout(tmp_path: Path) -> None:
    on = open_store(Settings(db_path=tmp_path / "a.db", demo=True, max_failed_logins=3))
    services.load_demo_users(on)
    assert services.authenticate(on, "chair", "demo").role == "chair"
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            services.authenticate(on, "police", "wrong")
    with pytest.raises(AuthenticationError):  # locked now, even with the right password
        services.authenticate(on, "police", "demo")
    on.close()
    off = open_store(Settings(db_path=tmp_path / "a.db", demo=False))
    with pytest.raises(AuthenticationError):
        services.authenticate(off, "chair", "demo")
    admin = services.user_by_name(off, "admin")
    services.add_user(off, admin, "real_chair", "chair", "a long password")
    assert services.authenticate(off, "real_chair", "a long password").username == "real_chair"
    services.disable_user(off, admin, "real_chair", "left")
    with pytest.raises(AuthenticationError):
        services.authenticate(off, "real_chair", "a long password")
    off.close()


def test_analysable_cases_hold_no_personal_data(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], mini_rubric, note="secret note")
    rows = services.analysable_cases(store, users["evaluator"])
    assert len(rows) == 1
    dumped = json.dumps(rows, default=str)
    for secret in ("Synthetic Person", "+31 6", "secret note", "reasons text", "PV", ref):
        assert secret not in dumped
    # Pseudonymous: a keyed pseudonym, the month of application, an age band; no exact date, no birth year.
    assert re.fullmatch(r"P[0-9a-f]{16}", str(rows[0]["case_key"]))
    assert re.fullmatch(r"\d{4}-\d{2}", str(rows[0]["received_period"]))
    assert re.search(r"\d{4}-\d{2}-\d{2}", dumped) is None
    assert {"age", "birth_year", "received_date", "nationality"}.isdisjoint(rows[0])
    assert rows[0]["n_disciplines"] == 3


def test_demo_cases_import_and_bad_case_file_names_line(store: Store, tmp_path: Path) -> None:
    refs = services.load_demo(store)
    n = len(list(services.importing.DEMO_CASES.glob("*.yaml")))  # one case per curated file
    assert refs == [f"AAN-2026-{i:04d}" for i in range(1, n + 1)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: {nl: a, en: b}\nintake:\n  received_on: 2026-01-01\n  route: maybe\n  form: sexual\n")
    with pytest.raises(CaseFileError) as err:
        services.read_case_file(bad)
    assert any(p.line == 5 and p.field == "intake.route" for p in err.value.problems)


def test_fill_demo_is_one_transaction_reports_progress_and_fills_only_an_empty_database(
        store: Store, tmp_path: Path) -> None:
    """The first start fills the demo with `fill_demo` (ui/demo_start.py): another connection sees nothing of it
    until it is complete (no half-filled demo that looks ready), progress counts the case files, and a database
    that has accounts is left alone (a second process starting on the same file fills nothing)."""
    import shutil
    import sqlite3

    cases_dir = tmp_path / "cases"
    cases_dir.mkdir()
    for name in ("01-clear-positive.yaml", "11-withdrawn.yaml"):
        shutil.copy(services.importing.DEMO_CASES / name, cases_dir / name)
    seen: list[tuple[int, int, list[int]]] = []

    def progress(done: int, total: int) -> None:
        with sqlite3.connect(store.path) as other:  # another process's view, during the filling
            seen.append((done, total, [other.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                       for t in ("users", "cases")]))

    refs = services.fill_demo(store, None, cases_dir, progress)
    assert refs is not None and len(refs) == 2
    assert seen == [(0, 2, [0, 0]), (1, 2, [0, 0]), (2, 2, [0, 0])]
    assert services.fill_demo(store, None, cases_dir) is None
    with sqlite3.connect(store.path) as other:
        assert [other.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "cases")] == [
            len(services.demo_accounts()), 2]
