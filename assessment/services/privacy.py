"""Privacy over time: retention of closed cases, and a data subject's access request.

Retention (`retention.apply`, administrators): a case is closed on the day its letter was issued (decided),
it was withdrawn, or it was found inadmissible. `Settings.retention_days` after that day, `apply_retention`
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
from ..errors import StorageError
from ..i18n import N_
from ..model import User
from ..store import Store, Tx, now_iso, table_names
from ._common import case_for, scope, today
from .cases import active_consents, case_audit_rows

# Text left where a required text was removed (the exception route must keep a non-empty reason).
REMOVED = "[verwijderd na bewaartermijn / removed after the retention period]"

# How each table hangs off a case: table -> (its key column, the parent table, the parent's key column).
# Order matters: a parent comes before its children. A test checks every table of the schema is here or
# deliberately left out (_NOT_CASE_DATA), so a new table cannot silently escape export and retention.
CASE_TABLES: dict[str, tuple[str, str, str]] = {
    "cases": ("id", "", ""),
    "p_applicants": ("case_id", "cases", "id"),
    "panel": ("case_id", "cases", "id"),
    "consents": ("case_id", "cases", "id"),
    "recipient_consents": ("case_id", "cases", "id"),
    "documents": ("case_id", "cases", "id"),
    "p_documents": ("document_id", "documents", "id"),
    "p_chronology": ("case_id", "cases", "id"),
    "inputs": ("case_id", "cases", "id"),
    "p_inputs": ("input_id", "inputs", "id"),
    "observations": ("input_id", "inputs", "id"),
    "p_observations": ("input_id", "inputs", "id"),
    "dimension_views": ("input_id", "inputs", "id"),
    "p_dimension_views": ("input_id", "inputs", "id"),
    "hearings": ("case_id", "cases", "id"),
    "p_hearings": ("case_id", "cases", "id"),
    "decisions": ("case_id", "cases", "id"),
    "p_decisions": ("decision_id", "decisions", "id"),
    "decision_findings": ("decision_id", "decisions", "id"),
    "dissents": ("decision_id", "decisions", "id"),
    "p_dissents": ("decision_id", "decisions", "id"),
    "followups": ("case_id", "cases", "id"),
    "letters": ("case_id", "cases", "id"),
    "p_letters": ("letter_id", "letters", "id"),
}
# Tables that hold no data about an applicant: accounts, the log's head (the log itself is handled apart),
# schema bookkeeping, letter templates, and the training space's tables (synthetic cases only, kept in a
# database of their own; see services.training).
NOT_CASE_DATA = frozenset({"users", "audit_events", "audit_head", "_sqlite_migrations", "retention_permits", "db_identity", "setup_token",
                           "letter_templates", "space_marker", "training_sessions", "training_cases",
                           "training_trainees", "training_inputs", "rubric_versions"})

# Retention per personal table: the columns blanked (value to write), or None: delete the rows.
# Columns not named here are kept: keys, and p_decisions.rubric_result (indicator statuses and tiers), from
# which retention strips the members' sources (`_scrub_result`).
PURGE: dict[str, dict[str, Any] | None] = {
    "p_applicants": {"name": "", "date_of_birth": None, "contact": "", "representative": "",
                     "representative_contact": "", "place_of_exploitation": "", "exception_reason": "",
                     "notes": "", "admissibility_reasons": "", "withdrawn_reason": ""},
    "p_documents": {"title": "", "content": None},
    "p_chronology": None,
    "p_inputs": {"overall_reasons": "", "inconsistency_notes": ""},
    "p_observations": {"source": "", "note": ""},
    "p_dimension_views": {"reasons": ""},
    "p_hearings": {"summary": ""},
    "p_decisions": {"reasons": "{}", "override_reason": "", "void_reason": ""},
    "p_dissents": {"text": ""},
    "p_letters": None,
}
PURGE_KEEPS: dict[str, frozenset[str]] = {
    "p_applicants": frozenset({"case_id"}), "p_documents": frozenset({"document_id"}),
    "p_inputs": frozenset({"input_id"}), "p_observations": frozenset({"input_id", "indicator"}),
    "p_dimension_views": frozenset({"input_id", "dimension"}), "p_hearings": frozenset({"case_id"}),
    "p_decisions": frozenset({"decision_id", "rubric_result"}), "p_dissents": frozenset({"decision_id", "username"}),
}


@dataclass(frozen=True)
class CaseRetention:
    """What retention removed (or, in a dry run, would remove) from one case."""

    ref: str
    closed_on: dt.date
    expired_on: dt.date
    rows: dict[str, int] = field(default_factory=dict)  # personal table -> rows cleared or deleted
    audit_events: int = 0  # audit events whose before/after/reason were redacted


def closed_on(row: dict[str, Any]) -> dt.date | None:
    """The day a case closed: letter issued (decided), withdrawn, or found inadmissible; None while open."""
    value = {"decided": row["letter_issued_on"], "withdrawn": row["withdrawn_on"],
             "inadmissible": row["admissibility_on"]}.get(row["status"])
    return dt.date.fromisoformat(value[:10]) if value else None


def _rows_by_table(tx: Tx, case_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of every case table that belongs to this case."""
    present = table_names()  # letters tables exist only once their migration ran
    out: dict[str, list[dict[str, Any]]] = {}
    for table, (key, parent, parent_key) in CASE_TABLES.items():
        if table not in present:
            continue
        if not parent:
            out[table] = tx.select(table, None, **{key: [case_id]})
            continue
        ids = [r[parent_key] for r in out.get(parent, [])]
        out[table] = tx.select(table, order_by=key, **{key: ids}) if ids else []
    return out


