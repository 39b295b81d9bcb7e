"""The synthetic generator: reproducible from the seed, shaped like its profile, obviously invented, and
loaded through the services with a valid audit chain."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from assessment import services
from assessment.cli import main
from assessment.config import Settings
from assessment.rubric import Rubric
from assessment.store import open_store
from assessment.synthetic import generate


def test_the_same_seed_gives_the_same_cases_and_another_seed_others(rubric: Rubric) -> None:
    a = generate(40, "pilot", 7, rubric=rubric)
    assert a == generate(40, "pilot", 7, rubric=rubric)
    assert a != generate(40, "pilot", 8, rubric=rubric)
    assert a != generate(40, "national", 7, rubric=rubric)


def test_every_person_is_obviously_invented(rubric: Rubric) -> None:
    cases = generate(30, "national", 1, rubric=rubric)
    assert [c.intake.applicant.name for c in cases] == [f"Synthetisch {i:05d}" for i in range(1, 31)]


@pytest.mark.parametrize(("profile", "sexual", "labour", "female"), [("pilot", 0.70, 0.15, 0.85),
                                                                      ("national", 0.45, 0.40, 0.72)])
def test_the_profiles_have_their_shares(rubric: Rubric, profile: str, sexual: float, labour: float,
                                        female: float) -> None:
    cases = generate(1000, profile, 2018, rubric=rubric)  # type: ignore[arg-type]
    forms = collections.Counter(c.intake.form for c in cases)
    plans = collections.Counter(c.plan for c in cases)
    women = sum(c.intake.gender == "female" for c in cases) / len(cases)
    issued = plans["aannemelijk"] + plans["niet_aannemelijk"]
    shares = (forms["sexual"] / 1000, forms["labour"] / 1000, women, plans["inadmissible"] / 1000,
              plans["aannemelijk"] / issued)
    expected = (sexual, labour, female, 0.15, 0.75)
    assert all(abs(got - want) < 0.05 for got, want in zip(shares, expected, strict=True)), (shares, expected)


def test_each_decided_case_scores_to_what_the_panel_decides(rubric: Rubric) -> None:
    cases = generate(200, "pilot", 3, rubric=rubric)
    agree = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
    decided = [c for c in cases if c.outcome is not None]
    assert decided and all(agree[c.outcome] == c.rubric_outcome and not c.override_reason  # type: ignore[index]
                           for c in decided)
    assert any(c.intake.age_group == "child" for c in decided)


def test_generated_cases_go_through_the_services_and_keep_the_audit_chain(tmp_path: Path, rubric: Rubric) -> None:
    store = open_store(Settings(db_path=tmp_path / "syn.sqlite3", demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    generated = generate(12, "pilot", 11, rubric=rubric)
    refs = services.load_synthetic(store, chair, generated, rubric)
    statuses = [services.get_case(store, chair, ref).status for ref in refs]
    want = {"inadmissible": "inadmissible", "withdrawn": "withdrawn", "open": "assessment",
            "aannemelijk": "decided", "niet_aannemelijk": "decided"}
    assert statuses == [want[g.plan] for g in generated]
    outcomes = [(c.decision.outcome, c.decision.rubric_outcome) if c.decision else None
                for c in (services.get_case(store, chair, r) for r in refs)]
    assert outcomes == [(g.outcome, g.rubric_outcome) if g.outcome else None for g in generated]
    admin = services.user_by_name(store, "admin")
    assert services.verify_audit(store, admin) > len(refs) * 5
    store.close()


def test_the_demo_command_loads_synthetic_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AANNEMELIJK_DEMO", "1")
    db = str(tmp_path / "cli.sqlite3")
    assert main(["demo", "--db", db, "--synthetic", "4", "--profile", "national", "--seed", "5"]) == 0
    assert "4 synthetische dossiers (national, seed 5)" in capsys.readouterr().out
    assert main(["demo", "--db", db, "--synthetic", "0"]) == 2


@pytest.mark.parametrize(("profile", "sexual", "labour", "female"), [("pilot", 0.70, 0.15, 0.85),
                                                                      ("national", 0.45, 0.40, 0.72)])
def test_the_volume_facts_are_drawn_from_the_same_profiles(profile: str, sexual: float, labour: float,
                                                           female: float) -> None:
    from assessment.synthetic import facts

    cases = facts(2000, profile, 5)  # type: ignore[arg-type]
    assert cases == facts(2000, profile, 5)  # type: ignore[arg-type]
    forms = collections.Counter(c.form for c in cases)
    statuses = collections.Counter(c.status for c in cases)
    decided = [c for c in cases if c.panel_outcome is not None]
    shares = (forms["sexual"] / 2000, forms["labour"] / 2000, sum(c.gender == "female" for c in cases) / 2000,
              statuses["inadmissible"] / 2000, statuses["withdrawn"] / 2000,
              sum(c.panel_outcome == "plausible" for c in decided) / len(decided),
              sum(c.route == "report_dismissal" for c in cases) / 2000)  # fmt: skip
    # The shares of domain.md §7 (pilot) and domain-notes §6.3 (national), not read from the code.
    expected = (sexual, labour, female, 0.15, 0.03, 0.75, 0.70)
    assert all(abs(got - want) < 0.03 for got, want in zip(shares, expected, strict=True)), (shares, expected)


def test_cases_have_a_start_of_exploitation_before_the_report_and_the_age_group_of_then(rubric: Rubric) -> None:
    from assessment import age

    cases = generate(60, "pilot", 4, rubric=rubric)
    for c in cases:
        i = c.intake
        assert i.period_start is not None and i.period_start < (i.reported_on or i.received_on)
        assert age.age_group_at_start(None, i.birth_year, i.period_start) in (i.age_group, None)
    assert {c.intake.age_group for c in cases} == {"adult", "child"}


def test_volume_facts_hold_the_hearing_and_file_before_deliberation_before_decision() -> None:
    from assessment.synthetic import facts

    decided = [c for c in facts(2000, "pilot", 9) if c.deliberation is not None]
    assert decided
    for c in decided:
        assert c.decided is not None and c.deliberation <= c.decided
        assert c.hearing is None or c.hearing <= c.deliberation
        assert c.file_complete is None or c.file_complete <= c.deliberation
