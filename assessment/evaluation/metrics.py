"""The pilot's figures as pure functions on a list of `CaseFacts`: intake funnel, outcomes, throughput,
rubric versus panel, follow-up. Every figure is a protected `Table` carrying the disclosure rule."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict

from .. import vocabulary
from ..deadlines import DEFAULT_DEADLINES, StageTerm, closing_events
from ..deadlines import STAGES as DEADLINE_STAGES
from ..i18n import N_, NO_VALUE, Day, Msg, PeriodName, Plain
from ..model import INADMISSIBLE_GROUNDS, ExceptionGround, FilingParty, ResidenceStatus
from ..rubric import Rubric, RubricVersion
from .agreement import Agreement, agreement
from .disclosure import (
    DEFAULT_RULE,
    Cell,
    Column,
    DisclosureRule,
    Label,
    Row,
    Table,
    count_table,
    group_label,
    nationality_groups,
)
from .facts import (
    ADVICE_USE_STATUSES,
    ADVICE_USERS,
    AGE_BANDS,
    DECIDED,
    FOLLOW_UP_KINDS,
    FOLLOW_UP_STATUSES,
    FORMS,
    GENDERS,
    NO_DATE,
    OPEN,
    ROUTES,
    CaseColumns,
    CaseFacts,
    Categorical,
    as_columns,
)
from .labels import label, lower, slug_label

Period = Literal["month", "quarter", "year"]
Stage = Literal["file_complete", "hearing", "decided", "letter"]
STAGES: tuple[Stage, ...] = ("file_complete", "hearing", "decided", "letter")
# Cases that can no longer move: no stage of theirs is running, so none is overdue.
CLOSED: frozenset[str] = frozenset({"inadmissible", "withdrawn"})
STAGE_LABELS: dict[str, Label] = {
    "file_complete": Msg(N_("File complete")),
    "hearing": Msg(N_("Hearing")),
    "decided": Msg(N_("Advice")),
    "letter": Msg(N_("Letter issued")),
}
# Bins of the throughput distribution, in days from application (upper bounds; the last is open).
DAY_BINS: tuple[int, ...] = (30, 60, 90, 120, 180)

FUNNEL_COLUMNS = ("inadmissible", "withdrawn", "in_progress", "advice_issued")
NOT_RECORDED = "not_recorded"  # the row of cases whose procedural fact was not recorded

# Every figure takes a list of cases or their `CaseColumns`; `compute_all` flattens once and shares them.
Cases = Sequence[CaseFacts] | CaseColumns


def period_of(d: date, period: Period) -> str:
    """`2018`, `2018-Q3` or `2018-07`: the period a date falls in."""
    if period == "year":
        return f"{d.year}"
    if period == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return f"{d.year}-{d.month:02d}"


def _funnel_stage(status: str) -> str:
    if status in DECIDED:
        return "advice_issued"
    if status in OPEN:
        return "in_progress"
    return status


def _periods(cols: CaseColumns, period: Period) -> Categorical:
    """The period of application of each case (each distinct day converted once)."""
    days, inverse = np.unique(cols.received, return_inverse=True)
    by_day = Categorical(inverse.astype(np.int64).reshape(-1), days.tolist())
    return by_day.map(lambda d: period_of(date.fromordinal(d), period))


def funnel(cases: Cases, rule: DisclosureRule = DEFAULT_RULE, period: Period = "quarter") -> Table:
    """Intake funnel by period of application: inadmissible, withdrawn, in progress, advice issued; the row
    total is the number received."""
    cols = as_columns(cases)
    counts = _periods(cols, period).cross(cols.col("status").map(_funnel_stage))
    periods = sorted({p for p, _ in counts})
    columns = [
        ("inadmissible", label("status", "inadmissible")),
        ("withdrawn", label("status", "withdrawn")),
        ("in_progress", label("status", "in_progress")),
        ("advice_issued", label("status", "decided")),
    ]
    return count_table(
        "funnel",
        Msg(N_("Intake by period of application")),
        Msg(N_("Period")),
        [(p, PeriodName(p)) for p in periods],
        columns,
        dict(counts),
        rule,
        total_label=Msg(N_("Received")),
    )


# ---------------------------------------------------------------------------------------------------------
# Outcomes

Breakdown = Literal["form", "nationality", "gender", "age_band", "route", "residence_status"]
BREAKDOWNS: tuple[Breakdown, ...] = ("form", "nationality", "gender", "age_band", "route", "residence_status")
BREAKDOWN_LABELS: dict[str, Label] = {
    "form": Msg(N_("Form of exploitation")),
    "nationality": Msg(N_("Nationality (group)")),
    "gender": Msg(N_("Gender")),
    "age_band": Msg(N_("Age")),
    "route": Msg(N_("Route")),
    "residence_status": Msg(N_("Residence status")),
}
# The titles of the outcome tables, one message each (a translator sees the whole phrase).
OUTCOME_TITLES: dict[str, Label] = {
    "form": Msg(N_("Outcome by form of exploitation")),
    "nationality": Msg(N_("Outcome by nationality (group)")),
    "gender": Msg(N_("Outcome by gender")),
    "age_band": Msg(N_("Outcome by age")),
    "route": Msg(N_("Outcome by route")),
    "residence_status": Msg(N_("Outcome by residence status at application")),
}
_OUTCOME_COLS = [
    ("plausible", label("outcome", "plausible")),
    ("not_plausible", label("outcome", "not_plausible")),
]


def outcomes(cases: Cases, by: Breakdown, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Panel outcomes of decided cases by one breakdown, with the share aannemelijk; the totals row is the
    overall share. Nationalities below the threshold are grouped (see `nationality_groups`)."""
    cols = as_columns(cases)
    decided = cols.decided_mask()
    panel = cols.col("panel_outcome").take(decided)
    if by == "nationality":
        nationality = cols.col("nationality").take(decided)
        present_codes = nationality.counts()
        groups = nationality_groups(
            itertools.chain.from_iterable(itertools.repeat(v, n) for v, n in present_codes.items()), rule
        )
        key = nationality.map(groups.get)  # values absent from the decided cases map to None, unused
        present = key.counts()
        rows = [(g, group_label(g)) for g, _ in sorted(present.items(), key=lambda kv: (-kv[1], kv[0]))]
    else:
        order = {"form": FORMS, "gender": GENDERS, "age_band": AGE_BANDS, "route": ROUTES,
                 "residence_status": (*get_args(ResidenceStatus), NOT_RECORDED)}[by]
        key = cols.col(by).take(decided).map(_recorded)
        seen = set(key.counts())
        # Every category is shown (an empty row says something too), except "unknown" when unused.
        rows = [(v, _category_label(by, v)) for v in order if v not in ("unknown", NOT_RECORDED) or v in seen]
    counts = key.cross(panel)
    return count_table(
        f"outcomes_{by}",
        OUTCOME_TITLES[by],
        BREAKDOWN_LABELS[by],
        rows,
        _OUTCOME_COLS,
        dict(counts),
        rule,
        percent_of="plausible",
    )


