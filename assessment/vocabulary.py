"""Every label of every fixed value, in Dutch and English: the one table pages, letters, the CLI and the
evaluators' figures all read.

A label is an English gettext message id marked with `N_`; the Dutch text is in the catalogue
(locale/nl/LC_MESSAGES/aannemelijk.po), so there is one translation mechanism for all text. Disciplines
are the exception that proves the rule: they are configuration, so their names come from
pilot_data/disciplines.yaml (through `assessment.disciplines`).

Kinds name what a value is, not where it is shown: a letter and a page say the same word for the same
value. Where a sentence in a letter needs another grammatical form (a consent as a purpose, "een sepot"),
that form is a kind of its own here, so it is still defined once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import disciplines
from .i18n import DEFAULT_LANG, LANGS, LOCALES, N_, NC_, NO_VALUE, gettext, pgettext

LABELS: dict[str, dict[str, str | tuple[str, str]]] = {
    "role": {
        "secretary": N_("secretary"), "member": N_("panel member"), "chair": N_("chair"),
        "evaluator": N_("evaluator"), "trainer": N_("trainer"), "trainee": N_("trainee"),
        "admin": N_("administrator"),
    },
    "panel": {"seat": N_("seat on the panel"), "source": N_("information source (does not vote)")},
    "status": {
        "intake": N_("intake"), "inadmissible": N_("inadmissible"), "assessment": N_("assessment"),
        "deliberation": N_("deliberation"), "hearing": N_("sent to a hearing"), "set_aside": N_("set aside"),
        "decided": N_("decided"), "withdrawn": N_("withdrawn"),
    },
    # Kinds starting with "pilot_" are the evaluators' categories (assessment.evaluation.facts), which
    # group the case's own values for the figures.
    # The evaluators' stages of a case through the pilot.
    "pilot_status": {
        "received": N_("received"), "inadmissible": N_("inadmissible"), "withdrawn": N_("withdrawn"),
        "in_progress": N_("in progress"), "decided": N_("advice issued"), "letter_issued": N_("letter issued"),
    },
    "form": {"sexual": N_("sexual exploitation"), "labour": N_("labour exploitation"),
             "criminal": N_("criminal exploitation"), "other": N_("other exploitation")},
    "route": {"report": N_("report and dismissal or acquittal"), "exception": N_("exception (no report)")},
    "pilot_route": {"report_dismissal": N_("report and dismissal or acquittal"), "exception": N_("exception (no report)")},
    "route_end": {"dismissal": N_("dismissal"), "acquittal": N_("acquittal")},
    # The ground of the dismissal or acquittal, where known (model.ROUTE_END_GROUNDS says which fit which).
    "route_end_ground": {
        "insufficient_evidence": N_("insufficient evidence"), "suspect_unknown": N_("no known suspect"),
        "policy": N_("policy dismissal"), "not_proven": N_("the charge was not proven"), "other": N_("another ground"),
    },
    # Why the applicant could not or would not report (the exception route).
    "exception_ground": {"serious_threats": N_("serious threats"),
                         "medical_psychological": N_("a medical or psychological limitation")},
    "exploitation_in_nl": {"in_nl": N_("in the Netherlands"), "partly_in_nl": N_("partly in the Netherlands"),
                           "not_in_nl": N_("outside the Netherlands"), "unknown": N_("not known")},
    # The requirement of admissibility an inadmissible application did not meet, as the letter states it.
    "inadmissible_ground": {
        "not_in_nl": N_("the exploitation did not take place, not even partly, in the Netherlands"),
        "no_report": N_("no police report ended in a dismissal or an acquittal"),
        "late": N_("the application came later than four weeks after the dismissal or acquittal"),
        "no_exception_ground": N_("no ground for the exception to reporting"),
        "no_statement": N_("no statement supports the medical or psychological limitation"),
        "other": N_("another requirement of the regulation (see the reasons)"),
    },
    # The category of the panel's reason for departing from the assessment instrument (evaluators' figures).
    "departure_reason": {"credible_account": N_("credible account"),
                         "trauma_explains_inconsistency": N_("trauma explains inconsistencies"),
                         "insufficient_information": N_("insufficient information"),
                         "other_evidence": N_("other evidence")},
    # What the panel did with a case whose information was too thin for an advice on the merits.
    "deferral": {"set_aside": N_("set aside for lack of information"), "hearing": N_("sent to a hearing")},
    "interpreter_gender": {"female": N_("female interpreter"), "male": N_("male interpreter")},
    # The end of the criminal case as a letter's sentence names it ("ended in a dismissal").
    "route_end_phrase": {"dismissal": N_("a dismissal"), "acquittal": N_("an acquittal")},
    # What an authorisation allows, as a letter's infinitive phrase: "heeft het fonds gemachtigd <phrase>".
    "authorisation": {
        "police_file": N_("to request the police file"),
        "immigration_file": N_("to request the file of the Immigration and Naturalisation Service"),
        "medical": N_("to request and use medical data"), "care_file": N_("to request the care file"),
        "inform_third_parties": N_("to inform third parties of the application"),
    },
    # Where the letter's privacy notice says the data came from.
    "data_source": {
        "applicant": N_("yourself and your representative"),
        "police_file": N_("the police file, disclosed under the Police Data Act with your authorisation"),
        "immigration_file": N_("the file of the Immigration and Naturalisation Service, with your authorisation"),
        "care_file": N_("your care provider's file, with your consent"),
        "medical": N_("a medical statement, with your written authorisation"),
    },
    "special_data": {"health": N_("data concerning health"), "sexual": N_("data concerning sex life")},
    "given_by": {"applicant": NC_("consent given by", "the applicant"),
                 "legal_representative": NC_("consent given by", "the legal representative")},
    # The panel's finding on an element of art. 273f Sr, as the letter states it.
    "finding": {"positive": N_("made plausible"), "negative": N_("not made plausible"),
                "undetermined": N_("insufficient information")},
    # An indicator's strength, alone ("sterk") and before a noun ("twee sterke indicatoren").
    "tier": {"strong": NC_("tier", "strong"), "medium": NC_("tier", "medium"), "weak": NC_("tier", "weak")},
    "tier_attr": {"strong": NC_("tier before a noun", "strong"), "medium": NC_("tier before a noun", "medium"),
                  "weak": NC_("tier before a noun", "weak")},
    "gender": {"female": N_("female"), "male": N_("male"), "x": N_("X"), "unknown": N_("unknown")},
    "pilot_gender": {"female": N_("female"), "male": N_("male"), "other": N_("other"), "unknown": N_("unknown")},
    "age_group": {"adult": N_("adult"), "child": N_("child")},
    "age_band": {"0-17": N_("0-17 years"), "18-24": N_("18-24 years"), "25-34": N_("25-34 years"),
                 "35-44": N_("35-44 years"), "45+": N_("45 years and over"), "unknown": N_("unknown")},
    "filing_party": {"lawyer": N_("lawyer"), "ngo": N_("NGO"), "self": N_("the applicant"),
                     "care_provider": N_("care provider"), "other": N_("other")},
    "residence_status": {
        "none": N_("no residence permit"), "asylum_pending": N_("asylum application pending"),
        "b8_permit": N_("B8 permit (trafficking)"), "regular": N_("regular permit"),
        "eu_citizen": N_("EU citizen"), "dutch": N_("Dutch national"), "unknown": N_("unknown"),
    },
    "consent": {
        "police_file": N_("police file"), "immigration_file": N_("immigration file"),
        "medical": N_("medical information"), "care_file": N_("care file"),
        "inform_third_parties": N_("inform third parties"),
    },
    # What a consent allows, as a letter names it.
    "consent_purpose": {
        "police_file": N_("requesting the police file"), "immigration_file": N_("requesting the immigration file"),
        "medical": N_("requesting medical information"), "care_file": N_("requesting the care file"),
        "inform_third_parties": N_("informing third parties"),
    },
    # Who supplied a document (a source type, never a note).
    "source": {
        "applicant": N_("applicant"), "police": N_("police"), "immigration": N_("Immigration and Naturalisation Service"),
        "care": N_("care provider"), "medical": N_("medical statement"), "labour": N_("Netherlands Labour Authority"),
        "lawyer": N_("lawyer"), "other": N_("third party"),
    },
    "obs": {"present": N_("present"), "absent": N_("absent"), "unknown": N_("unknown"),
            "not_applicable": N_("not applicable")},
    "view": {"positive": N_("positive"), "negative": N_("negative"), "undetermined": N_("undetermined")},
    "confidence": {"low": N_("low"), "medium": N_("medium"), "high": N_("high")},
    "admissibility": {"admissible": N_("admissible"), "inadmissible": N_("inadmissible")},
    # The panel's conclusion (the decision) ...
    "outcome": {"aannemelijk": N_("plausible"), "niet_aannemelijk": N_("not plausible")},
    # ... and the assessment instrument's outcome, or the letter's conclusion, in the rubric's terms.
    "conclusion": {"plausible": N_("plausible"), "not_plausible": N_("not plausible"),
                   "undetermined": N_("undetermined"), "none": N_("none")},
    "deadline": {"due": N_("due"), "overdue": N_("overdue"), "met": N_("met"), "met_late": N_("met late")},
    "stage": {"admissibility": N_("admissibility"), "assessment": N_("assessment"), "decision": N_("decision"),
              "letter": N_("letter")},
    # the steps a case waits for (assessment/services/tasks.py), as a task: "<step>" on a case
    "step": {"admissibility": N_("decide on admissibility"), "seat_panel": N_("seat the panel"),
             "consent": N_("record the consent"), "declare": N_("declare no conflict of interest"),
             "input": N_("give input"), "submit": N_("submit input"), "file_complete": N_("mark the file complete"),
             "hearing_report": N_("hold the hearing and settle its report"), "open_deliberation": N_("open deliberation"),
             "decision": N_("record the decision"), "letter": N_("sign and issue the letter")},
    "member_state": {"undeclared": N_("not yet declared"), "none": N_("no input yet"), "draft": N_("draft"),
                     "submitted": N_("submitted")},
    "dim_status": {"positive": N_("positive"), "negative": N_("negative"), "undetermined": N_("undetermined")},
    # what the assessment instrument suggests for a legal element (the panel's finding is a separate record)
    "element_status": {"positive": N_("supported by the indicators"), "negative": N_("not supported by the indicators"),
                       "undetermined": N_("insufficient information"), "not_required": N_("not required")},
    "follow_up_kind": {"residence_permit": N_("residence permit"), "care": N_("care"),
                       "compensation": N_("compensation")},
    "follow_up_status": {"granted": N_("granted"), "refused": N_("refused"), "pending": N_("pending"),
                         "not_applied": N_("not applied for")},
    "pilot_follow_up_status": {"granted": N_("granted"), "refused": N_("refused"), "pending": N_("pending"),
                               "unknown": N_("unknown")},
    "advice_user": {"ind": N_("Immigration and Naturalisation Service"), "prosecution": N_("Public Prosecution Service"),
                    "municipality": N_("municipality"), "care": N_("care provider")},
    "advice_followed": {"followed": N_("advice followed"), "not_followed": N_("advice not followed"),
                        "unknown": N_("not known")},
    "pilot_hearing": {"with_interpreter": N_("hearing with an interpreter"),
                      "without_interpreter": N_("hearing without an interpreter"), "no_hearing": N_("no hearing")},
    "pilot_advice_followed": {"followed": N_("advice followed"), "not_followed": N_("advice not followed"),
                              "unknown": N_("not known"), "not_recorded": N_("nothing reported")},
    "yes_no": {"yes": N_("yes"), "no": N_("no")},
    # What an audit event records, in words (the audit page; the stored code stays the record).
    "audit_action": {
        "case.create": N_("registered the application"), "case.edit_intake": N_("changed the intake"),
        "case.admissibility": N_("decided on admissibility"), "case.migrate": N_("brought the case to a new format"),
        "case.reopen": N_("reopened the case"), "case.resume": N_("resumed the case"),
        "case.withdraw": N_("recorded the withdrawal"), "chronology.add": N_("added a fact to the chronology"),
        "consent.record": N_("recorded a consent"), "consent.revoke": N_("revoked a consent"),
        "document.add": N_("added a document"), "file.complete": N_("marked the file complete"),
        "panel.assign": N_("seated a panel member"),
        "panel.declare_coi": N_("declared no conflict of interest"),
        "panel.declare_conflict": N_("declared a conflict of interest"),
        "input.save": N_("saved discipline input"), "input.submit": N_("submitted discipline input"),
        "hearing.record": N_("recorded the hearing"), "deliberation.open": N_("opened the deliberation"),
        "dissent.record": N_("recorded a dissenting opinion"), "decision.draft.save": N_("saved a draft decision"),
        "decision.record": N_("recorded the decision"), "letter.download": N_("downloaded the letter"),
        "letter.issue": N_("issued the letter"), "letter.issued": N_("marked the letter as sent"),
        "followup.record": N_("recorded a follow-up"), "advice_use.record": N_("recorded the use of the advice"),
        "subject.export": N_("exported the applicant's data"), "retention.apply": N_("applied the retention period"),
        # the evaluation team's workspace (services.workspace): no case, but every view is an event
        "workspace.view": N_("viewed the evaluation workspace"),
        "workspace.download": N_("downloaded a table from the evaluation workspace"),
        "training.input.save": N_("saved training input"), "training.input.submit": N_("submitted training input"),
    },
    # The word of an applicant's pseudonym ("Aanvrager D" / "Applicant D"); see person_name.
    "pseudonym": {"applicant": NC_("pseudonym of an applicant", "Applicant")},
}
KINDS: tuple[str, ...] = (*LABELS, "discipline", "language")


def label(kind: str, value: str | None, lang: str) -> str:
    """The name of `value` of this kind in `lang` (`NO_VALUE` for none). A value the table does not list (an old
    record, another rubric's outcome) is shown as itself rather than hidden."""
    if value is None:
        return NO_VALUE
    if kind == "discipline":
        return disciplines.name(value, lang)
    if kind == "language":  # an ISO 639 code, named by the CLDR data Babel carries ("Nigerian Pidgin")
        from babel import Locale

        name = str(Locale.parse(LOCALES.get(lang, LOCALES[DEFAULT_LANG])).languages.get(value, "") or value)
        # English capitalises a language's name; CLDR writes a few in lower case. Only the first letter is
        # raised, so a name of two words keeps CLDR's spelling of the second.
        return name if lang == "nl" else name[:1].upper() + name[1:]
    message = LABELS.get(kind, {}).get(value)
    if message is None:
        return value
    return pgettext(lang, *message) if isinstance(message, tuple) else gettext(lang, message)


# A title before a name, as each language writes it in an address. English has no form of the Dutch degrees
# "mr." (law), "drs.", "ir." and "ing.": an English letter leaves them out (the law firm's name on the next line
# says who is addressed). A table rather than the catalogue, because "no title" is not a message. Only the
# Dutch spelling (lower case, with the dot) is recognised, so an English "Mr." is left as typed.
TITLES: dict[str, dict[str, str]] = {
    "mr.": {"nl": "mr.", "en": ""}, "drs.": {"nl": "drs.", "en": ""}, "ir.": {"nl": "ir.", "en": ""},
    "ing.": {"nl": "ing.", "en": ""}, "dr.": {"nl": "dr.", "en": "Dr"}, "prof.": {"nl": "prof.", "en": "Professor"},
}
_TITLE = re.compile("^(" + "|".join(re.escape(t) for t in TITLES) + r")\s+")
_PSEUDONYM = re.compile(r"(\w+) ([A-Z]{1,3}\d{0,4})")


def person_name(name: str, lang: str) -> str:
    """A name as a text in `lang` writes it: a pseudonym ("Aanvrager D", recorded in either language) with the
    pseudonym word of `lang`, and a title in that language's form, or left out where it has none."""
    text = name.strip()
    pseudonym = _PSEUDONYM.fullmatch(text)
    if pseudonym and pseudonym.group(1) in {label("pseudonym", "applicant", other) for other in LANGS}:
        return f"{label('pseudonym', 'applicant', lang)} {pseudonym.group(2)}"
    title = _TITLE.match(text)
    if title:
        form = TITLES[title.group(1)].get(lang, title.group(1))
        return f"{form} {text[title.end():]}" if form else text[title.end():]
    return text


# Abbreviations Dutch writes in lower case even at the start of a cell or heading ("ngo", not "Ngo").
_LOWER_CASE_WORDS = frozenset({"ngo", "ngo's"})


def capitalised(kind: str, value: str | None, lang: str) -> str:
    """The label with a capital first letter (table cells, headings), except a word written in lower case
    whatever its place (`_LOWER_CASE_WORDS`)."""
    text = label(kind, value, lang)
    if text.split(" ", 1)[0] in _LOWER_CASE_WORDS:
        return text
    return text[:1].upper() + text[1:]


def options(kind: str) -> list[str]:
    """The values of a kind in their listed order (disciplines: the registry's order)."""
    if kind == "discipline":
        return list(disciplines.ids())
    return list(LABELS[kind])


def known(kind: str, value: str) -> bool:
    """Whether the vocabulary has a label for this value (tests and checks)."""
    return value in options(kind)


@dataclass(frozen=True)
class Term:
    """A recorded value as a message parameter: named in the language the message is shown in."""

    kind: str
    value: str
    capital: bool = False  # a heading or table cell starts with a capital

    def text(self, lang: str) -> str:
        return capitalised(self.kind, self.value, lang) if self.capital else label(self.kind, self.value, lang)


@dataclass(frozen=True)
class Terms:
    """Several recorded values of one kind as a message parameter ("intake, beoordeling")."""

    kind: str
    values: tuple[str, ...]

    def text(self, lang: str) -> str:
        return ", ".join(label(self.kind, v, lang) for v in self.values)
