"""Agreement between disciplines: Cohen's kappa for each pair of disciplines, Fleiss' kappa and
Krippendorff's alpha for the panel, per dimension and on the overall view; and the indicators the
disciplines disagree on most. The statistics come from statsmodels (through `assessment.kappa`) and `krippendorff`, not our own formulas.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from .. import kappa
from ..batch import ABSENT, NOT_APPLICABLE, PRESENT, STATUS_CODES
from ..i18n import N_, Msg, Plain
from .disclosure import DEFAULT_RULE, Cell, Column, DisclosureRule, Label, Row, Table, count_table
from .facts import OVERALL_VIEWS, VIEWS, CaseColumns, CaseFacts, Categorical, as_columns
from .labels import discipline_label, slug_label

OVERALL = "overall"
N_CATEGORIES = 3  # positive / negative / undetermined, or plausible / not plausible / undetermined
_CODES: dict[str, int] = {v: i for i, v in enumerate(VIEWS)} | {v: i for i, v in enumerate(OVERALL_VIEWS)}


# Landis and Koch (1977), "The measurement of observer agreement for categorical data", Biometrics 33(1),
# p. 165: the conventional reading of a kappa, as (least, greatest, name) per band as their table prints
# it (None: no bound). The bands are a convention, not a test; the report says so.
LANDIS_KOCH: tuple[tuple[float | None, float | None, Label], ...] = (
    (None, 0.0, Msg(N_("poor"))),
    (0.0, 0.20, Msg(N_("slight"))),
    (0.21, 0.40, Msg(N_("fair"))),
    (0.41, 0.60, Msg(N_("moderate"))),
    (0.61, 0.80, Msg(N_("substantial"))),
    (0.81, 1.0, Msg(N_("almost perfect"))),
)


def landis_koch(value: float) -> Label:
    """The Landis and Koch band of a kappa (or alpha): below 0 poor, 0-0.20 slight, 0.21-0.40 fair,
    0.41-0.60 moderate, 0.61-0.80 substantial, 0.81-1 almost perfect. The value is taken as shown, to two
    decimals, so the band always matches the printed figure."""
    shown = round(value, 2)
    if shown < 0:
        return LANDIS_KOCH[0][2]
    return next(name for _, upper, name in LANDIS_KOCH[1:] if upper is None or shown <= upper or upper == 1.0)


class Agreement(BaseModel):
    """The agreement tables: statistics per item, Cohen's kappa per pair (the heat map), disagreements."""

    model_config = ConfigDict(frozen=True)

    disciplines: list[str]
    tables: list[Table]


# Cohen's and Fleiss' kappa, with their one answer for the undefined case (None), live in assessment.kappa.
cohen = kappa.cohen
fleiss_counts = kappa.fleiss


