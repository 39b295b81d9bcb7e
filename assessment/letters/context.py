"""`LetterContext`: everything a letter template may show, and nothing else.

Templates see exactly the fields of this model (a test checks every variable a template uses is one of
them). Values are ready to print in the letter's language: labels are already translated, free text is
shown as the panel typed it. Dates stay dates; the templates format them with the `longdate` filter.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import RuleError
from ..i18n import N_
from ..model import LONG_MAX
from ..observation import Status

Lang = Literal["nl", "en"]
DimensionStatus = Literal["positive", "negative", "undetermined"]
IndicatorStatus = Status  # one definition: assessment.observation
Conclusion = Literal["plausible", "not_plausible"]
Route = Literal["report", "exception"]
LetterKind = Literal["advice", "inadmissible"]

Line = str  # one printed line; length limits live on the fields that use it


class Part(BaseModel):
    """Base of the context's parts: strict and immutable, so a template cannot be fed stray keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sender(Part):
    """The body that sends the letter (a fictional fund: never impersonate a real one)."""

    fund_name: str = Field(description="Name of the fund in the letterhead, e.g. 'Fonds Slachtofferhulp "
                           "Mensenhandel (fictief)'.", min_length=1, max_length=200)
    unit: str = Field(description="The unit that writes the letter: the panel's secretariat.", max_length=200)
    return_address: str = Field(description="The one-line return address printed above the address window.",
                                min_length=1, max_length=200)
    postal_address: list[Line] = Field(description="The fund's postal address, one line per item, for the side "
                                       "column.", max_length=6)
    phone: str = Field(description="The secretariat's telephone number.", max_length=40)
    email: str = Field(description="The secretariat's e-mail address.", max_length=120)
    website: str = Field(default="", description="The fund's website, if any.", max_length=120)


class Party(Part):
    """A person or body with a postal address: the addressee, a recipient of a copy."""

    name: str = Field(description="Name as it appears on the envelope, exactly as registered.",
                      min_length=1, max_length=200)
    attention: str = Field(default="", description="'For the attention of' line, if any.", max_length=200)
    address: list[Line] = Field(default_factory=list, description="Postal address, one line per item.",
                                max_length=6)


class CopyRecipient(Part):
    """A named body that receives a copy, because the applicant (or their legal representative) consented to
    sharing the advice with exactly this recipient."""

    name: str = Field(description="Name of the recipient, as the consent names it.", min_length=1, max_length=200)
    consent_given_on: dt.date = Field(description="The date that consent was given; a revoked consent is never "
                                      "a reason for a copy.")
    consent_given_by: str = Field(description="Who gave that consent, in words (the applicant, the legal "
                                  "representative).", min_length=1, max_length=200)


class Applicant(Part):
    """The person the advice is about, as far as the letter names them."""

    name: str = Field(description="The applicant's name exactly as registered (any script, any accents).",
                      min_length=1, max_length=200)
    term: str = Field(description="The one word the letter uses for the applicant throughout (aanvrager, "
                      "aanvraagster; the applicant).", min_length=1, max_length=40)
    date_of_birth: dt.date | None = Field(default=None, description="Date of birth, when known.")
    nationality: str = Field(default="", description="Nationality as a phrase in the letter's language "
                             "('met de Nigeriaanse nationaliteit', 'a Nigerian national').", max_length=120)
    representative: str = Field(default="", description="The applicant's lawyer or other representative, if "
                                "any.", max_length=200)


class UserText(Part):
    """Text a person typed (facts, reasons, dissent), shown as written; `lang` is the language it was written
    in, so a letter in another language can mark it."""

    text: str = Field(description="The text as written.", max_length=20_000)
    lang: Lang = Field(description="The language the text was written in.")


