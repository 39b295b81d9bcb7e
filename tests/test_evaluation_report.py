"""The pilot report: the template renders every figure with the rule, escapes values, compiles to PDF."""

from __future__ import annotations

from datetime import date

import pytest
from evaluation_cases import hand_made

from assessment.evaluation.metrics import compute_all
from assessment.evaluation.report import render_report_markup, render_report_pdf, report_context


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_in_both_languages(lang: str) -> None:
    metrics = compute_all(hand_made(), start=date(2018, 1, 1), end=date(2018, 12, 31))
    context = report_context(metrics, lang, date(2019, 1, 15))  # type: ignore[arg-type]
    markup = render_report_markup(context)
    assert markup.count(metrics.rule.text(lang).replace('"', '\\"')) == len(metrics.all_tables()) + 1
    assert ("Pilotrapportage" if lang == "nl" else "Pilot report") in markup
    assert render_report_pdf(context).startswith(b"%PDF")


def test_values_are_escaped_for_typst() -> None:
    cases = [c.model_copy(update={"rubric_id": "x", "rubric_version": '#"] #panic()'}) for c in hand_made()]
    context = report_context(compute_all(cases), "en", date(2019, 1, 1))
    markup = render_report_markup(context)
    assert '#"x #\\"] #panic()";' in markup
    assert render_report_pdf(context).startswith(b"%PDF")
