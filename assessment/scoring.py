"""The scoring engine: pure functions from observations to an explained rubric result.

1. `consolidate` merges the disciplines' observations per indicator by the rubric's policy and marks
   contested indicators (some discipline says present, another absent or not applicable).
2. `evaluate` applies the profile's dimension rules and outcome rule in three-valued logic: a dimension is
   `positive` when its rule holds on the present indicators, `negative` when it fails even if every unknown
   indicator were present, `undetermined` otherwise; the outcome likewise. Every rule the schema allows is
   monotone (more present indicators never hurt), which makes this exact, and lets us name the unknown
   indicators that could still change the outcome (`could_change`).
3. `score` does both and also scores each discipline on its own (`per_discipline`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from .errors import InvalidStatusError, UnknownIndicatorError
from .i18n import N_
from .model import View
from .observation import STATUSES, Observation, Status
from .rubric import AllOf, AnyOf, AtLeast, BoolExpr, Profile, Rubric

ElementStatus = Literal["positive", "negative", "undetermined", "not_required"]
UNDETERMINED = "undetermined"


# ---------------------------------------------------------------------------------------------------------
# Compiled profile: the rubric's rules turned into tuples once, so scoring a case is a few loops.


@dataclass(frozen=True, slots=True)
class _Dim:
    id: str
    rule_id: str
    kind: Literal["tier_count", "points"]
    # tier_count: each combination is a tuple of (tier indexes counted together, minimum)
    combos: tuple[tuple[tuple[tuple[int, ...], int], ...], ...]
    combo_labels: tuple[str, ...]
    points_min: int
    cap: int  # counts above this never matter for the rule


@dataclass(frozen=True, slots=True)
class _Ind:
    id: str
    dim: int
    tier: int  # index into rubric.tiers, -1 when the rubric has no tiers
    points: int


@dataclass
class CompiledProfile:
    rubric: Rubric
    profile: Profile
    dims: tuple[_Dim, ...]
    inds: dict[str, _Ind]
    n_tiers: int
    dim_ids: tuple[tuple[str, ...], ...]  # the profile's indicator ids per dimension, in rubric order
    totals: tuple[tuple[int, ...], ...]  # indicators per dimension per tier
    total_points: tuple[int, ...]  # points per dimension
    rule: BoolExpr | None  # the outcome rule with elements expanded: an expression over dimensions only
    # Memos: a case's verdict depends only on small count tuples, which repeat across cases.
    holds_memo: dict[tuple[int, tuple[int, ...]], int] = field(default_factory=dict)
    verdict_memo: dict[tuple[bool | None, ...], tuple[bool | None, frozenset[str]]] = field(default_factory=dict)
    relevant_memo: dict[tuple[int, tuple[int, ...], tuple[int, ...], int], bool] = field(default_factory=dict)
    lookup_tables: dict[int, Any] = field(default_factory=dict)  # per dimension, for assessment.batch


def _combo_label(combo: Mapping[str, int]) -> str:
    return " + ".join(f"{n} {key.replace('_or_', '/')}" for key, n in combo.items())


def _compile(rubric: Rubric, profile_id: str) -> CompiledProfile:
    profile = rubric.profile(profile_id)
    tier_index = {t.id: i for i, t in enumerate(rubric.tiers)}
    dims = []
    for d in rubric.dimensions:
        rule = rubric.dimension_rules[d.rule]
        if rule.tier_count is not None:
            combos = []
            for combo in rule.tier_count.any_of:
                parts = []
                for key, n in combo.items():
                    names = key.split("_or_")
                    idx = tuple(range(len(rubric.tiers))) if "any" in names else tuple(tier_index[x] for x in names)
                    parts.append((idx, n))
                combos.append(tuple(parts))
            cap = max(n for combo in rule.tier_count.any_of for n in combo.values())
            labels = tuple(_combo_label(c) for c in rule.tier_count.any_of)
            dims.append(_Dim(d.id, d.rule, "tier_count", tuple(combos), labels, 0, cap))
        else:
            assert rule.points is not None
            dims.append(_Dim(d.id, d.rule, "points", (), (f"{rule.points.min} points",), rule.points.min, 0))
    dim_index = {d.id: i for i, d in enumerate(dims)}
    inds = {
        iid: _Ind(
            iid,
            dim_index[iid.split(".", 1)[0]],
            tier_index.get(entry.tier, -1) if entry.tier else -1,
            entry.points or 0,
        )
        for iid, entry in profile.indicators.items()
    }
    n_t = len(rubric.tiers)
    dim_ids = tuple(tuple(i for i in inds if inds[i].dim == di) for di in range(len(dims)))
    totals = tuple(
        tuple(sum(1 for i in ids if inds[i].tier == t) for t in range(n_t)) for ids in dim_ids
    )
    total_points = tuple(sum(inds[i].points for i in ids) for ids in dim_ids)
    expanded = rubric.expand(profile.outcome.rule) if profile.outcome.rule is not None else None
    return CompiledProfile(rubric, profile, tuple(dims), inds, n_t, dim_ids, totals, total_points, expanded)


def compile_profile(rubric: Rubric, profile_id: str) -> CompiledProfile:
    """The profile's rules in a form that is fast to evaluate (cached per rubric object and profile)."""
    key = (id(rubric), profile_id)
    hit = _COMPILED.get(key)
    if hit is not None and hit.rubric is rubric:
        return hit
    if len(_COMPILED) > 256:
        _COMPILED.clear()
    cp = _COMPILED[key] = _compile(rubric, profile_id)
    return cp


