"""The exports on columns write exactly what the per-case export wrote.

`data/evaluation_export/reference.json.gz` holds 1,010 cases (700 pilot-like with ILO ratings, 300
national-like with made-up ids, the hand-made set) and the CSV files the per-case implementation wrote
for them (research under the default rule and with no threshold, full), saved before exports moved to
columns; the keys were the cases' own so the rows come in a known order. Every cell of the case and
discipline tables must match, except what changed on purpose since: the discipline table's new count of
"not applicable" ratings (none in this data: all 0), the codebook's value labels (the vocabulary's), and in
the research tables (issue #14) the dates coarsened to months (worked out here from the full reference's
exact dates) and the complementary suppression of quasi-identifiers (every value still shown must be the
reference's, and no value may stand alone behind `x`)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from assessment.evaluation import export as ex
from assessment.evaluation.disclosure import DEFAULT_RULE, DisclosureRule
from assessment.evaluation.facts import CaseColumns, CaseFacts

REFERENCE = Path(__file__).parent / "data" / "evaluation_export" / "reference.json.gz"
SETTINGS = {
    "research": ("research", DEFAULT_RULE),
    "research_open": ("research", DisclosureRule(threshold=0, min_denominator=0)),
    "full": ("full", DEFAULT_RULE),
}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_the_export_writes_exactly_the_reference_files(
    setting: str, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [CaseFacts.model_validate(c) for c in reference["cases"]]
    monkeypatch.setattr(ex, "_export_keys", lambda cols, profile, key=None: list(cols.keys))
    profile, rule = SETTINGS[setting]
    for given in (cases, CaseColumns.of(cases)):
        result = ex.export(given, tmp_path / setting, profile, "csv", rule)  # type: ignore[arg-type]
        got, expected = ex.read_back(result.paths[0].parent), reference["expected"][setting]
        if profile == "full":
            assert got["cases"] == expected["cases"]
        else:
            _check_research_cases(got["cases"], expected["cases"], reference["expected"]["full"]["cases"], rule)
        added = got["disciplines"][0].index("n_not_applicable")
        assert {r[added] for r in got["disciplines"][1:]} == {"0"}
        assert [r[:added] + r[added + 1:] for r in got["disciplines"]] == expected["disciplines"]
        renamed = {"received_month": "received_period", **{f"days_to_{s}": f"months_to_{s}" for s in ex.STAGE_FIELDS}}
        names = [r[:2] if profile == "full" or r[0] != "cases" else [r[0], renamed.get(r[1], r[1])]
                 for r in expected["codebook"]]
        assert [r[:2] for r in got["codebook"] if r[1] != "n_not_applicable"] == names


def _months(start: date, days: str) -> str:
    if days == "":
        return ""
    end = start + timedelta(days=int(days))
    return str((end.year - start.year) * 12 + end.month - start.month)


def _check_research_cases(got: list[list[str]], old: list[list[str]], full: list[list[str]], rule: DisclosureRule) -> None:
    header, *rows = got
    old_header, *old_rows = old
    full_header, *full_rows = full
    assert [r[0] for r in rows] == [r[0] for r in old_rows] == [r[0] for r in full_rows]
    received = [date.fromisoformat(r[full_header.index("received_date")]) for r in full_rows]
    dated = {f"months_to_{s}": f"days_to_{s}" for s in ex.STAGE_FIELDS}
    for name in header:
        column = [r[header.index(name)] for r in rows]
        if name in dated:
            days = [r[full_header.index(dated[name])] for r in full_rows]
            assert column == [_months(d, n) for d, n in zip(received, days, strict=True)], name
        elif name == "received_period" and rule.threshold == 0:
            assert column == [r[old_header.index("received_month")] for r in old_rows]
        elif name in ex.QUASI_IDENTIFIERS:
            truth = [r[old_header.index(name)] for r in old_rows] if name != "received_period" else None
            hidden = [i for i, v in enumerate(column) if v == "x"]
            if truth is not None:
                assert all(v == t for v, t in zip(column, truth, strict=True) if v != "x"), name
                behind = Counter(truth[i] for i in hidden)
                assert not behind or (len(behind) >= 2 and len(hidden) >= rule.threshold), (name, behind)
        else:
            assert column == [r[old_header.index(name)] for r in old_rows], name
