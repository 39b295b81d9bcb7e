"""The training journey in the app (AppTest): the trainer opens a session, two trainees assess alone, both
see their feedback, the trainer sees the group and resets; and the spaces never open each other's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.config import Settings
from assessment.model import User
from assessment.store import open_store
from ui import state

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CASE = "sexual-decided-positive"
TRUE_PRESENT = ("deceptive_recruitment.nature_of_job", "deceptive_recruitment.travel", "exploitation.excessive_hours",
                "exploitation.living_conditions", "exploitation.low_salary", "coercion_destination.debt_bondage",
                "coercion_destination.violence", "coercion_destination.documents")


@pytest.fixture
def training_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "training.sqlite3"
    monkeypatch.setenv("AANNEMELIJK_SPACE", "training")
    monkeypatch.setenv("AANNEMELIJK_TRAINING_DB", str(path))
    monkeypatch.delenv("AANNEMELIJK_DB", raising=False)
    st_config.set_option("client.showErrorDetails", "full")
    return path


def _user(path: Path, name: str) -> User:
    store = open_store(Settings(db_path=path, training=True))
    try:
        return services.user_by_name(store, name)
    finally:
        store.close()


def _open(path: Path, name: str | None, page: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if name is not None:
        at.session_state[state.USER] = _user(path, name)
    at.session_state[state.LANG] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_training_journey(training_db: Path) -> None:
    at = _open(training_db, None)  # first start fills the training space
    assert "TRAINING" in at.error[0].value
    at = _open(training_db, "trainer", "ui/training_trainer.py")
    assert at.error[0].value.startswith("**TRAINING**")
    at.text_input(key="training.name").input("Groep A")
    at.multiselect(key="training.cases").set_value([CASE])
    at.multiselect(key="training.trainees").set_value(["trainee1", "trainee2"])
    submit = next(b for b in at.button if "training.open" in (b.key or "") or b.label in ("Open session",))
    submit.click().run()
    assert not at.exception, at.exception
    assert "Session 1 opened." in [s.value for s in at.success]
    # Two trainees, each alone: one marks the reference's indicators, the other only two.
    for trainee, present, view in (("trainee1", TRUE_PRESENT, "positive"),
                                   ("trainee2", TRUE_PRESENT[:1] + TRUE_PRESENT[2:3], "undetermined")):
        at = _open(training_db, trainee, "ui/training_trainee.py")
        for iid in present:
            at.radio(key=f"training.ind.{iid}").set_value("present")
        at.radio(key="training.view").set_value(view)
        at.button(key="training.submit").click().run()
        assert not at.exception, at.exception
        assert "Submitted: your feedback is below." in [s.value for s in at.success]
        assert [m.label for m in at.metric][:1] == ["Calibration (Cohen's kappa)"]
    body = "\n".join(str(m.value) for m in at.markdown)
    assert "Missed (in the reference): 9" in body and "Added (not in the reference): 0" in body
    assert "Police report of the complaint" in body  # the reference's sources of what trainee2 missed
    at = _open(training_db, "trainee1", "ui/training_trainee.py")
    assert at.metric[1].value == "plausible"
    # The trainer sees the group.
    at = _open(training_db, "trainer", "ui/training_trainer.py")
    group = at.dataframe[0].value
    assert group.iloc[0]["Submitted"] == 2 and group.iloc[0]["Outcome as reference"] == 1
    assert "deceptive_recruitment.travel (1)" in group.iloc[0]["Most often missed"]
    at.button(key="training.reset").click().run()
    assert "Session reset: 2 exercise(s) removed." in [s.value for s in at.success]


def test_the_production_app_refuses_a_training_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "training.sqlite3"
    open_store(Settings(db_path=path, training=True)).close()
    monkeypatch.delenv("AANNEMELIJK_SPACE", raising=False)
    monkeypatch.setenv("AANNEMELIJK_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("This is a training database; the production space does not open it" in e.value for e in at.error)
    assert not at.exception


def test_the_training_app_refuses_the_production_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prod.sqlite3"
    store = open_store(Settings(db_path=path))
    services.load_demo_users(store)
    store.close()
    monkeypatch.setenv("AANNEMELIJK_SPACE", "training")
    monkeypatch.setenv("AANNEMELIJK_TRAINING_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("This is the production database, not a training database" in e.value for e in at.error)
