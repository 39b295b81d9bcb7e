"""`LetterContext`: everything a letter template may show, and nothing else.

Templates see exactly the fields of this model (a test checks every variable a template uses is one of
them). Values are ready to print in the letter's language: labels are already translated, free text is
shown as the panel typed it. Dates stay dates; the templates format them with the `longdate` filter.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lang = Literal["nl", "en"]
DimensionStatus = Literal["positive", "negative", "undetermined"]
IndicatorStatus = Literal["present", "absent", "unknown"]
Conclusion = Literal["plausible", "not_plausible"]
Route = Literal["report", "exception"]

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
    """A person or body with a postal address: the addressee, a representative."""

    name: str = Field(description="Name as it appears on the envelope, exactly as registered.",
                      min_length=1, max_length=200)
    attention: str = Field(default="", description="'For the attention of' line, if any.", max_length=200)
    address: list[Line] = Field(default_factory=list, description="Postal address, one line per item.",
                                max_length=6)


class CopyRecipient(Part):
    """A body that receives a copy. Only possible with the applicant's consent, so the consent is required."""

    name: str = Field(description="Name of the body that receives a copy (e.g. the immigration service).",
                      min_length=1, max_length=200)
    consent_scope: str = Field(description="The consent that allows this copy, as the applicant gave it "
                               "(translated label of the consent's scope).", min_length=1, max_length=200)
    consent_given_on: dt.date = Field(description="The date that consent was given; a revoked consent is never "
                                      "a reason for a copy.")


class Applicant(Part):
    """The person the advice is about, as far as the letter names them."""

    name: str = Field(description="The applicant's name exactly as registered (any script, any accents).",
                      min_length=1, max_length=200)
    date_of_birth: dt.date | None = Field(default=None, description="Date of birth, when known.")
    nationality: str = Field(default="", description="Nationality in words, in the letter's language.",
                             max_length=80)
    representative: str = Field(default="", description="The applicant's lawyer or other representative, if "
                                "any.", max_length=200)


class Admissibility(Part):
    """Why the application could be assessed at all."""

    route: Route = Field(description="'report': the person reported to the police and the case was dismissed or "
                         "ended in acquittal; 'exception': the person could not or would not report.")
    reported_on: dt.date | None = Field(default=None, description="Date of the police report (report route).")
    route_end: str = Field(default="", description="How the criminal case ended, in words (e.g. 'sepot', "
                           "'vrijspraak'); report route only.", max_length=120)
    route_end_on: dt.date | None = Field(default=None, description="Date of the dismissal or acquittal.")
    within_term: bool | None = Field(default=None, description="Whether the application came within four weeks "
                                     "of that decision; None on the exception route.")
    exception_reason: str = Field(default="", description="On the exception route: why the person could not or "
                                  "would not report, as recorded.", max_length=20_000)
    reasons: str = Field(default="", description="The secretary's reasons for finding the application "
                         "admissible, as recorded.", max_length=20_000)

    @model_validator(mode="after")
    def _route_details(self) -> Admissibility:
        if self.route == "exception" and not self.exception_reason.strip():
            raise ValueError("the exception route needs the reason the person could not or would not report")
        return self


class DocumentItem(Part):
    """One document in the file."""

    title: str = Field(description="Title or description of the document.", min_length=1, max_length=300)
    source: str = Field(description="Who supplied it (translated label, e.g. 'politie').", max_length=120)
    received_on: dt.date = Field(description="Date the panel received it.")


class ConsentItem(Part):
    """One consent the applicant gave (to request files from, or to inform, a third party)."""

    scope: str = Field(description="What the consent covers, translated label.", min_length=1, max_length=200)
    given_on: dt.date = Field(description="Date the consent was given.")
    revoked_on: dt.date | None = Field(default=None, description="Date it was revoked, if it was.")


class Hearing(Part):
    """The hearing (hoorzitting), when one was held."""

    held_on: dt.date = Field(description="Date of the hearing.")
    members: list[str] = Field(description="Names of the panel members who held it (usually two).", min_length=1,
                               max_length=7)
    interpreter: str = Field(default="", description="Language interpreted, empty when there was no "
                             "interpreter.", max_length=120)
    summary: str = Field(default="", description="Short summary of the hearing, as recorded.", max_length=20_000)


class Consultation(Part):
    """A third party the panel consulted (e.g. the labour inspectorate)."""

    party: str = Field(description="Who was consulted.", min_length=1, max_length=200)
    topic: str = Field(description="On what.", max_length=2000)
    on: dt.date | None = Field(default=None, description="When, if recorded.")


class Fact(Part):
    """One entry of the chronology of facts the panel relied on."""

    when: str = Field(description="Date or period in words, as recorded (e.g. '2016' or 'maart 2017').",
                      max_length=80)
    text: str = Field(description="The fact, as recorded.", min_length=1, max_length=20_000)


