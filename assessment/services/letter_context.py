"""From a decided case to a LetterContext, through the public services only, and the consistency guard.

The guard refuses a letter whose conclusion, reasons or rubric version differ from the recorded decision,
or whose positive or negative elements lack written reasons: such a letter must never be issued.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from pydantic import ValidationError as PydanticValidationError

from .. import disciplines, vocabulary
from ..access import special_categories
from ..errors import (
    AccessDeniedError,
    LetterConsistencyError,
    LifecycleError,
    NotFoundError,
    RuleError,
    ValidationError,
)
from ..i18n import LOCALES, N_, Joined, Msg, gettext, long_date, ngettext, pgettext
from ..letters.context import (
    Admissibility,
    AnnexElement,
    Applicant,
    Authorisation,
    CopyRecipient,
    CounterIndication,
    DimensionAssessment,
    Dissent,
    DocumentItem,
    Fact,
    Hearing,
    Inadmissibility,
    IndicatorUse,
    Lang,
    LetterContext,
    PanelComposition,
    Party,
    Privacy,
    Replaces,
    RubricInfo,
    Signatory,
    UserText,
)
from ..letters.deployment import Deployment, load_deployment
from ..model import CaseView, Decision, User
from ..observation import Observation
from ..queries import audit as audit_trail
from ..queries import case_parts as case_files
from ..queries import cases as case_records
from ..queries import inputs as input_rows
from ..rubric import Rubric
from ..scoring import RubricResult, score
from ..store import Store
from ..vocabulary import Term
from ._common import case_for
from .cases import get_case
from .decisions import unexplained
from .inputs import get_inputs
from .privacy import stored_text
from .rubrics import decision_rubric
from .users import user_by_name

CONCLUSIONS = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
_NUMBERS = {"nl": ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"),
            "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")}
# Nationality as an adjective (Babel names countries, not their nationals), Dutch and English; others fall
# back to the country.
_DEMONYMS: dict[str, tuple[str, str]] = {
    "NG": ("Nigeriaanse", "Nigerian"), "BG": ("Bulgaarse", "Bulgarian"), "RO": ("Roemeense", "Romanian"),
    "ER": ("Eritrese", "Eritrean"), "PL": ("Poolse", "Polish"), "UA": ("Oekraïense", "Ukrainian"),
    "HU": ("Hongaarse", "Hungarian"), "NL": ("Nederlandse", "Dutch"), "SY": ("Syrische", "Syrian"),
    "VN": ("Vietnamese", "Vietnamese"), "CN": ("Chinese", "Chinese"), "MA": ("Marokkaanse", "Moroccan"),
    "IN": ("Indiase", "Indian"), "PH": ("Filipijnse", "Filipino"), "TH": ("Thaise", "Thai"),
    "BR": ("Braziliaanse", "Brazilian"), "UG": ("Oegandese", "Ugandan"), "GH": ("Ghanese", "Ghanaian"),
    "SL": ("Sierra Leoonse", "Sierra Leonean"), "AF": ("Afghaanse", "Afghan"), "MD": ("Moldavische", "Moldovan"),
    "SK": ("Slowaakse", "Slovak"), "CZ": ("Tsjechische", "Czech"), "LT": ("Litouwse", "Lithuanian"),
    "AL": ("Albanese", "Albanian"), "ET": ("Ethiopische", "Ethiopian"), "SO": ("Somalische", "Somali"),
}
_FIRST_PERSON = {"nl": re.compile(r"\b(ik|mij|mijn|me)\b", re.IGNORECASE), "en": re.compile(r"\b(I|my|me|mine)\b")}
_INITIALS = re.compile(r"^(?:[A-Z]\.\s*)+")
_ORGANISATION = re.compile(r"^(stichting|vereniging|fairwork|advocaten|kantoor)\b|\b(b\.v\.|advocaten)$", re.IGNORECASE)
_TITLE = re.compile(r"^(mr|mw|dhr|dr|drs|ir|prof|ms|mrs)\.?\s+", re.IGNORECASE)


def _label(kind: str, key: str, lang: Lang) -> str:
    """The vocabulary's word for a recorded code (assessment.vocabulary; disciplines from their file)."""
    return vocabulary.label(kind, key, lang)


def _count(n: int, lang: Lang) -> str:
    return _NUMBERS[lang][n] if 0 <= n < len(_NUMBERS[lang]) else format_decimal(n, locale=LOCALES[lang])




