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
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from . import disciplines
from .config import Settings
from .evaluation.facts import CaseFacts, DisciplineFacts
from .model import INADMISSIBLE_GROUNDS, InputDraft, Intake, ObservationInput, PanelOutcome
from .observation import Observation, Status
from .rubric import Rubric
from .scoring import score

ProfileName = Literal["pilot", "national"]
Plan = Literal["inadmissible", "withdrawn", "open", "aannemelijk", "niet_aannemelijk"]



@dataclass(frozen=True)
class Profile:
    """A named population: the shares (weights) its cases are drawn from. The one definition of each
    profile, for the demo cases that go through the services (`generate`) and for the evaluators' volume
    (`facts`, `seed`)."""

    forms: dict[str, float]
    genders: dict[str, float]  # the intake's values (x: neither female nor male)
    nationalities: dict[str, float]
    filers: dict[str, float]
    # Shares of the plan: inadmissible, withdrawn, still open; the rest is decided, `plausible` of it aannemelijk.
    inadmissible: float = 0.15
    withdrawn: float = 0.03
    open: float = 0.07
    plausible: float = 0.75
    report_route: float = 0.70  # report and dismissal; the rest is the exception


PROFILES: dict[ProfileName, Profile] = {
    # domain.md §7: 30-60 cases a year; sexual 70 %, labour 15 %, criminal 10 %, other 5 %; women 85 %;
    # mostly Nigerian and other African, then Dutch, Eastern European, Vietnamese; 70 % report route;
    # about 15 % inadmissible, 3 % withdrawn, 75 % of advices aannemelijk; most filed by lawyers.
    "pilot": Profile(
        forms={"sexual": 70, "labour": 15, "criminal": 10, "other": 5},
        genders={"female": 85, "male": 14, "x": 1},
        nationalities={"NG": 35, "GH": 4, "SL": 4, "GN": 4, "ER": 3, "NL": 10, "RO": 5, "BG": 4, "PL": 3, "HU": 3,
                       "VN": 7, "CN": 3, "MA": 5, "UA": 3, "AM": 2, "BR": 2, "CO": 3},
        filers={"lawyer": 90, "ngo": 5, "care_provider": 4, "self": 1},
    ),
    # domain-notes §6.3, a CoMensha-like national population.
    "national": Profile(
        forms={"sexual": 45, "labour": 40, "criminal": 10, "other": 5},
        genders={"female": 72, "male": 27, "unknown": 1},
        nationalities={"PL": 19, "NG": 18, "NL": 15, "RO": 8, "BG": 5, "HU": 3, "UA": 4, "VN": 5, "CN": 2, "IN": 3,
                       "PH": 2, "MA": 3, "ER": 3, "GH": 2, "BR": 2, "CO": 3, "VE": 3},
        filers={"lawyer": 45, "ngo": 25, "care_provider": 25, "self": 5},
    ),
}  # fmt: skip
_SECTORS = {"sexual": ["prostitution", "escort", "home-based prostitution"],
            "labour": ["agriculture", "meat processing", "hospitality", "domestic work", "construction"],
            "criminal": ["drug trafficking", "cannabis cultivation", "shoplifting"],
            "other": ["forced begging", "sham marriage"]}
_AGE_BANDS = ((15, 17, 5), (18, 22, 20), (23, 34, 45), (35, 55, 30))  # age at the start: (from, to, weight %)
# The applicant's term after the dismissal, from its one home (a late report-route case is inadmissible).
_APPLICATION_TERM_DAYS: int = Settings.model_fields["application_term_days"].default
# How long before the application the exploitation started: always before the report (at most 390 days
# before the application, see `generate`).
_START_BEFORE_DAYS = (400, 4 * 365)


def _exploitation_start(rng: random.Random, received: dt.date) -> dt.date:
    return received - dt.timedelta(days=rng.randint(*_START_BEFORE_DAYS))
# Which disciplines a synthetic case of each form asks first; only those the registry has, else its seats.
_PANEL_BY_FORM = {"sexual": ("police", "care", "legal", "medical"), "labour": ("police", "labour", "legal", "immigration"),
                  "criminal": ("police", "care", "legal", "immigration"), "other": ("police", "care", "legal", "immigration")}
