"""Attack and bad input: every entry of the corpus in tests/attack/ is a test.

- text (strings.json) through every service that takes text: stored and returned unchanged, or refused
  with the project's own error; never a crash, never interpreted;
- the same text through the letter pipeline (sandboxed Jinja, then Typst): shown literally, never run;
- formulas in the evaluators' export are neutralised;
- hostile rubric uploads (yaml/) and attachments (files/) are refused with a clear error;
- the app never renders user text as HTML (grep of ui/ and app.py);
- passwords: argon2, lockout, demo accounts refused outside demo mode, through services and CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError as PydanticValidationError

from assessment import services
from assessment.errors import AannemelijkError, AuthenticationError, RubricError, ValidationError
from assessment.letters.render import make_environment
from assessment.model import InputDraft, ObservationInput
from assessment.rubric import parse_rubric
from assessment.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "attack"
STRINGS: list[dict[str, Any]] = json.loads((CORPUS / "strings.json").read_text(encoding="utf-8"))
IDS = [e["id"] for e in STRINGS]


def _refused(exc: BaseException) -> bool:
    # The project's own errors; or the domain model refusing a value as it is built (pages show its message).
    return isinstance(exc, AannemelijkError | PydanticValidationError)


@pytest.mark.parametrize("entry", STRINGS, ids=IDS)
def test_text_is_stored_unchanged_or_refused_by_every_text_service(store: Store, users, make_case, mini_rubric,  # type: ignore[no-untyped-def]
                                                                   entry: dict[str, Any]) -> None:
    value: str = entry["value"]
    ref = make_case()
    sec = users["secretary"]
    calls = {
        "chronology": lambda: services.add_chronology(store, sec, ref, dt.date(2026, 1, 1), value),
        "document_title": lambda: services.add_document(store, sec, ref, source="police", kind="pv",
                                                        received_on=dt.date(2026, 3, 3), title=value),
        "input_note": lambda: services.save_input_draft(
            store, users["police"], ref, InputDraft(observations=[ObservationInput(
                indicator="recruitment.s1", status="present", source=value, note=value)], overall_reasons=value),
            None, rubric=mini_rubric),
        "withdraw_reason": lambda: services.withdraw_case(store, sec, ref, value, services.get_case(store, sec, ref).version),
    }
    outcomes = {}
    for name, call in calls.items():
        try:
            call()
            outcomes[name] = "stored"
        except Exception as exc:  # noqa: BLE001 (the assertion below says which kinds are acceptable)
            assert _refused(exc), f"{name}: {type(exc).__name__}: {exc}"
            outcomes[name] = "refused"
    case = services.get_case(store, users["chair"], ref)
    inputs = services.get_inputs(store, users["police"], ref)
    stored = {
        "chronology": [c.fact for c in case.chronology],
        "document_title": [d.title for d in case.documents],
        "input_note": [(o.source, o.note) for i in inputs for o in i.draft.observations],
        "withdraw_reason": [case.withdrawn_reason] if case.status == "withdrawn" else [],
    }
    clean = value.strip()
    expected = {
        "chronology": [clean], "document_title": [value], "input_note": [(value, value)], "withdraw_reason": [clean],
    }
    for name, outcome in outcomes.items():
        assert stored[name] == (expected[name] if outcome == "stored" else []), name
    assert services.check_audit_chain(store) > 0


# A lone surrogate never reaches a letter: every service refuses it (test_text_is_stored_unchanged_or_refused).
LETTER_STRINGS = [e for e in STRINGS if e["id"] != "lone_surrogate"]


@pytest.mark.parametrize("entry", LETTER_STRINGS, ids=[e["id"] for e in LETTER_STRINGS])
def test_text_in_a_letter_template_is_shown_never_run(entry: dict[str, Any], tmp_path: Path) -> None:
    """The letters' own environment: a value is data, escaped for Typst; the compiled PDF shows it literally."""
    import typst

    value: str = entry["value"]
    markup = make_environment().from_string("Reden: {{ reason }}\n").render(reason=value)
    assert "{{" not in markup.replace(json.dumps(value)[1:-1], "") or "{{" in value
    src = tmp_path / "x.typ"
    src.write_text(markup, encoding="utf-8")
    pdf = typst.compile(str(src))  # a run of #panic or #read would fail or change the text here
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    # Compare without white space and dashes (pdftotext may join '---' into fewer glyph runs).
    text = re.sub(r"[\s\-]+", "", out)
    printable = re.sub(r"[\s\-]+", "", "".join(ch for ch in value if ch.isprintable()))
    if entry["kind"] in ("template", "markup", "formula"):
        assert text == "Reden:" + printable, out
    else:
        assert "panic" not in text and "Reden:" in out


@pytest.mark.parametrize("entry", [e for e in STRINGS if e["kind"] == "formula"], ids=lambda e: e["id"])
def test_formulas_in_exports_are_neutralised(entry: dict[str, Any]) -> None:
    from assessment.evaluation.export import neutralise

    assert neutralise(entry["value"]) == "'" + entry["value"]
    assert neutralise("gewone tekst / plain text") == "gewone tekst / plain text"


@pytest.mark.parametrize("path", sorted((CORPUS / "yaml").glob("*.yaml")), ids=lambda p: p.name)
def test_hostile_rubric_uploads_are_refused(path: Path, store: Store, users) -> None:  # type: ignore[no-untyped-def]
    from assessment.services import upload_rubric

    with pytest.raises(RubricError) as info:
        upload_rubric(store, users["admin"], path.name, path.read_bytes())
    assert str(info.value).startswith("Invalid rubric (") and path.name in str(info.value)


