"""Hypothesis fuzz of `services.importing.import_case_file` (issue #8): the whole import, not only the parser.

Shipped case files are mutated where it hurts the services most (a value replaced by another of the file's
own values, by odd text, dates, numbers or structures, or removed), written to a tmp file and imported by
the demo chair into a real SQLite store. The import must succeed or fail with one of the project's own
errors (AannemelijkError): never a KeyError, TypeError, IntegrityError or pydantic error; and the audit
chain stays valid.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.config import Settings
from assessment.errors import AannemelijkError
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, Rubric, load_rubric
from assessment.store import Store, open_store
from assessment.yamlfile import read_yaml_file, to_plain

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "pilot_data" / "cases").glob("*.yaml"))


def _json_safe(value: Any) -> Any:
    """Dates as ISO text: a case file written as JSON (which is YAML) must still mean the same."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@functools.cache
def docs() -> list[Any]:
    """The shipped files as JSON-safe documents, read when a test asks (not at collection, in every worker)."""
    return [_json_safe(to_plain(read_yaml_file(str(p)).data)) for p in SHIPPED]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document (dict keys and list indexes), depth first."""
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for k, v in items:
        out.append((*prefix, k))
        out.extend(_paths(v, (*prefix, k)))
    return out


def _leaves(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [x for v in node.values() for x in _leaves(v)]
    if isinstance(node, list):
        return [x for v in node for x in _leaves(v)]
    return [node]


# The files' own values, as JSON (drawn lazily: the files are read by the first example, not at collection).
own_value = st.deferred(lambda: st.sampled_from(sorted({json.dumps(v) for d in docs() for v in _leaves(d)})).map(json.loads))
odd_text = st.sampled_from([
    "", " ", "AAN-2026-0001", "../../etc/passwd", "=cmd|' /C calc'!A0", "{{ 7*7 }}", "#read(\"/etc/passwd\")",
    "\u202eevil", "x" * 25_000, "ß" * 300, "null", "2026-02-30", "0000-01-01", "9999-12-31", "-1",
])
values = st.one_of(
    own_value,
    odd_text,
    st.text(max_size=20),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).map(dt.date.isoformat),
    st.lists(own_value, max_size=4),
    st.dictionaries(st.sampled_from(["name", "scope", "given_on", "outcome", "police", "draft", "x"]),
                    own_value, max_size=3),
)
mutation = st.tuples(st.integers(min_value=0), st.sampled_from(["replace", "replace", "delete"]), values)


def _mutate(doc: Any, mutations: list[tuple[int, str, Any]]) -> Any:
    doc = copy.deepcopy(doc)
    for at, op, value in mutations:
        paths = _paths(doc)
        if not paths:
            break
        *parent_path, key = paths[at % len(paths)]
        parent = doc
        for k in parent_path:
            parent = parent[k]
        if op == "delete":
            del parent[key]
        else:
            parent[key] = value
    return doc


class Env(tuple):  # type: ignore[type-arg]
    """(store, chair, rubric, tmp dir) with a short repr, so a failing example prints readably."""

    def __repr__(self) -> str:
        return "env"


@pytest.fixture(scope="module")
def env() -> Iterator[tuple[Store, User, Rubric, Path]]:
    """One demo-user store for the whole module (each example adds at most one case), and a tmp dir."""
    with tempfile.TemporaryDirectory() as d:
        store = open_store(Settings(db_path=Path(d) / "fuzz.sqlite3", demo=True))
        services.load_demo_users(store)
        yield Env((store, services.user_by_name(store, "chair"), load_rubric(ILO_RUBRIC), Path(d)))
        store.close()


def _import(env: tuple[Store, User, Rubric, Path], text: str | bytes) -> str | None:
    store, chair, rubric, tmp = env
    path = tmp / "case.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    try:
        return services.import_case_file(store, chair, path, services.shipped_rubric())
    except AannemelijkError:
        return None  # anything else fails the test


def test_every_shipped_case_file_imports(env: tuple[Store, User, Rubric, Path]) -> None:
    """The mutations start from files that import: as JSON, each shipped file imports as it is."""
    for doc in docs():
        assert _import(env, json.dumps(doc)) is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=len(SHIPPED) - 1), mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_case_files_import_or_fail_with_our_errors(env: tuple[Store, User, Rubric, Path], which: int,
                                                           mutations: list[tuple[int, str, Any]]) -> None:
    _import(env, json.dumps(_mutate(docs()[which], mutations), ensure_ascii=False))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=len(SHIPPED) - 1), cut=st.integers(min_value=0),
       junk=st.text(max_size=12))
def test_damaged_yaml_imports_or_fails_with_our_errors(env: tuple[Store, User, Rubric, Path], which: int, cut: int,
                                                       junk: str) -> None:
    raw = SHIPPED[which].read_text(encoding="utf-8")
    at = cut % (len(raw) + 1)
    _import(env, raw[:at] + junk + raw[at + len(junk):])


def test_the_audit_chain_holds_after_the_fuzzing(env: tuple[Store, User, Rubric, Path]) -> None:
    assert services.check_audit_chain(env[0]) > 0


def test_a_case_file_with_an_unknown_document_source_is_refused_and_leaves_cases_readable(
        env: tuple[Store, User, Rubric, Path]) -> None:
    """Found by the fuzz above: an unknown document source was stored and made the case unreadable."""
    store, chair = env[0], env[1]
    doc = copy.deepcopy(next(d for d in docs() if d.get("documents")))
    doc["documents"][0]["source"] = "2023-05-01"
    assert _import(env, json.dumps(doc)) is None
    for case in services.list_cases(store, chair):
        services.get_case(store, chair, case.ref)  # every case still opens
