"""The rubric loader: the shipped rubrics load; every kind of mistake is reported with file, line, field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.config import PILOT_DATA
from assessment.errors import RubricError
from assessment.rubric import ILO_RUBRIC, load_rubric, parse_rubric

MINI = Path(__file__).parent / "data" / "rubrics" / "mini.yaml"


def mini_with(old: str, new: str) -> str:
    text = MINI.read_text()
    assert old in text, old
    return text.replace(old, new, 1)


def problems(text: str) -> list[str]:
    with pytest.raises(RubricError) as info:
        parse_rubric(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


def test_shipped_rubrics_load() -> None:
    ilo = load_rubric(ILO_RUBRIC)
    assert [p.id for p in ilo.profiles] == ["adult_labour", "child_labour", "adult_sexual", "child_sexual"]
    police = load_rubric(PILOT_DATA / "rubrics" / "police-signals.yaml")
    assert [o.id for o in police.outcomes] == ["none", "possible", "clear"]
    assert police.profiles[0].outcome.points is not None


def test_profile_for_maps_criminal_and_other_to_labour_lists() -> None:
    ilo = load_rubric(ILO_RUBRIC)
    assert ilo.profile_for("adult", "criminal").id == "adult_labour"
    assert ilo.profile_for("child", "other").id == "child_labour"
    assert ilo.profile_for("child", "sexual").id == "child_sexual"


def test_hash_ignores_comments_and_layout() -> None:
    text = MINI.read_text()
    a = parse_rubric(text)
    b = parse_rubric("# another comment\n" + text.replace('version: "1"', 'version:   "1"  # same'))
    c = parse_rubric(text.replace('version: "1"', 'version: "2"'))
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # an unknown key
        ('version: "1"', 'version: "1"\ncolour: blue', ["bad.yaml:4: colour: Extra inputs are not permitted"]),
        # a missing required key
        ('source: "test fixture"\n', "", ["bad.yaml:1: source: Field required"]),
        # a wrong value type
        (
            "  - {id: recruitment.s1, name: {nl: w s1, en: r s1}}",
            "  - {id: recruitment.s1, name: w s1}",
            ["bad.yaml:29: indicators.0.name: Input should be a valid dictionary or instance of Text"],
        ),
        # a missing translation
        (
            'disclaimer: {nl: "Alleen voor tests.", en: "For tests only."}',
            'disclaimer: {nl: "Alleen voor tests."}',
            ["bad.yaml:6: disclaimer.en: Field required"],
        ),
        # a malformed indicator id
        (
            "  - {id: recruitment.s1, name: {nl: w s1, en: r s1}}",
            "  - {id: Recruitment-S1, name: {nl: w s1, en: r s1}}",
            ["bad.yaml:29: indicators.0.id: String should match pattern '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$'"],
        ),
        # a dimension that names a rule that does not exist
        (
            "  - {id: coercion, name: {nl: Dwang, en: Coercion}, rule: rule_a}",
            "  - {id: coercion, name: {nl: Dwang, en: Coercion}, rule: rule_b}",
            ["bad.yaml:27: dimensions.2.rule: unknown rule 'rule_b' (not in dimension_rules)"],
        ),
        # a tier_count combination with an unknown tier
        (
            "        - {medium: 3}",
            "        - {mediun: 3}",
            [
                "bad.yaml:22: dimension_rules.rule_a.tier_count.any_of.2.mediun: unknown tier 'mediun' "
                "(tiers: medium, strong, weak; combine with _or_, or use 'any')"
            ],
        ),
        # a profile indicator with an unknown tier
        (
            "      coercion.m1: {tier: medium}",
            "      coercion.m1: {tier: medum}",
            ["bad.yaml:54: profiles.0.indicators.coercion.m1.tier: unknown tier 'medum'"],
        ),
        # a profile indicator missing from the catalogue
        (
            "      coercion.m1: {tier: medium}",
            "      coercion.m9: {tier: medium}",
            ["bad.yaml:54: profiles.0.indicators.coercion.m9: indicator 'coercion.m9' is not in the indicators catalogue"],
        ),
        # an outcome rule naming an unknown dimension
        (
            "      rule: {all_of: [recruitment, exploitation, coercion]}",
            "      rule: {all_of: [recruitment, exploitation, coersion]}",
            ["bad.yaml:43: profiles.0.outcome.rule.all_of.2: unknown dimension 'coersion'"],
        ),
        # an outcome that is not declared
        (
            "      when_true: plausible",
            "      when_true: likely",
            ["bad.yaml:44: profiles.0.outcome.when_true: unknown outcome 'likely'"],
        ),
        # a duplicate id
        (
            "  - {id: recruitment.m2, name: {nl: w m2, en: r m2}}",
            "  - {id: recruitment.m1, name: {nl: w m2, en: r m2}}",
            [
                "bad.yaml:31: indicators.2.id: duplicate id 'recruitment.m1'",
                # the profile still names the indicator the duplicate replaced
                "bad.yaml:49: profiles.0.indicators.recruitment.m2: indicator 'recruitment.m2' "
                "is not in the indicators catalogue",
            ],
        ),
        # a wrong consolidation policy
        (
            'undetermined: {nl: "Onbepaald", en: "Undetermined"}',
            'undetermined: {nl: "Onbepaald", en: "Undetermined"}\nconsolidation: loudest',
            ["bad.yaml:8: consolidation: Input should be 'any_present', 'majority' or 'unanimous'"],
        ),
    ],
    ids=[
        "unknown-key",
        "missing-key",
        "wrong-type",
        "missing-translation",
        "bad-indicator-id",
        "unknown-rule",
        "unknown-tier-in-rule",
        "unknown-tier-in-profile",
        "indicator-not-in-catalogue",
        "unknown-dimension-in-outcome",
        "unknown-outcome",
        "duplicate-id",
        "bad-consolidation",
    ],
)
def test_each_kind_of_mistake_is_named_with_line_and_field(old: str, new: str, expected: list[str]) -> None:
    assert problems(mini_with(old, new)) == expected


def test_every_problem_is_reported_at_once() -> None:
    text = mini_with('version: "1"', 'version: "1"\ncolour: blue')
    text = text.replace("      when_true: plausible", "      when_true: likely")
    text = text.replace('source: "test fixture"\n', "")
    found = problems(text)
    assert found == ["bad.yaml:1: source: Field required", "bad.yaml:4: colour: Extra inputs are not permitted"]
    # cross-field rules are checked once the shape is right; then they too come all together
    text = mini_with("      when_true: plausible", "      when_true: likely").replace(
        "rule: rule_a}\n  - {id: exploitation", "rule: rule_x}\n  - {id: exploitation"
    )
    assert problems(text) == [
        "bad.yaml:25: dimensions.0.rule: unknown rule 'rule_x' (not in dimension_rules)",
        "bad.yaml:44: profiles.0.outcome.when_true: unknown outcome 'likely'",
    ]


def test_points_rule_without_points_is_named() -> None:
    text = (PILOT_DATA / "rubrics" / "police-signals.yaml").read_text()
    match = re.search(r"^(\s+)([a-z_]+\.[a-z_]+): \{points: (\d)\}", text, re.M)
    assert match is not None
    broken = text.replace(match.group(0), f"{match.group(1)}{match.group(2)}: {{}}", 1)
    line = text[: match.start()].count("\n") + 1
    assert problems(broken) == [
        f"bad.yaml:{line}: profiles.0.indicators.{match.group(2)}: needs 'points' (a points rule uses it)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: [unclosed\n", "bad.yaml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"),
        ("a: &x [1, 2]\nb: *x\n", "bad.yaml:1: anchors (&name) are not allowed; write the value out"),
        ("- " * 40 + "x\n", "bad.yaml:1: nested deeper than 32 levels"),
        ("just a string\n", "bad.yaml:1: a rubric must be a mapping of keys to values"),
        ("a: \x00\n", "bad.yaml: file contains NUL bytes; it is not a text file"),
    ],
    ids=["syntax", "anchor", "deep", "not-a-mapping", "nul"],
)
def test_hostile_or_broken_files_are_refused_cleanly(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    prev = "a"
    for name in "bcdefghij":
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        prev = name
    assert problems(bomb) == ["bad.yaml:1: anchors (&name) are not allowed; write the value out"]


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (3 * 1024 * 1024))
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}: file is {2 * 1024 * 1024 + 1} bytes; the limit is {2 * 1024 * 1024}"
    ]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RubricError) as info:
        load_rubric(tmp_path / "nope.yaml")
    assert str(info.value.problems[0]) == f"{tmp_path / 'nope.yaml'}: cannot read file: No such file or directory"


# Hand-worked from tests/data/rubrics/mini.yaml: each mistake as the person editing the file reads it, in
# Dutch and in English: the item by its id (not its position), the field by its name, no pydantic wording.
@pytest.mark.parametrize(
    ("old", "new", "nl", "en"),
    [
        ("      coercion.m1: {tier: medium}", "      coercion.m1: {tier: medum}",
         ("profiel 'adult', indicator 'coercion.m1', niveau", "onbekend niveau 'medum'"),
         ("profile 'adult', indicator 'coercion.m1', tier", "unknown tier 'medum'")),
        ("  - {id: coercion.m1, name: {nl: d m1, en: c m1}}", "  - {id: coercion.m1, name: {nl: d m1}}",
         ("indicator 'coercion.m1', naam, Engelse tekst", "ontbreekt; dit veld is verplicht"),
         ("indicator 'coercion.m1', name, English text", "missing; this field is required")),
        ('version: "1"', 'version: "1"\ncolour: blue',
         ("'colour'", "is hier geen bekend veld; controleer de spelling of verwijder het"),
         ("'colour'", "not a known field here; check the spelling or remove it")),
        ("  - {id: exploitation, name: {nl: Uitbuiting, en: Exploitation}, rule: rule_a}",
         "  - {id: exploitation, name: {nl: Uitbuiting, en: Exploitation}, rule: rule_x}",
         ("dimensie 'exploitation', regel", "onbekende regel 'rule_x' (niet in dimension_rules)"),
         ("dimension 'exploitation', rule", "unknown rule 'rule_x' (not in dimension_rules)")),
    ],
    ids=["unknown-tier", "missing-translation", "unknown-key", "unknown-rule"],
)
def test_a_problem_says_where_and_what_in_the_editor_s_words(old: str, new: str, nl: tuple[str, str],
                                                             en: tuple[str, str]) -> None:
    with pytest.raises(RubricError) as info:
        parse_rubric(mini_with(old, new), "bad.yaml")
    (problem,) = info.value.problems
    assert (problem.where("nl"), problem.what("nl")) == nl
    assert (problem.where("en"), problem.what("en")) == en


@pytest.mark.parametrize(
    ("text", "nl"),
    [  # written by hand: what a Dutch editor of the file reads (the parser's own words stay as detail)
        ("a: &x [1, 2]\nb: *x\n", "ankers (&naam) zijn niet toegestaan; schrijf de waarde uit"),
        ("- " * 40 + "x\n", "dieper genest dan 32 niveaus"),
        ("just a string\n", "een beoordelingsinstrument moet een lijst van sleutels met waarden zijn"),
        ("a: \x00\n", "het bestand bevat NUL-bytes; het is geen tekstbestand"),
        ("id: [unclosed\n", "geen geldige YAML: expected ',' or ']', but got '<stream end>'"),
    ],
    ids=["anchor", "deep", "not-a-mapping", "nul", "syntax"],
)
def test_a_broken_file_is_said_in_the_editor_s_language(text: str, nl: str) -> None:
    with pytest.raises(RubricError) as info:
        parse_rubric(text, "bad.yaml")
    assert [p.what("nl") for p in info.value.problems] == [nl]


def test_a_file_over_the_limit_names_its_size_as_the_reader_writes_numbers(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (3 * 1024 * 1024))
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert [p.what("nl") for p in info.value.problems] == ["het bestand is 2.097.153 bytes; de grens is 2.097.152"]
    assert info.value.text("en").endswith(f"{path}: file is 2,097,153 bytes; the limit is 2,097,152")
