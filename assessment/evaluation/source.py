"""The evaluators' facts of one stored case: `AnalysableCase` (the store's analysable part) to `CaseFacts`.

Pure: the services read the store (assessment.services.evaluation) and call `to_facts`."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, get_args

import numpy as np

from .. import age as ages
from ..model import (
    INADMISSIBLE_GROUNDS,
    AdviceFollowed,
    AnalysableCase,
    ExceptionGround,
    FilingParty,
    ResidenceStatus,
)
from ..observation import Status
from .facts import (
    ADVICE_USERS,
    DECIDED,
    FOLLOW_UP_KINDS,
    FORMS,
    GENDERS,
    NO_DATE,
    VIEWS,
    CaseColumns,
    CaseFacts,
    Categorical,
    Entries,
    EvaluationStatus,
    FollowUpStatus,
    Inputs,
    OverallView,
    PanelOutcome,
    age_band,
)

_STATUS: dict[str, EvaluationStatus] = {
    "intake": "received",
    "assessment": "in_progress",
    "deliberation": "in_progress",
    "hearing": "in_progress",  # sent to a hearing for more information
    "set_aside": "in_progress",  # set aside for too little information: no advice (AnalysableCase.deferral says so)
    "inadmissible": "inadmissible",
    "withdrawn": "withdrawn",
    "decided": "decided",
}
_PANEL: dict[str, PanelOutcome] = {"aannemelijk": "plausible", "niet_aannemelijk": "not_plausible"}
_OVERALL: dict[str, OverallView] = {
    "positive": "plausible",
    "negative": "not_plausible",
    "undetermined": "undetermined",
}
# "Not applied for" says nothing about the provision's outcome: the figures count it as unknown.
_FOLLOW_UP: dict[str, FollowUpStatus] = {"granted": "granted", "refused": "refused", "pending": "pending",
                                         "not_applied": "unknown"}  # fmt: skip


def to_facts(c: AnalysableCase) -> CaseFacts:
    """One stored case as evaluators' facts. The age is the age at the start of the exploitation
    (`age.age_at_start`), approximate: the evaluators see a year of birth only."""
    status = _STATUS[c.status]
    if status == "decided" and c.letter_issued_on is not None:
        status = "letter_issued"
    disciplines = sorted(set(c.indicator_statuses) | set(c.dimension_views) | set(c.overall_views))
    age = ages.age_at_start(c.birth_year, c.period_start, c.age_group)
    return CaseFacts.model_validate(
        {
            "key": c.ref,
            "received": c.received_on,
            "admissibility_decided": c.admissibility_on,
            "file_complete": c.file_complete_on,
            "hearing": c.hearing_on,
            "deliberation": c.deliberation_on,
            "decided": c.decided_on,
            "letter": c.letter_issued_on,
            "status": status,
            "form": c.form,
            "nationality": c.nationality.upper() if len(c.nationality) == 2 else None,
            "gender": "other" if c.gender == "x" else c.gender,
            "age": age,
            "age_group": c.age_group,
            "route": "report_dismissal" if c.route == "report" else "exception",
            "rubric_id": c.rubric_id,
            "rubric_version": c.rubric_version,
            "rubric_outcome": c.rubric_outcome,
            "panel_outcome": _PANEL.get(c.panel_outcome or ""),
            # A departure from the rubric cannot be recorded without written reasons.
            "override_reason": bool(c.departs_from_rubric),
            "findings": {p: (c.rubric_dimensions.get(p), f) for p, f in c.findings.items()},
            "disciplines": [
                {
                    "discipline": d,
                    "indicators": c.indicator_statuses.get(d, {}),
                    "dimensions": c.dimension_views.get(d, {}),
                    "overall": _OVERALL.get(c.overall_views.get(d, "")),
                }
                for d in disciplines
            ],
            "follow_up": {f.kind: _FOLLOW_UP[f.result] for f in c.followups},
            "advice_use": {a.by: a.followed for a in c.advice_uses},
            "filing_party": c.filing_party,
            "residence_status": c.residence_status,
            "exception_ground": c.exception_ground,
            "hearing_interpreter": c.hearing_interpreter,
            "inadmissible_grounds": tuple(c.inadmissible_grounds),
        }
    )



def _grounds(stored: str | None) -> tuple[str, ...] | None:
    """The stored JSON list of an inadmissible decision's grounds as a tuple; None when it is not a list of
    known grounds (the case is then inconsistent)."""
    try:
        grounds = json.loads(stored or "[]")
    except ValueError:
        return None
    if not isinstance(grounds, list) or not all(g in INADMISSIBLE_GROUNDS for g in grounds):
        return None
    return tuple(grounds)

# ---------------------------------------------------------------------------------------------------------
# Straight to columns: the same facts as `to_facts`, read from the store's columns into arrays without a
# Python object per case or rating (issue #16: all figures for 100,000 cases). A test holds the two paths
# to the same figures, re-scoring and skipped cases on a seeded store.

_COUNTRY = re.compile(r"[A-Z]{2}")
_SLUG = re.compile(r"[a-z][a-z0-9_]*")


def _days(texts: Sequence[str | None]) -> np.ndarray:
    """Day numbers of ISO dates (`NO_DATE` for none), each distinct date parsed once."""
    cat = Categorical.of(texts, len(texts))
    lookup = np.array([NO_DATE if v is None else date.fromisoformat(v).toordinal() for v in cat.values], dtype=np.int64)
    return lookup[cat.codes] if len(cat.values) else np.zeros(0, dtype=np.int64)


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position in `ids` of each value of `wanted`, -1 where absent (the first, for an id listed twice)."""
    if len(ids) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    low, high = int(ids.min()), int(ids.max())
    if low >= 0 and high < 4 * len(ids) + 1024:
        # Row ids are mostly dense: a table indexed by id answers each lookup in one step (3.4 million ratings
        # against 300,000 inputs), where a binary search takes twenty.
        table = np.full(high + 1, -1, dtype=np.int64)
        table[ids] = np.arange(len(ids), dtype=np.int64)
        if np.count_nonzero(table >= 0) == len(ids):  # every id once (otherwise: which one wins is not defined)
            if len(wanted) == 0 or (int(wanted.min()) >= 0 and int(wanted.max()) <= high):
                found: np.ndarray = table[wanted]
                return found
            inside = (wanted >= 0) & (wanted <= high)
            found = np.full(len(wanted), -1, dtype=np.int64)
            found[inside] = table[wanted[inside]]
            return found
    order = np.argsort(ids, kind="stable")
    at = np.minimum(np.searchsorted(ids, wanted, sorter=order), len(ids) - 1)
    found = order[at]
    return np.where(ids[found] == wanted, found, -1)


