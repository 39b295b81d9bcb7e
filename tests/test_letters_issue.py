"""Issuing letters: stored bytes and their SHA-256, immutability, corrections, the panel's own findings,
the consistency guard, template versions, access per role (services and CLI) and the audit trail."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.errors import (
    AccessDeniedError,
    LetterIntegrityError,
    LifecycleError,
    TemplateError,
    ValidationError,
)
from assessment.letters.render import builtin_templates
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, Rubric
from assessment.services import rubrics
from assessment.services.letters import active_templates, shipped_templates
from assessment.store import Store, open_store
from tests.conftest import MINI

FINDING_DIM = "deceptive_recruitment"


@pytest.fixture(scope="module")
def decided_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A demo database (quorum 1) whose first case the chair decided, with the panel's own finding on one
    element; built once, copied for each test."""
    from assessment.rubric import load_rubric

    rubric = load_rubric(ILO_RUBRIC)
    path = tmp_path_factory.mktemp("issue") / "base.sqlite3"
    store = open_store(Settings(db_path=path, demo=True, quorum_min_disciplines=1))
    refs = services.load_demo(store, services.shipped_rubric())
    chair = services.user_by_name(store, "chair")
    ref = refs[0]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, rubric)
    assert result.dimensions[FINDING_DIM].status == "undetermined"
    reasons = {d.id: f"Redenen bij {d.id}." for d in result.dimensions.values()}
    reasons["overall"] = "Het panel acht het geheel aannemelijk."
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons, rubric=rubric,
                             expected_version=services.get_case(store, chair, ref).version,
                             override_reason="Het panel weegt de verklaring op de hoorzitting zwaarder.",
                             findings={FINDING_DIM: "positive"})
    store.close()
    return path, ref, refs[1]


@pytest.fixture
def world(decided_file: tuple[Path, str, str], tmp_path: Path) -> Iterator[tuple[Store, str, str]]:
    base, ref, undecided = decided_file
    path = tmp_path / "letters.sqlite3"
    shutil.copy(base, path)
    store = open_store(Settings(db_path=path, demo=True, quorum_min_disciplines=1))
    yield store, ref, undecided
    store.close()


def who(store: Store, name: str) -> User:
    return services.user_by_name(store, name)


