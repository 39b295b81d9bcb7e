"""Disclosure control: primary and secondary suppression, percentages, nationality groups, the rule text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.evaluation import metrics as m
from assessment.evaluation.disclosure import DEFAULT_RULE, DisclosureRule, count_table, nationality_groups, protect
from assessment.i18n import Plain
from assessment.synthetic import facts as synthetic_cases
from assessment.vocabulary import Term


def one_line(parts: list[int]) -> list[list[int]]:
    row = [*parts, sum(parts)]
    return [row, row]


def flags(parts: list[int]) -> list[bool]:
    return protect(one_line(parts), DEFAULT_RULE)[0]


def test_primary_and_secondary_in_one_line() -> None:
    # 3 is hidden; alone it could be derived from the total, so the next smallest (12) goes too.
    assert flags([12, 3, 15]) == [True, True, False, False]
    # 3 + 4 = 7 could be derived and is below 10, so 12 goes too.
    assert flags([12, 3, 4, 15]) == [True, True, True, False, False]
    # Two hidden cells adding up to at least 10: nothing more to hide.
    assert flags([6, 5, 30]) == [True, True, False, False]
    # Everything small: the total goes too.
    assert flags([2, 3]) == [True, True, True]
    assert flags([12, 15]) == [False, False, False]


def test_zero_is_a_count_below_the_threshold() -> None:
    assert flags([0, 25, 30]) == [True, True, False, False]


def test_threshold_zero_switches_suppression_off() -> None:
    assert protect(one_line([1, 2]), DisclosureRule(threshold=0)) == [[False] * 3, [False] * 3]


def _check(matrix: list[list[int]], hidden: list[list[bool]], threshold: int) -> None:
    n_rows, n_cols = len(matrix), len(matrix[0])
    lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    for r in range(n_rows):
        for c in range(n_cols):
            if matrix[r][c] < threshold:
                assert hidden[r][c]
    for line in lines:
        *parts, total = line
        hidden_parts = [p for p in parts if hidden[p[0]][p[1]]]
        unknowns = len(hidden_parts) + hidden[total[0]][total[1]]
        assert unknowns != 1, f"one hidden cell in {line} can be derived"
        if not hidden[total[0]][total[1]] and hidden_parts:
            assert sum(matrix[r][c] for r, c in hidden_parts) >= threshold


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=6)
    ),
    st.integers(1, 15),
)
def test_no_hidden_cell_can_be_derived_from_the_margins(body: list[list[int]], threshold: int) -> None:
    matrix = [[*row, sum(row)] for row in body]
    matrix.append([sum(col) for col in zip(*matrix, strict=True)])
    _check(matrix, protect(matrix, DisclosureRule(threshold=threshold)), threshold)


def test_count_table_hides_percentages_on_small_or_hidden_denominators() -> None:
    t = count_table(
        "t",
        Plain("T"),
        Plain("R"),
        [("a", Plain("a")), ("b", Plain("b"))],
        [("yes", Term("yes_no", "yes")), ("no", Term("yes_no", "no"))],
        {("a", "yes"): 20, ("a", "no"): 30, ("b", "yes"): 12, ("b", "no"): 3},
        DEFAULT_RULE,
        percent_of="yes",
    )
    assert [[c.value for c in r.cells] for r in t.rows] == [
        # 3 is hidden and 12 with it (row b); the column totals would then give them away, so
        # row a's cells go too. No percentage over a hidden numerator.
        [None, None, 50, None],
        [None, None, 15, None],
        [32, 33, 65, 49.2],
    ]
    text = t.text("nl")
    assert "aantallen kleiner dan 10" in text and "| x" not in text and " x " in text


def test_nationalities_grouped_into_regions_then_continents_then_other() -> None:
    codes = ["NG"] * 12 + ["GH"] * 4 + ["SL"] * 7 + ["PL"] * 3 + ["VN"] * 2 + [None]
    groups = nationality_groups(codes, DEFAULT_RULE)
    assert groups == {
        "NG": "NG",
        "GH": "r:west_africa",
        "SL": "r:west_africa",
        "PL": "other",
        "VN": "other",
        None: "unknown",
    }
    groups = nationality_groups(["PL"] * 6 + ["IT"] * 5, DEFAULT_RULE)
    assert groups == {"PL": "c:europe", "IT": "c:europe"}


def test_outcome_tables_on_a_pilot_sized_year_show_no_small_count() -> None:
    cases = synthetic_cases(45, seed=7)
    result = m.compute_all(cases)
    for table in result.all_tables():
        assert table.rule == DEFAULT_RULE
        for row in table.rows:
            for col, cell in zip(table.columns, row.cells, strict=True):
                if col.kind == "count" and cell.value is not None:
                    assert cell.value >= 10, (table.id, row.id, col.id)
        assert DEFAULT_RULE.text("en") in table.text("en")


def test_rule_text_in_both_languages() -> None:
    rule = DisclosureRule(threshold=5, min_denominator=20)
    assert "kleiner dan 5" in rule.text("nl") and "minstens 20" in rule.text("nl")
    assert "below 5" in rule.text("en") and "at least 20" in rule.text("en")