def _expired(tx: Tx, retention_days: int, on: dt.date) -> list[tuple[dict[str, Any], dt.date]]:
    done = {e["case_ref"] for e in tx.select("audit_events", action="retention.apply")}
    out = []
    for row in tx.select("cases", order_by="id"):
        closed = closed_on(row)
        if closed is None or row["ref"] in done:
            continue
        if closed + dt.timedelta(days=retention_days) <= on:
            out.append((row, closed))
    return out


def _plan(tx: Tx, row: dict[str, Any], closed: dt.date, retention_days: int) -> CaseRetention:
    rows = _rows_by_table(tx, row["id"])
    counts = {t: len(rows[t]) for t in PURGE if rows.get(t)}
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
    if done:
        # Fold the WAL into the main file and empty it, so no earlier page version keeps the removed text.
        store.fold_wal()
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
    rows = _rows_by_table(tx, row["id"])
    ref = row["ref"]
    tx.insert("retention_permits", {"case_ref": ref})
    try:
        for table, blank in PURGE.items():
            if not rows.get(table):
                continue
            key, parent, parent_key = CASE_TABLES[table]
            ids = sorted({r[key] for r in rows[table]})
            for value in ids:
                if blank is None:
                    tx.delete(table, **{key: value})
                else:
                    values = dict(blank)
                    if table == "p_applicants" and row["route"] == "exception":
                        values["exception_reason"] = REMOVED  # the intake model requires a reason on this route
                    if table == "p_decisions":
                        current = next(r for r in rows[table] if r[key] == value)
                        values["rubric_result"] = _scrub_result(current["rubric_result"])
                    tx.set(table, {key: value}, values)
        for e in tx.audit_events(ref):
            if _redactable(e.before, e.after, e.reason):
                tx.set("audit_events", {"seq": e.seq}, {
                    "before": redact(e.before), "after": redact(e.after),
                    "reason": redact(e.reason) if e.reason else e.reason,
                })
    finally:
        tx.delete("retention_permits", case_ref=ref)
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
        rows = _rows_by_table(tx, row["id"])
        withheld = _withhold_special(tx, user, row, rows)
        events = case_audit_rows(tx, user, row)
        tx.append_audit(actor=user.username, action="subject.export", case_ref=ref, entity="case",
                        after={"tables": sorted(t for t, r in rows.items() if r), "audit_events": len(events)})
    data: dict[str, Any] = {
        "reference": ref,
        "generated_at": now_iso(),
        "generated_by": user.username,
        "note": {"nl": "Alle gegevens die Aannemelijk over de aanvrager van dit dossier bewaart.",
                 "en": "All data Aannemelijk holds about the applicant of this case."},
        "tables": {t: [_plain(t, r, files, ref) for r in rs] for t, rs in rows.items()},
        "withheld": withheld,
        "audit_events": [{k: (_maybe_json(v) if k in ("before", "after") else v) for k, v in e.items()}
                         for e in events],
    }
    return SubjectExport(ref=ref, data=data, files=files)


# Tables whose rows belong to one discipline's input (by input_id) or to a document (by document_id).
_BY_INPUT = ("p_inputs", "p_observations", "p_dimension_views")