def _decoded(table: dict[str, Any], name: str) -> Categorical:
    """A column the store sent coded (`Tx.analysable_columns`, `_entries`) as a `Categorical`."""
    firsts = np.frombuffer(table[f"firsts:{name}"], dtype=np.int64)
    codes = np.frombuffer(table[name], dtype=np.int64)
    # Each row's first-appearance row number to its value's position: one lookup a row, not a binary search.
    dense = np.zeros(len(codes), dtype=np.int64)
    dense[firsts] = np.arange(len(firsts), dtype=np.int64)
    return Categorical(dense[codes], list(table[f"values:{name}"]))


def _int_array(values: Sequence[Any]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64, count=len(values))


def columns_of(tables: dict[str, dict[str, Any]]) -> tuple[CaseColumns, list[str]]:
    """The evaluators' columns of the store's analysable columns (`Tx.analysable_columns`), and the
    references of cases left out because their facts are inconsistent: exactly the cases and facts that
    `to_facts` gives, case by case, on the same store. `tables` is consumed: the cases and the ratings and
    views are let go as soon as they are read, so the memory peak does not hold them twice."""
    c = tables["cases"]
    n = len(c["id"])
    ids = _int_array(c["id"])
    bad = np.zeros(n, dtype=bool)

    status_store = Categorical.of(c["status"], n)
    letter = _days(c["letter_issued_on"])
    status = status_store.map(_STATUS.__getitem__)
    issued = status.isin({"decided"}) & (letter != NO_DATE)
    status_values = [*status.values, "letter_issued"]
    status = Categorical(np.where(issued, len(status.values), status.codes), status_values).compact()

    received = _days(c["received_on"])
    dates = {
        "admissibility_decided": _days(c["admissibility_on"]),
        "file_complete": _days(c["file_complete_on"]),
        "hearing": _days(c["hearing_on"]),
        "deliberation": _days(c["deliberation_on"]),
        "decided": _days(c["decided_on"]),
        "letter": letter,
    }
    # The order CaseFacts requires: received <= admissibility <= decided <= letter (where known), and no
    # other stage before the application.
    latest = received.copy()
    for name in ("admissibility_decided", "decided", "letter"):
        d = dates[name]
        known = d != NO_DATE
        bad |= known & (d < latest)
        latest = np.where(known, np.maximum(latest, d), latest)
    for name in ("file_complete", "hearing", "deliberation"):
        bad |= (dates[name] != NO_DATE) & (dates[name] < received)

    nationality = Categorical.of(c["nationality"], n).map(lambda v: v.upper() if len(v) == 2 else None)
    bad |= ~nationality.isin({v for v in nationality.values if v is None or _COUNTRY.fullmatch(v)})
    gender = Categorical.of(c["gender"], n).map(lambda v: "other" if v == "x" else v)
    bad |= ~gender.isin(set(GENDERS))
    form = Categorical.of(c["form"], n)
    bad |= ~form.isin(set(FORMS))
    route = Categorical.of(c["route"], n).map(lambda v: "report_dismissal" if v == "report" else "exception")

    # The age at the start of the exploitation (`age.age_at_start`, from the year of birth: approximate), -1
    # where unknown; its band; the age group, which the band decides when known and must then agree with the
    # one recorded. Each distinct (birth year, start, group) is worked out once.
    group_store = Categorical.of(c["age_group"], n)
    born = Categorical.of(list(zip(c["birth_year"], c["period_start"], c["age_group"], strict=True)), n)
    age_of = born.map(lambda bsg: ages.age_at_start(bsg[0], None if bsg[1] is None else date.fromisoformat(bsg[1]),
                                                    bsg[2] if bsg[2] in ("adult", "child") else None))
    age = np.array([-1 if a is None else a for a in age_of.values], dtype=np.int64)[age_of.codes] if n else received
    band = Categorical.of(age.tolist(), n).map(lambda a: age_band(None if a < 0 else a))
    width = len(band.values)
    both = Categorical(group_store.codes * width + band.codes, [(g, b) for g in group_store.values for b in band.values])
    derived = both.map(lambda gb: gb[0] if gb[1] == "unknown" else ("child" if gb[1] == "0-17" else "adult"))
    age_group = derived.compact()
    bad |= both.isin({(g, b) for g, b in both.values if g is not None and b != "unknown"
                      and g != ("child" if b == "0-17" else "adult")})  # fmt: skip

    panel = Categorical.of(c["panel_outcome"], n).map(lambda v: _PANEL.get(v or ""))
    bad |= ~panel.isin({None}) & ~status.isin(DECIDED)

    rubric = Categorical.of(
        [(i, v) if i and v else None for i, v in zip(c["rubric_id"], c["rubric_version"], strict=True)], n
    )
    override = np.array([bool(d) for d in c["departs"]], dtype=bool)

    # The procedure's facts; a value the domain does not know makes the case inconsistent.
    procedure = {
        "filing_party": Categorical.of(c["filing_party"], n),
        "residence_status": Categorical.of(c["residence_status"], n),
        "exception_ground": Categorical.of(c["exception_ground"], n),
        "hearing_interpreter": Categorical.of([None if v is None else bool(v) for v in c["hearing_interpreter"]], n),
        "inadmissible_grounds": Categorical.of(c["inadmissible_grounds"], n).map(_grounds),
    }
    stored = {name: Categorical.of(c[name], n) for name in ("rubric_id", "rubric_version", "rubric_outcome")}
    keys = list(c["ref"])
    # The cases' row values (100,000s of Python objects) go before the millions of ratings are taken.
    del c, tables["cases"]
    bad |= procedure["inadmissible_grounds"].isin({None})
    for name, domain in (("filing_party", FilingParty), ("residence_status", ResidenceStatus),
                         ("exception_ground", ExceptionGround)):
        bad |= ~procedure[name].isin({None, *get_args(domain)})

    # Follow-up per kind ("unknown" where none is recorded); an unknown kind makes the case inconsistent.
    f = tables["followups"]
    f_row = _positions(ids, _int_array(f["case_id"]))
    f_kind = Categorical.of(f["kind"], len(f_row))
    f_result = Categorical.of(f["result"], len(f_row)).map(_FOLLOW_UP.__getitem__)
    bad[f_row[(f_row >= 0) & ~f_kind.isin(set(FOLLOW_UP_KINDS))]] = True
    follow_up: dict[str, Categorical] = {}
    for kind in FOLLOW_UP_KINDS:
        values = ["unknown", *f_result.values]
        codes = np.zeros(n, dtype=np.int64)
        mine = (f_row >= 0) & f_kind.isin({kind})
        codes[f_row[mine]] = f_result.codes[mine] + 1
        follow_up[kind] = Categorical(codes, values).compact()

    advice_use = _per_case(tables["advice_uses"], ids, "used_by", "followed", ADVICE_USERS,
                           get_args(AdviceFollowed), "not_recorded")
    bad[advice_use.pop(None)] = True  # an unknown recipient or answer makes the case inconsistent

    inputs, bad_inputs_case = _inputs_of(tables, ids)
    bad |= bad_inputs_case

    # The panel's findings: a finding or status that is not a view makes the case inconsistent, as in `to_facts`.
    g = tables["findings"]
    g_row = _positions(ids, _int_array(g["case_id"]))
    g_pair = Categorical.of(zip(g["status"], g["finding"], strict=True), len(g_row))
    g_bad = g_pair.map(lambda sf: not (sf[0] in VIEWS and sf[1] in VIEWS))
    bad[g_row[(g_row >= 0) & g_bad.isin({True})]] = True
    g_mine = g_row >= 0
    findings = Entries(g_row[g_mine], Categorical.of(g["dimension"], len(g_row)).take(g_mine), g_pair.take(g_mine))

    cols = CaseColumns(
        keys=keys,
        received=received,
        dates=dates,
        categories={
            "status": status,
            "form": form,
            "nationality": nationality,
            "gender": gender,
            "age_band": band,
            "age_group": age_group,
            "route": route,
            "rubric_id": stored["rubric_id"],
            "rubric_version": stored["rubric_version"],
            "profile": Categorical(np.zeros(n, dtype=np.int64), [None]) if n else Categorical.of([]),
            "rubric_outcome": stored["rubric_outcome"],
            "panel_outcome": panel,
            "override_category": Categorical(np.zeros(n, dtype=np.int64), [None]) if n else Categorical.of([]),
            **procedure,
        },
        rubric=rubric,
        override_reason=override,
        follow_up=follow_up,
        inputs=inputs,
        age=age,
        advice_use=advice_use,
        findings=findings,
    )
    skipped = list(itertools.compress(cols.keys, bad.tolist()))
    return (cols.take(~bad) if bad.any() else cols), skipped


