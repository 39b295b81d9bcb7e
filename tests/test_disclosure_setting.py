"""Issue #14 hole 2 in the services: the disclosure setting is the administrator's (never below 10, always with
a reason, in the audit log) and every evaluation output reads it; research exports carry keyed pseudonyms,
stable for one key, that nobody without the key can trace back to a case."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assessment import services
from assessment.config import load_settings
from assessment.errors import AccessDeniedError, StorageError, ValidationError
from assessment.evaluation.export import read_back
from assessment.store import Store, open_store
from tests.conftest import copy_database


@pytest.fixture
def demo(tmp_path: Path, demo_db_file: Path) -> Store:
    return open_store(load_settings(copy_database(demo_db_file, tmp_path / "demo.sqlite3")))


def _keys(store: Store, out: Path) -> list[str]:
    result, _ = services.research_export(store, services.user_by_name(store, "evaluator"), out, "csv")
    return [r[0] for r in read_back(result.paths[0].parent)["cases"][1:]]


def test_only_an_administrator_changes_the_setting_and_never_below_ten(demo: Store) -> None:
    admin, evaluator = (services.user_by_name(demo, u) for u in ("admin", "evaluator"))
    with pytest.raises(AccessDeniedError):
        services.configure_disclosure(demo, evaluator, threshold=10, reason="meer cijfers")
    for threshold in (0, 1, 9):
        with pytest.raises(ValidationError):
            services.configure_disclosure(demo, admin, threshold=threshold, reason="kleine aantallen tonen")
    with pytest.raises(ValidationError):
        services.configure_disclosure(demo, admin, threshold=20, reason="  ")
    assert services.disclosure_rule(demo).threshold == 10
    services.configure_disclosure(demo, admin, threshold=20, reason="Kleine regio: advies FG")
    assert services.disclosure_rule(demo).threshold == 20
    metrics, _ = services.pilot_figures(demo, evaluator)
    assert metrics.rule.threshold == 20 and all(t.rule.threshold == 20 for t in metrics.all_tables())


def test_a_forged_setting_event_publishes_nothing(demo: Store) -> None:
    # An insider with write access to the log (even with the key) appends a setting of 1: the services
    # refuse to publish rather than apply it.
    with demo.write() as tx:
        tx.append_audit(actor="evaluator", action="disclosure.set", entity="disclosure", after={"threshold": 1})
    evaluator = services.user_by_name(demo, "evaluator")
    with pytest.raises(StorageError):
        services.pilot_figures(demo, evaluator)
    with pytest.raises(StorageError):
        _keys(demo, demo.path.parent / "forged")


def test_research_pseudonyms_are_stable_per_key_and_not_the_references(demo: Store, tmp_path: Path) -> None:
    first, second = _keys(demo, tmp_path / "a"), _keys(demo, tmp_path / "b")
    assert first == second and len(set(first)) == len(first) > 0
    with demo.read() as tx:
        refs = [r[0] for r in tx.conn.execute("SELECT ref FROM cases WHERE space = 'real'")]
    assert len(refs) == len(first)
    # Nothing of a reference shows, and no unkeyed hash of one matches (the key is needed to link them).
    for ref in refs:
        # (the year and number together: four digits alone turn up by chance in 16 hex digits, ~6% of runs)
        assert not any(ref in k or ref.split("-", 1)[1] in k for k in first)
        unkeyed = {hashlib.sha256(ref.encode()).hexdigest()[:16], hashlib.md5(ref.encode()).hexdigest()[:16]}  # noqa: S324
        assert not unkeyed & {k[1:] for k in first}
    # A new generation (the administrator's decision, with a reason) gives every case a new pseudonym.
    services.configure_disclosure(demo, services.user_by_name(demo, "admin"), new_pseudonyms=True,
                                  reason="Nieuwe onderzoeksronde: exports niet koppelbaar")
    third = _keys(demo, tmp_path / "c")
    assert set(third).isdisjoint(first) and len(third) == len(first)
    assert services.disclosure_setting(demo).threshold == 10



def test_the_what_if_names_changed_cases_by_pseudonym_only(demo: Store, tmp_path: Path) -> None:
    from assessment.rubric import load_rubric

    evaluator = services.user_by_name(demo, "evaluator")
    result = services.whatif(demo, evaluator, load_rubric(Path("pilot_data/rubrics/ilo-2009.yaml")))
    with demo.read() as tx:
        refs = {r[0] for r in tx.conn.execute("SELECT ref FROM cases")}
    assert result.changes and {c.key for c in result.changes} <= set(_keys(demo, tmp_path / "e"))
    assert not refs & {c.key for c in result.changes}


def test_the_deployment_doc_states_the_threshold_the_code_enforces() -> None:
    from assessment.evaluation.disclosure import DEFAULT_SETTING, MIN_THRESHOLD
    from assessment.services.disclosure import EVENT

    doc = " ".join((Path(__file__).parent.parent / "docs" / "deployment.md").read_text(encoding="utf-8").split())
    assert f"It is {DEFAULT_SETTING.threshold} unless an administrator sets it higher" in doc
    assert f"(never lower than {MIN_THRESHOLD})" in doc
    assert f"(`{EVENT}`," in doc
