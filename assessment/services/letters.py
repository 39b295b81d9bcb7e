"""Letters, phase 2: preview, issue (and correct), list and download issued letters; letter template versions.

- An issued letter is stored once (`letters` + the PDF in `p_letters`, which holds names) with its SHA-256,
  the template version and the rubric version; triggers refuse any UPDATE or DELETE. A correction is a
  new numbered version (per language: the Dutch letter is the authentic text, the English one its
  translation, each with its own version line) that names the version it replaces and why.
- The letter shows the panel's own finding per element (`Decision.findings`), with the panel's reasons.
- Previews are rendered afresh for every call and never cached: one user's letter never reaches another.
- Template versions: an administrator uploads changed `.typ.j2` files; they are laid over the active set,
  validated by rendering every decided demo case and every shipped sample in both languages, stored with
  their report, and only a valid version can be activated. Earlier versions stay listed. Without an
  activated upload, letters use the shipped templates in templates/letters/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from ..access import require
from ..errors import (
    ConflictError,
    LetterConsistencyError,
    LetterIntegrityError,
    NotFoundError,
    TemplateError,
    ValidationError,
)
from ..i18n import N_, Msg, Plain, Said, Translatable, in_every_language
from ..letters.context import Lang, LetterContext, Replaces
from ..letters.docx import render_docx
from ..letters.render import TemplateSet, builtin_templates, check_templates, render_pdf, render_png
from ..letters.templates import (
    LANGS,
    SAMPLE_DIR,
    sample_contexts,
    short_version_id,
    template_set_from_files,
    template_version_id,
    validate_template_set,
)
from ..model import LONG_MAX, User
from ..queries import cases as case_records
from ..queries import decisions as decision_rows
from ..queries import letters as letter_store
from ..store import Store, Tx, now_iso
from . import letter_context as letter_build
from ._common import case_for, require_status, today
from .cases import get_case

Format = Literal["pdf", "png", "docx"]
# The statuses whose case gets a letter: the advice on a decided case, the letter on an inadmissible one.
ISSUABLE = ("decided", "inadmissible")


@dataclass(frozen=True)
class IssuedLetter:
    """What is recorded of one issued letter version (without its bytes)."""

    ref: str
    lang: str
    version: int
    replaces_version: int | None
    format: str
    sha256: str
    size: int
    template_version: str
    rubric_id: str | None  # None for the letter on an inadmissible application: no rubric, no decision
    rubric_version: str | None
    rubric_hash: str | None
    decision_id: int | None
    issued_by: str
    issued_at: str
    correction_reason: str
    kind: str = "advice"  # or "inadmissible"


@dataclass(frozen=True)
class IssuedLetterFile:
    """An issued letter with its stored bytes, verified against the SHA-256 recorded at issue."""

    letter: IssuedLetter
    content: bytes
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class TemplateSetVersion:
    """One letter template version: its content hash id, files, who uploaded it, its validation report."""

    id: str
    files: tuple[str, ...]
    uploaded_by: str
    uploaded_at: str
    valid: bool
    report: Translatable  # what validation found, in the reader's language
    active: bool
    activated_by: str | None = None
    activated_at: str | None = None
    shipped: bool = False

    @property
    def short(self) -> str:
        """The id as a screen shows it (`short_version_id`)."""
        return short_version_id(self.id)


# --- templates ------------------------------------------------------------------------------------------

# Compiled template sets by content id: templates hold no personal data, so sharing them is safe and
# saves recompiling them for every letter.
_SETS: dict[str, TemplateSet] = {}


def _template_set(sources: dict[str, str]) -> TemplateSet:
    probe = TemplateSet(sources)
    tid = template_version_id(probe)
    if tid not in _SETS:
        _SETS[tid] = TemplateSet(dict(sources), tid)
    return _SETS[tid]


def shipped_templates() -> TemplateSet:
    """The templates shipped in templates/letters/, versioned by their content hash."""
    return _template_set(builtin_templates().sources)


def active_templates(store: Store) -> TemplateSet:
    """The template set letters are rendered with: the activated upload, or the shipped files."""
    with store.read() as tx:
        row = letter_store.active_template(tx)
    if row is None:
        return shipped_templates()
    return _template_set(json.loads(row["files"]))


def _version(row: dict[str, Any]) -> TemplateSetVersion:
    return TemplateSetVersion(
        id=row["id"], files=tuple(sorted(json.loads(row["files"]))), uploaded_by=row["uploaded_by"],
        uploaded_at=row["uploaded_at"], valid=bool(row["valid"]), report=_report(row["report"]),
        active=bool(row["active"]),
        activated_by=row["activated_by"], activated_at=row["activated_at"],
    )


def _report(stored: str) -> Translatable:
    """A stored validation report: kept in every language (`in_every_language`); a report stored before that
    is plain text."""
    try:
        said = json.loads(stored)
    except ValueError:
        return Plain(stored)
    if isinstance(said, dict) and all(isinstance(v, str) for v in said.values()):
        return Said(tuple((str(k), v) for k, v in said.items()))
    return Plain(stored)


def list_template_sets(store: Store, user: User) -> list[TemplateSetVersion]:
    """Every letter template version, newest first, after the shipped set (administrators)."""
    require(user, "template.manage")
    with store.read() as tx:
        rows = letter_store.templates_newest_first(tx)
    versions = [_version(r) for r in rows]
    shipped = shipped_templates()
    if all(v.id != shipped.version for v in versions):
        versions.insert(0, TemplateSetVersion(
            id=shipped.version, files=tuple(sorted(shipped.sources)), uploaded_by="",
            uploaded_at="", valid=True, report=Plain(""),  # `shipped` says where it came from; a page names it
            active=not any(v.active for v in versions), shipped=True))
    return versions


def _sample_signature() -> tuple[tuple[str, int], ...]:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(SAMPLE_DIR.glob("*.yaml")))


@lru_cache(maxsize=1)
def _samples(signature: tuple[tuple[str, int], ...]) -> tuple[LetterContext, ...]:
    # Parsing the sample YAML costs more than rendering them; reread only when a sample file changes.
    return tuple(c for lang in LANGS for c in sample_contexts(lang))


def _demo_contexts(store: Store) -> list[LetterContext]:
    """Letter contexts of the decided demo cases (cases created by a demo account: synthetic people only).
    A case whose letter cannot be built for reasons of its own (a lost rubric, missing reasons) is
    skipped: validation tests templates, not cases."""
    with store.read() as tx:
        rows = letter_store.decided_demo_cases(tx)
    contexts = []
    for ref, space in rows:
        # A role, not an account: it reads the case only to render it here, and nothing leaves this function.
        reader = User(username="template-check", role="chair" if space == "real" else "trainer")
        for lang in LANGS:
            try:
                contexts.append(_with_findings(letter_build.build_letter_context(store, reader, ref, lang), store,
                                               reader, ref))
            except (LetterConsistencyError, ValidationError, NotFoundError):
                continue
    return contexts


def upload_template_set(
    store: Store, user: User, files: Mapping[str, bytes | str],
) -> TemplateSetVersion:
    """Upload changed letter templates (`name.typ.j2` -> text), laid over the active set. The new version is
    validated by rendering every decided demo case and every shipped sample in both languages, then stored
    with its report (earlier versions are kept). An invalid version is stored as refused and TemplateError
    is raised naming template, line and reason; it can never be activated."""
    require(user, "template.manage")
    if not files:
        raise ValidationError(N_("Choose at least one template file"), field="files")
    uploaded = template_set_from_files(dict(files), "upload")
    candidate = _template_set({**active_templates(store).sources, **uploaded.sources})
    failure: TemplateError | None = None
    try:
        check_templates(candidate)  # syntax and variables first: no case needs to be read to refuse these
    except TemplateError as exc:
        failure = exc
    with store.read() as tx:
        existing = letter_store.template(tx, candidate.version)
    if existing is not None:
        if not existing["valid"]:
            raise TemplateError(N_("This template version was refused before: {report}"),
                                report=_report(existing["report"]))
        return _version(existing)
    report: Translatable
    try:
        if failure is not None:
            raise failure
        contexts = _demo_contexts(store)
        samples = _samples(_sample_signature())
        count = validate_template_set(candidate, [*contexts, *samples])
        report = Msg(N_("{count} letters rendered ({cases} from demo cases, {samples} samples)"),
                     {"count": count, "cases": len(contexts), "samples": len(samples)})
    except TemplateError as exc:
        failure, report = exc, Msg(exc.message_id, exc.params)
    # Kept as said in every language: the administrator reads the report in theirs, whenever they look.
    said = in_every_language(report)
    with store.write() as tx:
        letter_store.add_template(tx, template_id=candidate.version, files=candidate.sources, by=user.username,
                                  valid=failure is None, report=json.dumps(said, ensure_ascii=False))
        tx.append_audit(actor=user.username, action="template.upload", entity=f"letter_template:{candidate.version}",
                        after={"files": sorted(uploaded.sources), "valid": failure is None, "report": said})
        row = letter_store.template(tx, candidate.version)
    assert row is not None
    if failure is not None:
        raise failure  # its message id: said in the uploader's language where it is shown
    return _version(row)


def template_set_download(store: Store, user: User, template_id: str) -> tuple[bytes, str]:
    """The files of a template version as one ZIP, to edit and upload again, and the file's name
    (administrators; templates hold no personal data, so the download is not an audited event)."""
    require(user, "template.manage")
    shipped = shipped_templates()
    if template_id == shipped.version:
        sources = shipped.sources
    else:
        with store.read() as tx:
            row = letter_store.template(tx, template_id)
        if row is None:
            raise NotFoundError(N_("Template version {version} does not exist"), version=template_id)
        sources = json.loads(row["files"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(sources):
            z.writestr(name, sources[name])
    return buf.getvalue(), f"letter-templates-{short_version_id(template_id)}.zip"


def activate_template_set(store: Store, user: User, template_id: str) -> TemplateSetVersion:
    """Make a validated template version the one letters use (the shipped set's id goes back to the shipped
    files). A refused version cannot be activated."""
    require(user, "template.manage")
    shipped = shipped_templates()
    with store.write() as tx:
        row = letter_store.template(tx, template_id)
        if row is None and template_id != shipped.version:
            raise NotFoundError(N_("Template version {version} does not exist"), version=template_id)
        if row is not None and not row["valid"]:
            raise TemplateError(N_("Template version {version} was refused and cannot be activated: {report}"),
                                version=template_id, report=_report(row["report"]))
        if row is not None:
            check_templates(_template_set(json.loads(row["files"])))  # cheap; guards a tampered row
        before = letter_store.active_template(tx)
        letter_store.activate_template(tx, template_id if row is not None else None, user.username)
        tx.append_audit(actor=user.username, action="template.activate", entity=f"letter_template:{template_id}",
                        before={"active": before["id"] if before else shipped.version}, after={"active": template_id})
    for version in list_template_sets(store, user):
        if version.id == template_id:
            return version
    raise NotFoundError(template_id)  # pragma: no cover - just activated


# --- letters ------------------------------------------------------------------------------------------------

def _with_findings(context: LetterContext, store: Store, user: User, ref: str) -> LetterContext:
    """The letter checked again against the decision in force (the builder shows the panel's own finding per
    element, and this guards that it still matches)."""
    if context.kind != "advice":
        return context
    decision = get_case(store, user, ref).decision
    if decision is None:  # pragma: no cover - build_letter_context refused an undecided case already
        raise LetterConsistencyError(N_("Case {ref} has no decision"), ref=ref)
    letter_build.check_consistency(context, decision)
    return context


def _row_to_letter(ref: str, row: dict[str, Any], reason: str) -> IssuedLetter:
    return IssuedLetter(
        ref=ref, lang=row["lang"], version=row["version"], replaces_version=row["replaces_version"],
        format=row["format"], sha256=row["sha256"], size=row["size"], template_version=row["template_version"],
        rubric_id=row["rubric_id"], rubric_version=row["rubric_version"], rubric_hash=row["rubric_hash"],
        decision_id=row["decision_id"], issued_by=row["issued_by"], issued_at=row["issued_at"],
        correction_reason=reason, kind=row.get("kind") or "advice",
    )


def _latest(tx: Tx, case_id: int, lang: str) -> dict[str, Any] | None:
    return letter_store.latest(tx, case_id, lang)


def _context(
    store: Store, user: User, ref: str, lang: Lang, previous: dict[str, Any] | None,
    reason: str, templates: TemplateSet, letter_date: dt.date | None,
) -> LetterContext:
    if len(reason) > LONG_MAX:  # the page's field refuses more; the CLI is told here, at the field
        raise ValidationError(N_("{what} is too long (at most {max} characters)"),
                              what=Msg(N_("The reason for the correction")), max=LONG_MAX, field="reason")
    replaces = None if previous is None else Replaces(
        version=previous["version"], issued_on=dt.date.fromisoformat(previous["issued_at"][:10]), reason=reason)
    context = letter_build.build_letter_context(
        store, user, ref, lang, letter_date=letter_date,
        letter_version=1 if previous is None else previous["version"] + 1, replaces=replaces,
        template_version=templates.version)
    return _with_findings(context, store, user, ref)


def preview_letter(
    store: Store, user: User, ref: str, lang: Lang, fmt: Format, *, reason: str = "",
    letter_date: dt.date | None = None,
) -> list[bytes]:
    """The letter as it would be issued now, rendered afresh for this user (never cached): `pdf` and `docx`
    give one item (the file's bytes), `png` one image per page. After an issued version the preview is the
    correction that would follow it."""
    if fmt not in ("pdf", "png", "docx"):
        raise ValidationError(N_("Unknown format: {fmt}"), fmt=fmt, field="fmt")
    with store.read() as tx:
        row = case_for(tx, user, ref, "letter.preview")
        require_status(row, *ISSUABLE, doing=N_("previewing the letter"))
        previous = _latest(tx, row["id"], lang)
    templates = active_templates(store)
    if previous is not None and not reason.strip():
        # After issuing, the issued version is the letter; a correction is a separate step, reason first.
        raise ValidationError(N_("Version {version} of this letter was issued; a correction starts with its reason"),
                              version=previous["version"], field="reason")
    context = _context(store, user, ref, lang, previous, reason.strip(), templates, letter_date)
    context = context.model_copy(update={"draft": True})
    if fmt == "pdf":
        return [render_pdf(context, templates)]
    if fmt == "png":
        return render_png(context, templates)
    return [render_docx(context)]


def issue_letter(
    store: Store, user: User, ref: str, lang: Lang, *, reason: str = "",
    letter_date: dt.date | None = None,
) -> IssuedLetter:
    """The chair issues the letter: built from the decided case, checked against the recorded decision
    (conclusion, reasons, rubric version, reasons for every positive or negative element), rendered to
    PDF/A with the active templates and stored for good with its SHA-256, the template version and the
    rubric version, in one transaction with the audit event and the case's issue date. A second issue in
    the same language is a correction: version n+1, naming version n, and `reason` is required.
    An inadmissible application gets its letter the same way (signed, stored, corrected by a new version),
    without decision or rubric: it says which requirement was not met and what the applicant can do."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "letter.issue")
        require_status(row, *ISSUABLE, doing=N_("issuing the letter"))
        status = row["status"]
        previous = _latest(tx, row["id"], lang)
    reason = reason.strip()
    if previous is not None and not reason:
        raise ValidationError(N_("Version {version} of this letter was issued already; a correction needs a reason"),
                              version=previous["version"], field="reason")
    templates = active_templates(store)
    context = _context(store, user, ref, lang, previous, reason, templates, letter_date)
    if (context.kind == "advice") != (status == "decided"):  # pragma: no cover - the builder follows the status
        raise LetterConsistencyError(N_("Case {ref} has no advice"), ref=ref)
    pdf = render_pdf(context, templates)
    digest = hashlib.sha256(pdf).hexdigest()
    with store.write() as tx:
        # Checked again under the write lock: the case must still have the status the letter was built for
        # (decided: by the same decision), and nobody may have issued the same version in the meantime.
        row = case_for(tx, user, ref, "letter.issue")
        require_status(row, status, doing=N_("issuing the letter"))
        decision = decision_rows.live(tx, row["id"])[0] if status == "decided" else None
        latest = _latest(tx, row["id"], lang)
        if (latest and latest["version"]) != (previous and previous["version"]):
            raise ConflictError(N_("Another version of the letter on {ref} was issued meanwhile; reload"), ref=ref)
        at = now_iso()
        rubric = context.rubric
        values = {
            "case_id": row["id"], "lang": lang, "version": context.letter_version,
            "replaces_version": previous["version"] if previous else None, "format": "pdf", "sha256": digest,
            "size": len(pdf), "template_version": templates.version, "kind": context.kind,
            "rubric_id": rubric.rubric_id if rubric else None, "rubric_version": rubric.version if rubric else None,
            "rubric_hash": rubric.content_hash if rubric else None,
            "decision_id": decision["id"] if decision is not None else None,
            "issued_by": user.username, "issued_at": at,
        }
        letter_id = letter_store.add(tx, values, pdf, reason)
        # The first letter dates the advice; corrections do not move it. An inadmissible case closed on its
        # admissibility decision (privacy.closed_on, the evaluators' stages): its letter leaves that date alone.
        if status == "decided" and row["letter_issued_on"] is None:
            case_records.update(tx, row["id"], {"letter_issued_on": letter_date or today()},
                                actor=user.username, expected_version=None, what=Msg(N_("Case {ref}"), {"ref": ref}))
        tx.append_audit(actor=user.username, action="letter.issue", case_ref=ref, entity=f"letter:{letter_id}",
                        after={k: v for k, v in values.items() if k != "case_id"}, reason=reason)
    return _row_to_letter(ref, values, reason)


def list_letters(store: Store, user: User, ref: str) -> list[IssuedLetter]:
    """Every issued version of a case's letter, by language then version (without the bytes)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "letter.download")
        rows = letter_store.of_case(tx, row["id"])
        reasons = letter_store.correction_reasons(tx, [r["id"] for r in rows])
    return [_row_to_letter(ref, r, reasons.get(r["id"], "")) for r in rows]


def get_issued_letter(
    store: Store, user: User, ref: str, *, lang: Lang = "nl", version: int | None = None,
) -> IssuedLetterFile:
    """The stored PDF of an issued letter (default: the latest version in `lang`), verified against the
    SHA-256 recorded when it was issued; the download is an audit event."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "letter.download")
        found = (letter_store.version(tx, row["id"], lang, version) if version is not None
                 else _latest(tx, row["id"], lang))
        if found is None:
            if version is not None:
                raise NotFoundError(N_("No issued letter (version {version}) on {ref}"), version=version, ref=ref)
            raise NotFoundError(N_("No issued letter ({lang}) on {ref}"), lang=lang, ref=ref)
        stored = letter_store.content(tx, found["id"])
        content = bytes(stored["content"]) if stored else b""
        if hashlib.sha256(content).hexdigest() != found["sha256"]:
            raise LetterIntegrityError(
                N_("The stored letter {ref} v{version} ({lang}) does not match its recorded SHA-256: changed or "
                   "damaged after issue"), ref=ref, version=found["version"], lang=lang)
        tx.append_audit(actor=user.username, action="letter.download", case_ref=ref, entity=f"letter:{found['id']}",
                        after={"lang": lang, "version": found["version"], "sha256": found["sha256"]})
    return IssuedLetterFile(_row_to_letter(ref, found, stored["correction_reason"] if stored else ""), content)
