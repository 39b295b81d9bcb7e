"""Research and full exports to CSV and XLSX: fresh keys, no dates, no personal data, protected
quasi-identifiers, formula neutralisation, codebook and data dictionary with the rule."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from evaluation_cases import hand_made
from reconstruct import recovered

from assessment.errors import ExportError
from assessment.evaluation import export as export_module
from assessment.evaluation import xlsx
from assessment.evaluation.disclosure import DEFAULT_RULE
from assessment.evaluation.export import (
    LINKED_BREAKDOWNS,
    QUASI_IDENTIFIERS,
    export,
    neutralise,
    pseudonym,
    pseudonyms,
    read_back,
)
from assessment.evaluation.facts import Categorical
from assessment.evaluation.metrics import compute_all
from assessment.synthetic import facts as synthetic_cases

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_neutralise_formula_starts() -> None:
    assert [neutralise(v) for v in ["=1+2", "+31", "-5", "@SUM(A1)", "\tx", "ok", 5, None, "45+"]] == [
        "'=1+2", "'+31", "'-5", "'@SUM(A1)", "'\tx", "ok", 5, None, "45+",
    ]  # fmt: skip


def test_research_csv_has_fresh_keys_no_dates_and_no_rare_values(tmp_path: Path) -> None:
    cases = synthetic_cases(300, seed=11)
    first = read_back(export(cases, tmp_path / "a", "research", "csv").paths[0].parent)
    second = read_back(export(cases, tmp_path / "b", "research", "csv").paths[0].parent)
    assert set(first) == {"cases", "disciplines", "codebook"}
    header, *rows = first["cases"]
    assert len(rows) == 300
    keys = {r[0] for r in rows}
    assert len(keys) == 300
    assert keys.isdisjoint({c.key for c in cases})
    assert keys.isdisjoint({r[0] for r in second["cases"][1:]})
    for name in ("name", "birth", "note", "age", "nationality", "received_date"):
        assert name not in header
    for table in ("cases", "disciplines"):
        for row in first[table]:
            assert not any(ISO_DATE.search(cell) for cell in row)
    for field in QUASI_IDENTIFIERS:
        col = header.index(field)
        counts = Counter(r[col] for r in rows)
        assert all(n >= 10 for v, n in counts.items() if v != "x"), (field, counts)
    d_header, *d_rows = first["disciplines"]
    assert d_header[:3] == ["case_key", "discipline", "overall_view"]
    assert {r[0] for r in d_rows} <= keys
    assert len(d_rows) == sum(len(c.disciplines) for c in cases)
    codebook = first["codebook"]
    assert ["all", "rule", DEFAULT_RULE.text("nl"), DEFAULT_RULE.text("en"), ""] in codebook
    fields = {(r[0], r[1]) for r in codebook[1:]}
    assert {("cases", h) for h in header} <= fields
    assert {("disciplines", h) for h in d_header} <= fields


def test_research_xlsx_reads_back_with_openpyxl_and_neutralises_formulas(tmp_path: Path) -> None:
    cases = hand_made()
    cases[4] = cases[4].model_copy(update={"rubric_id": "ilo-2009", "rubric_version": '=HYPERLINK("x")'})
    result = export(cases, tmp_path / "out.xlsx", "research", "xlsx")
    sheets = read_back(result.paths[0])
    assert list(sheets) == ["cases", "disciplines", "data_dictionary"]
    header, *rows = sheets["cases"]
    assert len(rows) == 10 and result.cases == 10
    assert result.discipline_rows == len(sheets["disciplines"]) - 1 == 8
    col = header.index("rubric_version")
    assert [r[col] for r in rows if r[col]] == ['\'=HYPERLINK("x")']
    # Dates as months: 100-140 days after 10 January are 20 April to 30 May (3, 3, 4, 4, 4 months on); 150
    # days after 20 April is 17 September (5 months on).
    assert "days_to_decided" not in header
    months = header.index("months_to_decided")
    assert sorted(r[months] for r in rows if r[months] is not None) == [3, 3, 4, 4, 4, 5]
    # Ten cases: every quasi-identifying value is shared by fewer than 10, so all are suppressed;
    # the nationalities all fall into "other", which then holds 10 cases; all ten came in 2018 (too few in
    # any month or quarter for those), and the intake funnel hides cells of 2018, so the year is `x` too.
    given = {"nationality_group": {"other"}}
    for field in QUASI_IDENTIFIERS:
        assert {r[header.index(field)] for r in rows} == given.get(field, {"x"}), field
    dictionary = sheets["data_dictionary"]
    assert dictionary[0] == ["table", "field", "meaning_nl", "meaning_en", "values"]
    assert ["all", "rule", DEFAULT_RULE.text("nl"), DEFAULT_RULE.text("en"), ""] in dictionary


@pytest.mark.parametrize("training", [False, True])
def test_xlsx_holds_the_same_cells_as_csv(tmp_path: Path, training: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The XLSX sheets are written column by column in chunks (assessment/evaluation/xlsx.py `Columns`), the CSV
    # files by their own writer: read back by openpyxl and by the csv module, every cell agrees. Chunks of 250
    # rows, so 600 cases and their discipline rows take several, and the last one is partly filled.
    monkeypatch.setattr(xlsx, "CHUNK", 250)
    cases = synthetic_cases(600, seed=5)
    key = b"k" * 32
    book = read_back(export(cases, tmp_path / "x.xlsx", "research", "xlsx", training=training,
                            pseudonym_key=key).paths[0])
    files = read_back(export(cases, tmp_path / "c", "research", "csv", training=training,
                             pseudonym_key=key).paths[0].parent)
    assert len(files["cases"]) == 600 + 1 + training  # the rows, the header, the mark of a training export
    for name in ("cases", "disciplines"):
        assert [["" if v is None else str(v) for v in row] for row in book[name]] == files[name], name
    assert ("TRAINING" in book) == training


TRICKY = ["plain", "", None, 0, 7, -3, 12345678901234, 'say "hi"', "a,b", "two\nlines", "cr\rhere", " padded ",
          "ëï€ 中文", "'quoted", "x"]


@pytest.mark.parametrize("chunk", [1, 4, 1000])
def test_csv_files_are_byte_for_byte_what_the_csv_module_writes(
    tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The export writes rows with numpy (assessment/evaluation/byterows.py); the reference is the standard
    # library's csv module writing the same rows cell by cell. Values that need quoting, empty texts beside
    # None, numbers, non-ASCII, and rows split over chunks of every size.
    monkeypatch.setattr(export_module, "CSV_CHUNK", chunk)
    rows = [[TRICKY[(i * 7 + j * 3) % len(TRICKY)] for j in range(4)] + [f"P{i:03d}"] for i in range(23)]
    header = ["a", "b", "c", "d", "key"]
    columns = [Categorical.of(column) for column in zip(*rows, strict=True)]
    for training in (False, True):
        path = tmp_path / f"out{training}.csv"
        export_module._write_csv(path, header, columns, len(rows), training)
        expected = io.StringIO(newline="")
        writer = csv.writer(expected)
        if training:
            writer.writerow([export_module.TRAINING_MARK])
        writer.writerows([header, *rows])
        assert path.read_bytes() == expected.getvalue().encode("utf-8")


@pytest.mark.parametrize("odd", [[["only"], [""], [None]], [["nul\0here", 1], ["b", 2]], [["a", True], ["b", False]],
                                 [["half", 1.5], ["whole", 2.0]]])
def test_csv_of_odd_values_is_what_the_csv_module_writes(tmp_path: Path, odd: list[list[object]]) -> None:
    # One column (the csv module quotes a lone empty cell) and a NUL (numpy's rows drop NULs) go through the
    # csv module itself; a truth value and fractions are written by numpy as the csv module writes them.
    columns = [Categorical.of(column) for column in zip(*odd, strict=True)]
    header = [f"h{j}" for j in range(len(columns))]
    export_module._write_csv(tmp_path / "odd.csv", header, columns, len(odd))
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows([header, *odd])
    assert (tmp_path / "odd.csv").read_bytes() == expected.getvalue().encode("utf-8")


@pytest.mark.parametrize("line_break", [False, True])
def test_xlsx_cells_read_back_by_openpyxl_as_written(tmp_path: Path, line_break: bool) -> None:
    # The shared strings are escaped all at once when no text holds a line break, one by one otherwise; the
    # reference is openpyxl reading the file back. Control characters XML cannot hold are dropped.
    texts = ["<a & b>", 'say "hi"', "ëï€ 中文", "bell\x07", " padded ", *(["two\nlines"] if line_break else [])]
    rows = [[texts[i % len(texts)], i, None if i % 3 else f"k{i}"] for i in range(40)]
    columns = [Categorical.of(column) for column in zip(*rows, strict=True)]
    xlsx.write_xlsx(tmp_path / "t.xlsx", [("t", xlsx.Columns([["a", "b", "c"]], columns)), ("u", [["plain"]])])
    book = read_back(tmp_path / "t.xlsx")
    assert book["t"] == [["a", "b", "c"], *([r[0].replace("\x07", ""), r[1], r[2]] for r in rows)]
    assert book["u"] == [["plain"]]


def test_full_export_keeps_keys_and_exact_dates(tmp_path: Path) -> None:
    cases = hand_made()
    sheets = read_back(export(cases, tmp_path / "full", "full", "csv").paths[0].parent)
    header, *rows = sheets["cases"]
    assert {r[0] for r in rows} == {c.key for c in cases}
    assert "received_date" in header and "age" in header and "nationality" in header
    assert "nationality_group" not in header
    assert sheets["codebook"][-1][1] == "profile"


def test_discipline_rows_count_each_status_apart(tmp_path: Path) -> None:
    # "Not applicable" is its own column, never folded into absent or unknown.
    cases = hand_made()
    ratings = {"deceptive_recruitment.wages": "present", "deceptive_recruitment.housing": "absent",
               "deceptive_recruitment.contract": "absent", "deceptive_recruitment.family_reunification":
               "not_applicable", "exploitation.low_salary": "unknown"}
    k = next(i for i, c in enumerate(cases) if c.disciplines)
    cases[k] = cases[k].model_copy(update={"disciplines": [
        cases[k].disciplines[0].model_copy(update={"indicators": ratings})]})
    sheets = read_back(export(cases, tmp_path / "full", "full", "csv").paths[0].parent)
    header, *rows = sheets["disciplines"]
    row = next(r for r in rows if r[0] == cases[k].key)
    counts = [row[header.index(f"n_{s}")] for s in ("present", "absent", "unknown", "not_applicable")]
    assert counts == ["1", "2", "1", "1"]


def test_no_hidden_cell_of_the_report_can_be_recovered_with_the_export(tmp_path: Path) -> None:
    # Issue #16: the report and the research export read together. The attacker counts, in the export, the
    # decided cases of every value still shown (value x outcome) and the outcomes of the `x` rows, adds these
    # to the report's outcome table and solves for its hidden cells (tests/reconstruct.py).
    for seed in (3, 7):
        cases = synthetic_cases(40, seed=seed)
        figures = compute_all(cases)
        header, *rows = read_back(export(cases, tmp_path / str(seed), "research", "csv").paths[0].parent)["cases"]
        outcome = header.index("panel_outcome")
        for by in (*LINKED_BREAKDOWNS, "nationality"):
            table = next(t for t in figures.tables if t.id == f"outcomes_{by}")
            col = header.index("nationality_group" if by == "nationality" else by)
            columns = [c.id for c in table.columns if c.kind == "count" and c.id != "total"]
            counted = Counter((r[col], r[outcome]) for r in rows if r[outcome] in columns)
            body = [r.id for r in table.rows if not r.total]
            # A country shown in both is the same set of cases; a region or "other" may hold other countries.
            shown = [v for v in body if any(r[col] == v for r in rows) and (by != "nationality" or len(v) == 2)]
            sums = [([(v, c)], counted[(v, c)]) for v in shown for c in columns]
            hidden_values = [v for v in body if v not in shown]
            if by != "nationality":  # the export groups nationalities over all cases: its `x` is another set
                sums += [([(v, c) for v in hidden_values], counted[("x", c)]) for c in columns if hidden_values]
            assert recovered(table, sums) == [], (seed, by, table.text("en"))


def test_no_hidden_cell_of_the_funnel_can_be_recovered_with_the_export(tmp_path: Path) -> None:
    # The intake funnel (period x stage) against the export's period and status: the attacker counts the
    # cases of every period still shown per stage (a quarter's cells, or a year's as the sum of its quarters)
    # and the `x` rows per stage, and solves for the funnel's hidden cells at the export's granularity or finer.
    stage = {"inadmissible": "inadmissible", "withdrawn": "withdrawn", "decided": "advice_issued",
             "letter_issued": "advice_issued"}
    for n, seed in ((40, 3), (400, 5)):
        cases = synthetic_cases(n, seed=seed)
        header, *rows = read_back(export(cases, tmp_path / f"{n}", "research", "csv").paths[0].parent)["cases"]
        period, status = header.index("received_period"), header.index("status")
        counted = Counter((r[period], stage.get(r[status], "in_progress")) for r in rows)
        for granularity in ("month", "quarter", "year"):
            table = compute_all(cases, period=granularity).tables[0]
            assert table.id == "funnel"
            columns = [c.id for c in table.columns if c.id != "total"]
            body = [r.id for r in table.rows if not r.total]
            sums = []
            for value in {r[period] for r in rows} - {"x"}:
                inside = [b for b in body if b.startswith(value)]  # the periods of the table within it
                sums += [([(b, c) for b in inside], counted[(value, c)]) for c in columns if inside]
            hidden = [b for b in body if not any(b.startswith(v) for v in {r[period] for r in rows} - {"x"})]
            sums += [([(b, c) for b in hidden], counted[("x", c)]) for c in columns if hidden]
            if any(r[period] != "x" and len(r[period]) > len(body[0]) for r in rows):
                continue  # the export is finer than this table: its cells are sums of the export's (checked above)
            assert recovered(table, sums) == [], (n, granularity, table.text("en"))


def test_two_cases_under_one_pseudonym_stop_the_export_with_a_message_and_write_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 64 bits of HMAC make this about one in 10^9 for 100,000 cases; the export must still never mix two up.
    monkeypatch.setattr(export_module, "pseudonyms", lambda key, case_keys: ["P0000000000000000" for _ in case_keys])
    out = tmp_path / "research"
    with pytest.raises(ExportError) as refused:
        export(synthetic_cases(30, seed=3), out, "research", "csv")
    assert refused.value.text("nl").startswith("Twee dossiers kregen hetzelfde onderzoekspseudoniem")
    assert refused.value.text("en").startswith("Two cases got the same research pseudonym")
    assert not out.exists()


@pytest.mark.parametrize("key_length", [0, 1, 32, 64, 65, 200])
def test_research_pseudonyms_are_hmac_sha256_as_the_standard_library_computes_it(key_length: int) -> None:
    # The pseudonyms are computed with the keyed hash states made once (RFC 2104 written out); the standard
    # library's hmac is the reference, for keys shorter than, as long as and longer than SHA-256's block.
    import hmac
    import random

    rng = random.Random(key_length)
    key = bytes(rng.randrange(256) for _ in range(key_length))
    case_keys = ["AAN-2018-0001", "", "Ünïcode-ø-ẞ", "x" * 300, *(f"S-{rng.randrange(10**8):08d}" for _ in range(50))]
    expected = ["P" + hmac.new(key, k.encode("utf-8"), "sha256").hexdigest()[:16] for k in case_keys]
    assert pseudonyms(key, case_keys) == expected
    assert pseudonym(key, case_keys[0]) == expected[0]