def fleiss(ratings: np.ndarray) -> float | None:
    """Fleiss' kappa of a subjects x raters array of category codes, every subject rated by all raters."""
    from statsmodels.stats.inter_rater import aggregate_raters  # heavy (scipy): only when computed

    table, _ = aggregate_raters(ratings, n_cat=N_CATEGORIES)
    return kappa.fleiss(table)


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def kripp_alpha(value_counts: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from units x categories counts; None when undefined."""
    import krippendorff  # heavy (scipy): only when computed

    if value_counts.shape[0] == 0 or np.count_nonzero(value_counts.sum(0)) < 2:
        return None  # alpha needs at least two values in use
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(
            krippendorff.alpha(
                value_counts=value_counts,
                level_of_measurement="nominal",
                value_domain=list(range(N_CATEGORIES)),
            )
        )


class _Inputs:
    """The discipline inputs of a set of cases (those of `rows`, a mask over the cases, when given) with the
    disciplines numbered in name order, and on request one of their mappings flattened to (case, discipline,
    key, value): views on items or indicator ratings."""

    def __init__(self, cols: CaseColumns, rows: np.ndarray | None = None) -> None:
        # Only the inputs are taken, not every column of the cases: the figures need nothing else here.
        inputs = cols.inputs if rows is None else cols.inputs.take(rows)
        self.n_cases = len(cols) if rows is None else int(np.count_nonzero(rows))
        self.case = inputs.case
        names = inputs.discipline.compact()
        self.disciplines: list[str] = sorted(names.values)
        self.discipline = names.recode(self.disciplines)
        self.overall = inputs.overall
        self.entries = {"indicators": inputs.indicators, "dimensions": inputs.dimensions}

    def flat(self, attr: str) -> tuple[np.ndarray, np.ndarray, Categorical, Categorical]:
        """Case numbers, discipline numbers, keys and values of every entry of mapping `attr`."""
        e = self.entries[attr]
        return self.case[e.input], self.discipline[e.input], e.key.compact(), e.value.compact()


def _cube(
    inputs: _Inputs, dims: list[str], keys: Categorical, values: Categorical, where: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Items (the dimensions, then the overall view) x cases x disciplines array of codes, -1 for none: one
    byte a code, and each item's cases x disciplines slice contiguous."""
    case, discipline = where
    cube = np.full((len(dims) + 1, inputs.n_cases, len(inputs.disciplines)), -1, dtype=np.int8)
    cube[keys.recode(dims), case, discipline] = values.map(_CODES.__getitem__).recode(range(N_CATEGORIES))
    overall = inputs.overall
    given = ~overall.isin({None})
    if given.any():
        codes = overall.map(lambda v: -1 if v is None else _CODES[v]).recode([-1, *range(N_CATEGORIES)]) - 1
        cube[len(dims), inputs.case[given], inputs.discipline[given]] = codes[given]
    return cube


def _stat_cell(value: float | None, n: int, rule: DisclosureRule) -> Cell:
    """A statistic is shown only when computed on at least `min_denominator` units; on no units at all there is
    no statistic to hide (a kappa of nothing is undefined, not a small cell): no value, not the suppressed mark."""
    if n == 0:
        return Cell(value=None)
    if n < rule.min_denominator:
        return Cell(value=None, hidden=True)
    return Cell(value=None if value is None else round(value, 3))


def agreement(
    cases: Sequence[CaseFacts] | CaseColumns,
    rule: DisclosureRule = DEFAULT_RULE,
    labels: dict[str, Label] | None = None,
) -> Agreement:
    """Agreement of the disciplines' views on decided cases, per dimension and overall.

    Fleiss' kappa needs every case rated by the same number of raters, so it uses the cases rated by the
    most common number of disciplines (that number is shown); Krippendorff's alpha uses every case with
    at least two views; Cohen's kappa each pair's shared cases."""
    labels = labels or {}
    cols = as_columns(cases)
    inputs = _Inputs(cols, cols.decided_mask())
    disciplines = inputs.disciplines
    case, discipline, keys, values = inputs.flat("dimensions")
    dims_seen = set(keys.counts())
    dims = [k for k in labels if k in dims_seen] + sorted(dims_seen - set(labels))
    items = [*dims, OVERALL]
    item_label = {i: labels.get(i, slug_label(i)) for i in dims} | {OVERALL: Msg(N_("Overall view"))}
    pairs = list(itertools.combinations(range(len(disciplines)), 2))
    stat_rows: list[Row] = []
    pair_cells: dict[tuple[int, int], list[Cell]] = {p: [] for p in pairs}
    cube = _cube(inputs, dims, keys, values, (case, discipline))
    pair_index = np.array(pairs, dtype=np.intp).reshape(-1, 2)
    first, second = pair_index[:, 0], pair_index[:, 1]
    # Every pair's contingency table in one count: a code per (case, pair) from the two raters' codes, -1
    # (no view) included, so the cells where either has no view fall outside the 3 x 3 table kept below.
    cell = (np.arange(len(pairs), dtype=np.int32) * (N_CATEGORIES + 1) ** 2)[None, :]
    row_base = (np.arange(inputs.n_cases, dtype=np.int64) * (N_CATEGORIES + 1))[:, None]
    for ii, item in enumerate(items):
        m = cube[ii]
        both = (m[:, first].astype(np.int32) + 1) * (N_CATEGORIES + 1) + (m[:, second] + 1) + cell
        cross = np.bincount(both.reshape(-1), minlength=len(pairs) * (N_CATEGORIES + 1) ** 2).reshape(
            len(pairs), N_CATEGORIES + 1, N_CATEGORIES + 1)[:, 1:, 1:]
        # The units of Fleiss and alpha: per case, how many disciplines gave each category, of the cases with
        # at least two views (one count over case x code, -1 included and dropped).
        per_case = np.bincount((row_base + m + 1).reshape(-1), minlength=len(m) * (N_CATEGORIES + 1))
        counts = per_case.reshape(len(m), N_CATEGORIES + 1)[:, 1:]
        raters = counts.sum(1)
        counts, raters = counts[raters >= 2], raters[raters >= 2]
        n = len(counts)
        modal = _most_common(raters) if n else 0
        table = counts[raters == modal]
        n_fleiss = len(table) if modal else 0
        fk = fleiss_counts(table) if n_fleiss else None
        alpha = kripp_alpha(counts)
        hidden_n = rule.hides(n)
        stat_rows.append(
            Row(
                id=item,
                label=item_label[item],
                cells=[
                    Cell(value=None if hidden_n else n, hidden=hidden_n),
                    _stat_cell(alpha, n, rule),
                    _stat_cell(fk, n_fleiss, rule),
                    Cell(value=modal if modal else None),
                    Cell(value=None if rule.hides(n_fleiss) else n_fleiss, hidden=rule.hides(n_fleiss)),
                ],
            )
        )
        for p, (i, j) in enumerate(pairs):
            pair_table = np.ascontiguousarray(cross[p])  # rater i's category x rater j's
            shared = int(pair_table.sum())
            k = cohen(pair_table) if shared else None
            pair_cells[(i, j)].append(_stat_cell(k, shared, rule))
    stats = Table(
        id="agreement",
        title=Msg(N_("Agreement between disciplines")),
        row_header=Msg(N_("Item")),
        columns=[
            Column(id="n", label=Msg(N_("Cases (≥ 2 views)"))),
            Column(id="alpha", label=Msg(N_("Krippendorff's alpha")), kind="statistic"),
            Column(id="fleiss", label=Msg(N_("Fleiss' kappa")), kind="statistic"),
            Column(id="fleiss_raters", label=Msg(N_("Raters (Fleiss)")), kind="text"),
            Column(id="fleiss_n", label=Msg(N_("Cases (Fleiss)"))),
        ],
        rows=stat_rows,
        rule=rule,
        note=Msg(N_("Fleiss' kappa on the cases rated by the most common number of disciplines.")),
    )
    heat = Table(
        id="agreement_pairs",
        title=Msg(N_("Cohen's kappa per pair of disciplines")),
        row_header=Msg(N_("Pair")),
        columns=[Column(id=i, label=item_label[i], kind="statistic") for i in items],
        rows=[
            Row(
                id=f"{disciplines[i]}|{disciplines[j]}",
                label=Msg(N_("{first} – {second}"), {"first": discipline_label(disciplines[i]),
                                                       "second": discipline_label(disciplines[j])}),
                cells=pair_cells[(i, j)],
            )
            for i, j in pairs
        ],
        rule=rule,
    )
    return Agreement(disciplines=disciplines, tables=[stats, heat, _disagreements(inputs, rule, labels, 10)])


def _most_common(values: np.ndarray) -> int:
    """The most common value; on a tie the one seen first (as `Counter.most_common` picks it)."""
    uniq, first, n = np.unique(values, return_index=True, return_counts=True)
    tied = np.flatnonzero(n == n.max())
    return int(uniq[tied[np.argmin(first[tied])]])


def disagreements(
    cases: Sequence[CaseFacts] | CaseColumns,
    rule: DisclosureRule = DEFAULT_RULE,
    labels: dict[str, Label] | None = None,
    top: int = 10,
) -> Table:
    """The indicators disciplines disagree on most: of the cases where at least two disciplines rated an
    indicator present or absent (or not applicable), in how many one said present and another absent or not
    applicable (as the engine marks an indicator contested)."""
    return _disagreements(_Inputs(as_columns(cases)), rule, labels, top)


def _disagreements(inputs: _Inputs, rule: DisclosureRule, labels: dict[str, Label] | None, top: int) -> Table:
    labels = labels or {}
    ratings = inputs.entries["indicators"]
    names: list[str] = ratings.key.values  # every indicator named; those nobody rated here count 0 below
    # (a status not valid may be named too, its cases left out: it is never looked up, so it weighs 0)
    n_ind = max(len(names), 1)
    # Per (case, indicator): how many ratings say present or absent (or not applicable), and how many of them
    # say present; two counts of whole numbers, over the ratings that take a side only.
    side = np.array([STATUS_CODES.get(v, -1) for v in ratings.value.values] or [-1], dtype=np.int8)[ratings.value.codes]
    takes = (side == PRESENT) | (side == ABSENT) | (side == NOT_APPLICABLE)
    key = inputs.case[ratings.input[takes]] * n_ind + ratings.key.codes[takes]
    size = inputs.n_cases * n_ind
    sided = np.bincount(key, minlength=size).reshape(inputs.n_cases, n_ind)
    present = np.bincount(key[side[takes] == PRESENT], minlength=size).reshape(inputs.n_cases, n_ind)
    rated_n = (sided >= 2).sum(0)
    contested_n = ((present > 0) & (present < sided)).sum(0)
    rated = {names[i]: int(rated_n[i]) for i in range(len(names)) if rated_n[i]}
    contested = {names[i]: int(contested_n[i]) for i in range(len(names))}
    ranked = sorted(rated, key=lambda i: (-contested[i] / rated[i], -rated[i], i))[:top]
    counts = {(i, "contested"): contested[i] for i in ranked} | {(i, "agreed"): rated[i] - contested[i] for i in ranked}
    return count_table(
        "disagreements",
        Msg(N_("Indicators the disciplines disagree on most")),
        Msg(N_("Indicator")),
        [(i, labels.get(i, Plain(i))) for i in ranked],
        [("contested", Msg(N_("Disagree"))), ("agreed", Msg(N_("Agree")))],
        counts,
        rule,
        percent_of="contested",
        totals_row=False,
        total_label=Msg(N_("Rated by ≥ 2")),
    )