def _join(items: list[str], lang: Lang) -> str:
    """'a, b en c' / 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return pgettext(lang, "list", "{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


def _nationality(code: str, lang: Lang) -> str:
    if not code:
        return ""
    if code in _DEMONYMS:
        adjective = dict(zip(("nl", "en"), _DEMONYMS[code], strict=True))[lang]
        # English needs "an" before a vowel; Dutch says both the same way ("met de ... nationaliteit").
        if adjective[:1] in "AEIOU":
            return pgettext(lang, "nationality", "an {adjective} national", adjective=adjective)
        return pgettext(lang, "nationality", "a {adjective} national", adjective=adjective)
    country = str(Locale.parse(LOCALES[lang]).territories.get(code, code))
    return pgettext(lang, "nationality", "a national of {country}", country=country)


def _language(code: str, lang: Lang) -> str:
    """The language's name as every screen shows it; nothing for a code CLDR does not name (no raw code in a
    letter)."""
    name = vocabulary.label("language", code, lang) if code else ""
    return "" if name == code else name


def _period(start: dt.date | None, end: dt.date | None, lang: Lang) -> str:
    years = [d.year for d in (start, end) if d is not None]
    if not years:
        return ""
    if len(years) == 1 or years[0] == years[-1]:
        return f"in {years[0]}"
    return pgettext(lang, "period", "from {start} to {end}", start=years[0], end=years[-1])


def _salutation(name: str, person: bool, lang: Lang) -> tuple[str, str]:
    """Salutation and closing. A person: "Geachte heer/mevrouw Jansen" (no title: "mr." belongs in an address,
    no initials, no remark in brackets), in English "Dear Mr/Ms Jansen" with "Yours sincerely"; an organisation:
    "Sir or Madam", "Yours faithfully"."""
    if not person:
        return pgettext(lang, "salutation", "Dear Sir or Madam,"), pgettext(lang, "closing", "Yours faithfully,")
    bare = _INITIALS.sub("", _TITLE.sub("", re.sub(r"\s*\(.*?\)\s*", " ", name).strip())).strip() or name
    # "Mr/Ms" is the English for "heer/mevrouw": the name is known, the form of address is not.
    return pgettext(lang, "salutation", "Dear Mr/Ms {name},", name=bare), pgettext(lang, "closing", "Yours sincerely,")


def _valid_on(consent: Any, on: dt.date) -> bool:
    return bool(consent.given_on <= on and (consent.revoked_on is None or consent.revoked_on > on))


def _expertise(ids: list[str], lang: Lang) -> list[str]:
    return [disciplines.expertise(d, lang) for d in ids]


def _display(store: Store, username: str) -> str:
    try:
        user = user_by_name(store, username)
    except NotFoundError:  # a departed member's name stays as recorded
        return username
    return user.display_name or username


def _observations(store: Store, user: User, ref: str, valid: set[str]) -> list[Observation]:
    """The submitted observations the decision consolidated. A letter leaves the system, so it never carries
    special-category text (access.special_categories): such input counts only with its authorisation valid on
    the letter's date, and is cited by source type, whoever prepares the letter."""
    special = special_categories()
    return [
        Observation(discipline=i.discipline, indicator=o.indicator, status=o.status,
                    source="" if i.discipline in special else o.source, note="" if i.discipline in special else o.note)
        for i in get_inputs(store, user, ref) if i.submitted and (i.discipline not in special or special[i.discipline] in valid)
        for o in i.draft.observations
    ]


def _cited_source(obs: Observation, lang: Lang, text_lang: Lang) -> list[UserText]:
    """How the letter cites an observation's source: the source as recorded and who supplied it;
    special-category evidence by source type only, never by note or title."""
    who = UserText(text=disciplines.cited_as(obs.discipline, lang), lang=lang)
    if obs.discipline in special_categories() or not obs.source.strip():
        return [who]
    return [UserText(text=obs.source.strip(), lang=text_lang), who]


def _tier(rubric: Rubric, tier: str | None, points: int | None, lang: Lang) -> str:
    if tier is not None:
        return _label("tier", tier, lang) if vocabulary.known("tier", tier) else rubric.tier_by_id[tier].name(lang)
    return ngettext(lang, "{n} point", "{n} points", points or 0)


def _indicator(rubric: Rubric, result: RubricResult, profile: Any, iid: str, lang: Lang,
               text_lang: Lang) -> IndicatorUse:
    ind = result.indicators[iid]
    cited = [c for e in ind.evidence if e.status == ind.status for c in _cited_source(e, lang, text_lang)]
    return IndicatorUse(
        dimension=rubric.dimension_by_id[rubric.indicator_by_id[iid].dimension].name(lang),
        name=rubric.indicator_by_id[iid].name(lang), tier=_tier(rubric, ind.tier, ind.points, lang),
        provisional=rubric.provisional(profile, iid), status=ind.status,
        sources=list({(c.text, c.lang): c for c in cited}.values()),
    )