# Keyed by object identity: rubrics are frozen but hold lists, so they are not hashable. The entry keeps
# its rubric alive, so an id is never reused while its entry exists.
_COMPILED: dict[tuple[int, str], CompiledProfile] = {}


# ---------------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator after consolidation, with what each discipline said about it (their observations)."""

    id: str
    status: Status
    tier: str | None
    points: int | None
    contested: bool
    evidence: tuple[Observation, ...]

    @property
    def disciplines(self) -> list[str]:
        return [e.discipline for e in self.evidence if e.status == self.status]

    @property
    def sources(self) -> list[str]:
        return [e.source for e in self.evidence if e.status == self.status and e.source]


@dataclass(frozen=True, slots=True)
class DimensionResult:
    id: str
    status: View
    rule: str
    clause: str | None  # the combination that was met (positive) or could still be met (undetermined)
    present: tuple[str, ...]
    absent: tuple[str, ...]
    all_ids: tuple[str, ...]
    counts: dict[str, int]  # present indicators per tier (or {"points": total})
    not_applicable: tuple[str, ...] = ()  # can never be present, like absent, but no counter-indication

    @property
    def unknown(self) -> tuple[str, ...]:
        known = set(self.present) | set(self.absent) | set(self.not_applicable)
        return tuple(i for i in self.all_ids if i not in known)


@dataclass(frozen=True, slots=True)
class Need:
    """One smallest addition that would make a dimension positive: more present indicators per tier key
    (a tier id, tier ids joined with `_or_`, or `any`), or more points (key `points`)."""

    dimension: str
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True, slots=True)
class ElementResult:
    """A legal element of the rubric: its status, the dimensions its rule names, and, when undetermined,
    per dimension that could still decide it, the smallest additions that would (`routes`)."""

    id: str
    status: ElementStatus
    dimensions: tuple[str, ...]
    routes: tuple[tuple[Need, ...], ...]


@dataclass(frozen=True, slots=True)
class DisciplineResult:
    """What one discipline's own observations give under the rubric (for the side-by-side view)."""

    outcome: str
    dimensions: dict[str, View]


