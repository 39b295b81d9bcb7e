# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Smoke test: every screen opens without an error under every role that may open it, in both languages,
on a database with a case at each stage."""

from __future__ import annotations

import pytest

from assessment import services
from assessment.model import InputDraft, ObservationInput, User
from assessment.store import Store
from tests.access_table import documented_allows
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401 (fixtures)
from ui.navigation import SCREENS, screens_for

ACCOUNT = {"secretary": "secretary", "member": "police", "chair": "chair", "evaluator": "evaluator",
           "trainer": "trainer", "trainee": "trainee", "admin": "admin"}
# Which role opens which screen: from the documented access table (each screen serves one policy action), not
# from the code that builds the menu.
CASES = [(role, s.path, s.title) for s in SCREENS for role in ACCOUNT if documented_allows(s.action, role)]


def test_the_menu_offers_what_the_table_allows() -> None:
    for role in ACCOUNT:
        assert [s.path for s in screens_for(role)] == [p for r, p, _t in CASES if r == role], role


@pytest.fixture
def busy(store: Store, users: dict[str, User], make_case: CaseBuilder) -> None:
    """One case in intake, one in assessment with police input saved (training cases live only in a training
    database, so the trainer's screens show none here)."""
    make_case(stage="intake")
    ref = make_case()
    services.save_input_draft(store, users["police"], ref, InputDraft(observations=[
        ObservationInput(indicator="coercion_destination.documents", status="present", source="PV")]), None)


@pytest.mark.parametrize(("role", "page", "title"), CASES, ids=[f"{r}-{p}" for r, p, _t in CASES])
def test_screen_opens_for_role(busy: None, open_app: OpenApp, role: str, page: str, title: str) -> None:
    at = open_app(ACCOUNT[role], page, lang="en")
    assert [t.value for t in at.title] == [title]
    assert [as_text(e.value) for e in at.error] == []
    at = open_app(ACCOUNT[role], page, lang="nl")
    assert len(at.title) == 1 and at.title[0].value != title  # Dutch by default, every title translated
    assert [as_text(e.value) for e in at.error] == []