def _annex(rubric: Rubric, result: RubricResult, profile: Any, lang: Lang, text_lang: Lang) -> list[AnnexElement]:
    """The annex per element, in the list's order: indicators with a finding by name, the unknown ones counted
    (the case file holds them all; listing 60-odd 'unknown' rows made the letter twice as long)."""
    groups: dict[str, tuple[list[IndicatorUse], list[int]]] = {}
    for iid in profile.indicators:
        rows, unknown = groups.setdefault(rubric.indicator_by_id[iid].dimension, ([], [0]))
        if result.indicators[iid].status == "unknown":
            unknown[0] += 1
        else:
            rows.append(_indicator(rubric, result, profile, iid, lang, text_lang))
    return [AnnexElement(name=rubric.dimension_by_id[dim].name(lang), rows=rows, unknown=unknown[0])
            for dim, (rows, unknown) in groups.items()]


def _strength(rubric: Rubric, result: RubricResult, present: tuple[str, ...], lang: Lang) -> str:
    counts: dict[str, int] = {}
    for iid in present:
        tier = result.indicators[iid].tier
        if tier is not None:
            counts[tier] = counts.get(tier, 0) + 1
    parts = []
    for tier in [t.id for t in rubric.tiers]:
        n = counts.get(tier, 0)
        if n:
            parts.append(ngettext(lang, "{count} {tier} indicator", "{count} {tier} indicators", n,
                                  count=_count(n, lang), tier=_label("tier_attr", tier, lang)))
    return _join(parts, lang)


def _counter(rubric: Rubric, observations: list[Observation], dim_id: str, lang: Lang,
             text_lang: Lang) -> list[CounterIndication]:
    out = []
    for o in observations:
        indicator = rubric.indicator_by_id.get(o.indicator)
        if o.status != "absent" or indicator is None or indicator.dimension != dim_id:
            continue
        medical = o.discipline in special_categories()
        out.append(CounterIndication(
            name=indicator.name(lang), discipline=disciplines.expertise(o.discipline, lang),
            source=UserText(text=_label("source", "medical", lang), lang=lang) if medical else (
                UserText(text=o.source.strip(), lang=text_lang) if o.source.strip() else None),
            reason=None if medical or not o.note.strip() else UserText(text=o.note.strip(), lang=text_lang)))
    return out


def check_consistency(context: LetterContext, decision: Decision) -> None:
    """Refuse a letter that does not say what the panel decided. Raises LetterConsistencyError."""
    problems: list[Msg] = []
    if context.conclusion != CONCLUSIONS[decision.outcome]:
        problems.append(Msg(N_("conclusion {conclusion} differs from the decision ({outcome})"),
                            {"conclusion": context.conclusion, "outcome": decision.outcome}))
    rubric = context.rubric
    if rubric is None or (rubric.rubric_id, rubric.version, rubric.content_hash) != (
            decision.rubric_id, decision.rubric_version, decision.rubric_hash):
        problems.append(Msg(N_("the instrument is not the one the decision used ({rubric} {version})"),
                            {"rubric": decision.rubric_id, "version": decision.rubric_version}))
    if context.departs_from_rubric != decision.departs_from_rubric:
        problems.append(Msg(N_("the letter and the decision disagree on departing from the rubric")))
    for dim in context.dimensions:
        if dim.status != decision.findings.get(dim.dimension_id, dim.status):
            problems.append(Msg(N_("element {element}: the letter says {letter}, the panel found {panel}"),
                                {"element": dim.name, "letter": Term("finding", dim.status),
                                 "panel": Term("finding", decision.findings[dim.dimension_id])}))
        if dim.status != "undetermined" and dim.reasons.strip() != decision.reasons.get(dim.dimension_id, "").strip():
            problems.append(Msg(N_("element {element} ({finding}) has no written reasons matching the decision"),
                                {"element": dim.name, "finding": Term("finding", dim.status)}))
    if problems:
        raise LetterConsistencyError(N_("The letter does not match the recorded decision: {problems}"),
                                     problems=Joined(tuple(problems)))


def _dissents(store: Store, decision: Decision, text_lang: Lang) -> list[Dissent]:
    """The dissents, anonymous: a text in the first person or naming its member cannot go into a letter that
    third parties read; the chair rewords it first."""
    out = []
    for d in decision.dissents:
        names = {d.username, _display(store, d.username)}
        if _FIRST_PERSON[text_lang].search(d.text) or any(n and n.lower() in d.text.lower() for n in names):
            raise LetterConsistencyError(N_(
                "A dissent must be written in the third person without the member's name ('This member does not "
                "find ... plausible, because ...'); reword it in the decision"), field="decision")
        out.append(Dissent(text=UserText(text=d.text.strip(), lang=text_lang)))
    return out