def _per_case(table: dict[str, Any], case_ids: np.ndarray, kind: str, value: str, kinds: Sequence[str],
              valid: Collection[str], missing: str) -> dict[Any, Any]:
    """One column per kind of a (case_id, kind, value) table, `missing` where a case has no row of that
    kind; under None the rows (case positions) whose kind or value `CaseFacts` would refuse."""
    row = _positions(case_ids, _int_array(table["case_id"]))
    kind_col = Categorical.of(table[kind], len(row))
    value_col = Categorical.of(table[value], len(row))
    listed = row >= 0
    out: dict[Any, Any] = {None: row[listed & (~kind_col.isin(set(kinds)) | ~value_col.isin(set(valid)))]}
    for k in kinds:
        codes = np.zeros(len(case_ids), dtype=np.int64)
        mine = listed & kind_col.isin({k})
        codes[row[mine]] = value_col.codes[mine] + 1
        out[k] = Categorical(codes, [missing, *value_col.values]).compact()
    return out


def _inputs_of(tables: dict[str, dict[str, Any]], case_ids: np.ndarray) -> tuple[Inputs, np.ndarray]:
    """The discipline inputs with something in them (a rating, a view or an overall view), as `to_facts`
    keeps them; and which cases hold an input `CaseFacts` would refuse (a bad discipline, status or view)."""
    n_cases = len(case_ids)
    i = tables["inputs"]
    input_ids = _int_array(i["id"])
    case = _positions(case_ids, _int_array(i["case_id"]))
    listed = case >= 0
    discipline = Categorical.of(i["discipline"], len(input_ids))
    given = Categorical.of(i["overall_view"], len(input_ids))
    overall = given.map(lambda v: _OVERALL.get(v or ""))

    def entries(table: dict[str, Any], valid: set[str]) -> tuple[Entries, np.ndarray]:
        where = _positions(input_ids, table["input"])
        mine = where >= 0
        keys = _decoded(table, "key")
        values = Categorical(table["value"], list(table["values:value"]))
        wrong = mine & ~values.isin(valid)
        if mine.all():  # every entry is of an input listed (the usual case): no copy of millions of entries
            return Entries(where, keys, values), where[wrong]
        return Entries(where[mine], keys.take(mine), values.take(mine)), where[wrong]

    statuses = set(get_args(Status))
    # Each table of entries is let go once taken (the copies kept are the entries of inputs listed).
    indicators, bad_status = entries(tables.pop("observations"), statuses)
    dimensions, bad_view = entries(tables.pop("views"), set(VIEWS))
    n_inputs = len(input_ids)
    content = (
        (np.bincount(indicators.input, minlength=n_inputs) > 0)
        | (np.bincount(dimensions.input, minlength=n_inputs) > 0)
        | ~given.isin({None, ""})  # any overall view recorded makes the input count, as in to_facts
    )
    keep = listed & content
    bad = np.zeros(n_cases, dtype=bool)
    slug_ok = {v for v in discipline.values if len(v) <= 80 and _SLUG.fullmatch(v)}
    wrong_input = keep & ~discipline.isin(slug_ok)
    for rows in (np.flatnonzero(wrong_input), bad_status, bad_view):
        rows = rows[keep[rows]]
        bad[case[rows]] = True
    return (
        Inputs(
            case=case[keep],
            discipline=discipline.take(keep),
            overall=overall.take(keep),
            indicators=indicators.take(keep),
            dimensions=dimensions.take(keep),
        ),
        bad,
    )
