"""The training space: a separate, marked database; sessions, blind trainee input, feedback beside the
reference, the group view, reset; and training data never reachable from production."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment import services
from assessment.config import Settings, load_settings
from assessment.errors import AccessDeniedError, LifecycleError, NotFoundError, TrainingSpaceError
from assessment.letters.render import render_markup
from assessment.model import InputDraft, ObservationInput
from assessment.rubric import Rubric
from assessment.services import training as tr
from assessment.services.letter_context import build_letter_context
from assessment.store import Store, open_store
from assessment.training import Reference, ReferenceObservation, cohen, feedback, fleiss, shown_in_file
from tests.conftest import copy_database

CASE = "sexual-decided-positive"  # 04: reference plausible, panel aannemelijk


@pytest.fixture
def space(tmp_path: Path) -> Iterator[Store]:
    store = open_store(Settings(db_path=tmp_path / "training.sqlite3", demo=True, training=True))
    tr.load_training_space(store)
    yield store
    store.close()


def _obs(*pairs: tuple[str, str]) -> InputDraft:
    return InputDraft(observations=[ObservationInput(indicator=i, status=s) for i, s in pairs],  # type: ignore[arg-type]
                      overall_view="positive", confidence="medium")


# The reference panel's own observations of case 04, as one trainee would record them all.
_REF = services.read_case_file(services.importing.DEMO_CASES / "04-sexual-decided-positive.yaml")
GOOD = _obs(*((o.indicator, o.status) for e in _REF.inputs.values() for o in e.draft.observations
              if not (o.indicator == "coercion_destination.violence" and o.source == "Verklaring huisarts")))
WEAK = _obs(("deceptive_recruitment.nature_of_job", "present"), ("exploitation.excessive_hours", "present"),
            ("vulnerability_destination.economic_reasons", "present"))


# --- the database is marked, and the two spaces never open each other's file ------------------------------


def test_a_training_database_is_refused_as_production_and_the_other_way_round(tmp_path: Path) -> None:
    training_path, prod_path = tmp_path / "t.sqlite3", tmp_path / "p.sqlite3"
    open_store(Settings(db_path=training_path, training=True)).close()
    prod = open_store(Settings(db_path=prod_path))
    services.load_demo_users(prod)
    prod.close()
    with pytest.raises(TrainingSpaceError, match="This is a training database; the production space does not open it"):
        open_store(Settings(db_path=training_path))
    with pytest.raises(TrainingSpaceError, match="This is the production database, not a training database"):
        open_store(Settings(db_path=prod_path, training=True))


def test_an_unmarked_database_with_data_counts_as_production(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = open_store(Settings(db_path=path))
    services.load_demo_users(store)
    with store.write() as tx:
        tx.delete("space_marker", id=1)  # as a file from before the mark existed
    store.close()
    with pytest.raises(TrainingSpaceError):
        open_store(Settings(db_path=path, training=True))
    open_store(Settings(db_path=path)).close()


def test_the_training_settings_name_a_separate_file() -> None:
    s = load_settings(env={"AANNEMELIJK_SPACE": "training", "AANNEMELIJK_TRAINING_DB": "/tmp/x/t.sqlite3"})
    assert (s.training, str(s.db_path), s.demo) == (True, "/tmp/x/t.sqlite3", True)
    assert load_settings(env={}).training is False


def test_training_services_refuse_a_production_store(store: Store, rubric: Rubric) -> None:
    services.load_demo_users(store)
    trainer = services.user_by_name(store, "trainer")
    with pytest.raises(TrainingSpaceError) as info:
        tr.open_session(store, trainer, "x", [CASE], ["trainee1"], rubric)
    assert info.value.text("nl") == ("Training is alleen mogelijk in de trainingsomgeving (een aparte "
                                     "trainingsdatabase).")  # one language, not "NL / EN"
    with pytest.raises(TrainingSpaceError):
        tr.list_sessions(store, trainer)
    with pytest.raises(TrainingSpaceError):
        tr.load_training_space(store)


# --- sessions, blind input, feedback, group, reset --------------------------------------------------------


def test_the_training_journey_through_the_services(space: Store, rubric: Rubric) -> None:
    trainer = services.user_by_name(space, "trainer")
    t1, t2 = services.user_by_name(space, "trainee1"), services.user_by_name(space, "trainee2")
    sid = tr.open_session(space, trainer, "Groep A", [CASE, "deception-no-coercion"], ["trainee1", "trainee2"], rubric)
    session = tr.get_session(space, t1, sid)
    assert ([c.case_file for c in session.cases], session.trainees) == (
        [CASE, "deception-no-coercion"], ["trainee1", "trainee2"])
    ref = session.cases[0].ref
    # Blind: the imported case holds the file but not the panel's input.
    case = services.get_case(space, t1, ref)
    assert (case.space, case.status, services.get_inputs(space, t1, ref)) == ("training", "assessment", [])
    assert case.hearing is not None and "paspoort" in case.hearing.summary
    with pytest.raises(LifecycleError, match="Feedback comes after submitting"):
        tr.trainee_feedback(space, t1, sid, ref, rubric)
    for user, draft in ((t1, GOOD), (t2, WEAK)):
        v = tr.save_trainee_input(space, user, sid, ref, draft, None, rubric=rubric)
        tr.submit_trainee_input(space, user, sid, ref, v)
    good = tr.trainee_feedback(space, t1, sid, ref, rubric)
    assert (good.missed, good.added, good.elements, good.outcome_match, good.view_match) == ((), (), {}, True, True)
    assert good.kappa == 1.0
    weak = tr.trainee_feedback(space, t2, sid, ref, rubric)
    present = [o.indicator for e in _REF.inputs.values() for o in e.draft.observations if o.status == "present"]
    # The care coordinator's intake interview is no document of the trainee's file (case 04 holds the police
    # report, the dismissal letter and the GP statement): the four indicators only it showed are not missed.
    interview = ("exploitation.living_conditions", "exploitation.low_salary",
                 "vulnerability_destination.dependency_exploiters", "vulnerability_destination.unknown_area")
    assert weak.unseen == tuple(i for i in rubric.profile("adult_sexual").indicators
                                if i in (*interview, "exploitation.excessive_hours"))
    assert [m.indicator for m in weak.missed] == [i for i in rubric.profile("adult_sexual").indicators
                                                  if i in present and i not in (
                                                      "deceptive_recruitment.nature_of_job",
                                                      "exploitation.excessive_hours", *interview)]
    violence = next(m for m in weak.missed if m.indicator == "coercion_destination.violence")
    assert (violence.sources, violence.notes) == (("PV aangifte", "Verklaring huisarts"),
                                                  ("Geslagen bij weigeren van klanten.", "Littekens passend bij het relaas."))
    assert [(a.indicator, a.reference_status) for a in weak.added] == [
        ("vulnerability_destination.economic_reasons", "unknown")]
    assert (weak.trainee_outcome, weak.reference_outcome, weak.outcome_match, weak.view_match) == (
        "undetermined", "plausible", False, True)
    assert weak.elements == {"deceptive_recruitment": ("undetermined", "positive"),
                             "exploitation": ("undetermined", "positive"),
                             "coercion_destination": ("undetermined", "positive")}
    assert 0 < weak.kappa < 1
    # A trainee never sees another trainee's feedback; the trainer names whose.
    with pytest.raises(AccessDeniedError):
        tr.group_feedback(space, t1, sid, rubric)
    assert tr.trainee_feedback(space, trainer, sid, ref, rubric, trainee="trainee2") == weak
    group = tr.group_feedback(space, trainer, sid, rubric)
    view = group[ref]
    assert (view.trainees, view.outcome_matches, view.kappa_with_reference["trainee1"]) == (2, 1, 1.0)
    assert view.most_missed[0] == ("deceptive_recruitment.travel", 1)
    assert view.fleiss_kappa is not None and view.mean_kappa == round((1.0 + weak.kappa) / 2, 3)
    assert group[session.cases[1].ref].trainees == 0
    assert tr.group_export_csv(space, trainer, sid, rubric).startswith("# TRAINING")
    # Reset in one step: inputs gone, trainees start again, audited.
    assert tr.reset_session(space, trainer, sid) == 2
    assert tr.get_trainee_input(space, t1, sid, ref).version is None
    assert tr.group_feedback(space, trainer, sid, rubric)[ref].trainees == 0
    assert services.verify_audit(space, services.user_by_name(space, "admin")) > 0


def test_a_trainee_outside_the_session_sees_nothing_of_it(space: Store, rubric: Rubric) -> None:
    trainer = services.user_by_name(space, "trainer")
    sid = tr.open_session(space, trainer, "Groep B", [CASE], ["trainee1"], rubric)
    outsider = services.user_by_name(space, "trainee3")
    assert tr.list_sessions(space, outsider) == []
    ref = tr.get_session(space, trainer, sid).cases[0].ref
    with pytest.raises(NotFoundError):
        tr.save_trainee_input(space, outsider, sid, ref, GOOD, None)
    with pytest.raises(AccessDeniedError):
        tr.save_trainee_input(space, trainer, sid, ref, GOOD, None)


def test_a_letter_of_the_training_space_carries_the_watermark(tmp_path: Path, rubric: Rubric, demo_db_file: Path) -> None:
    # A decided case needs members' input, which the training space does not take from members; so the
    # letter is built from a decided demo case, then its store is reopened as a training store would be.
    demo = open_store(Settings(db_path=copy_database(demo_db_file, tmp_path / "d.sqlite3"), demo=True,
                               quorum_min_disciplines=1))
    sec = services.user_by_name(demo, "secretary")
    decided = min(c.ref for c in services.list_cases(demo, sec, status="decided"))
    real = build_letter_context(demo, sec, decided, "nl", letter_date=dt.date(2026, 6, 1))
    demo.settings = demo.settings.model_copy(update={"training": True})
    marked = build_letter_context(demo, sec, decided, "nl", letter_date=dt.date(2026, 6, 1))
    demo.close()
    assert (real.training, marked.training) == (False, True)
    assert "TRAINING" not in render_markup(real)
    text = render_markup(marked)
    assert "OEFENBRIEF – GEEN ECHT ADVIES" in text and "[TRAINING]" in text and "NOT A REAL ADVICE" not in text


# --- the pure feedback functions --------------------------------------------------------------------------


def test_kappa_is_one_for_full_agreement_and_undefined_when_all_one_category() -> None:
    assert cohen(["present", "absent", "unknown"], ["present", "absent", "unknown"]) == 1.0
    # Every rating in one category: chance agrees completely, kappa is 0/0 (assessment.kappa: None).
    assert cohen(["unknown"] * 4, ["unknown"] * 4) is None
    assert cohen(["present", "unknown"], ["unknown", "present"]) < 0
    assert fleiss([["present", "absent"]]) is None
    assert fleiss([["present", "absent", "unknown"]] * 3) == 1.0


def test_feedback_names_the_reference_sources_of_a_missed_indicator(rubric: Rubric) -> None:
    reference = Reference(case_file="x", profile="adult_labour", outcome="niet_aannemelijk", observations=[
        ReferenceObservation(discipline="labour", indicator="exploitation.low_salary", status="present",
                             source="Rapport", note="Onder minimumloon")])
    fb = feedback(rubric, reference, InputDraft(overall_view="negative"))
    assert [(m.indicator, m.reference_status, m.trainee_status, m.sources, m.notes) for m in fb.missed] == [
        ("exploitation.low_salary", "present", "unknown", ("Rapport",), ("Onder minimumloon",))]
    assert (fb.view_match, fb.outcome_match) == (True, True)


def test_feedback_compares_with_the_reference_panels_findings_not_the_instruments_status(legal_rubric: Rubric) -> None:
    """Worked by hand from pilot_data/rubrics/legal-273f.yaml, profile adult_labour: 'Misleid over de aard van
    het werk' is a strong deception indicator, so one present gives the instrument conduct positive, means
    positive (deception alone is a means) and purpose undetermined (no exploitation indicator). The reference
    panel found the means not plausible (it did not believe the deception) and named no other finding. A
    trainee who records the same indicator has the instrument's statuses, so the only part that differs is the
    means: positive for the trainee, negative for the panel. Compared with the instrument's status (as before)
    nothing would differ."""
    observations = [ReferenceObservation(discipline="police", indicator="deceptive_recruitment.nature_of_job",
                                         status="present", source="PV")]
    bare = Reference(case_file="x", profile="adult_labour", outcome="niet_aannemelijk", observations=observations)
    findings = tr.reference_findings(legal_rubric, bare, {"means": "negative"})
    assert findings == {"conduct": "positive", "means": "negative", "purpose": "undetermined"}
    reference = bare.model_copy(update={"findings": findings})
    trainee = InputDraft(observations=[ObservationInput(indicator="deceptive_recruitment.nature_of_job", status="present")],
                         overall_view="negative")
    assert feedback(legal_rubric, reference, trainee).elements == {"means": ("positive", "negative")}
    # A reference without a decision has no findings: the instrument's status stands in.
    assert feedback(legal_rubric, bare, trainee).elements == {}


def test_a_session_reference_records_the_curated_panels_findings(space: Store, legal_rubric: Rubric) -> None:
    """Case 08 (too little information): the panel found every element 'onvoldoende informatie'
    (pilot_data/cases/08-too-little-information.yaml, decision.findings); the session's reference keeps
    exactly those, so a trainee is compared with them."""
    trainer = services.user_by_name(space, "trainer")
    sid = tr.open_session(space, trainer, "Groep B", ["too-little-information"], ["trainee1"], legal_rubric)
    ref = tr.get_session(space, trainer, sid).cases[0].ref
    t1 = services.user_by_name(space, "trainee1")
    v = tr.save_trainee_input(space, t1, sid, ref, InputDraft(observations=[ObservationInput(
        indicator="deceptive_recruitment.nature_of_job", status="present")], overall_view="negative"), None,
        rubric=legal_rubric)
    tr.submit_trainee_input(space, t1, sid, ref, v)
    fb = tr.trainee_feedback(space, t1, sid, ref, legal_rubric)
    # The trainee's one strong deception indicator: conduct and means positive, purpose undetermined.
    assert fb.elements == {"conduct": ("positive", "undetermined"), "means": ("positive", "undetermined")}


def test_training_cases_get_their_own_reference_and_old_ones_keep_theirs(space: Store, rubric: Rubric,
                                                                        tmp_path: Path) -> None:
    """Issue #15, item 6: a training case's reference reads TRN-<year>-<nnnn>, so it never passes for a real
    AAN- reference. Both curated cases were received in 2026 and are the first training cases of the file, so
    they are TRN-2026-0001 and -0002. A training case from before the prefix keeps its AAN- reference, still
    opens, and does not take a number of the TRN series (which counts only TRN references)."""
    trainer = services.user_by_name(space, "trainer")
    old = services.create_case(space, trainer, _REF.intake, space="training")
    assert old == "TRN-2026-0001"
    with space.write() as tx:  # as a database from before the TRN prefix holds it
        tx.conn.execute("UPDATE cases SET ref = 'AAN-2026-0005' WHERE ref = ?", [old])
    assert services.get_case(space, trainer, "AAN-2026-0005").space == "training"
    sid = tr.open_session(space, trainer, "Groep C", [CASE, "deception-no-coercion"], ["trainee1"], rubric)
    assert [c.ref for c in tr.get_session(space, trainer, sid).cases] == ["TRN-2026-0001", "TRN-2026-0002"]
    assert services.get_case(space, trainer, "TRN-2026-0002").space == "training"
    # The Cases screen's search field shows a reference of its own space as the example, never AAN- here.
    year = dt.datetime.now(dt.UTC).year
    assert services.reference_example(space) == f"TRN-{year}-0001"
    real = open_store(Settings(db_path=tmp_path / "real.sqlite3"))
    assert services.reference_example(real) == f"AAN-{year}-0001"
    real.close()


def test_an_indicator_the_trainees_file_did_not_show_is_not_counted_against_them(rubric: Rubric) -> None:
    """Hand-worked: the reference rated three labour indicators present. Low salary rests on the labour
    inspectorate's report, which the trainee's file holds; excessive hours only on the care coordinator's
    intake interview, which it does not; living conditions on both. A trainee who rated none of them missed
    low salary and living conditions, not excessive hours. Kappa leaves excessive hours out: over the
    profile's other indicators the trainee said unknown everywhere, the reference present on two, so the
    trainee agrees on all but two, which is what chance gives when one rater uses a single category: 0."""
    titles = ["Rapport Arbeidsinspectie (fictief)", "PV aangifte (fictief)"]
    assert shown_in_file("Rapport Arbeidsinspectie", titles) and shown_in_file("Aanvraagformulier", [])
    assert shown_in_file("PV aangifte", ["Kort PV aangifte (fictief)"])
    assert not shown_in_file("Intakegesprek zorgcoördinator", titles)

    def seen(indicator: str, source: str) -> ReferenceObservation:
        return ReferenceObservation(discipline="x", indicator=indicator, status="present", source=source,
                                    in_file=shown_in_file(source, titles))

    reference = Reference(case_file="x", profile="adult_labour", outcome="aannemelijk", observations=[
        seen("exploitation.low_salary", "Rapport Arbeidsinspectie"),
        seen("exploitation.excessive_hours", "Intakegesprek zorgcoördinator"),
        seen("exploitation.living_conditions", "Intakegesprek zorgcoördinator"),
        seen("exploitation.living_conditions", "Rapport Arbeidsinspectie")])
    fb = feedback(rubric, reference, InputDraft(overall_view="positive"))
    assert fb.unseen == ("exploitation.excessive_hours",)
    assert sorted(m.indicator for m in fb.missed) == ["exploitation.living_conditions", "exploitation.low_salary"]
    assert fb.kappa == 0.0
    # Stored before the file was taken into account (no `in_file`): everything counts, as it did.
    old = Reference.model_validate_json(reference.model_dump_json(exclude={"observations": {"__all__": {"in_file"}}}))
    assert len(feedback(rubric, old, InputDraft(overall_view="positive")).missed) == 3


def test_the_trainers_kappas_are_written_as_the_reader_writes_numbers() -> None:
    # The group table and the per-trainee line: a Dutch trainer reads a decimal comma, an undefined kappa the
    # one no-value mark (an em dash), never "None" or a decimal point.
    assert [services.statistic(k, "nl") for k in (0.453, -0.1, 1.0, None)] == ["0,45", "-0,10", "1,00", "—"]
    assert services.statistic(0.453, "en") == "0.45"
