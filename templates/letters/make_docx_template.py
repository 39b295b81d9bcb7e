"""Generate the Word templates letter.nl.docx and letter.en.docx for docxtpl, reproducibly.

Run `python templates/letters/make_docx_template.py` after changing a letter template. The body's wording is
taken from the Typst template of the same language (between `{# docx:body #}` and `{# docx:end #}`), so the
PDF and the Word letter say the same thing from one text: `= heading`, `== heading`, `- item`, a Jinja block
tag on a line of its own (becomes a `{%p ... %}` paragraph), and plain lines; Typst code lines (`#...`) and
bold markers are left out. The letterhead, signature, copies and annex are laid out here.
"""

from __future__ import annotations

import re
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

# The few words outside the body, per language.
W = {
    "nl": {"page": "Pagina", "of": "van", "date": "Datum", "reference": "Ons kenmerk", "contact": "Contact",
           "version": "Versie", "subject": "Onderwerp",
           "subject_text": "{% if kind == 'advice' %}Advies over de aannemelijkheid van slachtofferschap van "
           "mensenhandel{% else %}Uw aanvraag om advies: niet-ontvankelijk{% endif %}",
           "on_behalf": "namens het {{ panel_name }},", "copies": "Afschrift aan",
           "copy": "{{ c.name }} (toestemming van {{ c.consent_given_by }}, {{ c.consent_given_on|longdate(lang) }})",
           "annex_title": "Bijlage: indicatorentabel",
           "annex_intro": "De indicatoren van de indicatorenlijst {{ rubric.profile }} ({{ rubric.title }}, versie "
           "{{ rubric.version }}) waarover het panel een bevinding heeft vastgesteld, per element met hun sterkte, "
           "status en bron. Per element staat hoeveel indicatoren onbekend zijn gebleven. Het dossier bevat alle "
           "indicatoren met hun status; u kunt het opvragen bij het secretariaat. De indicatoren zijn een "
           "hulpmiddel; zij bewijzen of weerleggen op zichzelf geen mensenhandel.",
           "cols": ("Indicator", "Sterkte", "Status", "Bron"),
           "unknown": "{% if el.rows %}Daarnaast onbekend:{% else %}Geen bevinding; onbekend:{% endif %} "
           "{{ el.unknown }} {% if el.unknown == 1 %}indicator{% else %}indicatoren{% endif %}",
           "status": "{% if row.status == 'present' %}aanwezig{% elif row.status == 'absent' %}afwezig{% elif "
           "row.status == 'not_applicable' %}niet van toepassing{% else %}onbekend{% endif %}",
           "provisional": "* Voorlopige sterkte: nog niet getoetst aan de publicatie van de ILO."},
    "en": {"page": "Page", "of": "of", "date": "Date", "reference": "Our reference", "contact": "Contact",
           "version": "Version", "subject": "Subject",
           "subject_text": "{% if kind == 'advice' %}Advisory opinion on whether it is plausible that the applicant "
           "is a victim of human trafficking{% else %}Your application for an advisory opinion: inadmissible"
           "{% endif %}",
           "on_behalf": "on behalf of the {{ panel_name }},", "copies": "Copy to",
           "copy": "{{ c.name }} (consent of {{ c.consent_given_by }}, {{ c.consent_given_on|longdate(lang) }})",
           "annex_title": "Annex: table of indicators",
           "annex_intro": "The indicators of the indicator list {{ rubric.profile }} ({{ rubric.title }}, version "
           "{{ rubric.version }}) on which the panel recorded a finding, per element with their strength, status "
           "and source. For each element the number of indicators that remained unknown is given. The case file "
           "holds every indicator with its status; you can request it from the secretariat. The indicators are "
           "aids; by themselves they neither prove nor disprove human trafficking.",
           "cols": ("Indicator", "Strength", "Status", "Source"),
           "unknown": "{% if el.rows %}Also unknown:{% else %}No finding; unknown:{% endif %} {{ el.unknown }} "
           "{% if el.unknown == 1 %}indicator{% else %}indicators{% endif %}",
           "status": "{% if row.status == 'present' %}present{% elif row.status == 'absent' %}absent{% elif "
           "row.status == 'not_applicable' %}not applicable{% else %}unknown{% endif %}",
           "provisional": "* Provisional strength: not yet checked against the ILO publication."},
}
_BLOCK_TAG = re.compile(r"^\{%-?\s*(.*?)\s*[-+]?%\}$")


