"""Where a problem in a configuration file (a rubric, the letterhead file) is, and what is wrong, in the words
of the person who edits that file rather than in pydantic's: "profiel 'adult', indicator 'coercion.m1',
niveau: onbekend niveau 'medum'" instead of "profiles.0.indicators.coercion.m1.tier: unknown tier 'medum'".

A list item is named by its `id` where it has one (the id is what the editor wrote and searches for), else by
its number counted from 1. Keys are named by a table of human names; a key the table does not know (a typo,
an unknown field) is shown as the file spells it. The machine form stays in `Problem.field` and
`Problem.message` for the log and the command line's detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import AannemelijkError
from .i18n import N_, Msg, Translatable

Loc = Sequence[int | str]

# The name of one item of a list (or mapping) kept under this key.
ITEM: dict[str, str] = {
    "tiers": N_("tier"), "outcomes": N_("outcome"), "dimensions": N_("dimension"), "indicators": N_("indicator"),
    "profiles": N_("profile"), "elements": N_("element"), "dimension_rules": N_("rule"), "bands": N_("band"),
    "referrals": N_("referral"), "any_of": N_("alternative"), "all_of": N_("part"), "of": N_("part"),
    "exploitation_forms": N_("form of exploitation"),
}
# The human name of a field.
FIELD: dict[str, str] = {
    "id": N_("id"), "name": N_("name"), "title": N_("title"), "version": N_("version"), "source": N_("source"),
    "help": N_("help text"), "tier": N_("tier"), "points": N_("points"), "rule": N_("rule"), "min": N_("minimum"),
    "outcome": N_("outcome"), "when_true": N_("outcome when the rule holds"),
    "when_false": N_("outcome when the rule does not hold"), "basis": N_("legal basis"),
    "description": N_("description"), "disclaimer": N_("disclaimer"), "age_group": N_("age group"),
    "provisional": N_("provisional"), "attributive": N_("adjective"), "note": N_("note"),
    "undetermined": N_("label for undetermined"), "consolidation": N_("combining of views"),
    "nl": N_("Dutch text"), "en": N_("English text"), "tier_count": N_("count per tier"),
    "contact": N_("contact"), "what": N_("description"), "tiers": N_("tiers"), "outcomes": N_("outcomes"),
    "dimensions": N_("dimensions"), "indicators": N_("indicators"), "profiles": N_("profiles"),
    "elements": N_("elements"), "dimension_rules": N_("dimension rules"), "bands": N_("bands"),
    "exploitation_forms": N_("forms of exploitation"), "any_of": N_("alternatives"), "all_of": N_("parts"),
    # the letterhead file (templates/letters/letterhead.yaml)
    "sender": N_("sender"), "panel_name": N_("name of the panel"), "legal_basis": N_("legal basis"),
    "legal_status": N_("legal status of the advice"), "remedies": N_("remedies"), "privacy": N_("privacy notice"),
    "referrals": N_("referrals"), "fund_name": N_("name of the fund"), "phone": N_("telephone number"),
    "email": N_("e-mail address"), "website": N_("website"), "postal_address": N_("postal address"),
    "return_address": N_("return address"),
}
# The type names pydantic puts in a location when a value may be one of several types ("str" in
# panel_name.str); they are no place in the file.
_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict"}


@dataclass(frozen=True)
class Place:
    """A location as the steps a reader follows in the file: an item (kind, its id or number) or a field (kind
    empty, the key as written)."""

    steps: tuple[tuple[str, str], ...]

    def text(self, lang: str) -> str:
        return ", ".join(_step(kind, name, lang) for kind, name in self.steps) or Msg(
            N_("the file as a whole")).text(lang)


def _step(kind: str, name: str, lang: str) -> str:
    if not kind:
        return Msg(FIELD[name]).text(lang) if name in FIELD else f"'{name}'"
    if name.isdigit():
        return Msg(N_("{kind} {number}"), {"kind": Msg(kind), "number": name}).text(lang)
    return Msg(N_("{kind} '{name}'"), {"kind": Msg(kind), "name": name}).text(lang)


def place(data: Any, loc: Loc) -> Place:
    """The Place of `loc` in the parsed file `data` (plain or ruamel containers)."""
    steps: list[tuple[str, str]] = []
    node: Any = data
    key = ""  # the key of the container `node` was found under
    for part in loc:
        if isinstance(part, int):  # an item of a list: named by its id, else by its number
            item = node[part] if isinstance(node, Sequence) and not isinstance(node, str) and 0 <= part < len(
                node) else None
            ident = item.get("id") if isinstance(item, Mapping) else None
            steps.append((ITEM.get(key, N_("item")), ident if isinstance(ident, str) else str(part + 1)))
        elif key in ITEM and isinstance(node, Mapping):  # a mapping of named items (a profile's indicators)
            steps.append((ITEM[key], part))
            item = node.get(part)
        else:
            if part not in ITEM or part == loc[-1]:  # a list's own key is said by its item ("profile 'adult'")
                steps.append(("", part))
            item = node.get(part) if isinstance(node, Mapping) else None
            key = part
            node = item
            continue
        node, key = item, ""
    return Place(tuple(steps))


# pydantic's error types, as the editor of the file would be told. Others get a general sentence; the
# machine text stays in the log.
_PYDANTIC: dict[str, str] = {
    "missing": N_("missing; this field is required"),
    "extra_forbidden": N_("not a known field here; check the spelling or remove it"),
    "string_type": N_("should be a text"),
    "string_too_short": N_("should not be empty"),
    "string_too_long": N_("is too long"),
    "string_pattern_mismatch": N_("is not in the expected form"),
    "int_type": N_("should be a whole number"),
    "int_parsing": N_("should be a whole number"),
    "int_from_float": N_("should be a whole number"),
    "float_type": N_("should be a number"),
    "float_parsing": N_("should be a number"),
    "bool_type": N_("should be true or false"),
    "bool_parsing": N_("should be true or false"),
    "greater_than_equal": N_("should be at least {ge}"),
    "greater_than": N_("should be more than {gt}"),
    "less_than_equal": N_("should be at most {le}"),
    "less_than": N_("should be less than {lt}"),
    "literal_error": N_("should be one of: {expected}"),
    "enum": N_("should be one of: {expected}"),
    "too_short": N_("should have at least {min_length} entries"),
    "too_long": N_("should have at most {max_length} entries"),
    "list_type": N_("should be a list"),
    "dict_type": N_("should be a mapping of keys to values"),
    "model_type": N_("should be a mapping of keys to values"),
    "model_attributes_type": N_("should be a mapping of keys to values"),
}


def explain(error: Mapping[str, Any]) -> Translatable:
    """One pydantic error (an item of `exc.errors()`) as a sentence in the user's language."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, AannemelijkError):
        # One of our own checks across fields (a RuleError): its sentence says which rule the file breaks, in
        # the reader's language (a generic "not accepted" would leave the editor guessing).
        return Msg(cause.message_id, cause.params)
    if error.get("type") == "value_error":
        # A ValueError from elsewhere speaks English only: the general sentence here, its text in the log
        # (Problem.message).
        return Msg(N_("this value is not accepted here"))
    message = _PYDANTIC.get(str(error.get("type", "")), N_("this value is not accepted here"))
    ctx: dict[str, object] = {str(k): str(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic's English "'a', 'b' or 'c'": the choices as a list, in any language
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    return Msg(message, ctx)


def rule_loc(error: Mapping[str, Any], loc: Loc) -> tuple[int | str, ...]:
    """`loc` (pydantic's, made readable), and below it the field a rule across fields names (`RuleError.field`),
    so the editor is sent to the key to mend rather than to the model that holds it."""
    cause = (error.get("ctx") or {}).get("error")
    field = getattr(cause, "field", "") if isinstance(cause, AannemelijkError) else ""
    return (*loc, *field.split(".")) if field else tuple(loc)


def readable_loc(loc: Loc) -> tuple[int | str, ...]:
    """pydantic's location without the names of union members it adds ("AllOf", "list[...]")."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p[:1].isupper() or "[" in p)))


def readable_union_loc(loc: Loc) -> tuple[int | str, ...]:
    """`readable_loc` for a model whose fields may take a plain value or a mapping (a text or {nl, en}): the
    type tag of the plain alternative is dropped too. Only for models that have no key spelled as a type."""
    return tuple(p for p in readable_loc(loc) if p not in _TYPE_TAGS)
