"""Services the app needs beyond the core set: first-start checks, panel candidates, the deliberation view
for members, and rubric versions (upload, validate, activate).

Rubric versions are stored as files beside the database (`<db dir>/rubrics/`), named by their content
hash, with `active.json` naming the active one; every upload and activation is an audit event. Earlier
decisions keep the rubric id, version and hash they were made with (see services.decisions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from ..access import require
from ..errors import AccessDeniedError, LifecycleError, NotFoundError
from ..evaluation.facts import CaseFacts
from ..evaluation.metrics import PilotMetrics, compute_all, rubric_labels
from ..model import AnalysableCase, CaseSummary, Deadline, User
from ..rubric import DEFAULT_RUBRIC, Rubric, load_rubric, parse_rubric
from ..scoring import RubricResult
from ..store import Store, now_iso
from ._common import case_for, today
from .cases import deadlines, list_cases
from .decisions import _score
from .evaluation import analysable_cases
from .inputs import visible_input_rows

# Uploading and activating rubric versions is an administrator's task, like managing users.
RUBRIC_ACTION = "users.manage"


def has_users(store: Store) -> bool:
    """Does any account exist yet? (False on a fresh database: the app then asks for an administrator.)"""
    with store.read() as tx:
        return bool(tx.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone())


def panel_candidates(store: Store, user: User, discipline: str) -> list[tuple[str, str]]:
    """Active members of one discipline as (username, display name), for whoever may assign panels."""
    require(user, "panel.assign")
    with store.read() as tx:
        rows = tx.select("users", order_by="username", role="member", discipline=discipline, disabled=0)
    return [(r["username"], r["display_name"] or r["username"]) for r in rows]


def deliberation_view(store: Store, user: User, ref: str, rubric: Rubric) -> RubricResult:
    """The consolidated rubric result for the deliberation screen: the chair at any time; a member only
    after submitting their own input or once deliberation is open (blind until submitted)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "input.view")
        if user.role == "member" and row["status"] not in ("deliberation", "decided"):
            own = [i for i, _ in visible_input_rows(tx, user, row) if i["username"] == user.username]
            if not own or not own[0]["submitted_at"]:
                raise LifecycleError(
                    "U ziet het resultaat van het panel pas als u uw eigen inbreng heeft ingediend / "
                    "You see the panel's result only after submitting your own input")
        if user.role not in ("chair", "trainer", "member", "secretary"):
            raise AccessDeniedError(f"Geen toegang / Access denied: {user.role}")
        return _score(tx, row, rubric)[0]


@dataclass(frozen=True)
class RubricVersion:
    """One uploaded rubric file: its key (file stem), what it says it is, and whether it is active."""

    key: str
    id: str
    version: str
    hash: str
    uploaded_at: str
    uploaded_by: str
    active: bool


def _rubric_dir(store: Store) -> Path:
    return store.path.parent / "rubrics"


def _active_key(store: Store) -> str | None:
    pointer = _rubric_dir(store) / "active.json"
    if not pointer.exists():
        return None
    return str(json.loads(pointer.read_text("utf-8"))["key"])


def active_rubric(store: Store) -> Rubric:
    """The rubric new deliberations use: the activated upload, or the shipped ILO rubric."""
    key = _active_key(store)
    path = _rubric_dir(store) / f"{key}.yaml" if key else DEFAULT_RUBRIC
    return load_rubric(path)


def active_rubric_path(store: Store) -> Path:
    """The file of the active rubric (for caching the parsed rubric by path and modification time)."""
    key = _active_key(store)
    return _rubric_dir(store) / f"{key}.yaml" if key else DEFAULT_RUBRIC


def list_rubric_versions(store: Store, user: User) -> list[RubricVersion]:
    """Every uploaded rubric version, newest first (administrators)."""
    require(user, RUBRIC_ACTION)
    directory = _rubric_dir(store)
    active = _active_key(store)
    out = []
    for meta in sorted(directory.glob("*.json")) if directory.exists() else []:
        if meta.name == "active.json":
            continue
        m = json.loads(meta.read_text("utf-8"))
        out.append(RubricVersion(key=meta.stem, id=m["id"], version=m["version"], hash=m["hash"],
                                 uploaded_at=m["uploaded_at"], uploaded_by=m["uploaded_by"],
                                 active=meta.stem == active))
    return sorted(out, key=lambda v: v.uploaded_at, reverse=True)