class IndicatorUse(Part):
    """One indicator as the letter cites it."""

    dimension: str = Field(default="", description="Name of the element (dimension) it belongs to, translated.",
                           max_length=200)
    indicator_id: str = Field(description="The rubric's stable indicator id, e.g. 'coercion_dest.confiscation'.",
                              max_length=160)
    name: str = Field(description="The indicator's name in the letter's language.", max_length=400)
    tier: str = Field(description="Its strength under the rubric (strong/medium/weak, translated), or its "
                      "points.", max_length=80)
    status: IndicatorStatus = Field(description="Consolidated status: present, absent or unknown.")
    sources: list[str] = Field(default_factory=list, description="The sources the disciplines named for this "
                               "status (documents, hearing).", max_length=50)
    disciplines: list[str] = Field(default_factory=list, description="The disciplines that recorded this status "
                                   "(translated names).", max_length=20)


class DimensionAssessment(Part):
    """The panel's assessment of one element (dimension) of the definition."""

    dimension_id: str = Field(description="The rubric's dimension id.", max_length=80)
    name: str = Field(description="The dimension's name in the letter's language.", min_length=1, max_length=200)
    status: DimensionStatus = Field(description="The panel's finding for this element.")
    rule_clause: str = Field(default="", description="The rubric combination that was met, e.g. '1 strong + "
                             "1 medium', empty if none.", max_length=200)
    relied_on: list[IndicatorUse] = Field(default_factory=list, description="Indicators present that the panel "
                                          "relied on, with strength and source.", max_length=200)
    counter_indicators: list[IndicatorUse] = Field(default_factory=list, description="Indicators found absent "
                                                   "that argue against this element.", max_length=200)
    reasons: str = Field(default="", description="The panel's written reasons for this element.",
                         max_length=20_000)
    inconsistencies: str = Field(default="", description="How inconsistencies in statements (trauma, fear, "
                                 "language) were weighed for this element; they never count against the person "
                                 "automatically.", max_length=20_000)

    @model_validator(mode="after")
    def _reasons_for_findings(self) -> DimensionAssessment:
        # A finding either way must be explained; only an undetermined element may go without words.
        if self.status != "undetermined" and not self.reasons.strip():
            raise ValueError(f"the element '{self.name}' is {self.status} but has no written reasons")
        return self


class RubricInfo(Part):
    """The rubric (instrument) the panel used, as the letter identifies it."""

    title: str = Field(description="The rubric's title in the letter's language.", min_length=1, max_length=300)
    rubric_id: str = Field(description="The rubric's id.", max_length=80)
    version: str = Field(description="The rubric's version.", max_length=80)
    content_hash: str = Field(description="SHA-256 of the rubric's content, 'sha256:<hex>'.", max_length=80)
    profile: str = Field(description="The profile applied (e.g. 'Adult, sexual exploitation'), translated.",
                         max_length=200)
    outcome: str = Field(description="What the rubric alone gave, translated (e.g. 'Aannemelijk').",
                         max_length=200)
    disclaimer: str = Field(description="The rubric's disclaimer: indicators are screening aids, their presence "
                            "or absence neither proves nor disproves trafficking.", min_length=1, max_length=4000)


class Dissent(Part):
    """A dissenting opinion of a panel member."""

    member: str = Field(description="Name of the dissenting member.", min_length=1, max_length=200)
    discipline: str = Field(default="", description="Their discipline, translated.", max_length=200)
    text: str = Field(description="The dissent, as written by the member.", min_length=1, max_length=20_000)


class Remedies(Part):
    """How to object: to whom, where and within what period."""

    weeks: int = Field(default=6, ge=1, le=52, description="Objection period in weeks from the day after the "
                       "letter was sent (six weeks under Dutch administrative law).")
    body: str = Field(description="To whom the objection is addressed.", min_length=1, max_length=200)
    address: list[Line] = Field(description="Where to send it, one line per item.", max_length=6)
    email: str = Field(default="", description="E-mail address for objections, if any.", max_length=120)


class Privacy(Part):
    """The privacy notice: which sensitive data, on what authority, for how long, and the person's rights."""

    controller: str = Field(description="The controller of the personal data.", min_length=1, max_length=200)
    authorisations: list[str] = Field(default_factory=list, description="Written authorisations the applicant "
                                      "gave for medical and other special-category data (translated labels, "
                                      "with dates).", max_length=50)
    retention: str = Field(description="How long the file is kept, in words.", min_length=1, max_length=500)
    contact: str = Field(description="Where to exercise rights (access, rectification, erasure, objection) or "
                         "reach the data protection officer.", min_length=1, max_length=300)


class Signatory(Part):
    """Who signs the letter."""

    name: str = Field(description="Name of the signatory.", min_length=1, max_length=200)
    role: str = Field(description="Role in the panel, translated (chair, secretary).", min_length=1,
                      max_length=200)


class Replaces(Part):
    """The earlier version a corrected letter replaces."""

    version: int = Field(ge=1, description="Number of the letter version replaced.")
    issued_on: dt.date = Field(description="Date the replaced version was issued.")
    reason: str = Field(description="Why it was corrected.", min_length=1, max_length=2000)


