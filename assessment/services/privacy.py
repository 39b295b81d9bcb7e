"""Privacy over time: retention of closed cases, and a data subject's access request.

Retention (`retention.apply`, administrators): a case is closed on the day its letter was issued (decided),
it was withdrawn, it was found inadmissible, or it was set aside for too little information (while it stays
set aside). A decided case whose letter was never issued is closed on the day of the decision (docs/deployment.md,
section 8). `Settings.retention_days` after that day, `apply_retention`
removes the personal data and free text of the case (the `p_*` tables: names, contact, reasons, notes,
sources, summaries, dissent texts, document titles and attachments, the chronology, issued letters' content)
and keeps the analysable facts (the `cases` row, statuses, dates, observation statuses, views, outcomes,
the rubric result) so the evaluators' figures do not change.

The audit log is not exempt: its events about the case hold the same values in `before`, `after` and
`reason`. Those three fields enter the hash chain by their digest (assessment.audit), so retention replaces
them by `redacted:<digest>`: the text is gone and `audit verify` still proves that nothing else in the log
was changed, removed or reordered. A database trigger allows that one change only while retention holds a
permit for the case, inside its own transaction. One `retention.apply` event per case records when and
how many rows and events were cleared (counts only, no values). SQLite's `secure_delete` and a WAL
checkpoint make sure the removed text does not linger in free pages of the file. Backups made before
retention still hold the data: they expire with the backup rotation (docs/deployment.md).

Subject export (`subject.export`, secretary and chair): everything the database holds about the applicant
of one case, unfiltered by the views' role rules (the person is entitled to all of it): the case facts,
the applicant's data, consents, documents (metadata; attachments as files), chronology, panel, every
discipline's input with its free text, hearing, decisions and dissents, follow-up, issued letters (as
files) and the audit events about the case. The export itself is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..access import may_read_document, may_read_input_text, require
from ..audit import redact
from ..errors import RetentionIncompleteError, StorageError
from ..i18n import DEFAULT_LANG, LANGS, N_, gettext
from ..model import User
from ..queries import audit as audit_trail
from ..queries import case_parts, case_tables
from ..store import Store, Tx, now_iso
from ._common import case_for, scope, today
from .cases import active_consents, case_audit_rows

# Text left where a required text was removed (the exception route must keep a non-empty reason, a recipient's
# consent a name). Stored as its message id and said in the reader's language wherever it is shown
# (`stored_text`); databases retained before kept both languages in one string, read as the same mark.
REMOVED = N_("[removed after the retention period]")
_REMOVED_BEFORE = "[verwijderd na bewaartermijn / removed after the retention period]"


def stored_text(value: str, lang: str) -> str:
    """A stored free text as a reader sees it: itself, or, where retention removed it, the placeholder in `lang`
    (one language at a time)."""
    return gettext(lang, REMOVED) if value in (REMOVED, _REMOVED_BEFORE) else value


@dataclass(frozen=True)
class CaseRetention:
    """What retention removed (or, in a dry run, would remove) from one case."""

    ref: str
    closed_on: dt.date
    expired_on: dt.date
    rows: dict[str, int] = field(default_factory=dict)  # personal table -> rows cleared or deleted
    audit_events: int = 0  # audit events whose before/after/reason were redacted


def closed_on(row: dict[str, Any], deferred_on: str | None = None) -> dt.date | None:
    """The day a case closed: letter issued (decided), withdrawn, found inadmissible, or set aside for too
    little information (`deferred_on`, from its procedural facts); None while open. A case set aside waits for
    information that may never come: without this its personal data would be kept for ever. Resumed, it is
    open again (resume_case clears the date). A decided case whose letter was never issued is closed on the
    day of the decision, for the same reason: the panel's work on it ended then, and a letter that never goes
    out must not keep the file for ever (docs/deployment.md, section 8)."""
    value = {"decided": row["letter_issued_on"] or row["decided_on"], "withdrawn": row["withdrawn_on"],
             "inadmissible": row["admissibility_on"], "set_aside": deferred_on}.get(row["status"])
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _expired(tx: Tx, retention_days: int, on: dt.date) -> list[tuple[dict[str, Any], dt.date]]:
    done = audit_trail.refs_with_action(tx, "retention.apply")
    rows = case_tables.all_cases(tx)
    deferred = case_parts.procedures(tx, [r["id"] for r in rows if r["status"] == "set_aside"])
    out = []
    for row in rows:
        closed = closed_on(row, deferred.get(row["id"], {}).get("deferred_on"))
        if closed is None or row["ref"] in done:
            continue
        if closed + dt.timedelta(days=retention_days) <= on:
            out.append((row, closed))
    return out


def _plan(tx: Tx, row: dict[str, Any], closed: dt.date, retention_days: int) -> CaseRetention:
    counts = case_tables.personal_counts(case_tables.rows_of_case(tx, row["id"]))
    events = sum(1 for e in tx.audit_events(row["ref"]) if _redactable(e.before, e.after, e.reason))
    return CaseRetention(ref=row["ref"], closed_on=closed, expired_on=closed + dt.timedelta(days=retention_days),
                         rows=counts, audit_events=events)


def _redactable(*values: str | None) -> bool:
    return any(v and not v.startswith("redacted:") for v in values)


def apply_retention(store: Store, user: User, *, dry_run: bool = False, on: dt.date | None = None) -> list[CaseRetention]:
    """Remove the personal data and free text of every case closed more than `retention_days` ago (see the
    module docstring); returns what was removed per case. `dry_run`: report, change nothing."""
    require(user, "retention.apply")
    on = on or today()
    days = store.settings.retention_days
    if dry_run:
        with store.read() as tx:
            return [_plan(tx, row, closed, days) for row, closed in _expired(tx, days, on)]
    # secure_delete: SQLite overwrites what is deleted instead of leaving it in free pages of the file.
    store.overwrite_deleted()
    done: list[CaseRetention] = []
    with store.write() as tx:
        for row, closed in _expired(tx, days, on):
            plan = _plan(tx, row, closed, days)
            _purge_case(tx, user, row, plan)
            done.append(plan)
    # Fold the WAL into the main file and empty it, so no earlier page version keeps the removed text; also
    # when nothing new expired, so running it again finishes what a blocked fold left.
    if not store.fold_wal():
        raise RetentionIncompleteError(
            N_("Retention removed the data of {n} case(s), but the database file could not be rewritten because "
               "another program was still reading it; earlier copies of the removed text may remain in the file. "
               "Run retention again when no one is using the database."), n=len(done), done=done)
    return done


def _scrub_result(text: str) -> str:
    """The stored rubric result without the sources the members cited (the only free text it holds)."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ([] if k == "sources" else scrub(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    try:
        return json.dumps(scrub(json.loads(text)), ensure_ascii=False)
    except ValueError:
        return "{}"  # not JSON: nothing analysable to keep


