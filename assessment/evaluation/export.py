"""Exports for evaluators: `research` (pseudonymised, coarsened, protected) and `full` (administrators only,
recorded in the audit log by the service that calls it), to CSV (with a codebook file) or XLSX (with a
data-dictionary sheet).

Research rows never hold a case reference, name, contact detail, date of birth, exact date or free text:
cases get keyed pseudonyms (stable for one key, see `services.disclosure`; a fresh random key when none is
given) and the rows are sorted by them; the application date becomes a period (the finest of month, quarter
and year in which every period holds at least the threshold), other dates whole months after it, ages bands.
A quasi-identifying value shared by fewer cases than the threshold becomes `x`, and so do as many other values
of that column as it takes for the `x` rows to span two values or more and at least the threshold of cases
(the column's complementary suppression, by the same rule as the tables: `disclosure.protect`). A value
is also `x` when the report's table of it (outcome by form, nationality, gender, age band, route; the intake
funnel by period) hides a cell of its row, so the report and the export read together give no hidden cell away.
Every text cell that a spreadsheet could run as a formula (starting with = + - @, tab or CR) is
neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..errors import ExportError
from ..i18n import N_, Msg
from . import byterows
from .disclosure import DEFAULT_RULE, SUPPRESSED_MARK, DisclosureRule, Label, nationality_groups, protect
from .facts import AGE_BANDS, FOLLOW_UP_KINDS, NO_DATE, CaseColumns, CaseFacts, Categorical, as_columns
from .labels import VALUE_LABELS, lower
from .metrics import STAGES, Breakdown, Period, admissibility, funnel, intake_by_route, outcomes, period_of
from .xlsx import Columns, write_xlsx

Profile = Literal["research", "full"]
Format = Literal["csv", "xlsx"]
Value = str | int | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The first row of every table an export of the training space writes, so no file or sheet of it can pass
# for real pilot data (also the first row of the codebook / data dictionary, and an extra first sheet). In
# both languages on purpose: a file travels without its reader's language, like the codebook's two columns.
TRAINING_MARK = "# TRAINING – oefengegevens, geen echte dossiers / training data, not real cases"


def neutralise(value: Value) -> Value:
    """A text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(column: Categorical) -> Categorical:
    """A column with `neutralise` applied to each distinct value (the usual answer is the column itself)."""
    texts = [v for v in column.values if type(v) is str]  # the research keys: 100,000 distinct texts
    risky = any(map(str.startswith, texts, itertools.repeat(FORMULA_STARTS)))
    return column.map(neutralise) if risky else column


@dataclass(frozen=True)
class Field:
    """One column of an export, with its meaning and values for the codebook."""

    name: str
    meaning: Label
    values: str = ""
    research: bool = True
    full: bool = True


def _values(kind: str) -> str:
    return "; ".join(f"{k} = {v.text('nl')} / {v.text('en')}" for k, v in VALUE_LABELS[kind].items())


STAGE_FIELDS = {
    "admissibility_decided": Msg(N_("admissibility decision")),
    "file_complete": Msg(N_("file complete")),
    "hearing": Msg(N_("hearing")),
    "decided": Msg(N_("advice")),
    "letter": Msg(N_("letter issued")),
}
assert set(STAGES) <= set(STAGE_FIELDS)

