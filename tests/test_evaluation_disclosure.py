"""Disclosure control: primary and secondary suppression, percentages, nationality groups, the rule text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reconstruct import ranges, recovered

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


def test_pilot_sized_tables_show_small_counts_only_as_published_totals() -> None:
    # Issue #16: the totals of the whole population (the totals row) are shown whatever their size; inside
    # a breakdown a count below 10 is never shown, except a 0 under a published total of 0.
    cases = synthetic_cases(45, seed=7)
    result = m.compute_all(cases)
    for table in result.all_tables():
        assert table.rule == DEFAULT_RULE
        totals = next((r for r in table.rows if r.total), None)
        if totals is not None and len(table.rows) == 2:
            continue  # a lone body row is the totals row
        for row in table.rows:
            for i, (col, cell) in enumerate(zip(table.columns, row.cells, strict=True)):
                if col.kind == "count" and cell.value is not None and not row.total:
                    under_zero = totals is not None and totals.cells[i].value == 0
                    assert cell.value >= 10 or (cell.value == 0 and under_zero), (table.id, row.id, col.id)
        assert DEFAULT_RULE.text("en") in table.text("en")


def test_no_suppressed_cell_of_the_pilot_figures_can_be_reconstructed() -> None:
    # The attacker (tests/reconstruct.py) solves for every x from the visible cells and the totals.
    for seed in (7, 8):
        figures = m.compute_all(synthetic_cases(45, seed=seed))
        # "withdrawals" repeats two columns of the funnel as published there (withdrawn beside all received, which
        # is no sum of the shown cells): it is attacked as the funnel, where its cells add up.
        assert figures.table("withdrawals").rows == m.withdrawals(figures.table("funnel")).rows
        for table in figures.all_tables():
            if table.id == "withdrawals":
                continue
            # The count tables with margins (others hold one statistic per row, without totals to add up).
            if any(r.total for r in table.rows) or any(c.id == "total" for c in table.columns):
                assert recovered(table) == [], table.text("en")


def test_a_hand_worked_funnel_shows_its_totals_and_hides_the_breakdown() -> None:
    # Worked by hand: H1 = 4 inadmissible, 1 withdrawn, 15 advice; H2 = 2, 0, 14. The totals row (6, 1,
    # 29; 36 received) is published. Row H1 hides 4 and 1, which add up to 5 < 10, so 15 goes too; row H2
    # likewise (2 + 0 < 10, so 14). The row totals 20 and 16 stay: every column keeps two unknowns, and
    # the withdrawn one can sit in either half-year.
    t = count_table(
        "funnel", Plain("F"), Plain("P"),
        [("H1", Plain("H1")), ("H2", Plain("H2"))],
        [("inadmissible", Plain("i")), ("withdrawn", Plain("w")), ("advice", Plain("a"))],
        {("H1", "inadmissible"): 4, ("H1", "withdrawn"): 1, ("H1", "advice"): 15,
         ("H2", "inadmissible"): 2, ("H2", "advice"): 14},
        DEFAULT_RULE,
    )  # fmt: skip
    assert [[c.text("count") for c in r.cells] for r in t.rows] == [
        ["x", "x", "x", "20"],
        ["x", "x", "x", "16"],
        ["6", "1", "29", "36"],
    ]
    assert ranges(t)[("H1", "withdrawn")] == (0, 1) and ranges(t)[("H1", "inadmissible")] == (0, 6)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(st.lists(st.sampled_from([0, 1, 2, 3, 5, 8, 9, 10, 12, 20, 40]), min_size=cols,
                                       max_size=cols), min_size=1, max_size=6)
    ),
    st.integers(2, 15),
    st.booleans(),
    st.booleans(),
)
def test_no_suppressed_cell_can_be_reconstructed_from_the_published_table(
    body: list[list[int]], threshold: int, row_totals: bool, totals_row: bool
) -> None:
    rows = [(f"r{i}", Plain(f"r{i}")) for i in range(len(body))]
    cols = [(f"c{j}", Plain(f"c{j}")) for j in range(len(body[0]))]
    counts = {(f"r{i}", f"c{j}"): v for i, line in enumerate(body) for j, v in enumerate(line)}
    t = count_table("t", Plain("t"), Plain("r"), rows, cols, counts,
                    DisclosureRule(threshold=threshold), row_totals=row_totals, totals_row=totals_row)
    assert recovered(t) == []
    # Whatever is shown is the true count (exactness of the unsuppressed cells).
    for i, line in enumerate(body):
        for j, v in enumerate(line):
            cell = t.cell(f"r{i}", f"c{j}")
            assert cell.hidden or cell.value == v


def test_rule_text_in_both_languages() -> None:
    rule = DisclosureRule(threshold=5, min_denominator=20)
    assert "kleiner dan 5" in rule.text("nl") and "minstens 20" in rule.text("nl")
    assert "below 5" in rule.text("en") and "at least 20" in rule.text("en")
