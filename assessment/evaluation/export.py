"""Exports for evaluators: `research` (pseudonymised, coarsened, protected) and `full` (administrators only,
recorded in the audit log by the service that calls it), to CSV (with a codebook file) or XLSX (with a
data-dictionary sheet).

Research rows never hold a name, contact detail, date of birth, exact date or free text: every export
draws fresh random case keys and shuffles the rows, dates become durations in days and a year-month,
ages become bands, and a quasi-identifying value shared by fewer cases than the threshold becomes `x`.
Every text cell that a spreadsheet could run as a formula (starting with = + - @, tab or CR) is
neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import itertools
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .disclosure import DEFAULT_RULE, SUPPRESSED_MARK, DisclosureRule, L, nationality_groups
from .facts import AGE_BANDS, FOLLOW_UP_KINDS, CaseFacts
from .labels import VALUE_LABELS
from .metrics import STAGES
from .xlsx import write_xlsx

Profile = Literal["research", "full"]
Format = Literal["csv", "xlsx"]
Value = str | int | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The first row of every table an export of the training space writes, so no file or sheet of it can pass
# for real pilot data (also the first row of the codebook / data dictionary, and an extra first sheet).
TRAINING_MARK = "# TRAINING – oefengegevens, geen echte dossiers / training data, not real cases"


def neutralise(value: Value) -> Value:
    """A text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Field:
    """One column of an export, with its meaning and values for the codebook."""

    name: str
    meaning: L
    values: str = ""
    research: bool = True
    full: bool = True


def _values(kind: str) -> str:
    return "; ".join(f"{k} = {v.nl} / {v.en}" for k, v in VALUE_LABELS[kind].items())


STAGE_FIELDS = {
    "admissibility_decided": L(nl="ontvankelijkheidsbeslissing", en="admissibility decision"),
    "file_complete": L(nl="dossier compleet", en="file complete"),
    "hearing": L(nl="hoorzitting", en="hearing"),
    "decided": L(nl="advies", en="advice"),
    "letter": L(nl="brief verzonden", en="letter issued"),
}
assert set(STAGES) <= set(STAGE_FIELDS)

CASE_FIELDS: list[Field] = [
    Field(
        "case_key",
        L(nl="Zaaksleutel, voor elke export opnieuw getrokken", en="Case key, drawn anew for each export"),
    ),
    Field("received_month", L(nl="Maand van aanvraag (JJJJ-MM)", en="Month of application (YYYY-MM)")),
    Field("received_date", L(nl="Datum van aanvraag", en="Date of application"), research=False),
    *(
        Field(
            f"days_to_{s}",
            L(nl=f"Dagen van aanvraag tot {lbl.nl}", en=f"Days from application to {lbl.en}"),
            "0-",
        )
        for s, lbl in STAGE_FIELDS.items()
    ),
    Field("status", L(nl="Stand van de zaak", en="Status of the case"), _values("status")),
    Field("form", L(nl="Uitbuitingsvorm", en="Form of exploitation"), _values("form")),
    Field(
        "nationality_group",
        L(
            nl="Nationaliteit, zeldzame gegroepeerd (r: regio, c: continent)",
            en="Nationality, rare ones grouped",
        ),
        "ISO 3166-1 alpha-2; r:<region>; c:<continent>; other; unknown",
        full=False,
    ),
    Field("nationality", L(nl="Nationaliteit", en="Nationality"), "ISO 3166-1 alpha-2", research=False),
    Field("gender", L(nl="Gender", en="Gender"), _values("gender")),
    Field("age_band", L(nl="Leeftijdsklasse bij aanvraag", en="Age band at application"), "; ".join(AGE_BANDS)),
    Field("age", L(nl="Leeftijd bij aanvraag", en="Age at application"), "0-120", research=False),
    Field("route", L(nl="Route", en="Route"), _values("route")),
    Field("rubric_id", L(nl="Rubriek", en="Rubric")),
    Field("rubric_version", L(nl="Rubriekversie", en="Rubric version")),
    Field("rubric_profile", L(nl="Rubriekprofiel", en="Rubric profile")),
    Field("rubric_outcome", L(nl="Uitkomst volgens de rubriek", en="Outcome by the rubric"), _values("outcome")),
    Field("panel_outcome", L(nl="Uitkomst van het panel", en="Outcome of the panel"), _values("outcome")),
    Field("override_reason", L(nl="Afwijking gemotiveerd", en="Departure reasoned"), "yes; no"),
    Field("override_category", L(nl="Categorie van de reden", en="Category of the reason")),
    *(
        Field(
            f"follow_up_{k}",
            L(nl=f"Vervolg: {v.nl.lower()}", en=f"Follow-up: {v.en.lower()}"),
            _values("follow_up_status"),
        )
        for k, v in VALUE_LABELS["follow_up_kind"].items()
    ),
    Field("n_disciplines", L(nl="Aantal disciplines met inbreng", en="Number of disciplines with input"), "0-"),
]