def _common(store: Store, case: CaseView, lang: Lang, on: dt.date, deployment: Deployment) -> dict[str, Any]:
    """The parts every letter on a case shares: sender, addressee, request, sources, privacy."""
    assert case.intake is not None
    intake, applicant = case.intake, case.intake.applicant
    text_lang = case.intake.text_language
    valid = {c.scope for c in case.consents if _valid_on(c, on)}
    documents = _documents(store, case, lang, text_lang, valid)
    # Health data are named only when they were used: a medical statement or medical input in the file, with
    # an authorisation valid on the letter's date.
    with store.read() as tx:
        case_row = case_records.by_ref(tx, case.ref)
        medical_input = case_row is not None and any(
            i["submitted_at"] for i in [input_rows.of_discipline(tx, case_row["id"], "medical")] if i is not None)
    medical_ok = "medical" in valid and (medical_input or any(
        d.title.text == _label("source", "medical", lang) for d in documents))
    if applicant.representative:
        addressee = Party(name=vocabulary.person_name(applicant.representative, lang), address=[
            line.strip() for line in applicant.representative_contact.split(",") if line.strip()][:6])
    else:
        addressee = Party(name=vocabulary.person_name(applicant.name or case.ref, lang), address=[
            line.strip() for line in applicant.contact.split(",") if line.strip()][:6])
    # The one word for the applicant; Dutch has a female form, English does not.
    female = intake.gender == "female"
    term = pgettext(lang, "applicant, female", "the applicant") if female else pgettext(lang, "applicant", "the applicant")
    salutation, closing = _salutation(addressee.name, not _ORGANISATION.search(addressee.name), lang)
    authorisations = [Authorisation(purpose=_label("authorisation", c.scope, lang), given_on=c.given_on,
                                    revoked_on=c.revoked_on)
                      for c in case.consents if c.scope != "inform_third_parties"]
    sources = [_label("data_source", "applicant", lang)] + [
        _label("data_source", scope, lang) for scope in ("police_file", "immigration_file", "care_file", "medical")
        if scope in valid]
    special = ([_label("special_data", "health", lang)] if medical_ok else []) + (
        [_label("special_data", "sexual", lang)] if intake.form == "sexual" else [])
    p = deployment.privacy
    privacy = Privacy(
        controller=deployment.words(p.controller, lang), controller_address=p.controller_address,
        dpo=deployment.words(p.dpo, lang), purposes=p.purposes(lang), legal_bases=p.legal_bases(lang),
        special_categories=special, special_basis=p.special_basis(lang) if special else "",
        criminal_data=True, criminal_basis=p.criminal_basis(lang),
        police_file_basis=p.police_file_basis(lang) if "police_file" in valid else "", sources=sources, medical_used=medical_ok,
        recipients=[stored_text(r.recipient, lang) for r in case.recipients if _valid_on(r, on)],
        retention=_retention(store.settings.retention_days, lang), authority=p.authority(lang))
    return dict(
        lang=lang, sender=deployment.sender_for(lang), panel_name=deployment.words(deployment.panel_name, lang),
        reference=case.ref, letter_date=on, addressee=addressee,
        copies=[CopyRecipient(name=stored_text(r.recipient, lang), consent_given_on=r.given_on,
                              consent_given_by=pgettext(lang, "consent given by a female applicant", "the applicant")
                              if r.given_by == "applicant" and female else _label("given_by", r.given_by, lang))
                for r in case.recipients if _valid_on(r, on)], salutation=salutation, closing=closing,
        applicant=Applicant(name=vocabulary.person_name(applicant.name or case.ref, lang),
                            term=term,
                            date_of_birth=applicant.date_of_birth, nationality=_nationality(intake.nationality, lang),
                            representative=vocabulary.person_name(applicant.representative, lang)),
        application_date=intake.received_on,
        exploitation_form=_label("form", intake.form, lang),
        exploitation_place=", ".join(p for p in (applicant.place_of_exploitation, intake.sector) if p),
        exploitation_period=_period(intake.period_start, intake.period_end, lang),
        legal_basis=deployment.words(deployment.legal_basis, lang),
        admissibility=Admissibility(
            route=intake.route, reported_on=intake.reported_on,
            route_end=_label("route_end_phrase", intake.route_end, lang) if intake.route_end else "",
            route_end_on=intake.route_end_on, within_term=case.within_term,
            route_end_ground=_label("route_end_ground", intake.route_end_ground, lang)
            if intake.route_end_ground else "",
            exception_ground=_label("exception_ground", intake.exception_ground, lang)
            if intake.exception_ground else "",
            exception_statement_on=intake.exception_statement_on,
            exception_reason=_user_text(applicant.exception_reason, text_lang, lang)
            if applicant.exception_reason.strip() else None,
            reasons=UserText(text=case.admissibility_reasons, lang=text_lang)
            if case.admissibility_reasons.strip() else None),
        documents=documents, authorisations=authorisations,
        facts=[Fact(on=c.on, text=UserText(text=c.fact, lang=text_lang)) for c in case.chronology],
        referrals=deployment.referrals_for(lang), privacy=privacy,
        training=store.settings.training or case.space == "training",
    )


