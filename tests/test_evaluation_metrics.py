"""Every figure on a small hand-made set of cases with known answers (suppression off, so the raw
answers show; disclosure itself is tested in test_evaluation_disclosure)."""

from __future__ import annotations

from datetime import date

import pytest
from evaluation_cases import case, decided, hand_made, views

from assessment.evaluation import agreement as ag
from assessment.evaluation import metrics as m
from assessment.evaluation.disclosure import DisclosureRule, Table
from assessment.evaluation.facts import CaseFacts
from assessment.rubric import LEGAL_RUBRIC, load_rubric

OPEN = DisclosureRule(threshold=0, min_denominator=0)


def column(t: Table, col: str) -> dict[str, object]:
    return {r.id: t.cell(r.id, col).value for r in t.rows}


def test_funnel_by_quarter() -> None:
    t = m.funnel(hand_made(), OPEN, "quarter")
    assert [r.id for r in t.rows] == ["2018-Q1", "2018-Q2", "total"]
    assert [[c.value for c in r.cells] for r in t.rows] == [
        # inadmissible, withdrawn, in progress, advice issued, received
        [1, 0, 1, 5, 7],
        [0, 1, 1, 1, 3],
        [1, 1, 2, 6, 10],
    ]


def test_outcomes_by_form_with_share() -> None:
    t = m.outcomes(hand_made(), "form", OPEN)
    assert [[c.value for c in r.cells] for r in t.rows] == [
        [3, 2, 5, 60.0],  # sexual: C05 C08 C09 plausible, C07 C10 not
        [1, 0, 1, 100.0],
        [0, 0, 0, None],  # no denominator, no percentage
        [0, 0, 0, None],
        [4, 2, 6, 66.7],
    ]


def test_outcomes_by_other_breakdowns() -> None:
    cases = hand_made()
    assert column(m.outcomes(cases, "gender", OPEN), "total") == {"female": 5, "male": 1, "other": 0, "total": 6}
    assert column(m.outcomes(cases, "route", OPEN), "plausible") == {"report_dismissal": 4, "exception": 0, "total": 4}
    ages = column(m.outcomes(cases, "age_band", OPEN), "total")
    assert ages == {"0-17": 1, "18-24": 0, "25-34": 5, "35-44": 0, "45+": 0, "total": 6}
    # With threshold 0 every nationality is its own group.
    assert column(m.outcomes(cases, "nationality", OPEN), "total") == {"NG": 4, "PL": 1, "GH": 1, "total": 6}


def test_throughput_median_and_p90() -> None:
    t = m.throughput(hand_made(), OPEN)
    # Decision: 100, 110, 120, 130, 140, 150 days -> median 125, p90 at rank 0.9*5 = 4.5 -> 145.
    assert [c.value for c in t.rows[2].cells] == [6, 125.0, 145.0]
    # File complete: C03 22 days, C05 30 days.
    assert [c.value for c in t.rows[0].cells] == [2, 26.0, 29.2]
    # Letter: C05 only (110 days).
    assert [c.value for c in t.rows[3].cells] == [1, 110.0, 110.0]
    assert m.p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == pytest.approx(9.1)


def test_throughput_distribution_bins() -> None:
    t = m.throughput_distribution(hand_made(), OPEN)
    decision = {c.id: cell.value for c, cell in zip(t.columns, t.rows[2].cells, strict=True)}
    assert decision == {"0-30": 0, "31-60": 0, "61-90": 0, "91-120": 3, "121-180": 3, ">180": 0, "total": 6}


def test_overdue_counts_the_running_stage_past_its_term_on_the_day() -> None:
    cases = hand_made()
    t = m.overdue(cases, date(2018, 6, 1), OPEN)
    # Terms 14 / 42 / 14 / 7 days (assessment.deadlines). On 1 June 2018: admissibility never decided for
    # C03 (since 10 Jan), C04 (since 1 May, 31 days) and C10 (received 20 April; its advice of 17 September
    # had not happened yet); C01, C02 are closed. Decided without a letter: C06 (30 April, 32 days), C07
    # (10 May), C08 (20 May, 12 days) overdue, C09 (30 May, 2 days) still due; C05 has its letter.
    assert column(t, "overdue") == {"admissibility": 3, "assessment": 0, "decision": 0, "letter": 3, "total": 6}


def test_rubric_versus_panel_and_reasons() -> None:
    cases = hand_made()
    t = m.rubric_vs_panel(cases, OPEN)
    assert [[c.value for c in r.cells] for r in t.rows] == [
        [2, 1, 3],  # rubric plausible: C05 C09 plausible, C10 not
        [1, 1, 2],  # rubric not plausible: C06 plausible (override), C07 not
        [1, 0, 1],  # rubric undetermined: C08
        [4, 2, 6],
    ]
    reasons = m.departure_reasons(cases, OPEN)
    assert column(reasons, "n") == {"credible_account": 1, "none_recorded": 1, "total": 2}