# Quasi-identifiers: a value fewer cases share than the threshold is published as `x`.
QUASI_IDENTIFIERS = ("form", "nationality_group", "gender", "age_band", "route")


class ExportResult(BaseModel):
    """What an export wrote."""

    model_config = ConfigDict(frozen=True)

    profile: Profile
    format: Format
    paths: list[Path]
    cases: int
    discipline_rows: int
    rule: DisclosureRule
    training: bool = False


def _days(c: CaseFacts, stage: str) -> int | None:
    d: date | None = getattr(c, stage)
    return None if d is None else (d - c.received).days


def case_rows(
    cases: Sequence[CaseFacts], profile: Profile, rule: DisclosureRule, keys: dict[str, str]
) -> tuple[list[str], list[list[Value]]]:
    """The case table: header and rows, in the order of `keys` (original key -> export key)."""
    fields = [f for f in CASE_FIELDS if (f.research if profile == "research" else f.full)]
    groups = nationality_groups([c.nationality for c in cases], rule) if profile == "research" else {}
    rows = []
    for c in cases:
        rec: dict[str, Value] = {
            "case_key": keys[c.key],
            "received_month": f"{c.received.year}-{c.received.month:02d}",
            "received_date": c.received.isoformat(),
            "status": c.status,
            "form": c.form,
            "nationality_group": groups.get(c.nationality),
            "nationality": c.nationality,
            "gender": c.gender,
            "age_band": c.age_band,
            "age": c.age,
            "route": c.route,
            "rubric_id": c.rubric_id,
            "rubric_version": c.rubric_version,
            "rubric_profile": c.profile,
            "rubric_outcome": c.rubric_outcome,
            "panel_outcome": c.panel_outcome,
            "override_reason": "yes" if c.override_reason else "no",
            "override_category": c.override_category,
            "n_disciplines": len(c.disciplines),
        }
        for s in STAGE_FIELDS:
            rec[f"days_to_{s}"] = _days(c, s)
        if c.panel_outcome is not None:
            for k in FOLLOW_UP_KINDS:
                rec[f"follow_up_{k}"] = c.follow_up.get(k, "unknown")
        rows.append([rec.get(f.name) for f in fields])
    header = [f.name for f in fields]
    if profile == "research":
        _suppress_rare(header, rows, rule)
    order = sorted(range(len(rows)), key=lambda i: str(rows[i][0]))
    return header, [rows[i] for i in order]


def _suppress_rare(header: list[str], rows: list[list[Value]], rule: DisclosureRule) -> None:
    for name in QUASI_IDENTIFIERS:
        col = header.index(name)
        counts = Counter(r[col] for r in rows)
        rare = {v for v, n in counts.items() if rule.hides(n)}
        if rare:
            for r in rows:
                if r[col] in rare:
                    r[col] = SUPPRESSED_MARK


def discipline_fields(cases: Sequence[CaseFacts]) -> list[Field]:
    """Columns of the discipline table: key, discipline, overall view, one per dimension, rating counts."""
    dims = sorted({k for c in cases for d in c.disciplines for k in d.dimensions})
    views = _values("view")
    return [
        Field("case_key", L(nl="Zaaksleutel (als in de zakentabel)", en="Case key (as in the case table)")),
        Field("discipline", L(nl="Discipline", en="Discipline")),
        Field(
            "overall_view",
            L(nl="Eindoordeel van de discipline", en="The discipline's overall view"),
            _values("outcome"),
        ),
        *(Field(f"view_{d}", L(nl=f"Oordeel dimensie {d}", en=f"View on dimension {d}"), views) for d in dims),
        Field("n_present", L(nl="Indicatoren aanwezig", en="Indicators present"), "0-"),
        Field("n_absent", L(nl="Indicatoren afwezig", en="Indicators absent"), "0-"),
        Field("n_unknown", L(nl="Indicatoren onbekend", en="Indicators unknown"), "0-"),
    ]


def discipline_rows(cases: Sequence[CaseFacts], fields: list[Field], keys: dict[str, str]) -> list[list[Value]]:
    """One row per discipline input, sorted by export key so the order says nothing of the original."""
    dims = [f.name[5:] for f in fields if f.name.startswith("view_")]
    rows: list[list[Value]] = []
    for c in sorted(cases, key=lambda c: keys[c.key]):
        for d in c.disciplines:
            st = Counter(d.indicators.values())
            rows.append(
                [
                    keys[c.key],
                    d.discipline,
                    d.overall,
                    *(d.dimensions.get(k) for k in dims),
                    st["present"],
                    st["absent"],
                    st["unknown"],
                ]
            )
    return rows