CASE_FIELDS: list[Field] = [
    Field(
        "case_key",
        Msg(N_("Case key: a keyed pseudonym in the research export, the case reference in the full export")),
    ),
    Field("received_month", Msg(N_("Month of application (YYYY-MM)")), research=False),
    Field("received_period", Msg(N_("Period of application")), "YYYY-MM; YYYY-Qn; YYYY", full=False),
    Field("received_date", Msg(N_("Date of application")), research=False),
    *(
        Field(
            f"days_to_{s}",
            Msg(N_("Days from application to {stage}"), {"stage": lbl}),
            "0-",
            research=False,
        )
        for s, lbl in STAGE_FIELDS.items()
    ),
    *(
        Field(
            f"months_to_{s}",
            Msg(N_("Calendar months from application to {stage}"), {"stage": lbl}),
            "0-",
            full=False,
        )
        for s, lbl in STAGE_FIELDS.items()
    ),
    Field("status", Msg(N_("Status of the case")), _values("status")),
    Field("form", Msg(N_("Form of exploitation")), _values("form")),
    Field(
        "nationality_group",
        Msg(N_("Nationality, rare ones grouped")),
        "ISO 3166-1 alpha-2; r:<region>; c:<continent>; other; unknown",
        full=False,
    ),
    Field("nationality", Msg(N_("Nationality")), "ISO 3166-1 alpha-2", research=False),
    Field("gender", Msg(N_("Gender")), _values("gender")),
    Field("age_band", Msg(N_("Age band at the start of the exploitation")), "; ".join(AGE_BANDS)),
    Field("age", Msg(N_("Age at the start of the exploitation")), "0-120", research=False),
    Field("route", Msg(N_("Route")), _values("route")),
    Field("rubric_id", Msg(N_("Rubric"))),
    Field("rubric_version", Msg(N_("Rubric version"))),
    Field("rubric_profile", Msg(N_("Rubric profile"))),
    Field("rubric_outcome", Msg(N_("Outcome by the rubric")), _values("outcome")),
    Field("panel_outcome", Msg(N_("Outcome of the panel")), _values("outcome")),
    Field("override_reason", Msg(N_("Departure reasoned")), "yes; no"),
    Field("override_category", Msg(N_("Category of the reason"))),
    *(
        Field(
            f"follow_up_{k}",
            Msg(N_("Follow-up: {provision}"), {"provision": lower("follow_up_kind", k)}),
            _values("follow_up_status"),
        )
        for k, v in VALUE_LABELS["follow_up_kind"].items()
    ),
    Field("n_disciplines", Msg(N_("Number of disciplines with input")), "0-"),
]

# Quasi-identifiers: a value fewer cases share than the threshold is published as `x`, with complements.
QUASI_IDENTIFIERS = ("received_period", "form", "nationality_group", "gender", "age_band", "route")
PERIODS: tuple[Period, ...] = ("month", "quarter", "year")


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


def _days_to(cols: CaseColumns, stage: str) -> Categorical:
    """Days from application to the stage, None when not reached (never negative: the facts are checked)."""
    day = cols.day(stage)
    days = Categorical.of_array(np.where(day == NO_DATE, -1, day - cols.received))
    return days.map(lambda v: None if v < 0 else v)


def _by_day(cols: CaseColumns, fmt: Callable[[date], str]) -> Categorical:
    """A text of each case's application date, each distinct day formatted once."""
    return Categorical.of_array(cols.received).map(lambda d: fmt(date.fromordinal(d)))


def case_rows(
    cases: Sequence[CaseFacts] | CaseColumns, profile: Profile, rule: DisclosureRule, keys: list[str]
) -> tuple[list[str], list[tuple[Value, ...]]]:
    """The case table: header and rows, sorted by export key (`keys[i]` is the export key of case i)."""
    header, columns = case_columns(cases, profile, rule, keys)
    return header, list(zip(*(c.decoded() for c in columns), strict=True))


def case_columns(
    cases: Sequence[CaseFacts] | CaseColumns, profile: Profile, rule: DisclosureRule, keys: list[str]
) -> tuple[list[str], list[Categorical]]:
    """The case table: header and columns (in header order), rows sorted by export key (see `case_rows`)."""
    # The cases put in the order of their export keys first: every column is then made in that order, as codes
    # into its distinct values (what the writers take: `_write_csv`, `xlsx.Columns`).
    order = _key_order(keys)
    cols = as_columns(cases).ordered(order)
    keys = [keys[i] for i in order.tolist()]
    fields = [f for f in CASE_FIELDS if (f.research if profile == "research" else f.full)]
    wanted = {f.name for f in fields}
    nationality = cols.col("nationality")
    decided = cols.decided_mask()
    columns: dict[str, Categorical] = {
        "case_key": Categorical(np.arange(len(keys), dtype=np.int64), keys),
        "nationality": nationality,
        "age": Categorical.of_array(cols.age).map(lambda a: None if a < 0 else a),
        "rubric_profile": cols.col("profile"),
        "override_reason": Categorical(cols.override_reason.astype(np.int64), ["no", "yes"]),
        "n_disciplines": Categorical.of_array(np.bincount(cols.inputs.case, minlength=len(cols))),
    }
    if "received_month" in wanted:
        columns["received_month"] = _by_day(cols, lambda d: f"{d.year}-{d.month:02d}")
    if "received_date" in wanted:
        columns["received_date"] = _by_day(cols, date.isoformat)
    for name in ("status", "form", "gender", "age_band", "route", "rubric_id", "rubric_version", "rubric_outcome",
                 "panel_outcome", "override_category"):  # fmt: skip
        columns[name] = cols.col(name)
    if profile == "research":
        groups = nationality_groups(nationality.decoded(), rule)
        columns["nationality_group"] = nationality.map(groups.get)
        columns["received_period"] = _received_period(cols, rule)
    for s in STAGE_FIELDS:
        if profile == "research":
            columns[f"months_to_{s}"] = _months_to(cols, s)
        else:
            columns[f"days_to_{s}"] = _days_to(cols, s)
    for k in FOLLOW_UP_KINDS:
        columns[f"follow_up_{k}"] = cols.follow_up[k].where(decided)
    header = [f.name for f in fields]
    if profile == "research":
        _suppress_rare(columns, rule, _hidden_in_report(cols, rule, columns["received_period"],
                                                        columns["nationality_group"]))
    return header, [neutralised(columns[name]) for name in header]


