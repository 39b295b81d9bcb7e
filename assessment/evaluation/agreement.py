"""Agreement between disciplines: Cohen's kappa for each pair of disciplines, Fleiss' kappa and
Krippendorff's alpha for the panel, per dimension and on the overall view; and the indicators the
disciplines disagree on most. The statistics come from statsmodels and `krippendorff`, not our own formulas.
"""

from __future__ import annotations

import itertools
import math
import operator
import warnings
from collections import Counter
from collections.abc import Sequence

import krippendorff
import numpy as np
from pydantic import BaseModel, ConfigDict
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from .disclosure import DEFAULT_RULE, Cell, Column, DisclosureRule, L, Row, Table, count_table
from .facts import OVERALL_VIEWS, VIEWS, CaseFacts
from .labels import slug_label

OVERALL = "overall"
N_CATEGORIES = 3  # positive / negative / undetermined, or plausible / not plausible / undetermined
_CODES: dict[str, int] = {v: i for i, v in enumerate(VIEWS)} | {v: i for i, v in enumerate(OVERALL_VIEWS)}


class Agreement(BaseModel):
    """The agreement tables: statistics per item, Cohen's kappa per pair (the heat map), disagreements."""

    model_config = ConfigDict(frozen=True)

    disciplines: list[str]
    tables: list[Table]


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def cohen(table: np.ndarray) -> float | None:
    """Cohen's kappa of a square contingency table (statsmodels); None when undefined (one category only)."""
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(cohens_kappa(table, return_results=False))


def fleiss(ratings: np.ndarray) -> float | None:
    """Fleiss' kappa of a subjects x raters array of category codes, every subject rated by all raters."""
    table, _ = aggregate_raters(ratings, n_cat=N_CATEGORIES)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(fleiss_kappa(table, method="fleiss"))


