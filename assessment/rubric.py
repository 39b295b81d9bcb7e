"""The rubric as configuration: a strict schema, a loader that reports every problem with file, line and
field, and the content hash that ties a stored result to the exact rubric that produced it.

A rubric names tiers or points, dimensions with their rule, a catalogue of indicators, and profiles
(e.g. adult/labour) that give each indicator its tier or points and combine the dimensions into an outcome.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from . import parsecache
from .config import PILOT_DATA
from .errors import Problem, RubricError, UnknownProfileError
from .fileplaces import place
from .i18n import N_, Msg
from .yamlfile import (
    Located,
    YamlProblem,
    parse_yaml,
    read_file_bytes,
    to_plain,
    unique_problems,
    validation_problems,
)

ILO_RUBRIC = PILOT_DATA / "rubrics" / "ilo-2009.yaml"  # research and screening instrument; the what-if's comparison
LEGAL_RUBRIC = PILOT_DATA / "rubrics" / "legal-273f.yaml"  # the elements of art. 273f Sr
DEFAULT_RUBRIC = LEGAL_RUBRIC  # the default instrument: the legal test, not the ILO combination rule

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
RubricId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=160)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=4000)]

AgeGroup = Literal["adult", "child", "any"]
ExploitationForm = Literal["sexual", "labour", "criminal", "other"]
Consolidation = Literal["any_present", "majority", "unanimous"]
Lang = Literal["nl", "en"]


class RubricVersion(BaseModel):
    """Which rubric, in which version: what a decision records and the evaluators' figures list. (A stored
    upload of one is `services.rubrics.StoredRubric`.)"""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str


class Strict(BaseModel):
    """Base of every configuration model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text the user reads, in Dutch and English."""

    nl: NonEmpty
    en: NonEmpty

    def __call__(self, lang: Lang) -> str:
        return self.nl if lang == "nl" else self.en

    def text(self, lang: str) -> str:
        """As a `Translatable` (a table label taken from the rubric)."""
        return self.en if lang == "en" else self.nl


class Tier(Strict):
    id: Slug
    name: Text
    # The word before "indicator" in a sentence ("1 sterke indicator"): Dutch inflects the adjective.
    attributive: Text | None = None

    def adjective(self, lang: Lang) -> str:
        return (self.attributive or self.name)(lang)


class OutcomeDef(Strict):
    id: Slug
    name: Text


class TierCountRule(Strict):
    """Positive when the present indicators meet at least one combination of minimum counts per tier.

    A key is a tier id, tier ids joined with `_or_` (counted together), or `any` (every tier)."""

    any_of: list[dict[Slug, Annotated[int, Field(ge=1, le=1000)]]] = Field(min_length=1, max_length=50)


class PointsRule(Strict):
    """Positive when the points of the present indicators add up to at least `min`."""

    min: Annotated[int, Field(ge=1, le=100_000)]


class DimensionRule(Strict):
    description: Text
    tier_count: TierCountRule | None = None
    points: PointsRule | None = None


class Dimension(Strict):
    id: Slug
    name: Text
    rule: Slug
    help: Text | None = None


class Indicator(Strict):
    id: IndicatorId
    name: Text
    help: Text | None = None
    provisional: bool = False

    @property
    def dimension(self) -> str:
        return self.id.split(".", 1)[0]


class AllOf(Strict):
    all_of: list[BoolExpr] = Field(min_length=1, max_length=50)


class AnyOf(Strict):
    any_of: list[BoolExpr] = Field(min_length=1, max_length=50)


class AtLeast(Strict):
    at_least: Annotated[int, Field(ge=1)]
    of: list[BoolExpr] = Field(min_length=1, max_length=50)


BoolExpr = Slug | AllOf | AnyOf | AtLeast
AllOf.model_rebuild()
AnyOf.model_rebuild()
AtLeast.model_rebuild()


class Element(Strict):
    """A legal element (e.g. the means of art. 273f Sr): a named rule over dimensions, with its legal basis.

    A profile's outcome rule may name elements; an element its rule does not name is not required for
    that profile (e.g. the means for a minor)."""

    id: Slug
    name: Text
    basis: Text
    rule: BoolExpr
    help: Text | None = None


class PointsBand(Strict):
    outcome: Slug
    min: Annotated[int, Field(ge=0, le=1_000_000)]


class PointsOutcome(Strict):
    bands: list[PointsBand] = Field(min_length=2, max_length=20)


class ProfileOutcome(Strict):
    """Either a boolean rule over the dimensions, or points bands over the profile's total."""

    rule: BoolExpr | None = None
    when_true: Slug | None = None
    when_false: Slug | None = None
    points: PointsOutcome | None = None