def _key_order(keys: list[str]) -> np.ndarray:
    """The positions of the keys in sorted order (by code point, as Python compares texts)."""
    order: np.ndarray = np.argsort(np.array(keys, dtype=str), kind="stable")
    return order


def _month_numbers(days: np.ndarray) -> np.ndarray:
    """year * 12 + month - 1 of each day number (NO_DATE stays NO_DATE), each distinct day converted once."""
    months = Categorical.of_array(days).map(lambda d: NO_DATE if d == NO_DATE else
                                            (x := date.fromordinal(d)).year * 12 + x.month - 1)
    out: np.ndarray = np.array(months.values, dtype=np.int64)[months.codes]
    return out


def _months_to(cols: CaseColumns, stage: str) -> Categorical:
    """Calendar months from the month of application to the month the stage was reached (None: not yet):
    what the dates say once they are coarsened to months."""
    reached = _month_numbers(cols.day(stage))
    start = _month_numbers(cols.received)
    months = Categorical.of_array(np.where(reached == NO_DATE, NO_DATE, reached - start))
    return months.map(lambda v: None if v == NO_DATE else v)


def _received_period(cols: CaseColumns, rule: DisclosureRule) -> Categorical:
    """The period of application: the finest of month, quarter and year in which every period holds at
    least the threshold of cases (the year when none does; its small years are then suppressed)."""
    for period in PERIODS:
        values = _by_day(cols, lambda d, p=period: period_of(d, p))  # type: ignore[misc]
        if period == "year" or not any(rule.hides(n) for n in values.counts().values()):
            return values
    raise AssertionError("unreachable: the year is always taken")


def hidden_values(column: Categorical, rule: DisclosureRule, also: Collection[Value] = ()) -> set[Value]:
    """The values of a column to publish as `x`: those fewer cases than the threshold share (and `also`),
    and their complements, found by `protect` on the column's counts with the number of rows as published
    total, so the `x` rows never stand for one value alone and always for at least the threshold of cases."""
    counts = column.counts()
    order = sorted(counts, key=lambda v: (counts[v], str(v)))
    line = [*(counts[v] for v in order), len(column)]
    forced = [(r, i) for i, v in enumerate(order) if v in also for r in (0, 1)]
    hidden = protect([line, line], rule, published=[(0, len(order)), (1, len(order))], hide=forced)[0]
    return {v for v, h in zip(order, hidden, strict=False) if h}


# The report's tables of a quasi-identifier against the panel's outcome (metrics.outcomes). A value whose row
# there has a hidden cell is `x` in the export too: otherwise the export's rows would count that cell, or a
# complement that gives it away through the table's totals (the report and the export read together).
LINKED_BREAKDOWNS: tuple[Breakdown, ...] = ("form", "gender", "age_band", "route")