def _documents(store: Store, case: CaseView, lang: Lang, text_lang: Lang, valid: Collection[str]) -> list[DocumentItem]:
    """The documents the panel had, the same whoever prepares the letter: a document that rests on a consent
    only while that consent is valid on the letter's date; special-category documents by category only
    ("medische verklaring"), never by title, so no reader of the letter learns more than that they exist."""
    special_consents = set(special_categories().values())
    titles = {d.id: d.title for d in case.documents}
    with store.read() as tx:
        row = case_records.by_ref(tx, case.ref)  # the caller checked access (letter.preview)
        rows = case_files.documents(tx, row["id"]) if row else []
    out = []
    for d in rows:
        scope_ = d["consent_scope"]
        if scope_ is not None and scope_ not in valid:
            continue
        special = d["source"] == "medical" or scope_ in special_consents
        if special and (scope_ or "medical") not in valid:
            continue
        title = UserText(text=_label("source", "medical", lang), lang=lang) if special else UserText(
            text=titles.get(d["id"]) or d["kind"], lang=text_lang)
        out.append(DocumentItem(title=title, source=_label("source", d["source"], lang),
                                received_on=dt.date.fromisoformat(str(d["received_on"])[:10])))
    return out


def _retention(days: int, lang: Lang) -> str:
    years, rest = divmod(days, 365)
    if years and rest <= 1:
        span = ngettext(lang, "{count} year", "{count} years", years, count=_count(years, lang))
    else:
        span = ngettext(lang, "{count} day", "{count} days", days, count=format_decimal(days, locale=LOCALES[lang]))
    return gettext(lang, "{span} after the file is closed; after that your personal data are erased", span=span)


def build_letter_context(
    store: Store, user: User, ref: str, lang: Lang, *, letter_date: dt.date | None = None,
    letter_version: int = 1, replaces: Replaces | None = None, template_version: str = "builtin",
    deployment: Deployment | None = None,
) -> LetterContext:
    """See `_build`; a value the letter cannot hold is a ValidationError naming where to mend it."""
    try:
        return _build(store, user, ref, lang, letter_date=letter_date, letter_version=letter_version,
                      replaces=replaces, template_version=template_version, deployment=deployment)
    except PydanticValidationError as exc:
        raise _cannot_build(exc) from exc