class ProfileIndicator(Strict):
    tier: Slug | None = None
    points: Annotated[int, Field(ge=0, le=1000)] | None = None
    provisional: bool = False


class Profile(Strict):
    id: Slug
    title: Text
    age_group: AgeGroup
    exploitation_forms: list[ExploitationForm] = Field(min_length=1)
    provisional: bool = False
    note: Text | None = None
    outcome: ProfileOutcome
    indicators: dict[IndicatorId, ProfileIndicator] = Field(min_length=1, max_length=2000)


class Rubric(Strict):
    """A whole rubric file. Cross-field rules are checked by `check_rubric` so all problems show at once."""

    id: RubricId
    version: NonEmpty
    title: Text
    source: NonEmpty
    disclaimer: Text
    consolidation: Consolidation = "any_present"
    undetermined: Text
    tiers: list[Tier] = Field(default_factory=list, max_length=20)
    outcomes: list[OutcomeDef] = Field(min_length=2, max_length=20)
    dimension_rules: dict[Slug, DimensionRule] = Field(min_length=1, max_length=100)
    dimensions: list[Dimension] = Field(min_length=1, max_length=100)
    elements: list[Element] = Field(default_factory=list, max_length=20)
    indicators: list[Indicator] = Field(min_length=1, max_length=2000)
    profiles: list[Profile] = Field(min_length=1, max_length=50)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the rubric's content (not its formatting or comments), as `sha256:<hex>`."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def element_by_id(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    def expand(self, expr: BoolExpr) -> BoolExpr:
        """The rule with every element id replaced by the element's own rule: an expression over dimensions."""
        if isinstance(expr, str):
            element = self.element_by_id.get(expr)
            return element.rule if element is not None else expr
        if isinstance(expr, AllOf):
            return AllOf(all_of=[self.expand(e) for e in expr.all_of])
        if isinstance(expr, AnyOf):
            return AnyOf(any_of=[self.expand(e) for e in expr.any_of])
        return AtLeast(at_least=expr.at_least, of=[self.expand(e) for e in expr.of])

    def part_name(self, part: str) -> Text:
        """The name of what a panel gives a finding on: a legal element, or a dimension of a rubric without."""
        element = self.element_by_id.get(part)
        return element.name if element is not None else self.dimension_by_id[part].name

    def required_elements(self, profile: Profile) -> tuple[str, ...]:
        """The elements the profile's outcome rule names, in rubric order."""
        rule = profile.outcome.rule
        named = {name for name, _ in _expr_dimensions(rule, ())} if rule is not None else set()
        return tuple(e.id for e in self.elements if e.id in named)

    def provisional(self, profile: Profile, iid: str) -> bool:
        """Whether the strength of indicator `iid` in `profile` is provisional: only where the rubric file marks
        it so, on the indicator or on its entry in the profile. A provisional profile says its list is not fully
        checked (the letter's notice); the entries it confirmed, or took from elsewhere, are not provisional."""
        return self.indicator_by_id[iid].provisional or profile.indicators[iid].provisional

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def outcome_by_id(self) -> dict[str, OutcomeDef]:
        return {o.id: o for o in self.outcomes}

    @cached_property
    def tier_by_id(self) -> dict[str, Tier]:
        return {t.id: t for t in self.tiers}

    def profile(self, profile_id: str) -> Profile:
        for p in self.profiles:
            if p.id == profile_id:
                return p
        known = ", ".join(p.id for p in self.profiles)
        raise UnknownProfileError(N_("Unknown profile '{profile}' for rubric {rubric}; known: {known}"),
                                  profile=profile_id, rubric=self.id, known=known)

    def profile_for(self, age_group: Literal["adult", "child"], form: ExploitationForm) -> Profile:
        """The profile that applies to a person of this age group and form of exploitation."""
        for p in self.profiles:
            if p.age_group in (age_group, "any") and form in p.exploitation_forms:
                return p
        from .vocabulary import Term  # the vocabulary reads the disciplines file: only when a profile is missing

        raise UnknownProfileError(N_("Rubric {rubric} has no profile for this age group ({age_group}) and form "
                                     "({form})"), rubric=self.id, age_group=Term("age_group", age_group),
                                  form=Term("form", form))

    def outcome_label(self, outcome: str, lang: Lang) -> str:
        return self.outcome_text(outcome)(lang)

    def outcome_text(self, outcome: str) -> Text:
        """The outcome's name in both of the rubric's languages."""
        return self.undetermined if outcome == "undetermined" else self.outcome_by_id[outcome].name

    @property
    def ref(self) -> dict[str, str]:
        """What a stored result records of its rubric."""
        return {"id": self.id, "version": self.version, "hash": self.content_hash}


