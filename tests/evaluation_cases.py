"""A small hand-made set of cases with known answers, shared by the evaluation tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from assessment.evaluation.facts import CaseFacts


def case(key: str, **kw: Any) -> CaseFacts:
    base: dict[str, Any] = {
        "key": key,
        "received": date(2018, 1, 10),
        "status": "received",
        "form": "sexual",
        "route": "report_dismissal",
        "gender": "female",
        "nationality": "NG",
        "age": 30,
    }
    return CaseFacts.model_validate(base | kw)


def views(a: str, b: str, dims: dict[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """Two disciplines, police and care, with overall views a and b (and dimension views)."""
    dims = dims or {}
    return [
        {"discipline": "police", "overall": a, "dimensions": {k: v[0] for k, v in dims.items()}},
        {"discipline": "care", "overall": b, "dimensions": {k: v[1] for k, v in dims.items()}},
    ]


def decided(key: str, panel: str, days: int, **kw: Any) -> CaseFacts:
    received = kw.pop("received", date(2018, 1, 10))
    return case(
        key,
        received=received,
        status="letter_issued" if "letter" in kw else "decided",
        decided=date.fromordinal(received.toordinal() + days),
        panel_outcome=panel,
        **kw,
    )


def hand_made() -> list[CaseFacts]:
    """Ten cases: 1 inadmissible, 1 withdrawn, 2 in progress, 6 decided (4 plausible, 2 not).

    Decided cases 1-4 have two disciplines with overall views P/P, P/N, N/N, P/P (Cohen's kappa 0.5,
    Fleiss' kappa 7/15, Krippendorff's alpha 8/15, worked out in test_evaluation_metrics)."""
    return [
        case("C01", status="inadmissible", admissibility_decided=date(2018, 1, 20)),
        case("C02", status="withdrawn", received=date(2018, 4, 2)),
        case("C03", status="in_progress", file_complete=date(2018, 2, 1)),  # 22 days
        case("C04", status="received", received=date(2018, 5, 1)),
        decided(
            "C05", "plausible", 100, file_complete=date(2018, 2, 9), letter=date(2018, 4, 30),
            rubric_outcome="plausible", disciplines=views("plausible", "plausible", {"exploitation": ("positive", "positive")}),
            follow_up={"residence_permit": "granted", "care": "granted"},
        ),
        decided(
            "C06", "plausible", 110, form="labour", gender="male", nationality="PL",
            rubric_outcome="not_plausible", override_reason=True, override_category="credible_account",
            disciplines=views("plausible", "not_plausible", {"exploitation": ("positive", "negative")}),
            follow_up={"residence_permit": "refused"},
        ),
        decided(
            "C07", "not_plausible", 120, route="exception", rubric_outcome="not_plausible",
            disciplines=views("not_plausible", "not_plausible", {"exploitation": ("negative", "negative")}),
        ),
        decided(
            "C08", "plausible", 130, age=16, rubric_outcome="undetermined",
            disciplines=views("plausible", "plausible", {"exploitation": ("positive", "positive")}),
        ),
        decided("C09", "plausible", 140, rubric_outcome="plausible", nationality="GH"),
        decided("C10", "not_plausible", 150, rubric_outcome="plausible", received=date(2018, 4, 20)),
    ]  # fmt: skip