def test_a_deeply_nested_mapping_of_many_megabytes_is_refused(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    """Made here rather than kept in the corpus: 9 MB of indentation, 3,000 levels deep."""
    from assessment.services import upload_rubric

    raw = "".join(f"{'  ' * i}k{i}:\n" for i in range(3000)).encode()
    assert len(raw) > 8 * 1024 * 1024
    with pytest.raises(RubricError) as info:
        upload_rubric(store, users["admin"], "deep_mapping.yaml", raw)
    assert str(info.value).startswith("Invalid rubric (") and "deep_mapping.yaml" in str(info.value)


def test_a_huge_rubric_upload_is_refused_quickly() -> None:
    raw = b"id: x\nnotes: '" + b"A" * (30 * 1024 * 1024) + b"'\n"
    with pytest.raises(RubricError):
        parse_rubric(raw, "huge.yaml")


ATTACHMENTS = {
    "evil.exe.pdf": ("application/pdf", "This is not a PDF"),
    "page.html": ("text/html", "File type not allowed"),
    "fake.png": ("application/x-msdownload", "File type not allowed"),
}


@pytest.mark.parametrize("name", sorted(ATTACHMENTS))
def test_mislabelled_or_forbidden_attachments_are_refused(name: str, store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    media_type, message = ATTACHMENTS[name]
    ref = make_case()
    with pytest.raises(ValidationError, match=message):
        services.add_document(store, users["secretary"], ref, source="police", kind="pv", received_on=dt.date(2026, 3, 3),
                              title=name, content=(CORPUS / "files" / name).read_bytes(), media_type=media_type)
    assert services.get_case(store, users["secretary"], ref).documents == []


def test_oversized_attachment_and_traversal_title(store: Store, users, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case()
    big = b"%PDF-1.7\n" + b"0" * store.settings.max_attachment_bytes
    with pytest.raises(ValidationError, match="File too large"):
        services.add_document(store, users["secretary"], ref, source="police", kind="pv",
                              received_on=dt.date(2026, 3, 3), content=big, media_type="application/pdf")
    # A title is never a path: it is stored as text and nothing is written to the file system.
    doc = services.add_document(store, users["secretary"], ref, source="police", kind="pv",
                                received_on=dt.date(2026, 3, 3), title="../../../../etc/passwd",
                                content=(CORPUS / "files" / "ok.pdf").read_bytes(), media_type="application/pdf")
    assert [d.title for d in services.get_case(store, users["secretary"], ref).documents if d.id == doc] == [
        "../../../../etc/passwd"]
    from assessment.services import privacy

    files = privacy.subject_export(store, users["secretary"], ref).files
    assert list(files) == [f"{ref}-documents-{doc}.pdf"]  # export file names never come from user text


def test_the_app_never_renders_user_text_as_html() -> None:
    sources = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]
    offenders = [f"{p.name}:{n}" for p in sources if p.exists()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
                 if re.search(r"unsafe_allow_html\s*=\s*True|components\.html\(", line)
                 or (re.search(r"st\.html\(", line) and not re.search(r"st\.html\(_[A-Z_]+[,)]", line))]
    # st.html is allowed only with a module constant (the autosave script), never with a value.
    assert offenders == []


# --- passwords -----------------------------------------------------------------------------------------------


def test_passwords_are_argon2id_and_never_stored_in_clear(store: Store, users) -> None:  # type: ignore[no-untyped-def]
    services.add_user(store, users["admin"], "newsec", "secretary", "een-lang-wachtwoord")
    with store.read() as tx:
        row = tx.get("users", username="newsec")
    assert row is not None and row["password_hash"].startswith("$argon2id$")
    assert "een-lang-wachtwoord" not in store.path.read_bytes().decode("latin-1")
    with pytest.raises(ValidationError, match="at least 10 characters"):
        services.add_user(store, users["admin"], "weak", "secretary", "demo")


def test_lockout_after_repeated_failures_even_with_the_right_password(tmp_path: Path) -> None:
    from assessment.config import Settings
    from assessment.store import open_store

    s = open_store(Settings(db_path=tmp_path / "l.sqlite3", demo=False, max_failed_logins=3))
    services.bootstrap_admin(s, "root", "een-lang-wachtwoord")
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            services.authenticate(s, "root", "fout-wachtwoord")
    with pytest.raises(AuthenticationError):
        services.authenticate(s, "root", "een-lang-wachtwoord")  # locked now
    s.close()


def test_demo_accounts_are_refused_outside_demo_mode_through_services_and_cli(tmp_path: Path) -> None:
    from assessment.config import Settings
    from assessment.store import open_store

    db = tmp_path / "prod.sqlite3"
    demo = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(demo)
    demo.close()
    prod = open_store(Settings(db_path=db, demo=False))
    for name in ("admin", "chair", "secretary"):
        with pytest.raises(AuthenticationError):
            services.authenticate(prod, name, "demo")
    prod.close()
    env = {"AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "0", "AANNEMELIJK_PASSWORD": "demo", "PATH": "/usr/bin:/bin"}
    for argv in (["cases", "--as", "chair"], ["users", "list", "--as", "admin"], ["demo"]):
        proc = subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 3 and "Traceback" not in proc.stderr, (argv, proc.stderr)
