"""Synthetic cases for volume: pilot-like and national-like profiles, seeded, never real people.

Profiles (../shared/docs/domain.md §7, ../shared/research/domain-notes.md §6.3):
- `pilot`: sexual 70 % / labour 15 % / criminal 10 % / other 5 %; women 85 %; mostly Nigerian and other
  African, then Dutch, Eastern European, Vietnamese; report-and-dismissal 70 %; 15 % inadmissible,
  3 % withdrawn; 75 % of advices *aannemelijk*; about 90 % filed by lawyers.
- `national`: sexual 45 % / labour 40 % / criminal 10 % / other 5 %; women 72 %; Polish, Nigerian and Dutch
  largest; more filed by NGOs and care providers.

`generate` is pure: the same `(n, profile, seed, start)` always gives the same cases. Every person is
obviously invented ("Synthetisch 00042"). Each case carries the observations that make the rubric give the
planned result, and the panel's decision with reasons for every element the rubric decides, so the cases
go through the real services (assessment.services.importing.load_synthetic) and the audit chain stays valid.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Literal

from .model import InputDraft, Intake, ObservationInput, PanelOutcome
from .observation import Observation, Status
from .rubric import Rubric
from .scoring import score

ProfileName = Literal["pilot", "national"]
Plan = Literal["inadmissible", "withdrawn", "open", "aannemelijk", "niet_aannemelijk"]

_NATIONALITIES: dict[ProfileName, dict[str, float]] = {
    "pilot": {"NG": 35, "GH": 4, "SL": 4, "GN": 4, "ER": 3, "NL": 10, "RO": 5, "BG": 4, "PL": 3, "HU": 3,
              "VN": 7, "CN": 3, "MA": 5, "UA": 3, "AM": 2, "BR": 2, "CO": 3},
    "national": {"PL": 19, "NG": 18, "NL": 15, "RO": 8, "BG": 5, "HU": 3, "UA": 4, "VN": 5, "CN": 2, "IN": 3,
                 "PH": 2, "MA": 3, "ER": 3, "GH": 2, "BR": 2, "CO": 3, "VE": 3},
}
_FORMS: dict[ProfileName, dict[str, float]] = {
    "pilot": {"sexual": 70, "labour": 15, "criminal": 10, "other": 5},
    "national": {"sexual": 45, "labour": 40, "criminal": 10, "other": 5},
}
_GENDERS: dict[ProfileName, dict[str, float]] = {
    "pilot": {"female": 85, "male": 14, "x": 1},
    "national": {"female": 72, "male": 27, "unknown": 1},
}
_FILERS: dict[ProfileName, dict[str, float]] = {
    "pilot": {"lawyer": 90, "ngo": 5, "care_provider": 4, "self": 1},
    "national": {"lawyer": 45, "ngo": 25, "care_provider": 25, "self": 5},
}
_SECTORS = {"sexual": ["prostitution", "escort", "home-based prostitution"],
            "labour": ["agriculture", "meat processing", "hospitality", "domestic work", "construction"],
            "criminal": ["drug trafficking", "cannabis cultivation", "shoplifting"],
            "other": ["forced begging", "sham marriage"]}
_AGE_BANDS = ((15, 17, 5), (18, 22, 20), (23, 34, 45), (35, 55, 30))  # (from, to, weight %)
_PANEL_BY_FORM = {"sexual": ("police", "care", "legal", "medical"), "labour": ("police", "labour", "legal", "immigration"),
                  "criminal": ("police", "care", "legal", "immigration"), "other": ("police", "care", "legal", "immigration")}
_RECRUITMENT = ("deceptive_recruitment", "coercive_recruitment", "recruitment_vulnerability")
_DESTINATION = ("coercion_destination", "vulnerability_destination")


@dataclass(frozen=True)
class SyntheticCase:
    """One invented case and how far its procedure goes."""

    number: int
    intake: Intake
    plan: Plan
    admissibility_reasons: str
    panel: tuple[str, ...]
    inputs: dict[str, InputDraft] = field(default_factory=dict)  # discipline -> submitted input
    outcome: PanelOutcome | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    override_reason: str = ""
    rubric_outcome: str | None = None  # what the rubric gives on `inputs`


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _make_positive(rng: random.Random, rubric: Rubric, profile_id: str, dim: str,
                   present: dict[str, Status]) -> None:
    """Mark indicators of `dim` present (at random) until the dimension's rule holds."""
    ids = [i for i in rubric.profile(profile_id).indicators if i.startswith(dim + ".")]
    rng.shuffle(ids)
    for iid in ids:
        present[iid] = "present"
        obs = [Observation(discipline="x", indicator=i, status="present") for i in present]
        if score(rubric, profile_id, obs).dimensions[dim].status == "positive":
            return