def _build(
    store: Store, user: User, ref: str, lang: Lang, *, letter_date: dt.date | None = None,
    letter_version: int = 1, replaces: Replaces | None = None, template_version: str = "builtin",
    deployment: Deployment | None = None,
) -> LetterContext:
    """The LetterContext of a decided case, read through the services (so access rules apply), checked
    against the recorded decision, with the rubric that decision used (whichever version is active now). The
    letter is the same whoever builds it: special-category evidence is
    cited by source type only, and only with an authorisation valid on the letter's date. Only who may preview
    a letter builds one."""
    with store.read() as tx:
        case_for(tx, user, ref, "letter.preview")
    case = get_case(store, user, ref)
    decision = case.decision
    if case.status == "inadmissible":
        return _inadmissible_context(store, user, ref, lang, letter_date=letter_date, deployment=deployment,
                                     letter_version=letter_version, replaces=replaces,
                                     template_version=template_version)
    if case.status != "decided" or decision is None:
        raise LifecycleError(N_("Case {ref} has no recorded decision yet (status {status})"), ref=ref,
                             status=Term("status", case.status))
    if case.intake is None:
        raise AccessDeniedError(N_("You may not see the personal data of {ref}"), ref=ref)
    rubric = decision_rubric(store, decision)
    deployment = deployment or load_deployment()
    on = letter_date or dt.date.today()
    text_lang = case.intake.text_language
    observations = _observations(store, user, ref, {c.scope for c in case.consents if _valid_on(c, on)})
    profile = rubric.profile_for(case.intake.age_group, case.intake.form)
    result = score(rubric, profile.id, observations)
    if result.outcome != decision.rubric_outcome:
        raise LetterConsistencyError(
            N_("The instrument's outcome is now {now}, at the decision it was {then}: the input or an authorisation "
               "has changed"), now=rubric.outcome_text(result.outcome), then=rubric.outcome_text(decision.rubric_outcome))
    conclusion = CONCLUSIONS[decision.outcome]
    dims = []
    # One section per part the panel gave a finding on: the legal elements (a rubric with elements, e.g. the
    # legal test), else the dimensions; the evidence is the indicators of the part's dimensions.
    for part, suggested in result.assessed.items():
        status = decision.findings.get(part, suggested)
        part_dims = result.part_dimensions(part)
        present = tuple(i for d in part_dims for i in result.dimensions[d].present)
        dims.append(DimensionAssessment.model_construct(
            dimension_id=part, name=rubric.part_name(part)(lang), status=status,
            finding=_label("finding", status, lang), strength=_strength(rubric, result, present, lang),
            relied_on=[_indicator(rubric, result, profile, i, lang, text_lang) for i in present],
            counter_indicators=[c for d in part_dims for c in _counter(rubric, observations, d, lang, text_lang)],
            provisional=any(rubric.provisional(profile, i) for i in present),
            reasons=decision.reasons.get(part, "").strip(), reasons_lang=text_lang))
    # the rule record_decision already applied; a decision recorded before it may still lack reasons
    named = {d.dimension_id: d.name for d in dims}
    missing = [named[p] for p in unexplained({d.dimension_id: d.status for d in dims}, decision.reasons)]
    if missing:
        raise LetterConsistencyError(N_("No written reasons for: {parts}"), parts=", ".join(missing), field="decision")
    chair = _display(store, decision.decided_by)
    seats = {s.username: s.discipline for s in case.panel}
    data = _common(store, case, lang, on, deployment)
    hearing = case.hearing
    languages = case.intake.languages
    overall = decision.reasons.get("overall", "").strip() or " ".join(d.reasons for d in dims if d.reasons)
    next_steps = deployment.next_steps.plausible(lang) if conclusion == "plausible" else \
        deployment.next_steps.not_plausible(lang)
    if case.intake.form == "criminal":
        next_steps.append(deployment.next_steps.criminal(lang))
    data.update(
        kind="advice",
        panel=PanelComposition(expertise=_expertise([s.discipline for s in case.panel], lang) or [
            disciplines.expertise("legal", lang)],
            no_conflict_declared=bool(case.panel) and all(s.coi_declared_on for s in case.panel),
            adopted_by=chair, adopted_on=dt.date.fromisoformat(decision.decided_at[:10])),
        hearing=Hearing(
            held_on=hearing.held_on, member_count=max(1, len(hearing.members)),
            expertise=[disciplines.expertise(seats[m], lang) if m in seats else _label("role", "chair", lang)
                       for m in hearing.members],
            interpreter=(_language(hearing.interpreter_language or (languages[0] if languages else ""), lang)
                         if hearing.interpreter else ""),
            report_sent_on=hearing.report_sent_on, corrections_received_on=hearing.corrections_received_on,
            corrected=bool(hearing.corrections.strip()),
            summary=UserText(text=hearing.summary, lang=text_lang) if hearing.summary.strip() else None,
        ) if hearing else None,
        rubric=RubricInfo(title=rubric.title(lang), rubric_id=rubric.id, version=rubric.version,
                          content_hash=rubric.content_hash, profile=profile.title(lang),
                          provisional=profile.provisional,
                          outcome=_label("conclusion", result.outcome, lang).lower()
                          if vocabulary.known("conclusion", result.outcome) else rubric.outcome_label(result.outcome, lang),
                          disclaimer=rubric.disclaimer(lang)),
        dimensions=[d.model_dump() for d in dims],
        conclusion=conclusion, conclusion_label=vocabulary.capitalised("conclusion", conclusion, lang),
        conclusion_reasons=UserText(text=overall, lang=text_lang),
        departs_from_rubric=decision.departs_from_rubric,
        departure_reasons=UserText(text=decision.override_reason, lang=text_lang)
        if decision.override_reason.strip() else None,
        dissents=_dissents(store, decision, text_lang),
        legal_status=deployment.legal_status(lang), remedies=deployment.remedies(lang), next_steps=next_steps,
        signatories=[Signatory(name=chair, role=_label("role", "chair", lang))],
        annex=_annex(rubric, result, profile, lang, text_lang),
        letter_version=letter_version, replaces=replaces, template_version=template_version,
    )
    data["unanimous"] = not data["dissents"]
    context = LetterContext.model_validate(data)
    check_consistency(context, decision)
    return context


