"""The gaps of the training issue, closed: a training DOCX letter carries the watermark; every evaluation
export of the training space is marked TRAINING; a restore never puts a training backup over production or
the reverse; and the `training` command group."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from docx import Document
from evaluation_cases import hand_made

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.evaluation.export import TRAINING_MARK, export, read_back
from assessment.letters.docx import docx_text, render_docx
from assessment.model import InputDraft, ObservationInput
from assessment.rubric import Rubric
from assessment.services import training as tr
from assessment.services.letter_context import build_letter_context
from assessment.store import Store, open_store
from tests.conftest import copy_database

CASE = "sexual-decided-positive"


def _training_store(path: Path) -> Store:
    store = open_store(Settings(db_path=path, demo=True, training=True))
    tr.load_training_space(store)
    return store


def _production_store(path: Path) -> Store:
    store = open_store(Settings(db_path=path, demo=True))
    services.load_demo_users(store)
    return store


# --- 1. DOCX letters of the training space carry the watermark ---------------------------------------------


def test_a_training_docx_letter_carries_the_watermark_in_body_and_header_and_a_real_one_does_not(
        tmp_path: Path, rubric: Rubric, demo_db_file: Path) -> None:
    # As in test_training: the letter needs a decided case, so it is built on a demo store, then the same
    # store is treated as a training store for the second context.
    demo = open_store(Settings(db_path=copy_database(demo_db_file, tmp_path / "d.sqlite3"), demo=True,
                               quorum_min_disciplines=1))
    sec = services.user_by_name(demo, "secretary")
    decided = min(c.ref for c in services.list_cases(demo, sec, status="decided"))
    real = build_letter_context(demo, sec, decided, "en", letter_date=dt.date(2026, 6, 1))
    demo.settings = demo.settings.model_copy(update={"training": True})
    marked = build_letter_context(demo, sec, decided, "en", letter_date=dt.date(2026, 6, 1))
    demo.close()

    real_docx, marked_docx = render_docx(real), render_docx(marked)
    assert "TRAINING" not in docx_text(real_docx)
    lines = docx_text(marked_docx).splitlines()
    assert lines[0] == "TRAINING – TRAINING LETTER – NOT A REAL ADVICE"  # the first line, above the letterhead
    assert lines[1:] == docx_text(real_docx).splitlines()  # nothing else of the letter changes
    headers = [p.text for s in Document(io.BytesIO(marked_docx)).sections for p in s.header.paragraphs]
    assert "TRAINING – TRAINING LETTER – NOT A REAL ADVICE" in headers  # the header repeats it on every page
    assert not any("TRAINING" in p.text for s in Document(io.BytesIO(real_docx)).sections
                   for p in s.header.paragraphs)


# --- 2. evaluation exports of the training space are marked ------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_training_export_marks_every_table_and_a_real_one_does_not(tmp_path: Path, fmt: str) -> None:
    cases = hand_made()
    name = "x" if fmt == "csv" else "x.xlsx"
    marked = export(cases, tmp_path / "t" / name, "research", fmt, training=True)  # type: ignore[arg-type]
    plain = export(cases, tmp_path / "p" / name, "research", fmt)  # type: ignore[arg-type]
    assert (marked.training, plain.training) == (True, False)
    m, p = read_back(marked.paths[0].parent if fmt == "csv" else marked.paths[0]), \
        read_back(plain.paths[0].parent if fmt == "csv" else plain.paths[0])
    expected_tables = {"cases", "disciplines", "codebook"} if fmt == "csv" else \
        {"cases", "disciplines", "data_dictionary"}
    assert set(p) == expected_tables
    assert set(m) == expected_tables | ({"TRAINING"} if fmt == "xlsx" else set())
    for table in expected_tables:
        assert m[table][0] == [TRAINING_MARK]
        assert m[table][1] == p[table][0]  # the header follows the mark
    assert ["all", "space", "TRAINING: oefengegevens, geen echte dossiers", "TRAINING: training data, not real cases",
            ""] in [[c if c is not None else "" for c in r] for r in m["codebook" if fmt == "csv" else "data_dictionary"]]
    cells = [str(c) for rows in p.values() for r in rows for c in r if c is not None]
    assert not any("TRAINING" in c for c in cells)
    if fmt == "xlsx":
        from openpyxl import load_workbook
        assert load_workbook(marked.paths[0], read_only=True).sheetnames[0] == "TRAINING"


def test_the_full_export_service_marks_an_export_from_a_training_store_only(tmp_path: Path, rubric: Rubric,
                                                                         demo_db_file: Path) -> None:
    training = _training_store(tmp_path / "t.sqlite3")
    services.load_demo(training, services.shipped_rubric())  # a training space may hold the demo cases, to show the screens
    # The production side: the same demo, loaded once per test process (tests/conftest.py).
    real = open_store(Settings(db_path=copy_database(demo_db_file, tmp_path / "p.sqlite3"), demo=True))
    outs = {}
    for space, store in (("training", training), ("real", real)):
        admin = services.user_by_name(store, "admin")
        result = services.full_export(store, admin, tmp_path / space, "csv")
        store.close()
        assert result.cases > 0
        outs[space] = read_back(tmp_path / space)
    assert [outs["training"][t][0] for t in ("cases", "disciplines", "codebook")] == [[TRAINING_MARK]] * 3
    assert outs["training"]["cases"][1] == outs["real"]["cases"][0]
    assert all(outs["real"][t][0][0] != TRAINING_MARK for t in outs["real"])


def test_the_research_export_command_in_the_training_space_is_marked(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AANNEMELIJK_SPACE", "training")
    monkeypatch.setenv("AANNEMELIJK_TRAINING_DB", str(tmp_path / "t.sqlite3"))
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    assert main(["demo"]) == 0
    assert main(["export", "--as", "evaluator", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")]) == 0
    book = read_back(tmp_path / "r.xlsx")
    assert list(book)[0] == "TRAINING"
    assert book["cases"][0] == [TRAINING_MARK] and len(book["cases"]) > 2  # the demo cases are in it


# --- 3. restore never mixes the spaces -----------------------------------------------------------------------


@pytest.fixture
def two_spaces(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """A production and a training database, each with a backup of itself."""
    prod, train = tmp_path / "prod.sqlite3", tmp_path / "train.sqlite3"
    p, t = _production_store(prod), _training_store(train)
    p.backup_to(tmp_path / "prod-backup.sqlite3")
    t.backup_to(tmp_path / "train-backup.sqlite3")
    p.close()
    t.close()
    return prod, train, tmp_path / "prod-backup.sqlite3", tmp_path / "train-backup.sqlite3"


@pytest.mark.parametrize("force", [False, True])
def test_restore_refuses_a_training_backup_over_production(
        two_spaces: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, force: bool) -> None:
    prod, _, _, train_backup = two_spaces
    monkeypatch.delenv("AANNEMELIJK_SPACE", raising=False)
    assert main(["--lang", "en", "restore", "--db", str(prod), str(train_backup), *(["--force"] if force else [])]) == 3
    err = capsys.readouterr().err
    assert f"{train_backup} is a backup of a training database; it is not restored over the production " \
           "database. Nothing was restored." in err
    assert "trainingsdatabase" not in err  # one language per message
    assert main(["--lang", "nl", "restore", "--db", str(prod), str(train_backup)]) == 3
    assert f"{train_backup} is een back-up van een trainingsdatabase; die wordt niet over de productiedatabase " \
           "teruggezet. Er is niets teruggezet." in capsys.readouterr().err
    assert sorted(p.name for p in prod.parent.iterdir() if "before-restore" in p.name) == []  # nothing kept/changed
    store = open_store(Settings(db_path=prod))  # still production, still its own
    assert not store.settings.training and services.check_audit_chain(store) > 0
    with store.read() as tx:
        assert tx.get("users", username="trainee1") is None
    store.close()


def test_restore_refuses_a_production_backup_over_a_training_database(
        two_spaces: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, train, prod_backup, _ = two_spaces
    monkeypatch.setenv("AANNEMELIJK_SPACE", "training")
    assert main(["--lang", "en", "restore", "--db", str(train), str(prod_backup), "--force"]) == 3
    err = capsys.readouterr().err
    assert f"{prod_backup} is a backup of the production database; it is not restored over a training " \
           "database. Nothing was restored." in err
    store = open_store(Settings(db_path=train, training=True))
    with store.read() as tx:
        assert tx.get("users", username="trainee1") is not None
    store.close()


def test_restore_within_one_space_still_works(two_spaces: tuple[Path, Path, Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    prod, train, prod_backup, train_backup = two_spaces
    monkeypatch.setenv("AANNEMELIJK_SPACE", "training")
    assert main(["restore", "--db", str(train), str(train_backup)]) == 0
    monkeypatch.delenv("AANNEMELIJK_SPACE")
    assert main(["restore", "--db", str(prod), str(prod_backup)]) == 0


def test_store_restore_from_refuses_the_other_space_too(two_spaces: tuple[Path, Path, Path, Path]) -> None:
    # The store's own check, for a caller that skips the service.
    from assessment.errors import TrainingSpaceError

    prod, _, _, train_backup = two_spaces
    store = open_store(Settings(db_path=prod))
    with pytest.raises(TrainingSpaceError, match="is a backup of a training database"):
        store.restore_from(train_backup)
    with store.read() as tx:
        assert tx.get("users", username="trainee1") is None
    store.close()


# --- 4. the `training` command group --------------------------------------------------------------------------


@pytest.fixture
def tdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "training.sqlite3"
    monkeypatch.delenv("AANNEMELIJK_SPACE", raising=False)
    monkeypatch.setenv("AANNEMELIJK_TRAINING_DB", str(path))
    monkeypatch.setenv("AANNEMELIJK_PASSWORD", "demo")
    monkeypatch.delenv("AANNEMELIJK_USER", raising=False)
    return path


def _submit(path: Path, username: str, session: int, ref: str, draft: InputDraft, rubric: Rubric) -> None:
    store = open_store(Settings(db_path=path, demo=True, training=True))
    user = services.user_by_name(store, username)
    version = tr.save_trainee_input(store, user, session, ref, draft, None, rubric=rubric)
    tr.submit_trainee_input(store, user, session, ref, version)
    store.close()


def test_training_commands_init_open_sessions_group_reset(tdb: Path, rubric: Rubric,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["training", "init"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("TRAINING")
    assert "trainee1, trainee2, trainee3" in out and CASE in out
    assert main(["training", "init"]) == 0  # again: nothing new, nothing broken
    assert "Accounts aangemaakt: -" in capsys.readouterr().out  # the run's language: Dutch

    assert main(["training", "open", "Week 1", "--case", CASE, "--trainee", "trainee1", "--trainee", "trainee2",
                 "--as", "trainer"]) == 0
    assert "Sessie geopend: 1" in capsys.readouterr().out
    assert main(["training", "open", "Alleen", "--case", CASE, "--trainee", "trainee3", "--as", "trainer"]) == 0
    capsys.readouterr()

    assert main(["training", "sessions", "--json", "--as", "trainee1"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["name"], s["trainees"]) for s in listed["sessions"]] == [(1, "Week 1", ["trainee1", "trainee2"])]
    ref = listed["sessions"][0]["cases"][0]["ref"]
    assert main(["training", "sessions", "--as", "trainer"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("TRAINING") and "Week 1" in text and "Alleen" in text

    present = InputDraft(observations=[ObservationInput(indicator="deceptive_recruitment.nature_of_job",
                                                        status="present")], overall_view="positive")
    _submit(tdb, "trainee1", 1, ref, present, rubric)
    _submit(tdb, "trainee2", 1, ref, present, rubric)
    assert main(["training", "group", "1", "--json", "--as", "trainer"]) == 0
    group = json.loads(capsys.readouterr().out)
    assert (group["space"], group["session"], list(group["cases"])) == ("training", 1, [ref])
    view = group["cases"][ref]
    assert view["trainees"] == 2 and sorted(view["kappa_with_reference"]) == ["trainee1", "trainee2"]
    assert view["most_missed"] and all(n == 2 for _, n in view["most_missed"][:1])
    assert main(["training", "group", "1", "--as", "trainer"]) == 0
    assert f"{ref}: 2 cursist(en);" in capsys.readouterr().out

    assert main(["training", "reset", "1", "--as", "trainee1"]) == 3  # only the trainer resets
    assert "Geen toegang" in capsys.readouterr().err  # in the run's language: Dutch unless LANG or --lang say not
    assert main(["training", "reset", "1", "--as", "trainer"]) == 0
    assert "Sessie 1 teruggezet: 2 oefening(en) verwijderd" in capsys.readouterr().out
    assert main(["training", "group", "1", "--json", "--as", "trainer"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"][ref]["trainees"] == 0


def test_training_commands_never_open_the_production_database(tdb: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    _production_store(tmp_path / "prod.sqlite3").close()
    assert main(["training", "init", "--db", str(tmp_path / "prod.sqlite3")]) == 3
    assert "Dit is de productiedatabase, geen trainingsdatabase" in capsys.readouterr().err
    assert main(["training", "init"]) == 0
    assert main(["cases", "--db", str(tdb), "--as", "secretary"]) == 3  # and production commands not the training db
    assert "Dit is een trainingsdatabase" in capsys.readouterr().err


def test_training_group_needs_a_signed_in_trainer(tdb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["training", "init"]) == 0
    assert main(["training", "group", "1"]) == 3  # not signed in
    assert "Geef --as GEBRUIKER" in capsys.readouterr().err
    assert main(["training", "group", "99", "--as", "trainer"]) == 2
    assert "Trainingssessie 99 bestaat niet" in capsys.readouterr().err  # Dutch: no --lang, LANG=C