_RECRUITMENT = ("deceptive_recruitment", "coercive_recruitment", "recruitment_vulnerability")
_DESTINATION = ("coercion_destination", "vulnerability_destination")


def _panel(form: str) -> tuple[str, ...]:
    known = disciplines.ids()
    preferred = tuple(d for d in _PANEL_BY_FORM[form] if d in known)
    return preferred if len(preferred) >= 3 else disciplines.seats()


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


def _plan(rng: random.Random, shares: Profile) -> Plan:
    """How far a case goes, drawn from the profile's shares."""
    roll = rng.random()
    edges = (shares.inadmissible, shares.inadmissible + shares.withdrawn,
             shares.inadmissible + shares.withdrawn + shares.open)  # fmt: skip
    if roll < edges[0]:
        return "inadmissible"
    if roll < edges[1]:
        return "withdrawn"
    if roll < edges[2]:
        return "open"
    return "aannemelijk" if rng.random() < shares.plausible else "niet_aannemelijk"


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
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: {' or '.join(PROFILES)}")
    shares = PROFILES[profile]
    rng = random.Random(f"{profile}:{seed}")
    # The start of the exploitation is drawn apart, so adding it left every other synthetic value as it was.
    start_rng = random.Random(f"exploitation-start:{profile}:{seed}")
    out = []
    for i in range(n):
        number = i + 1
        form = _pick(rng, shares.forms)
        lo, hi, _ = rng.choices(_AGE_BANDS, weights=[b[2] for b in _AGE_BANDS])[0]
        age = rng.randint(lo, hi)
        received = start + dt.timedelta(days=rng.randrange(span_days))
        child = age < 18
        route = "report" if rng.random() < shares.report_route else "exception"
        plan = _plan(rng, shares)
        term = rng.randint(5, 27) if plan != "inadmissible" or rng.random() < 0.5 else rng.randint(35, 90)
        name = f"Synthetisch {number:05d}"
        nationality = _pick(rng, shares.nationalities)
        residence = "dutch" if nationality == "NL" else rng.choice(["b8_permit", "asylum_pending", "none", "eu_citizen"])
        # An inadmissible plan fails a requirement (assessment.admissibility): late after the dismissal, or else
        # exploitation outside the Netherlands. No extra draw, so the other values stay as they were.
        late = route == "report" and term > _APPLICATION_TERM_DAYS
        period_start = _exploitation_start(start_rng, received)
        intake = Intake.model_validate({
            "received_on": received, "route": route,
            "exploitation_in_nl": "not_in_nl" if plan == "inadmissible" and not late else "in_nl",
            "exception_ground": "serious_threats" if route == "exception" else None,
            "route_end": "dismissal" if route == "report" else None,
            "route_end_on": received - dt.timedelta(days=term) if route == "report" else None,
            "reported_on": received - dt.timedelta(days=term + rng.randint(60, 300)) if route == "report" else None,
            "form": form, "sector": rng.choice(_SECTORS[form]), "period_start": period_start,
            "residence_status": residence, "gender": _pick(rng, shares.genders), "nationality": nationality,
            "birth_year": period_start.year - age, "age_group": "child" if child else "adult",
            "languages": ["en"], "interpreter": rng.random() < 0.6, "filing_party": _pick(rng, shares.filers),
            "applicant": {"name": name, "contact": "synthetisch / synthetic",
                          "exception_reason": "Ernstige bedreiging (synthetisch) / Serious threats (synthetic)"
                          if route == "exception" else ""},
        })
        if plan == "inadmissible":
            out.append(SyntheticCase(number, intake, plan, "Buiten de termijn of geen uitbuiting in Nederland "
                                     "(synthetisch) / Out of time or no exploitation in the Netherlands (synthetic)", ()))
            continue
        panel = _panel(form)[: rng.choice((3, 4))]
        admissible = "Ontvankelijk (synthetisch) / Admissible (synthetic)"
        if plan in ("withdrawn", "open"):
            out.append(SyntheticCase(number, intake, plan, admissible, panel))
            continue
        profile_id = rubric.profile_for(intake.age_group, intake.form).id
        statuses = _observations(rng, rubric, profile_id, child, positive=plan == "aannemelijk")
        inputs = _split(rng, statuses, panel)
        result = score(rubric, profile_id, [Observation(discipline=d, indicator=o.indicator, status=o.status)
                                            for d, draft in inputs.items() for o in draft.observations])
        # reasons per part the rubric decides: the legal elements, or a rubric's dimensions
        reasons = {part: f"Synthetische motivering: {status} / Synthetic reasons: {status}"
                   for part, status in result.assessed.items() if status != "undetermined"}
        reasons["overall"] = "Synthetische motivering / Synthetic reasons"
        agrees = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}[plan] == result.outcome
        outcome: PanelOutcome = "aannemelijk" if plan == "aannemelijk" else "niet_aannemelijk"
        out.append(SyntheticCase(number, intake, plan, admissible, panel, inputs, outcome, reasons,
                                 "" if agrees else "Synthetische afwijking / Synthetic departure", result.outcome))
    return out