def _purge_case(tx: Tx, user: User, row: dict[str, Any], plan: CaseRetention) -> None:
    rows = case_tables.rows_of_case(tx, row["id"])
    ref = row["ref"]
    with audit_trail.retention_permit(tx, ref):
        case_tables.clear_personal(tx, rows, exception_route=row["route"] == "exception", removed=REMOVED,
                                   scrub_result=_scrub_result)
        for e in tx.audit_events(ref):
            if _redactable(e.before, e.after, e.reason):
                audit_trail.redact_values(tx, e.seq, before=redact(e.before), after=redact(e.after),
                                          reason=redact(e.reason) if e.reason else e.reason)
    tx.append_audit(actor=user.username, action="retention.apply", case_ref=ref, entity="case", after={
        "closed_on": plan.closed_on.isoformat(), "expired_on": plan.expired_on.isoformat(),
        "rows": plan.rows, "audit_events_redacted": plan.audit_events,
    })


# --- subject access request ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectExport:
    """Everything held about the applicant of one case; `files` are attachments and letters (name -> bytes)."""

    ref: str
    data: dict[str, Any]
    files: dict[str, bytes]

    def to_json(self) -> str:
        """The export as JSON text (UTF-8, readable indentation)."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=False, default=str)


# File names of exported attachments follow their content, never a name a user typed.
_MAGIC = ((b"%PDF", "pdf"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpg"), (b"PK", "docx"))


def _plain(table: str, row: dict[str, Any], files: dict[str, bytes], ref: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, bytes):
            ext = next((e for magic, e in _MAGIC if v.startswith(magic)), "bin")
            ident = next((str(row[c]) for c in ("document_id", "letter_id", "id") if c in row), "x")
            name = f"{ref}-{table.removeprefix('p_')}-{ident}.{ext}"
            files[name] = v
            out[k] = {"file": name, "bytes": len(v), "sha256": hashlib.sha256(v).hexdigest()}
        elif isinstance(v, str) and v[:1] in "[{" and k in ("languages", "members", "reasons", "rubric_result",
                                                            "rubric_dimensions"):
            try:
                out[k] = json.loads(v)
            except ValueError:
                out[k] = v
        else:
            out[k] = v
    return out


def subject_export(store: Store, user: User, ref: str) -> SubjectExport:
    """Everything the database holds about the applicant of case `ref` (see the module docstring).
    Secretary and chair only; the export is recorded in the audit log."""
    files: dict[str, bytes] = {}
    with store.write() as tx:
        row = case_for(tx, user, ref, "subject.export")
        rows = case_tables.rows_of_case(tx, row["id"])
        withheld = _withhold_special(tx, user, row, rows)
        events = case_audit_rows(tx, user, row)
        tx.append_audit(actor=user.username, action="subject.export", case_ref=ref, entity="case",
                        after={"tables": sorted(t for t, r in rows.items() if r), "audit_events": len(events)})
    data: dict[str, Any] = {
        "reference": ref,
        "generated_at": now_iso(),
        "generated_by": user.username,
        "note": {lang: gettext(lang, _NOTE) for lang in LANGS},
        "tables": {t: [_plain(t, r, files, ref) for r in rs] for t, rs in rows.items()},
        "withheld": withheld,
        "audit_events": [{k: (_maybe_json(v) if k in ("before", "after") else v) for k, v in e.items()}
                         for e in events],
    }
    return SubjectExport(ref=ref, data=data, files=files)


def _withhold_special(tx: Tx, user: User, row: dict[str, Any], rows: case_tables.Rows) -> list[str]:
    """Drop from `rows` the special-category text this user may not read (access.may_read_input_text: the
    chair makes the complete export); returns what was withheld, for the export's own note."""
    sc = scope(tx, row)
    consents = active_consents(tx, row["id"])
    hidden_inputs = {i for i, d in case_tables.input_disciplines(rows).items()
                     if not may_read_input_text(user, d, sc, consents)}
    hidden_docs = {i for i, s in case_tables.document_scopes(rows).items()
                   if not may_read_document(user, s, sc, consents)}
    return case_tables.drop_private_text(rows, hidden_inputs, hidden_docs)


