"""The column-based figures (issue #6) give exactly the figures of the per-case code they replaced.

`data/evaluation_perf/reference.json.gz` holds 2,043 cases (2,000 synthetic, the hand-made set, 40 with
an unknown nationality and another rubric's outcome) and `compute_all` on them under four settings, as
computed by the per-case implementation before the change. Equality is on the whole JSON: every cell,
label, hidden flag and statistic."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assessment.evaluation import agreement as ag
from assessment.evaluation import metrics as m
from assessment.evaluation.disclosure import DisclosureRule, L
from assessment.evaluation.facts import NO_DATE, CaseColumns, CaseFacts, Categorical

REFERENCE = Path(__file__).parent / "data" / "evaluation_perf" / "reference.json.gz"
OPEN = DisclosureRule(threshold=0, min_denominator=0)

SETTINGS: dict[str, dict[str, Any]] = {
    "default": {"as_of": date(2019, 3, 1)},
    "open_month": {
        "rule": OPEN,
        "period": "month",
        "as_of": date(2018, 9, 1),
        "labels": {
            "exploitation": L(nl="Uitbuiting", en="Exploitation"),
            "coercive_recruitment": L(nl="Dwang", en="Coercion"),
        },
    },
    "window_year": {
        "rule": DisclosureRule(threshold=5, min_denominator=20),
        "period": "year",
        "start": date(2018, 3, 1),
        "end": date(2018, 10, 31),
        "deadlines": {"decided": 90, "letter": 100},
    },
    "empty": {"start": date(2030, 1, 1), "as_of": date(2030, 6, 1)},
}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="module")
def cases(reference: dict[str, Any]) -> list[CaseFacts]:
    return [CaseFacts.model_validate(c) for c in reference["cases"]]


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_compute_all_gives_exactly_the_reference_figures(
    setting: str, reference: dict[str, Any], cases: list[CaseFacts]
) -> None:
    got = m.compute_all(cases, **SETTINGS[setting]).model_dump(mode="json")
    assert got == reference["expected"][setting]


def test_each_figure_gives_the_same_table_on_cases_and_on_their_columns(cases: list[CaseFacts]) -> None:
    cols = CaseColumns.of(cases)
    as_of = date(2018, 9, 1)
    for figure in (m.funnel, m.throughput, m.throughput_distribution, m.rubric_vs_panel, m.follow_up):
        assert figure(cols, OPEN) == figure(cases, OPEN), figure.__name__
    assert m.departure_reasons(cols) == m.departure_reasons(cases)
    assert m.overdue(cols, as_of) == m.overdue(cases, as_of)
    for by in m.BREAKDOWNS:
        assert m.outcomes(cols, by) == m.outcomes(cases, by)
    assert ag.agreement(cols, OPEN) == ag.agreement(cases, OPEN)


def test_stage_days_match_the_dates_case_by_case(cases: list[CaseFacts]) -> None:
    for stage in m.STAGES:
        expected = [d for c in cases if (d := m.days_to(c, stage)) is not None]
        assert m.stage_days(cases, stage) == expected


def test_columns_hold_the_facts_of_each_case() -> None:
    cases = [
        CaseFacts(key="A", received=date(2018, 1, 2), status="received", form="sexual", route="exception"),
        CaseFacts(
            key="B",
            received=date(2018, 2, 3),
            decided=date(2018, 5, 1),
            status="decided",
            form="labour",
            route="report_dismissal",
            nationality="NG",
            panel_outcome="plausible",
            rubric_id="ilo-2009",
            rubric_version="2009.1",
            follow_up={"care": "granted"},
        ),
    ]
    cols = CaseColumns.of(cases)
    assert cols.received.tolist() == [date(2018, 1, 2).toordinal(), date(2018, 2, 3).toordinal()]
    assert cols.day("decided").tolist() == [NO_DATE, date(2018, 5, 1).toordinal()]
    assert cols.col("nationality").counts() == {None: 1, "NG": 1}
    assert cols.decided_mask().tolist() == [False, True]
    assert cols.rubric.counts() == {None: 1, ("ilo-2009", "2009.1"): 1}
    assert cols.follow_up["care"].counts() == {"unknown": 1, "granted": 1}
    second = cols.take(np.array([False, True]))
    assert second.keys == ["B"]
    assert second.col("form").counts() == {"labour": 1}


def test_categorical_merges_values_that_map_alike_and_crosses_columns() -> None:
    a = Categorical.of(["x", "y", "z", "x"])
    merged = a.map(lambda v: "xy" if v in "xy" else v)
    assert merged.values == ["xy", "z"]
    assert merged.counts() == {"xy": 3, "z": 1}
    b = Categorical.of([1, 1, 2, 2])
    assert a.cross(b) == {("x", 1): 1, ("y", 1): 1, ("z", 2): 1, ("x", 2): 1}
    assert a.recode(["z", "y", "x"]).tolist() == [2, 1, 0, 2]
    assert Categorical.of([]).counts() == {}


def test_the_modal_number_of_raters_breaks_ties_by_first_appearance() -> None:
    assert ag._most_common(np.array([3, 2, 2, 3])) == 3
    assert ag._most_common(np.array([2, 3, 3, 2, 4])) == 2
    assert ag._most_common(np.array([4, 3, 3])) == 3
