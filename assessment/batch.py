"""Scoring many cases at once with numpy: the same rules as `scoring`, for rescoring and evaluation at volume.

`scoring.score` explains one case for a panel; this module answers the same questions for 100,000 cases
in one go (what-if rescoring, evaluation figures, benchmarks). It is exact, not an approximation: a test
compares every field with `scoring.score` on random cases. Observations arrive as a status cube
`[case, discipline, indicator]` (0 unknown, 1 present, 2 absent, 3 not applicable, in the profile's
indicator order).

Because every rule is monotone, a dimension is positive when its rule holds on the present indicators and
possible when it holds on present + unknown; the outcome rule evaluated on both gives the three-valued
outcome exactly. Which unknowns could change an outcome depends only on small count vectors, so it is
computed once per distinct vector (`np.unique`) with the single-case engine's own functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .rubric import AllOf, AnyOf, AtLeast, BoolExpr, Rubric
from .scoring import UNDETERMINED, CompiledProfile, _tier_relevant, _verdict, compile_profile, score

UNKNOWN, PRESENT, ABSENT, NOT_APPLICABLE = 0, 1, 2, 3
# The cube code of each indicator status (an observation "unknown" counts as no observation).
STATUS_CODES: dict[str, int] = {"unknown": UNKNOWN, "present": PRESENT, "absent": ABSENT,
                                "not_applicable": NOT_APPLICABLE}
STATUS_NAMES: tuple[str, ...] = ("unknown", "present", "absent", "not_applicable")  # by code
DIM_STATUS = ("negative", "undetermined", "positive")  # codes 0, 1, 2

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class BatchResult:
    """Results for N cases of one profile. Outcome codes index `outcomes` (the last one is undetermined)."""

    profile: str
    outcomes: tuple[str, ...]
    indicator_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    outcome: IntArray  # [N]
    dimension_status: IntArray  # [N, D] codes into DIM_STATUS
    clause: IntArray  # [N, D] index of the rule combination met or still possible, -1 when none
    present_counts: IntArray  # [N, D, T] present indicators per tier (points rubrics: [N, D, 1] points)
    consolidated: IntArray  # [N, I] status codes after consolidation
    contested: BoolArray  # [N, I]
    could_change: BoolArray  # [N, I]
    per_discipline: IntArray  # [N, K] outcome codes of each discipline's own observations

    def case_json(self, n: int, disciplines: Sequence[str]) -> dict[str, Any]:
        """One case in the shape of `RubricResult.to_json()` without the explanation (for checks and export)."""
        ids = self.indicator_ids
        return {
            "outcome": self.outcomes[self.outcome[n]],
            "dimensions": {d: DIM_STATUS[s] for d, s in zip(self.dimension_ids, self.dimension_status[n], strict=True)},
            "profile": self.profile,
            "contested": [ids[i] for i in np.flatnonzero(self.contested[n])],
            "could_change": [ids[i] for i in np.flatnonzero(self.could_change[n])],
            "per_discipline": {d: self.outcomes[c] for d, c in zip(disciplines, self.per_discipline[n], strict=True)},
        }


def _expr(expr: BoolExpr, index: dict[str, int], values: BoolArray) -> BoolArray:
    """A monotone outcome rule over a [N, D] boolean array of dimension values."""
    if isinstance(expr, str):
        return values[:, index[expr]]
    if isinstance(expr, AllOf):
        both: BoolArray = np.logical_and.reduce([_expr(e, index, values) for e in expr.all_of])
        return both
    if isinstance(expr, AnyOf):
        either: BoolArray = np.logical_or.reduce([_expr(e, index, values) for e in expr.any_of])
        return either
    assert isinstance(expr, AtLeast)
    total = np.sum([_expr(e, index, values) for e in expr.of], axis=0)
    return np.asarray(total >= expr.at_least)


class _Tables:
    """The profile's indicators as matrices: tier one-hot per dimension, points, dimension of each id."""

    def __init__(self, cp: CompiledProfile) -> None:
        self.ids = tuple(cp.inds)
        n_i, n_d, n_t = len(self.ids), len(cp.dims), max(cp.n_tiers, 1)
        self.n_t = n_t
        self.tier_onehot = np.zeros((n_i, n_d * n_t), dtype=np.float32)
        self.points = np.zeros((n_i, n_d), dtype=np.float32)
        self.dim_of = np.zeros(n_i, dtype=np.int64)
        self.tier_of = np.zeros(n_i, dtype=np.int64)
        for k, iid in enumerate(self.ids):
            ind = cp.inds[iid]
            self.dim_of[k] = ind.dim
            self.tier_of[k] = max(ind.tier, 0)
            if ind.tier >= 0:
                self.tier_onehot[k, ind.dim * n_t + ind.tier] = 1
            self.points[k, ind.dim] = ind.points


