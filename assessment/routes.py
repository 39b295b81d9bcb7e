"""What could still change a result, in words: per dimension the smallest additions its rule still needs
("1 sterke of 2 matige indicatoren van misleiding"), instead of every unknown indicator."""

from __future__ import annotations

from .rubric import Lang, Rubric
from .scoring import ElementResult, Need, RubricResult

_WORDS = {
    "nl": {"or": "of", "and": "en", "one": "indicator", "many": "indicatoren", "of": "van",
           "points": "{n} punten meer bij {dim}", "points_met": "ten minste {n} punten"},
    "en": {"or": "or", "and": "and", "one": "indicator", "many": "indicators", "of": "of",
           "points": "{n} more points in {dim}", "points_met": "at least {n} points"},
}


def _lower_first(name: str) -> str:
    # "Misleiding" reads "van misleiding" in a sentence; leave an acronym ("ILO …") as it is
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _tiers(rubric: Rubric, key: str, lang: Lang) -> str:
    if key == "any":
        return ""
    return "/".join(rubric.tier_by_id[t].adjective(lang) for t in key.split("_or_"))


def _count(rubric: Rubric, need: Need, lang: Lang) -> str:
    parts = []
    for key, n in need.counts:
        adjective = _tiers(rubric, key, lang)
        parts.append(f"{n} {adjective}" if adjective else str(n))
    return f" {_WORDS[lang]['and']} ".join(parts)


def needs_text(rubric: Rubric, needs: tuple[Need, ...], lang: Lang) -> str:
    """One dimension's alternatives in one phrase: '1 sterke of 2 matige indicatoren van misleiding'."""
    if not needs:
        return ""
    words = _WORDS[lang]
    dim = _lower_first(rubric.dimension_by_id[needs[0].dimension].name(lang))
    if needs[0].counts[0][0] == "points":
        return words["points"].format(n=needs[0].counts[0][1], dim=dim)
    noun = words["one"] if all(n.total == 1 for n in needs) else words["many"]
    phrases = [_count(rubric, n, lang) for n in needs]
    alternatives = phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} {words['or']} {phrases[-1]}"
    return f"{alternatives} {noun} {words['of']} {dim}"


def met_text(rubric: Rubric, result: RubricResult, dimension: str, lang: Lang) -> str:
    """The rule combination a positive dimension meets, in words ('1 sterke en 1 matige/zwakke indicator');
    empty when the dimension is not positive, so an open rule is never shown as met."""
    dim = result.dimensions[dimension]
    if dim.status != "positive" or dim.clause is None:
        return ""
    spec = rubric.dimension_rules[rubric.dimension_by_id[dimension].rule]
    if spec.tier_count is None:
        return _WORDS[lang]["points_met"].format(n=spec.points.min if spec.points else 0)
    compiled = next(d for d in result.compiled.dims if d.id == dimension)
    combo = spec.tier_count.any_of[compiled.combo_labels.index(dim.clause)]
    need = Need(dimension, tuple(combo.items()))
    noun = _WORDS[lang]["one"] if need.total == 1 else _WORDS[lang]["many"]
    return f"{_count(rubric, need, lang)} {noun}"


def element_routes(rubric: Rubric, element: ElementResult, lang: Lang) -> list[str]:
    """Each way an undetermined element can still be established, one phrase per dimension."""
    return [needs_text(rubric, needs, lang) for needs in element.routes if needs]


def outcome_routes(rubric: Rubric, result: RubricResult, lang: Lang) -> list[str]:
    """For a rubric without elements: per dimension that could still change the outcome, what it needs."""
    return [needs_text(rubric, needs, lang) for needs in result.outcome_routes if needs]