def kripp_alpha(value_counts: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from units x categories counts; None when undefined."""
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


class _Flat:
    """Every discipline input of a set of cases, and one of its mappings (views or indicator ratings)
    flattened to parallel arrays: case number, discipline number, key, value. Built with C-level maps
    because the figures must stay fast on 100,000 cases."""

    def __init__(self, cases: Sequence[CaseFacts], attr: str, disciplines: list[str] | None = None) -> None:
        inputs = [d for c in cases for d in c.disciplines]
        case_of_input = np.fromiter(
            itertools.chain.from_iterable(itertools.repeat(u, len(c.disciplines)) for u, c in enumerate(cases)),
            dtype=np.int64,
            count=len(inputs),
        )
        names = list(map(operator.attrgetter("discipline"), inputs))
        self.disciplines = disciplines if disciplines is not None else sorted(set(names))
        col = {d: i for i, d in enumerate(self.disciplines)}
        self.input_case = case_of_input
        self.input_discipline = np.fromiter(map(col.__getitem__, names), dtype=np.int64, count=len(names))
        self.inputs = inputs
        dicts = list(map(operator.attrgetter(attr), inputs))
        lens = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
        self.keys: list[str] = list(itertools.chain.from_iterable(dicts))
        self.values: list[str] = list(itertools.chain.from_iterable(map(operator.methodcaller("values"), dicts)))
        self.case = np.repeat(case_of_input, lens)
        self.discipline = np.repeat(self.input_discipline, lens)

    def key_index(self, order: list[str]) -> np.ndarray:
        index = {k: i for i, k in enumerate(order)}
        return np.fromiter(map(index.__getitem__, self.keys), dtype=np.int64, count=len(self.keys))

    def value_codes(self, codes: dict[str, int]) -> np.ndarray:
        return np.fromiter(map(codes.__getitem__, self.values), dtype=np.int64, count=len(self.values))


def _cube(flat: _Flat, n_cases: int, dims: list[str]) -> np.ndarray:
    """Cases x disciplines x items (the dimensions, then the overall view) array of codes, -1 for none."""
    cube = np.full((n_cases, len(flat.disciplines), len(dims) + 1), -1, dtype=np.int64)
    cube[flat.case, flat.discipline, flat.key_index(dims)] = flat.value_codes(_CODES)
    overall = [(i, _CODES[d.overall]) for i, d in enumerate(flat.inputs) if d.overall is not None]
    if overall:
        which = np.array([i for i, _ in overall], dtype=np.int64)
        cube[flat.input_case[which], flat.input_discipline[which], len(dims)] = [v for _, v in overall]
    return cube


def _stat_cell(value: float | None, n: int, rule: DisclosureRule) -> Cell:
    """A statistic is shown only when computed on at least `min_denominator` units."""
    if n < max(rule.min_denominator, 1):
        return Cell(value=None, hidden=True)
    return Cell(value=None if value is None else round(value, 3))


def agreement(
    cases: Sequence[CaseFacts], rule: DisclosureRule = DEFAULT_RULE, labels: dict[str, L] | None = None
) -> Agreement:
    """Agreement of the disciplines' views on decided cases, per dimension and overall.

    Fleiss' kappa needs every case rated by the same number of raters, so it uses the cases rated by the
    most common number of disciplines (that number is shown); Krippendorff's alpha uses every case with
    at least two views; Cohen's kappa each pair's shared cases."""
    labels = labels or {}
    decided = [c for c in cases if c.panel_outcome is not None]
    flat = _Flat(decided, "dimensions")
    disciplines = flat.disciplines
    dims_seen = set(flat.keys)
    dims = [k for k in labels if k in dims_seen] + sorted(dims_seen - set(labels))
    items = [*dims, OVERALL]
    item_label = {i: labels.get(i, slug_label(i)) for i in dims} | {OVERALL: L(nl="Eindoordeel", en="Overall view")}
    pairs = list(itertools.combinations(range(len(disciplines)), 2))
    stat_rows: list[Row] = []
    pair_cells: dict[tuple[int, int], list[Cell]] = {p: [] for p in pairs}
    cube = _cube(flat, len(decided), dims)
    for ii, item in enumerate(items):
        m = cube[:, :, ii]
        m = m[(m >= 0).sum(1) >= 2]  # only cases with at least two views
        counts = np.stack([(m == k).sum(1) for k in range(N_CATEGORIES)], axis=1) if len(m) else np.zeros((0, 3))
        raters = counts.sum(1)
        modal = int(Counter(raters.tolist()).most_common(1)[0][0]) if len(m) else 0
        subset = m[raters == modal]
        compact = subset[subset >= 0].reshape(len(subset), modal) if modal else subset
        n_fleiss = len(compact)
        fk = fleiss(compact) if n_fleiss else None
        alpha = kripp_alpha(counts)
        hidden_n = rule.hides(len(m))
        stat_rows.append(
            Row(
                id=item,
                label=item_label[item],
                cells=[
                    Cell(value=None if hidden_n else len(m), hidden=hidden_n),
                    _stat_cell(alpha, len(m), rule),
                    _stat_cell(fk, n_fleiss, rule),
                    Cell(value=modal if modal else None),
                    Cell(value=None if rule.hides(n_fleiss) else n_fleiss, hidden=rule.hides(n_fleiss)),
                ],
            )
        )
        for i, j in pairs:
            both = (m[:, i] >= 0) & (m[:, j] >= 0) if len(m) else np.zeros(0, dtype=bool)
            n = int(both.sum())
            table = np.bincount(m[both, i] * N_CATEGORIES + m[both, j], minlength=N_CATEGORIES**2)
            kappa = cohen(table.reshape(N_CATEGORIES, N_CATEGORIES)) if n else None
            pair_cells[(i, j)].append(_stat_cell(kappa, n, rule))
    stats = Table(
        id="agreement",
        title=L(nl="Overeenstemming tussen disciplines", en="Agreement between disciplines"),
        row_header=L(nl="Onderdeel", en="Item"),
        columns=[
            Column(id="n", label=L(nl="Zaken (≥ 2 oordelen)", en="Cases (≥ 2 views)")),
            Column(id="alpha", label=L(nl="Krippendorffs alfa", en="Krippendorff's alpha"), kind="statistic"),
            Column(id="fleiss", label=L(nl="Fleiss' kappa", en="Fleiss' kappa"), kind="statistic"),
            Column(id="fleiss_raters", label=L(nl="Beoordelaars (Fleiss)", en="Raters (Fleiss)"), kind="text"),
            Column(id="fleiss_n", label=L(nl="Zaken (Fleiss)", en="Cases (Fleiss)")),
        ],
        rows=stat_rows,
        rule=rule,
        note=L(
            nl="Fleiss' kappa op de zaken met het meest voorkomende aantal beoordelende disciplines.",
            en="Fleiss' kappa on the cases rated by the most common number of disciplines.",
        ),
    )
    heat = Table(
        id="agreement_pairs",
        title=L(nl="Cohens kappa per paar disciplines", en="Cohen's kappa per pair of disciplines"),
        row_header=L(nl="Paar", en="Pair"),
        columns=[Column(id=i, label=item_label[i], kind="statistic") for i in items],
        rows=[
            Row(
                id=f"{disciplines[i]}|{disciplines[j]}",
                label=L(nl=f"{disciplines[i]} – {disciplines[j]}", en=f"{disciplines[i]} – {disciplines[j]}"),
                cells=pair_cells[(i, j)],
            )
            for i, j in pairs
        ],
        rule=rule,
    )
    return Agreement(disciplines=disciplines, tables=[stats, heat, disagreements(decided, rule, labels)])


def disagreements(
    cases: Sequence[CaseFacts],
    rule: DisclosureRule = DEFAULT_RULE,
    labels: dict[str, L] | None = None,
    top: int = 10,
) -> Table:
    """The indicators disciplines disagree on most: of the cases where at least two disciplines rated an
    indicator present or absent, in how many one said present and another absent."""
    labels = labels or {}
    flat = _Flat(cases, "indicators")
    names = sorted(set(flat.keys))
    n_ind = max(len(names), 1)
    key = flat.case * n_ind + flat.key_index(names)
    st = flat.value_codes({"present": 1, "absent": 2, "unknown": 0})
    size = len(cases) * n_ind
    present = np.bincount(key[st == 1], minlength=size).reshape(len(cases), n_ind)
    absent = np.bincount(key[st == 2], minlength=size).reshape(len(cases), n_ind)
    rated_n = ((present + absent) >= 2).sum(0)
    contested_n = ((present > 0) & (absent > 0)).sum(0)
    rated = {names[i]: int(rated_n[i]) for i in range(len(names)) if rated_n[i]}
    contested = {names[i]: int(contested_n[i]) for i in range(len(names))}
    ranked = sorted(rated, key=lambda i: (-contested[i] / rated[i], -rated[i], i))[:top]
    counts = {(i, "contested"): contested[i] for i in ranked} | {(i, "agreed"): rated[i] - contested[i] for i in ranked}
    return count_table(
        "disagreements",
        L(
            nl="Indicatoren waarover disciplines het vaakst oneens zijn",
            en="Indicators the disciplines disagree on most",
        ),
        L(nl="Indicator", en="Indicator"),
        [(i, labels.get(i, L(nl=i, en=i))) for i in ranked],
        [("contested", L(nl="Oneens", en="Disagree")), ("agreed", L(nl="Eens", en="Agree"))],
        counts,
        rule,
        percent_of="contested",
        totals_row=False,
        total_label=L(nl="Beoordeeld door ≥ 2", en="Rated by ≥ 2"),
    )