def _first_met(cp: CompiledProfile, di: int, counts: IntArray) -> IntArray:
    """For [M, T] counts: the index of the first rule combination met, or -1 (as scoring._holds)."""
    first = np.full(counts.shape[0], -1, dtype=np.int64)
    for ci in reversed(range(len(cp.dims[di].combos))):
        met = np.ones(counts.shape[0], dtype=bool)
        for tiers, minimum in cp.dims[di].combos[ci]:
            met &= counts[:, list(tiers)].sum(axis=1) >= minimum
        first[met] = ci
    return first


def _dimension_lut(cp: CompiledProfile, di: int, n_t: int) -> IntArray:
    """Status code and clause for every (present, possible) count pair, counts capped at the rule's largest
    minimum: a lookup table of (cap+1)^(2T) rows, built once per rubric profile and dimension."""
    memo = cp.lookup_tables
    if di not in memo:
        base = cp.dims[di].cap + 1
        codes = np.arange(base ** (2 * n_t))
        digits = (codes[:, None] // base ** np.arange(2 * n_t)) % base
        met = _first_met(cp, di, digits[:, :n_t])
        could = np.where(met >= 0, met, _first_met(cp, di, digits[:, n_t:]))
        memo[di] = np.stack([np.where(met >= 0, 2, np.where(could >= 0, 1, 0)), could], axis=1)
    lut: IntArray = memo[di]
    return lut


def _dimension_values(cp: CompiledProfile, present: IntArray, possible: IntArray) -> tuple[IntArray, IntArray]:
    """Dimension status codes and clause indexes from [N, D, T] count arrays."""
    n, n_d, n_t = present.shape[0], len(cp.dims), present.shape[2]
    status = np.zeros((n, n_d), dtype=np.int64)
    clause = np.full((n, n_d), -1, dtype=np.int64)
    for di, dim in enumerate(cp.dims):
        if dim.kind == "points":
            lo, hi = present[:, di, 0], possible[:, di, 0]
            status[:, di] = np.where(lo >= dim.points_min, 2, np.where(hi >= dim.points_min, 1, 0))
            clause[:, di] = np.where(status[:, di] > 0, 0, -1)
            continue
        base = dim.cap + 1
        weights = base ** np.arange(2 * n_t)
        capped = np.minimum(np.concatenate([present[:, di], possible[:, di]], axis=1), dim.cap)
        codes = _dimension_lut(cp, di, n_t)[capped @ weights]
        status[:, di] = codes[:, 0]
        clause[:, di] = codes[:, 1]
    return status, clause


def _outcomes(cp: CompiledProfile, status: IntArray, lo_points: IntArray, hi_points: IntArray) -> IntArray:
    """Outcome codes: an index into the rubric's outcomes, or len(outcomes) for undetermined."""
    spec = cp.profile.outcome
    order = [o.id for o in cp.rubric.outcomes]
    undetermined = len(order)
    if spec.rule is not None:
        assert spec.when_true is not None and spec.when_false is not None
        index = {d.id: i for i, d in enumerate(cp.dims)}
        assert cp.rule is not None  # the outcome rule with elements expanded into dimensions
        sure = _expr(cp.rule, index, status == 2)
        maybe = _expr(cp.rule, index, status >= 1)
        return np.where(sure, order.index(spec.when_true), np.where(maybe, undetermined, order.index(spec.when_false)))
    assert spec.points is not None
    mins = np.array([b.min for b in spec.points.bands])
    band_ids = np.array([order.index(b.outcome) for b in spec.points.bands])
    low = band_ids[np.searchsorted(mins, lo_points, side="right") - 1]
    high = band_ids[np.searchsorted(mins, hi_points, side="right") - 1]
    return np.where(low == high, low, undetermined)


def _evaluate(cp: CompiledProfile, tables: _Tables, statuses: npt.NDArray[np.integer[Any]]) -> tuple[IntArray, ...]:
    """Counts, dimension statuses, clauses and outcomes for [N, I] consolidated statuses."""
    n = statuses.shape[0]
    n_d = len(cp.dims)
    # float32 products go through BLAS and are exact for counts this small; integer ones do not. The points
    # and the tier counts come from one product per mask (the tables side by side); points are needed only
    # by a points rubric's dimensions or outcome.
    with_points = cp.profile.outcome.rule is None or not cp.n_tiers
    parts = ([tables.points] if with_points else []) + ([tables.tier_onehot] if cp.n_tiers else [])
    table = np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]

    def count(status: int) -> IntArray:
        mask = (statuses == status).astype(np.float32)
        counts: IntArray = np.rint(mask @ table).astype(np.int64)  # exact: small whole numbers
        return counts

    p_all, u_all = count(PRESENT), count(UNKNOWN)
    if cp.n_tiers:
        start = n_d if with_points else 0
        present = p_all[:, start:].reshape(n, n_d, tables.n_t)
        possible = present + u_all[:, start:].reshape(n, n_d, tables.n_t)
    else:
        present = p_all.reshape(n, n_d, 1)
        possible = present + u_all.reshape(n, n_d, 1)
    status, clause = _dimension_values(cp, present, possible)
    lo = p_all[:, :n_d].sum(axis=1) if with_points else np.zeros(n, dtype=np.int64)
    hi = lo + u_all[:, :n_d].sum(axis=1) if with_points else lo
    outcome = _outcomes(cp, status, lo, hi)
    return present, status, clause, outcome