class Admissibility(Part):
    """The request: on which route it came, and whether it could be assessed."""

    route: Route = Field(description="'report': the person reported to the police and the case was dismissed or "
                         "ended in acquittal; 'exception': the person could not or would not report.")
    reported_on: dt.date | None = Field(default=None, description="Date of the police report (report route).")
    route_end: str = Field(default="", description="How the criminal case ended, in words (e.g. 'een sepot', "
                           "'vrijspraak'); report route only.", max_length=120)
    route_end_on: dt.date | None = Field(default=None, description="Date of the dismissal or acquittal.")
    within_term: bool | None = Field(default=None, description="Whether the application came within four weeks "
                                     "of that decision; None on the exception route.")
    exception_reason: UserText | None = Field(default=None, description="On the exception route: why the person "
                                              "could not or would not report, as recorded.")
    route_end_ground: str = Field(default="", description="The ground of the dismissal or acquittal in words, where "
                                  "known (e.g. 'onvoldoende bewijs').", max_length=200)
    exception_ground: str = Field(default="", description="The exception's structured ground in words ('ernstige "
                                  "bedreiging', 'een medische of psychische beperking').", max_length=200)
    exception_statement_on: dt.date | None = Field(default=None, description="The date of the statement that "
                                                   "supports a medical or psychological limitation.")
    reasons: UserText | None = Field(default=None, description="The reasons recorded with the decision on "
                                     "admissibility.")

    @model_validator(mode="after")
    def _route_details(self) -> Admissibility:
        if self.route == "exception" and (self.exception_reason is None or not self.exception_reason.text.strip()):
            raise RuleError(N_("the exception route needs the reason the person could not or would not report"),
                            field="exception_reason")
        return self


class PanelComposition(Part):
    """Who advised: the panel's expertise, their capacity, and who adopted the advice when."""

    expertise: list[str] = Field(description="The disciplines represented on the panel, in words.", min_length=1,
                                 max_length=10)
    no_conflict_declared: bool = Field(description="Whether every member declared no conflict of interest.")
    adopted_by: str = Field(description="Name of the chair who adopted the advice.", min_length=1, max_length=200)
    adopted_on: dt.date = Field(description="The date the advice was adopted (the decision's date).")


class DocumentItem(Part):
    """One document in the file. Special-category documents are named by category only."""

    title: UserText = Field(description="Title of the document as recorded, or its category for special-category "
                            "data ('medische verklaring').")
    source: str = Field(description="Who supplied it, in words (e.g. 'politie').", max_length=120)
    received_on: dt.date = Field(description="Date the panel received it.")


class Authorisation(Part):
    """One authorisation (machtiging) the applicant gave: to request a file, or to use medical data."""

    purpose: str = Field(description="What it allows, as an infinitive phrase ('het politiedossier op te "
                         "vragen').", min_length=1, max_length=200)
    given_on: dt.date = Field(description="Date of the authorisation.")
    revoked_on: dt.date | None = Field(default=None, description="Date it was revoked, if it was.")


class Hearing(Part):
    """The hearing (hoorzitting), when one was held."""

    held_on: dt.date = Field(description="Date of the hearing.")
    member_count: int = Field(ge=1, le=7, description="How many panel members held it.")
    expertise: list[str] = Field(default_factory=list, description="Their disciplines, in words.", max_length=7)
    interpreter: str = Field(default="", description="The language interpreted, in words; empty when there was "
                             "no interpreter.", max_length=120)
    report_sent_on: dt.date | None = Field(default=None, description="When the hearing report went to the applicant "
                                           "for correction.")
    corrections_received_on: dt.date | None = Field(default=None, description="When the applicant's reply (or the "
                                                    "end of the term for it) was recorded.")
    corrected: bool = Field(default=False, description="Whether the applicant corrected the report.")
    summary: UserText | None = Field(default=None, description="Short summary of the hearing, as recorded.")


