"""Seeded synthetic `CaseFacts` with a pilot-like profile, for benchmarks and demos. Never real people.

Profile (domain notes, section 7): sexual 70 %, labour 15 %, criminal 10 %, other 5 %; women 85 %;
report-and-dismissal route 70 %; 15 % inadmissible, 3 % withdrawn; 75 % of advices plausible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

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