def _withhold_special(tx: Tx, user: User, row: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Drop from `rows` the special-category text this user may not read (access.may_read_input_text: the
    chair makes the complete export); returns what was withheld, for the export's own note."""
    sc = scope(tx, row)
    consents = active_consents(tx, row["id"])
    discipline = {i["id"]: i["discipline"] for i in rows.get("inputs", [])}
    hidden_inputs = {i for i, d in discipline.items() if not may_read_input_text(user, d, sc, consents)}
    hidden_docs = {d["id"] for d in rows.get("documents", [])
                   if not may_read_document(user, d["consent_scope"], sc, consents)}
    withheld: list[str] = []
    for table in _BY_INPUT:
        kept = [r for r in rows.get(table, []) if r["input_id"] not in hidden_inputs]
        if len(kept) != len(rows.get(table, [])):
            withheld.append(table)
            rows[table] = kept
    kept = [r for r in rows.get("p_documents", []) if r["document_id"] not in hidden_docs]
    if len(kept) != len(rows.get("p_documents", [])):
        withheld.append("p_documents")
        rows["p_documents"] = kept
    return withheld


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and not value.startswith("redacted:"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# Section titles of the readable export, Dutch first.
SECTIONS: dict[str, str] = {
    "cases": "Dossier (feiten) / Case (facts)",
    "p_applicants": "Aanvrager / Applicant",
    "panel": "Panel / Panel",
    "consents": "Toestemmingen / Consents",
    "documents": "Documenten / Documents",
    "p_documents": "Documenten: titels en bijlagen / Documents: titles and attachments",
    "p_chronology": "Chronologie / Chronology",
    "inputs": "Inbreng per discipline / Input per discipline",
    "p_inputs": "Inbreng: toelichting / Input: reasons and notes",
    "observations": "Indicatoren / Indicators",
    "p_observations": "Indicatoren: bronnen en notities / Indicators: sources and notes",
    "dimension_views": "Oordeel per dimensie / View per dimension",
    "p_dimension_views": "Oordeel per dimensie: motivering / View per dimension: reasons",
    "hearings": "Hoorzitting / Hearing",
    "p_hearings": "Hoorzitting: verslag / Hearing: summary",
    "decisions": "Besluit / Decision",
    "p_decisions": "Besluit: motivering / Decision: reasons",
    "decision_findings": "Besluit: bevindingen / Decision: findings",
    "dissents": "Afwijkende meningen / Dissents",
    "p_dissents": "Afwijkende meningen: tekst / Dissents: text",
    "followups": "Vervolg / Follow-up",
    "letters": "Verzonden brieven / Letters issued",
    "p_letters": "Brieven: inhoud / Letters: content",
}


def _md_escape(value: Any) -> str:
    # The export is read as text: neutralise Markdown and HTML so a value can never change the layout.
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    text = text.replace("\r", " ").replace("\n", " ⏎ ")
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~" else c for c in text)


def subject_markdown(export: SubjectExport) -> str:
    """The export as a readable Markdown document (Dutch first, English too)."""
    d = export.data
    lines = [
        f"# Inzageverzoek / Subject access request: {export.ref}",
        "",
        f"Gemaakt op / generated at: {_md_escape(d['generated_at'])} door / by {_md_escape(d['generated_by'])}",
        "",
        d["note"]["nl"],
        "",
        d["note"]["en"],
        "",
    ]
    for table, rows in d["tables"].items():
        lines += [f"## {SECTIONS.get(table, table)}", ""]
        if not rows:
            lines += ["_Geen gegevens / No data_", ""]
            continue
        for i, r in enumerate(rows, start=1):
            lines.append(f"{i}\\. " + "; ".join(f"**{_md_escape(k)}**: {_md_escape(v)}" for k, v in r.items()))
        lines.append("")
    lines += ["## Auditlog / Audit log", ""]
    for e in d["audit_events"]:
        parts = [f"#{e['seq']}", _md_escape(e["at"]), _md_escape(e["actor"]), _md_escape(e["action"])]
        for k in ("entity", "before", "after", "reason"):
            if e.get(k):
                parts.append(f"**{k}**: {_md_escape(e[k])}")
        lines.append("\\- " + " · ".join(parts))
    lines.append("")
    return "\n".join(lines)


def write_subject_export(export: SubjectExport, out: Path) -> list[Path]:
    """Write `out` (JSON), `out` with `.md` (readable) and the attachments and letters into `out`'s folder
    `<stem>-files/`; returns the paths written."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(export.to_json(), encoding="utf-8")
        md = out.with_suffix(".md")
        md.write_text(subject_markdown(export), encoding="utf-8")
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