_NOTE = N_("All data Aannemelijk holds about the applicant of this case.")


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and not value.startswith("redacted:"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _md_escape(value: Any) -> str:
    # The export is read as text: neutralise Markdown and HTML so a value can never change the layout.
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    text = text.replace("\r", " ").replace("\n", " ⏎ ")
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~" else c for c in text)


def subject_markdown(export: SubjectExport, lang: str = DEFAULT_LANG) -> str:
    """The export as a readable Markdown document in one language (the field names are the database's)."""
    d = export.data
    lines = [
        "# " + gettext(lang, N_("Subject access request: {ref}"), ref=export.ref),
        "",
        gettext(lang, N_("Generated at {at} by {by}"), at=_md_escape(d["generated_at"]), by=_md_escape(d["generated_by"])),
        "",
        gettext(lang, _NOTE),
        "",
    ]
    for table, rows in d["tables"].items():
        lines += [f"## {gettext(lang, case_tables.section_title(table))}", ""]
        if not rows:
            lines += ["_" + gettext(lang, N_("No data")) + "_", ""]
            continue
        for i, r in enumerate(rows, start=1):
            lines.append(f"{i}\\. " + "; ".join(f"**{_md_escape(k)}**: {_md_escape(_shown(v, lang))}"
                                              for k, v in r.items()))
        lines.append("")
    lines += ["## " + gettext(lang, N_("Audit log")), ""]
    for e in d["audit_events"]:
        parts = [f"#{e['seq']}", _md_escape(e["at"]), _md_escape(e["actor"]), _md_escape(e["action"])]
        for k in ("entity", "before", "after", "reason"):
            if e.get(k):
                parts.append(f"**{k}**: {_md_escape(e[k])}")
        lines.append("\\- " + " · ".join(parts))
    lines.append("")
    return "\n".join(lines)


def _shown(value: Any, lang: str) -> Any:
    return stored_text(value, lang) if isinstance(value, str) else value


def write_subject_export(export: SubjectExport, out: Path, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write `out` (JSON), `out` with `.md` (readable) and the attachments and letters into `out`'s folder
    `<stem>-files/`; returns the paths written."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(export.to_json(), encoding="utf-8")
        md = out.with_suffix(".md")
        md.write_text(subject_markdown(export, lang), encoding="utf-8")
        written = [out, md]
        if export.files:
            folder = out.with_name(f"{out.stem}-files")
            folder.mkdir(exist_ok=True)
            for name, content in export.files.items():
                path = folder / name
                path.write_bytes(content)
                written.append(path)
    except OSError as exc:
        raise StorageError(N_("Cannot write the export: {reason}: {file}"), reason=exc.strerror, file=exc.filename) from exc
    return written
