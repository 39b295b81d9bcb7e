"""Need to know (issue #14, hole 1): special-category text reaches only whom docs/access.md names.

The expectations are the table "Special-category text per service" in docs/access.md, parsed here; the code
under test is every public service function that takes a case reference and returns something (found by
walking assessment.services, so a new one fails the test until the table and the calls below name it). The
medical member plants a marker in every free-text field of their input and a medical document; the test
looks for the marker in whatever each role gets back (letters as PDF text), then revokes the consent and
checks that nobody reads it any more.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import intake

from assessment import services
from assessment.config import Settings
from assessment.errors import AccessDeniedError
from assessment.model import DimensionView, InputDraft, ObservationInput, User
from assessment.rubric import ILO_RUBRIC, Rubric, load_rubric
from assessment.services import letter_context
from assessment.services.privacy import subject_export
from assessment.store import Store, open_store

DOC = Path(__file__).resolve().parent.parent / "docs" / "access.md"
MARK = "MEDMARK"
INDICATOR = "deceptive_recruitment.nature_of_job"
ROLES_IN_TABLE = ("secretary", "member", "medical member", "chair", "evaluator", "trainer", "trainee", "admin")
ACCOUNT = {"member": "police", "medical member": "medical"}


def expected_table() -> dict[str, dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Special-category text per service", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| service")]
    header = next(line for line in section.splitlines() if line.startswith("| service"))
    roles = [c.strip() for c in header.strip("|").split("|")][1:]
    assert tuple(roles) == ROLES_IN_TABLE
    table = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert all(c in ("yes", "no", "refused") for c in cells[1:]), line
        table[cells[0]] = dict(zip(roles, cells[1:], strict=True))
    return table


def case_readers() -> set[str]:
    """Every public service function taking (store, user, ref) that returns something."""
    found = set()
    import assessment.services as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"assessment.services.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            sig = inspect.signature(fn)
            if list(sig.parameters)[:3] == ["store", "user", "ref"] and sig.return_annotation not in ("None", "int"):
                found.add(name)
    return found


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


Call = Callable[[Store, User, str, Rubric, Path], Any]
CALLS: dict[str, Call] = {
    "get_case": lambda s, u, r, rb, t: services.get_case(s, u, r),
    "get_inputs": lambda s, u, r, rb, t: services.get_inputs(s, u, r),
    "deliberation_view": lambda s, u, r, rb, t: services.deliberation_view(s, u, r, rb),
    "deliberation_result": lambda s, u, r, rb, t: services.deliberation_result(s, u, r, rb),
    "case_audit": lambda s, u, r, rb, t: services.case_audit(s, u, r),
    "subject_export": lambda s, u, r, rb, t: subject_export(s, u, r).to_json(),
    "build_letter_context": lambda s, u, r, rb, t: letter_context.build_letter_context(s, u, r, "nl"),
    "preview_letter": lambda s, u, r, rb, t: pdf_text(services.preview_letter(s, u, r, "nl", "pdf",
                                                                           reason="Correctie.")[0], t),
    "issue_letter": lambda s, u, r, rb, t: services.issue_letter(s, u, r, "nl", reason="Correctie."),
    "list_letters": lambda s, u, r, rb, t: services.list_letters(s, u, r),
    "get_issued_letter": lambda s, u, r, rb, t: pdf_text(services.get_issued_letter(s, u, r).content, t),
    "own_seat": lambda s, u, r, rb, t: services.own_seat(s, u, r),
    "quorum": lambda s, u, r, rb, t: services.quorum(s, u, r),
    "admissibility_unmet": lambda s, u, r, rb, t: services.admissibility_unmet(s, u, r),
    "decision_draft": lambda s, u, r, rb, t: services.decision_draft(s, u, r),
    "audit_trail": lambda s, u, r, rb, t: services.audit_trail(s, u, r),
}


def test_every_case_reader_is_in_the_table_and_called() -> None:
    assert case_readers() == set(expected_table()) == set(CALLS)


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A decided real case: the medical member's input and a medical document carry the marker everywhere
    free text goes; the chair issued the letter."""
    rubric = load_rubric(ILO_RUBRIC)
    path = tmp_path_factory.mktemp("ntk") / "base.sqlite3"
    store = open_store(Settings(db_path=path, demo=True, quorum_min_disciplines=2))
    services.load_demo_users(store)
    admin = services.user_by_name(store, "admin")
    services.add_user(store, admin, "trainee", "trainee", "trainee-password")
    u = {n: services.user_by_name(store, n) for n in ("secretary", "chair", "police", "medical")}
    ref = services.create_case(store, u["secretary"], intake())
    for scope in ("medical", "police_file"):
        services.record_consent(store, u["secretary"], ref, scope, dt.date(2026, 3, 2))  # type: ignore[arg-type]
    for d in ("police", "medical"):
        services.assign_panel(store, u["secretary"], ref, d, d)
        services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
    v = services.get_case(store, u["secretary"], ref).version
    services.decide_admissibility(store, u["secretary"], ref, "admissible", "Binnen termijn.", v)
    services.add_document(store, u["secretary"], ref, source="medical", kind="verklaring", received_on=dt.date(2026, 3, 3),
                          title=f"{MARK} verklaring huisarts")
    for who in ("police", "medical"):
        text = MARK if who == "medical" else "politie"
        draft = InputDraft(
            observations=[ObservationInput(indicator=INDICATOR, status="present", source=f"{text} bron",
                                           note=f"{text} notitie")],
            dimension_views=[DimensionView(dimension="deceptive_recruitment", view="positive", reasons=f"{text} reden")],
            overall_view="positive", confidence="high", overall_reasons=f"{text} geheel",
            inconsistency_notes=f"{text} inconsistentie")
        version = services.save_input_draft(store, u[who], ref, draft, None, rubric=rubric)
        services.submit_input(store, u[who], ref, version)
    chair = u["chair"]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, rubric)
    reasons = {d: f"Redenen bij {d}." for d in result.dimensions}
    reasons["overall"] = "Het panel acht het geheel aannemelijk."
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons, rubric=rubric,
                             expected_version=services.get_case(store, chair, ref).version,
                             override_reason="Het panel weegt de hoorzitting zwaarder.")
    services.issue_letter(store, chair, ref, "nl")
    store.close()
    yield path, ref


