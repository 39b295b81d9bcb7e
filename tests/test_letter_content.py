"""What every letter of a curated case says, checked on the PDF text (pdftotext), in Dutch and English.

Expectations come from the case files (pilot_data/cases/*.yaml: consents, recipients, medical input,
dissents, names), from the deployment file (templates/letters/letterhead.yaml) and from the rules in
../shared/docs/legal-test.md and letter-language.md, not from the code that builds the letter:

- no raw id or code word ("adult_sexual", "coercion_destination.isolation", "1 strong + 1 medium/weak");
- no English word in the Dutch letter and no Dutch word in the English one (proper names aside; text
  someone typed in the other language is set in curly quotes and marked, and is left out of the check);
- no ISO date in running text;
- the legal status and the remedies agree: an advice that is "geen besluit" offers no objection or appeal;
- the privacy notice is true for the case: health data are named exactly when the file holds medical input
  or a medical statement with an authorisation valid on the letter's date; the police file is named as a
  source exactly when the applicant authorised it; no medical note or source ever appears;
- copies go to exactly the recipients the applicant consented to (not revoked), by name;
- a dissent names no member and is not in the first person.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assessment import services
from assessment.casefile import CaseFileModel, read_case_file
from assessment.config import Settings
from assessment.errors import LetterConsistencyError, ValidationError
from assessment.letters.deployment import DEPLOYMENT_FILE, parse_deployment
from assessment.letters.render import render_pdf
from assessment.rubric import Rubric
from assessment.services.importing import DEMO_CASES, import_case_file
from assessment.services.letter_context import build_letter_context
from assessment.store import open_store

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

LETTER_DATE = dt.date(2026, 8, 3)
LANGS = ("nl", "en")
CASE_FILES = sorted(DEMO_CASES.glob("*.yaml"))
LETTERED = [p.stem for p in CASE_FILES if (cf := read_case_file(p)).expected is not None
            and cf.expected.status in ("decided", "inadmissible")]
DEPLOYMENT = YAML(typ="safe").load((Path(__file__).parents[1] / "templates" / "letters" / "letterhead.yaml")
                                   .read_text(encoding="utf-8"))

# Words that betray the other language (short, common, unambiguous in running text).
ENGLISH = {"the", "and", "with", "police", "medical", "strong", "weak", "yes", "plausible", "applicant",
           "source", "care", "labour", "sexual", "present", "absent", "unknown", "finding", "page", "dear"}
DUTCH = {"de", "het", "een", "van", "en", "met", "niet", "voor", "aanvrager", "aanvraagster", "politie",
         "advocaat", "retouradres", "bijlage", "ja", "nee", "bron", "sterk", "matig", "zwak", "aanwezig", "afwezig",
         "onbekend", "oordeel", "pagina", "geachte", "hoogachtend", "machtiging", "besluit", "bezwaar", "fictief"}
CODE_WORDS = ["strong +", "medium/weak", "1 strong", "sterk +", "matig/zwak", "adult_sexual", "child_", "inform_third_parties",
              "police_file", "sha256", "Vervangt: None", "Replaces: None"]
RAW_ID = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z_]+\.[a-z_]{3,}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# 22-12-2025, 22/12/2025, 22.12.2025: running text writes "22 december 2025" (letter-language.md)
NUMERIC_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b")
# Offering an objection or appeal against the advice itself (a complaint, or objecting to processing, is fine).
APPEAL = re.compile(r"bezwaarschrift|bezwaar maken (tegen (dit|het) advies|bij)|binnen (zes|6) weken|beroep instellen|"
                    r"notice of objection|object to this advis|lodge an objection|within (six|6) weeks|"
                    r"appeal against this", re.IGNORECASE)
QUOTED = re.compile(r"“[^”]*”")


def _texts(value: object, lang: str) -> list[str]:
    if isinstance(value, dict):
        if set(value) == {"nl", "en"}:
            return [str(value[lang])]
        return [t for v in value.values() for t in _texts(v, lang)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, lang)]
    return [value] if isinstance(value, str) else []


def proper_names(cf: CaseFileModel, lang: str) -> list[str]:
    """Names that stay as they are in either language: the fund, referral bodies, the authority, people,
    addresses and recipients."""
    d = DEPLOYMENT
    names = [*_texts(d["sender"], lang), *_texts(d["privacy"]["controller"], lang), "Autoriteit Persoonsgegevens",
             *[r["name"] for r in d["referrals"]], *[r.name for r in cf.recipients], "Immigratie- en Naturalisatiedienst",
             "Algemene wet bestuursrecht", "Wet politiegegevens", "Uitvoeringswet AVG", "Wetboek van Strafrecht"]
    applicant = cf.intake.applicant
    # The pseudonym's word ("Aanvrager") and the title "mr." are Dutch: only the Dutch letter may show them.
    names += ([applicant.name, applicant.representative] if lang == "nl" else []) + [
        re.sub(r"^mr\.\s*", "", applicant.representative), *applicant.representative_contact.split(", ")]
    return sorted({n for n in names if n}, key=len, reverse=True)


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", re.sub(r"\u00ad\s*", "", out.stdout.decode("utf-8")))


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Iterator[dict[tuple[str, str], str]]:
    """(case stem, lang) -> PDF text of the letter a secretary previews, each case imported in that language."""
    tmp = tmp_path_factory.mktemp("content")
    out = {}
    for lang in LANGS:
        store = open_store(Settings(db_path=tmp / f"{lang}.sqlite3", demo=True))
        services.load_demo_users(store)
        chair, trainer = services.user_by_name(store, "chair"), services.user_by_name(store, "trainer")
        secretary = services.user_by_name(store, "secretary")
        for path in CASE_FILES:
            if path.stem not in LETTERED:
                continue
            importer = trainer if read_case_file(path).space == "training" else chair
            ref = import_case_file(store, importer, path, services.shipped_rubric(), lang=lang)  # type: ignore[arg-type]
            pdf = services.preview_letter(store, secretary, ref, lang, "pdf", letter_date=LETTER_DATE)[0]  # type: ignore[arg-type]
            out[(path.stem, lang)] = pdf_text(pdf, tmp)
        store.close()
    yield out


def _valid(given: dt.date, revoked: dt.date | None) -> bool:
    return given <= LETTER_DATE and (revoked is None or revoked > LETTER_DATE)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LETTERED)
def test_no_raw_id_code_word_iso_or_numeric_date_or_other_language(stem: str, lang: str,
                                                        letters: dict[tuple[str, str], str]) -> None:
    cf = read_case_file(DEMO_CASES / f"{stem}.yaml", lang)  # type: ignore[arg-type]
    text = letters[(stem, lang)]
    plain = QUOTED.sub(" ", text)  # text typed in the other language, marked as such
    for name in proper_names(cf, lang):
        plain = plain.replace(name, " ")
    plain = re.sub(r"\S+@\S+|\S+\.example", " ", plain)  # e-mail and web addresses
    found = {
        "raw ids": RAW_ID.findall(plain),
        "code words": [c for c in CODE_WORDS if c in plain],
        "iso dates": ISO_DATE.findall(plain),
        "numeric dates": NUMERIC_DATE.findall(text),  # typed text included: the curated reasons write dates out
        "other language": sorted(words(plain) & (ENGLISH if lang == "nl" else DUTCH)),
    }
    assert found == {"raw ids": [], "code words": [], "iso dates": [], "numeric dates": [],
                     "other language": []}


def test_the_english_letter_names_the_applicant_and_the_lawyer_in_english(letters: dict[tuple[str, str], str]) -> None:
    # Case 04 records "Aanvrager D", represented by "mr. Fictief-Jansen" (pilot_data/cases/04-...yaml). English has
    # no "mr." (letter-language.md: no Dutch left in the English letter): the address keeps the name and firm.
    nl, en = letters[("04-sexual-decided-positive", "nl")], letters[("04-sexual-decided-positive", "en")]
    assert "Aanvrager D" in nl and "mr. Fictief-Jansen Fictief Advocaten" in nl and "Applicant D" not in nl
    assert "Applicant D" in en and "Aanvrager" not in en
    assert "mr." not in en and " Fictief-Jansen Fictief Advocaten" in en
    # The salutation: "heer/mevrouw" is "Mr/Ms" (the name is known, the form of address is not).
    assert "Geachte heer/mevrouw Fictief-Jansen," in nl and "Dear Mr/Ms Fictief-Jansen," in en


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LETTERED)
def test_status_and_remedies_agree(stem: str, lang: str, letters: dict[tuple[str, str], str]) -> None:
    text = letters[(stem, lang)]
    status = "geen besluit" in text if lang == "nl" else "not a decision" in text or "not an advisory opinion" in text
    not_advice = "geen advies" in text if lang == "nl" else "not an advisory opinion" in text
    assert (status or not_advice, APPEAL.findall(text)) == (True, [])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LETTERED)
def test_the_privacy_notice_is_true_for_the_case(stem: str, lang: str, letters: dict[tuple[str, str], str]) -> None:
    cf = read_case_file(DEMO_CASES / f"{stem}.yaml", lang)  # type: ignore[arg-type]
    text = letters[(stem, lang)]
    consents = {c.scope: _valid(c.given_on, c.revoked_on) for c in cf.consents}
    medical_in_file = any(d == "medical" and e.submitted for d, e in cf.inputs.items()) or any(
        d.source == "medical" for d in cf.documents)
    health_used = consents.get("medical", False) and medical_in_file
    health = "gegevens over gezondheid" if lang == "nl" else "data concerning health"
    statement = "medische verklaring" if lang == "nl" else "medical statement"
    police = "politiedossier" if lang == "nl" else "police file"
    medical_text = [t for d, e in cf.inputs.items() if d == "medical"
                    for o in e.draft.observations for t in (o.note, o.source) if len(t) > 3]
    medical_text += [d.title for d in cf.documents if d.source == "medical" and d.title]
    found = {
        "health named": health in text, "medical statement": statement in text,
        "police file as source": police in text, "medical text": [t for t in medical_text if t in text],
        # pdftotext drops a line-end hyphen; the address may also run over a page break (footer and header between)
        "dpo": re.search(r"fg@fonds-?\s?(?:(?:Page|Pagina) \d+ (?:of|van) \d+ .{0,200}?)?fictief\.example", text) is not None,
        "authority": "Autoriteit Persoonsgegevens" in text,
        "art. 9 and 10": ("artikel 10 AVG" if lang == "nl" else "article 10 GDPR") in text,
    }
    assert found == {"health named": health_used, "medical statement": health_used,
                     "police file as source": consents.get("police_file", False), "medical text": [], "dpo": True,
                     "authority": True, "art. 9 and 10": True}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LETTERED)
def test_copies_go_only_to_consented_recipients(stem: str, lang: str, letters: dict[tuple[str, str], str]) -> None:
    cf = read_case_file(DEMO_CASES / f"{stem}.yaml", lang)  # type: ignore[arg-type]
    text = letters[(stem, lang)]
    heading = "Afschrift aan" if lang == "nl" else "Copy to"
    copies = text.split(heading, 1)[1].split("Bijlage" if lang == "nl" else "Annex", 1)[0] if heading in text else ""
    named = {r.name for r in cf.recipients if r.name in copies}
    assert named == {r.name for r in cf.recipients if _valid(r.given_on, r.revoked_on)}
    if not named:
        assert heading not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", LETTERED)
def test_a_dissent_is_anonymous(stem: str, lang: str, letters: dict[tuple[str, str], str]) -> None:
    cf = read_case_file(DEMO_CASES / f"{stem}.yaml", lang)  # type: ignore[arg-type]
    text = letters[(stem, lang)]
    dissents = cf.decision.dissents if cf.decision else []
    # The demo members' names (users.load_demo_users: "Demo <Username>"); the dissenters' among them.
    members = {f"Demo {d.username.capitalize()}" for d in dissents} | {"Demo Police", "Demo Care", "Demo Medical"}
    assert [m for m in members if m in text] == []
    if dissents:
        one = "Eén lid van het panel" if lang == "nl" else "One member of the panel"
        assert one in text
        assert re.search(r"\b(Ik|I) (acht|do|find|am)\b", text) is None


def test_the_inadmissible_case_gets_its_letter(letters: dict[tuple[str, str], str]) -> None:
    nl, en = letters[("10-inadmissible-late", "nl")], letters[("10-inadmissible-late", "en")]
    assert [s in nl for s in ("binnen vier weken", "30 maart 2026", "25 mei 2026", "Wat u kunt doen")] == [True] * 4
    assert [s in en for s in ("within four weeks", "30 March 2026", "25 May 2026", "What you can do")] == [True] * 4


# ---------------------------------------------------------------------------------------------------------
# Deployment facts are configuration


def _second_deployment() -> str:
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    for old, new in [("Fonds Slachtofferhulp Mensenhandel (fictief)", "Stichting Tweede Fonds (fictief)"),
                     ("Fonds Slachtofferhulp Mensenhandel (fictitious)", "Second Fund Foundation (fictitious)"),
                     ("fg@fonds-fictief.example", "privacy@tweede.example"),
                     ("Postbus 99999", "Postbus 4242"), ("CoMensha", "Hulplijn Tweede"),
                     ("Omdat dit advies geen besluit is, staan bezwaar en beroep ertegen niet open.",
                      "Tegen dit advies staat geen rechtsmiddel open; het tweede fonds hoort u graag."),
                     ("de Tijdelijke regeling multidisciplinair advies", "de Tweede regeling multidisciplinair advies")]:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_a_second_deployment_file_gives_other_facts(tmp_path: Path, rubric: Rubric) -> None:
    second = parse_deployment(_second_deployment(), "second.yaml")
    store = open_store(Settings(db_path=tmp_path / "d.sqlite3", demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    ref = import_case_file(store, chair, DEMO_CASES / "09-police-care-disagree.yaml", services.shipped_rubric())
    ctx = build_letter_context(store, chair, ref, "nl", letter_date=LETTER_DATE, deployment=second)
    text = pdf_text(render_pdf(ctx), tmp_path)
    store.close()
    new = ["Stichting Tweede Fonds (fictief)", "privacy@tweede.example", "Postbus 4242", "Hulplijn Tweede",
           "Tegen dit advies staat geen rechtsmiddel open", "de Tweede regeling multidisciplinair advies"]
    old = ["Fonds Slachtofferhulp Mensenhandel", "fg@fonds", "Postbus 99999", "CoMensha",
           "staan bezwaar en beroep ertegen niet open", "Tijdelijke regeling"]
    assert ([n for n in new if n not in text], [o for o in old if o in text]) == ([], [])


def test_a_deployment_value_the_letter_cannot_hold_names_the_file_to_mend(tmp_path: Path, rubric: Rubric) -> None:
    # The deployment file allows long texts, the letterhead a fund name of at most 200 characters
    # (LetterContext.Sender): the letter is refused with that place named, not with a stack trace.
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    assert "Fonds Slachtofferhulp Mensenhandel (fictief)" in text
    long = parse_deployment(text.replace("Fonds Slachtofferhulp Mensenhandel (fictief)", "Fonds " + "x" * 300), "l.yaml")
    store = open_store(Settings(db_path=tmp_path / "d.sqlite3", demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    ref = import_case_file(store, chair, DEMO_CASES / "09-police-care-disagree.yaml", services.shipped_rubric())
    with pytest.raises(ValidationError) as err:
        build_letter_context(store, chair, ref, "nl", letter_date=LETTER_DATE, deployment=long)
    store.close()
    assert err.value.field == "deployment"
    # What, in the reader's words (the fund's name is the privacy notice's controller), and where it is mended;
    # never the letter's field path (privacy.controller).
    assert err.value.text("nl") == (
        "De brief kan niet worden opgesteld: de verwerkingsverantwoordelijke in de privacyverklaring is te lang "
        "(hoogstens 200 tekens). In het inzetbestand templates/letters/letterhead.yaml, dat de beheerder aanpast.")
    assert str(err.value) == (
        "The letter cannot be built: the controller in the privacy notice is too long (at most 200 characters). "
        "In the deployment file templates/letters/letterhead.yaml, which the administrator changes.")


@pytest.mark.parametrize(("old", "new"), [
    ("Omdat dit advies geen besluit is, staan bezwaar en beroep ertegen niet open.",
     "U kunt binnen zes weken bezwaar maken bij het bestuur van het fonds."),
    ("As this advisory opinion is not a decision, no objection or appeal lies against it.",
     "You can lodge an objection within six weeks."),
])
def test_remedies_that_contradict_the_status_are_refused(old: str, new: str) -> None:
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ValidationError, match="remedies, .* against an advice that is not a decision") as refused:
        parse_deployment(text.replace(old, new), "contradiction.yaml")
    # At the key and language to mend, in the reader's words: "rechtsmiddelen, Nederlandse tekst" in Dutch.
    said = "Nederlandse" if old.startswith("Omdat") else "Engelse"
    assert f"rechtsmiddelen, {said} tekst: biedt '" in refused.value.text("nl")


def test_a_deployment_file_with_an_unknown_key_or_missing_text_names_the_field() -> None:
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    with pytest.raises(ValidationError, match="remedy_weeks"):
        parse_deployment(text + "remedy_weeks: 6\n", "extra.yaml")
    # named in the editor's terms: the section, the key as the file spells it, and what is wrong
    with pytest.raises(ValidationError, match="privacy notice, 'dpo': missing; .*'dpo_gone': not a known field"):
        parse_deployment(text.replace("  dpo: {nl:", "  dpo_gone: {nl:"), "missing.yaml")


# ---------------------------------------------------------------------------------------------------------
# Special-category evidence in a secretary's preview

MARK = "GEHEIM-MEDISCH-7Q"


def test_a_secretary_s_preview_names_medical_evidence_by_category_only(tmp_path: Path, rubric: Rubric) -> None:
    """Case 04 has medical input under a valid authorisation; a medical document's title carries a marker.
    The secretary's preview cites the evidence as "medische verklaring" and shows no note, source or title
    of it; after the authorisation is revoked, not even that (the decision is refused rather than the letter
    quietly changing: a letter never silently drops evidence the panel relied on)."""
    store = open_store(Settings(db_path=tmp_path / "m.sqlite3", demo=True))
    services.load_demo_users(store)
    chair, secretary = services.user_by_name(store, "chair"), services.user_by_name(store, "secretary")
    original = (DEMO_CASES / "04-sexual-decided-positive.yaml").read_text(encoding="utf-8")
    assert "\ndocuments:\n" in original
    path = tmp_path / "04-with-medical-document.yaml"
    path.write_text(original.replace("\ndocuments:\n", "\ndocuments:\n- {source: medical, kind: verklaring, "
                                     f"received_on: 2026-02-01, title: {MARK} verklaring huisarts}}\n", 1),
                    encoding="utf-8")
    cf = read_case_file(path)
    ref = import_case_file(store, chair, path, services.shipped_rubric())
    text = pdf_text(services.preview_letter(store, secretary, ref, "nl", "pdf", letter_date=LETTER_DATE)[0], tmp_path)
    medical = [t for d, e in cf.inputs.items() if d == "medical" for o in e.draft.observations
               for t in (o.note, o.source) if len(t) > 3]
    assert medical, "case 04 must carry medical input for this test"
    assert ([t for t in [MARK, *medical] if t in text], "medische verklaring" in text,
            "gegevens over gezondheid" in text) == ([], True, True)
    consent = next(c for c in services.get_case(store, chair, ref).consents if c.scope == "medical")
    services.revoke_consent(store, chair, ref, consent.id, "ingetrokken", consent.version, on=dt.date(2026, 7, 1))
    try:
        text = pdf_text(services.preview_letter(store, secretary, ref, "nl", "pdf", letter_date=LETTER_DATE)[0],
                        tmp_path)
    except LetterConsistencyError:
        text = ""
    assert [t for t in ["medische verklaring", "gezondheid", MARK, *medical] if t in text] == []
    store.close()


def test_a_draft_carries_the_concept_watermark_and_the_issued_letter_none(tmp_path: Path, rubric: Rubric) -> None:
    from assessment.letters.docx import docx_text, render_docx
    from assessment.letters.render import render_markup

    store = open_store(Settings(db_path=tmp_path / "w.sqlite3", demo=True))
    services.load_demo_users(store)
    chair = services.user_by_name(store, "chair")
    ref = import_case_file(store, chair, DEMO_CASES / "09-police-care-disagree.yaml", services.shipped_rubric())
    issued = build_letter_context(store, chair, ref, "nl", letter_date=LETTER_DATE)
    draft = issued.model_copy(update={"draft": True})
    store.close()
    assert [("[CONCEPT]" in render_markup(c), "CONCEPT" in docx_text(render_docx(c))) for c in (draft, issued)] == [
        (True, True), (False, False)]


def test_a_malformed_letterhead_file_says_where_in_its_own_terms() -> None:
    # Hand-worked: the panel's name without its English text, and a key the file does not know.
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    broken = text.replace(', en: "Multidisciplinary Advisory Panel on Human Trafficking"}', "}").replace(
        'phone: "0800 000 0000"', 'phone: "0800 000 0000"\n  fax: "1"')
    assert broken.count("fax") == 1
    with pytest.raises(ValidationError) as err:
        parse_deployment(broken, "letterhead.yaml")
    nl = err.value.text("nl")
    assert "afzender, 'fax': is hier geen bekend veld" in nl
    assert "naam van het panel, Engelse tekst: ontbreekt; dit veld is verplicht" in nl
    assert not [w for w in ("panel_name", "sender.", "Field required", "Extra inputs", ".str") if w in nl]
    assert "name of the panel, English text: missing" in err.value.text("en")


def test_a_rule_the_letterhead_file_breaks_is_said_in_the_reader_s_language() -> None:
    # A rule across fields (our own check, not pydantic's): a Dutch reader reads it in Dutch, an English one in
    # English, never the other (issue #15 item 5). Hand-written: one Dutch remedy paragraph removed.
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8")
    dropped = '    - "Omdat dit advies geen besluit is, staan bezwaar en beroep ertegen niet open."\n'
    assert dropped in text
    with pytest.raises(ValidationError) as err:
        parse_deployment(text.replace(dropped, ""), "letterhead.yaml")
    nl, en = err.value.text("nl"), err.value.text("en")
    assert "rechtsmiddelen: de Nederlandse en de Engelse tekst moeten evenveel alinea's hebben" in nl
    assert "remedies: the Dutch and English texts must have the same number of paragraphs" in en
    assert "Dutch and English" not in nl and "Value error" not in nl + en


def test_the_exception_route_without_its_reason_is_said_at_that_field_in_the_reader_s_language() -> None:
    import pydantic

    from assessment.fileplaces import explain, rule_loc
    from assessment.letters.context import Admissibility

    with pytest.raises(pydantic.ValidationError) as err:
        Admissibility(route="exception")
    error = err.value.errors()[0]
    assert (explain(error).text("nl"), explain(error).text("en"), rule_loc(error, ())) == (
        "de uitzonderingsroute vraagt de reden waarom de persoon geen aangifte kon of wilde doen",
        "the exception route needs the reason the person could not or would not report", ("exception_reason",))
