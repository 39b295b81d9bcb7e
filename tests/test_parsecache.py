"""The parse cache (assessment.parsecache) changes how fast a rubric loads, never what it loads or refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment import parsecache
from assessment.errors import RubricError
from assessment.rubric import ILO_RUBRIC, load_rubric, parse_rubric

# The content hash of the shipped ILO rubric is computed from the parsed data, so a cached load that returned
# anything but what the file says would show a different hash than a load with the cache off.


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("AANNEMELIJK_CACHE_DIR", str(where))
    return where


def uncached_hash(monkeypatch: pytest.MonkeyPatch, path: Path = ILO_RUBRIC) -> str:
    with monkeypatch.context() as m:
        m.setenv("AANNEMELIJK_CACHE_DIR", "")
        return load_rubric(path).content_hash


def test_second_load_comes_from_the_cache_and_is_the_same_rubric(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_rubric(ILO_RUBRIC)
    entries = list(cache.glob("*.json"))
    assert len(entries) == 1
    second = load_rubric(ILO_RUBRIC)
    assert second == first
    assert second.content_hash == first.content_hash == uncached_hash(monkeypatch)


def test_a_cached_load_keeps_the_order_of_the_file(cache: Path) -> None:
    # A profile lists its indicators in the order of the file, and screens, letters and the batch engine
    # follow it; pydantic equality ignores dict order, so compare the order itself.
    load_rubric(ILO_RUBRIC)
    second = load_rubric(ILO_RUBRIC)
    assert list(second.profile("adult_labour").indicators)[:3] == [
        "deceptive_recruitment.nature_of_job", "deceptive_recruitment.conditions_of_work", "deceptive_recruitment.contract"]


def test_a_damaged_entry_costs_a_parse_not_a_wrong_result(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_rubric(ILO_RUBRIC)
    (entry,) = cache.glob("*.json")
    for damage in ("{not json", '{"id": "x"}', "null"):
        entry.write_text(damage, encoding="utf-8")
        assert load_rubric(ILO_RUBRIC).content_hash == uncached_hash(monkeypatch)


def test_a_changed_file_is_parsed_anew(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    police = ILO_RUBRIC.parent / "police-signals.yaml"
    path.write_bytes(ILO_RUBRIC.read_bytes())
    assert load_rubric(path).content_hash == uncached_hash(monkeypatch)
    path.write_bytes(police.read_bytes())
    assert load_rubric(path).content_hash == uncached_hash(monkeypatch, police) != uncached_hash(monkeypatch)


def test_invalid_rubrics_are_never_cached(cache: Path) -> None:
    with pytest.raises(RubricError):
        parse_rubric("id: x\n", "x.yaml")
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_empty_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AANNEMELIJK_CACHE_DIR", "")
    assert parsecache.cache_dir() is None
    load_rubric(ILO_RUBRIC)
    parsecache.remember(b"x", {"a": 1})
    assert parsecache.cached(b"x") is None


def test_what_json_cannot_hold_exactly_is_not_kept(cache: Path) -> None:
    import datetime as dt

    parsecache.remember(b"dates", {"on": dt.date(2026, 1, 1)})
    parsecache.remember(b"int keys", {1: "a"})
    parsecache.remember(b"plain", {"a": [1, "b", None, True, 1.5]})
    assert parsecache.cached(b"dates") is None and parsecache.cached(b"int keys") is None
    assert parsecache.cached(b"plain") == {"a": [1, "b", None, True, 1.5]}
