"""Hypothesis fuzz of the import of case files (services.importing): whatever the bytes, reading and
importing fail only with the project's own errors."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.casefile import read_case_file
from assessment.errors import AannemelijkError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SHIPPED = sorted((ROOT / "pilot_data" / "cases").glob("*.yaml"))

yaml_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _read(tmp: Path, raw: bytes) -> None:
    path = tmp / "case.yaml"
    path.write_bytes(raw)
    with contextlib.suppress(AannemelijkError):  # anything else fails the test
        read_case_file(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    _read(tmp_path, raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=yaml_like)
def test_random_yaml_structures(tmp_path: Path, data: object) -> None:
    import json

    _read(tmp_path, json.dumps(data).encode())  # JSON is YAML


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=5000), flip=st.integers(min_value=0, max_value=255),
       which=st.sampled_from(SHIPPED) if SHIPPED else st.nothing())
def test_mutated_shipped_case_files(tmp_path: Path, cut: int, flip: int, which: Path) -> None:
    raw = bytearray(which.read_bytes())
    if raw:
        i = cut % len(raw)
        raw[i] = flip
        _read(tmp_path, bytes(raw[: max(i, 1) * 2]))


def test_run_all_parses_result_lines() -> None:
    from run_all import parse

    assert parse("x", "noise\nRESULT save_median 3.95 ms <5ms\n") == [("x: save_median", "<5ms", "3.95 ms")]
    assert parse("y", "a\nb\n") == [("y", "(in line)", "a"), ("y", "(in line)", "b")]
