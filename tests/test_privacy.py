"""Privacy over time: retention of closed cases and the data subject's access request, through the services
and the CLI, on real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings, load_settings
from assessment.errors import AccessDeniedError, AuditChainError, LifecycleError
from assessment.model import Dissent, Hearing, InputDraft, ObservationInput, User
from assessment.queries import case_tables
from assessment.rubric import Rubric
from assessment.services import privacy
from assessment.store import Store, open_store, table_names
from tests.access_table import documented_allows
from tests.conftest import POSITIVE, intake

ROOT = Path(__file__).resolve().parent.parent
# A token per free-text field, so a test can find every one of them in an export or in the raw file.
SECRET = "Zq9"


def secret(field: str) -> str:
    return f"{SECRET}-{field}-{SECRET}"


def full_case(store: Store, users: dict[str, User], rubric: Rubric, *, letter_on: dt.date | None = dt.date(2026, 5, 1),
              pdf: bytes = b"%PDF-1.7 " + secret("attachment").encode()) -> str:
    """A decided case with every kind of personal data and free text, the letter issued on `letter_on` (None:
    never issued)."""
    sec, chair = users["secretary"], users["chair"]
    ref = services.create_case(store, sec, intake(sector=secret("sector"), applicant={
        "name": secret("name"), "contact": secret("contact"), "representative": secret("representative"),
        "representative_contact": secret("repcontact"), "place_of_exploitation": secret("place"),
        "notes": secret("notes"), "date_of_birth": "1998-07-14"}))
    for scope in ("medical", "police_file"):
        services.record_consent(store, sec, ref, scope, dt.date(2026, 3, 2))  # type: ignore[arg-type]
    for d in ("police", "care", "legal"):
        services.assign_panel(store, sec, ref, d, d)
        services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
    services.record_recipient_consent(store, sec, ref, secret("recipient"), dt.date(2026, 3, 2), "applicant")
    services.add_document(store, sec, ref, source="police", kind=secret("kind"), received_on=dt.date(2026, 3, 3),
                          title=secret("doctitle"), content=pdf, media_type="application/pdf")
    services.add_chronology(store, sec, ref, dt.date(2025, 1, 1), secret("fact"))
    services.decide_admissibility(store, sec, ref, "admissible", secret("admreasons"),
                                  services.get_case(store, sec, ref).version)
    for d in ("police", "care", "legal"):
        draft = InputDraft(
            observations=[ObservationInput(indicator=i, status=s, source=secret(f"source{d}"), note=secret(f"note{d}"))
                          for i, s in POSITIVE[d]],
            dimension_views=[{"dimension": "recruitment", "view": "positive", "reasons": secret(f"dimreasons{d}")}],  # type: ignore[list-item]
            overall_view="positive", confidence="high", overall_reasons=secret(f"overall{d}"),
            inconsistency_notes=secret(f"inconsistency{d}"))
        v = services.save_input_draft(store, users[d], ref, draft, None, rubric=rubric)
        services.submit_input(store, users[d], ref, v)
    services.record_hearing(store, sec, ref, Hearing(held_on=dt.date(2026, 4, 1), members=["police", "legal"],
                                                     interpreter=True, interpreter_language="en",
                                                     summary=secret("hearing"), report_sent_on=dt.date(2026, 4, 3),
                                                     corrections_received_on=dt.date(2026, 4, 10),
                                                     corrections=secret("corrections")))
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons={"overall": secret("decreasons"),
                             **{d: secret(f"reason{d}") for d in ("recruitment", "exploitation", "coercion")}},
                             rubric=rubric, expected_version=v,
                             dissents=[Dissent(username="legal", text=secret("dissent"))])
    if letter_on is not None:
        services.mark_letter_issued(store, sec, ref, letter_on)
    return ref


def file_bytes(store: Store) -> bytes:
    """Everything on disk for this database: the main file and its WAL."""
    wal = Path(f"{store.path}-wal")
    return store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def admin(users: dict[str, User]) -> User:
    return users["admin"]


# --- retention -------------------------------------------------------------------------------------------


def test_retention_removes_personal_data_keeps_facts_and_a_valid_chain(store: Store, users, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    keep = services.create_case(store, users["secretary"], intake(applicant={"name": "Still Open"}))
    facts_before = services.analysable_cases(store, users["evaluator"])
    assert SECRET.encode() in file_bytes(store)
    due = dt.date(2026, 5, 1) + dt.timedelta(days=store.settings.retention_days)

    assert privacy.apply_retention(store, admin(users), on=due - dt.timedelta(days=1)) == []  # not yet expired
    dry = privacy.apply_retention(store, admin(users), on=due, dry_run=True)
    assert [(c.ref, c.closed_on, c.expired_on) for c in dry] == [(ref, dt.date(2026, 5, 1), due)]
    assert SECRET.encode() in file_bytes(store)  # a dry run changes nothing

    done = privacy.apply_retention(store, admin(users), on=due)
    assert done == dry
    assert done[0].rows == {"p_applicants": 1, "p_recipient_consents": 1, "p_documents": 1, "p_chronology": 1, "p_inputs": 3,
                            "p_observations": 7, "p_dimension_views": 3, "p_hearings": 1, "p_decisions": 1,
                            "p_dissents": 1}
    assert SECRET.encode() not in file_bytes(store)  # gone from the file itself, also from free pages and WAL
    assert services.check_audit_chain(store) > 0  # the chain still holds
    assert services.analysable_cases(store, users["evaluator"]) == facts_before  # the figures do not change
    case = services.get_case(store, users["chair"], ref)
    assert case.intake is not None and (case.intake.applicant.name, case.chronology, case.documents[0].title,
                                        case.hearing and case.hearing.summary) == ("", [], "", "")
    assert services.get_case(store, users["chair"], keep).intake.applicant.name == "Still Open"  # type: ignore[union-attr]
    # Where the recipient's name was, the placeholder: one language at a time, as the reader reads it.
    [recipient] = [r.recipient for r in case.recipients]
    assert [services.stored_text(recipient, lang) for lang in ("nl", "en")] == [
        "[verwijderd na de bewaartermijn]", "[removed after the retention period]"]
    markdown = services.subject_markdown(services.subject_export(store, users["chair"], ref), "nl")
    assert "verwijderd na de bewaartermijn" in markdown and "removed after" not in markdown
    record = [e for e in services.case_audit(store, users["chair"], ref) if e["action"] == "retention.apply"]
    assert [json.loads(e["after"]) for e in record] == [{
        "closed_on": "2026-05-01", "expired_on": due.isoformat(), "rows": done[0].rows,
        "audit_events_redacted": done[0].audit_events}]
    assert privacy.apply_retention(store, admin(users), on=due + dt.timedelta(days=400)) == []  # once only


def test_a_decided_case_whose_letter_never_went_out_is_retained_from_its_decision(  # type: ignore[no-untyped-def]
        store: Store, users, mini_rubric) -> None:
    # docs/deployment.md, section 8: a decided case whose letter was never issued counts as closed on the day of
    # the decision; the retention period runs from then (it is never kept for ever).
    ref = full_case(store, users, mini_rubric, letter_on=None)
    case = services.get_case(store, users["chair"], ref)
    assert case.status == "decided"
    decided = dt.date.today()  # the decision was recorded today
    due = decided + dt.timedelta(days=store.settings.retention_days)
    assert privacy.apply_retention(store, admin(users), on=due - dt.timedelta(days=1)) == []
    done = privacy.apply_retention(store, admin(users), on=due)
    assert [(c.ref, c.closed_on, c.expired_on) for c in done] == [(ref, decided, due)]
    assert SECRET.encode() not in file_bytes(store)


def test_retention_of_withdrawn_and_inadmissible_cases(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    sec = users["secretary"]
    withdrawn = services.create_case(store, sec, intake(applicant={"name": secret("w")}))
    services.withdraw_case(store, sec, withdrawn, secret("why"), 1)
    inadmissible = services.create_case(store, sec, intake(route="exception", route_end=None, route_end_on=None,
                                                           exception_ground="serious_threats",
                                                           exploitation_in_nl="not_in_nl",
                                                           applicant={"name": secret("i"),
                                                                      "exception_reason": secret("threats")}))
    services.decide_admissibility(store, sec, inadmissible, "inadmissible", secret("late"), 1)
    later = dt.date.today() + dt.timedelta(days=store.settings.retention_days)
    done = privacy.apply_retention(store, admin(users), on=later)
    assert sorted(c.ref for c in done) == sorted([withdrawn, inadmissible])
    assert SECRET.encode() not in file_bytes(store)
    view = services.get_case(store, users["chair"], inadmissible)
    assert view.intake is not None and services.stored_text(view.intake.applicant.exception_reason, "nl") == (
        "[verwijderd na de bewaartermijn]")
    services.check_audit_chain(store)


def test_redaction_is_the_only_change_the_log_allows_and_verify_still_catches_tampering(store: Store, users,
                                                                                         mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    raw = sqlite3.connect(store.path, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # no permit: no redaction either
        raw.execute("UPDATE audit_events SET after = 'redacted:sha256:00' WHERE case_ref = ?", [ref])
    raw.close()
    privacy.apply_retention(store, admin(users), on=dt.date(2100, 1, 1))
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_no_update")
    seq = conn.execute("SELECT seq FROM audit_events WHERE case_ref = ? AND action = 'case.create'", [ref]).fetchone()[0]
    conn.execute("UPDATE audit_events SET actor = 'someone' WHERE seq = ?", [seq])
    conn.commit()
    conn.close()
    with pytest.raises(AuditChainError, match=f"Event #{seq} was changed"):
        services.check_audit_chain(store)


def test_retention_days_from_the_environment(tmp_path: Path) -> None:
    s = load_settings(tmp_path / "x.sqlite3", env={"AANNEMELIJK_RETENTION_DAYS": "30"})
    assert (s.retention_days, Settings().retention_days) == (30, 5 * 365 + 1)


def test_every_table_is_covered_by_export_and_retention(store: Store) -> None:
    tables = table_names()
    assert tables - set(case_tables.CASE_TABLES) - case_tables.NOT_CASE_DATA == set()  # a new table must be placed
    personal = {t for t in tables if t.startswith("p_")}
    assert personal == set(case_tables.PURGE) & tables
    for table, blank in case_tables.PURGE.items():
        if blank is not None and table in tables:
            cols = {r[1] for r in store.db.conn.execute(f'PRAGMA table_info("{table}")')}
            assert cols == set(blank) | case_tables.PURGE_KEEPS[table], table  # every column decided


def test_retention_and_export_refuse_other_roles(store: Store, users, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    for name, user in users.items():
        may_retain = documented_allows("retention.apply", user.role)
        try:
            privacy.apply_retention(store, user, dry_run=True)
            got = True
        except AccessDeniedError:
            got = False
        assert got is may_retain, name
        try:
            privacy.subject_export(store, user, ref)
            got = True
        except AccessDeniedError:
            got = False
        assert got is documented_allows("subject.export", user.role, space="real"), name


# --- subject access request --------------------------------------------------------------------------------


def test_subject_export_holds_every_field_and_is_audited(store: Store, users, mini_rubric, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    export = privacy.subject_export(store, users["secretary"], ref)
    text = export.to_json()
    expected = {"name", "contact", "representative", "repcontact", "place", "notes", "doctitle", "fact", "admreasons",
                "hearing", "decreasons", "dissent", "sector", "kind", "recipient",
                *(f"{k}{d}" for d in ("police", "care", "legal") for k in ("source", "note", "dimreasons", "overall",
                                                                           "inconsistency"))}
    assert {f for f in expected if secret(f) in text} == expected
    assert "1998-07-14" in text
    tables = export.data["tables"]
    assert [c["scope"] for c in tables["consents"]] == ["medical", "police_file"]
    assert [(d["source"], d["media_type"]) for d in tables["documents"]] == [("police", "application/pdf")]
    assert [d["kind"] for d in tables["p_documents"]] == [secret("kind")]  # free text: with the personal data
    assert [r["recipient"] for r in tables["p_recipient_consents"]] == [secret("recipient")]
    assert list(export.files.values()) == [b"%PDF-1.7 " + secret("attachment").encode()]
    actions = [e["action"] for e in export.data["audit_events"]]
    assert actions[0] == "case.create" and "decision.record" in actions and "letter.issued" in actions
    written = privacy.write_subject_export(export, tmp_path / "out" / "export.json")
    assert [p.name for p in written] == ["export.json", "export.md", f"{ref}-documents-1.pdf"]
    assert json.loads(written[0].read_text(encoding="utf-8"))["reference"] == ref
    md = written[1].read_text(encoding="utf-8")
    assert md.startswith(f"# Inzageverzoek: {ref}")
    assert "## Aanvrager\n" in md and secret("name").replace("-", "\\-") in md and "Applicant" not in md
    english = privacy.subject_markdown(export, "en")
    assert english.startswith(f"# Subject access request: {ref}") and "## Applicant\n" in english
    assert "Aanvrager" not in english
    last = services.case_audit(store, users["chair"], ref)[-1]
    assert (last["action"], last["actor"]) == ("subject.export", "secretary")


def test_subject_export_after_retention_shows_what_is_left(store: Store, users, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    privacy.apply_retention(store, admin(users), on=dt.date(2100, 1, 1))
    export = privacy.subject_export(store, users["chair"], ref)
    assert SECRET not in export.to_json() and export.files == {}
    assert export.data["tables"]["cases"][0]["panel_outcome"] == "aannemelijk"


def test_markdown_neutralises_markup_in_values(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    ref = services.create_case(store, users["secretary"], intake(applicant={"name": "# Kop\n<script>x</script> [a](b)"}))
    md = privacy.subject_markdown(privacy.subject_export(store, users["secretary"], ref))
    assert "<script>" not in md and "\n# Kop" not in md and "[a](b)" not in md
    assert "\\# Kop ⏎ \\<script\\>x\\</script\\> \\[a\\]\\(b\\)" in md


# --- CLI -------------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(store: Store, users, mini_rubric, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric, letter_on=dt.date(2015, 1, 5))  # long expired by now
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    return store.path, ref


def test_cli_retention_dry_run_then_apply(cli_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    db, ref = cli_db
    assert main(["retention", "apply", "--dry-run", "--json", "--db", str(db), "--as", "admin"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert [p["ref"] for p in planned] == [ref] and planned[0]["rows"]["p_applicants"] == 1
    assert main(["retention", "apply", "--db", str(db), "--as", "admin"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{ref}  gesloten 2015-01-05") and out.endswith("1 dossier(s)\n")
    assert main(["audit", "verify", "--db", str(db)]) == 0
    assert SECRET.encode() not in db.read_bytes()


def test_cli_retention_refused_for_a_secretary(cli_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = cli_db
    assert main(["--lang", "en", "retention", "apply", "--db", str(db), "--as", "secretary"]) == 3
    assert "Access denied: secretary (secretary) may not perform 'retention.apply'" in capsys.readouterr().err
    assert SECRET.encode() in db.read_bytes() + Path(f"{db}-wal").read_bytes()


def test_cli_subject_export(cli_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, ref = cli_db
    out = tmp_path / "sar" / f"{ref}.json"
    assert main(["subject-export", ref, "--out", str(out), "--db", str(db), "--as", "chair"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [str(out), str(out.with_suffix(".md"))]
    assert secret("name") in out.read_text(encoding="utf-8")
    assert main(["subject-export", ref, "--out", str(tmp_path / "x.json"), "--db", str(db), "--as", "police"]) == 3
    assert not (tmp_path / "x.json").exists()
    assert main(["subject-export", "AAN-2026-9999", "--out", str(tmp_path / "y.json"), "--db", str(db),
                 "--as", "chair"]) == 2
    assert "Dossier AAN-2026-9999 bestaat niet" in capsys.readouterr().err


def test_reopening_a_case_after_retention_is_not_a_way_back(store: Store, users, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    ref = full_case(store, users, mini_rubric)
    privacy.apply_retention(store, admin(users), on=dt.date(2100, 1, 1))
    with pytest.raises((LifecycleError, AccessDeniedError)):
        services.save_input_draft(store, users["police"], ref, InputDraft(), 2)
    assert open_store(store.settings).integrity_ok()


def test_retention_deletes_issued_letters_content_which_is_otherwise_immutable(store: Store, users, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    from assessment.services import letters

    ref = full_case(store, users, mini_rubric)
    letters.issue_letter(store, users["chair"], ref, "nl")
    raw = sqlite3.connect(store.path, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):  # no permit: still immutable
        raw.execute("DELETE FROM p_letters")
    raw.close()
    export = privacy.subject_export(store, users["chair"], ref)
    assert [n for n in export.files if "-letters-" in n] == [f"{ref}-letters-1.pdf"]
    done = privacy.apply_retention(store, admin(users), on=dt.date(2100, 1, 1))
    assert done[0].rows["p_letters"] == 1
    with store.read() as tx:
        assert (len(tx.select("letters")), tx.select("p_letters")) == (1, [])  # metadata (hash, date) kept
    services.check_audit_chain(store)
