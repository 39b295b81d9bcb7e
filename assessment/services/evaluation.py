"""The evaluation's public products, computed from the analysable facts read on a connection that cannot read
personal data: the pilot's figures and report, the research export (as files or one download), and the
what-if (re-scoring decided cases under another rubric, changing nothing); all protected by the deployment's
disclosure rule. The evaluation team's internal workspace (exact counts) is `services.workspace`."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import ValidationError as PydanticValidationError

from ..access import allowed, require
from ..disciplines import consent_needed
from ..errors import StorageError
from ..evaluation import blocks as case_blocks
from ..evaluation import snapshot
from ..evaluation.disclosure import SUPPRESSED_MARK, Cell, Table
from ..evaluation.export import TRAINING_MARK, ExportResult, Format, export, neutralise, pseudonym
from ..evaluation.facts import CaseColumns, CaseFacts
from ..evaluation.metrics import PilotMetrics, compute_all, in_period, rubric_labels
from ..evaluation.report import render_report_pdf, report_context
from ..evaluation.rescore import RescoreResult, rescore
from ..evaluation.source import columns_of, to_facts
from ..model import AdviceUse, AnalysableCase, FollowUp, User
from ..queries import case_parts as parts
from ..queries import cases as case_records
from ..queries import decisions as decision_rows
from ..queries import inputs as input_rows
from ..rubric import DEFAULT_RUBRIC, Lang, Rubric, load_rubric, parse_rubric
from ..store import Store
from ._common import loads
from .disclosure import disclosure_rule, disclosure_setting, pseudonym_key
from .rubrics import active_rubric, list_rubric_versions, rubric_by_hash

SHIPPED_RUBRICS = DEFAULT_RUBRIC.parent


# The exact facts (case references, exact dates, ages) are read only here, for the services' own figures,
# exports and re-scoring; evaluators receive pseudonymous facts (`workspace.analysable_cases`) and figures.
# None of these three is in the public API (assessment.services), and none takes a user: no page or command
# can reach them (tests/test_architecture.py).

def _exact_cases(store: Store) -> list[AnalysableCase]:
    """Every real case's analysable facts as stored (references and exact dates included): see above."""
    return _read_analysable(store)


def _exact_facts(store: Store) -> tuple[list[CaseFacts], list[str]]:
    """Every real case as `CaseFacts` keyed by its reference, and the references of cases left out because
    their stored facts are inconsistent (e.g. a decision dated before the application): see above."""
    return _to_facts(_read_analysable(store))


def _columns(store: Store) -> tuple[CaseColumns, list[str]]:
    """The same facts as `_exact_facts`, read from the store straight into columns: what every figure and
    the re-scoring run on, without an object per case or rating. Kept in the store per block of cases
    received in the same ten days or so (`store.BLOCK`, `evaluation.blocks`, `evaluation.snapshot`) until a
    table they come from changes for a case of that block, so the figures, the export, the report and the
    what-if read only the blocks changed since the last read, not millions of ratings."""
    fmt = snapshot.FORMAT
    with store.analysable() as tx:
        blocks = tx.analysis_blocks()
        if not blocks:
            return columns_of(tx.analysable_columns([]))
        epoch, kept = tx.kept_analysis_blocks(fmt)
        parts: dict[str, tuple[CaseColumns, list[str]]] = {}
        for block in blocks:
            if block in kept:
                with contextlib.suppress(snapshot.SnapshotError):  # damaged: read it again, keep a sound one
                    parts[block] = snapshot.decode(kept[block])
        blobs: dict[str, bytes | bytearray] = {}
        for some in _batches([b for b in blocks if b not in parts], blocks):
            for block, part in _by_block(tx.analysable_columns(some), some).items():
                parts[block] = part
                with contextlib.suppress(snapshot.SnapshotError):  # a value the format cannot hold: not kept
                    blobs[block] = snapshot.encode(*part)
    if blobs:
        # Not kept when the database is busy or read-only, or changed since the read: the next read reads
        # those blocks again.
        with contextlib.suppress(StorageError):
            store.keep_analysis_blocks(epoch, fmt, blobs)
    return (case_blocks.join([parts[b][0] for b in blocks]),
            list(itertools.chain.from_iterable(parts[b][1] for b in blocks)))


def keep_evaluation_columns(store: Store) -> int:
    """Read the evaluators' columns once so that every block is kept in the store, and say how many cases
    they hold. The app does this on a thread when it starts: after an upgrade no block is kept, and the
    first figures, report or export an evaluator asks for would otherwise wait for every case to be read
    (some 20 s at 100,000 cases). With every block kept it reads nothing from the tables. It shows no data
    to anyone, so it asks for no user; the columns are read through the evaluators' read-only connection."""
    cols, skipped = _columns(store)
    return len(cols) + len(skipped)