def raw(store: Store) -> sqlite3.Connection:
    """A plain connection to the file, in autocommit: what someone with file access could do."""
    return sqlite3.connect(store.path, isolation_level=None)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    (tmp_path / "l.pdf").write_bytes(data)
    return subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def test_issuing_stores_the_pdf_with_a_matching_sha256(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = world
    chair = who(store, "chair")
    issued = services.issue_letter(store, chair, ref, "nl")
    stored = services.get_issued_letter(store, who(store, "secretary"), ref, lang="nl")
    assert stored.content.startswith(b"%PDF-")
    assert hashlib.sha256(stored.content).hexdigest() == issued.sha256 == stored.letter.sha256
    assert stored.letter == issued
    assert (issued.version, issued.replaces_version, issued.format, issued.size, issued.template_version,
            issued.rubric_id, issued.rubric_version, issued.rubric_hash, issued.issued_by) == (
        1, None, "pdf", len(stored.content), shipped_templates().version, rubric.id, rubric.version,
        rubric.content_hash, "chair")
    assert services.list_letters(store, chair, ref) == [issued]
    assert services.get_case(store, chair, ref).letter_issued_on is not None


def test_an_issued_letter_cannot_be_changed_or_deleted(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = world
    services.issue_letter(store, who(store, "chair"), ref, "en")
    conn = raw(store)
    for sql in ("UPDATE letters SET sha256 = 'x'", "UPDATE p_letters SET content = x'00'",
                "DELETE FROM letters", "DELETE FROM p_letters"):
        with pytest.raises(sqlite3.DatabaseError, match="an issued letter never changes"):
            conn.execute(sql)
    assert len(services.list_letters(store, who(store, "chair"), ref)) == 1


def test_bytes_changed_behind_the_application_s_back_are_detected(world: tuple[Store, str, str],
                                                                    rubric: Rubric) -> None:
    store, ref, _ = world
    issued = services.issue_letter(store, who(store, "chair"), ref, "nl")
    conn = raw(store)  # someone with raw file access drops the guard first
    conn.execute("DROP TRIGGER p_letters_no_update")
    conn.execute("UPDATE p_letters SET content = x'255044462d00'")
    with pytest.raises(LetterIntegrityError, match=f"{ref} v1 \\(nl\\) does not match its recorded SHA-256"):
        services.get_issued_letter(store, who(store, "chair"), ref, lang="nl", version=issued.version)


@needs_pdftotext
def test_a_correction_is_version_2_naming_version_1(world: tuple[Store, str, str], rubric: Rubric,
                                                     tmp_path: Path) -> None:
    store, ref, _ = world
    chair = who(store, "chair")
    first = services.issue_letter(store, chair, ref, "en")
    with pytest.raises(ValidationError, match="a correction needs a reason"):
        services.issue_letter(store, chair, ref, "en")
    second = services.issue_letter(store, chair, ref, "en", reason="Typing error in the address.")
    assert (second.version, second.replaces_version, second.correction_reason) == (
        2, 1, "Typing error in the address.")
    assert [(x.version, x.replaces_version) for x in services.list_letters(store, chair, ref)] == [(1, None), (2, 1)]
    latest = services.get_issued_letter(store, chair, ref, lang="en")
    older = services.get_issued_letter(store, chair, ref, lang="en", version=1)
    assert (latest.letter, older.letter) == (second, first)
    text = " ".join(pdf_text(latest.content, tmp_path).split())
    assert "This letter replaces version 1 of" in text
    assert "Reason for the correction: Typing error in the address." in text
    assert "This letter replaces" not in pdf_text(older.content, tmp_path)
    # Dutch has its own version line: its first letter is version 1, not a correction.
    assert services.issue_letter(store, chair, ref, "nl").version == 1


@needs_pdftotext
def test_the_letter_shows_the_panel_s_own_finding(world: tuple[Store, str, str], rubric: Rubric,
                                                  tmp_path: Path) -> None:
    store, ref, _ = world
    chair = who(store, "chair")
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None
    assert decision.findings == {d: ("positive" if d == FINDING_DIM else "undetermined")
                                 for d in decision.findings}
    text = " ".join(pdf_text(services.preview_letter(store, chair, ref, "en", "pdf")[0], tmp_path).split())
    assert text.count("Finding: made plausible") == 1  # legal-test.md: aannemelijk gemaakt / made plausible


def test_a_finding_either_way_needs_reasons(tmp_path: Path, rubric: Rubric) -> None:
    store = open_store(Settings(db_path=tmp_path / "f.sqlite3", demo=True, quorum_min_disciplines=1))
    try:
        ref = services.load_demo(store, services.shipped_rubric())[0]
        chair = who(store, "chair")
        services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
        name = rubric.dimension_by_id[FINDING_DIM].name("en")
        with pytest.raises(ValidationError, match=rf"A finding either way needs written reasons; missing for: .*{re.escape(name)}"):
            services.record_decision(store, chair, ref, outcome="niet_aannemelijk", reasons={"overall": "x"},
                                     rubric=rubric, expected_version=services.get_case(store, chair, ref).version,
                                     override_reason="y", findings={FINDING_DIM: "negative"})
        assert services.get_case(store, chair, ref).status == "deliberation"
    finally:
        store.close()


def test_letters_keep_the_decisions_rubric_after_a_new_version_is_activated(
        world: tuple[Store, str, str], mini_rubric: Rubric, rubric: Rubric) -> None:
    store, ref, _ = world
    admin = who(store, "admin")
    kept = rubrics.upload_rubric(store, admin, "mini.yaml", MINI.read_bytes())
    rubrics.activate_rubric(store, admin, kept.key)
    assert rubrics.active_rubric(store).content_hash == mini_rubric.content_hash
    issued = services.issue_letter(store, who(store, "chair"), ref, "nl")
    # the shipped ILO rubric the decision used, not the active mini rubric
    assert (issued.rubric_id, issued.rubric_version, issued.rubric_hash) == (
        "ilo-2009", rubric.version, rubric.content_hash)


def test_an_undecided_case_cannot_be_issued(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, _, undecided = world
    with pytest.raises(LifecycleError, match=f"Case {undecided} is 'assessment'; .*issuing the letter needs: decided"):
        services.issue_letter(store, who(store, "chair"), undecided, "nl")


def test_previews_in_every_format(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = world
    secretary = who(store, "secretary")
    pdf = services.preview_letter(store, secretary, ref, "nl", "pdf")
    png = services.preview_letter(store, secretary, ref, "nl", "png")
    docx = services.preview_letter(store, secretary, ref, "en", "docx")
    assert [len(pdf), pdf[0][:5], docx[0][:4]] == [1, b"%PDF-", b"PK\x03\x04"]
    assert len(png) >= 3 and all(p.startswith(b"\x89PNG") for p in png)
    assert services.list_letters(store, secretary, ref) == []  # a preview issues nothing


@pytest.mark.parametrize(("actor", "action", "allowed"), [
    ("chair", "issue", True), ("secretary", "issue", False), ("police", "issue", False), ("admin", "issue", False),
    ("secretary", "preview", True), ("police", "preview", False), ("evaluator", "preview", False),
    ("secretary", "download", True), ("police", "download", False), ("trainee", "download", False),
    ("admin", "templates", True), ("chair", "templates", False), ("secretary", "templates", False),
])
def test_access_per_role(world: tuple[Store, str, str], rubric: Rubric, actor: str, action: str,
                         allowed: bool) -> None:
    store, ref, _ = world
    user = who(store, actor) if actor != "trainee" else User(username="trainee", role="trainee")
    calls = {
        "issue": lambda: services.issue_letter(store, user, ref, "nl"),
        "preview": lambda: services.preview_letter(store, user, ref, "nl", "pdf"),
        "download": lambda: services.list_letters(store, user, ref),
        "templates": lambda: services.list_template_sets(store, user),
    }
    if allowed:
        got = calls[action]()
        checks = {
            "issue": lambda: (got.ref, got.lang, got.version >= 1) == (ref, "nl", True),
            "preview": lambda: got[0].startswith(b"%PDF-"),
            "download": lambda: isinstance(got, list) and all(letter.ref == ref for letter in got),
            "templates": lambda: any(v.shipped for v in got),
        }
        assert checks[action](), got
    else:
        with pytest.raises(AccessDeniedError, match="may not perform 'letter|may not perform 'template"):
            calls[action]()


def test_audit_events_record_issue_and_download(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = world
    chair = who(store, "chair")
    issued = services.issue_letter(store, chair, ref, "nl")
    services.get_issued_letter(store, who(store, "secretary"), ref)
    events = [e for e in services.case_audit(store, chair, ref) if e["action"].startswith("letter.")]
    assert [(e["action"], e["actor"]) for e in events] == [("letter.issue", "chair"), ("letter.download", "secretary")]
    assert '"sha256": "' + issued.sha256 + '"' in events[0]["after"]
    assert services.verify_audit(store, chair) >= len(events)  # the chain holds, these events included


# --- template versions -------------------------------------------------------------------------------------

def nl_source() -> str:
    return builtin_templates().sources["letter.nl.typ.j2"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s + "\n{% if lang %}\n", r"letter\.nl\.typ\.j2, line \d+: syntax error: Unexpected end of template"),
    (lambda s: s + "\n{{ applicant_bank_account }}\n",
     r"letter\.nl\.typ\.j2, line \d+: uses undeclared variable\(s\) applicant_bank_account"),
])
def test_an_invalid_template_upload_is_refused_and_cannot_be_activated(world: tuple[Store, str, str],
                                                                         change: object, message: str) -> None:
    store, _, _ = world
    admin = who(store, "admin")
    with pytest.raises(TemplateError, match=message):
        services.upload_template_set(store, admin, {"letter.nl.typ.j2": change(nl_source())})  # type: ignore[operator]
    refused = [v for v in services.list_template_sets(store, admin) if not v.shipped]
    assert [(v.valid, v.active) for v in refused] == [(False, False)]
    with pytest.raises(TemplateError, match="was refused and cannot be activated"):
        services.activate_template_set(store, admin, refused[0].id)
    assert active_templates(store).version == shipped_templates().version


def test_a_refused_template_upload_is_reported_in_the_reader_s_language(world: tuple[Store, str, str]) -> None:
    # Issue #15 item 5: one language at a time, also for what validation found and kept with the version.
    store, _, _ = world
    admin = who(store, "admin")
    with pytest.raises(TemplateError) as refused:
        services.upload_template_set(store, admin, {"letter.nl.typ.j2": nl_source() + "\n{{ bsn_number }}\n"})
    nl = r"Briefsjabloon letter\.nl\.typ\.j2, regel \d+: gebruikt niet-gedeclareerde variabele\(n\) bsn_number; "
    en = r"Letter template letter\.nl\.typ\.j2, line \d+: uses undeclared variable\(s\) bsn_number; "
    assert re.match(nl, refused.value.text("nl")) and re.match(en, refused.value.text("en"))
    [stored] = [v for v in services.list_template_sets(store, admin) if not v.valid]
    assert re.match(nl, stored.report.text("nl")) and re.match(en, stored.report.text("en"))
    with pytest.raises(TemplateError) as again:  # the same files again: refused with the kept report
        services.upload_template_set(store, admin, {"letter.nl.typ.j2": nl_source() + "\n{{ bsn_number }}\n"})
    assert again.value.text("nl").startswith("Deze sjabloonversie is eerder afgekeurd: Briefsjabloon")
    with pytest.raises(TemplateError) as inactive:
        services.activate_template_set(store, admin, stored.id)
    assert "Letter template" not in inactive.value.text("nl") and "afgekeurd" in inactive.value.text("nl")


def test_a_runtime_template_error_names_the_case_it_failed_on(world: tuple[Store, str, str]) -> None:
    store, ref, _ = world
    broken = nl_source() + "\n{{ reference.no_such_method() }}\n"
    with pytest.raises(TemplateError, match=rf"letter\.nl\.typ\.j2, line \d+: .*while rendering {ref}, nl"):
        services.upload_template_set(store, who(store, "admin"), {"letter.nl.typ.j2": broken})


def test_a_valid_upload_activates_and_earlier_versions_remain(world: tuple[Store, str, str], rubric: Rubric) -> None:
    store, ref, _ = world
    admin = who(store, "admin")
    first = services.upload_template_set(store, admin, {"letter.nl.typ.j2": nl_source() + "\n// versie 2\n"})
    assert (first.valid, first.active) == (True, False), first.report
    print(first.report)
    assert services.activate_template_set(store, admin, first.id).active
    second = services.upload_template_set(store, admin, {"letter.en.typ.j2": builtin_templates().sources[
        "letter.en.typ.j2"] + "\n// version 3\n"})
    services.activate_template_set(store, admin, second.id)
    listed = {v.id: v.active for v in services.list_template_sets(store, admin)}
    assert listed == {shipped_templates().version: False, first.id: False, second.id: True}
    # The second version was laid over the first: both changes are in it.
    assert "// versie 2" in active_templates(store).sources["letter.nl.typ.j2"]
    issued = services.issue_letter(store, who(store, "chair"), ref, "nl")
    assert issued.template_version == second.id
    services.activate_template_set(store, admin, shipped_templates().version)
    assert active_templates(store).version == shipped_templates().version
    actions = [e.action for e in _audit(store) if e.action.startswith("template.")]
    assert actions == ["template.upload", "template.activate", "template.upload", "template.activate",
                       "template.activate"]


def _audit(store: Store) -> list:  # type: ignore[type-arg]
    with store.read() as tx:
        return tx.audit_events()


# --- CLI ---------------------------------------------------------------------------------------------------

@pytest.fixture
def cli(world: tuple[Store, str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[Store, str, str, str]:
    store, ref, undecided = world
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.setenv("AANNEMELIJK_QUORUM", "1")
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    return store, str(store.path), ref, undecided


def test_cli_issues_and_corrects(cli: tuple[Store, str, str, str], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    store, db, ref, _ = cli
    out = tmp_path / "brief.pdf"
    assert main(["letter", ref, "--issue", "--lang", "nl", "--out", str(out), "--db", db, "--as", "chair"]) == 0
    issued = services.list_letters(store, who(store, "chair"), ref)
    assert capsys.readouterr().out.splitlines() == [
        f"{ref} v1 nl sha256:{issued[0].sha256} template {issued[0].template_version} rubric "
        f"{issued[0].rubric_id} {issued[0].rubric_version}", str(out)]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued[0].sha256
    assert main(["letter", ref, "--issue", "--db", db, "--as", "chair"]) == 2
    assert capsys.readouterr().err == "error: Versie 1 van deze brief is al verzonden; een correctie vraagt een reden\n"
    assert main(["letter", ref, "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--db", db, "--as", "chair"]) == 2
    assert capsys.readouterr().err == "error: Versie 1 van deze brief is vastgesteld; een correctie begint met de reden\n"
    assert main(["letter", ref, "--issue", "--reason", "Adres", "--db", db, "--as", "chair"]) == 0
    assert capsys.readouterr().out.startswith(f"{ref} v2 nl (vervangt v1) sha256:")


@pytest.mark.parametrize(("which", "actor", "code", "message"), [
    # in the run's one language: Dutch (no --lang, LANG=C)
    ("decided", "secretary", 3, "mag 'letter.issue' niet uitvoeren"),
    ("undecided", "chair", 2, "de brief vaststellen en ondertekenen kan alleen bij: besloten, niet-ontvankelijk."),
    ("unknown", "chair", 2, "Dossier AAN-1999-0042 bestaat niet"),
])
def test_cli_refuses_with_exit_code_and_message(cli: tuple[Store, str, str, str], capsys: pytest.CaptureFixture[str],
                                                which: str, actor: str, code: int, message: str) -> None:
    store, db, ref, undecided = cli
    target = {"decided": ref, "undecided": undecided, "unknown": "AAN-1999-0042"}[which]
    assert main(["letter", target, "--issue", "--db", db, "--as", actor]) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert services.list_letters(store, who(store, "chair"), ref) == []


def test_cli_exits_2_for_an_invalid_active_template(cli: tuple[Store, str, str, str], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    store, db, ref, _ = cli
    admin = who(store, "admin")
    version = services.upload_template_set(store, admin, {"letter.nl.typ.j2": nl_source() + "\n// ok\n"})
    services.activate_template_set(store, admin, version.id)
    # Someone with raw file access breaks the active version; rendering must refuse it, not issue garbage.
    raw(store).execute("UPDATE letter_templates SET files = json_set(files, '$.\"letter.nl.typ.j2\"', "
                          "'{{ nope') WHERE active = 1")
    assert main(["letter", ref, "--issue", "--db", db, "--as", "chair"]) == 2
    assert "letter.nl.typ.j2, regel 1: syntaxfout" in capsys.readouterr().err  # the CLI speaks Dutch by default
    assert services.list_letters(store, who(store, "chair"), ref) == []
