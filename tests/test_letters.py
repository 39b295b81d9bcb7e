"""The advice letter: context, templates, escaping, PDF/PNG/DOCX rendering (the golden letters of the curated
cases are in test_letters_golden.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import typing
from pathlib import Path

import pydantic
import pytest

from assessment.errors import TemplateError
from assessment.letters import context as ctxmod
from assessment.letters.context import LetterContext
from assessment.letters.docx import check_docx_template, docx_template_path, docx_text, render_docx
from assessment.letters.render import (
    FILTERS,
    TemplateSet,
    builtin_templates,
    check_templates,
    escape_typst,
    render_markup,
    render_pdf,
    render_png,
)
from assessment.letters.templates import (
    load_sample,
    sample_contexts,
    sample_paths,
    template_set_from_files,
    template_version_id,
    validate_template_set,
)

SAMPLES = [p.stem for p in sample_paths()]
LANGS = ["nl", "en"]
# The sections of an advice letter, in order (docs: ../shared/docs/legal-test.md, "What a letter must contain").
HEADINGS = {
    "nl": ["1. Uw aanvraag", "2. Het panel", "3. De stukken en de hoorzitting", "4. De feiten",
           "5. De beoordeling per element", "6. Conclusie", "7. Besluitvorming in het panel",
           "8. Wat dit advies is en niet is", "9. Wat er nu gebeurt", "10. Privacy", "Bijlage: indicatorentabel"],
    "en": ["1. Your application", "2. The panel", "3. Documents and hearing", "4. The facts",
           "5. The assessment per element", "6. Conclusion", "7. Decision of the panel",
           "8. What this advisory opinion is and is not", "9. What happens next", "10. Privacy",
           "Annex: table of indicators"],
}

# A letter on an inadmissible application: the request, why it cannot be assessed, what the applicant can do.
INADMISSIBLE_HEADINGS = {
    "nl": ["1. Uw aanvraag", "2. Waarom het panel uw aanvraag niet kan behandelen", "3. Wat u kunt doen",
           "4. Wat deze brief is en niet is", "5. Privacy"],
    "en": ["1. Your application", "2. Why the panel cannot consider your application", "3. What you can do",
           "4. What this letter is and is not", "5. Privacy"],
}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    # Trailing spaces and form feeds depend on poppler's version, not on the letter.
    return "\n".join(line.rstrip() for line in out.stdout.decode("utf-8").replace("\f", "\n").splitlines()) + "\n"


def flat(text: str) -> str:
    """Whitespace collapsed and bidi marks dropped, so a check does not depend on where lines break or how
    the text extractor marks right-to-left runs."""
    return re.sub(r"\s+", " ", re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)).strip()


def sample(name: str, lang: str) -> LetterContext:
    return next(p for p in [load_sample(path, lang) for path in sample_paths() if path.stem == name])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# The context


def _models(model: type[pydantic.BaseModel], seen: set[type] | None = None) -> set[type[pydantic.BaseModel]]:
    seen = seen if seen is not None else set()
    seen.add(model)
    for field in model.model_fields.values():
        for arg in [field.annotation, *typing.get_args(field.annotation)]:
            for inner in [arg, *typing.get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, pydantic.BaseModel) and inner not in seen:
                    _models(inner, seen)
    return seen


def test_every_context_field_is_documented() -> None:
    undocumented = [f"{m.__name__}.{name}" for m in _models(LetterContext)
                    for name, f in m.model_fields.items() if not (f.description or "").strip()]
    assert undocumented == []
    assert len(_models(LetterContext)) == 24  # AnnexElement: the annex per element


def test_a_finding_without_reasons_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="no written reasons"):
        ctxmod.DimensionAssessment(dimension_id="x", name="Werving", status="positive", reasons="  ")


def test_a_rule_of_the_letter_is_said_in_the_reader_s_language() -> None:
    with pytest.raises(pydantic.ValidationError) as refused:
        LetterContext.model_validate(sample("positive", "nl").model_dump() | {"letter_version": 2})
    rule = refused.value.errors()[0]["ctx"]["error"]
    assert (rule.field, rule.text("nl")) == ("replaces", "een latere briefversie moet zeggen welke versie zij vervangt")


def test_an_undetermined_element_may_go_without_reasons() -> None:
    dim = ctxmod.DimensionAssessment(dimension_id="x", name="Werving", status="undetermined")
    assert dim.reasons == ""


def test_a_copy_needs_a_consent_date() -> None:
    with pytest.raises(pydantic.ValidationError, match="consent_given_on"):
        ctxmod.CopyRecipient(name="IND", consent_given_by="de aanvrager")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"departs_from_rubric": True, "departure_reasons": None}, "departs from the rubric"),
        ({"letter_version": 2}, "which version it replaces"),
        ({"unanimous": True, "dissents": [{"text": {"text": "Dit lid is het oneens.", "lang": "nl"}}]},
         "unanimous decision cannot have dissenting"),
        ({"kind": "inadmissible"}, "which requirement was not met"),
    ],
)
def test_incoherent_letters_are_refused(update: dict[str, object], message: str) -> None:
    data = sample("positive", "nl").model_dump() | update
    with pytest.raises(pydantic.ValidationError, match=message):
        LetterContext.model_validate(data)


def test_the_samples_load_in_both_languages() -> None:
    for lang in LANGS:
        refs = [(c.reference, c.letter_version, c.conclusion) for c in sample_contexts(lang)]  # type: ignore[arg-type]
        assert refs == [("AAN-2018-0010", 1, None), ("AAN-2018-0007", 1, "not_plausible"),
                        ("AAN-2018-0001", 1, "plausible"), ("AAN-2018-0001", 2, "plausible")]


# ---------------------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    ("value", "markup"),
    [
        ("Jan", '#"Jan";'),
        ('#set page(fill: red) "x"', '#"#set page(fill: red) \\"x\\"";'),
        ("a\\b", '#"a\\\\b";'),
        ("regel 1\nregel 2", '#"regel 1\\nregel 2";'),
        ("", ""),
        (6, '#"6";'),
        ("nul\x00byte", '#"nul byte";'),
    ],
)
def test_escape_typst_makes_a_string_literal(value: object, markup: str) -> None:
    assert escape_typst(value) == markup


# ---------------------------------------------------------------------------------------------------------
# Template checks


def _with(name: str, source: str) -> TemplateSet:
    sources = dict(builtin_templates().sources)
    sources[name] = source
    return TemplateSet(sources, "test")


def test_the_shipped_templates_use_only_context_fields() -> None:
    check_templates(builtin_templates())
    for lang in LANGS:
        check_docx_template(docx_template_path(lang))


def test_an_undeclared_variable_is_rejected_with_template_and_line() -> None:
    with pytest.raises(TemplateError) as err:
        check_templates(_with("letter.nl.typ.j2", "Hallo\n\n{{ applicant.name }} {{ bsn_number }}\n"))
    assert str(err.value) == ("Letter template letter.nl.typ.j2, line 3: uses undeclared variable(s) bsn_number; "
                              "a template may only use the letter's fields, listed in docs/letter-templates.md")


def test_a_syntax_error_is_rejected_with_template_and_line() -> None:
    with pytest.raises(TemplateError) as err:
        check_templates(_with("_annex.typ.j2", "regel\n{% if reference %}\nopen\n"))
    assert str(err.value) == (
        "Letter template _annex.typ.j2, line 3: syntax error: Unexpected end of template. Jinja was looking for "
        "the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'."
    )


def test_an_include_outside_the_set_is_rejected() -> None:
    with pytest.raises(TemplateError, match=r"_annex.typ.j2, line 1: includes /etc/passwd, which is not in"):
        check_templates(_with("_annex.typ.j2", '{% include "/etc/passwd" %}\n'))


def test_a_missing_language_is_rejected() -> None:
    sources = {k: v for k, v in builtin_templates().sources.items() if k != "letter.en.typ.j2"}
    with pytest.raises(TemplateError, match="letter.en.typ.j2: missing"):
        check_templates(TemplateSet(sources))


def test_an_unknown_attribute_fails_at_render_with_line() -> None:
    templates = _with("letter.nl.typ.j2", "regel een\n{{ sender.fund_name }}\n{{ sender.bank_account }}\n")
    with pytest.raises(TemplateError) as err:
        render_markup(sample("positive", "nl"), templates)
    assert str(err.value).startswith("Letter template letter.nl.typ.j2, line 3: undefined value:")
    assert "bank_account" in str(err.value)


def test_the_sandbox_refuses_python_internals() -> None:
    templates = _with("letter.nl.typ.j2", "{{ sender.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError, match="letter.nl.typ.j2"):
        render_markup(sample("positive", "nl"), templates)


def test_invalid_typst_in_a_template_is_a_template_error() -> None:
    templates = _with("letter.nl.typ.j2", "#let x = (\n{{ reference }}\n")
    with pytest.raises(TemplateError, match="produced invalid Typst"):
        validate_template_set(templates)


def test_uploaded_files_must_be_plain_template_names() -> None:
    with pytest.raises(TemplateError, match="plain name ending in .typ.j2"):
        template_set_from_files({"../letter.nl.typ.j2": "x"}, "v2")
    with pytest.raises(TemplateError, match="not UTF-8"):
        template_set_from_files({"letter.nl.typ.j2": b"\xff\xfe"}, "v2")


def test_a_valid_upload_renders_every_sample_and_has_a_stable_id() -> None:
    files = {name: src.encode() for name, src in builtin_templates().sources.items()}
    uploaded = template_set_from_files(files, "v2")
    assert validate_template_set(uploaded) == 2 * len(SAMPLES)
    assert template_version_id(uploaded) == template_version_id(builtin_templates())
    assert template_version_id(_with("_annex.typ.j2", "x")) != template_version_id(uploaded)


# ---------------------------------------------------------------------------------------------------------
# Rendering


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], tuple[bytes, bytes]]:
    """PDF and DOCX of every sample in both languages, rendered once for the module."""
    out = {}
    for name in SAMPLES:
        for lang in LANGS:
            ctx = sample(name, lang)
            out[(name, lang)] = (render_pdf(ctx), render_docx(ctx))
    return out


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_and_docx_carry_the_same_conclusion_reference_and_sections(
    name: str, lang: str, rendered: dict, tmp_path: Path
) -> None:
    ctx = sample(name, lang)
    pdf, docx = rendered[(name, lang)]
    texts = {"pdf": flat(pdf_text(pdf, tmp_path)), "docx": flat(docx_text(docx))}
    headings = HEADINGS[lang] if ctx.kind == "advice" else INADMISSIBLE_HEADINGS[lang]
    for fmt, text in texts.items():
        found = {
            "reference": ctx.reference in text,
            "conclusion": f"{ctx.conclusion_label}." in text if ctx.kind == "advice" else True,
            "reasons": flat(FILTERS["usertext"](ctx.conclusion_reasons if ctx.kind == "advice" else
                                                ctx.admissibility.reasons, lang)) in text,
            "headings": [h for h in headings if h not in text],
            "order": [text.index(h) for h in headings] == sorted(text.index(h) for h in headings),
        }
        assert found == {"reference": True, "conclusion": True, "reasons": True, "headings": [], "order": True}, fmt


def test_the_same_letter_gives_the_same_pdf_bytes() -> None:
    ctx = sample("positive", "nl")
    assert render_pdf(ctx) == render_pdf(ctx)


def test_the_pdf_is_pdf_a(rendered: dict) -> None:
    pdf = rendered[("positive", "nl")][0]
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"pdfaid:part[>=\"]+2", pdf) is not None


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_every_font_is_embedded(rendered: dict, tmp_path: Path) -> None:
    path = tmp_path / "l.pdf"
    path.write_bytes(rendered[("not_plausible", "nl")][0])
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    # columns: name type encoding emb sub uni object-id; `emb` is the fourth from the end
    assert [row.split()[-4] for row in rows] == ["yes"] * len(rows)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_png_preview_has_one_image_per_pdf_page(rendered: dict, tmp_path: Path) -> None:
    ctx = sample("positive", "en")
    pages = render_png(ctx, ppi=40)
    path = tmp_path / "l.pdf"
    path.write_bytes(rendered[("positive", "en")][0])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert [p[:8] for p in pages] == [b"\x89PNG\r\n\x1a\n"] * count


# ---------------------------------------------------------------------------------------------------------
# Hostile input: whatever a user types is shown literally, in the PDF and in the DOCX

# Each at most 40 characters, the shortest limit of a free-text field (reference, phone).
HOSTILE = [
    "#set page(fill: red) *vet* _schuin_",
    "$x^2$ `code` <label> @ref [link](x)",
    "\\ ~ // /* */ \\n #(1+1) #{\"x\"} #x;",
    '= kop - + "q" \'s\' ... -- http://x',
    "{{ 7*7 }} {% if true %}j{% endif %}",
    "{# c #} <script>x</script> &amp; ]]>",
    "مريم الحسن",
    "שרה כהן",
    "Zoë Ñúñez · Łukasz Wójcik · Ærø",
    "Nguyễn Thị Hồng",
]
_FIXED = {"lang", "status", "route", "conclusion", "content_hash", "indicator_id", "dimension_id", "kind",
          "reasons_lang"}


def _hostile(ctx: LetterContext, text: str) -> LetterContext:
    """The context with every free-text field a user can fill set to `text`."""

    def walk(value: object, key: str = "") -> object:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key not in _FIXED:
            return text
        return value

    return LetterContext.model_validate(walk(ctx.model_dump()))


@needs_poppler
@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("lang", LANGS)
def test_hostile_text_is_rendered_literally(text: str, lang: str, tmp_path: Path) -> None:
    ctx = _hostile(sample("positive", lang), text)
    pdf = flat(pdf_text(render_pdf(ctx), tmp_path))
    docx = flat(docx_text(render_docx(ctx)))
    # the applicant's name alone appears at least in the intro, question, admissibility and conclusion
    assert (pdf.count(flat(text)) >= 20, docx.count(flat(text)) >= 20) == (True, True)
    assert "49" not in pdf.replace(ctx.letter_date.strftime("%Y"), "")


@needs_poppler
def test_right_to_left_names_keep_their_letters(tmp_path: Path) -> None:
    ctx = sample("not_plausible", "nl")
    text = pdf_text(render_pdf(ctx), tmp_path)
    assert "مريم الحسن" in text


@needs_poppler
def test_very_long_text_flows_over_pages(tmp_path: Path) -> None:
    long = " ".join(["Zij beschreef de omstandigheden opnieuw, in detail en consistent."] * 300)
    base = sample("positive", "nl")
    ctx = base.model_copy(update={"conclusion_reasons": ctxmod.UserText(text=long, lang="nl")})
    text = flat(pdf_text(render_pdf(ctx), tmp_path))
    assert text.count("in detail en consistent.") == 300
    assert re.search(r"Pagina 1 van (\d+)", text).group(1) == str(len(render_png(ctx, ppi=20)))  # type: ignore[union-attr]


def test_a_broken_sample_letter_is_named_with_what_is_wrong_in_one_language(tmp_path: Path) -> None:
    from assessment.errors import ValidationError

    shutil.copy(sample_paths()[0].parent / "_common.yaml", tmp_path)
    (tmp_path / "extra.yaml").write_text(sample_paths()[0].read_text(encoding="utf-8") + "groet: hallo\n",
                                         encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    said = {}
    for name in ("extra", "list", "broken"):
        with pytest.raises(ValidationError) as info:
            load_sample(tmp_path / f"{name}.yaml", "nl")
        said[name] = (info.value.text("nl"), info.value.text("en"))
    assert said["extra"] == (
        "Voorbeeldbrief extra.yaml (Nederlandse tekst) is ongeldig: 'groet': is hier geen bekend veld; controleer de "
        "spelling of verwijder het",
        "Sample letter extra.yaml (Dutch text) is invalid: 'groet': not a known field here; check the spelling or "
        "remove it")
    assert said["list"] == ("Voorbeeldbrief list.yaml is ongeldig: moet een lijst van sleutels met waarden zijn",
                            "Sample letter list.yaml is invalid: should be a mapping of keys to values")
    # The YAML parser's own words are technical detail and stay as they are; the sentence around them is Dutch.
    assert said["broken"][0].startswith("Voorbeeldbrief broken.yaml is geen geldige YAML: while parsing")
    assert said["broken"][1].startswith("Sample letter broken.yaml is not valid YAML: while parsing")
