"""An attacker on a published table: the range each suppressed count can take, given everything shown.

Works from the table as published (its visible cells, row totals and totals row), not from the code that
protected it: every hidden count is an unknown non-negative integer, every row adds up to its total and every
column to its total, and an integer program (scipy's HiGHS) finds the least and the greatest value each
unknown can take. A hidden cell is recovered when the two are equal.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from assessment.evaluation.disclosure import Table

Sum = tuple[list[tuple[str, str]], int]  # cells (row id, column id) known to add up to a number


def ranges(table: Table, sums: list[Sum] = ()) -> dict[tuple[str, str], tuple[int, int]]:  # type: ignore[assignment]
    """(row id, column id) of every hidden count -> (least, greatest) value consistent with the table and with
    what is known from elsewhere (`sums`: e.g. counted in an export; a single cell is a sum of one)."""
    count_cols = [i for i, c in enumerate(table.columns) if c.kind == "count" and c.id != "total"]
    total_col = next((i for i, c in enumerate(table.columns) if c.id == "total"), None)
    body = [r for r in table.rows if not r.total]
    totals = next((r for r in table.rows if r.total), None)
    # The grid the attacker reasons about: body rows x (count columns + row total), plus the totals row.
    grid_rows = [*body, *([totals] if totals else [])]
    grid_cols = [*count_cols, *([total_col] if total_col is not None else [])]
    unknown: dict[tuple[int, int], int] = {}
    known: dict[tuple[int, int], int] = {}
    for r, row in enumerate(grid_rows):
        for c, ci in enumerate(grid_cols):
            cell = row.cells[ci]
            if cell.hidden:
                unknown[(r, c)] = len(unknown)
            else:
                assert isinstance(cell.value, int), (table.id, row.id, ci, cell)
                known[(r, c)] = cell.value
    if not unknown:
        return {}
    n = len(unknown)
    bound = sum(known.values()) + 10_000  # finite upper bounds keep the program bounded

    def value(r: int, c: int) -> tuple[np.ndarray, int]:
        coef = np.zeros(n)
        if (r, c) in unknown:
            coef[unknown[(r, c)]] = 1
            return coef, 0
        return coef, known[(r, c)]

    rows_a, lo, hi = [], [], []

    def equal(parts: list[tuple[int, int]], total: tuple[int, int]) -> None:
        coef = np.zeros(n)
        const = 0
        for p in parts:
            a, k = value(*p)
            coef += a
            const += k
        a, k = value(*total)
        coef -= a
        rows_a.append(coef)
        lo.append(k - const)
        hi.append(k - const)

    n_body, n_counts = len(body), len(count_cols)
    if total_col is not None:
        for r in range(len(grid_rows)):
            equal([(r, c) for c in range(n_counts)], (r, n_counts))
    if totals is not None:
        for c in range(len(grid_cols)):
            equal([(r, c) for r in range(n_body)], (n_body, c))
    ids = {(grid_rows[r].id, table.columns[grid_cols[c]].id): (r, c) for r in range(len(grid_rows))
           for c in range(len(grid_cols))}
    for cells, total in sums:
        coef = np.zeros(n)
        const = 0
        for cell in cells:
            a, k = value(*ids[cell])
            coef += a
            const += k
        rows_a.append(coef)
        lo.append(total - const)
        hi.append(total - const)
    constraints = [LinearConstraint(np.array(rows_a), lo, hi)] if rows_a else []
    integrality = np.ones(n)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (r, c), i in unknown.items():
        ends = []
        for sign in (1, -1):
            objective = np.zeros(n)
            objective[i] = sign
            res = milp(objective, constraints=constraints, integrality=integrality, bounds=Bounds(0, bound))
            assert res.success, (table.id, res.message)
            ends.append(round(res.x[i]))
        out[(grid_rows[r].id, table.columns[grid_cols[c]].id)] = (ends[0], ends[1])
    return out


def recovered(table: Table, sums: list[Sum] = ()) -> list[tuple[str, str, int]]:  # type: ignore[assignment]
    """The hidden counts an attacker pins down exactly: (row id, column id, value)."""
    return [(r, c, lo) for (r, c), (lo, hi) in ranges(table, sums).items() if lo == hi]
