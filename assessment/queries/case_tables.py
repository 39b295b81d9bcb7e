"""Every table that holds a case's data, and how each hangs off the case: what the subject export reads and
what retention clears. A test (tests/test_privacy.py) checks that every table of the schema is placed here or
deliberately left out (`NOT_CASE_DATA`), so a new table cannot silently escape export and retention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..i18n import N_
from ..store import Tx, table_names

Row = dict[str, Any]
Rows = dict[str, list[Row]]


@dataclass(frozen=True)
class CaseTable:
    """Its key column, the parent table and the parent's key column ('' for the case record itself), and the
    title of its section in the readable subject export (a message id)."""

    key: str
    parent: str
    parent_key: str
    title: str


# Order matters: a parent comes before its children.
CASE_TABLES: dict[str, CaseTable] = {
    "cases": CaseTable("id", "", "", N_("Case (facts)")),
    "p_applicants": CaseTable("case_id", "cases", "id", N_("Applicant")),
    "panel": CaseTable("case_id", "cases", "id", N_("Panel")),
    "consents": CaseTable("case_id", "cases", "id", N_("Consents")),
    "recipient_consents": CaseTable("case_id", "cases", "id", N_("Consents to copies of the letter")),
    "p_recipient_consents": CaseTable("consent_id", "recipient_consents", "id", N_("Recipients of copies")),
    "documents": CaseTable("case_id", "cases", "id", N_("Documents")),
    "p_documents": CaseTable("document_id", "documents", "id", N_("Documents: kinds, titles and attachments")),
    "p_chronology": CaseTable("case_id", "cases", "id", N_("Chronology")),
    "inputs": CaseTable("case_id", "cases", "id", N_("Input per discipline")),
    "p_inputs": CaseTable("input_id", "inputs", "id", N_("Input: reasons and notes")),
    "observations": CaseTable("input_id", "inputs", "id", N_("Indicators")),
    "p_observations": CaseTable("input_id", "inputs", "id", N_("Indicators: sources and notes")),
    "dimension_views": CaseTable("input_id", "inputs", "id", N_("View per dimension")),
    "p_dimension_views": CaseTable("input_id", "inputs", "id", N_("View per dimension: reasons")),
    "hearings": CaseTable("case_id", "cases", "id", N_("Hearing")),
    "p_hearings": CaseTable("case_id", "cases", "id", N_("Hearing: summary")),
    "case_procedure": CaseTable("case_id", "cases", "id", N_("Procedure (admissibility, exception, deferral)")),
    "decisions": CaseTable("case_id", "cases", "id", N_("Decision")),
    "p_decisions": CaseTable("decision_id", "decisions", "id", N_("Decision: reasons")),
    "decision_findings": CaseTable("decision_id", "decisions", "id", N_("Decision: findings")),
    "dissents": CaseTable("decision_id", "decisions", "id", N_("Dissents")),
    "p_dissents": CaseTable("decision_id", "decisions", "id", N_("Dissents: text")),
    "decision_drafts": CaseTable("case_id", "cases", "id", N_("Decision: draft")),
    "p_decision_drafts": CaseTable("case_id", "cases", "id", N_("Decision draft: findings and reasons")),
    "followups": CaseTable("case_id", "cases", "id", N_("Follow-up")),
    "advice_uses": CaseTable("case_id", "cases", "id", N_("Use of the advice")),
    "letters": CaseTable("case_id", "cases", "id", N_("Letters issued")),
    "p_letters": CaseTable("letter_id", "letters", "id", N_("Letters: content")),
}
# Tables that hold no data about an applicant: accounts, the audit log (handled apart: its events about the
# case are exported and redacted by themselves), schema bookkeeping, letter templates, and the training
# space's tables (synthetic cases only, kept in a database of their own; see services.training), and the
# evaluators' columns kept between reads per block of cases received together (a copy of the analysable
# facts: triggers drop a block whenever a row of a case of that block changes in a table it was read from,
# so retention and erasure leave nothing behind in it; store migration 0016).
NOT_CASE_DATA = frozenset({"users", "audit_events", "audit_head", "_sqlite_migrations", "retention_permits",
                           "db_identity", "setup_token", "letter_templates", "space_marker", "training_sessions",
                           "training_cases", "training_trainees", "training_inputs", "rubric_versions",
                           "analysis_epoch", "analysis_blocks"})

# Retention per personal table: the columns blanked (value to write), or None: delete the rows.
# Columns not named here are kept: keys, and p_decisions.rubric_result (indicator statuses and tiers), from
# which retention strips the members' sources (`scrub_result` of `clear_personal`).
PURGE: dict[str, dict[str, Any] | None] = {
    "p_applicants": {"name": "", "date_of_birth": None, "contact": "", "representative": "",
                     "representative_contact": "", "place_of_exploitation": "", "exception_reason": "",
                     "notes": "", "admissibility_reasons": "", "withdrawn_reason": "", "sector": "",
                     "exception_statement_by": "", "deferral_reasons": ""},
    # The consent itself stays (the letter's copies rest on it); the recipient's name goes (`removed` of
    # clear_personal takes its place).
    "p_recipient_consents": {"recipient": ""},
    "p_documents": {"kind": "", "title": "", "content": None},
    "p_chronology": None,
    "p_inputs": {"overall_reasons": "", "inconsistency_notes": ""},
    "p_observations": {"source": "", "note": ""},
    "p_dimension_views": {"reasons": ""},
    "p_hearings": {"summary": "", "corrections": ""},
    "p_decisions": {"reasons": "{}", "override_reason": "", "void_reason": ""},
    "p_dissents": {"text": ""},
    "p_letters": None,
    "p_decision_drafts": None,
}
PURGE_KEEPS: dict[str, frozenset[str]] = {
    "p_applicants": frozenset({"case_id"}), "p_documents": frozenset({"document_id"}),
    "p_recipient_consents": frozenset({"consent_id"}),
    "p_inputs": frozenset({"input_id"}), "p_observations": frozenset({"input_id", "indicator"}),
    "p_dimension_views": frozenset({"input_id", "dimension"}), "p_hearings": frozenset({"case_id"}),
    "p_decisions": frozenset({"decision_id", "rubric_result"}), "p_dissents": frozenset({"decision_id", "username"}),
}
# Tables whose rows belong to one discipline's input (by input_id).
_BY_INPUT = ("p_inputs", "p_observations", "p_dimension_views")


def all_cases(tx: Tx) -> list[Row]:
    """Every case record of this database, by id (retention looks at each)."""
    return tx.select("cases", order_by="id")


def rows_of_case(tx: Tx, case_id: int) -> Rows:
    """Every row of every case table that belongs to this case, by table."""
    present = table_names()  # letters tables exist only once their migration ran
    out: Rows = {}
    for table, t in CASE_TABLES.items():
        if table not in present:
            continue
        if not t.parent:
            out[table] = tx.select(table, None, **{t.key: [case_id]})
            continue
        ids = [r[t.parent_key] for r in out.get(t.parent, [])]
        out[table] = tx.select(table, order_by=t.key, **{t.key: ids}) if ids else []
    return out


def personal_counts(rows: Rows) -> dict[str, int]:
    """How many rows of each personal table retention would clear or delete."""
    return {t: len(rows[t]) for t in PURGE if rows.get(t)}


def section_title(table: str) -> str:
    """The message id of a table's section in the readable export (the table's name if it has none)."""
    found = CASE_TABLES.get(table)
    return found.title if found is not None else table


def input_disciplines(rows: Rows) -> dict[int, str]:
    """Each input of the case (id) with its discipline."""
    return {int(i["id"]): str(i["discipline"]) for i in rows.get("inputs", [])}


def document_scopes(rows: Rows) -> dict[int, str | None]:
    """Each document of the case (id) with the consent scope it falls under (None: none needed)."""
    return {int(d["id"]): d["consent_scope"] for d in rows.get("documents", [])}


def drop_private_text(rows: Rows, inputs: set[int], documents: set[int]) -> list[str]:
    """Remove from `rows` the free text of these inputs and documents; returns the tables that lost rows."""
    withheld: list[str] = []
    for table, key, hidden in [*((t, "input_id", inputs) for t in _BY_INPUT), ("p_documents", "document_id", documents)]:
        kept = [r for r in rows.get(table, []) if r[key] not in hidden]
        if len(kept) != len(rows.get(table, [])):
            withheld.append(table)
            rows[table] = kept
    return withheld


def clear_personal(tx: Tx, rows: Rows, *, exception_route: bool, removed: str,
                   scrub_result: Callable[[str], str]) -> None:
    """Blank or delete every personal row of a case (`PURGE`). On the exception route the applicant's reason
    becomes `removed` (the intake model requires one), as does a recipient's name; the stored rubric result is kept through
    `scrub_result`, which strips the sources the members cited."""
    for table, blank in PURGE.items():
        if not rows.get(table):
            continue
        key = CASE_TABLES[table].key
        for value in sorted({r[key] for r in rows[table]}):
            if blank is None:
                tx.delete(table, **{key: value})
                continue
            values = dict(blank)
            if table == "p_applicants" and exception_route:
                values["exception_reason"] = removed
            if table == "p_recipient_consents":
                values["recipient"] = removed
            if table == "p_decisions":
                current = next(r for r in rows[table] if r[key] == value)
                values["rubric_result"] = scrub_result(current["rubric_result"])
            tx.set(table, {key: value}, values)