# ---------------------------------------------------------------------------------------------------------
# Volume: the evaluators' facts of many cases at once (benchmarks, disclosure and export tests), drawn from
# the same profiles. Without the services' cost: ratings are drawn at random, so a recorded rubric outcome
# is drawn too (80 % as the panel decided) rather than computed.

_VIEW_DIMENSIONS = (*_RECRUITMENT, "exploitation", *_DESTINATION)
_REASONS = ("credible_account", "trauma_explains_inconsistency", "insufficient_information", "other_evidence")
_FACTS_STATUS = {"inadmissible": "inadmissible", "withdrawn": "withdrawn", "open": "in_progress",
                 "aannemelijk": "decided", "niet_aannemelijk": "decided"}  # fmt: skip


def _findings(rng: random.Random, parts: list[str]) -> dict[str, tuple[str, str]]:
    """The instrument's status and the panel's finding per part of a decided case: mostly the same, the
    panel finding otherwise about one time in seven. Drawn from its own generator, so the other facts do not
    change with it."""
    views = ("positive", "negative", "undetermined")
    out: dict[str, tuple[str, str]] = {}
    for part in parts:
        status = rng.choices(views, weights=(6, 2, 2))[0]
        out[part] = (status, status if rng.random() < 6 / 7 else rng.choice([v for v in views if v != status]))
    return out


def _inadmissible_grounds(rng: random.Random, route: str) -> tuple[str, ...]:
    """The unmet requirements of an inadmissible synthetic case: on the report route mostly a late
    application or no report that ended, on the exception route no ground or no statement; sometimes
    also exploitation outside the Netherlands (the order of `model.INADMISSIBLE_GROUNDS`)."""
    if route == "exception":
        main = _pick(rng, {"no_exception_ground": 60.0, "no_statement": 40.0})
    else:
        main = _pick(rng, {"late": 55.0, "no_report": 45.0})
    grounds = {main, *(["not_in_nl"] if rng.random() < 0.15 else [])}
    return tuple(g for g in INADMISSIBLE_GROUNDS if g in grounds)