def _consolidated_by_bits(policy: str) -> npt.NDArray[np.int8]:
    """For the policies that depend only on which statuses anyone gave (not how many): the consolidated
    status of each set of statuses given, a set being the bits 1 << code."""
    lut = np.zeros(256, dtype=np.int8)  # every byte: bits of codes other than the four are ignored
    for said in range(len(lut)):
        any_p, any_a = bool(said & (1 << PRESENT)), bool(said & (1 << ABSENT))
        any_not = any_a or bool(said & (1 << NOT_APPLICABLE))
        negative = ABSENT if any_a else NOT_APPLICABLE
        if policy == "any_present":
            lut[said] = PRESENT if any_p else (negative if any_not else UNKNOWN)
        else:  # unanimous
            lut[said] = PRESENT if any_p and not any_not else (negative if any_not and not any_p else UNKNOWN)
    return lut


def _consolidate(rubric: Rubric, obs: npt.NDArray[np.int8]) -> tuple[npt.NDArray[np.int8], BoolArray, BoolArray]:
    """Consolidated [N, I] statuses by the rubric's policy (one byte each), and where anyone said present /
    not present.

    As scoring.consolidate: absent and not applicable both say "not present"; the merged "not present" is
    absent when any discipline said absent, else not applicable."""
    # Which statuses anyone gave, as one bit per status (1 << code) or-ed over the disciplines: one pass.
    said = np.bitwise_or.reduce(np.left_shift(np.uint8(1), obs.view(np.uint8)), axis=1)
    any_p = (said & (1 << PRESENT)) != 0
    any_not = (said & ((1 << ABSENT) | (1 << NOT_APPLICABLE))) != 0
    policy = rubric.consolidation
    if policy != "majority":
        return _consolidated_by_bits(policy)[said], any_p, any_not
    negative = np.where((said & (1 << ABSENT)) != 0, np.int8(ABSENT), np.int8(NOT_APPLICABLE))
    n_p = (obs == PRESENT).sum(axis=1)
    n_not = ((obs == ABSENT) | (obs == NOT_APPLICABLE)).sum(axis=1)
    consolidated = np.where(n_p > n_not, np.int8(PRESENT), np.where(n_not > n_p, negative, np.int8(UNKNOWN)))
    return consolidated.astype(np.int8), any_p, any_not