class Consultation(Part):
    """A third party the panel consulted (e.g. the labour inspectorate)."""

    party: str = Field(description="Who was consulted.", min_length=1, max_length=200)
    topic: str = Field(description="On what.", max_length=2000)
    on: dt.date | None = Field(default=None, description="When, if recorded.")


class Fact(Part):
    """One entry of the chronology of facts the panel relied on."""

    on: dt.date | None = Field(default=None, description="The date of the fact, if recorded.")
    text: UserText = Field(description="The fact, as recorded.")


class IndicatorUse(Part):
    """One indicator as the letter cites it."""

    dimension: str = Field(default="", description="Name of the element (dimension) it belongs to, translated.",
                           max_length=200)
    name: str = Field(description="The indicator's name in the letter's language.", max_length=400)
    tier: str = Field(description="Its strength under the instrument, in words (sterk, matig, zwak), or its "
                      "points.", max_length=80)
    provisional: bool = Field(default=False, description="Whether its strength is provisional.")
    status: IndicatorStatus = Field(description="Consolidated status: present, absent, unknown or "
                                  "not_applicable.")
    sources: list[UserText] = Field(default_factory=list, description="The sources cited for this status: the "
                               "source as recorded and who supplied it; special-category sources by category "
                               "only ('medische verklaring').", max_length=50)


class AnnexElement(Part):
    """One element of the legal test in the annex: the indicators on which the panel recorded a finding, and how
    many it had no information on. The annex names only the first; the case file holds every indicator with
    its status, so the letter stays short without hiding anything (a count per element says what is left out)."""

    name: str = Field(description="The element's name in the letter's language.", min_length=1, max_length=200)
    rows: list[IndicatorUse] = Field(default_factory=list, description="Indicators of this element found present, "
                                     "absent or not applicable, in the instrument's order.", max_length=200)
    unknown: int = Field(default=0, ge=0, description="How many indicators of this element remained unknown "
                         "(not listed by name).")


class CounterIndication(Part):
    """An indicator a discipline rated absent while the element is assessed: evidence against it."""

    name: str = Field(description="The indicator's name in the letter's language.", max_length=400)
    discipline: str = Field(description="The discipline that rated it absent, in words.", max_length=200)
    source: UserText | None = Field(default=None, description="The source it relied on (special-category "
                                    "sources by category only).")
    reason: UserText | None = Field(default=None, description="Why it rated the indicator absent, as written; "
                                    "never for special-category data.")


class DimensionAssessment(Part):
    """The panel's assessment of one element of the legal test."""

    dimension_id: str = Field(description="The instrument's id of the element (never printed).", max_length=80)
    name: str = Field(description="The element's name in the letter's language.", min_length=1, max_length=200)
    status: DimensionStatus = Field(description="The panel's finding for this element.")
    finding: str = Field(default="", description="The finding in words (aannemelijk gemaakt, niet aannemelijk "
                         "gemaakt, onvoldoende informatie).", max_length=200)
    strength: str = Field(default="", description="The present indicators counted by strength, in words ('één "
                          "sterke en één matige indicator'), empty if none.", max_length=300)
    relied_on: list[IndicatorUse] = Field(default_factory=list, description="Indicators present, with strength "
                                          "and source.", max_length=200)
    counter_indicators: list[CounterIndication] = Field(default_factory=list, description="Indicators a "
                                                        "discipline rated absent, with its reasons.",
                                                        max_length=200)
    provisional: bool = Field(default=False, description="Whether the strength of an indicator cited here is "
                              "provisional.")
    reasons: str = Field(default="", description="The panel's written reasons for this element, including how it "
                         "weighed the counter-indications.", max_length=20_000)
    reasons_lang: Lang = Field(default="nl", description="The language the reasons were written in.")

    @model_validator(mode="after")
    def _reasons_for_findings(self) -> DimensionAssessment:
        # A finding either way must be explained; only an undetermined element may go without words.
        if self.status != "undetermined" and not self.reasons.strip():
            raise RuleError(N_("the finding on the element '{name}' has no written reasons"), name=self.name,
                            field="reasons")
        return self