def _hidden_in_report(
    cols: CaseColumns, rule: DisclosureRule, period: Categorical, nationality_group: Categorical
) -> dict[str, set[Value]]:
    out: dict[str, set[Value]] = {}
    for by in LINKED_BREAKDOWNS:
        table = outcomes(cols, by, rule)
        out[by] = {r.id for r in table.rows if not r.total and any(c.hidden for c in r.cells)}
    # The intake by route and the admissibility by route (route x stage, route x decision): a route with a
    # hidden cell there is `x` too, or the export's route and status would count the cell.
    for table in (intake_by_route(cols, rule), admissibility(cols, rule)):
        out["route"] |= {r.id for r in table.rows if not r.total and any(c.hidden for c in r.cells)}
    # Nationality: the report groups the decided cases' nationalities, the export all cases'; an export group
    # is `x` when it holds a case whose group in the report has a hidden cell.
    table = outcomes(cols, "nationality", rule)
    hidden_rows = {r.id for r in table.rows if not r.total and any(c.hidden for c in r.cells)}
    nationality = cols.col("nationality")
    in_report = nationality_groups(nationality.take(cols.decided_mask()).decoded(), rule)
    out["nationality_group"] = set(nationality_group.take(nationality.isin(
        {code for code in nationality.values if code in in_report and in_report[code] in hidden_rows})).counts())
    # The intake funnel (period x stage) at every period the report can show: a period of the export is `x`
    # when a case of it falls in a month, quarter or year with a hidden funnel cell, so a period still shown
    # adds up only cells the report shows itself.
    tainted = np.zeros(len(cols), dtype=bool)
    for granularity in ("month", "quarter", "year"):
        table = funnel(cols, rule, granularity)
        hidden = {r.id for r in table.rows if not r.total and any(c.hidden for c in r.cells)}
        tainted |= _by_day(cols, lambda d, g=granularity: period_of(d, g)).isin(hidden)  # type: ignore[misc]
    out["received_period"] = set(period.take(tainted).counts())
    return out


def _suppress_rare(columns: dict[str, Categorical], rule: DisclosureRule, also: dict[str, set[Value]]) -> None:
    for name in QUASI_IDENTIFIERS:
        rare = hidden_values(columns[name], rule, also.get(name, set()))
        if rare:
            columns[name] = columns[name].map(lambda v, rare=rare: SUPPRESSED_MARK if v in rare else v)  # type: ignore[misc]


def discipline_fields(cases: Sequence[CaseFacts] | CaseColumns) -> list[Field]:
    """Columns of the discipline table: key, discipline, overall view, one per dimension, rating counts."""
    dims = sorted(as_columns(cases).inputs.dimensions.key.compact().values)
    views = _values("view")
    return [
        Field("case_key", Msg(N_("Case key (as in the case table)"))),
        Field("discipline", Msg(N_("Discipline"))),
        Field(
            "overall_view",
            Msg(N_("The discipline's overall view")),
            _values("outcome"),
        ),
        *(Field(f"view_{d}", Msg(N_("View on dimension {dimension}"), {"dimension": d}), views) for d in dims),
        Field("n_present", Msg(N_("Indicators present")), "0-"),
        Field("n_absent", Msg(N_("Indicators absent")), "0-"),
        Field("n_unknown", Msg(N_("Indicators unknown")), "0-"),
        Field("n_not_applicable", Msg(N_("Indicators not applicable")), "0-"),
    ]


def discipline_rows(
    cases: Sequence[CaseFacts] | CaseColumns, fields: list[Field], keys: list[str]
) -> Iterator[tuple[Value, ...]]:
    """One row per discipline input, sorted by export key so the order says nothing of the original (a
    case's inputs in their own order)."""
    return zip(*(c.decoded() for c in discipline_columns(cases, fields, keys)), strict=True)


def discipline_columns(
    cases: Sequence[CaseFacts] | CaseColumns, fields: list[Field], keys: list[str]
) -> list[Categorical]:
    """The discipline table's columns (in `fields` order), rows sorted by export key."""
    cols = as_columns(cases)
    inputs = cols.inputs
    n = len(inputs)
    dims = [f.name[5:] for f in fields if f.name.startswith("view_")]
    rank = np.empty(len(cols), dtype=np.int64)
    rank[_key_order(keys)] = np.arange(len(cols), dtype=np.int64)
    order = np.argsort(rank[inputs.case], kind="stable")
    # Views as a inputs x dimensions table of codes into the views' values (-1: no view on it).
    views = inputs.dimensions
    table = np.full((n, len(dims)), -1, dtype=np.int64)
    position = np.array([dims.index(k) if k in dims else -1 for k in views.key.values] or [-1], dtype=np.int64)
    where = position[views.key.codes] if len(views) else np.zeros(0, dtype=np.int64)
    known = where >= 0
    table[views.input[known], where[known]] = views.value.codes[known]
    ratings = inputs.indicators
    counted = {"present": 0, "absent": 1, "unknown": 2, "not_applicable": 3}  # the export's columns, in order
    other = len(counted)
    status = np.array([counted.get(v, other) for v in ratings.value.values] or [other], dtype=np.int64)
    per_status = np.bincount(
        ratings.input * (other + 1) + (status[ratings.value.codes] if len(ratings) else ratings.input),
        minlength=n * (other + 1),
    ).reshape(n, other + 1)[order]

    def values_of(values: list[Any], codes: np.ndarray) -> Categorical:
        # Each distinct value neutralised once; a code of -1 is None.
        column = Categorical(np.maximum(codes, 0), values)
        return neutralised(column.where(codes >= 0) if (codes < 0).any() else column)

    return [
        values_of(keys, inputs.case[order]),
        values_of(inputs.discipline.values, inputs.discipline.codes[order]),
        values_of(inputs.overall.values, inputs.overall.codes[order]),
        *(values_of(views.value.values, table[order, j]) for j in range(len(dims))),
        *(Categorical.of_array(per_status[:, k]) for k in range(other)),
    ]