# Where a value the letter shows is corrected, by the context field it fills: a letter that cannot be built
# names that place (the page or file with the field), so the user knows what to fix. Pages map these names to
# their own fields (ui/letter.py).
LETTER_FIELDS: dict[str, str] = {
    "copies": "recipients", "addressee": "applicant", "applicant": "applicant", "salutation": "applicant",
    "dimensions": "decision", "conclusion_reasons": "decision", "departure_reasons": "decision",
    "dissents": "decision", "signatories": "decision", "panel": "decision",
    "sender": "deployment", "panel_name": "deployment", "legal_basis": "deployment", "legal_status": "deployment",
    "remedies": "deployment", "next_steps": "deployment", "referrals": "deployment", "privacy": "deployment",
    "inadmissibility": "deployment", "replaces": "reason",
}
# Where each of those places is mended, in the user's words: the message of a letter that cannot be built ends
# with it, and a page shows it under any other letter error at such a place.
MENDED_AT: dict[str, str] = {
    "decision": N_("On the Decision page: the finding and reasons per element, the overall reasons, the dissents."),
    "applicant": N_("On the Intake & admissibility page: the applicant and the representative."),
    "recipients": N_("On the Intake & admissibility page: consent to share the advice, per named recipient."),
    "deployment": N_("In the deployment file templates/letters/letterhead.yaml, which the administrator changes."),
}
# The parts of the letter, as its reader names them (a value the letter cannot hold is named by these).
_PART_NAMES: dict[str, str] = {
    "sender": N_("the letterhead"), "panel_name": N_("the name of the panel"), "addressee": N_("the addressee"),
    "salutation": N_("the salutation"), "closing": N_("the closing"), "copies": N_("a recipient of a copy"),
    "applicant": N_("the applicant's details"), "privacy": N_("the privacy notice"),
    "panel": N_("the panel's composition"), "hearing": N_("the hearing"), "documents": N_("a document"),
    "facts": N_("the chronology"), "rubric": N_("the instrument"), "dimensions": N_("the findings per element"),
    "conclusion_reasons": N_("the overall reasons"),
    "departure_reasons": N_("the reasons for departing from the instrument"),
    "dissents": N_("a dissenting opinion"), "signatories": N_("the signatures"),
    "legal_basis": N_("the legal basis"), "legal_status": N_("the legal status of the advice"),
    "remedies": N_("the remedies"), "next_steps": N_("the next steps"), "referrals": N_("the referrals"),
    "inadmissibility": N_("the ground of inadmissibility"), "replaces": N_("the reason for the correction"),
    "admissibility": N_("the admissibility"),
}
# A field inside a part, where the part alone would leave the reader guessing.
_FIELD_NAMES: dict[str, str] = {
    "fund_name": N_("the name of the fund"), "unit": N_("the name of the unit"),
    "return_address": N_("the return address"), "postal_address": N_("the postal address"),
    "phone": N_("the telephone number"), "email": N_("the e-mail address"), "website": N_("the website"),
    "name": N_("the name"), "attention": N_("the attention line"), "address": N_("the address"),
    "representative": N_("the representative"), "controller": N_("the controller"),
    "controller_address": N_("the controller's address"), "dpo": N_("the data protection officer"),
    "purposes": N_("the purposes"), "retention": N_("the retention period"),
    "authority": N_("the supervisory authority"), "reason": N_("the reason"), "reasons": N_("the reasons"),
    "text": N_("the text"), "requirement": N_("the requirement"), "why": N_("the explanation"),
    "options": N_("the options"), "title": N_("the title"), "what": N_("the description"),
    "contact": N_("the contact"),
}
_MISSING = {"missing", "string_too_short", "too_short"}


# The context field each part of the letter fills (a part built on its own reports its own model's name).
_PART_FIELD = {"Sender": "sender", "Party": "addressee", "CopyRecipient": "copies", "Applicant": "applicant",
               "Privacy": "privacy", "PanelComposition": "panel", "Hearing": "hearing", "Replaces": "replaces",
               "Signatory": "signatories", "Inadmissibility": "inadmissibility", "RubricInfo": "rubric"}


def _user_text(value: str, written_in: Lang, lang: Lang) -> UserText:
    """A stored free text for the letter, in the language it was written in; where retention removed it, the
    placeholder in the letter's language."""
    shown = stored_text(value, lang)
    return UserText(text=shown, lang=written_in if shown == value else lang)


def _cannot_build(exc: PydanticValidationError) -> ValidationError:
    """A value the letter cannot hold, as a ValidationError naming where it is mended (a recipient on the intake,
    a text in the deployment file, the decision), never a stack trace."""
    first = exc.errors(include_url=False)[0]
    loc = [str(p) for p in first["loc"]]
    part = _PART_FIELD.get(exc.title)
    path = [part, *loc] if part else loc
    cause = (first.get("ctx") or {}).get("error")
    top = path[0] if path else cause.field if isinstance(cause, RuleError) else ""
    field = LETTER_FIELDS.get(top, "letter")
    what = _what(path)
    if isinstance(cause, RuleError):  # a rule of the letter across its parts: its own words say what is wrong
        problem = Msg(cause.message_id, cause.params)
    elif first["type"] == "string_too_long":
        problem = Msg(N_("{what} is too long (at most {max} characters)"),
                      {"what": what, "max": first["ctx"]["max_length"]})
    elif first["type"] in _MISSING:
        problem = Msg(N_("{what} is missing"), {"what": what})
    else:
        problem = Msg(N_("{what} is not valid"), {"what": what})
    if field in MENDED_AT:
        return ValidationError(N_("The letter cannot be built: {problem}. {mend}"), problem=problem,
                               mend=Msg(MENDED_AT[field]), field=field)
    return ValidationError(N_("The letter cannot be built: {problem}"), problem=problem, field=field)