class RubricInfo(Part):
    """The instrument the panel used, as the letter identifies it."""

    title: str = Field(description="The instrument's title in the letter's language.", min_length=1, max_length=300)
    rubric_id: str = Field(description="The instrument's id (kept for the record, never printed).", max_length=80)
    version: str = Field(description="The instrument's version.", max_length=80)
    content_hash: str = Field(description="SHA-256 of the instrument's content (kept for the record).",
                              max_length=80)
    profile: str = Field(description="The indicator list applied (e.g. 'Volwassenen – seksuele uitbuiting').",
                         max_length=200)
    provisional: bool = Field(default=False, description="Whether that indicator list is provisional.")
    outcome: str = Field(description="What the instrument alone gave, in words.", max_length=200)
    disclaimer: str = Field(description="The instrument's disclaimer: indicators are screening aids, their "
                            "presence or absence neither proves nor disproves trafficking.", min_length=1,
                            max_length=4000)


class Dissent(Part):
    """A dissenting opinion, stated without naming the member (the letter goes to third parties)."""

    text: UserText = Field(description="The dissent in the third person, as written ('Dit lid acht ... niet "
                           "aannemelijk, omdat ...').")


class Referral(Part):
    """An organisation the applicant can turn to."""

    name: str = Field(description="Name of the organisation.", min_length=1, max_length=200)
    what: str = Field(default="", description="What it helps with.", max_length=400)
    contact: str = Field(default="", description="How to reach it.", max_length=200)


class Privacy(Part):
    """The privacy notice, true for this case."""

    controller: str = Field(description="The controller of the personal data.", min_length=1, max_length=200)
    controller_address: str = Field(default="", description="The controller's address, one line.", max_length=300)
    dpo: str = Field(description="The data protection officer and how to reach them.", min_length=1,
                     max_length=300)
    purposes: str = Field(description="What the data are used for.", min_length=1, max_length=2000)
    legal_bases: list[str] = Field(description="The legal bases of the processing (configured).", min_length=1,
                                   max_length=10)
    special_categories: list[str] = Field(default_factory=list, description="The special categories of data "
                                          "(art. 9 AVG) this file holds, in words.", max_length=10)
    special_basis: str = Field(default="", description="The exception of art. 9(2) AVG relied on.",
                               max_length=1000)
    criminal_data: bool = Field(default=False, description="Whether the file holds criminal data (art. 10 AVG).")
    criminal_basis: str = Field(default="", description="The basis for criminal data (art. 10 AVG).",
                                max_length=1000)
    police_file_basis: str = Field(default="", description="The basis for the police file's data; empty when "
                                   "no police-file authorisation is valid on the letter's date.", max_length=1000)
    sources: list[str] = Field(description="Where the data came from (art. 14 AVG), true for this case.",
                               min_length=1, max_length=20)
    medical_used: bool = Field(default=False, description="Whether medical data were used: only with an "
                               "authorisation valid on the letter's date.")
    recipients: list[str] = Field(default_factory=list, description="Who receives the advice besides the "
                                  "addressee.", max_length=20)
    retention: str = Field(description="How long the file is kept, in words.", min_length=1, max_length=500)
    authority: str = Field(description="The supervisory authority to complain to.", min_length=1, max_length=200)


class Signatory(Part):
    """Who signs the letter."""

    name: str = Field(description="Name of the signatory.", min_length=1, max_length=200)
    role: str = Field(description="Role in the panel, translated (chair, secretary).", min_length=1,
                      max_length=200)


class Replaces(Part):
    """The earlier version a corrected letter replaces."""

    version: int = Field(ge=1, description="Number of the letter version replaced.")
    issued_on: dt.date = Field(description="Date the replaced version was issued.")
    reason: str = Field(description="Why it was corrected.", min_length=1, max_length=LONG_MAX)