# Cases read from the tables at a time, at most (a block is not split): the text SQLite hands over for all
# 100,000 cases at once would take the memory past the evaluators' budget of 1 GB.
READ_CASES = 10_000


def _batches(stale: list[str], cases: dict[str, int]) -> list[list[str]]:
    """The stale blocks in batches of about READ_CASES cases."""
    batches: list[list[str]] = []
    size = 0
    for block in stale:
        if not batches or size + cases[block] > READ_CASES:
            batches.append([])
            size = 0
        batches[-1].append(block)
        size += cases[block]
    return batches


def _by_block(tables: dict[str, dict[str, Any]], blocks: list[str]) -> dict[str, tuple[CaseColumns, list[str]]]:
    """The columns of the tables read for these blocks, and the cases left out, per block (a block whose
    cases are all left out has columns of no case)."""
    block_of = dict(zip(tables["cases"]["ref"], tables["cases"]["block"], strict=True))
    cols, skipped = columns_of(tables)
    del tables
    none = cols.take(np.zeros(len(cols), dtype=bool))
    out: dict[str, tuple[CaseColumns, list[str]]] = {block: (none, []) for block in blocks}
    for block, part in case_blocks.split(cols, [block_of[k] for k in cols.keys]).items():
        out[block] = (part, [])
    for ref in skipped:
        out[block_of[ref]][1].append(ref)
    return out


def full_export(
    store: Store,
    user: User,
    out: Path,
    fmt: Format,
    progress: Callable[[str, int, int], None] | None = None,
) -> ExportResult:
    """The full export (case references and exact dates, still no names or free text): administrators
    only, and every one is recorded in the audit log before the file is written."""
    require(user, "export.full")
    cols, skipped = _columns(store)
    with store.write() as tx:
        tx.append_audit(actor=user.username, action="export.full", entity="export",
                        after={"cases": len(cols), "skipped": len(skipped), "format": fmt, "target": str(out)})
    return export(cols, out, "full", fmt, disclosure_rule(store), progress=progress,
                  training=store.settings.training)