def test_follow_up_defaults_to_unknown() -> None:
    t = m.follow_up(hand_made(), OPEN)
    assert [[c.value for c in r.cells] for r in t.rows] == [
        [1, 1, 0, 4, 6],
        [1, 0, 0, 5, 6],
        [0, 0, 0, 6, 6],
    ]


def test_agreement_against_values_worked_out_by_hand() -> None:
    result = ag.agreement(hand_made(), OPEN)
    stats = result.tables[0]
    # Overall view, police x care on C05-C08: P/P, P/N, N/N, P/P.
    # Cohen: po = 3/4; pe = 3/4*2/4 + 1/4*2/4 = 1/2; kappa = (3/4 - 1/2) / (1/2) = 0.5.
    # Fleiss: P_i = 1, 0, 1, 1 -> 3/4; p = 5/8, 3/8 -> Pe = 34/64; kappa = (3/4 - 34/64) / (30/64) = 7/15.
    # Krippendorff: o_PP = 4, o_NN = 2, o_PN = o_NP = 1, n = 8; Do = 2/8; De = 2*5*3/(8*7) = 30/56;
    # alpha = 1 - (1/4)/(30/56) = 8/15.
    assert stats.cell("overall", "n").value == 4
    assert stats.cell("overall", "fleiss").value == pytest.approx(7 / 15, abs=1e-3)
    assert stats.cell("overall", "alpha").value == pytest.approx(8 / 15, abs=1e-3)
    assert stats.cell("overall", "fleiss_raters").value == 2
    heat = result.tables[1]
    assert [r.id for r in heat.rows] == ["care|police"]
    assert heat.cell("care|police", "overall").value == pytest.approx(0.5)
    # Exploitation: same pattern (positive/negative), so the same statistics.
    assert heat.cell("care|police", "exploitation").value == pytest.approx(0.5)


def test_agreement_statistics_match_the_libraries_directly() -> None:
    import krippendorff
    import numpy as np
    from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa

    table = np.array([[2, 1, 0], [0, 1, 0], [0, 0, 0]])
    assert ag.cohen(table) == pytest.approx(cohens_kappa(table).kappa)
    ratings = np.array([[0, 0, 1], [1, 1, 1], [0, 2, 2], [0, 0, 0]])
    counts = np.array([[2, 1, 0], [0, 3, 0], [1, 0, 2], [3, 0, 0]])
    assert ag.fleiss(ratings) == pytest.approx(fleiss_kappa(counts))
    assert ag.kripp_alpha(counts) == pytest.approx(
        krippendorff.alpha(reliability_data=ratings.T, level_of_measurement="nominal")
    )


def test_agreement_undefined_when_everyone_uses_one_category() -> None:
    cases = [decided(f"K{i}", "plausible", 100, disciplines=views("plausible", "plausible")) for i in range(3)]
    stats = ag.agreement(cases, OPEN).tables[0]
    assert stats.cell("overall", "alpha").value is None
    assert stats.cell("overall", "fleiss").value is None


def test_a_pair_with_no_shared_case_shows_no_value_not_the_suppressed_mark() -> None:
    # Exact counts (the evaluation team's workspace: threshold 0, any denominator). Police and legal never rate
    # the same case, so their kappa has no units at all: nothing is hidden, there is no value. Shown with the
    # dash every page shows for a missing value ("—", as vocabulary.label(kind, None) in test_vocabulary),
    # never the suppressed "x" (issue #16).
    exact = DisclosureRule(threshold=0, min_denominator=1)
    police_care = views("plausible", "not_plausible")
    care_legal = [{"discipline": "care", "overall": "plausible"}, {"discipline": "legal", "overall": "plausible"}]
    cases = [decided("K1", "plausible", 100, disciplines=police_care),
             decided("K2", "plausible", 100, disciplines=care_legal)]
    heat = ag.agreement(cases, exact).tables[1]
    cell = heat.cell("legal|police", "overall")
    assert (cell.hidden, cell.value, cell.text("statistic", "nl")) == (False, None, "—")
    assert heat.cell("care|police", "overall").text("statistic", "nl") != "—"  # one shared case: a value


def test_fleiss_uses_the_most_common_number_of_raters() -> None:
    three = [
        {"discipline": "police", "overall": "plausible"},
        {"discipline": "care", "overall": "plausible"},
        {"discipline": "legal", "overall": "not_plausible"},
    ]
    cases = [*hand_made(), decided("K1", "plausible", 100, disciplines=three)]
    stats = ag.agreement(cases, OPEN).tables[0]
    assert stats.cell("overall", "fleiss_raters").value == 2
    assert stats.cell("overall", "fleiss_n").value == 4
    assert stats.cell("overall", "n").value == 5


