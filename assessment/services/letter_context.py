"""From a decided case to a LetterContext, through the public services only, and the consistency guard.

The guard refuses a letter whose conclusion, reasons or rubric version differ from the recorded decision,
or whose positive or negative elements lack written reasons: such a letter must never be issued.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale

from ..access import special_categories
from ..errors import AccessDeniedError, LetterConsistencyError, LifecycleError, NotFoundError
from ..letters.context import (
    Admissibility,
    Applicant,
    ConsentItem,
    CopyRecipient,
    DimensionAssessment,
    Dissent,
    DocumentItem,
    Fact,
    Hearing,
    IndicatorUse,
    Lang,
    LetterContext,
    Party,
    Replaces,
    RubricInfo,
    Signatory,
)
from ..letters.templates import LETTERHEAD, pick, read_yaml
from ..model import CaseView, Decision, User
from ..observation import Observation
from ..routes import met_text
from ..rubric import Rubric
from ..scoring import RubricResult, score
from ..store import Store
from ._common import case_for
from .cases import get_case
from .inputs import get_inputs
from .rubrics import decision_rubric
from .users import user_by_name

CONCLUSIONS = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "form": {"sexual": ("seksuele uitbuiting", "sexual"), "labour": ("arbeidsuitbuiting", "labour"),
             "criminal": ("criminele uitbuiting", "criminal"), "other": ("andere uitbuiting", "other")},
    "route_end": {"dismissal": ("een sepot", "a dismissal"), "acquittal": ("vrijspraak", "an acquittal")},
    "consent": {"police_file": ("opvragen politiedossier", "requesting the police file"),
                "immigration_file": ("opvragen IND-dossier", "requesting the immigration file"),
                "medical": ("opvragen medische gegevens", "requesting medical data"),
                "care_file": ("opvragen hulpverleningsdossier", "requesting the care file"),
                "inform_third_parties": ("informeren van derden", "informing third parties")},
    "source": {"applicant": ("aanvrager", "applicant"), "police": ("politie", "police"),
               "immigration": ("IND", "immigration service"), "care": ("hulpverlening", "care"),
               "medical": ("medisch", "medical"), "labour": ("arbeidsinspectie", "labour inspectorate"),
               "lawyer": ("advocaat", "lawyer"), "other": ("anders", "other")},
    "role": {"chair": ("voorzitter", "chair"), "secretary": ("secretaris", "secretary")},
    "conclusion": {"plausible": ("Aannemelijk", "Plausible"), "not_plausible": ("Niet aannemelijk", "Not plausible")},
}
# Who receives a copy when the applicant allowed third parties to be informed.
_COPY_TO = ("Immigratie- en Naturalisatiedienst", "Immigration and Naturalisation Service")


def _label(kind: str, key: str, lang: Lang) -> str:
    pair = _LABELS[kind].get(key)
    return (pair[0] if lang == "nl" else pair[1]) if pair else key


def _country(code: str, lang: Lang) -> str:
    if not code:
        return ""
    return str(Locale.parse("nl_NL" if lang == "nl" else "en_GB").territories.get(code, code))


def _display(store: Store, username: str) -> str:
    try:
        user = user_by_name(store, username)
    except NotFoundError:  # a departed member's name stays as recorded
        return username
    return user.display_name or username


def _result(store: Store, user: User, case: CaseView, rubric: Rubric) -> RubricResult:
    """The rubric result of the submitted input, as the decision saw it. A letter leaves the system, so it
    never carries special-category text (access.special_categories): the discipline is named, its sources
    are not, whoever prepares the letter."""
    assert case.intake is not None
    special = special_categories()
    observations = [
        Observation(discipline=i.discipline, indicator=o.indicator, status=o.status,
                    source="" if i.discipline in special else o.source, note="" if i.discipline in special else o.note)
        for i in get_inputs(store, user, case.ref) if i.submitted for o in i.draft.observations
    ]
    profile = rubric.profile_for(case.intake.age_group, case.intake.form)
    return score(rubric, profile.id, observations)


def _indicator(rubric: Rubric, result: RubricResult, iid: str, lang: Lang) -> IndicatorUse:
    ind = result.indicators[iid]
    tier = rubric.tier_by_id[ind.tier].name(lang) if ind.tier in rubric.tier_by_id else f"{ind.points} pt"
    return IndicatorUse(
        dimension=rubric.dimension_by_id[rubric.indicator_by_id[iid].dimension].name(lang),
        indicator_id=iid, name=rubric.indicator_by_id[iid].name(lang), tier=tier, status=ind.status,
        sources=list(dict.fromkeys(ind.sources)), disciplines=list(dict.fromkeys(ind.disciplines)),
    )


def check_consistency(context: LetterContext, decision: Decision) -> None:
    """Refuse a letter that does not say what the panel decided. Raises LetterConsistencyError."""
    problems = []
    if context.conclusion != CONCLUSIONS[decision.outcome]:
        problems.append(f"conclusion {context.conclusion} differs from the decision ({decision.outcome})")
    if (context.rubric.rubric_id, context.rubric.version, context.rubric.content_hash) != (
            decision.rubric_id, decision.rubric_version, decision.rubric_hash):
        problems.append(f"rubric {context.rubric.rubric_id} {context.rubric.version} is not the one the "
                        f"decision used ({decision.rubric_id} {decision.rubric_version})")
    if context.departs_from_rubric != decision.departs_from_rubric:
        problems.append("the letter and the decision disagree on departing from the rubric")
    for dim in context.dimensions:
        if dim.status != "undetermined" and dim.reasons.strip() != decision.reasons.get(dim.dimension_id, "").strip():
            problems.append(f"element {dim.name} ({dim.status}) has no written reasons matching the decision")
    if problems:
        raise LetterConsistencyError(
            "De brief komt niet overeen met de vastgelegde beslissing / The letter does not match the recorded "
            "decision: " + "; ".join(problems))


def build_letter_context(
    store: Store, user: User, ref: str, lang: Lang, *, letter_date: dt.date | None = None,
    letter_version: int = 1, replaces: Replaces | None = None, template_version: str = "builtin",
) -> LetterContext:
    """The LetterContext of a decided case, read through the services (so access rules apply), checked
    against the recorded decision, with the rubric that decision used (whichever version is active now). Only
    who may preview a letter builds one."""
    with store.read() as tx:
        case_for(tx, user, ref, "letter.preview")
    case = get_case(store, user, ref)
    decision = case.decision
    if case.status != "decided" or decision is None:
        raise LifecycleError(f"Dossier {ref} heeft nog geen vastgelegde beslissing (status {case.status}) / "
                             f"Case {ref} has no recorded decision yet (status {case.status})")
    if case.intake is None:
        raise AccessDeniedError(f"U mag de persoonsgegevens van {ref} niet zien / You may not see the personal "
                                f"data of {ref}")
    rubric = decision_rubric(store, decision)
    intake, applicant = case.intake, case.intake.applicant
    result = _result(store, user, case, rubric)
    if result.outcome != decision.rubric_outcome:
        raise LetterConsistencyError(
            f"De rubriekuitkomst is nu {result.outcome}, bij de beslissing was die {decision.rubric_outcome}: de "
            f"inbreng is gewijzigd / The rubric outcome is now {result.outcome}, at the decision it was "
            f"{decision.rubric_outcome}: the input has changed")
    letterhead: dict[str, Any] = pick(read_yaml(LETTERHEAD), lang)
    special_consents = set(special_categories().values())  # their documents are named by kind, not title
    profile = rubric.profile(result.profile)
    conclusion = CONCLUSIONS[decision.outcome]
    active = [c for c in case.consents if c.revoked_on is None]
    dims = [
        DimensionAssessment.model_construct(
            dimension_id=d.id, name=rubric.dimension_by_id[d.id].name(lang), status=d.status,
            rule_clause=met_text(rubric, result, d.id, lang),  # in words, and only when the rule is met
            relied_on=[_indicator(rubric, result, i, lang) for i in d.present],
            counter_indicators=[_indicator(rubric, result, i, lang) for i in d.absent],
            reasons=decision.reasons.get(d.id, ""), inconsistencies="",
        )
        for d in result.dimensions.values()
    ]
    missing = [d.name for d in dims if d.status != "undetermined" and not d.reasons.strip()]
    if missing:
        raise LetterConsistencyError(
            f"Geen schriftelijke motivering voor: {', '.join(missing)} / No written reasons for: {', '.join(missing)}")
    addressee = Party(name=applicant.representative or applicant.name or ref,
                      address=[applicant.representative_contact or applicant.contact] if (
                          applicant.representative_contact or applicant.contact) else [])
    dissents = [Dissent(member=_display(store, d.username), text=d.text) for d in decision.dissents]
    signatories = [Signatory(name=_display(store, decision.decided_by), role=_label("role", "chair", lang))]
    if user.role == "secretary":
        signatories.append(Signatory(name=user.display_name or user.username,
                                     role=_label("role", "secretary", lang)))
    data = dict(
        letterhead,
        lang=lang, reference=ref, letter_date=letter_date or dt.date.today(), addressee=addressee,
        copies=[CopyRecipient(name=_COPY_TO[0 if lang == "nl" else 1],
                              consent_scope=_label("consent", c.scope, lang), consent_given_on=c.given_on)
                for c in active if c.scope == "inform_third_parties"],
        applicant=Applicant(name=applicant.name or ref, date_of_birth=applicant.date_of_birth,
                            nationality=_country(intake.nationality, lang), representative=applicant.representative),
        application_date=intake.received_on, exploitation_form=_label("form", intake.form, lang),
        exploitation_place=", ".join(p for p in (applicant.place_of_exploitation, intake.sector) if p),
        exploitation_period=" – ".join(str(d.year) for d in (intake.period_start, intake.period_end) if d),
        admissibility=Admissibility(
            route=intake.route, reported_on=intake.reported_on,
            route_end=_label("route_end", intake.route_end, lang) if intake.route_end else "",
            route_end_on=intake.route_end_on, within_term=case.within_term,
            exception_reason=applicant.exception_reason, reasons=case.admissibility_reasons),
        documents=[DocumentItem(title=_label("consent", d.consent_scope, lang) if d.consent_scope in special_consents
                                else d.title or d.kind, source=_label("source", d.source, lang),
                                received_on=d.received_on) for d in case.documents if not d.hidden],
        consents=[ConsentItem(scope=_label("consent", c.scope, lang), given_on=c.given_on, revoked_on=c.revoked_on)
                  for c in case.consents],
        hearing=Hearing(held_on=case.hearing.held_on, members=[_display(store, m) for m in case.hearing.members],
                        interpreter=("ja" if lang == "nl" else "yes") if case.hearing.interpreter else "",
                        summary=case.hearing.summary) if case.hearing else None,
        facts=[Fact(when=c.on.isoformat(), text=c.fact) for c in case.chronology],
        rubric=RubricInfo(title=rubric.title(lang), rubric_id=rubric.id, version=rubric.version,
                          content_hash=rubric.content_hash, profile=profile.title(lang),
                          outcome=rubric.outcome_label(result.outcome, lang), disclaimer=rubric.disclaimer(lang)),
        dimensions=[d.model_dump() for d in dims],
        conclusion=conclusion, conclusion_label=_label("conclusion", conclusion, lang),
        conclusion_reasons=decision.reasons.get("overall", "").strip() or "; ".join(
            d.reasons for d in dims if d.reasons),
        departs_from_rubric=decision.departs_from_rubric, departure_reasons=decision.override_reason,
        unanimous=not dissents, dissents=dissents,
        signatories=signatories,
        annex=[_indicator(rubric, result, iid, lang) for iid in profile.indicators],
        letter_version=letter_version, replaces=replaces, template_version=template_version,
        training=store.settings.training or case.space == "training",
    )
    data["privacy"] = dict(data["privacy"], authorisations=[
        f"{_label('consent', c.scope, lang)}, {c.given_on.isoformat()}" for c in active if c.scope == "medical"])
    context = LetterContext.model_validate(data)
    check_consistency(context, decision)
    return context
