"""Seeded synthetic `CaseFacts` with a pilot-like profile, for benchmarks and demos. Never real people.

Profile (domain notes, section 7): sexual 70 %, labour 15 %, criminal 10 %, other 5 %; women 85 %;
report-and-dismissal route 70 %; 15 % inadmissible, 3 % withdrawn; 75 % of advices plausible.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from ..rubric import Rubric
from .facts import CaseFacts, DisciplineFacts

DISCIPLINES = ("police", "immigration", "care", "medical", "legal", "academic")
DIMENSIONS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_vulnerability",
    "exploitation",
    "coercion_destination",
    "vulnerability_destination",
)
NATIONALITIES = {
    "NG": 40, "GH": 5, "SL": 4, "GN": 4, "UG": 3, "ER": 2, "CM": 2,
    "NL": 10, "PL": 5, "RO": 5, "BG": 3, "HU": 2,
    "VN": 5, "CN": 2, "IN": 2, "BR": 2, "MA": 2, "TH": 1, "UA": 1,
}  # fmt: skip
REASONS = ("credible_account", "trauma_explains_inconsistency", "insufficient_information", "other_evidence")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_cases(
    n: int,
    seed: int = 2018,
    rubric: Rubric | None = None,
    start: date = date(2018, 1, 1),
    span_days: int = 365,
) -> list[CaseFacts]:
    """`n` synthetic cases received over `span_days` from `start`. With a rubric, disciplines rate that
    rubric's indicators of the case's profile (so the cases can be re-scored); without, made-up ids."""
    rng = random.Random(seed)
    indicator_ids: dict[str, list[str]] = {}
    if rubric is not None:
        for p in rubric.profiles:
            indicator_ids[p.id] = list(p.indicators)
    out = []
    for i in range(n):
        form = _pick(rng, {"sexual": 70, "labour": 15, "criminal": 10, "other": 5})
        age = rng.randint(15, 17) if rng.random() < 0.05 else rng.randint(18, 52)
        received = start + timedelta(days=rng.randrange(span_days))
        roll = rng.random()
        status = (
            "inadmissible"
            if roll < 0.15
            else "withdrawn"
            if roll < 0.18
            else "in_progress"
            if roll < 0.25
            else "decided"
        )
        admissibility = received + timedelta(days=rng.randint(5, 30))
        profile = None
        if rubric is not None:
            profile = rubric.profile_for("child" if age < 18 else "adult", form).id  # type: ignore[arg-type]
        case: dict[str, object] = {
            "key": f"S-{i:06d}",
            "received": received,
            "status": status,
            "form": form,
            "nationality": _pick(rng, NATIONALITIES),
            "gender": _pick(rng, {"female": 85, "male": 14, "other": 1}),
            "age": age,
            "route": "report_dismissal" if rng.random() < 0.7 else "exception",
        }
        if status != "withdrawn" or rng.random() < 0.5:
            case["admissibility_decided"] = admissibility
        if status in ("in_progress", "decided"):
            if rng.random() < 0.9 or status == "decided":
                case["file_complete"] = received + timedelta(days=rng.randint(20, 80))
            if rng.random() < 0.6 and status == "decided":
                case["hearing"] = received + timedelta(days=rng.randint(40, 120))
        if status == "decided":
            panel = "plausible" if rng.random() < 0.75 else "not_plausible"
            decided = received + timedelta(days=rng.randint(60, 150))
            reached = [d for k in ("file_complete", "hearing") if isinstance(d := case.get(k), date)]
            decided = max([decided, admissibility, *reached])
            r = rng.random()
            other = "not_plausible" if panel == "plausible" else "plausible"
            rubric_outcome = panel if r < 0.8 else ("undetermined" if r < 0.9 else other)
            departs = rubric_outcome == other
            case |= {
                "decided": decided,
                "panel_outcome": panel,
                "rubric_id": rubric.id if rubric else "ilo-2009",
                "rubric_version": rubric.version if rubric else "2009.1",
                "profile": profile,
                "rubric_outcome": rubric_outcome,
                "override_reason": departs and rng.random() < 0.9,
            }
            if case["override_reason"]:
                case["override_category"] = rng.choice(REASONS)
            if rng.random() < 0.8:
                case["status"] = "letter_issued"
                case["letter"] = decided + timedelta(days=rng.randint(3, 20))
            case["follow_up"] = {
                "residence_permit": _pick(rng, {"granted": 50, "refused": 15, "pending": 20, "unknown": 15}),
                "care": _pick(rng, {"granted": 60, "refused": 5, "pending": 10, "unknown": 25}),
                "compensation": _pick(rng, {"granted": 20, "refused": 20, "pending": 40, "unknown": 20}),
            }
            case["disciplines"] = _disciplines(rng, panel, indicator_ids.get(profile or "", []))
        out.append(CaseFacts.model_validate(case))
    return out


def _disciplines(rng: random.Random, panel: str, indicator_ids: list[str]) -> list[DisciplineFacts]:
    ids = indicator_ids or [f"{d}.i{k}" for d in DIMENSIONS for k in range(10)]
    p_positive = 0.7 if panel == "plausible" else 0.3
    out = []
    for disc in rng.sample(DISCIPLINES, rng.randint(3, 5)):
        rated = rng.sample(ids, rng.randint(8, 15))
        out.append(
            DisciplineFacts(
                discipline=disc,
                indicators={
                    iid: rng.choices(("present", "absent", "unknown"), weights=(45, 35, 20))[0] for iid in rated
                },
                dimensions={
                    d: "positive"
                    if (x := rng.random()) < p_positive
                    else "undetermined"
                    if x < p_positive + 0.1
                    else "negative"
                    for d in DIMENSIONS
                },
                overall=panel if rng.random() < 0.8 else rng.choice(("plausible", "not_plausible", "undetermined")),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# Seeding a store with synthetic facts, so the figures can be read back the way the product reads them.

_STORE_STATUS = {"received": "intake", "in_progress": "assessment", "inadmissible": "inadmissible",
                 "withdrawn": "withdrawn", "decided": "decided", "letter_issued": "decided"}  # fmt: skip
_STORE_PANEL = {"plausible": "aannemelijk", "not_plausible": "niet_aannemelijk"}
_STORE_OVERALL = {"plausible": "positive", "not_plausible": "negative", "undetermined": "undetermined"}
_STORE_FOLLOW_UP = {"granted": "granted", "refused": "refused", "pending": "pending", "unknown": "not_applied"}
_CASE_COLUMNS = (
    "id", "ref", "year", "space", "status", "received_on", "route", "form", "residence_status", "gender",
    "nationality", "birth_year", "age_group", "filing_party", "admissibility", "admissibility_on",
    "file_complete_on", "hearing_on", "deliberation_on", "decided_on", "letter_issued_on", "panel_outcome",
    "rubric_outcome", "created_by", "created_at", "updated_by", "updated_at",
)  # fmt: skip


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def store_rows(cases: list[CaseFacts], first_id: int = 1) -> dict[str, list[tuple[object, ...]]]:
    """The store rows (`cases`, `decisions`, `consents`, `inputs`, `observations`, `dimension_views`,
    `followups`) that `to_facts` reads back as these facts. Synthetic facts only: the rows carry no name
    or free text. Every case with medical input gets a medical consent, so that input counts."""
    at = "2018-01-01T00:00:00"
    out: dict[str, list[tuple[object, ...]]] = {k: [] for k in
                                                 ("cases", "decisions", "consents", "inputs", "observations",
                                                  "dimension_views", "followups")}  # fmt: skip
    for n, c in enumerate(cases):
        cid = first_id + n
        admissibility = None
        if c.admissibility_decided is not None:
            admissibility = "inadmissible" if c.status == "inadmissible" else "admissible"
        out["cases"].append((
            cid, c.key, c.received.year, "real", _STORE_STATUS[c.status], _iso(c.received),
            "report" if c.route == "report_dismissal" else "exception", c.form, "unknown",
            "x" if c.gender == "other" else c.gender, c.nationality or "",
            None if c.age is None else c.received.year - c.age, c.age_group or "adult", "lawyer", admissibility,
            _iso(c.admissibility_decided), _iso(c.file_complete), _iso(c.hearing), _iso(c.deliberation),
            _iso(c.decided), _iso(c.letter), _STORE_PANEL.get(c.panel_outcome or ""), c.rubric_outcome,
            "synthetic", at, "synthetic", at,
        ))  # fmt: skip
        if c.panel_outcome is not None:
            out["decisions"].append((cid, cid, _STORE_PANEL[c.panel_outcome], c.rubric_id or "", c.rubric_version or "",
                                     "", c.rubric_outcome or "", "{}", int(c.override_reason), at, "synthetic"))  # fmt: skip
        if any(d.discipline == "medical" for d in c.disciplines):
            out["consents"].append((cid, "medical", _iso(c.received), "synthetic", at))
        for k, d in enumerate(c.disciplines):
            input_id = cid * 16 + k  # at most 16 inputs a case: ids stay unique across calls
            out["inputs"].append((input_id, cid, d.discipline, "synthetic", at,
                                  _STORE_OVERALL.get(d.overall or ""), "synthetic", at))  # fmt: skip
            out["observations"] += [(input_id, i, s) for i, s in d.indicators.items()]
            out["dimension_views"] += [(input_id, k, v) for k, v in d.dimensions.items()]
        out["followups"] += [(cid, kind, _STORE_FOLLOW_UP[result]) for kind, result in c.follow_up.items()]
    return out


STORE_ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": _CASE_COLUMNS,
    "decisions": ("id", "case_id", "outcome", "rubric_id", "rubric_version", "rubric_hash", "rubric_outcome",
                  "rubric_dimensions", "departs", "decided_at", "decided_by"),  # fmt: skip
    "consents": ("case_id", "scope", "given_on", "updated_by", "updated_at"),
    "inputs": ("id", "case_id", "discipline", "username", "submitted_at", "overall_view", "updated_by", "updated_at"),
    "observations": ("input_id", "indicator", "status"),
    "dimension_views": ("input_id", "dimension", "view"),
    "followups": ("case_id", "kind", "result"),
}


class RowWriter(Protocol):
    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None: ...


def seed(tx: RowWriter, cases: list[CaseFacts], first_id: int = 1) -> None:
    """Write synthetic facts into a store (an open write transaction), case ids from `first_id`."""
    for table, rows in store_rows(cases, first_id).items():
        tx.insert_many(table, STORE_ROW_COLUMNS[table], rows)