def research_export(
    store: Store,
    user: User,
    out: Path,
    fmt: Format,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[ExportResult, list[str]]:
    """The research export (keyed pseudonyms, the deployment's disclosure rule applied), evaluators only;
    with the cases left out for inconsistent facts. From a training store every file is
    marked TRAINING. The cases left out are named by their research pseudonyms, never their references."""
    require(user, "analysable.read")
    cols, skipped = _columns(store)
    setting = disclosure_setting(store)
    key = pseudonym_key(store, setting)
    result = export(cols, out, "research", fmt, setting.rule, progress=progress, training=store.settings.training,
                    pseudonym_key=key)
    return result, [pseudonym(key, r) for r in skipped]


# --- the pilot's figures and report ----------------------------------------------------------------------

def pilot_figures(
    store: Store, user: User, *, start: dt.date | None = None, end: dt.date | None = None,
) -> tuple[PilotMetrics, list[str]]:
    """Every figure of the pilot for cases received in [start, end] (either end open), with the deployment's
    disclosure rule applied, labelled by the active rubric and measured against the configured stage deadlines
    (evaluators only); with the research pseudonyms of cases left out for inconsistent facts (never their
    references)."""
    require(user, "analysable.read")
    cols, skipped = _columns(store)
    setting = disclosure_setting(store)
    metrics = compute_all(cols, setting.rule, start=start, end=end, labels=rubric_labels(active_rubric(store)),
                          deadlines=store.settings.deadlines)
    key = pseudonym_key(store, setting)
    return metrics, [pseudonym(key, r) for r in skipped]


def pilot_report(metrics: PilotMetrics, lang: Lang, on: dt.date | None = None) -> bytes:
    """The pilot report of these figures as PDF: every table with its charts, the disclosure rule, the rubric
    versions in force and a short methods section."""
    return render_report_pdf(report_context(metrics, lang, on or dt.date.today()))


def _csv_cell(cell: Cell) -> str | int | float:
    # The published value: the mark for a suppressed cell, empty when not computable.
    if cell.hidden:
        return SUPPRESSED_MARK
    return "" if cell.value is None else cell.value


def table_csv(table: Table, lang: Lang, training: bool = False) -> bytes:
    """A table's published data as CSV (with its note and the disclosure rule under it, as in every
    export); text cells a spreadsheet would run as formulas are neutralised like the exports do."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if training:
        w.writerow([TRAINING_MARK])
    w.writerow([neutralise(h) for h in (table.row_header.text(lang), *(c.label.text(lang) for c in table.columns))])
    for r in table.rows:
        values: list[str | int | float] = [r.label.text(lang), *(_csv_cell(c) for c in r.cells)]
        w.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
    w.writerow([])
    if table.note is not None:
        w.writerow([neutralise(table.note.text(lang))])
    w.writerow([neutralise(table.rule.text(lang))])
    # With a BOM, so a spreadsheet opens the Dutch accents and dashes as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


# --- the research export as one download --------------------------------------------------------------------

@dataclass(frozen=True)
class ExportDownload:
    """A research export ready to hand over: one file (a zip of CSV files, or an XLSX workbook)."""

    data: bytes
    filename: str
    mime: str
    result: ExportResult
    skipped: list[str]  # cases left out for inconsistent facts


def research_export_download(
    store: Store, user: User, fmt: Format, progress: Callable[[str, int, int], None] | None = None,
    on: dt.date | None = None,
) -> ExportDownload:
    """The research export (see `research_export`) as the bytes of one file to download."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("export" if fmt == "csv" else "export.xlsx")
        result, skipped = research_export(store, user, out, fmt, progress=progress)
        data = _zip(result.paths) if fmt == "csv" else out.read_bytes()
    name = f"research-export-{(on or dt.date.today()).isoformat()}" + ("-TRAINING" if result.training else "")
    if fmt == "csv":
        return ExportDownload(data, f"{name}.zip", "application/zip", result, skipped)
    return ExportDownload(data, f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          result, skipped)


def _zip(paths: Sequence[Path]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in paths:
            z.write(p, arcname=p.name)
    return buf.getvalue()


# --- what-if ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RubricChoice:
    """A rubric the what-if can score against. `key`: "active", "file:<name>" (a shipped rubric file),
    "hash:<content hash>" (a stored version) or "upload" (a file the user gives)."""

    key: str
    kind: Literal["active", "file", "stored", "upload"]
    name: str = ""  # the shipped file's name
    id: str = ""  # the rubric's id and version (active and stored versions)
    version: str = ""


def whatif_rubric_choices(store: Store, user: User) -> list[RubricChoice]:
    """What the what-if can score against: the active rubric, the shipped rubric files, the stored versions
    (for whoever may list them) and an uploaded file (evaluators only)."""
    require(user, "analysable.read")
    active = active_rubric(store)
    choices = [RubricChoice("active", "active", id=active.id, version=active.version)]
    choices += [RubricChoice(f"file:{p.name}", "file", name=p.name) for p in sorted(SHIPPED_RUBRICS.glob("*.yaml"))]
    if allowed(user, "rubric.manage"):
        choices += [RubricChoice(f"hash:{v.hash}", "stored", id=v.id, version=v.version)
                    for v in list_rubric_versions(store, user)]
    return [*choices, RubricChoice("upload", "upload")]


def whatif_rubric(store: Store, key: str, upload: tuple[str, bytes] | None = None) -> Rubric | None:
    """The rubric a what-if choice names; raises RubricError for an invalid file. None: the choice is an
    upload and nothing was uploaded yet, or no stored version has that hash."""
    if key == "active":
        return active_rubric(store)
    if key.startswith("file:"):
        return load_rubric(SHIPPED_RUBRICS / Path(key.removeprefix("file:")).name)  # only the shipped folder
    if key.startswith("hash:"):
        return rubric_by_hash(store, key.removeprefix("hash:"))
    return None if upload is None else parse_rubric(upload[1], upload[0])


def whatif(
    store: Store, user: User, rubric: Rubric, *, start: dt.date | None = None, end: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RescoreResult:
    """Re-score every decided case received in [start, end] under `rubric`, in memory only: how many outcomes
    would change and in which direction, and the changed cases under their research pseudonyms (never their
    references: the same keys as the research export). Evaluators only; nothing is changed."""
    require(user, "analysable.read")
    cols, _ = _columns(store)
    setting = disclosure_setting(store)
    result = rescore(in_period(cols, start, end), rubric, setting.rule, progress=progress)
    key = pseudonym_key(store, setting)
    return result.model_copy(update={"changes": [c._replace(key=pseudonym(key, c.key)) for c in result.changes]})


def _to_facts(cases: list[AnalysableCase]) -> tuple[list[CaseFacts], list[str]]:
    facts: list[CaseFacts] = []
    skipped: list[str] = []
    for c in cases:
        try:
            facts.append(to_facts(c))
        except PydanticValidationError:
            skipped.append(c.ref)
    return facts, skipped


def _read_analysable(store: Store) -> list[AnalysableCase]:
    """The analysable facts of every real case, on a connection that cannot read personal data."""
    with store.analysable() as tx:
        cases = case_records.real_in_order(tx)
        ids = [c["id"] for c in cases]
        active = {(c["case_id"], c["scope"]) for c in parts.consents(tx, ids) if c["revoked_on"] is None}
        inputs = [i for i in input_rows.of_cases(tx, ids) if i["submitted_at"]
                  and (consent_needed(i["discipline"]) is None
                       or (i["case_id"], consent_needed(i["discipline"])) in active)]
        by_input = {i["id"]: i for i in inputs}
        statuses: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        views: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        for o in input_rows.ratings(tx, list(by_input)):
            i = by_input[o["input_id"]]
            statuses[i["case_id"]][i["discipline"]][o["indicator"]] = o["status"]
        for v in input_rows.views(tx, list(by_input)):
            i = by_input[v["input_id"]]
            views[i["case_id"]][i["discipline"]][v["dimension"]] = v["view"]
        decisions = decision_rows.live_of_cases(tx, ids)
        dissent_counts = decision_rows.dissent_counts(tx, [dec["id"] for dec in decisions.values()])
        procedures = parts.procedures(tx, ids)
        hearings = parts.hearings(tx, ids)
        findings = decision_rows.findings_of(tx, [dec["id"] for dec in decisions.values()])
        followups: dict[int, list[FollowUp]] = defaultdict(list)
        for f in parts.followups(tx, ids):
            followups[f["case_id"]].append(FollowUp(kind=f["kind"], result=f["result"], on=f["on_date"]))
        uses: dict[int, list[AdviceUse]] = defaultdict(list)
        for a in parts.advice_uses(tx, ids):
            uses[a["case_id"]].append(AdviceUse(by=a["used_by"], followed=a["followed"], on=a["on_date"]))
    out = []
    for c in cases:
        d = decisions.get(c["id"])
        proc, h = procedures.get(c["id"], {}), hearings.get(c["id"])
        out.append(AnalysableCase(
            exploitation_in_nl=proc.get("exploitation_in_nl") or "unknown",
            route_end_ground=proc.get("route_end_ground"), exception_ground=proc.get("exception_ground"),
            inadmissible_grounds=loads(proc.get("inadmissible_grounds")) or [],
            within_term=None if c["within_term"] is None else bool(c["within_term"]),
            hearing_members=len(loads(h["members"]) or []) if h else None,
            hearing_interpreter=bool(h["interpreter"]) if h else None,
            interpreter_language=(h["interpreter_language"] or None) if h else None,
            interpreter_gender=h["interpreter_gender"] if h else None,
            hearing_report_sent_on=h["report_sent_on"] if h else None,
            hearing_corrections_on=h["corrections_received_on"] if h else None,
            deferral=proc.get("deferral"), deferred_on=proc.get("deferred_on"),
            ref=c["ref"], status=c["status"], received_on=c["received_on"], route=c["route"],
            route_end=c["route_end"], route_end_on=c["route_end_on"], form=c["form"],
            nationality=c["nationality"], gender=c["gender"], birth_year=c["birth_year"], age_group=c["age_group"],
            period_start=c["period_start"],
            residence_status=c["residence_status"], filing_party=c["filing_party"], interpreter=bool(c["interpreter"]),
            admissibility=c["admissibility"], admissibility_on=c["admissibility_on"],
            file_complete_on=c["file_complete_on"], hearing_on=c["hearing_on"], deliberation_on=c["deliberation_on"],
            decided_on=c["decided_on"], withdrawn_on=c["withdrawn_on"], letter_issued_on=c["letter_issued_on"],
            panel_outcome=c["panel_outcome"], rubric_outcome=c["rubric_outcome"],
            rubric_id=d["rubric_id"] if d else None, rubric_version=d["rubric_version"] if d else None,
            rubric_dimensions=loads(d["rubric_dimensions"]) if d else {},
            findings=findings.get(d["id"], {}) if d else {},
            departs_from_rubric=bool(d["departs"]) if d else None,
            dissent_count=dissent_counts.get(d["id"], 0) if d else 0,
            indicator_statuses={k: dict(v) for k, v in statuses[c["id"]].items()},
            dimension_views={k: dict(v) for k, v in views[c["id"]].items()},
            overall_views={i["discipline"]: i["overall_view"] for i in inputs
                           if i["case_id"] == c["id"] and i["overall_view"]},
            followups=followups[c["id"]], advice_uses=uses[c["id"]],
        ))
    return out