Loc = tuple[int | str, ...]


def _expr_dimensions(expr: BoolExpr, loc: Loc) -> list[tuple[str, Loc]]:
    if isinstance(expr, str):
        return [(expr, loc)]
    if isinstance(expr, AllOf):
        parts, key = expr.all_of, "all_of"
    elif isinstance(expr, AnyOf):
        parts, key = expr.any_of, "any_of"
    else:
        parts, key = expr.of, "of"
    found: list[tuple[str, Loc]] = []
    for i, part in enumerate(parts):
        found.extend(_expr_dimensions(part, (*loc, key, i)))
    return found


def check_rubric(r: Rubric) -> list[tuple[Loc, Msg]]:
    """Every cross-field rule of the schema; returns (location, message) for each broken one."""
    out: list[tuple[Loc, Msg]] = []

    def dupes(items: list[Any], key: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                out.append(((key, i, "id"), Msg(N_("duplicate id '{id}'"), {"id": item.id})))
            seen.add(item.id)

    dupes(r.tiers, "tiers")
    dupes(r.outcomes, "outcomes")
    dupes(r.dimensions, "dimensions")
    dupes(r.indicators, "indicators")
    dupes(r.profiles, "profiles")
    dupes(r.elements, "elements")
    if "undetermined" in r.outcome_by_id:
        out.append((("outcomes",), Msg(N_("'undetermined' is reserved; set its label with the key 'undetermined'"))))

    tier_ids = set(r.tier_by_id)
    for name, rule in r.dimension_rules.items():
        kinds = [k for k in ("tier_count", "points") if getattr(rule, k) is not None]
        if len(kinds) != 1:
            out.append((("dimension_rules", name), Msg(N_("give exactly one of 'tier_count' or 'points'"))))
        if rule.tier_count is not None:
            for i, combo in enumerate(rule.tier_count.any_of):
                for key in combo:
                    parts = key.split("_or_")
                    bad = [p for p in parts if p != "any" and p not in tier_ids]
                    if bad:
                        known = ", ".join(sorted(tier_ids)) or "—"
                        out.append(
                            (
                                ("dimension_rules", name, "tier_count", "any_of", i, key),
                                Msg(N_("unknown tier '{tier}' (tiers: {known}; combine with _or_, or use 'any')"), {"tier": bad[0], "known": known}),
                            )
                        )

    dim_ids = set(r.dimension_by_id)
    for i, d in enumerate(r.dimensions):
        if d.rule not in r.dimension_rules:
            out.append((("dimensions", i, "rule"), Msg(N_("unknown rule '{rule}' (not in dimension_rules)"), {"rule": d.rule})))
    for i, el in enumerate(r.elements):
        if el.id in dim_ids:
            out.append((("elements", i, "id"), Msg(N_("'{id}' is also a dimension id; an element needs its own id"), {"id": el.id})))
        for dim, loc in _expr_dimensions(el.rule, ("elements", i, "rule")):
            if dim not in dim_ids:
                out.append((loc, Msg(N_("unknown dimension '{dimension}' (an element's rule names dimensions)"), {"dimension": dim})))
    element_ids = set(r.element_by_id)
    for i, ind in enumerate(r.indicators):
        if ind.dimension not in dim_ids:
            out.append((("indicators", i, "id"), Msg(N_("'{id}' starts with unknown dimension '{dimension}'"), {"id": ind.id, "dimension": ind.dimension})))

    outcome_ids = set(r.outcome_by_id)
    claimed: dict[tuple[str, str], str] = {}
    for pi, p in enumerate(r.profiles):
        base: Loc = ("profiles", pi)
        o = p.outcome
        uses_points_outcome = o.points is not None
        if (o.rule is not None) == uses_points_outcome:
            out.append(((*base, "outcome"), Msg(N_("give either 'rule' (with when_true, when_false) or 'points'"))))
        if o.rule is not None:
            for dim, loc in _expr_dimensions(o.rule, (*base, "outcome", "rule")):
                if dim not in dim_ids and dim not in element_ids:
                    out.append((loc, Msg(N_("unknown dimension or element '{name}'") if element_ids
                                      else N_("unknown dimension '{name}'"), {"name": dim})))
            for key in ("when_true", "when_false"):
                value = getattr(o, key)
                if value is None:
                    out.append(((*base, "outcome"), Msg(N_("'{key}' is required with 'rule'"), {"key": key})))
                elif value not in outcome_ids:
                    out.append(((*base, "outcome", key), Msg(N_("unknown outcome '{outcome}'"), {"outcome": value})))
        if o.points is not None:
            prev = -1
            for bi, band in enumerate(o.points.bands):
                if band.outcome not in outcome_ids:
                    out.append(((*base, "outcome", "points", "bands", bi, "outcome"), Msg(N_("unknown outcome '{outcome}'"), {"outcome": band.outcome})))
                if band.min <= prev:
                    out.append(((*base, "outcome", "points", "bands", bi, "min"), Msg(N_("band minimums must increase"))))
                prev = band.min
            if o.points.bands[0].min != 0:
                out.append(((*base, "outcome", "points", "bands", 0, "min"), Msg(N_("the first band must start at 0"))))
        for iid, entry in p.indicators.items():
            loc = (*base, "indicators", iid)
            if iid not in r.indicator_by_id:
                out.append((loc, Msg(N_("indicator '{id}' is not in the indicators catalogue"), {"id": iid})))
                continue
            dim_def = r.dimension_by_id.get(iid.split(".", 1)[0])
            dim_rule = r.dimension_rules.get(dim_def.rule) if dim_def else None
            if dim_rule is not None and dim_rule.tier_count is not None:
                if entry.tier is None:
                    out.append((loc, Msg(N_("needs a 'tier' (its dimension uses a tier_count rule)"))))
                elif entry.tier not in tier_ids:
                    out.append(((*loc, "tier"), Msg(N_("unknown tier '{tier}'"), {"tier": entry.tier})))
            if ((dim_rule is not None and dim_rule.points is not None) or uses_points_outcome) and entry.points is None:
                out.append((loc, Msg(N_("needs 'points' (a points rule uses it)"))))
        ages = ["adult", "child"] if p.age_group == "any" else [p.age_group]
        for age in ages:
            for form in p.exploitation_forms:
                other = claimed.get((age, form))
                if other is not None:
                    out.append(((*base, "exploitation_forms"), Msg(N_("{age}/{form} is already covered by profile '{other}'"), {"age": age, "form": form, "other": other})))
                claimed[(age, form)] = p.id
    return out


def parse_rubric(raw: bytes | str, filename: str = "<rubric>") -> Rubric:
    """Validate a rubric from its text; raise RubricError listing every problem with file, line and field.

    A text parsed and validated before is read from assessment.parsecache (and validated again)."""
    key = raw.encode("utf-8") if isinstance(raw, str) else raw
    plain = parsecache.cached(key)
    if plain is not None:
        rubric = _valid_or_none(plain)
        if rubric is not None:
            return rubric
    try:
        located = parse_yaml(raw, filename)
    except YamlProblem as exc:
        raise RubricError([exc.problem]) from None
    rubric = _validate(located)
    parsecache.remember(key, to_plain(located.data))
    return rubric


def load_rubric(path: str | Path = DEFAULT_RUBRIC) -> Rubric:
    """Read and validate a rubric file."""
    try:
        raw = read_file_bytes(str(path))
    except YamlProblem as exc:
        raise RubricError([exc.problem]) from None
    return parse_rubric(raw, str(path))


def _valid_or_none(plain: Any) -> Rubric | None:
    """The rubric in `plain` when it validates and passes every check; else None (the caller parses anew)."""
    try:
        rubric = Rubric.model_validate(plain)
    except PydanticValidationError:
        return None
    return None if check_rubric(rubric) else rubric


def _validate(located: Located) -> Rubric:
    if not isinstance(located.data, dict):
        raise RubricError([Problem.of(located.filename, 1, "", N_("a rubric must be a mapping of keys to values"))])
    try:
        rubric = Rubric.model_validate(to_plain(located.data))
    except PydanticValidationError as exc:
        raise RubricError(validation_problems(exc.errors(include_url=False), located)) from None
    broken = check_rubric(rubric)
    if broken:
        problems = [
            Problem(located.filename, located.line_of(loc), ".".join(str(p) for p in loc), msg.text("en"),
                    place=place(located.data, loc), says=msg) for loc, msg in broken
        ]
        raise RubricError(unique_problems(problems))
    return rubric