def _observations(rng: random.Random, rubric: Rubric, profile_id: str, child: bool,
                  positive: bool) -> dict[str, Status]:
    """Indicator statuses that make the rubric say plausible (positive) or not plausible."""
    statuses: dict[str, Status] = {}
    _make_positive(rng, rubric, profile_id, rng.choice(_RECRUITMENT), statuses)
    indicators = rubric.profile(profile_id).indicators
    if positive:
        _make_positive(rng, rubric, profile_id, "exploitation", statuses)
        if not child:
            _make_positive(rng, rubric, profile_id, rng.choice(_DESTINATION), statuses)
        return statuses
    if child:  # a child's case fails on exploitation
        statuses.update({i: "absent" for i in indicators if i.startswith("exploitation.")})
        return statuses
    _make_positive(rng, rubric, profile_id, "exploitation", statuses)  # exploitation without the means
    statuses.update({i: "absent" for i in indicators if i.startswith(_DESTINATION)})
    return statuses


def _split(rng: random.Random, statuses: dict[str, Status], panel: tuple[str, ...]) -> dict[str, InputDraft]:
    """Share the observations out over the panel's disciplines, each with a source and a note."""
    per: dict[str, list[ObservationInput]] = {d: [] for d in panel}
    for iid, status in sorted(statuses.items()):
        d = rng.choice(panel)
        per[d].append(ObservationInput(indicator=iid, status=status,
                                       source=f"Synthetisch dossier, {d} / Synthetic file, {d}",
                                       note="Gegenereerd / Generated"))
    return {d: InputDraft(observations=obs, overall_view="positive" if any(o.status == "present" for o in obs)
                          else "undetermined", confidence="medium") for d, obs in per.items()}


def generate(n: int, profile: ProfileName = "pilot", seed: int = 2018, *, rubric: Rubric,
             start: dt.date = dt.date(2018, 1, 1), span_days: int = 300) -> list[SyntheticCase]:
    """`n` invented cases received over `span_days` from `start`, drawn from `profile`; the same arguments
    always give the same cases."""
    if profile not in _FORMS:
        raise ValueError(f"unknown profile {profile!r}: pilot or national")
    rng = random.Random(f"{profile}:{seed}")
    out = []
    for i in range(n):
        number = i + 1
        form = _pick(rng, _FORMS[profile])
        lo, hi, _ = rng.choices(_AGE_BANDS, weights=[b[2] for b in _AGE_BANDS])[0]
        age = rng.randint(lo, hi)
        received = start + dt.timedelta(days=rng.randrange(span_days))
        child = age < 18
        route = "report" if rng.random() < 0.7 else "exception"
        roll = rng.random()
        plan: Plan = ("inadmissible" if roll < 0.15 else "withdrawn" if roll < 0.18 else "open" if roll < 0.25
                      else "aannemelijk" if rng.random() < 0.75 else "niet_aannemelijk")
        term = rng.randint(5, 27) if plan != "inadmissible" or rng.random() < 0.5 else rng.randint(35, 90)
        name = f"Synthetisch {number:05d}"
        nationality = _pick(rng, _NATIONALITIES[profile])
        residence = "dutch" if nationality == "NL" else rng.choice(["b8_permit", "asylum_pending", "none", "eu_citizen"])
        intake = Intake.model_validate({
            "received_on": received, "route": route,
            "route_end": "dismissal" if route == "report" else None,
            "route_end_on": received - dt.timedelta(days=term) if route == "report" else None,
            "reported_on": received - dt.timedelta(days=term + rng.randint(60, 300)) if route == "report" else None,
            "form": form, "sector": rng.choice(_SECTORS[form]),
            "residence_status": residence, "gender": _pick(rng, _GENDERS[profile]), "nationality": nationality,
            "birth_year": received.year - age, "age_group": "child" if child else "adult",
            "languages": ["en"], "interpreter": rng.random() < 0.6, "filing_party": _pick(rng, _FILERS[profile]),
            "applicant": {"name": name, "contact": "synthetisch / synthetic",
                          "exception_reason": "Ernstige bedreiging (synthetisch) / Serious threats (synthetic)"
                          if route == "exception" else ""},
        })
        if plan == "inadmissible":
            out.append(SyntheticCase(number, intake, plan, "Buiten de termijn of geen uitbuiting in Nederland "
                                     "(synthetisch) / Out of time or no exploitation in the Netherlands (synthetic)", ()))
            continue
        panel = _PANEL_BY_FORM[form][: rng.choice((3, 4))]
        admissible = "Ontvankelijk (synthetisch) / Admissible (synthetic)"
        if plan in ("withdrawn", "open"):
            out.append(SyntheticCase(number, intake, plan, admissible, panel))
            continue
        profile_id = rubric.profile_for(intake.age_group, intake.form).id
        statuses = _observations(rng, rubric, profile_id, child, positive=plan == "aannemelijk")
        inputs = _split(rng, statuses, panel)
        result = score(rubric, profile_id, [Observation(discipline=d, indicator=o.indicator, status=o.status)
                                            for d, draft in inputs.items() for o in draft.observations])
        reasons = {d.id: f"Synthetische motivering: {d.status} / Synthetic reasons: {d.status}"
                   for d in result.dimensions.values() if d.status != "undetermined"}
        reasons["overall"] = "Synthetische motivering / Synthetic reasons"
        agrees = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}[plan] == result.outcome
        outcome: PanelOutcome = "aannemelijk" if plan == "aannemelijk" else "niet_aannemelijk"
        out.append(SyntheticCase(number, intake, plan, admissible, panel, inputs, outcome, reasons,
                                 "" if agrees else "Synthetische afwijking / Synthetic departure", result.outcome))
    return out
