"""Fuzzing the loaders of untrusted files: whatever the bytes, they fail only with the project's errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.casefile import parse_score_file
from assessment.errors import CaseFileError, RubricError
from assessment.rubric import parse_rubric

MINI = (Path(__file__).parent / "data" / "rubrics" / "mini.yaml").read_text()

# YAML-ish fragments make the fuzzer reach deeper than random bytes alone.
TOKENS = st.sampled_from(
    ["id: ", "- ", "{", "}", "[", "]", ": ", "\n", "  ", "&a ", "*a", "!!python/object ", "'", '"', "#",
     "profiles:", "tier: strong", "indicators:", "0", "-1", "null", "~", "true", "\t", "\\", "%YAML 1.1\n", "---\n"]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(TOKENS, max_size=60).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_rubric_loader_fails_only_with_rubric_errors(text: str) -> None:
    try:
        parse_rubric(text, "fuzz.yaml")
    except RubricError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(MINI) - 1), st.integers(min_value=1, max_value=40), TEXT)
def test_mutated_rubric_fails_only_with_rubric_errors(at: int, cut: int, insert: str) -> None:
    try:
        parse_rubric(MINI[:at] + insert + MINI[at + cut :], "fuzz.yaml")
    except RubricError as exc:
        assert exc.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TEXT, st.binary(max_size=300)))
def test_case_file_parser_fails_only_with_case_file_errors(raw: str | bytes) -> None:
    try:
        parse_score_file(raw, "fuzz.yaml")
    except CaseFileError as exc:
        assert exc.problems