# ---------------------------------------------------------------------------------------------------------
# Throughput


def days_to(case: CaseFacts, stage: str) -> int | None:
    """Days from application to the stage, or None when the stage has not been reached."""
    d: date | None = getattr(case, stage)
    return None if d is None else (d - case.received).days


def _stage_days(cols: CaseColumns, stage: str) -> np.ndarray:
    day = cols.day(stage)
    reached = day != NO_DATE
    days: np.ndarray = day[reached] - cols.received[reached]
    return days


def stage_days(cases: Cases, stage: str) -> list[int]:
    """Days from application to the stage, for every case that reached it."""
    return [int(v) for v in _stage_days(as_columns(cases), stage).tolist()]


def p90(values: Sequence[int]) -> float:
    """The 90th percentile by linear interpolation between order statistics (numpy's default)."""
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=10, method="inclusive")[-1])


def throughput(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Days from application to complete file, hearing, advice and letter: number of cases, median and
    90th percentile. Statistics only on at least `min_denominator` cases; small counts hidden."""
    cols = as_columns(cases)
    rows = []
    minimum = max(rule.min_denominator, 1)
    for stage in STAGES:
        # Python ints through `statistics`, so the figures are exactly those of the documented method.
        values: list[int] = np.sort(_stage_days(cols, stage)).tolist()
        n = len(values)
        hidden = rule.hides(n)
        ok = n >= minimum and not hidden and n > 0
        rows.append(
            Row(
                id=stage,
                label=STAGE_LABELS[stage],
                cells=[
                    Cell(value=None if hidden else n, hidden=hidden),
                    Cell(value=float(statistics.median(values)) if ok else None),
                    Cell(value=p90(values) if ok else None),
                ],
            )
        )
    return Table(
        id="throughput",
        title=Msg(N_("Days from application")),
        row_header=Msg(N_("Stage")),
        columns=[
            Column(id="n", label=Msg(N_("Cases"))),
            Column(id="median", label=Msg(N_("Median")), kind="days"),
            Column(id="p90", label=Msg(N_("90th percentile")), kind="days"),
        ],
        rows=rows,
        rule=rule,
    )


def _bins() -> list[tuple[str, Label]]:
    out: list[tuple[str, Label]] = []
    low = 0
    for high in DAY_BINS:
        out.append((f"{low}-{high}", Plain(f"{low}-{high} d")))
        low = high + 1
    out.append((f">{DAY_BINS[-1]}", Plain(f">{DAY_BINS[-1]} d")))
    return out


def throughput_distribution(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """How many cases reached each stage within each band of days (the chart of the distribution)."""
    cols = as_columns(cases)
    counts: dict[tuple[str, str], int] = {}
    bin_ids = [b for b, _ in _bins()]
    for stage in STAGES:
        # side="left" is bisect_left: a value equal to a bound falls in the band it closes.
        which = np.searchsorted(np.array(DAY_BINS), _stage_days(cols, stage), side="left")
        per_bin = np.bincount(which, minlength=len(bin_ids)).tolist()
        counts.update({(stage, bin_ids[i]): n for i, n in enumerate(per_bin) if n})
    return count_table(
        "throughput_distribution",
        Msg(N_("Distribution of days from application")),
        Msg(N_("Stage")),
        [(s, STAGE_LABELS[s]) for s in STAGES],
        _bins(),
        dict(counts),
        rule,
        totals_row=False,
    )


@dataclass(frozen=True)
class Step:
    """The days between two recorded events of a case (`step_events`); `term` names the deadline stage
    (`assessment.deadlines`) whose term the step is measured against, if one applies."""

    id: str
    start: str
    end: str
    label: Label
    term: str | None = None


# The steps a case goes through, each between two events recorded when they happened (issue #16: received
# -> admissible -> file complete -> hearing -> deliberation -> advice -> letter). "Assessment" spans the
# three steps from admissible to deliberation, because that is the stage the deadline is set for.
STEPS: tuple[Step, ...] = (
    Step("admissibility", "received", "admissibility_decided", Msg(N_("Application to admissibility decision")),
         "admissibility"),
    Step("file_complete", "admissible", "file_complete", Msg(N_("Admissible to file complete"))),
    Step("hearing", "file_complete", "hearing", Msg(N_("File complete to hearing"))),
    Step("to_deliberation", "hearing", "deliberation", Msg(N_("Hearing to deliberation"))),
    Step("assessment", "admissible", "deliberation", Msg(N_("Admissible to deliberation (assessment)")), "assessment"),
    Step("decision", "deliberation", "decided", Msg(N_("Deliberation to advice")), "decision"),
    Step("letter", "decided", "letter", Msg(N_("Advice to letter")), "letter"),
)


def step_days(cols: CaseColumns, step: Step) -> np.ndarray:
    """Days between the step's two events, for every case that recorded both."""
    events = {**stage_events(cols), "file_complete": cols.day("file_complete"), "hearing": cols.day("hearing")}
    start, end = events[step.start], events[step.end]
    both = (start != NO_DATE) & (end != NO_DATE)
    days: np.ndarray = end[both] - start[both]
    return days


def stage_durations(
    cases: Cases, rule: DisclosureRule = DEFAULT_RULE, deadlines: Mapping[str, int] = DEFAULT_DEADLINES
) -> Table:
    """Days per step between recorded events (not from the application): cases, median, 90th percentile,
    the step's term where a deadline applies and how many cases took longer than it. Statistics only on at
    least `min_denominator` cases; small counts hidden."""
    cols = as_columns(cases)
    minimum = max(rule.min_denominator, 1)
    rows = []
    for step in STEPS:
        days = np.sort(step_days(cols, step))
        values: list[int] = days.tolist()
        n = len(values)
        hidden = rule.hides(n)
        ok = n >= minimum and not hidden
        term = deadlines.get(step.term) if step.term is not None else None
        late = int(np.count_nonzero(days > term)) if term is not None else 0
        rows.append(Row(id=step.id, label=step.label, cells=[
            Cell(value=None if hidden else n, hidden=hidden),
            Cell(value=float(statistics.median(values)) if ok else None),
            Cell(value=p90(values) if ok else None),
            Cell(value=term),
            Cell(value=None if term is None or hidden or rule.hides(late) else late,
                 hidden=term is not None and (hidden or rule.hides(late))),
        ]))
    return Table(
        id="stage_durations",
        title=Msg(N_("Days per step, between recorded events")),
        row_header=Msg(N_("Step")),
        columns=[
            Column(id="n", label=Msg(N_("Cases"))),
            Column(id="median", label=Msg(N_("Median")), kind="days"),
            Column(id="p90", label=Msg(N_("90th percentile")), kind="days"),
            Column(id="term", label=Msg(N_("Term")), kind="days"),
            Column(id="over_term", label=Msg(N_("Longer than the term"))),
        ],
        rows=rows,
        rule=rule,
    )


def stage_events(cols: CaseColumns) -> dict[str, np.ndarray]:
    """Day numbers of the events that open and close the deadline stages (`assessment.deadlines`).
    Only an admissible case opens the assessment stage."""
    decided_on = cols.day("admissibility_decided")
    inadmissible = cols.col("status").isin({"inadmissible"})
    return {
        "received": cols.received,
        "admissibility_decided": decided_on,
        "admissible": np.where(inadmissible, NO_DATE, decided_on),
        "deliberation": cols.day("deliberation"),
        "decided": cols.day("decided"),
        "letter": cols.day("letter"),
    }


def overdue_mask(cols: CaseColumns, stage: StageTerm, on: date, terms: Mapping[str, int]) -> np.ndarray:
    """The cases whose `stage` was running and past its term on day `on`, by the one definition in
    `assessment.deadlines.stage_deadlines` (a test holds the two to the same answer case by case)."""
    events = stage_events(cols)
    day = on.toordinal()
    opened = events[stage.opens]
    # A stage closes with its own event, or with any later one when that was not recorded.
    later = [np.where(events[e] == NO_DATE, np.iinfo(np.int64).max, events[e]) for e in closing_events(stage)]
    first = np.minimum.reduce(later)
    done = np.where(first == np.iinfo(np.int64).max, NO_DATE, first)
    closed = cols.col("status").isin(CLOSED)
    running = (opened != NO_DATE) & (opened <= day) & ((done == NO_DATE) | (done > day)) & ~closed
    late: np.ndarray = running & (day - opened > terms[stage.stage])
    return late


def overdue(
    cases: Cases,
    as_of: date,
    rule: DisclosureRule = DEFAULT_RULE,
    deadlines: Mapping[str, int] = DEFAULT_DEADLINES,
) -> Table:
    """Cases with a stage running past its deadline on `as_of`, per stage: the stages and terms of the Cases
    screen (`assessment.deadlines`; the terms are `Settings.deadlines`). Events after `as_of` count as not
    yet happened, so the figure can be taken on a past date; withdrawn and inadmissible cases never count."""
    cols = as_columns(cases)
    stages = [s for s in DEADLINE_STAGES if s.stage in deadlines]
    counts: dict[tuple[str, str], int] = {(s.stage, "overdue"): int(np.count_nonzero(overdue_mask(cols, s, as_of, deadlines))) for s in stages}
    return count_table(
        "overdue",
        Msg(N_("Overdue on {date}"), {"date": Day(as_of)}),
        Msg(N_("Stage")),
        [
            (
                s.stage,
                Msg(N_("{stage} (> {days} d)"), {"stage": label("deadline_stage", s.stage), "days": deadlines[s.stage]}),
            )
            for s in stages
        ],
        [("overdue", Msg(N_("Overdue")))],
        counts,
        rule,
        row_totals=False,
    )


# ---------------------------------------------------------------------------------------------------------
# Rubric versus panel, follow-up


def rubric_vs_panel(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Rubric outcome (rows) against the panel's outcome (columns), decided cases with a rubric result."""
    cols = as_columns(cases)
    rubric = cols.col("rubric_outcome")
    scored = cols.decided_mask() & ~rubric.isin({None})
    counts = rubric.take(scored).cross(cols.col("panel_outcome").take(scored))
    rows_seen = {r for r, _ in counts}
    known = ["plausible", "not_plausible", "undetermined"]
    row_ids = [r for r in known if r in rows_seen or r != "undetermined"] + sorted(set(rows_seen) - set(known))
    return count_table(
        "rubric_vs_panel",
        Msg(N_("Assessment instrument versus panel")),
        Msg(N_("Outcome of the instrument \\ panel")),
        [(r, label("outcome", r)) for r in row_ids],
        _OUTCOME_COLS,
        dict(counts),
        rule,
        note=Msg(N_("The assessment instrument is an aid; the panel decides. A departure needs written reasons.")),
    )


_FINDINGS = ("positive", "negative", "undetermined")


def findings_vs_rubric(cases: Cases, rule: DisclosureRule = DEFAULT_RULE,
                       labels: dict[str, Label] | None = None) -> Table:
    """Per element (or dimension, under a rubric without elements) the instrument's status when the decision
    was recorded (rows) against the panel's finding (columns), over decided cases. The panel's findings are
    the record; this shows where the panel found otherwise than the instrument suggested."""
    cols = as_columns(cases)
    entries = cols.findings.take(cols.decided_mask())
    width = len(entries.value.values)
    n = np.bincount(entries.key.codes * width + entries.value.codes, minlength=len(entries.key.values) * width)
    counts = {(f"{part}:{status}", finding): int(n[i * width + j])
              for i, part in enumerate(entries.key.values)
              for j, (status, finding) in enumerate(entries.value.values) if n[i * width + j]}
    labels = labels or {}
    seen = set(entries.key.values)
    parts = [p for p in labels if p in seen] + sorted(seen - set(labels))
    rows = [(f"{p}:{s}", Msg(N_("{element}: {status}"), {"element": labels.get(p, slug_label(p)),
                                                          "status": lower("dim_status", s)}))
            for p in parts for s in _FINDINGS]
    return count_table(
        "findings_vs_rubric",
        Msg(N_("Assessment instrument versus the panel's findings, per element")),
        Msg(N_("Element: status by the instrument \\ panel's finding")),
        rows,
        [(f, label("finding", f)) for f in _FINDINGS],
        counts,
        rule,
        note=Msg(N_("The panel's finding per element is the record; the instrument suggests.")),
    )


def departure_reasons(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Reason categories given where the panel departed from a determined rubric outcome."""
    cols = as_columns(cases)
    rubric, panel = cols.col("rubric_outcome"), cols.col("panel_outcome")
    same = np.array([[r == p for p in panel.values] for r in rubric.values], dtype=bool).reshape(
        len(rubric.values), len(panel.values)
    )
    departs = (
        cols.decided_mask()
        & ~rubric.isin({None, "undetermined"})
        & ~(same[rubric.codes, panel.codes] if same.size else np.zeros(len(cols), dtype=bool))
    )
    category = cols.col("override_category")
    # One code per (category, reason given) pair, then named as the reason category shown.
    pairs = Categorical(
        category.codes * 2 + cols.override_reason.astype(np.int64),
        [(v, given) for v in category.values for given in (False, True)],
    )
    reason = pairs.take(departs).map(lambda vg: vg[0] or ("unspecified" if vg[1] else "none_recorded"))
    counts = {(r, "n"): n for r, n in reason.counts().items()}
    fixed = {
        "unspecified": Msg(N_("Reason without category")),
        "none_recorded": Msg(N_("No reason recorded")),
    }
    rows = [(r, fixed.get(r) or (label("departure_reason", r) if vocabulary.known("departure_reason", r)
                                 else slug_label(r))) for r in sorted({r for r, _ in counts})]
    return count_table(
        "departure_reasons",
        Msg(N_("Reasons for departing from the assessment instrument")),
        Msg(N_("Reason")),
        rows,
        [("n", Msg(N_("Cases")))],
        dict(counts),
        rule,
        row_totals=False,
    )


def follow_up(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """What became of decided cases: residence permit, care, compensation (missing counts as unknown)."""
    cols = as_columns(cases)
    decided = cols.decided_mask()
    counts: dict[tuple[str, str], int] = {}
    for kind in FOLLOW_UP_KINDS:
        counts.update({(kind, status): n for status, n in cols.follow_up[kind].take(decided).counts().items()})
    return count_table(
        "follow_up",
        Msg(N_("Follow-up after the advice")),
        Msg(N_("Provision")),
        [(k, label("follow_up_kind", k)) for k in FOLLOW_UP_KINDS],
        [(s, label("follow_up_status", s)) for s in FOLLOW_UP_STATUSES],
        dict(counts),
        rule,
        totals_row=False,
    )


def _recorded(value: str | None) -> str:
    return NOT_RECORDED if value is None else value


def _category_label(kind: str, value: str) -> Label:
    """A category value's label; a fact not recorded reads so."""
    return Msg(N_("not recorded")) if value == NOT_RECORDED else label(kind, value)


def _funnel_by(cols: CaseColumns, by: str, order: Sequence[str], table_id: str, title: Label,
               header: Label, rule: DisclosureRule, rows: np.ndarray | None = None) -> Table:
    """Cases by one procedural fact (rows; not recorded apart) and how far they got (the funnel's columns)."""
    fact, status = cols.col(by), cols.col("status")
    if rows is not None:  # only the two columns counted, not every column of the cases
        fact, status = fact.take(rows), status.take(rows)
    counts = fact.map(_recorded).cross(status.map(_funnel_stage))
    seen = {v for v, _ in counts}
    return count_table(
        table_id, title, header,
        [(v, _category_label(by, v)) for v in [*order, NOT_RECORDED] if v != NOT_RECORDED or v in seen],
        [(c, label("status", "decided" if c == "advice_issued" else c)) for c in FUNNEL_COLUMNS],
        dict(counts), rule, total_label=Msg(N_("Received")), whole_population=rows is None,
    )


def intake_by_filing_party(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Applications by who filed them (lawyer, care provider, NGO, the applicant, other) and how far they
    got: inadmissible, withdrawn, in progress, advice issued."""
    return _funnel_by(as_columns(cases), "filing_party", [*get_args(FilingParty)], "intake_filing_party",
                      Msg(N_("Applications by filing party")), Msg(N_("Filed by")), rule)


def intake_by_route(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Applications by route (report and dismissal, or the exception to reporting) and how far they got."""
    return _funnel_by(as_columns(cases), "route", list(ROUTES), "intake_route",
                      Msg(N_("Applications by route")), Msg(N_("Route")), rule)


def admissibility(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Applications by route and the admissibility decision: admissible (decided so, or in assessment or
    beyond), inadmissible, or not decided (still at intake, or withdrawn before the decision)."""
    cols = as_columns(cases)
    decided_on = (cols.day("admissibility_decided") != NO_DATE) | cols.col("status").isin(
        {"in_progress", *DECIDED})
    inadmissible = cols.col("status").isin({"inadmissible"})
    which = np.where(inadmissible, 1, np.where(decided_on, 0, 2))
    decision = Categorical(which.astype(np.int64), ["admissible", "inadmissible", "not_decided"])
    counts = cols.col("route").cross(decision)
    return count_table(
        "admissibility",
        Msg(N_("Admissibility by route")),
        Msg(N_("Route")),
        [(r, label("route", r)) for r in ROUTES],
        [("admissible", label("admissibility", "admissible")),
         ("inadmissible", label("admissibility", "inadmissible")),
         ("not_decided", Msg(N_("Not (yet) decided")))],
        dict(counts),
        rule,
        total_label=Msg(N_("Received")),
    )


def inadmissibility_grounds(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Inadmissible applications by the requirement found unmet, per route. An application can fail several
    requirements, so the rows add up to more than the inadmissible applications: the table has no totals
    (they still take part in the protection); one without a recorded ground counts as not recorded."""
    cols = as_columns(cases)
    inadmissible = cols.col("status").isin({"inadmissible"})
    grounds = cols.col("inadmissible_grounds").take(inadmissible)
    route = cols.col("route").take(inadmissible)
    counts: Counter[tuple[str, str]] = Counter()
    for (cited, by), n in grounds.cross(route).items():
        for g in cited or (NOT_RECORDED,):
            counts[(g, by)] += n
    seen = {g for g, _ in counts}
    return count_table(
        "inadmissibility_grounds",
        Msg(N_("Inadmissible applications by the requirement not met")),
        Msg(N_("Requirement not met")),
        [(g, _category_label("inadmissible_ground", g)) for g in [*INADMISSIBLE_GROUNDS, NOT_RECORDED] if g in seen
         or g != NOT_RECORDED],
        [(r, label("route", r)) for r in ROUTES],
        dict(counts),
        rule,
        row_totals=False,
        totals_row=False,
        note=Msg(N_("An application can fail more than one requirement; it is counted under each.")),
    )


def withdrawals(intake: Table) -> Table:
    """Withdrawn applications by period of application beside those received: the withdrawn column of the
    intake funnel (`funnel`) with its cells as published there, so the two tables say nothing apart. (The
    step a withdrawal came at is not published: the research export's durations would give it away.)"""
    keep = [i for i, c in enumerate(intake.columns) if c.id in ("withdrawn", "total")]
    return Table(
        id="withdrawals",
        title=Msg(N_("Withdrawn applications by period of application")),
        row_header=intake.row_header,
        columns=[intake.columns[i] for i in keep],
        rows=[Row(id=r.id, label=r.label, cells=[r.cells[i] for i in keep], total=r.total) for r in intake.rows],
        rule=intake.rule,
    )


def exception_grounds(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Applications on the exception route (no report to the police) by the ground of the exception, and
    how far they got."""
    cols = as_columns(cases)
    return _funnel_by(cols, "exception_ground", [*get_args(ExceptionGround)], "exception_grounds",
                      Msg(N_("Exception route by ground")), Msg(N_("Ground of the exception")), rule,
                      rows=cols.col("route").isin({"exception"}))


def hearings(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """Decided cases by whether a hearing was held and with an interpreter, with the panel's outcome."""
    cols = as_columns(cases)
    decided = cols.decided_mask()
    kind = cols.col("hearing_interpreter").take(decided).map(
        lambda v: "no_hearing" if v is None else ("with_interpreter" if v else "without_interpreter"))
    counts = kind.cross(cols.col("panel_outcome").take(decided))
    return count_table(
        "hearings",
        Msg(N_("Hearings and interpreters (decided cases)")),
        Msg(N_("Hearing")),
        [(k, label("hearing", k)) for k in ("with_interpreter", "without_interpreter", "no_hearing")],
        _OUTCOME_COLS,
        dict(counts),
        rule,
    )


def advice_use(cases: Cases, rule: DisclosureRule = DEFAULT_RULE) -> Table:
    """The use of the issued advice: per recipient (IND, Public Prosecution Service, municipality, care),
    how many cases whose letter was issued it followed, did not follow, reported without knowing, or
    nothing was reported back."""
    cols = as_columns(cases)
    issued = cols.day("letter") != NO_DATE
    counts: dict[tuple[str, str], int] = {}
    for by in ADVICE_USERS:
        counts.update({(by, status): n for status, n in cols.advice_use[by].take(issued).counts().items()})
    return count_table(
        "advice_use",
        Msg(N_("Use of the advice after the letter")),
        Msg(N_("Recipient")),
        [(b, label("advice_user", b)) for b in ADVICE_USERS],
        [(s, label("advice_use", s)) for s in ADVICE_USE_STATUSES],
        dict(counts),
        rule,
        totals_row=False,
    )


# ---------------------------------------------------------------------------------------------------------
# Everything at once


class PilotMetrics(BaseModel):
    """All figures for a set of cases (e.g. one period), each table protected by `rule`."""

    model_config = ConfigDict(frozen=True)

    rule: DisclosureRule
    period_from: date | None
    period_to: date | None
    as_of: date
    tables: list[Table]
    agreement: Agreement
    rubric_versions: list[RubricVersion]

    def table(self, table_id: str) -> Table:
        """The table with this id."""
        for t in [*self.tables, *self.agreement.tables]:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def all_tables(self) -> list[Table]:
        """Every table, figures first, then agreement."""
        return [*self.tables, *self.agreement.tables]

    def text(self, lang: Literal["nl", "en"]) -> str:
        """The whole set as plain text for the terminal."""
        versions = ", ".join(f"{v.id} {v.version}" for v in self.rubric_versions) or NO_VALUE
        head = Msg(N_("Rubric versions: {versions}"), {"versions": versions}).text(lang)
        return "\n\n".join([head, *(t.text(lang) for t in self.all_tables())])


def in_period(cases: Cases, start: date | None, end: date | None) -> CaseColumns:
    """The cases whose application was received within [start, end] (either bound may be open)."""
    cols = as_columns(cases)
    if start is None and end is None:
        return cols
    low = start.toordinal() if start is not None else np.iinfo(np.int64).min
    high = end.toordinal() if end is not None else np.iinfo(np.int64).max
    return cols.take((cols.received >= low) & (cols.received <= high))


def compute_all(
    cases: Cases,
    rule: DisclosureRule = DEFAULT_RULE,
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    period: Period = "quarter",
    labels: dict[str, Label] | None = None,
    deadlines: Mapping[str, int] = DEFAULT_DEADLINES,
    today: date | None = None,
) -> PilotMetrics:
    """Every figure of the evaluation for cases received in [start, end]. `labels` names dimensions and
    indicators (from the rubric); `deadlines` are the stage terms (`Settings.deadlines`). Overdue cases are
    counted on `as_of` (default: `end`), never later than `today`: the data know nothing of the future,
    so a period that ends in the future is measured today."""
    chosen = in_period(cases, start, end)
    today = today or date.today()
    as_of = min(as_of or end or today, today)
    intake = funnel(chosen, rule, period)
    tables = [
        intake,
        intake_by_filing_party(chosen, rule),
        intake_by_route(chosen, rule),
        admissibility(chosen, rule),
        inadmissibility_grounds(chosen, rule),
        exception_grounds(chosen, rule),
        *(outcomes(chosen, by, rule) for by in BREAKDOWNS),
        hearings(chosen, rule),
        throughput(chosen, rule),
        throughput_distribution(chosen, rule),
        stage_durations(chosen, rule, deadlines),
        overdue(chosen, as_of, rule, deadlines),
        rubric_vs_panel(chosen, rule),
        findings_vs_rubric(chosen, rule, labels),
        departure_reasons(chosen, rule),
        follow_up(chosen, rule),
        advice_use(chosen, rule),
        withdrawals(intake),
    ]
    versions = sorted(v for v in chosen.rubric.counts() if v is not None)
    return PilotMetrics(
        rule=rule,
        period_from=start,
        period_to=end,
        as_of=as_of,
        tables=tables,
        agreement=agreement(chosen, rule, labels),
        rubric_versions=[RubricVersion(id=i, version=v) for i, v in versions],
    )


def rubric_labels(rubric: Rubric) -> dict[str, Label]:
    """Element, dimension and indicator labels of a rubric, for `compute_all(labels=...)` (a decision under a
    rubric with elements records the panel's findings per element)."""
    out: dict[str, Label] = {e.id: e.name for e in rubric.elements}
    out.update({d.id: d.name for d in rubric.dimensions})
    out.update({i.id: i.name for i in rubric.indicators})
    return out
