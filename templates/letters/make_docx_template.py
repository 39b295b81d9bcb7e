"""Generate the Word templates letter.nl.docx and letter.en.docx for docxtpl, reproducibly.

Run `python templates/letters/make_docx_template.py` after changing the wording below; the Typst templates
(letter.*.typ.j2) carry the same sections and headings, and a test checks the two agree.
Jinja in Word: `{%p ... %}` tags stand in a paragraph of their own, `{%tr ... %}` in a table row of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
BRAND = RGBColor(0x1D, 0x4F, 0x5C)

# Words per language. Every section heading matches the Typst template's (numbering included).
W = {
    "nl": {
        "page": "Pagina", "of": "van", "date": "Datum", "reference": "Ons kenmerk", "version": "Versie",
        "attention": "t.a.v.", "subject": "Betreft",
        "subject_text": "Advies over de aannemelijkheid van slachtofferschap van mensenhandel",
        "salutation": "Geachte {{ addressee.name }},",
        "intro": "Op {{ application_date|longdate(lang) }} heeft het fonds de aanvraag ontvangen om advies over de "
        "vraag of het aannemelijk is dat {{ applicant.name }}{% if applicant.date_of_birth %}, geboren op "
        "{{ applicant.date_of_birth|longdate(lang) }}{% endif %}{% if applicant.nationality %}, nationaliteit "
        "{{ applicant.nationality }}{% endif %}, slachtoffer is van mensenhandel. In deze brief geeft het "
        "{{ panel_name }} zijn advies (deskundigenbericht) en de redenen daarvoor.",
        "replaces": "Deze brief vervangt versie {{ replaces.version }} van {{ replaces.issued_on|longdate(lang) }}. "
        "Reden van de correctie: {{ replaces.reason }}",
        "h_question": "1. De vraag en de maatstaf",
        "question": "De vraag aan het panel is of het aannemelijk is dat {{ applicant.name }} slachtoffer is van "
        "mensenhandel in de zin van artikel 273f van het Wetboek van Strafrecht. Het panel adviseert op grond van "
        "{{ legal_basis }}.",
        "standard": "De maatstaf is aannemelijkheid. Die ligt ver onder de maatstaf van het strafrecht: het panel "
        "stelt niet vast dat een strafbaar feit is bewezen, en ook niet wie het heeft gepleegd. Het gaat om "
        "{{ exploitation_form }}{% if exploitation_place %} ({{ exploitation_place }})"
        "{% endif %}{% if exploitation_period %}, in de periode {{ exploitation_period }}{% endif %}.",
        "h_admissibility": "2. Ontvankelijkheid",
        "report": "{{ applicant.name }} heeft{% if admissibility.reported_on %} op "
        "{{ admissibility.reported_on|longdate(lang) }}{% endif %} aangifte gedaan van mensenhandel in Nederland. "
        "De strafzaak is geëindigd{% if admissibility.route_end %} met {{ admissibility.route_end }}{% endif %}"
        "{% if admissibility.route_end_on %} op {{ admissibility.route_end_on|longdate(lang) }}{% endif %}."
        "{% if admissibility.within_term %} De aanvraag is binnen vier weken na die beslissing ontvangen."
        "{% elif admissibility.within_term is false %} De aanvraag is later dan vier weken na die beslissing "
        "ontvangen.{% endif %}",
        "exception": "{{ applicant.name }} heeft geen aangifte gedaan. Daarvoor geldt een uitzondering wanneer "
        "iemand door ernstige bedreiging of een medische of psychische beperking geen aangifte kan of durft te "
        "doen. De reden in dit geval: {{ admissibility.exception_reason }}",
        "admissible": "Het panel heeft de aanvraag ontvankelijk verklaard.{% if admissibility.reasons %} "
        "{{ admissibility.reasons }}{% endif %}",
        "h_procedure": "3. De procedure",
        "h_documents": "3.1. Stukken", "documents": "Het panel heeft de volgende stukken betrokken:",
        "document": "{{ doc.title }} ({{ doc.source }}, ontvangen op {{ doc.received_on|longdate(lang) }})",
        "no_documents": "Het panel heeft geen stukken van derden ontvangen.",
        "h_consents": "3.2. Toestemmingen",
        "consents": "De aanvrager heeft toestemming gegeven om stukken op te vragen en derden te informeren:",
        "consent": "{{ c.scope }}, gegeven op {{ c.given_on|longdate(lang) }}{% if c.revoked_on %}, ingetrokken op "
        "{{ c.revoked_on|longdate(lang) }}{% endif %}",
        "no_consents": "De aanvrager heeft geen toestemming gegeven om stukken bij derden op te vragen.",
        "h_hearing": "3.3. Hoorzitting",
        "hearing": "Op {{ hearing.held_on|longdate(lang) }} hebben {{ hearing.members|join(', ') }} namens het panel "
        "{{ applicant.name }} gehoord{% if hearing.interpreter %}, met een tolk {{ hearing.interpreter }}{% else %}, "
        "zonder tolk{% endif %}.{% if hearing.summary %} {{ hearing.summary }}{% endif %}",
        "no_hearing": "Er is geen hoorzitting gehouden.",
        "h_consultations": "3.4. Raadplegingen",
        "no_consultations": "Het panel heeft geen derden geraadpleegd.",
        "h_facts": "4. De feiten", "facts": "Het panel gaat uit van de volgende feiten.",
        "no_facts": "Het dossier bevat geen chronologie van feiten.",
        "h_assessment": "5. De beoordeling per element",
        "assessment": "Het panel gebruikt als hulpmiddel {{ rubric.title }} (versie {{ rubric.version }}), profiel "
        "{{ rubric.profile }}. De indicatoren zijn een hulpmiddel: hun aanwezigheid of afwezigheid bewijst of "
        "weerlegt op zichzelf geen mensenhandel. Het panel beslist; het instrument adviseert. Inconsistenties in "
        "verklaringen, bijvoorbeeld door trauma, angst of taal, tellen nooit vanzelf in het nadeel van de "
        "aanvrager.",
        "finding": "Bevinding: {% if dim.status == 'positive' %}aanwezig{% elif dim.status == 'negative' %}niet "
        "aanwezig{% else %}onbepaald{% endif %}{% if dim.rule_clause %} (combinatie: {{ dim.rule_clause }})"
        "{% endif %}.",
        "relied_on": "Het panel steunt op deze indicatoren:",
        "none_relied": "Het panel heeft bij dit element geen aanwezige indicatoren vastgesteld.",
        "counter": "Indicatoren die het panel afwezig achtte:",
        "indicator": "{{ ind.name }} (sterkte: {{ ind.tier }}{% if ind.sources %}; bron: "
        "{{ ind.sources|join('; ') }}{% endif %})",
        "reasons": "Redenen: {{ dim.reasons }}", "inconsistencies": "Inconsistenties: {{ dim.inconsistencies }}",
        "h_conclusion": "6. Conclusie",
        "conclusion": "{{ conclusion_label }}. Het panel acht het {% if conclusion != 'plausible' %}niet {% endif %}"
        "aannemelijk dat {{ applicant.name }} slachtoffer is van mensenhandel.",
        "departs": "Het instrument gaf als uitkomst: {{ rubric.outcome }}. Het panel wijkt daarvan af om de volgende "
        "redenen: {{ departure_reasons }}",
        "agrees": "Dit komt overeen met de uitkomst van het instrument ({{ rubric.outcome }}).",
        "h_unanimity": "7. Eenparigheid",
        "unanimous": "Het panel heeft dit advies unaniem vastgesteld.",
        "majority": "Het panel heeft dit advies bij meerderheid vastgesteld.{% if dissents %} Afwijkende mening:"
        "{% endif %}",
        "h_effect": "8. Wat dit advies betekent",
        "effect": "Dit is een advies, geen besluit: het bindt niemand. Het is ook geen strafrechtelijk oordeel. De "
        "Immigratie- en Naturalisatiedienst, de gemeente, zorgverleners en het fonds zelf kunnen het advies "
        "gebruiken als de aanvrager daarvoor toestemming heeft gegeven; zij wegen het zelf.",
        "h_objection": "9. Bezwaar",
        "objection": "Bent u het niet eens met dit advies? Dan kunt u binnen {{ remedies.weeks }} weken na de dag "
        "waarop deze brief is verstuurd bezwaar maken bij {{ remedies.body }}, {{ remedies.address|join(', ') }}"
        "{% if remedies.email %}, of per e-mail aan {{ remedies.email }}{% endif %}. Vermeld in uw bezwaarschrift "
        "uw naam en adres, de datum, het kenmerk {{ reference }}, waarom u het niet eens bent met het advies, en "
        "onderteken het.",
        "h_privacy": "10. Privacy",
        "privacy": "Dit dossier bevat bijzondere persoonsgegevens, zoals gegevens over gezondheid en seksueel leven, "
        "en strafrechtelijke gegevens. {{ privacy.controller }} gebruikt deze gegevens alleen voor dit advies. "
        "Medische gegevens zijn alleen gebruikt met schriftelijke machtiging van de aanvrager"
        "{% if privacy.authorisations %}: {{ privacy.authorisations|join('; ') }}{% endif %}. Bewaartermijn: "
        "{{ privacy.retention }}. U hebt recht op inzage, correctie en verwijdering van uw gegevens en u kunt "
        "bezwaar maken tegen het gebruik ervan. U kunt ook een klacht indienen bij de Autoriteit "
        "Persoonsgegevens. Contact: {{ privacy.contact }}.",
        "closing": "Hoogachtend,", "on_behalf": "namens het {{ panel_name }},",
        "copies": "Afschrift aan (met toestemming van de aanvrager):",
        "copy": "{{ c.name }} (toestemming: {{ c.consent_scope }}, {{ c.consent_given_on|longdate(lang) }})",
        "annex_title": "Bijlage: indicatorentabel",
        "annex_intro": "Alle indicatoren van het instrument {{ rubric.title }} (versie {{ rubric.version }}), "
        "profiel {{ rubric.profile }}, met de status die het panel vaststelde.",
        "cols": ("Element", "Indicator", "Sterkte", "Status", "Bron"),
        "status": "{% if row.status == 'present' %}aanwezig{% elif row.status == 'absent' %}afwezig{% else %}"
        "onbekend{% endif %}",
        "disclaimer": "Let op. {{ rubric.disclaimer }}",
        "colophon": "Instrument: {{ rubric.rubric_id }} {{ rubric.version }} · {{ rubric.content_hash }} · "
        "Sjabloon: {{ template_version }} · Versie {{ letter_version }}",
    },
    "en": {
        "page": "Page", "of": "of", "date": "Date", "reference": "Our reference", "version": "Version",
        "attention": "FAO", "subject": "Subject",
        "subject_text": "Advice on the plausibility of victimhood of human trafficking",
        "salutation": "Dear {{ addressee.name }},",
        "intro": "On {{ application_date|longdate(lang) }} the fund received the request for advice on whether it is "
        "plausible that {{ applicant.name }}{% if applicant.date_of_birth %}, born on "
        "{{ applicant.date_of_birth|longdate(lang) }}{% endif %}{% if applicant.nationality %}, of "
        "{{ applicant.nationality }} nationality{% endif %}, is a victim of human trafficking. In this letter the "
        "{{ panel_name }} gives its advice (expert opinion) and its reasons. This English text is a translation; "
        "the Dutch letter is the authentic text.",
        "replaces": "This letter replaces version {{ replaces.version }} of {{ replaces.issued_on|longdate(lang) }}. "
        "Reason for the correction: {{ replaces.reason }}",
        "h_question": "1. The question and the standard of proof",
        "question": "The question put to the panel is whether it is plausible that {{ applicant.name }} is a victim "
        "of human trafficking within the meaning of article 273f of the Dutch Criminal Code. The panel advises "
        "under {{ legal_basis }}.",
        "standard": "The standard is plausibility. It lies far below the standard of criminal law: the panel does "
        "not find that a criminal offence has been proven, nor who committed it. The case concerns "
        "{{ exploitation_form }} exploitation{% if exploitation_place %} ({{ exploitation_place }}){% endif %}"
        "{% if exploitation_period %}, in the period {{ exploitation_period }}{% endif %}.",
        "h_admissibility": "2. Admissibility",
        "report": "{{ applicant.name }} reported human trafficking in the Netherlands to the police"
        "{% if admissibility.reported_on %} on {{ admissibility.reported_on|longdate(lang) }}{% endif %}. The "
        "criminal case ended{% if admissibility.route_end %} in {{ admissibility.route_end }}{% endif %}"
        "{% if admissibility.route_end_on %} on {{ admissibility.route_end_on|longdate(lang) }}{% endif %}."
        "{% if admissibility.within_term %} The application was received within four weeks of that decision."
        "{% elif admissibility.within_term is false %} The application was received more than four weeks after "
        "that decision.{% endif %}",
        "exception": "{{ applicant.name }} did not report to the police. An exception applies when serious threats "
        "or a medical or psychological limitation prevent a person from reporting. The reason in this case: "
        "{{ admissibility.exception_reason }}",
        "admissible": "The panel found the application admissible.{% if admissibility.reasons %} "
        "{{ admissibility.reasons }}{% endif %}",
        "h_procedure": "3. The procedure",
        "h_documents": "3.1. Documents", "documents": "The panel considered the following documents:",
        "document": "{{ doc.title }} ({{ doc.source }}, received on {{ doc.received_on|longdate(lang) }})",
        "no_documents": "The panel received no documents from third parties.",
        "h_consents": "3.2. Consents",
        "consents": "The applicant consented to the panel requesting documents from and informing third parties:",
        "consent": "{{ c.scope }}, given on {{ c.given_on|longdate(lang) }}{% if c.revoked_on %}, revoked on "
        "{{ c.revoked_on|longdate(lang) }}{% endif %}",
        "no_consents": "The applicant gave no consent to request documents from third parties.",
        "h_hearing": "3.3. Hearing",
        "hearing": "On {{ hearing.held_on|longdate(lang) }} {{ hearing.members|join(', ') }} heard "
        "{{ applicant.name }} on behalf of the panel{% if hearing.interpreter %}, with an interpreter for "
        "{{ hearing.interpreter }}{% else %}, without an interpreter{% endif %}.{% if hearing.summary %} "
        "{{ hearing.summary }}{% endif %}",
        "no_hearing": "No hearing was held.",
        "h_consultations": "3.4. Consultations",
        "no_consultations": "The panel consulted no third parties.",
        "h_facts": "4. The facts", "facts": "The panel takes the following facts as its starting point.",
        "no_facts": "The file contains no chronology of facts.",
        "h_assessment": "5. The assessment per element",
        "assessment": "As an aid the panel uses {{ rubric.title }} (version {{ rubric.version }}), profile "
        "{{ rubric.profile }}. The indicators are an aid: their presence or absence does not in itself prove or "
        "disprove trafficking. The panel decides; the instrument advises. Inconsistencies in statements, for "
        "example because of trauma, fear or language, never count against the applicant automatically.",
        "finding": "Finding: {% if dim.status == 'positive' %}established{% elif dim.status == 'negative' %}not "
        "established{% else %}undetermined{% endif %}{% if dim.rule_clause %} (combination: {{ dim.rule_clause }})"
        "{% endif %}.",
        "relied_on": "The panel relies on these indicators:",
        "none_relied": "The panel found no indicators present for this element.",
        "counter": "Indicators the panel found absent:",
        "indicator": "{{ ind.name }} (strength: {{ ind.tier }}{% if ind.sources %}; source: "
        "{{ ind.sources|join('; ') }}{% endif %})",
        "reasons": "Reasons: {{ dim.reasons }}", "inconsistencies": "Inconsistencies: {{ dim.inconsistencies }}",
        "h_conclusion": "6. Conclusion",
        "conclusion": "{{ conclusion_label }}. The panel {% if conclusion == 'plausible' %}considers{% else %}does "
        "not consider{% endif %} it plausible that {{ applicant.name }} is a victim of human trafficking.",
        "departs": "The instrument's outcome was: {{ rubric.outcome }}. The panel departs from it for the following "
        "reasons: {{ departure_reasons }}",
        "agrees": "This agrees with the instrument's outcome ({{ rubric.outcome }}).",
        "h_unanimity": "7. Unanimity",
        "unanimous": "The panel adopted this advice unanimously.",
        "majority": "The panel adopted this advice by majority.{% if dissents %} Dissenting opinion:{% endif %}",
        "h_effect": "8. What this advice means",
        "effect": "This is an advice, not a decision: it binds nobody. Nor is it a finding under criminal law. The "
        "Immigration and Naturalisation Service, the municipality, care providers and the fund itself may use the "
        "advice where the applicant has consented to this; they weigh it themselves.",
        "h_objection": "9. Objection",
        "objection": "If you disagree with this advice, you may lodge an objection within {{ remedies.weeks }} weeks "
        "of the day after this letter was sent, with {{ remedies.body }}, {{ remedies.address|join(', ') }}"
        "{% if remedies.email %}, or by e-mail to {{ remedies.email }}{% endif %}. State your name and address, "
        "the date, the reference {{ reference }} and why you disagree with the advice, and sign the objection.",
        "h_privacy": "10. Privacy",
        "privacy": "This file contains special categories of personal data, such as data on health and sexual life, "
        "and criminal-law data. {{ privacy.controller }} uses these data only for this advice. Medical data were "
        "used only with the applicant's written authorisation{% if privacy.authorisations %}: "
        "{{ privacy.authorisations|join('; ') }}{% endif %}. Retention: {{ privacy.retention }}. You have the "
        "right to access, rectify and erase your data and to object to their use. You may also complain to the "
        "Dutch Data Protection Authority (Autoriteit Persoonsgegevens). Contact: {{ privacy.contact }}.",
        "closing": "Yours faithfully,", "on_behalf": "on behalf of the {{ panel_name }},",
        "copies": "Copy to (with the applicant's consent):",
        "copy": "{{ c.name }} (consent: {{ c.consent_scope }}, {{ c.consent_given_on|longdate(lang) }})",
        "annex_title": "Annex: table of indicators",
        "annex_intro": "All indicators of the instrument {{ rubric.title }} (version {{ rubric.version }}), profile "
        "{{ rubric.profile }}, with the status the panel established.",
        "cols": ("Element", "Indicator", "Strength", "Status", "Source"),
        "status": "{% if row.status == 'present' %}present{% elif row.status == 'absent' %}absent{% else %}"
        "unknown{% endif %}",
        "disclaimer": "Please note. {{ rubric.disclaimer }}",
        "colophon": "Instrument: {{ rubric.rubric_id }} {{ rubric.version }} · {{ rubric.content_hash }} · "
        "Template: {{ template_version }} · Version {{ letter_version }}",
    },
}


def _field(paragraph: object, code: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)  # type: ignore[attr-defined]


def _no_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def build(lang: str, out: Path) -> None:
    """Write the Word template for one language."""
    w = W[lang]
    doc = Document()
    # A fixed creation date and author keep the file identical from run to run.
    import datetime as dt

    props = doc.core_properties
    props.author = "Aannemelijk"
    props.created = props.modified = dt.datetime(2018, 1, 1)
    props.last_modified_by = "Aannemelijk"
    props.revision = 1
    props.title = "{{ reference }}"

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(24), Mm(20)
    section.top_margin, section.bottom_margin = Mm(38), Mm(22)
    section.header_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(10.5)
    for style_name, size in (("Heading 1", 12), ("Heading 2", 10.5)):
        st = doc.styles[style_name]
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.name = "Liberation Serif"

    head = section.header.paragraphs[0]
    r = head.add_run("{{ sender.fund_name }}")
    r.bold, r.font.size, r.font.color.rgb = True, Pt(13), BRAND
    sub = section.header.add_paragraph()
    r = sub.add_run("{{ panel_name }}")
    r.font.size, r.font.color.rgb = Pt(9), BRAND

    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot.add_run(f"{w['page']} ")
    _field(foot, "PAGE")
    foot.add_run(f" {w['of']} ")
    _field(foot, "NUMPAGES")

    # The address window on the left, the side column on the right, as in a government letter.
    top = doc.add_table(rows=1, cols=2)
    _no_borders(top)
    top.alignment = WD_TABLE_ALIGNMENT.LEFT
    left, right = top.rows[0].cells
    left.width, right.width = Mm(110), Mm(56)
    p = left.paragraphs[0]
    p.add_run("{{ sender.return_address }}").font.size = Pt(7)
    left.add_paragraph("{{ addressee.name }}")
    left.add_paragraph("{%p if addressee.attention %}")
    left.add_paragraph(f"{w['attention']} {{{{ addressee.attention }}}}")
    left.add_paragraph("{%p endif %}")
    left.add_paragraph("{%p for line in addressee.address %}")
    left.add_paragraph("{{ line }}")
    left.add_paragraph("{%p endfor %}")

    def side(text: str, bold: bool = False) -> None:
        para = right.add_paragraph()
        run = para.add_run(text)
        run.bold, run.font.size = bold, Pt(7.5 if bold else 8.5)
        para.paragraph_format.space_after = Pt(0)

    right.paragraphs[0].add_run("{{ sender.fund_name }}").bold = True
    side("{{ sender.unit }}")
    side("{%p for line in sender.postal_address %}")
    side("{{ line }}")
    side("{%p endfor %}")
    side("T {{ sender.phone }}")
    side("{{ sender.email }}")
    side("")
    side(w["date"], bold=True)
    side("{{ letter_date|longdate(lang) }}")
    side(w["reference"], bold=True)
    side("{{ reference }}")
    side(w["version"], bold=True)
    side("{{ letter_version }}")

    subject = doc.add_paragraph()
    subject.add_run(f"{w['subject']}  ").bold = True
    subject.add_run(w["subject_text"])
    doc.add_paragraph(w["salutation"])
    doc.add_paragraph(w["intro"])
    doc.add_paragraph("{%p if replaces %}")
    doc.add_paragraph(w["replaces"])
    doc.add_paragraph("{%p endif %}")

    def h(key: str, level: int = 1) -> None:
        doc.add_heading(w[key], level=level)

    def items(loop: str, key: str, empty: str | None = None, intro: str | None = None) -> None:
        collection = loop.split(" in ", 1)[1]
        doc.add_paragraph(f"{{%p if {collection} %}}")
        if intro:
            doc.add_paragraph(w[intro])
        doc.add_paragraph(f"{{%p for {loop} %}}")
        doc.add_paragraph(str(w.get(key, key)), style="List Bullet")
        doc.add_paragraph("{%p endfor %}")
        if empty:
            doc.add_paragraph("{%p else %}")
            doc.add_paragraph(w[empty])
        doc.add_paragraph("{%p endif %}")

    h("h_question")
    doc.add_paragraph(w["question"])
    doc.add_paragraph(w["standard"])
    h("h_admissibility")
    doc.add_paragraph("{%p if admissibility.route == 'report' %}")
    doc.add_paragraph(w["report"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(w["exception"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(w["admissible"])
    h("h_procedure")
    h("h_documents", 2)
    items("doc in documents", "document", "no_documents", "documents")
    h("h_consents", 2)
    items("c in consents", "consent", "no_consents", "consents")
    h("h_hearing", 2)
    doc.add_paragraph("{%p if hearing %}")
    doc.add_paragraph(w["hearing"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(w["no_hearing"])
    doc.add_paragraph("{%p endif %}")
    h("h_consultations", 2)
    items("c in consultations", "{{ c.party }}{% if c.on %} ({{ c.on|longdate(lang) }}){% endif %}: {{ c.topic }}",
          "no_consultations")
    h("h_facts")
    items("f in facts", "{% if f.when %}{{ f.when }}: {% endif %}{{ f.text }}", "no_facts", "facts")

    h("h_assessment")
    doc.add_paragraph(w["assessment"])
    doc.add_paragraph("{%p for dim in dimensions %}")
    doc.add_heading("5.{{ loop.index }}. {{ dim.name }}", level=2)
    doc.add_paragraph(w["finding"])
    doc.add_paragraph("{%p if dim.relied_on %}")
    doc.add_paragraph(w["relied_on"])
    doc.add_paragraph("{%p for ind in dim.relied_on %}")
    doc.add_paragraph(w["indicator"], style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(w["none_relied"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if dim.counter_indicators %}")
    doc.add_paragraph(w["counter"])
    doc.add_paragraph("{%p for ind in dim.counter_indicators %}")
    doc.add_paragraph(w["indicator"], style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if dim.reasons %}")
    doc.add_paragraph(w["reasons"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if dim.inconsistencies %}")
    doc.add_paragraph(w["inconsistencies"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")

    h("h_conclusion")
    p = doc.add_paragraph()
    p.add_run(w["conclusion"]).bold = True
    doc.add_paragraph("{{ conclusion_reasons }}")
    doc.add_paragraph("{%p if departs_from_rubric %}")
    doc.add_paragraph(w["departs"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(w["agrees"])
    doc.add_paragraph("{%p endif %}")
    h("h_unanimity")
    doc.add_paragraph("{%p if unanimous %}")
    doc.add_paragraph(w["unanimous"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(w["majority"])
    doc.add_paragraph("{%p for d in dissents %}")
    doc.add_paragraph("{{ d.member }}{% if d.discipline %} ({{ d.discipline }}){% endif %}: {{ d.text }}",
                      style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    h("h_effect")
    doc.add_paragraph(w["effect"])
    h("h_objection")
    doc.add_paragraph(w["objection"])
    h("h_privacy")
    doc.add_paragraph(w["privacy"])
    doc.add_paragraph(w["closing"])
    doc.add_paragraph(w["on_behalf"])
    doc.add_paragraph("{%p for s in signatories %}")
    sig = doc.add_paragraph("{{ s.name }}, {{ s.role }}")
    sig.paragraph_format.space_before = Pt(18)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if copies %}")
    doc.add_paragraph().add_run(w["copies"]).bold = True
    doc.add_paragraph("{%p for c in copies %}")
    doc.add_paragraph(w["copy"])
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_page_break()
    doc.add_heading(w["annex_title"], level=1)
    doc.add_paragraph(w["annex_intro"])
    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, w["cols"], strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    table.rows[1].cells[0].text = "{%tr for row in annex %}"
    for cell, text in zip(table.rows[2].cells, ("{{ row.dimension }}", "{{ row.name }}", "{{ row.tier }}",
                                                 w["status"], "{{ row.sources|join('; ') }}"), strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)
    doc.add_paragraph()
    doc.add_paragraph().add_run(w["disclaimer"]).italic = True
    colophon = doc.add_paragraph().add_run(w["colophon"])
    colophon.font.size = Pt(7)
    doc.save(str(out))


def main(argv: list[str]) -> int:
    """Write both templates (into this directory, or the directory given as the only argument)."""
    target = Path(argv[0]) if argv else HERE
    for lang in W:
        build(lang, target / f"letter.{lang}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
