"""The parse cache (assessment.parsecache) changes how fast a rubric or a shipped case file loads, never what it
loads or refuses; a case file from anywhere else never enters it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessment import parsecache
from assessment.casefile import CaseFileModel, read_case_file
from assessment.config import PILOT_DATA
from assessment.errors import CaseFileError, RubricError
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
    parsecache.remember(b"moments", {"at": dt.datetime(2026, 1, 1, 12, 0)})
    parsecache.remember(b"int keys", {1: "a"})
    parsecache.remember(b"look-alike", {"on": {"__date__": "2026-01-01"}})  # would read back as a date
    parsecache.remember(b"plain", {"a": [1, "b", None, True, 1.5]})
    parsecache.remember(b"dates", {"on": dt.date(2026, 1, 1), "list": [dt.date(2025, 12, 31)]})
    for kept_not in (b"moments", b"int keys", b"look-alike"):
        assert parsecache.cached(kept_not) is None
    assert parsecache.cached(b"plain") == {"a": [1, "b", None, True, 1.5]}
    dates = parsecache.cached(b"dates")
    assert dates == {"on": dt.date(2026, 1, 1), "list": [dt.date(2025, 12, 31)]}
    assert type(dates["on"]) is dt.date


CURATED = sorted((PILOT_DATA / "cases").glob("*.yaml"))


def uncached_case(monkeypatch: pytest.MonkeyPatch, path: Path, lang: str = "nl") -> CaseFileModel:
    with monkeypatch.context() as m:
        m.setenv("AANNEMELIJK_CACHE_DIR", "")
        return read_case_file(path, lang)  # type: ignore[arg-type]


def test_a_shipped_case_file_is_read_from_the_cache_as_the_same_case(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = {(p, lang): uncached_case(monkeypatch, p, lang) for p in CURATED for lang in ("nl", "en")}
    for p in CURATED:
        read_case_file(p)
    assert len(list(cache.glob("*.json"))) == len(CURATED)
    # The second read must not parse: a parse would fail here.
    monkeypatch.setattr("assessment.casefile.parse_yaml", lambda *a: pytest.fail("parsed again"))
    for (p, lang), expected in parsed.items():
        again = read_case_file(p, lang)  # type: ignore[arg-type]
        assert again == expected
        # Field by field, in the file's own order (model equality ignores the order of a mapping).
        assert again.model_dump_json() == expected.model_dump_json()


def test_a_case_file_outside_the_shipped_data_never_enters_the_cache(cache: Path, tmp_path: Path) -> None:
    imported = tmp_path / "imported.yaml"
    imported.write_bytes(CURATED[0].read_bytes())  # the same bytes, but from elsewhere: as a user's import
    read_case_file(imported)
    read_case_file(imported)
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_cached_case_that_no_longer_validates_is_refused_with_its_line(cache: Path) -> None:
    read_case_file(CURATED[0])
    (entry,) = cache.glob("*.json")
    entry.write_text('{"title": 1}', encoding="utf-8")  # an entry the model refuses now
    assert read_case_file(CURATED[0]) == read_case_file(CURATED[0])
    for damage in ("{not json", "null", '{"__date__": "no date"}'):
        entry.write_text(damage, encoding="utf-8")
        assert read_case_file(CURATED[0]).title == read_case_file(CURATED[0]).title


def test_an_invalid_shipped_case_file_is_never_cached(cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shipped = tmp_path / "pilot_data"
    (shipped / "cases").mkdir(parents=True)
    bad = shipped / "cases" / "bad.yaml"
    bad.write_text("title: {nl: a, en: b}\nspace: nowhere\n", encoding="utf-8")
    monkeypatch.setattr("assessment.casefile.PILOT_DATA", shipped)
    for _ in range(2):
        with pytest.raises(CaseFileError) as exc:
            read_case_file(bad)
        assert any(p.line == 2 for p in exc.value.problems)
    assert not cache.exists() or not list(cache.glob("*.json"))