def _what(path: list[str]) -> Msg:
    """The place of a letter value in its reader's words: the part, and the field in it where that says more
    ("the controller in the privacy notice"); never the context's field path."""
    part = Msg(_PART_NAMES.get(path[0], N_("a part of the letter")) if path else N_("a part of the letter"))
    leaf = next((p for p in reversed(path[1:]) if p in _FIELD_NAMES), None)
    return Msg(N_("{field} in {part}"), {"field": Msg(_FIELD_NAMES[leaf]), "part": part}) if leaf else part


def _inadmissible_context(
    store: Store, user: User, ref: str, lang: Lang, *, letter_date: dt.date | None = None,
    deployment: Deployment | None = None, letter_version: int = 1, replaces: Replaces | None = None,
    template_version: str = "builtin",
) -> LetterContext:
    """The letter on an application found inadmissible: the requirement not met, why, and what the applicant
    can do."""
    with store.read() as tx:
        case_for(tx, user, ref, "letter.preview")
    case = get_case(store, user, ref)
    if case.status != "inadmissible":
        raise LifecycleError(N_("Case {ref} was not found inadmissible (status {status})"), ref=ref,
                             status=Term("status", case.status))
    if case.intake is None:
        raise AccessDeniedError(N_("You may not see the personal data of {ref}"), ref=ref)
    deployment = deployment or load_deployment()
    on = letter_date or dt.date.today()
    intake = case.intake
    grounds = case.inadmissible_grounds or (["late"] if case.within_term is False else [])
    others = [g for g in grounds if g != "late"]
    if "late" in grounds and intake.route == "report" and intake.route_end_on is not None:
        end = _label("route_end_phrase", intake.route_end or "dismissal", lang)
        requirement = gettext(lang, "An application after a police report must be received within four weeks of the "
                              "end of the criminal case (a dismissal or an acquittal).")
        weeks = (intake.received_on - intake.route_end_on).days // 7
        why = ngettext(lang, "The criminal case ended with {end} on {ended_on}. The fund received the application on "
                       "{received_on}, {count} week later.", "The criminal case ended with {end} on {ended_on}. The "
                       "fund received the application on {received_on}, {count} weeks later.", weeks, end=end,
                       ended_on=long_date(intake.route_end_on, lang), received_on=long_date(intake.received_on, lang),
                       count=_count(weeks, lang))
        if others:
            why += " " + gettext(lang, "Also not met: {grounds}.", grounds="; ".join(
                _label("inadmissible_ground", g, lang) for g in others))
    elif others:
        requirement = gettext(lang, "An application must meet the conditions of the regulation: exploitation (partly) "
                              "in the Netherlands, and a police report that ended in a dismissal or acquittal, or a "
                              "ground for the exception to reporting.")
        why = gettext(lang, "Not met: {grounds}.", grounds="; ".join(
            _label("inadmissible_ground", g, lang) for g in others))
    else:
        requirement = gettext(lang, "An application must meet the conditions of the regulation: a police report that "
                              "ended in a dismissal or acquittal, or a ground for the exception to reporting.")
        why = gettext(lang, "The secretariat found that the application does not meet them; the reasons follow.")
    data = _common(store, case, lang, on, deployment)
    data.update(
        kind="inadmissible",
        inadmissibility=Inadmissibility(requirement=requirement, why=why, options=deployment.inadmissible_options(lang)),
        legal_status=deployment.inadmissible_status(lang), remedies=[],
        signatories=[_admissibility_signatory(store, ref, lang)],
        letter_version=letter_version, replaces=replaces, template_version=template_version,
    )
    return LetterContext.model_validate(data)


def _admissibility_signatory(store: Store, ref: str, lang: Lang) -> Signatory:
    """Who recorded the inadmissibility (from the audit trail), by display name and role (the secretary, or
    the chair when the chair recorded it)."""
    with store.read() as tx:
        event = audit_trail.latest_of_case(tx, ref, "case.admissibility")
    actor = event["actor"] if event else ""
    try:
        role = user_by_name(store, actor).role if actor else "secretary"
    except NotFoundError:  # a departed account: the role the act belongs to
        role = "secretary"
    return Signatory(name=_display(store, actor) if actor else ref,
                     role=_label("role", "chair" if role == "chair" else "secretary", lang))