def test_indicators_disagreed_on_most() -> None:
    def rated(a: str, b: str) -> list[dict[str, object]]:
        return [
            {"discipline": "police", "indicators": {"x.one": a, "x.two": "present"}},
            {"discipline": "care", "indicators": {"x.one": b, "x.two": "present", "x.three": "absent"}},
        ]

    cases = [
        decided("D1", "plausible", 100, disciplines=rated("present", "absent")),
        decided("D2", "plausible", 100, disciplines=rated("present", "present")),
        decided("D3", "plausible", 100, disciplines=rated("absent", "unknown")),
    ]
    t = ag.disagreements(cases, OPEN)
    assert [r.id for r in t.rows] == ["x.one", "x.two"]  # x.three rated by one discipline only
    assert [c.value for c in t.rows[0].cells] == [1, 1, 2, 50.0]
    assert [c.value for c in t.rows[1].cells] == [0, 3, 3, 0.0]


def test_compute_all_filters_the_period_and_lists_rubric_versions() -> None:
    cases = [c.model_copy(update={"rubric_id": "ilo-2009", "rubric_version": "2009.1"}) for c in hand_made()]
    result = m.compute_all(cases, OPEN, start=date(2018, 4, 1), end=date(2018, 6, 30))
    assert result.table("funnel").cell("total", "total").value == 3
    assert [(v.id, v.version) for v in result.rubric_versions] == [("ilo-2009", "2009.1")]
    assert result.as_of == date(2018, 6, 30)
    assert {t.id for t in result.all_tables()} >= {"funnel", "agreement", "agreement_pairs", "disagreements"}
    text = result.text("en")
    # the rule in force is stated: with no threshold, that the counts are exact and not for publication
    assert "Exact counts, without disclosure control" in text and "Rubric versions: ilo-2009 2009.1" in text


def test_rubric_labels_name_dimensions() -> None:
    labels = m.rubric_labels(load_rubric("tests/data/rubrics/mini.yaml"))
    assert labels["recruitment"].text("nl") == "Werving"
    assert labels["coercion.s1"].text("en") == "c s1"


def test_facts_reject_inconsistent_input() -> None:
    with pytest.raises(ValueError, match="before"):
        case("B1", decided=date(2017, 1, 1), status="decided", panel_outcome="plausible")
    with pytest.raises(ValueError, match="panel outcome"):
        case("B2", status="in_progress", panel_outcome="plausible")
    with pytest.raises(ValueError, match="age band"):
        case("B3", age=30, age_band="0-17")
    assert case("B4", age=None, age_group="child").age_band == "unknown"
    assert case("B5", age=17).age_group == "child"
    assert isinstance(case("B6"), CaseFacts)


def test_findings_versus_the_instrument_read_the_panels_findings() -> None:
    """Worked by hand: three decided cases under the legal test and one in progress (whose findings, had it
    any, would not count). Rows: the instrument's status per element; columns: the panel's finding.
    conduct: positive->positive twice, undetermined->positive once; means: positive->negative once (the
    panel did not believe the deception), negative->negative once, positive->positive once; purpose:
    positive->positive three times."""
    f = {"conduct": ("positive", "positive"), "purpose": ("positive", "positive")}
    cases = [
        decided("D1", "not_plausible", 30, findings=f | {"means": ("positive", "negative")}),
        decided("D2", "not_plausible", 30, findings=f | {"means": ("negative", "negative")}),
        decided("D3", "plausible", 30, findings=f | {"means": ("positive", "positive"),
                                                       "conduct": ("undetermined", "positive")}),
        case("P1", status="in_progress"),
    ]
    labels = m.rubric_labels(load_rubric(LEGAL_RUBRIC))
    t = m.findings_vs_rubric(cases, OPEN, labels)
    got = {r.id: [c.value for c in r.cells] for r in t.rows}
    assert got == {  # positive, negative, undetermined (panel), total
        "conduct:positive": [2, 0, 0, 2], "conduct:negative": [0, 0, 0, 0], "conduct:undetermined": [1, 0, 0, 1],
        "means:positive": [1, 1, 0, 2], "means:negative": [0, 1, 0, 1], "means:undetermined": [0, 0, 0, 0],
        "purpose:positive": [3, 0, 0, 3], "purpose:negative": [0, 0, 0, 0], "purpose:undetermined": [0, 0, 0, 0],
        "total": [7, 2, 0, 9],
    }
    assert t.rows[0].label.text("nl") == "Gedraging: positief"
    assert [c.label.text("nl") for c in t.columns[:3]] == [
        "Aannemelijk gemaakt", "Niet aannemelijk gemaakt", "Onvoldoende informatie"]