@dataclass(frozen=True)
class RubricResult:
    """A rubric's verdict on one case (or one discipline), with everything needed to explain it."""

    rubric_id: str
    rubric_version: str
    rubric_hash: str
    profile: str
    outcome: str  # an outcome id of the rubric, or "undetermined"
    outcome_range: tuple[str, str]  # lowest and highest outcome the unknown indicators allow
    dimensions: dict[str, DimensionResult]
    contested: tuple[str, ...]
    could_change: tuple[str, ...]
    points: tuple[int, int] | None  # lowest and highest total for a points outcome
    statuses: Mapping[str, Status]  # consolidated statuses; ids not in it are unknown
    evidence: Mapping[str, tuple[Observation, ...]]
    compiled: CompiledProfile
    per_discipline: dict[str, DisciplineResult] = field(default_factory=dict)

    @cached_property
    def indicators(self) -> dict[str, IndicatorResult]:
        """Every indicator of the profile, in rubric order (built on first use: most callers need few)."""
        cp = self.compiled
        tiers = cp.rubric.tiers
        entries = cp.profile.indicators
        contested = set(self.contested)
        return {
            iid: IndicatorResult(
                iid,
                self.statuses.get(iid, "unknown"),
                tiers[ind.tier].id if ind.tier >= 0 else None,
                ind.points if entries[iid].points is not None else None,
                iid in contested,
                self.evidence.get(iid, ()),
            )
            for iid, ind in cp.inds.items()
        }

    def needs(self, dimension: str) -> tuple[Need, ...]:
        """The smallest additions of present indicators (or points) that make an undetermined dimension
        positive, each one possible with the unknown indicators left; empty for a decided dimension."""
        dim = self.dimensions[dimension]
        if dim.status != "undetermined":
            return ()
        return _needs(self.compiled, dim)

    @property
    def assessed(self) -> dict[str, View]:
        """What the panel gives its findings on, with the instrument's suggestion: the legal elements the
        profile requires (a rubric with elements), else the dimensions."""
        if self.compiled.rubric.elements:
            return {e.id: e.status for e in self.elements.values() if e.status != "not_required"}
        return {d.id: d.status for d in self.dimensions.values()}

    def part_dimensions(self, part: str) -> tuple[str, ...]:
        """The dimensions whose indicators are the evidence for an assessed part (an element, or a dimension)."""
        element = self.elements.get(part)
        return element.dimensions if element is not None else (part,)

    @property
    def outcome_routes(self) -> tuple[tuple[Need, ...], ...]:
        """Per dimension that could still change an undetermined outcome rule, what it still needs (empty
        for a decided outcome or a points outcome, where single indicators are named in `could_change`)."""
        if self.outcome != UNDETERMINED or self.compiled.profile.outcome.rule is None:
            return ()
        open_ids = set(self.could_change)
        return tuple(self.needs(d.id) for d in self.dimensions.values() if open_ids.intersection(d.unknown))

    @cached_property
    def elements(self) -> dict[str, ElementResult]:
        """The rubric's legal elements for this case, in rubric order (empty for a rubric without elements)."""
        rubric = self.compiled.rubric
        required = set(rubric.required_elements(self.compiled.profile))
        values = {d.id: (True if d.status == "positive" else False if d.status == "negative" else None)
                  for d in self.dimensions.values()}
        out = {}
        for element in rubric.elements:
            dims = tuple(dict.fromkeys(name for name, _ in _named(element.rule)))
            verdict = _kleene(element.rule, values)
            status: ElementStatus = "positive" if verdict else ("negative" if verdict is False else "undetermined")
            routes: tuple[tuple[Need, ...], ...] = ()
            if verdict is None:
                pivotal = _pivotal_dimensions(element.rule, {d: values[d] for d in dims})
                routes = tuple(self.needs(d) for d in dims if d in pivotal)
            out[element.id] = ElementResult(element.id, status if element.id in required else "not_required", dims,
                                            routes if element.id in required else ())
        return out

    def explanation(self) -> list[dict[str, Any]]:
        """Per dimension: status, the rule clause met or missed, and the indicators that count."""
        cp = self.compiled
        tiers = cp.rubric.tiers
        contested = set(self.contested)
        out = []
        for dim in self.dimensions.values():
            present = []
            for iid in dim.present:
                ind = cp.inds[iid]
                ev = self.evidence.get(iid, ())
                present.append(
                    {
                        "indicator": iid,
                        "tier": tiers[ind.tier].id if ind.tier >= 0 else None,
                        "points": ind.points,
                        "disciplines": [e.discipline for e in ev if e.status == "present"],
                        "sources": [e.source for e in ev if e.status == "present" and e.source],
                        "contested": iid in contested,
                    }
                )
            out.append(
                {
                    "dimension": dim.id,
                    "status": dim.status,
                    "rule": dim.rule,
                    "clause": dim.clause,
                    "counts": dim.counts,
                    "present": present,
                    "unknown": list(dim.unknown),
                    "absent": list(dim.absent),
                    "not_applicable": list(dim.not_applicable),
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        """The `score --json` shape: one object, stable keys."""
        return {
            "outcome": self.outcome,
            "dimensions": {d.id: d.status for d in self.dimensions.values()},
            "profile": self.profile,
            "rubric": {"id": self.rubric_id, "version": self.rubric_version, "hash": self.rubric_hash},
            "contested": list(self.contested),
            "could_change": list(self.could_change),
            "per_discipline": {d: r.outcome for d, r in self.per_discipline.items()},
            "points": list(self.points) if self.points is not None else None,
            "explanation": self.explanation(),
        } | ({"elements": self.elements_json()} if self.elements else {})

    def elements_json(self) -> dict[str, Any]:
        """Per legal element: its status and, when undetermined, what each route still needs."""
        return {
            e.id: {"status": e.status,
                   "routes": [[{"dimension": n.dimension, "needs": dict(n.counts)} for n in route] for route in e.routes]}
            for e in self.elements.values()
        }


def _named(expr: BoolExpr) -> list[tuple[str, None]]:
    if isinstance(expr, str):
        return [(expr, None)]
    parts = expr.all_of if isinstance(expr, AllOf) else expr.any_of if isinstance(expr, AnyOf) else expr.of
    return [n for p in parts for n in _named(p)]


_Parts = tuple[tuple[frozenset[int], int], ...]  # what a combination still lacks: (tier indexes, count)


def _needs(cp: CompiledProfile, dim: DimensionResult) -> tuple[Need, ...]:
    """For an undetermined dimension: each rule combination still reachable, as what it still lacks, leaving
    out a combination whose additions would also meet another one (that other one is shorter)."""
    di = next(i for i, d in enumerate(cp.dims) if d.id == dim.id)
    spec = cp.dims[di]
    if spec.kind == "points":
        return (Need(dim.id, (("points", spec.points_min - dim.counts["points"]),)),)
    tiers = cp.rubric.tiers
    present = [dim.counts[t.id] for t in tiers]
    unknown = [0] * len(tiers)
    for iid in dim.unknown:
        unknown[cp.inds[iid].tier] += 1
    rule = cp.rubric.dimension_rules[spec.rule_id].tier_count
    assert rule is not None
    candidates: list[tuple[_Parts, Need]] = []
    for combo, raw in zip(spec.combos, rule.any_of, strict=True):
        parts = []
        for (tier_idx, n), key in zip(combo, raw, strict=True):
            lack = max(0, n - sum(present[t] for t in tier_idx))
            if lack:
                parts.append((frozenset(tier_idx), key, lack))
        every = frozenset(t for tiers_of, _, _ in parts for t in tiers_of)
        reachable = all(lack <= sum(unknown[t] for t in s) for s, _, lack in parts) and sum(
            lack for _, _, lack in parts) <= sum(unknown[t] for t in every)
        if parts and reachable:
            sets = tuple((s, lack) for s, _, lack in parts)
            candidates.append((sets, Need(dim.id, tuple((key, lack) for _, key, lack in parts))))

    def implies(a: _Parts, b: _Parts) -> bool:
        # every set of indicators that gives a's additions also gives b's
        return all(sum(n for s, n in a if s <= tb) >= nb for tb, nb in b)

    kept = []
    for i, (sets, need) in enumerate(candidates):
        dominated = any(implies(sets, other) and not implies(other, sets) for j, (other, _) in enumerate(candidates)
                        if j != i)
        duplicate = any(implies(sets, other) and implies(other, sets) for other, _ in (c for c in candidates[:i]))
        if not dominated and not duplicate:
            kept.append(need)
    return tuple(sorted(kept, key=lambda n: n.total))


# ---------------------------------------------------------------------------------------------------------
# Consolidation


def _check_statuses(cp: CompiledProfile, pairs: Iterable[tuple[str, str]]) -> None:
    for iid, status in pairs:
        if iid not in cp.inds:
            if iid in cp.rubric.indicator_by_id:
                raise UnknownIndicatorError(N_("Unknown indicator '{indicator}' for profile {profile} (it exists in "
                                               "rubric {rubric}, but profile {profile} drops it)"),
                                            indicator=iid, profile=cp.profile.id, rubric=cp.rubric.id)
            raise UnknownIndicatorError(N_("Unknown indicator '{indicator}' for profile {profile}"), indicator=iid,
                                        profile=cp.profile.id)
        if status not in STATUSES:
            # The four words are the file's own keys, the same in both languages.
            raise InvalidStatusError(N_("Unknown status '{status}' for {indicator}: use present, absent, unknown or "
                                        "not_applicable"), status=status, indicator=iid)


def consolidate(
    cp: CompiledProfile, observations: Iterable[Observation]
) -> tuple[dict[str, Status], dict[str, tuple[Observation, ...]], tuple[str, ...]]:
    """Merge observations per indicator by the rubric's consolidation policy.

    Returns the consolidated status of each indicator someone rated (ids left out are `unknown`), the
    observations per indicator, and the contested indicators (present by one discipline, absent or not
    applicable by another), in rubric order. Absent and not applicable both say "not present"; the merged
    status is absent when any discipline said absent, else not applicable. A discipline that rated the same indicator twice counts once, by its last.
    """
    per_ind: dict[str, dict[str, Observation]] = {}
    for obs in observations:
        by_disc = per_ind.get(obs.indicator)
        if by_disc is None:
            by_disc = per_ind[obs.indicator] = {}
        by_disc[obs.discipline] = obs
    policy = cp.rubric.consolidation
    statuses: dict[str, Status] = {}
    evidence: dict[str, tuple[Observation, ...]] = {}
    contested = []
    for iid, by_disc in per_ind.items():
        ev = tuple(by_disc.values())
        evidence[iid] = ev
        n_present = n_absent = n_na = 0
        for e in ev:
            if e.status == "present":
                n_present += 1
            elif e.status == "absent":
                n_absent += 1
            elif e.status == "not_applicable":
                n_na += 1
        n_not = n_absent + n_na
        if n_present and n_not:
            contested.append(iid)
        negative: Status = "absent" if n_absent else "not_applicable"
        if policy == "any_present":
            status: Status = "present" if n_present else (negative if n_not else "unknown")
        elif policy == "majority":
            status = "present" if n_present > n_not else (negative if n_not > n_present else "unknown")
        else:  # unanimous: every discipline that assessed it agrees
            status = "present" if n_present and not n_not else (negative if n_not and not n_present else "unknown")
        statuses[iid] = status
    if len(contested) > 1:
        order = cp.inds
        contested.sort(key=lambda i: order[i].dim * 10_000 + list(cp.dim_ids[order[i].dim]).index(i))
    return statuses, evidence, tuple(contested)


# ---------------------------------------------------------------------------------------------------------
# Three-valued evaluation


def _holds(cp: CompiledProfile, di: int, counts: tuple[int, ...]) -> int:
    """Index of the first combination of dimension `di`'s rule that the counts meet, or -1 (memoised)."""
    key = (di, counts)
    hit = cp.holds_memo.get(key)
    if hit is None:
        hit = -1
        for ci, combo in enumerate(cp.dims[di].combos):
            if all(sum(counts[t] for t in tiers) >= n for tiers, n in combo):
                hit = ci
                break
        cp.holds_memo[key] = hit
    return hit


def _kleene(expr: BoolExpr, values: Mapping[str, bool | None]) -> bool | None:
    if isinstance(expr, str):
        return values[expr]
    if isinstance(expr, AllOf):
        parts = [_kleene(e, values) for e in expr.all_of]
        return False if False in parts else (None if None in parts else True)
    if isinstance(expr, AnyOf):
        parts = [_kleene(e, values) for e in expr.any_of]
        return True if True in parts else (None if None in parts else False)
    assert isinstance(expr, AtLeast)
    parts = [_kleene(e, values) for e in expr.of]
    sure = parts.count(True)
    maybe = parts.count(None)
    if sure >= expr.at_least:
        return True
    return None if sure + maybe >= expr.at_least else False


def _verdict(cp: CompiledProfile, values: tuple[bool | None, ...]) -> tuple[bool | None, frozenset[str]]:
    """The outcome rule's three-valued verdict and its pivotal dimensions, memoised per dimension values."""
    hit = cp.verdict_memo.get(values)
    if hit is None:
        rule = cp.rule
        assert rule is not None
        named = {d.id: v for d, v in zip(cp.dims, values, strict=True)}
        verdict = _kleene(rule, named)
        pivotal = _pivotal_dimensions(rule, named) if verdict is None else set()
        hit = cp.verdict_memo[values] = (verdict, frozenset(pivotal))
    return hit


def _pivotal_dimensions(rule: BoolExpr, values: Mapping[str, bool | None]) -> set[str]:
    """Undetermined dimensions whose value can decide the outcome for some value of the other undetermined ones."""
    open_dims = [d for d, v in values.items() if v is None]
    pivotal = set()
    for d in open_dims:
        others = [o for o in open_dims if o != d]
        for combo in itertools.product((False, True), repeat=len(others)):
            trial = dict(values)
            trial.update(zip(others, combo, strict=True))
            trial[d] = False
            low = _kleene(rule, trial)
            trial[d] = True
            if low != _kleene(rule, trial):
                pivotal.add(d)
                break
    return pivotal


def _tier_relevant(cp: CompiledProfile, di: int, present: tuple[int, ...], others: tuple[int, ...], tier: int) -> bool:
    """Could one more present indicator of `tier` flip dimension `di` for some choice of the other unknowns?"""
    cap = cp.dims[di].cap
    # Counts above the rule's largest minimum never matter, so capping them keeps the memo small.
    key = (di, tuple(min(p, cap) for p in present), tuple(min(u, cap) for u in others), tier)
    hit = cp.relevant_memo.get(key)
    if hit is not None:
        return hit
    hit = False
    for extra in itertools.product(*(range(u + 1) for u in key[2])):
        base = tuple(p + e for p, e in zip(key[1], extra, strict=True))
        if _holds(cp, di, base) < 0:
            bumped = tuple(c + (1 if t == tier else 0) for t, c in enumerate(base))
            if _holds(cp, di, bumped) >= 0:
                hit = True
                break
    cp.relevant_memo[key] = hit
    return hit


def _subset_sums(values: Iterable[int], limit: int) -> set[int]:
    sums = {0}
    for v in values:
        sums |= {s + v for s in sums if s + v <= limit}
    return sums


def _band(bands: tuple[tuple[str, int], ...], total: int) -> str:
    chosen = bands[0][0]
    for outcome, minimum in bands:
        if total >= minimum:
            chosen = outcome
    return chosen


def evaluate(
    cp: CompiledProfile,
    statuses: Mapping[str, Status],
    evidence: Mapping[str, tuple[Observation, ...]] | None = None,
    contested: tuple[str, ...] = (),
    *,
    find_could_change: bool = True,
) -> RubricResult:
    """Apply the profile's rules to consolidated indicator statuses (ids left out count as unknown).

    `find_could_change=False` skips naming the unknowns that could change an undetermined outcome."""
    rubric, profile = cp.rubric, cp.profile
    n_t = cp.n_tiers
    nd = len(cp.dims)
    present = [[0] * n_t for _ in range(nd)]
    absent = [[0] * n_t for _ in range(nd)]
    p_points = [0] * nd
    a_points = [0] * nd
    present_ids: list[list[str]] = [[] for _ in range(nd)]
    absent_ids: list[list[str]] = [[] for _ in range(nd)]
    na_ids: list[list[str]] = [[] for _ in range(nd)]
    inds = cp.inds
    for iid, st in statuses.items():
        if st == "unknown":
            continue
        ind = inds[iid]
        if st == "present":
            present_ids[ind.dim].append(iid)
            if ind.tier >= 0:
                present[ind.dim][ind.tier] += 1
            p_points[ind.dim] += ind.points
        else:  # absent or not applicable: either way it can no longer be present (counted as `absent`)
            (absent_ids if st == "absent" else na_ids)[ind.dim].append(iid)
            if ind.tier >= 0:
                absent[ind.dim][ind.tier] += 1
            a_points[ind.dim] += ind.points

    values: list[bool | None] = []
    dim_results: dict[str, DimensionResult] = {}
    tier_ids = [t.id for t in rubric.tiers]
    unknown_counts: list[tuple[int, ...]] = []
    u_points = [cp.total_points[di] - p_points[di] - a_points[di] for di in range(nd)]
    for di, dim in enumerate(cp.dims):
        pc = tuple(present[di])
        uc = tuple(tot - p - a for tot, p, a in zip(cp.totals[di], pc, absent[di], strict=True))
        unknown_counts.append(uc)
        if dim.kind == "tier_count":
            met = _holds(cp, di, pc)
            could = met if met >= 0 else _holds(cp, di, tuple(p + u for p, u in zip(pc, uc, strict=True)))
            status: View = "positive" if met >= 0 else ("undetermined" if could >= 0 else "negative")
            clause = dim.combo_labels[could] if could >= 0 else None
            counts = dict(zip(tier_ids, pc, strict=True))
        else:
            lo = p_points[di]
            hi = lo + u_points[di]
            status = "positive" if lo >= dim.points_min else ("undetermined" if hi >= dim.points_min else "negative")
            clause = dim.combo_labels[0] if status != "negative" else None
            counts = {"points": lo}
        values.append(True if status == "positive" else (False if status == "negative" else None))
        p_ids, a_ids, n_ids = present_ids[di], absent_ids[di], na_ids[di]
        if len(p_ids) > 1 or len(a_ids) > 1 or len(n_ids) > 1:  # rubric order, whatever order they were rated in
            order = cp.dim_ids[di]
            p_ids.sort(key=order.index)
            a_ids.sort(key=order.index)
            n_ids.sort(key=order.index)
        dim_results[dim.id] = DimensionResult(
            dim.id, status, dim.rule_id, clause, tuple(p_ids), tuple(a_ids), cp.dim_ids[di], counts, tuple(n_ids)
        )

    outcome_spec = profile.outcome
    points_range: tuple[int, int] | None = None
    could_change: list[str] = []
    if outcome_spec.rule is not None:
        assert outcome_spec.when_true is not None and outcome_spec.when_false is not None
        verdict, pivotal = _verdict(cp, tuple(values))
        outcome = outcome_spec.when_true if verdict else (outcome_spec.when_false if verdict is False else UNDETERMINED)
        outcome_range = (outcome, outcome) if verdict is not None else (outcome_spec.when_false, outcome_spec.when_true)
        for di, dim in enumerate(cp.dims):
            if find_could_change and dim.id in pivotal:
                unknown_ids = dim_results[dim.id].unknown
                could_change.extend(
                    _relevant_in_dimension(cp, di, unknown_ids, present[di], unknown_counts[di], p_points[di])
                )
    else:
        assert outcome_spec.points is not None
        bands = tuple((b.outcome, b.min) for b in outcome_spec.points.bands)
        lo = sum(p_points)
        hi = lo + sum(u_points)
        points_range = (lo, hi)
        low_band, high_band = _band(bands, lo), _band(bands, hi)
        outcome = low_band if low_band == high_band else UNDETERMINED
        outcome_range = (low_band, high_band)
        if outcome == UNDETERMINED and find_could_change:
            all_unknown = [i for d in dim_results.values() for i in d.unknown]
            for iid in all_unknown:
                p = inds[iid].points
                if p == 0:
                    continue
                others = [inds[o].points for o in all_unknown if o != iid]
                sums = _subset_sums(others, bands[-1][1])
                if any(_band(bands, lo + s) != _band(bands, lo + s + p) for s in sums):
                    could_change.append(iid)

    return RubricResult(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_hash=rubric.content_hash,
        profile=profile.id,
        outcome=outcome,
        outcome_range=outcome_range,
        dimensions=dim_results,
        contested=contested,
        could_change=tuple(could_change),
        points=points_range,
        statuses=statuses,
        evidence=evidence or {},
        compiled=cp,
    )


def discipline_result(cp: CompiledProfile, statuses: Mapping[str, Status]) -> DisciplineResult:
    """Outcome and dimension statuses only: the cheap path for each discipline's own view."""
    nd, n_t = len(cp.dims), cp.n_tiers
    present = [0] * (nd * n_t)
    absent = [0] * (nd * n_t)
    p_points = [0] * nd
    a_points = [0] * nd
    inds = cp.inds
    for iid, st in statuses.items():
        if st == "unknown":
            continue
        ind = inds[iid]
        if st == "present":
            if ind.tier >= 0:
                present[ind.dim * n_t + ind.tier] += 1
            p_points[ind.dim] += ind.points
        else:
            if ind.tier >= 0:
                absent[ind.dim * n_t + ind.tier] += 1
            a_points[ind.dim] += ind.points
    values: list[bool | None] = []
    dims: dict[str, View] = {}
    for di, dim in enumerate(cp.dims):
        if dim.kind == "tier_count":
            pc = tuple(present[di * n_t : (di + 1) * n_t])
            if _holds(cp, di, pc) >= 0:
                status: View = "positive"
            else:
                hi = tuple(t - a for t, a in zip(cp.totals[di], absent[di * n_t : (di + 1) * n_t], strict=True))
                status = "undetermined" if _holds(cp, di, hi) >= 0 else "negative"
        else:
            lo, hi_pts = p_points[di], cp.total_points[di] - a_points[di]
            status = "positive" if lo >= dim.points_min else ("undetermined" if hi_pts >= dim.points_min else "negative")
        dims[dim.id] = status
        values.append(True if status == "positive" else (False if status == "negative" else None))
    spec = cp.profile.outcome
    if spec.rule is not None:
        verdict, _ = _verdict(cp, tuple(values))
        outcome = spec.when_true if verdict else (spec.when_false if verdict is False else UNDETERMINED)
        assert outcome is not None
    else:
        assert spec.points is not None
        bands = tuple((b.outcome, b.min) for b in spec.points.bands)
        lo = sum(p_points)
        low, high = _band(bands, lo), _band(bands, sum(cp.total_points) - sum(a_points))
        outcome = low if low == high else UNDETERMINED
    return DisciplineResult(outcome, dims)


def _relevant_in_dimension(
    cp: CompiledProfile,
    di: int,
    unknown_ids: tuple[str, ...],
    present_counts: list[int],
    unknown_counts: tuple[int, ...],
    present_points: int,
) -> list[str]:
    """Unknown indicators of one dimension that, turned present, can make the dimension positive."""
    out = []
    dim = cp.dims[di]
    if dim.kind == "tier_count":
        pc = tuple(present_counts)
        relevant_tier: dict[int, bool] = {}  # unknowns of the same tier are interchangeable
        for iid in unknown_ids:
            tier = cp.inds[iid].tier
            if tier not in relevant_tier:
                others = tuple(u - (1 if t == tier else 0) for t, u in enumerate(unknown_counts))
                relevant_tier[tier] = _tier_relevant(cp, di, pc, others, tier)
            if relevant_tier[tier]:
                out.append(iid)
    else:
        for iid in unknown_ids:
            p = cp.inds[iid].points
            sums = _subset_sums((cp.inds[o].points for o in unknown_ids if o != iid), dim.points_min)
            if p and any(present_points + s < dim.points_min <= present_points + s + p for s in sums):
                out.append(iid)
    return out


# ---------------------------------------------------------------------------------------------------------
# The whole use case


def score(
    rubric: Rubric,
    profile_id: str,
    observations: Iterable[Observation] = (),
    *,
    indicators: Mapping[str, str] | None = None,
    per_discipline: bool = True,
) -> RubricResult:
    """Score a case: consolidate the observations (or take already consolidated `indicators`), evaluate,
    and score each discipline on its own observations. Raises on unknown indicators or statuses."""
    cp = compile_profile(rubric, profile_id)
    if indicators is not None:
        _check_statuses(cp, indicators.items())
        return evaluate(cp, indicators)  # type: ignore[arg-type]
    observations = list(observations)
    _check_statuses(cp, ((o.indicator, o.status) for o in observations))
    statuses, evidence, contested = consolidate(cp, observations)
    result = evaluate(cp, statuses, evidence, contested)
    if per_discipline:
        by_disc: dict[str, dict[str, Status]] = {}
        for obs in observations:
            own = by_disc.get(obs.discipline)
            if own is None:
                own = by_disc[obs.discipline] = {}
            own[obs.indicator] = obs.status  # one discipline: its last word on an indicator counts
        for disc, own in by_disc.items():
            result.per_discipline[disc] = discipline_result(cp, own)
    return result
