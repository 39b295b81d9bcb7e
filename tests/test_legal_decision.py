"""With the legal test active, the panel's findings and the letter are per element of art. 273f Sr
(gedraging, middel, oogmerk van uitbuiting; no means for a minor), each with its own reasons and evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment import services
from assessment.errors import ValidationError
from assessment.model import User
from assessment.rubric import ILO_RUBRIC
from assessment.services import rubrics
from assessment.services.letter_context import build_letter_context
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_journeys import submit

FACTS = {"act.recruited": "present", "deceptive_recruitment.nature_of_job": "present",
         "exploitation_form.sexual": "present", "coercion_destination.violence": "absent"}
REASONS = {"conduct": "Zij is via een advertentie geworven.", "means": "Zij is misleid over de aard van het werk.",
           "purpose": "Zij moest in de prostitutie werken.", "overall": "Alle elementen aannemelijk gemaakt."}


@pytest.fixture
def legal(store: Store, users: dict[str, User]) -> None:
    kept = rubrics.upload_rubric(store, users["admin"], "legal-273f.yaml",
                                 (ILO_RUBRIC.parent / "legal-273f.yaml").read_bytes())
    rubrics.activate_rubric(store, users["admin"], kept.key)


def deliberate(store: Store, users: dict[str, User], ref: str) -> None:
    active = rubrics.active_rubric(store)
    for member in ("police", "care", "legal"):
        submit(store, users[member], ref, FACTS, active)
    chair = users["chair"]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)


def test_an_adult_decision_and_letter_per_element(legal: None, store: Store, users: dict[str, User],
                                                  make_case: CaseBuilder) -> None:
    ref = make_case()  # an adult, sexual exploitation
    deliberate(store, users, ref)
    chair = users["chair"]
    result = services.deliberation_result(store, chair, ref)
    # deception alone is a means: the instrument suggests all three elements
    assert result.assessed == {"conduct": "positive", "means": "positive", "purpose": "positive"}
    version = services.get_case(store, chair, ref).version
    with pytest.raises(ValidationError, match="missing for: Means"):
        services.record_decision(store, chair, ref, outcome="aannemelijk",
                                 reasons={k: v for k, v in REASONS.items() if k != "means"}, expected_version=version)
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=REASONS, expected_version=version)
    decision = services.get_case(store, chair, ref).decision
    assert decision is not None and decision.findings == {"conduct": "positive", "means": "positive",
                                                          "purpose": "positive"}

    ctx = build_letter_context(store, chair, ref, "nl", letter_date=dt.date(2026, 5, 1))
    assert [(d.name, d.finding, d.reasons) for d in ctx.dimensions] == [
        ("Gedraging", "aannemelijk gemaakt", REASONS["conduct"]),
        ("Middel", "aannemelijk gemaakt", REASONS["means"]),
        ("Oogmerk van uitbuiting", "aannemelijk gemaakt", REASONS["purpose"])]
    means = ctx.dimensions[1]
    assert [i.name for i in means.relied_on] == ["Misleid over de aard van het werk, de werkplek of de werkgever"]
    assert {c.name for c in means.counter_indicators} == {"Geweld tegen het slachtoffer"}
    assert [i.name for i in ctx.dimensions[0].relied_on] == [
        "Geworven", "Misleid over de aard van het werk, de werkplek of de werkgever"]


def test_a_minor_is_assessed_without_a_means(legal: None, store: Store, users: dict[str, User],
                                             make_case: CaseBuilder) -> None:
    ref = make_case(birth_year=2010, age_group="child")
    deliberate(store, users, ref)
    chair = users["chair"]
    assert services.deliberation_result(store, chair, ref).assessed == {"conduct": "positive", "purpose": "positive"}
    services.record_decision(store, chair, ref, outcome="aannemelijk",
                             reasons={k: v for k, v in REASONS.items() if k != "means"},
                             expected_version=services.get_case(store, chair, ref).version)
    ctx = build_letter_context(store, chair, ref, "nl", letter_date=dt.date(2026, 5, 1))
    assert [d.name for d in ctx.dimensions] == ["Gedraging", "Oogmerk van uitbuiting"]