def outcomes_batch(rubric: Rubric, profile_id: str, cube: npt.ArrayLike) -> tuple[IntArray, tuple[str, ...]]:
    """Only the outcome of N cases of one profile (what re-scoring needs), with the outcome ids the codes
    index: the same consolidation and evaluation as `score_batch`, without per-discipline results,
    contested indicators or what could change (so a fraction of the work)."""
    cp = compile_profile(rubric, profile_id)
    tables = _Tables(cp)
    obs = np.asarray(cube, dtype=np.int8)
    if obs.ndim != 3 or obs.shape[2] != len(tables.ids):
        raise ValueError(f"expected [cases, disciplines, {len(tables.ids)}] statuses, got shape {obs.shape}")
    consolidated, _, _ = _consolidate(rubric, obs)
    return _evaluate(cp, tables, consolidated)[3], (*(o.id for o in rubric.outcomes), UNDETERMINED)


def score_batch(rubric: Rubric, profile_id: str, cube: npt.ArrayLike) -> BatchResult:
    """Score N cases of one profile from a [N, K, I] status cube (K disciplines, I = the profile's ids)."""
    cp = compile_profile(rubric, profile_id)
    tables = _Tables(cp)
    obs = np.asarray(cube, dtype=np.int8)
    if obs.ndim != 3 or obs.shape[2] != len(tables.ids):
        raise ValueError(f"expected [cases, disciplines, {len(tables.ids)}] statuses, got shape {obs.shape}")
    n, k, _ = obs.shape
    consolidated_codes, any_p, any_not = _consolidate(rubric, obs)
    consolidated = consolidated_codes.astype(np.int64)
    present, status, clause, outcome = _evaluate(cp, tables, consolidated)
    per_discipline = np.empty((n, k), dtype=np.int64)
    for d in range(k):
        per_discipline[:, d] = _evaluate(cp, tables, obs[:, d, :])[3]
    could = _could_change(cp, tables, consolidated, present, status, outcome)
    return BatchResult(
        profile=profile_id,
        outcomes=(*(o.id for o in rubric.outcomes), UNDETERMINED),
        indicator_ids=tables.ids,
        dimension_ids=tuple(d.id for d in cp.dims),
        outcome=outcome,
        dimension_status=status,
        clause=clause,
        present_counts=present,
        consolidated=consolidated,
        contested=any_p & any_not,
        could_change=could,
        per_discipline=per_discipline,
    )


def _could_change(
    cp: CompiledProfile, tables: _Tables, consolidated: IntArray, present: IntArray, status: IntArray, outcome: IntArray
) -> BoolArray:
    """The unknown indicators that could change each undetermined outcome."""
    n, n_i = consolidated.shape
    could = np.zeros((n, n_i), dtype=bool)
    open_cases = np.flatnonzero(outcome == len(cp.rubric.outcomes))
    if open_cases.size == 0:
        return could
    if cp.profile.outcome.rule is None or cp.n_tiers == 0:
        # Points rubrics: few in number, and subset sums depend on which unknowns remain; ask the exact engine.
        for c in open_cases:
            statuses = {iid: STATUS_NAMES[s] for iid, s in zip(tables.ids, consolidated[c], strict=True) if s}
            result = score(cp.rubric, cp.profile.id, indicators=statuses)
            could[c, [tables.ids.index(i) for i in result.could_change]] = True
        return could
    unknown = consolidated == UNKNOWN
    n_t = tables.n_t
    unknown_counts = np.rint(unknown.astype(np.float32) @ tables.tier_onehot).astype(np.int64).reshape(n, len(cp.dims), n_t)
    memo: dict[tuple[int, ...], npt.NDArray[np.bool_]] = {}
    for c in open_cases:
        values = tuple(None if s == 1 else s == 2 for s in status[c])
        _, pivotal = _verdict(cp, values)
        relevant = np.zeros((len(cp.dims), n_t), dtype=bool)
        for di, dim in enumerate(cp.dims):
            if dim.id not in pivotal:
                continue
            key = (di, *present[c, di].tolist(), *unknown_counts[c, di].tolist())
            hit = memo.get(key)
            if hit is None:
                hit = np.zeros(n_t, dtype=bool)
                pc = tuple(int(x) for x in present[c, di])
                uc = [int(x) for x in unknown_counts[c, di]]
                for t in range(n_t):
                    if uc[t]:  # unknowns of one tier are interchangeable: ask once per tier
                        others = tuple(u - (1 if j == t else 0) for j, u in enumerate(uc))
                        hit[t] = _tier_relevant(cp, di, pc, others, t)
                memo[key] = hit
            relevant[di] = hit
        could[c] = unknown[c] & relevant[tables.dim_of, tables.tier_of]
    return could