def _export_keys(cases: Sequence[CaseFacts], profile: Profile) -> dict[str, str]:
    if profile == "full":
        return {c.key: c.key for c in cases}
    # A fresh tag and a fresh shuffle each time: keys of two exports cannot be linked.
    tag = secrets.token_hex(3)
    numbers = list(range(1, len(cases) + 1))
    random.SystemRandom().shuffle(numbers)
    width = len(str(len(cases)))
    return {c.key: f"R{tag}-{n:0{width}d}" for c, n in zip(cases, numbers, strict=True)}


def codebook(
    fields_cases: list[Field], fields_disc: list[Field], profile: Profile, rule: DisclosureRule
) -> list[list[str]]:
    """The codebook rows: table, field, meaning (nl, en), values; then the rule in force."""
    rows = [["table", "field", "meaning_nl", "meaning_en", "values"]]
    for table, fields in (("cases", fields_cases), ("disciplines", fields_disc)):
        for f in fields:
            rows.append([table, f.name, f.meaning.nl, f.meaning.en, f.values])
    rows.append(["all", "x", "Weggelaten (onthullingsbeheersing)", "Suppressed (disclosure control)", ""])
    if profile == "research":
        rows.append(["all", "rule", rule.text("nl"), rule.text("en"), ""])
    else:
        rows.append(
            [
                "-",
                "profile",
                "Volledige export, alleen voor beheerders",
                "Full export, administrators only",
                "",
            ]
        )
    return rows


def export(
    cases: Sequence[CaseFacts],
    out: str | Path,
    profile: Profile = "research",
    fmt: Format = "csv",
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    training: bool = False,
) -> ExportResult:
    """Write an export. CSV: `out` is a directory that gets cases.csv, disciplines.csv and codebook.csv;
    XLSX: `out` is the workbook file, with sheets cases, disciplines and data_dictionary.

    `training`: an export of the training space; every CSV file and every sheet starts with TRAINING_MARK,
    the workbook gets a first sheet "TRAINING", and the codebook says so.

    Access control and the audit record for `full` belong to the calling service."""
    out = Path(out)
    keys = _export_keys(cases, profile)
    header, rows = case_rows(cases, profile, rule, keys)
    if progress:
        progress("cases", len(rows), len(rows))
    d_fields = discipline_fields(cases)
    d_rows = discipline_rows(cases, d_fields, keys)
    fields_cases = [f for f in CASE_FIELDS if f.name in header]
    book = codebook(fields_cases, d_fields, profile, rule)
    if training:
        book.append(["all", "space", "TRAINING: oefengegevens, geen echte dossiers", "TRAINING: training data, "
                     "not real cases", ""])
    tables = [("cases", header, rows), ("disciplines", [f.name for f in d_fields], d_rows)]
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        book_rows: list[list[Value]] = [list(r) for r in book[1:]]
        for name, head, body in [*tables, ("codebook", book[0], book_rows)]:
            path = out / f"{name}.csv"
            _write_csv(path, head, body, training)
            paths.append(path)
            if progress:
                progress(name, len(body), len(body))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_xlsx(out, tables, book, progress, training)
        paths = [out]
    return ExportResult(
        profile=profile, format=fmt, paths=paths, cases=len(rows), discipline_rows=len(d_rows), rule=rule,
        training=training,
    )


def _clean(rows: Iterable[list[Value]]) -> Iterable[list[Value]]:
    for r in rows:
        yield [neutralise(v) for v in r]


def _write_csv(path: Path, header: list[str], rows: list[list[Value]], training: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if training:
            w.writerow([TRAINING_MARK])
        w.writerow(header)
        w.writerows(_clean(rows))


def _write_xlsx(
    path: Path,
    tables: list[tuple[str, list[str], list[list[Value]]]],
    book: list[list[str]],
    progress: Callable[[str, int, int], None] | None,
    training: bool = False,
) -> None:
    sizes = {name: len(body) for name, _, body in tables}
    mark: list[Sequence[Value]] = [[TRAINING_MARK]] if training else []
    sheets: list[tuple[str, Iterable[Sequence[Value]]]] = [
        (name, itertools.chain(mark, [head], _clean(body))) for name, head, body in tables
    ]
    sheets.append(("data_dictionary", itertools.chain(mark, _clean(book))))  # type: ignore[arg-type]
    if training:
        sheets.insert(0, ("TRAINING", [[TRAINING_MARK]]))

    def report(name: str, n: int) -> None:
        if progress and name in sizes:
            progress(name, n, sizes[name])

    write_xlsx(path, sheets, report)


def read_back(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet (XLSX) or file (CSV directory) as rows of cells: for tests and checks of an export."""
    if path.is_dir():
        out: dict[str, list[list[Any]]] = {}
        for f in sorted(path.glob("*.csv")):
            with f.open(newline="", encoding="utf-8") as fh:
                out[f.stem] = list(csv.reader(fh))
        return out
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
