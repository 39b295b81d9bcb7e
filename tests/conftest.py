"""Shared fixtures: a fresh SQLite file per test, the demo accounts, the rubrics, and a case builder."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assessment import services
from assessment.config import Settings
from assessment.model import Intake, User
from assessment.rubric import ILO_RUBRIC, LEGAL_RUBRIC, Rubric, load_rubric
from assessment.store import Store, open_store

MINI = Path(__file__).parent / "data" / "rubrics" / "mini.yaml"


# The browser tests in three chains, each run one test after another on a worker of its own, so that their
# servers and pages (which spend much of their time waiting on each other) overlap with the other chains and
# with the plain tests: about three minutes of browser work each, where one chain of all of them was the
# suite's longest path. A file not named here joins the first chain.
BROWSER_GROUPS = {
    "test_app_browser.py": "browser", "test_training_browser.py": "browser", "test_oidc_browser.py": "browser",
    "test_load.py": "browser-2", "test_session_browser.py": "browser-2", "test_user_text_browser.py": "browser-2",
    "test_accessibility_browser.py": "browser-light", "test_input_progress_browser.py": "browser-light",
    "test_decision_draft_browser.py": "browser-light", "test_forms_start_empty_browser.py": "browser-light",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """For pytest-xdist's `--dist loadgroup` (scripts/test): each test file runs on one worker, so its module
    fixtures (a loaded demo, the golden letters) are built once; and the browser tests run in the chains of
    BROWSER_GROUPS."""
    for item in items:
        browser = item.nodeid.startswith("tests/browser/") or item.get_closest_marker("browser") is not None
        group = item.nodeid.split("::")[0]
        if browser:
            group = BROWSER_GROUPS.get(group.rsplit("/", 1)[-1], "browser")
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With AANNEMELIJK_NO_SKIPS=1 (set by .ci/run, which installs Chromium and poppler) a skipped test fails the
    run: a test skipped for a missing tool is a test that cannot fail."""
    if os.environ.get("AANNEMELIJK_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"AANNEMELIJK_NO_SKIPS=1: {len(skipped)} test(s) skipped; failing the run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _hash_once_per_password() -> Iterator[None]:
    """argon2 takes ~0.3 s a hash here (by design); the same password gets the same (real) hash within a
    session, so the suite is fast while sign-in still verifies real argon2 hashes."""
    from assessment import passwords

    original = passwords.hash_password
    cached = functools.lru_cache(maxsize=None)(original)
    passwords.hash_password = cached  # type: ignore[assignment]
    yield
    passwords.hash_password = original  # type: ignore[assignment]


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of an SQLite file (the online backup API, so a WAL still open is included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (accounts and every curated case) loaded once per test process through the CLI's `init` and
    `demo`, as an operator does; tests that change it take a copy (`copy_database`), which costs milliseconds
    where loading the demo costs seconds."""
    from assessment.cli import main

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    with pytest.MonkeyPatch.context() as m:
        m.setenv("AANNEMELIJK_DB", str(path))
        m.setenv("AANNEMELIJK_DEMO", "1")
        m.delenv("AANNEMELIJK_USER", raising=False)
        assert main(["init"]) == 0
        assert main(["demo"]) == 0
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "test.sqlite3", demo=True)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = open_store(settings)
    yield s
    s.close()


@pytest.fixture
def users(store: Store) -> dict[str, User]:
    """The demo accounts (password `demo`) plus a second medical member and a trainee."""
    services.load_demo_users(store)
    admin = services.user_by_name(store, "admin")
    services.add_user(store, admin, "trainee", "trainee", "trainee-password")
    services.add_user(store, admin, "medical2", "member", "medical2-password", discipline="medical")
    return {u.username: services.user_by_name(store, u.username) for u in services.list_users(store, admin)}


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    """The shipped ILO rubric (pilot_data/rubrics/ilo-2009.yaml), the research and screening instrument."""
    return load_rubric(ILO_RUBRIC)


@pytest.fixture(scope="session")
def legal_rubric() -> Rubric:
    """The shipped legal test (pilot_data/rubrics/legal-273f.yaml), the default instrument."""
    return load_rubric(LEGAL_RUBRIC)


@pytest.fixture(scope="session")
def mini_rubric() -> Rubric:
    return load_rubric(MINI)


def intake(**overrides: object) -> Intake:
    values: dict[str, object] = {
        "received_on": dt.date(2026, 3, 2), "route": "report", "route_end": "dismissal",
        "route_end_on": dt.date(2026, 2, 16), "form": "sexual", "gender": "female", "nationality": "NG",
        "birth_year": 1998, "filing_party": "lawyer", "exploitation_in_nl": "in_nl",
        "applicant": {"name": "Synthetic Person", "contact": "+31 6 0000 0000", "notes": "free text"},
    }
    values.update(overrides)
    return Intake.model_validate(values)


CaseBuilder = Callable[..., str]


@pytest.fixture
def make_case(store: Store, users: dict[str, User]) -> CaseBuilder:
    """Create a real case (training cases live only in a training database); `stage` = intake | assessment
    (admissible, panel seated, consents given)."""

    def build(stage: str = "assessment", panel: tuple[str, ...] = (
            "police", "care", "medical", "legal"), **overrides: object) -> str:
        creator = users["secretary"]
        ref = services.create_case(store, creator, intake(**overrides))
        if stage == "intake":
            return ref
        for scope in ("medical", "police_file"):
            services.record_consent(store, creator, ref, scope, dt.date(2026, 3, 2))  # type: ignore[arg-type]
        for d in panel:
            services.assign_panel(store, creator, ref, d, d)
            services.declare_no_conflict(store, services.user_by_name(store, d), ref, d)  # personally
        v = services.get_case(store, creator, ref).version
        services.decide_admissibility(store, creator, ref, "admissible", "Binnen termijn.", v)
        return ref

    return build


POSITIVE = {
    "police": [("recruitment.s1", "present"), ("exploitation.s1", "present"), ("coercion.s1", "present")],
    "care": [("recruitment.m1", "present"), ("exploitation.m1", "present"), ("coercion.m1", "present")],
    "legal": [("recruitment.w1", "unknown")],
    "medical": [("coercion.m1", "present")],
}


def open_sections(at: Any, *dimensions: str, prefix: str = "input.") -> Any:
    """Open dimensions of the discipline-input editor in an AppTest, as a member does by clicking their
    heading: only an open dimension draws its indicators' widgets (ui/input_form.py)."""
    for dim in dimensions:
        at.session_state[f"{prefix}{dim}.open"] = True
    return at.run()
