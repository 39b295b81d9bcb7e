"""Disclosure control: what an evaluator may see of a table of counts.

The one home of the rule (issue #14): the threshold is the deployment's (`DisclosureSetting`, at least
MIN_THRESHOLD, set by an administrator through `services.configure_disclosure`), never the evaluator's. A
count below the threshold is suppressed; more cells are suppressed (complementary suppression) until no
hidden cell can be derived from what is shown, checked line by line and then by linear programming over the
whole table, and until the hidden cells of a line add up to at least the threshold. Totals of the whole
population (a table's totals row) are published as they are (issue #16: such totals are not disclosive);
the protection is found among the cells of the breakdown. A percentage is shown only when its denominator
is at least the minimum and its numerator is visible; nationalities below the threshold are grouped into
regions, then continents, then "other". Every table carries the rule so it can be printed under it. The
research export applies the same rule per column (`export.hidden_values`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from babel import Locale
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from ..i18n import N_, NO_VALUE, Msg, Translatable, fixed, in_every_language, number
from .regions import CONTINENT_NAMES, CONTINENT_OF_REGION, REGION_NAMES, REGION_OF

Lang = Literal["nl", "en"]
# The one mark of a suppressed cell, wherever a figure is published: the page, the report, the terminal, the
# CSV downloads and the research export (CSV and XLSX) with its codebook.
SUPPRESSED_MARK = "x"
# A cell with no value (a statistic on no units, a median of nothing) is not suppressed, there is simply nothing
# to show: it carries the mark every page shows for a missing value (i18n.NO_VALUE).


# A label of a table, row or column: translated when shown (a message, a vocabulary term, a rubric's text);
# a table dumped to JSON carries it in both languages.
Label = Annotated[Translatable, PlainSerializer(in_every_language)]


class DisclosureRule(BaseModel):
    """The disclosure rule in force. A threshold of 0 switches suppression off (for internal checks only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: Annotated[int, Field(ge=0, le=1000)] = 10
    min_denominator: Annotated[int, Field(ge=0, le=1000)] = 10

    def text(self, lang: str) -> str:
        """The rule in words, printed under every table and in every export."""
        if self.threshold == 0:  # the evaluation team's internal workspace (services.workspace)
            return Msg(N_("Exact counts, without disclosure control: for the evaluation team's own use, not for "
                          "publication.")).text(lang)
        return Msg(N_("Disclosure control: counts below {t} are suppressed (x), as are the cells they could be "
                      "derived from through the totals; percentages only on denominators of at least {d}; "
                      "nationalities with fewer than {t} cases are grouped into regions. Totals over all cases are "
                      "shown as they are."),
                   {"t": self.threshold, "d": self.min_denominator}).text(lang)

    def hides(self, count: int) -> bool:
        return count < self.threshold


DEFAULT_RULE = DisclosureRule()

# The least threshold a deployment may set: evaluators never choose it (issue #14), an administrator sets
# it (`services.configure_disclosure`, recorded with a reason in the audit log), never lower than this.
MIN_THRESHOLD = 10


class DisclosureSetting(BaseModel):
    """What an administrator configures: the threshold (also the least denominator of a percentage) and
    the generation of the research pseudonyms (a new generation makes new keys, unlinkable to the old)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: Annotated[int, Field(ge=MIN_THRESHOLD, le=1000)] = MIN_THRESHOLD
    pseudonym_generation: Annotated[int, Field(ge=0)] = 0

    @property
    def rule(self) -> DisclosureRule:
        return DisclosureRule(threshold=self.threshold, min_denominator=self.threshold)


DEFAULT_SETTING = DisclosureSetting()

CellKind = Literal["count", "percent", "days", "statistic", "text"]


class Column(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    label: Label
    kind: CellKind = "count"


class Cell(BaseModel):
    """A value as published: None when suppressed or not computable (`hidden` says which)."""

    model_config = ConfigDict(frozen=True)

    value: float | int | str | None
    hidden: bool = False

    def text(self, kind: CellKind, lang: str | None = None) -> str:
        """The cell as a reader sees it; with `lang`, numbers are written as in that language (decimal comma
        and thousands dot in Dutch, `i18n.number`), without it as plain machine text (a CSV cell)."""
        if self.hidden:
            return SUPPRESSED_MARK
        if self.value is None:
            return NO_VALUE
        value = self.value
        if lang is not None and isinstance(value, int | float) and not isinstance(value, bool):
            if kind == "percent":
                return f"{number(value, lang, 0)}%"
            if kind == "statistic" and isinstance(value, float):
                return fixed(value, lang, 2)
            return number(value, lang, 1)
        if kind == "percent":
            return f"{value:.0f}%"
        if kind == "statistic" and isinstance(value, float):
            return f"{value:.2f}"
        if isinstance(value, float):
            return f"{value:.1f}".rstrip("0").rstrip(".")
        return str(value)


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    label: Label
    cells: list[Cell]
    total: bool = False


class Table(BaseModel):
    """A published table: its cells already protected by `rule`, which is printed under it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    title: Label
    row_header: Label
    columns: list[Column]
    rows: list[Row]
    rule: DisclosureRule
    note: Label | None = None

    def cell(self, row_id: str, column_id: str) -> Cell:
        """The cell at a row and column id (for tests and charts)."""
        ci = next(i for i, c in enumerate(self.columns) if c.id == column_id)
        return next(r for r in self.rows if r.id == row_id).cells[ci]

    def shown(self, lang: Lang) -> list[dict[str, str]]:
        """One dict per row as the page shows it: each cell as the report, the terminal and the CSV download
        show it (a suppressed cell is `SUPPRESSED_MARK`, never blank or "None")."""
        return [{self.row_header.text(lang): r.label.text(lang),
                 **{c.label.text(lang): cell.text(c.kind, lang) for c, cell in zip(self.columns, r.cells, strict=True)}}
                for r in self.rows]

    def text(self, lang: str) -> str:
        """A plain-text rendering for the terminal, with the rule and any note under it."""
        header = [self.row_header.text(lang), *(c.label.text(lang) for c in self.columns)]
        body = [
            [r.label.text(lang), *(cell.text(c.kind, lang) for c, cell in zip(self.columns, r.cells, strict=True))]
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        lines = [self.title.text(lang), "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        for row in body:
            lines.append(
                "  ".join([row[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True))])
            )
        if self.note is not None:
            lines.append(self.note.text(lang))
        lines.append(self.rule.text(lang))
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Suppression


def protect(
    matrix: Sequence[Sequence[int]],
    rule: DisclosureRule,
    published: Collection[tuple[int, int]] = (),
    hide: Collection[tuple[int, int]] = (),
) -> list[list[bool]]:
    """Which cells of a count table with margins to hide.

    `matrix` has R+1 rows and C+1 columns: the last column holds the row totals, the last row the column
    totals, the corner the grand total (a one-line table is a 2-row matrix whose last row repeats the
    totals). `hide`: cells to hide whatever their size (hidden elsewhere); `published`: cells shown whatever their size (the totals of the whole population, see
    `count_table`); they are never hidden, so the protection is found among the other cells. Returns a
    same-shaped matrix of flags.

    Primary: every other count below the threshold. Secondary (complementary): in every line (row or
    column with its total) one hidden cell alone could be derived, so another is hidden; and the hidden
    parts of a line with a visible total must add up to at least the threshold, since their sum can be
    derived. The complement taken is the smallest visible cell of the line that may be hidden. Repeated
    until stable; hiding only grows, so it ends.
    """
    n_rows, n_cols = len(matrix), len(matrix[0])
    lines: list[list[tuple[int, int]]] = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    fixed = set(published)
    # A published total of 0 already says that every part of its line is 0: those zeros are shown as such.
    for *parts, total in lines:
        if total in fixed and matrix[total[0]][total[1]] == 0:
            fixed.update(parts)
    hidden = [[(rule.hides(v) or (r, c) in hide) and (r, c) not in fixed for c, v in enumerate(row)]
              for r, row in enumerate(matrix)]
    if rule.threshold == 0:
        return hidden

    def complement(line: list[tuple[int, int]]) -> bool:
        # Hide the smallest visible part of the line that may be hidden (else its total); False if none.
        *parts, total = line
        free = [p for p in parts if not hidden[p[0]][p[1]] and p not in fixed]
        if free:
            r, c = min(free, key=lambda p: (matrix[p[0]][p[1]], p))
            hidden[r][c] = True
            return True
        if not hidden[total[0]][total[1]] and total not in fixed:
            hidden[total[0]][total[1]] = True
            return True
        return False

    while True:
        _line_rules(matrix, hidden, lines, rule, complement)
        pinned = _pinned(matrix, hidden, lines)
        if pinned is None:
            return hidden
        # Widen the pinned cell's line with the fewest unknowns; stop when nothing more can be hidden.
        around = sorted((line for line in lines if pinned in line),
                        key=lambda line: sum(hidden[r][c] for r, c in line))
        if not any(complement(line) for line in around):
            return hidden


def _line_rules(
    matrix: Sequence[Sequence[int]],
    hidden: list[list[bool]],
    lines: list[list[tuple[int, int]]],
    rule: DisclosureRule,
    complement: Callable[[list[tuple[int, int]]], bool],
) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            *parts, total = line
            hidden_parts = [p for p in parts if hidden[p[0]][p[1]]]
            total_hidden = hidden[total[0]][total[1]]
            n_unknown = len(hidden_parts) + (1 if total_hidden else 0)
            too_small = (
                not total_hidden and hidden_parts and sum(matrix[r][c] for r, c in hidden_parts) < rule.threshold
            )
            if (n_unknown == 1 or too_small) and complement(line):
                changed = True


def _pinned(
    matrix: Sequence[Sequence[int]], hidden: list[list[bool]], lines: list[list[tuple[int, int]]]
) -> tuple[int, int] | None:
    """A hidden cell whose value follows from the visible ones, or None. The line rules leave one unknown
    in no line, but unknowns spread over several lines can still pin each other down together with the
    fact that no count is negative. The true counts are one solution of the lines; a cell is free when a
    linear programme finds another solution in which it differs by at least 1. Each programme's solution
    frees every cell it moves, so a table needs few of them."""
    cells = [(r, c) for r, row in enumerate(hidden) for c, h in enumerate(row) if h]
    if not cells:
        return None
    from scipy.optimize import linprog  # only tables with hidden cells need it

    index = {p: i for i, p in enumerate(cells)}
    truth = np.array([matrix[r][c] for r, c in cells], dtype=float)
    a_eq = np.zeros((len(lines), len(cells)))
    b_eq = np.zeros(len(lines))
    for k, (*parts, total) in enumerate(lines):
        for sign, p in [*((1.0, q) for q in parts), (-1.0, total)]:
            if p in index:
                a_eq[k, index[p]] += sign
            else:
                b_eq[k] -= sign * matrix[p[0]][p[1]]
    used = np.any(a_eq != 0, axis=1)
    a_eq, b_eq = a_eq[used], b_eq[used]
    free = np.zeros(len(cells), dtype=bool)
    for i, p in enumerate(cells):
        for sign in (-1.0, 1.0):  # the greatest value first, then the least
            if free[i]:
                break
            objective = np.zeros(len(cells))
            objective[i] = sign
            res = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if res.status == 3:  # unbounded: the cell can grow without limit
                free[i] = True
            elif res.status == 0:
                free |= np.abs(res.x - truth) >= 1 - 1e-6
        if not free[i]:
            return p
    return None


def count_table(
    table_id: str,
    title: Label,
    row_header: Label,
    rows: Sequence[tuple[str, Label]],
    columns: Sequence[tuple[str, Label]],
    counts: dict[tuple[str, str], int],
    rule: DisclosureRule,
    *,
    percent_of: str | None = None,
    note: Label | None = None,
    total_label: Label | None = None,
    row_totals: bool = True,
    totals_row: bool = True,
    whole_population: bool = True,
) -> Table:
    """Build a protected count table with row totals, a totals row and (optionally) the share of column
    `percent_of` in each row. The totals row is published whatever its counts (totals of the whole
    population say nothing of one person; issue #16); cells of the breakdown and its row totals follow the
    rule, with complementary suppression so none can be derived from what is published. Percentages
    follow the rule: only on visible numerators over visible denominators of at least the minimum.
    Margins left out of the output (`row_totals`, `totals_row`: False when they would mean nothing, e.g.
    a single column) still take part in the protection, as cells that may be hidden. `whole_population`:
    False when the table counts part of the cases, so its totals row is protected like any breakdown."""
    total_label = total_label or Msg(N_("Total"))
    row_ids = [r for r, _ in rows]
    col_ids = [c for c, _ in columns]
    body = [[counts.get((r, c), 0) for c in col_ids] for r in row_ids]
    matrix = [[*line, sum(line)] for line in body]
    col_totals = [sum(line[i] for line in matrix) for i in range(len(col_ids) + 1)]
    matrix.append(col_totals)
    # The totals row (the whole population over the columns: the received, inadmissible, withdrawn and
    # plausible counts) is published as it is; a lone body row is that same row.
    # A table of a part of the population (`whole_population=False`: the exception route, the withdrawn
    # cases) publishes no total as such: its totals row is a breakdown cell of another table.
    shown_rows = (([len(row_ids), 0] if len(row_ids) == 1 else [len(row_ids)])
                  if totals_row and whole_population else [])
    hidden = protect(matrix, rule, [(r, c) for r in shown_rows for c in range(len(col_ids) + 1)])
    out_cols = [Column(id=c, label=lbl) for c, lbl in columns]
    if row_totals:
        out_cols.append(Column(id="total", label=total_label))
    if percent_of is not None:
        pct_label = next(lbl for c, lbl in columns if c == percent_of)
        out_cols.append(Column(id="percent", label=Msg(N_("% {label}"), {"label": pct_label}), kind="percent"))
    out_rows = []
    labels = [*rows, ("total", total_label)]
    for i, (rid, lbl) in enumerate(labels):
        if rid == "total" and not totals_row:
            continue
        cells = [Cell(value=None if h else v, hidden=h) for v, h in zip(matrix[i], hidden[i], strict=True)]
        if not row_totals:
            cells.pop()
        if percent_of is not None:
            j = col_ids.index(percent_of)
            num, den = matrix[i][j], matrix[i][-1]
            ok = not hidden[i][j] and not hidden[i][-1] and den >= max(rule.min_denominator, 1)
            cells.append(Cell(value=round(100 * num / den, 1) if ok else None))
        out_rows.append(Row(id=rid, label=lbl, cells=cells, total=rid == "total"))
    return Table(id=table_id, title=title, row_header=row_header, columns=out_cols, rows=out_rows, rule=rule, note=note)


# ---------------------------------------------------------------------------------------------------------
# Nationality groups


def country_name(code: str, lang: Lang) -> str:
    """The country's name in the language (Babel's CLDR data), or the code itself."""
    name: str = Locale(lang).territories.get(code, code)
    return name


def nationality_groups(codes: Iterable[str | None], rule: DisclosureRule) -> dict[str | None, str]:
    """Map each nationality to the group it is published under: itself when at least `threshold` cases
    have it, else its region, else its continent, else `other`. Groups are ids: `NG`, `r:west_africa`,
    `c:africa`, `other`, `unknown` (for None)."""
    counts = Counter(codes)
    mapping: dict[str | None, str] = {None: "unknown"} if None in counts else {}
    pending = {c: n for c, n in counts.items() if c is not None}
    for code, n in pending.items():
        if not rule.hides(n):
            mapping[code] = code
    rest = [c for c in pending if c not in mapping]
    by_region: Counter[str] = Counter()
    for code in rest:
        by_region[REGION_OF.get(code, "")] += pending[code]
    by_continent: Counter[str] = Counter()
    for code in rest:
        region = REGION_OF.get(code, "")
        if region and not rule.hides(by_region[region]):
            mapping[code] = f"r:{region}"
        else:
            by_continent[CONTINENT_OF_REGION.get(region, "")] += pending[code]
    for code in rest:
        if code in mapping:
            continue
        continent = CONTINENT_OF_REGION.get(REGION_OF.get(code, ""), "")
        mapping[code] = f"c:{continent}" if continent and not rule.hides(by_continent[continent]) else "other"
    return mapping


@dataclass(frozen=True)
class Country:
    """A country named in the language shown (Babel's CLDR data)."""

    code: str

    def text(self, lang: str) -> str:
        return country_name(self.code, "en" if lang == "en" else "nl")


def group_label(group: str) -> Label:
    """The label of a nationality group id from `nationality_groups`."""
    if group == "unknown":
        return Msg(N_("Unknown"))
    if group == "other":
        return Msg(N_("Other"))
    if group.startswith("r:"):
        return Msg(REGION_NAMES[group[2:]])
    if group.startswith("c:"):
        return Msg(CONTINENT_NAMES[group[2:]])
    return Country(group)
