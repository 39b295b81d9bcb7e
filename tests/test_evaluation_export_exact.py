"""The exports on columns write exactly what the per-case export wrote.

`data/evaluation_export/reference.json.gz` holds 1,010 cases (700 pilot-like with ILO ratings, 300
national-like with made-up ids, the hand-made set) and the CSV files the per-case implementation wrote
for them (research under the default rule and with no threshold, full), saved before exports moved to
columns; the keys were the cases' own so the rows come in a known order. Every cell of the case and
discipline tables must match, except what changed on purpose since: the discipline table's new count of
"not applicable" ratings (none in this data: all 0), and the codebook's value labels (the vocabulary's)."""

from __future__ import annotations

import gzip
import json
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
    monkeypatch.setattr(ex, "_export_keys", lambda cols, profile: list(cols.keys))
    profile, rule = SETTINGS[setting]
    for given in (cases, CaseColumns.of(cases)):
        result = ex.export(given, tmp_path / setting, profile, "csv", rule)  # type: ignore[arg-type]
        got, expected = ex.read_back(result.paths[0].parent), reference["expected"][setting]
        assert got["cases"] == expected["cases"]
        added = got["disciplines"][0].index("n_not_applicable")
        assert {r[added] for r in got["disciplines"][1:]} == {"0"}
        assert [r[:added] + r[added + 1:] for r in got["disciplines"]] == expected["disciplines"]
        assert [r[:2] for r in got["codebook"] if r[1] != "n_not_applicable"] == [r[:2] for r in expected["codebook"]]