def pseudonym(key: bytes, case_key: str) -> str:
    """The research pseudonym of a case under `key`: HMAC-SHA-256, 64 bits of it in hex. The same for every
    export under one key; without the key it cannot be traced back to the case."""
    return pseudonyms(key, [case_key])[0]


def pseudonyms(key: bytes, case_keys: Iterable[str]) -> list[str]:
    """`pseudonym` of each case key. HMAC-SHA-256 as RFC 2104 defines it, with the two keyed hash states
    made once and copied for each case: `hmac.digest` sets up the key again for every one of 100,000 cases,
    which took twice as long. A test holds the result to `hmac.digest`."""
    block = hashlib.sha256().block_size
    padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def one(case_key: str) -> str:
        i, o = inner.copy(), outer.copy()
        i.update(case_key.encode("utf-8"))
        o.update(i.digest())
        return "P" + o.hexdigest()[:16]

    return list(map(one, case_keys))


def _export_keys(cols: CaseColumns, profile: Profile, key: bytes | None = None) -> list[str]:
    """The key each case is exported under: its own (full), or its pseudonym under `key` (research; a fresh
    random key when none is given, so the keys of two such exports cannot be linked)."""
    if profile == "full":
        return list(cols.keys)
    key = key or secrets.token_bytes(32)
    keys = pseudonyms(key, cols.keys)
    if len(set(keys)) != len(keys):  # 64 bits: about one in 10^9 for 100,000 cases, but never silently
        raise ExportError(N_("Two cases got the same research pseudonym, so the export would mix them up; nothing "
                             "was written. Once an administrator has started a new generation of pseudonyms, the "
                             "export can be made."))
    return keys


def codebook(
    fields_cases: list[Field], fields_disc: list[Field], profile: Profile, rule: DisclosureRule
) -> list[list[str]]:
    """The codebook rows: table, field, meaning (nl, en), values; then the rule in force."""
    rows = [["table", "field", "meaning_nl", "meaning_en", "values"]]
    for table, fields in (("cases", fields_cases), ("disciplines", fields_disc)):
        for f in fields:
            rows.append([table, f.name, f.meaning.text("nl"), f.meaning.text("en"), f.values])
    rows.append(["all", SUPPRESSED_MARK, "Weggelaten (onthullingsbeheersing)", "Suppressed (disclosure control)", ""])
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
    cases: Sequence[CaseFacts] | CaseColumns,
    out: str | Path,
    profile: Profile = "research",
    fmt: Format = "csv",
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    training: bool = False,
    pseudonym_key: bytes | None = None,
) -> ExportResult:
    """Write an export. CSV: `out` is a directory that gets cases.csv, disciplines.csv and codebook.csv;
    XLSX: `out` is the workbook file, with sheets cases, disciplines and data_dictionary.

    `training`: an export of the training space; every CSV file and every sheet starts with TRAINING_MARK,
    the workbook gets a first sheet "TRAINING", and the codebook says so.

    `pseudonym_key`: the key research pseudonyms are drawn with (the deployment's, from the service); none:
    a fresh random one.

    Access control and the audit record for `full` belong to the calling service."""
    out = Path(out)
    cols = as_columns(cases)
    keys = _export_keys(cols, profile, pseudonym_key)
    header, case_cols = case_columns(cols, profile, rule, keys)
    n_cases = len(cols)
    if progress:
        progress("cases", n_cases, n_cases)
    d_fields = discipline_fields(cols)
    d_cols = discipline_columns(cols, d_fields, keys)
    n_inputs = len(cols.inputs)
    fields_cases = [f for f in CASE_FIELDS if f.name in header]
    book = codebook(fields_cases, d_fields, profile, rule)
    if training:
        book.append(["all", "space", "TRAINING: oefengegevens, geen echte dossiers", "TRAINING: training data, "
                     "not real cases", ""])
    # The case and discipline columns come neutralised already; the codebook is cleaned as it is written.
    by_column: list[tuple[str, list[str], list[Categorical], int]] = [
        ("cases", header, case_cols, n_cases), ("disciplines", [f.name for f in d_fields], d_cols, n_inputs)]
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        book_rows = [[neutralise(v) for v in r] for r in book[1:]]
        book_cols = [Categorical.of(c) for c in zip(*book_rows, strict=True)]
        for name, head, columns, n in [*by_column, ("codebook", book[0], book_cols, len(book_rows))]:
            path = out / f"{name}.csv"
            _write_csv(path, head, columns, n, training)
            paths.append(path)
            if progress:
                progress(name, n, n)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_xlsx(out, by_column, book, progress, training)
        paths = [out]
    return ExportResult(
        profile=profile, format=fmt, paths=paths, cases=n_cases, discipline_rows=n_inputs, rule=rule,
        training=training,
    )