def body_lines(lang: str, directory: Path = HERE) -> list[tuple[str, str]]:
    """The body of the Typst template as (kind, text): kind is h1, h2, item, tag or para."""
    source = (directory / f"letter.{lang}.typ.j2").read_text(encoding="utf-8")
    body = source.split("{# docx:body #}", 1)[1].split("{# docx:end #}", 1)[0]
    out: list[tuple[str, str]] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line == "]":
            continue
        tag = _BLOCK_TAG.match(line)
        if tag:
            out.append(("tag", tag.group(1)))
            continue
        line = line.replace("*", "")
        if line.startswith("== "):
            out.append(("h2", line[3:]))
        elif line.startswith("= "):
            out.append(("h1", line[2:]))
        elif line.startswith("- "):
            out.append(("item", line[2:]))
        else:
            out.append(("para", line))
    return out


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
    left.add_paragraph("{{ addressee.attention }}")
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
    side(w["contact"], bold=True)
    side("{{ sender.phone }}")
    side("{%p if letter_version > 1 %}")
    side(w["version"], bold=True)
    side("{{ letter_version }}")
    side("{%p endif %}")

    subject = doc.add_paragraph()
    subject.add_run(f"{w['subject']}  ").bold = True
    subject.add_run(w["subject_text"])
    doc.add_paragraph("{{ salutation }}")
    # Word numbers the sections as the PDF does: a counter, since which sections appear depends on the letter.
    doc.add_paragraph("{%p set n = namespace(h=0, s=0) %}")
    for kind, text in body_lines(lang):
        if kind == "tag":
            doc.add_paragraph(f"{{%p {text} %}}")
        elif kind == "h1":
            doc.add_heading("{% set n.h = n.h + 1 %}{% set n.s = 0 %}{{ n.h }}. " + text, level=1)
        elif kind == "h2":
            doc.add_heading("{% set n.s = n.s + 1 %}{{ n.h }}.{{ n.s }}. " + text, level=2)
        elif kind == "item":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)
    doc.add_paragraph("{{ closing }}")
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

    doc.add_paragraph("{%p if kind == 'advice' %}")
    doc.add_page_break()
    doc.add_heading(w["annex_title"], level=1)
    doc.add_paragraph(w["annex_intro"])
    # Per element: its name over the full width, the indicators with a finding, then the unknown ones counted.
    table = doc.add_table(rows=10, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, w["cols"], strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    rows = table.rows
    rows[1].cells[0].text = "{%tr for el in annex %}"
    rows[2].cells[0].merge(rows[2].cells[3]).paragraphs[0].add_run("{{ el.name }}").bold = True
    rows[3].cells[0].text = "{%tr for row in el.rows %}"
    for cell, text in zip(rows[4].cells, (
            "{{ row.name }}", "{{ row.tier }}{% if row.provisional %}*{% endif %}", w["status"],
            "{% for s in row.sources %}{{ s|usertext(lang) }}{% if not loop.last %}; {% endif %}{% endfor %}"),
            strict=True):
        cell.text = text
    rows[5].cells[0].text = "{%tr endfor %}"
    rows[6].cells[0].text = "{%tr if el.unknown %}"
    rows[7].cells[0].merge(rows[7].cells[3]).paragraphs[0].add_run(w["unknown"]).italic = True
    rows[8].cells[0].text = "{%tr endif %}"
    rows[9].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)
    doc.add_paragraph("{%p if annex|map(attribute='rows')|sum(start=[])|selectattr('provisional')|list %}")
    doc.add_paragraph(w["provisional"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.save(str(out))


def main(argv: list[str]) -> int:
    """Write both templates (into this directory, or the directory given as the only argument)."""
    target = Path(argv[0]) if argv else HERE
    for lang in W:
        build(lang, target / f"letter.{lang}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