class LetterContext(Part):
    """Everything an advice letter (deskundigenbericht) shows. Built by a service from a decided case."""

    lang: Lang = Field(description="The letter's language: 'nl' (Dutch, the authentic text) or 'en'.")
    sender: Sender = Field(description="The fund that sends the letter.")
    panel_name: str = Field(description="Name of the multidisciplinary panel.", min_length=1, max_length=200)
    reference: str = Field(description="The case's pseudonymous reference, e.g. 'NL-2018-014'.", min_length=1,
                           max_length=40)
    letter_date: dt.date = Field(description="Date of the letter.")
    addressee: Party = Field(description="To whom the letter is sent (the applicant or their representative).")
    copies: list[CopyRecipient] = Field(default_factory=list, description="Copies, each allowed by a consent the "
                                        "applicant gave and did not revoke.", max_length=20)
    applicant: Applicant = Field(description="The person the advice is about.")
    application_date: dt.date = Field(description="Date the application was received.")
    exploitation_form: str = Field(description="Form of exploitation in words (sexual, labour, criminal, other), "
                                   "translated.", min_length=1, max_length=120)
    exploitation_place: str = Field(default="", description="Place(s) and sector of the exploitation, as "
                                    "recorded.", max_length=500)
    exploitation_period: str = Field(default="", description="Period of the exploitation, in words.",
                                     max_length=120)
    legal_basis: str = Field(description="The regulation under which the panel advises, as cited.", min_length=1,
                             max_length=500)
    admissibility: Admissibility = Field(description="Why the application is admissible.")
    documents: list[DocumentItem] = Field(default_factory=list, description="Documents in the file.",
                                          max_length=500)
    consents: list[ConsentItem] = Field(default_factory=list, description="Consents given (and revoked).",
                                        max_length=50)
    hearing: Hearing | None = Field(default=None, description="The hearing, or None when none was held.")
    consultations: list[Consultation] = Field(default_factory=list, description="Third parties consulted.",
                                              max_length=50)
    facts: list[Fact] = Field(default_factory=list, description="Chronology of facts relied on.", max_length=500)
    rubric: RubricInfo = Field(description="The rubric used and what it gave.")
    dimensions: list[DimensionAssessment] = Field(description="The assessment per element, in rubric order.",
                                                  min_length=1, max_length=100)
    conclusion: Conclusion = Field(description="The panel's conclusion: 'plausible' (aannemelijk) or "
                                   "'not_plausible' (niet aannemelijk).")
    conclusion_label: str = Field(description="The conclusion in words, in the letter's language.", min_length=1,
                                  max_length=200)
    conclusion_reasons: str = Field(description="The panel's overall reasons.", min_length=1, max_length=20_000)
    departs_from_rubric: bool = Field(default=False, description="Whether the panel's conclusion differs from "
                                      "the rubric's outcome.")
    departure_reasons: str = Field(default="", description="Why the panel departed from the rubric (required "
                                   "when it did).", max_length=20_000)
    unanimous: bool = Field(description="Whether the panel decided unanimously.")
    dissents: list[Dissent] = Field(default_factory=list, description="Dissenting opinions, if not unanimous.",
                                    max_length=7)
    remedies: Remedies = Field(description="How to object.")
    privacy: Privacy = Field(description="The privacy notice.")
    signatories: list[Signatory] = Field(description="Who signs (the chair; the secretary).", min_length=1,
                                         max_length=7)
    annex: list[IndicatorUse] = Field(description="The annex table: every indicator of the profile with its "
                                      "consolidated status.", max_length=2000)
    letter_version: int = Field(default=1, ge=1, description="Number of this version of the letter.")
    replaces: Replaces | None = Field(default=None, description="The version this one corrects, if any.")
    template_version: str = Field(default="", description="The template version that rendered the letter, "
                                  "printed in the footer of the annex.", max_length=80)
    training: bool = Field(default=False, description="A letter of the training space: every page carries a "
                           "'TRAINING' watermark, so it can never pass for a real advice.")

    @model_validator(mode="after")
    def _coherent(self) -> LetterContext:
        # Rules a reader of the letter relies on: a departure is explained, dissent and unanimity agree,
        # and a corrected version names an earlier one.
        if self.departs_from_rubric and not self.departure_reasons.strip():
            raise ValueError("the panel departs from the rubric but gives no reasons")
        if self.unanimous and self.dissents:
            raise ValueError("a unanimous decision cannot have dissenting opinions")
        if self.replaces is not None and self.replaces.version >= self.letter_version:
            raise ValueError("a corrected letter must replace an earlier version")
        if self.letter_version > 1 and self.replaces is None:
            raise ValueError("a letter version after the first must say which version it replaces")
        return self


def context_fields() -> set[str]:
    """The names a letter template may use at its top level."""
    return set(LetterContext.model_fields)