def _clean(rows: Iterable[list[Value]]) -> Iterable[list[Value]]:
    for r in rows:
        yield [neutralise(v) for v in r]


# Rows are written to CSV in chunks of this many (`byterows`).
CSV_CHUNK = 20_000
_CSV_SPECIAL = (",", '"', "\r", "\n")  # a text holding one of these is quoted (the csv module's minimal quoting)


def _csv_texts(values: Sequence[Any]) -> list[str]:
    """Each value as the csv module writes it: None empty, any other value `str` of it, quoted where needed
    (minimal quoting)."""
    texts = list(values) if set(map(type, values)) == {str} else ["" if v is None else str(v) for v in values]
    joined = "".join(texts)
    if not any(c in joined for c in _CSV_SPECIAL):  # nothing to quote anywhere: every text as it is
        return texts
    out = []
    for v in values:
        buf = io.StringIO()
        csv.writer(buf).writerow([v, None])  # the module's own quoting; two cells, so never the lone-empty case
        out.append(buf.getvalue()[: -len(",\r\n")])
    return out


def _csv_tables(columns: Sequence[Categorical]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Each column's cells as `byterows` writes them, or None when a text holds a NUL (`byterows` drops them)
    or when there is one column (the csv module quotes a lone empty cell)."""
    if len(columns) < 2:
        return None
    tables = []
    for column in columns:
        texts = _csv_texts(column.values)
        if "\0" in "".join(texts):
            return None
        tables.append((byterows.cell_table(list(map(str.encode, texts))), column.codes))
    return tables


def _write_csv(path: Path, header: list[str], columns: Sequence[Categorical], n: int, training: bool = False) -> None:
    """The file the csv module writes (comma, minimal quoting, CRLF) of `n` rows given column by column: each
    distinct value of a column is formatted once and the rows are made by `byterows`. A column it cannot
    write that way (see `_csv_tables`) goes through the csv module itself."""
    tables = _csv_tables(columns)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if training:
            w.writerow([TRAINING_MARK])
        w.writerow([neutralise(h) for h in header])
        if tables is None:
            w.writerows(zip(*(c.decoded() for c in columns), strict=True))
            return
        fh.flush()
        for data in byterows.chunks(tables, CSV_CHUNK, b"", b",", b"\r\n"):
            fh.buffer.write(data)


def _write_xlsx(
    path: Path,
    tables: list[tuple[str, list[str], list[Categorical], int]],
    book: list[list[str]],
    progress: Callable[[str, int, int], None] | None,
    training: bool = False,
) -> None:
    sizes = {name: n for name, _, _, n in tables}
    mark: list[Sequence[Value]] = [[TRAINING_MARK]] if training else []
    sheets: list[tuple[str, Iterable[Sequence[Value]] | Columns]] = [
        (name, Columns([*mark, [neutralise(h) for h in head]], columns)) for name, head, columns, _ in tables
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
