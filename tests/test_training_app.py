"""The training journey in the app (AppTest): the trainer opens a session, two trainees assess alone, both
see their feedback, the trainer sees the group and resets; and the spaces never open each other's file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.config import Settings
from assessment.model import ObservationInput, User
from assessment.rubric import ILO_RUBRIC, load_rubric
from assessment.services import training
from assessment.store import open_store
from tests.conftest import open_sections
from tests.test_app_common import as_text
from ui import state

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CASE = "sexual-decided-positive"
TRUE_PRESENT = ("deceptive_recruitment.nature_of_job", "deceptive_recruitment.travel", "exploitation.excessive_hours",
                "exploitation.living_conditions", "exploitation.low_salary", "coercion_destination.debt_bondage",
                "coercion_destination.violence", "coercion_destination.documents")
EDITOR = "training.input."  # the widget key prefix of the shared input editor on the trainee's page
RAW_OUTCOMES = {"plausible", "not_plausible", "undetermined", "aannemelijk", "niet_aannemelijk"}
RAW_STATUSES = {"positive", "negative", "undetermined", "present", "absent", "unknown"}


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
    assert "TRAINING" in as_text(at.error[0].value)
    at = _open(training_db, "trainer", "ui/training_trainer.py")
    assert as_text(at.error[0].value).startswith("**TRAINING**")
    at.text_input(key="training.name").input("Groep A")
    at.multiselect(key="training.cases").set_value([CASE])
    at.multiselect(key="training.trainees").set_value(["trainee1", "trainee2"])
    submit = next(b for b in at.button if "training.open" in (b.key or "") or b.label in ("Open session",))
    submit.click().run()
    assert not at.exception, at.exception
    assert "Session 1 opened." in [as_text(s.value) for s in at.success]
    # Two trainees, each alone: one marks the reference's indicators, the other only two.
    for trainee, present, view in (("trainee1", TRUE_PRESENT, "positive"),
                                   ("trainee2", TRUE_PRESENT[:1] + TRUE_PRESENT[2:3], "undetermined")):
        at = _open(training_db, trainee, "ui/training_trainee.py")
        assert at.button(key="training.submit").disabled  # nothing saved yet
        open_sections(at, *dict.fromkeys(iid.split(".")[0] for iid in present), prefix=EDITOR)  # closed: no widgets
        for iid in present:  # the panel's own editor: a segmented status control per indicator
            at.button_group(key=f"{EDITOR}{iid}.status").set_value("present")
        at.selectbox(key=f"{EDITOR}overall.view").set_value(view).run()  # one run: every change saved in it
        assert not at.exception, at.exception
        at.button(key="training.submit").click().run()
        assert not at.exception, at.exception
        assert "Submitted: your feedback is below." in [as_text(s.value) for s in at.success]
        assert [m.label for m in at.metric][:1] == ["Calibration (Cohen's kappa)"]
    body = "\n".join(str(m.value) for m in at.markdown)
    # Of the reference's 11 present indicators trainee2 marked two; four of the other nine rest only on the care
    # coordinator's intake interview, which is no document of the trainee's file: not counted as missed.
    assert "Missed (in the reference): 5" in body and "Added (not in the reference): 0" in body
    # The file's chronology dates as running text writes them ("3 March 2026"), never ISO.
    assert re.search(r"^- \d{1,2} [A-Z][a-z]+ \d{4}: ", body, re.M) and not re.search(r"\d{4}-\d\d-\d\d", body)
    assert any(str(c.value).startswith("Not counted, because your file did not show the evidence: ")
               and str(c.value).split(": ")[1].count(", ") == 4 for c in at.caption)  # the interview's five
    assert "Police report of the complaint" in body  # the reference's sources of what trainee2 missed
    at = _open(training_db, "trainee1", "ui/training_trainee.py")
    assert at.metric[1].value == "Plausible"
    kappa = at.metric[0].value
    # The kappa as the page's language writes a statistic: two decimals, a decimal comma in Dutch.
    assert re.fullmatch(r"-?\d\.\d\d", kappa)
    assert _open(training_db, "trainee1", "ui/training_trainee.py", lang="nl").metric[0].value == kappa.replace(".", ",")
    # The trainer sees the group.
    at = _open(training_db, "trainer", "ui/training_trainer.py")
    group = at.dataframe[0].value
    assert group.iloc[0]["Submitted"] == 2 and group.iloc[0]["Outcome as reference"] == 1
    assert "Deceived about travel and recruitment conditions (1)" in group.iloc[0]["Most often missed"]
    assert "deceptive_recruitment" not in group.iloc[0]["Most often missed"]  # names, not rubric ids
    # The kappas as the page's language writes a statistic (a decimal comma in Dutch), not raw floats.
    fleiss, mean = group.iloc[0]["Fleiss' kappa (among trainees)"], group.iloc[0]["Mean kappa with reference"]
    assert re.fullmatch(r"-?\d\.\d\d", fleiss) and re.fullmatch(r"-?\d\.\d\d", mean)
    dutch = _open(training_db, "trainer", "ui/training_trainer.py", lang="nl").dataframe[0].value
    assert list(dutch.iloc[0, 3:5]) == [fleiss.replace(".", ","), mean.replace(".", ",")]
    at.button(key="training.reset").click().run()  # asks first (it cannot be undone)
    assert "Every trainee's work in this session is removed and cannot be brought back." in [
        str(m.value) for m in at.markdown]
    at.button(key="training.reset.confirm.yes").click().run()
    assert "Session reset: 2 exercise(s) removed." in [as_text(s.value) for s in at.success]


def test_the_production_app_refuses_a_training_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "training.sqlite3"
    open_store(Settings(db_path=path, training=True)).close()
    monkeypatch.delenv("AANNEMELIJK_SPACE", raising=False)
    monkeypatch.setenv("AANNEMELIJK_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("Dit is een trainingsdatabase; de productieomgeving opent haar niet" in as_text(e.value) for e in at.error)
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
    assert any("Dit is de productiedatabase, geen trainingsdatabase" in as_text(e.value) for e in at.error)


def _opened_session(path: Path, trainees: list[str]) -> None:
    """Session 1 with the curated case and these trainees, opened through the services (the journey above
    opens one through the page)."""
    store = open_store(Settings(db_path=path, demo=True, training=True))
    try:
        training.load_training_space(store)
        training.open_session(store, services.user_by_name(store, "trainer"), "Groep B", [CASE], trainees,
                              load_rubric(ILO_RUBRIC))
    finally:
        store.close()


def test_the_trainee_assesses_in_the_panels_editor_with_sources_and_notes(training_db: Path) -> None:
    _opened_session(training_db, ["trainee1"])
    at = _open(training_db, "trainee1", "ui/training_trainee.py", lang="nl")
    iid = "coercion_destination.documents"
    open_sections(at, "coercion_destination", prefix=EDITOR)
    at.button_group(key=f"{EDITOR}{iid}.status").set_value("present").run()
    # choosing a status opens the indicator's source and note, as on the panel's screen
    at.text_input(key=f"{EDITOR}{iid}.source").input("PV van de aangifte").run()
    at.text_area(key=f"{EDITOR}{iid}.note").input("Paspoort ingenomen.").run()
    at.selectbox(key=f"{EDITOR}{iid.split('.')[0]}.view").set_value("positive").run()
    at.selectbox(key=f"{EDITOR}overall.confidence").set_value("medium").run()
    assert not at.exception, at.exception
    assert as_text(at.success[0].value).startswith("Opgeslagen om ")
    # a reload (a new session) reads the saved exercise back into the same editor
    again = open_sections(_open(training_db, "trainee1", "ui/training_trainee.py", lang="nl"), "coercion_destination",
                          prefix=EDITOR)
    assert again.button_group(key=f"{EDITOR}{iid}.status").value == "present"
    assert any("PV van de aangifte · Paspoort ingenomen\\." in m.value for m in again.markdown)
    store = open_store(Settings(db_path=training_db, training=True))
    try:
        mine = training.get_trainee_input(store, services.user_by_name(store, "trainee1"), 1, "TRN-2026-0001")
    finally:
        store.close()
    assert (mine.submitted, mine.draft.observations, mine.draft.confidence) == (False, [ObservationInput(
        indicator=iid, status="present", source="PV van de aangifte", note="Paspoort ingenomen.")], "medium")
    assert [(v.dimension, v.view) for v in mine.draft.dimension_views] == [("coercion_destination", "positive")]


def _cells(at: AppTest) -> list[str]:
    """Every cell of the page's tables."""
    return [str(x) for df in at.dataframe for x in df.value.to_numpy().ravel()]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_trainee_page_shows_labels_never_raw_codes(training_db: Path, lang: str) -> None:
    _opened_session(training_db, ["trainee2"])
    at = open_sections(_open(training_db, "trainee2", "ui/training_trainee.py", lang=lang), "deceptive_recruitment",
                       prefix=EDITOR)
    for iid in TRUE_PRESENT[:2]:  # too little: the outcome and several dimensions differ from the reference
        at.button_group(key=f"{EDITOR}{iid}.status").set_value("present")
    at.selectbox(key=f"{EDITOR}overall.view").set_value("undetermined").run()
    at.button(key="training.submit").click().run()
    assert not at.exception, at.exception
    assert len(at.metric) == 3 and len(at.dataframe[0].value) >= 1  # the outcomes and the differing dimensions
    # the Dutch name of the panel's outcome "aannemelijk" is the word itself, so only there it may show as is
    outcomes = RAW_OUTCOMES - {"aannemelijk"} if lang == "nl" else RAW_OUTCOMES
    assert [v for m in at.metric for v in (m.value, m.proto.delta) if v in outcomes] == []
    if lang == "nl":  # English names of dimension statuses are their codes; a Dutch page shows a raw one
        assert [v for v in _cells(at) if v in RAW_STATUSES] == []
        assert {"positief", "onbepaald", "negatief"} & set(_cells(at))
    expected = {"nl": ("Aannemelijk", "Aannemelijk"), "en": ("Plausible", "Plausible")}[lang]
    assert at.metric[1].value != expected[0]  # trainee2's outcome differs
    assert at.metric[2].value == expected[1]  # the reference panel's decision, translated
    assert expected[0] in at.metric[1].proto.delta  # "differs from <the reference's rubric outcome>"