def _copy(decided: tuple[Path, str], tmp_path: Path) -> tuple[Store, str]:
    path, ref = decided
    shutil.copy(path, tmp_path / "t.sqlite3")
    return open_store(Settings(db_path=tmp_path / "t.sqlite3", demo=True, quorum_min_disciplines=2)), ref


def _outcome(store: Store, who: str, service: str, ref: str, rubric: Rubric, tmp: Path) -> str:
    user = services.user_by_name(store, ACCOUNT.get(who, who))
    try:
        got = CALLS[service](store, user, ref, rubric, tmp)
    except AccessDeniedError:
        return "refused"
    return "yes" if MARK in repr(got) or MARK in str(got) else "no"


@pytest.mark.parametrize("service", sorted(CALLS))
def test_special_category_text_per_role(decided: tuple[Path, str], tmp_path: Path, service: str) -> None:
    store, ref = _copy(decided, tmp_path)
    rubric = load_rubric(ILO_RUBRIC)
    try:
        got = {who: _outcome(store, who, service, ref, rubric, tmp_path) for who in ROLES_IN_TABLE}
    finally:
        store.close()
    assert got == expected_table()[service]


@pytest.mark.parametrize("service", ["get_case", "get_inputs", "deliberation_view", "deliberation_result",
                                     "case_audit", "subject_export"])
def test_nobody_reads_it_after_the_consent_is_revoked(decided: tuple[Path, str], tmp_path: Path, service: str) -> None:
    store, ref = _copy(decided, tmp_path)
    rubric = load_rubric(ILO_RUBRIC)
    try:
        secretary = services.user_by_name(store, "secretary")
        consent = next(c for c in services.get_case(store, secretary, ref).consents if c.scope == "medical")
        services.revoke_consent(store, secretary, ref, consent.id, "Ingetrokken door aanvrager.", consent.version)
        got = {who: _outcome(store, who, service, ref, rubric, tmp_path) for who in ROLES_IN_TABLE}
    finally:
        store.close()
    expected = {who: "no" if v == "yes" else v for who, v in expected_table()[service].items()}
    assert got == expected
    assert "yes" in expected_table()[service].values()  # the row had something to hide


def test_the_marker_is_really_in_the_file(decided: tuple[Path, str]) -> None:
    """Guard against a test that passes because nothing was planted: the raw file holds the marker."""
    import sqlite3

    conn = sqlite3.connect(decided[0])
    try:
        hits = conn.execute("SELECT count(*) FROM p_observations WHERE source LIKE ?", [f"%{MARK}%"]).fetchone()[0]
    finally:
        conn.close()
    assert hits == 1
    assert re.search(MARK, DOC.read_text(encoding="utf-8")) is None  # the doc never names the marker