def upload_rubric(store: Store, user: User, filename: str, raw: bytes) -> RubricVersion:
    """Validate an uploaded rubric file and keep it (not yet active). Raises RubricError listing every
    problem with line and field; nothing is stored then."""
    require(user, RUBRIC_ACTION)
    rubric = parse_rubric(raw, filename)
    key = f"{rubric.id}-{rubric.content_hash.removeprefix('sha256:')[:12]}"
    directory = _rubric_dir(store)
    directory.mkdir(parents=True, exist_ok=True)
    at = now_iso()
    (directory / f"{key}.yaml").write_bytes(raw)
    meta = {"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash, "uploaded_at": at,
            "uploaded_by": user.username, "filename": filename}
    (directory / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    with store.write() as tx:
        tx.append_audit(actor=user.username, action="rubric.upload", entity=f"rubric:{key}", after=meta)
    return RubricVersion(key=key, id=rubric.id, version=rubric.version, hash=rubric.content_hash,
                         uploaded_at=at, uploaded_by=user.username, active=key == _active_key(store))


def activate_rubric(store: Store, user: User, key: str) -> None:
    """Make an uploaded rubric version the one new deliberations use (decisions keep their own version)."""
    require(user, RUBRIC_ACTION)
    directory = _rubric_dir(store)
    if not (directory / f"{key}.yaml").exists():
        raise NotFoundError(f"Rubriekversie {key} bestaat niet / Rubric version {key} does not exist")
    load_rubric(directory / f"{key}.yaml")  # refuse a file changed on disk since upload
    before = _active_key(store)
    tmp = directory / "active.json.tmp"
    tmp.write_text(json.dumps({"key": key}), "utf-8")
    tmp.replace(directory / "active.json")
    with store.write() as tx:
        tx.append_audit(actor=user.username, action="rubric.activate", entity=f"rubric:{key}",
                        before={"key": before}, after={"key": key})


@dataclass(frozen=True)
class CaseRow:
    """One row of the Cases screen: the summary plus its open stage deadline (if any)."""

    summary: CaseSummary
    deadline: Deadline | None  # the stage now running, or None when the case is closed


def case_rows(store: Store, user: User, *, status: str | None = None) -> list[CaseRow]:
    """The cases this user may list, each with the deadline of its running stage (due or overdue)."""
    summaries = list_cases(store, user, status=status, limit=1000)
    if not summaries:
        return []
    on = today()
    with store.read() as tx:
        rows = {r["ref"]: r for r in tx.select("cases", ref=[s.ref for s in summaries])}
    out = []
    for s in summaries:
        running = [d for d in deadlines(rows[s.ref], store.settings, on) if d.state in ("due", "overdue")]
        out.append(CaseRow(summary=s, deadline=running[-1] if running else None))
    return out


_STATUS_FACTS = {"intake": "received", "assessment": "in_progress", "deliberation": "in_progress",
                 "inadmissible": "inadmissible", "withdrawn": "withdrawn", "decided": "decided"}
_OUTCOME_FACTS = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
_VIEW_FACTS = {"positive": "plausible", "negative": "not_plausible", "undetermined": "undetermined"}
_FOLLOWUP_FACTS = {"granted": "granted", "refused": "refused", "pending": "pending", "not_applied": "unknown"}


def _facts(c: AnalysableCase) -> CaseFacts:
    """The evaluators' facts of one case (no names, no free text: AnalysableCase has none)."""
    status = _STATUS_FACTS[c.status]
    if status == "decided" and c.letter_issued_on:
        status = "letter_issued"
    disciplines = sorted(set(c.indicator_statuses) | set(c.dimension_views) | set(c.overall_views))
    return CaseFacts.model_validate({
        "key": c.ref, "received": c.received_on, "admissibility_decided": c.admissibility_on,
        "file_complete": c.file_complete_on, "hearing": c.hearing_on, "decided": c.decided_on,
        "letter": c.letter_issued_on, "status": status, "form": c.form, "nationality": c.nationality or None,
        "gender": {"x": "other"}.get(c.gender, c.gender),
        "age": c.received_on.year - c.birth_year if c.birth_year else None,
        "route": "report_dismissal" if c.route == "report" else "exception",
        "rubric_outcome": c.rubric_outcome, "panel_outcome": _OUTCOME_FACTS.get(c.panel_outcome or ""),
        "override_reason": bool(c.departs_from_rubric),
        "disciplines": [{"discipline": d, "indicators": c.indicator_statuses.get(d, {}),
                         "dimensions": c.dimension_views.get(d, {}),
                         "overall": _VIEW_FACTS.get(c.overall_views.get(d, ""))} for d in disciplines],
        "follow_up": {f.kind: _FOLLOWUP_FACTS[f.result] for f in c.followups},
    })


def pilot_metrics(store: Store, user: User, rubric: Rubric) -> tuple[PilotMetrics, int]:
    """Every evaluation figure over the real cases (evaluators only), with disclosure control applied.
    Returns the figures and the number of cases left out because their facts are inconsistent."""
    facts, skipped = [], 0
    for c in analysable_cases(store, user):
        try:
            facts.append(_facts(c))
        except PydanticValidationError:
            skipped += 1
    return compute_all(facts, labels=rubric_labels(rubric)), skipped