def facts(n: int, profile: ProfileName = "pilot", seed: int = 2018, *, rubric: Rubric | None = None,
          start: dt.date = dt.date(2018, 1, 1), span_days: int = 365) -> list[CaseFacts]:
    """`n` cases as evaluators' facts, received over `span_days` from `start`, drawn from `profile`. With a
    rubric, disciplines rate that rubric's indicators of the case's profile (so the cases can be re-scored);
    without, made-up ids. The same arguments always give the same cases."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: {' or '.join(PROFILES)}")
    shares = PROFILES[profile]
    rng = random.Random(f"facts:{profile}:{seed}")
    # The use of the advice is drawn apart, so adding it left every other synthetic fact as it was.
    use_rng = random.Random(f"advice-use:{profile}:{seed}")
    procedure_rng = random.Random(f"procedure:{profile}:{seed}")  # likewise the procedure's facts
    grounds_rng = random.Random(f"inadmissible:{profile}:{seed}")  # and the grounds of inadmissibility
    indicator_ids = {p.id: list(p.indicators) for p in rubric.profiles} if rubric is not None else {}
    parts = ([e.id for e in rubric.elements] or [d.id for d in rubric.dimensions]) if rubric is not None else [
        "conduct", "means", "purpose"]
    out = []
    for i in range(n):
        form = _pick(rng, shares.forms)
        lo, hi, _ = rng.choices(_AGE_BANDS, weights=[b[2] for b in _AGE_BANDS])[0]
        age = rng.randint(lo, hi)
        received = start + dt.timedelta(days=rng.randrange(span_days))
        plan = _plan(rng, shares)
        status = _FACTS_STATUS[plan]
        admissibility = received + dt.timedelta(days=rng.randint(5, 30))
        gender = _pick(rng, shares.genders)
        case: dict[str, object] = {
            "key": f"S-{i:06d}",
            "received": received,
            "status": status,
            "form": form,
            "nationality": _pick(rng, shares.nationalities),
            "gender": "other" if gender == "x" else gender,
            "age": age,
            "route": "report_dismissal" if rng.random() < shares.report_route else "exception",
        }
        if status != "withdrawn" or rng.random() < 0.5:
            case["admissibility_decided"] = admissibility
        if status in ("in_progress", "decided"):
            if rng.random() < 0.9 or status == "decided":
                case["file_complete"] = received + dt.timedelta(days=rng.randint(20, 80))
            if rng.random() < 0.6 and status == "decided":
                case["hearing"] = received + dt.timedelta(days=rng.randint(40, 120))
        if status == "decided":
            panel = "plausible" if plan == "aannemelijk" else "not_plausible"
            decided = received + dt.timedelta(days=rng.randint(60, 150))
            reached = [d for k in ("file_complete", "hearing") if isinstance(d := case.get(k), dt.date)]
            decided = max([decided, admissibility, *reached])
            # Deliberation opens once the file is complete and after any hearing, and before the decision.
            case["deliberation"] = max(decided - dt.timedelta(days=rng.randint(0, 14)), admissibility, *reached)
            r = rng.random()
            other = "not_plausible" if panel == "plausible" else "plausible"
            rubric_outcome = panel if r < 0.8 else ("undetermined" if r < 0.9 else other)
            departs = rubric_outcome == other
            profile_id = rubric.profile_for("child" if age < 18 else "adult", form).id if rubric else None  # type: ignore[arg-type]
            case |= {
                "decided": decided,
                "panel_outcome": panel,
                "rubric_id": rubric.id if rubric else "ilo-2009",
                "rubric_version": rubric.version if rubric else "2009.1",
                "profile": profile_id,
                "rubric_outcome": rubric_outcome,
                "override_reason": departs and rng.random() < 0.9,
            }
            if case["override_reason"]:
                case["override_category"] = rng.choice(_REASONS)
            case["findings"] = _findings(random.Random(f"findings:{profile}:{seed}:{i}"), parts)
            if rng.random() < 0.8:
                case["status"] = "letter_issued"
                case["letter"] = decided + dt.timedelta(days=rng.randint(3, 20))
                case["advice_use"] = {by: _pick(use_rng, weights) for by, weights in _ADVICE_USE.items()
                                      if use_rng.random() < _ADVICE_USE_REPORTED[by]}
            case["follow_up"] = {
                "residence_permit": _pick(rng, {"granted": 50, "refused": 15, "pending": 20, "unknown": 15}),
                "care": _pick(rng, {"granted": 60, "refused": 5, "pending": 10, "unknown": 25}),
                "compensation": _pick(rng, {"granted": 20, "refused": 20, "pending": 40, "unknown": 20}),
            }
            case["disciplines"] = _ratings(rng, panel, indicator_ids.get(profile_id or "", []))
        case["filing_party"] = _pick(procedure_rng, _FILING_PARTIES)
        case["residence_status"] = _pick(procedure_rng, _RESIDENCE_STATUSES)
        if case["route"] == "exception":
            case["exception_ground"] = _pick(procedure_rng, {"serious_threats": 70.0, "medical_psychological": 30.0})
        if "hearing" in case:
            case["hearing_interpreter"] = procedure_rng.random() < 0.6
        if case["status"] == "inadmissible":
            case["inadmissible_grounds"] = _inadmissible_grounds(grounds_rng, str(case["route"]))
        out.append(CaseFacts.model_validate(case))
    return out


def _ratings(rng: random.Random, panel: str, indicator_ids: list[str]) -> list[DisciplineFacts]:
    ids = indicator_ids or [f"{d}.i{k}" for d in _VIEW_DIMENSIONS for k in range(10)]
    p_positive = 0.7 if panel == "plausible" else 0.3
    out = []
    for disc in rng.sample(disciplines.ids(), rng.randint(3, 5)):
        rated = rng.sample(ids, rng.randint(8, 15))
        out.append(DisciplineFacts(
            discipline=disc,
            indicators={iid: rng.choices(("present", "absent", "unknown"), weights=(45, 35, 20))[0] for iid in rated},
            dimensions={d: "positive" if (x := rng.random()) < p_positive else "undetermined"
                        if x < p_positive + 0.1 else "negative" for d in _VIEW_DIMENSIONS},
            overall=panel if rng.random() < 0.8 else rng.choice(("plausible", "not_plausible", "undetermined")),
        ))  # fmt: skip
    return out


# ---------------------------------------------------------------------------------------------------------
# Seeding a store with synthetic facts, so the figures can be read back the way the product reads them.

_STORE_STATUS = {"received": "intake", "in_progress": "assessment", "inadmissible": "inadmissible",
                 "withdrawn": "withdrawn", "decided": "decided", "letter_issued": "decided"}  # fmt: skip
_STORE_PANEL = {"plausible": "aannemelijk", "not_plausible": "niet_aannemelijk"}
_STORE_OVERALL = {"plausible": "positive", "not_plausible": "negative", "undetermined": "undetermined"}
# Who filed and the residence status at application (made up, after the pilot's evaluation: mostly lawyers,
# then care providers).
_FILING_PARTIES: dict[str, float] = {"lawyer": 60, "care_provider": 20, "ngo": 12, "self": 5, "other": 3}
_RESIDENCE_STATUSES: dict[str, float] = {"asylum_pending": 30, "b8_permit": 25, "none": 20, "eu_citizen": 10, "dutch": 10, "regular": 5}
# Who reports back on the issued advice, how often, and what they report (made up: the pilot's evaluation
# found the advice mostly used in the residence procedure).
_ADVICE_USE_REPORTED = {"ind": 0.7, "prosecution": 0.2, "municipality": 0.3, "care": 0.4}
_ADVICE_USE: dict[str, dict[str, float]] = {
    "ind": {"followed": 75, "not_followed": 10, "unknown": 15},
    "prosecution": {"followed": 40, "not_followed": 20, "unknown": 40},
    "municipality": {"followed": 70, "not_followed": 5, "unknown": 25},
    "care": {"followed": 80, "not_followed": 5, "unknown": 15},
}
_STORE_FOLLOW_UP = {"granted": "granted", "refused": "refused", "pending": "pending", "unknown": "not_applied"}
_CASE_COLUMNS = (
    "id", "ref", "year", "space", "status", "received_on", "route", "form", "residence_status", "gender",
    "nationality", "birth_year", "age_group", "period_start", "filing_party", "admissibility", "admissibility_on",
    "file_complete_on", "hearing_on", "deliberation_on", "decided_on", "letter_issued_on", "panel_outcome",
    "rubric_outcome", "created_by", "created_at", "updated_by", "updated_at",
)  # fmt: skip


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def store_rows(cases: list[CaseFacts], first_id: int = 1) -> dict[str, list[tuple[object, ...]]]:
    """The store rows (`cases`, `decisions`, `consents`, `inputs`, `observations`, `dimension_views`,
    `followups`, `advice_uses`, `decision_findings`) that `to_facts` reads back as these facts. Synthetic facts
    only: the rows carry no name
    or free text. Every case with medical input gets a medical consent, so that input counts."""
    at = "2018-01-01T00:00:00"
    out: dict[str, list[tuple[object, ...]]] = {k: [] for k in
                                                 ("cases", "decisions", "consents", "inputs", "observations",
                                                  "dimension_views", "followups", "advice_uses", "decision_findings",
                                                  "case_procedure", "hearings")}  # fmt: skip
    for n, c in enumerate(cases):
        cid = first_id + n
        # The facts hold the age at the start of the exploitation, not the start: a start is drawn per case
        # (its own stream, keyed by the case) and the year of birth put so that it gives that age back.
        start = _exploitation_start(random.Random(f"exploitation-start:{c.key}"), c.received)
        admissibility = None
        if c.admissibility_decided is not None:
            admissibility = "inadmissible" if c.status == "inadmissible" else "admissible"
        out["cases"].append((
            cid, c.key, c.received.year, "real", _STORE_STATUS[c.status], _iso(c.received),
            "report" if c.route == "report_dismissal" else "exception", c.form, c.residence_status or "unknown",
            "x" if c.gender == "other" else c.gender, c.nationality or "",
            None if c.age is None else start.year - c.age, c.age_group or "adult", _iso(start), c.filing_party or "lawyer",
            admissibility,
            _iso(c.admissibility_decided), _iso(c.file_complete), _iso(c.hearing), _iso(c.deliberation),
            _iso(c.decided), _iso(c.letter), _STORE_PANEL.get(c.panel_outcome or ""), c.rubric_outcome,
            "synthetic", at, "synthetic", at,
        ))  # fmt: skip
        if c.panel_outcome is not None:
            out["decisions"].append((cid, cid, _STORE_PANEL[c.panel_outcome], c.rubric_id or "", c.rubric_version or "",
                                     "", c.rubric_outcome or "", json.dumps({p: sf[0] for p, sf in c.findings.items()}),
                                     int(c.override_reason), at, "synthetic"))  # fmt: skip
            out["decision_findings"] += [(cid, p, sf[1]) for p, sf in c.findings.items()]
        if any(d.discipline == "medical" for d in c.disciplines):
            out["consents"].append((cid, "medical", _iso(c.received), "synthetic", at))
        for k, d in enumerate(c.disciplines):
            input_id = cid * 16 + k  # at most 16 inputs a case: ids stay unique across calls
            out["inputs"].append((input_id, cid, d.discipline, "synthetic", at,
                                  _STORE_OVERALL.get(d.overall or ""), "synthetic", at))  # fmt: skip
            out["observations"] += [(input_id, i, s) for i, s in d.indicators.items()]
            out["dimension_views"] += [(input_id, k, v) for k, v in d.dimensions.items()]
        out["followups"] += [(cid, kind, _STORE_FOLLOW_UP[result]) for kind, result in c.follow_up.items()]
        out["advice_uses"] += [(cid, by, followed) for by, followed in c.advice_use.items()]
        out["case_procedure"].append((cid, c.exception_ground, json.dumps(list(c.inadmissible_grounds))))
        if c.hearing is not None and c.hearing_interpreter is not None:
            out["hearings"].append((cid, _iso(c.hearing), "[]", int(c.hearing_interpreter), "synthetic", at))
    return out


STORE_ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": _CASE_COLUMNS,
    "decisions": ("id", "case_id", "outcome", "rubric_id", "rubric_version", "rubric_hash", "rubric_outcome",
                  "rubric_dimensions", "departs", "decided_at", "decided_by"),  # fmt: skip
    "consents": ("case_id", "scope", "given_on", "updated_by", "updated_at"),
    "inputs": ("id", "case_id", "discipline", "username", "submitted_at", "overall_view", "updated_by", "updated_at"),
    "observations": ("input_id", "indicator", "status"),
    "dimension_views": ("input_id", "dimension", "view"),
    "followups": ("case_id", "kind", "result"),
    "advice_uses": ("case_id", "used_by", "followed"),
    "decision_findings": ("decision_id", "dimension", "finding"),
    "case_procedure": ("case_id", "exception_ground", "inadmissible_grounds"),
    "hearings": ("case_id", "held_on", "members", "interpreter", "updated_by", "updated_at"),
}


class RowWriter(Protocol):
    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None: ...


def seed_store(tx: RowWriter, cases: list[CaseFacts], first_id: int = 1) -> None:
    """Write synthetic facts into a store (an open write transaction), case ids from `first_id`."""
    for table, rows in store_rows(cases, first_id).items():
        tx.insert_many(table, STORE_ROW_COLUMNS[table], rows)