class Inadmissibility(Part):
    """Why an application could not be assessed, and what the applicant can do."""

    requirement: str = Field(description="The requirement that was not met, in words.", min_length=1,
                             max_length=1000)
    why: str = Field(description="Why it was not met, with the dates that matter, in words.", min_length=1,
                     max_length=2000)
    decided_on: dt.date | None = Field(default=None, description="When the application was found inadmissible.")
    options: list[str] = Field(description="What the applicant can do now (configured).", min_length=1,
                               max_length=10)


class LetterContext(Part):
    """Everything a letter shows. Built by a service from a decided (or inadmissible) case."""

    lang: Lang = Field(description="The letter's language: 'nl' (Dutch, the authentic text) or 'en'.")
    kind: LetterKind = Field(default="advice", description="'advice': the panel's advice on a decided case; "
                             "'inadmissible': the application could not be assessed.")
    sender: Sender = Field(description="The fund that sends the letter.")
    panel_name: str = Field(description="Name of the multidisciplinary panel.", min_length=1, max_length=200)
    reference: str = Field(description="The case's pseudonymous reference, e.g. 'AAN-2026-0001'.", min_length=1,
                           max_length=40)
    letter_date: dt.date = Field(description="Date of the letter.")
    addressee: Party = Field(description="To whom the letter is sent (the applicant or the law firm).")
    salutation: str = Field(description="The salutation line, complete ('Geachte heer/mevrouw Jansen,').",
                            min_length=1, max_length=240)
    closing: str = Field(description="The closing that goes with the salutation ('Hoogachtend,', 'Yours "
                         "sincerely,').", min_length=1, max_length=80)
    copies: list[CopyRecipient] = Field(default_factory=list, description="Copies, each to a recipient the "
                                        "applicant consented to by name, not revoked.", max_length=20)
    applicant: Applicant = Field(description="The person the advice is about.")
    application_date: dt.date = Field(description="Date the application was received.")
    exploitation_form: str = Field(description="Form of exploitation in words from the vocabulary ('seksuele "
                                   "uitbuiting', 'sexual exploitation'); empty when unknown.", max_length=120)
    exploitation_place: str = Field(default="", description="Place(s) and sector of the exploitation, as "
                                    "recorded.", max_length=500)
    exploitation_period: str = Field(default="", description="Period of the exploitation, in words ('in 2025', "
                                     "'van 2024 tot en met 2025').", max_length=120)
    legal_basis: str = Field(description="The regulation under which the panel advises, as cited.", min_length=1,
                             max_length=500)
    admissibility: Admissibility = Field(description="The request: route and admissibility.")
    panel: PanelComposition | None = Field(default=None, description="The panel's composition (advice only).")
    documents: list[DocumentItem] = Field(default_factory=list, description="Documents in the file.",
                                          max_length=500)
    authorisations: list[Authorisation] = Field(default_factory=list, description="Authorisations given (and "
                                                "revoked).", max_length=50)
    hearing: Hearing | None = Field(default=None, description="The hearing, or None when none was held.")
    consultations: list[Consultation] = Field(default_factory=list, description="Third parties consulted.",
                                              max_length=50)
    facts: list[Fact] = Field(default_factory=list, description="Chronology of facts relied on.", max_length=500)
    rubric: RubricInfo | None = Field(default=None, description="The instrument used and what it gave (advice "
                                      "only).")
    dimensions: list[DimensionAssessment] = Field(default_factory=list, description="The assessment per element, "
                                                  "in the instrument's order.", max_length=100)
    conclusion: Conclusion | None = Field(default=None, description="The panel's conclusion: 'plausible' "
                                          "(aannemelijk) or 'not_plausible' (niet aannemelijk); advice only.")
    conclusion_label: str = Field(default="", description="The conclusion in words, in the letter's language.",
                                  max_length=200)
    conclusion_reasons: UserText | None = Field(default=None, description="The panel's overall reasons.")
    departs_from_rubric: bool = Field(default=False, description="Whether the panel's conclusion differs from "
                                      "the instrument's outcome.")
    departure_reasons: UserText | None = Field(default=None, description="Why the panel departed from the "
                                               "instrument (required when it did).")
    unanimous: bool = Field(default=True, description="Whether the panel decided unanimously.")
    dissents: list[Dissent] = Field(default_factory=list, description="Dissenting opinions, if not unanimous.",
                                    max_length=7)
    legal_status: list[str] = Field(description="What the advice is and is not (configured per deployment), one "
                                    "paragraph per item.", min_length=1, max_length=10)
    remedies: list[str] = Field(default_factory=list, description="What the applicant can do if they disagree, "
                                "consistent with the legal status (configured), one paragraph per item.",
                                max_length=10)
    next_steps: list[str] = Field(default_factory=list, description="What happens next for this outcome "
                                  "(configured).", max_length=20)
    referrals: list[Referral] = Field(default_factory=list, description="Organisations the applicant can turn to.",
                                      max_length=20)
    inadmissibility: Inadmissibility | None = Field(default=None, description="Why the application could not be "
                                                    "assessed (inadmissible letters only).")
    privacy: Privacy = Field(description="The privacy notice.")
    signatories: list[Signatory] = Field(description="Who signs (the chair).", min_length=1, max_length=7)
    annex: list[AnnexElement] = Field(default_factory=list, description="The annex, per element of the list "
                                      "applied: the indicators with a finding (present, absent, not applicable) "
                                      "with status and source, and the number that remained unknown (advice "
                                      "only).", max_length=100)
    letter_version: int = Field(default=1, ge=1, description="Number of this version of the letter.")
    replaces: Replaces | None = Field(default=None, description="The version this one corrects, if any.")
    template_version: str = Field(default="", description="The template version that rendered the letter (kept "
                                  "for the record).", max_length=80)
    draft: bool = Field(default=False, description="A preview that has not been adopted and signed: every page "
                        "carries a 'CONCEPT' watermark; the issued letter carries none.")
    training: bool = Field(default=False, description="A letter of the training space: every page carries a "
                           "'TRAINING' watermark, so it can never pass for a real advice.")

    @model_validator(mode="after")
    def _coherent(self) -> LetterContext:
        # Rules a reader of the letter relies on: an advice has its assessment and conclusion, a departure is
        # explained, dissent and unanimity agree, and a corrected version names an earlier one.
        if self.kind == "advice":
            if self.rubric is None or not self.dimensions or self.conclusion is None or self.panel is None:
                raise RuleError(N_("an advice letter needs the panel, the instrument, the assessment per element "
                                   "and the conclusion"), field="dimensions")
            if self.conclusion_reasons is None or not self.conclusion_reasons.text.strip():
                raise RuleError(N_("an advice letter needs the panel's overall reasons"), field="conclusion_reasons")
        elif self.inadmissibility is None:
            raise RuleError(N_("a letter on an inadmissible application must say which requirement was not met"),
                            field="inadmissibility")
        if self.departs_from_rubric and (self.departure_reasons is None or not self.departure_reasons.text.strip()):
            raise RuleError(N_("the panel departs from the rubric but gives no reasons"), field="departure_reasons")
        if self.unanimous and self.dissents:
            raise RuleError(N_("a unanimous decision cannot have dissenting opinions"), field="dissents")
        if self.replaces is not None and self.replaces.version >= self.letter_version:
            raise RuleError(N_("a corrected letter must replace an earlier version"), field="replaces")
        if self.letter_version > 1 and self.replaces is None:
            raise RuleError(N_("a letter version after the first must say which version it replaces"),
                            field="replaces")
        return self


def context_fields() -> set[str]:
    """The names a letter template may use at its top level."""
    return set(LetterContext.model_fields)
