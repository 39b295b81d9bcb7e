"""The evaluators' input: the analysable facts of one case, and nothing that identifies a person.

A `CaseFacts` holds dates, categories and ratings; never a name, date of birth, contact detail or free
text. Exports turn its dates into durations and year-months and its age into a band.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..model import VIEWS as VIEWS  # re-exported for the evaluation modules
from ..model import AdviceFollowed, AdviceUser, ExceptionGround, FilingParty, InadmissibleGround, ResidenceStatus, View
from ..observation import Status

# The evaluators' view of a case's status (`model.CaseStatus`, the workflow's): intake is received,
# assessment and deliberation are in progress, and a decided case counts apart once its letter is issued.
EvaluationStatus = Literal["received", "inadmissible", "withdrawn", "in_progress", "decided", "letter_issued"]
EVALUATION_STATUSES: tuple[EvaluationStatus, ...] = (
    "received",
    "inadmissible",
    "withdrawn",
    "in_progress",
    "decided",
    "letter_issued",
)
ExploitationForm = Literal["sexual", "labour", "criminal", "other"]
FORMS: tuple[ExploitationForm, ...] = ("sexual", "labour", "criminal", "other")
Gender = Literal["female", "male", "other", "unknown"]
GENDERS: tuple[Gender, ...] = ("female", "male", "other", "unknown")
Route = Literal["report_dismissal", "exception"]
ROUTES: tuple[Route, ...] = ("report_dismissal", "exception")
AgeBand = Literal["0-17", "18-24", "25-34", "35-44", "45+", "unknown"]
AGE_BANDS: tuple[AgeBand, ...] = ("0-17", "18-24", "25-34", "35-44", "45+", "unknown")
PanelOutcome = Literal["plausible", "not_plausible"]
PANEL_OUTCOMES: tuple[PanelOutcome, ...] = ("plausible", "not_plausible")
OverallView = Literal["plausible", "not_plausible", "undetermined"]
OVERALL_VIEWS: tuple[OverallView, ...] = ("plausible", "not_plausible", "undetermined")
FollowUpKind = Literal["residence_permit", "care", "compensation"]
FOLLOW_UP_KINDS: tuple[FollowUpKind, ...] = ("residence_permit", "care", "compensation")
FollowUpStatus = Literal["granted", "refused", "pending", "unknown"]
FOLLOW_UP_STATUSES: tuple[FollowUpStatus, ...] = ("granted", "refused", "pending", "unknown")
# The use of the issued advice, per recipient (`model.AdviceUse`); the figures count a recipient nobody
# reported back on as "not_recorded".
ADVICE_USERS: tuple[AdviceUser, ...] = get_args(AdviceUser)
AdviceUseStatus = Literal["followed", "not_followed", "unknown", "not_recorded"]
# A decided case's hearing, as the figures count it (from `hearing_interpreter`).
HearingKind = Literal["with_interpreter", "without_interpreter", "no_hearing"]
ADVICE_USE_STATUSES: tuple[AdviceUseStatus, ...] = get_args(AdviceUseStatus)

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Key = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]

# Statuses in which the panel has decided (the advice exists, with or without its letter).
DECIDED: frozenset[str] = frozenset({"decided", "letter_issued"})
# Statuses of a case that is still open.
OPEN: frozenset[str] = frozenset({"received", "in_progress"})


def age_band(age: int | None) -> AgeBand:
    """The band an age at application falls in; `unknown` when the age is not known."""
    if age is None:
        return "unknown"
    if age < 18:
        return "0-17"
    if age < 25:
        return "18-24"
    if age < 35:
        return "25-34"
    if age < 45:
        return "35-44"
    return "45+"


class DisciplineFacts(BaseModel):
    """One discipline's input on one case: its indicator ratings, its view per dimension, its overall view."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discipline: Slug
    indicators: dict[str, Status] = Field(default_factory=dict)
    dimensions: dict[str, View] = Field(default_factory=dict)
    overall: OverallView | None = None


class CaseFacts(BaseModel):
    """What the figures need of one case. `key` is a pseudonymous case key, never a name or file number
    the applicant could be traced by outside the tool; exports replace it again by a fresh key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    received: date
    admissibility_decided: date | None = None
    file_complete: date | None = None
    hearing: date | None = None
    deliberation: date | None = None  # deliberation opened (the assessment stage's end, see deadlines)
    decided: date | None = None
    letter: date | None = None
    status: EvaluationStatus
    form: ExploitationForm
    nationality: Country | None = None
    gender: Gender = "unknown"
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_band: AgeBand = "unknown"
    # Known even without an age (the intake records adult or child); derived from the age band otherwise.
    age_group: Literal["adult", "child"] | None = None
    route: Route
    rubric_id: str | None = None
    rubric_version: str | None = None
    profile: str | None = None
    rubric_outcome: str | None = None
    panel_outcome: PanelOutcome | None = None
    override_reason: bool = False
    override_category: Slug | None = None
    # Per part the panel gives a finding on (an element of the legal test, or a dimension of a rubric
    # without elements): the instrument's status when the decision was recorded, and the panel's finding,
    # the record (decision_findings). Only with a decision.
    findings: dict[str, tuple[View, View]] = Field(default_factory=dict)
    disciplines: list[DisciplineFacts] = Field(default_factory=list)
    follow_up: dict[FollowUpKind, FollowUpStatus] = Field(default_factory=dict)
    advice_use: dict[AdviceUser, AdviceFollowed] = Field(default_factory=dict)
    # The procedure (issue #16): who filed, the residence status at application, the ground of an exception
    # to reporting, and whether the hearing (when held) had an interpreter. None: not recorded / no hearing.
    filing_party: FilingParty | None = None
    residence_status: ResidenceStatus | None = None
    exception_ground: ExceptionGround | None = None
    hearing_interpreter: bool | None = None
    # The requirements an inadmissible decision found unmet (`admissibility.unmet`), in the vocabulary's order.
    inadmissible_grounds: tuple[InadmissibleGround, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> CaseFacts:
        if self.age is not None:
            band = age_band(self.age)
            if self.age_band not in ("unknown", band):
                raise ValueError(f"age {self.age} does not fall in age band {self.age_band}")
            object.__setattr__(self, "age_band", band)  # frozen model: set the derived band once
        if self.age_band != "unknown":
            group = "child" if self.age_band == "0-17" else "adult"
            if self.age_group not in (None, group):
                raise ValueError(f"age band {self.age_band} does not fit age group {self.age_group}")
            object.__setattr__(self, "age_group", group)
        order = [
            ("received", self.received),
            ("admissibility_decided", self.admissibility_decided),
            ("decided", self.decided),
            ("letter", self.letter),
        ]
        known = [(n, d) for n, d in order if d is not None]
        for (n1, d1), (n2, d2) in zip(known, known[1:], strict=False):
            if d2 < d1:
                raise ValueError(f"{n2} ({d2}) is before {n1} ({d1})")
        for name in ("file_complete", "hearing", "deliberation"):
            d = getattr(self, name)
            if d is not None and d < self.received:
                raise ValueError(f"{name} ({d}) is before received ({self.received})")
        if self.panel_outcome is not None and self.status not in DECIDED:
            raise ValueError(f"a panel outcome needs status decided or letter_issued, not {self.status}")
        if self.override_category is not None and not self.override_reason:
            raise ValueError("an override category needs override_reason")
        return self

    @property
    def is_decided(self) -> bool:
        """The panel has given its advice (a panel outcome implies a decided status, see the validator)."""
        return self.panel_outcome is not None


# ---------------------------------------------------------------------------------------------------------
# Columns: the facts of many cases flattened once into numpy arrays, so that every figure is a few array
# operations instead of a pass over 100,000 Python objects (issue #6: all figures in under 2 s).

NO_DATE = -1  # day number of a date that is not known (real day numbers are >= 1)


@dataclass(frozen=True)
class Categorical:
    """A column of category values as integer codes into `values` (in order of first appearance)."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def of(cls, items: Iterable[Any], count: int = -1) -> Categorical:
        """Code hashable values (None included); `count` is the number of items when known (faster)."""
        first_seen: dict[Any, int] = {}
        # One C-level pass: each item's code is the position where its value first appeared ...
        first = np.fromiter(map(first_seen.setdefault, items, itertools.count()), dtype=np.int64, count=count)
        # ... made dense (0, 1, 2, ... in order of first appearance); positions are increasing.
        positions = np.fromiter(first_seen.values(), dtype=np.int64, count=len(first_seen))
        return cls(np.searchsorted(positions, first), list(first_seen))

    @classmethod
    def of_array(cls, array: np.ndarray) -> Categorical:
        """Code a numpy column (numbers): its distinct values in ascending order, as Python values."""
        if array.dtype.kind in "iu" and len(array) and int(array.max()) - int(array.min()) < 1 << 16:
            # Whole numbers in a short range (counts, days, months): counted, not sorted.
            low = int(array.min())
            present = np.bincount(array - low) > 0
            code = np.cumsum(present) - 1
            return cls(code[array - low], (np.flatnonzero(present) + low).tolist())
        values, codes = np.unique(array, return_inverse=True)
        return cls(codes.reshape(-1).astype(np.int64, copy=False), values.tolist())

    def __len__(self) -> int:
        return len(self.codes)

    def isin(self, wanted: Collection[Any]) -> np.ndarray:
        """Boolean mask of the rows whose value is in `wanted`."""
        lookup = np.fromiter((v in wanted for v in self.values), dtype=bool, count=len(self.values))
        return lookup[self.codes] if len(self.values) else np.zeros(len(self.codes), dtype=bool)

    def take(self, rows: np.ndarray | slice) -> Categorical:
        """The rows selected by a mask, an index array or a slice, with the same value list."""
        return Categorical(self.codes[rows], self.values)

    def decoded(self) -> list[Any]:
        """The column's values, one per row (looked up in one numpy step: 100,000s of rows)."""
        values = np.empty(len(self.values), dtype=object)
        for i, v in enumerate(self.values):  # one by one: a tuple value must stay one cell, not become a row
            values[i] = v
        out: list[Any] = values[self.codes].tolist()
        return out

    def compact(self) -> Categorical:
        """The same column with only the values that occur (in the same order)."""
        used = np.bincount(self.codes, minlength=len(self.values)) > 0
        if used.all():
            return self
        return Categorical(_renumber(used)[self.codes], list(itertools.compress(self.values, used.tolist())))

    def map(self, fn: Callable[[Any], Any]) -> Categorical:
        """The column with every value replaced by `fn(value)`; values that become equal are merged."""
        mapped = [fn(v) for v in self.values]
        values = list(dict.fromkeys(mapped))
        index = {v: i for i, v in enumerate(values)}
        lookup = np.array([index[m] for m in mapped], dtype=np.int64)
        return Categorical(lookup[self.codes] if mapped else self.codes, values)

    def where(self, keep: np.ndarray, other: Any = None) -> Categorical:
        """The column with every row not in the mask `keep` set to `other`."""
        values = self.values if other in self.values else [*self.values, other]
        return Categorical(np.where(keep, self.codes, values.index(other)), values)

    def recode(self, order: Sequence[Any]) -> np.ndarray:
        """The codes as positions in `order`, which must hold every value."""
        index = {v: i for i, v in enumerate(order)}
        lookup = np.array([index[v] for v in self.values], dtype=np.int64)
        return lookup[self.codes] if self.values else self.codes

    def counts(self) -> dict[Any, int]:
        """How often each value occurs (values that do not occur are left out)."""
        n = np.bincount(self.codes, minlength=len(self.values))
        return {v: int(k) for v, k in zip(self.values, n.tolist(), strict=True) if k}

    def cross(self, other: Categorical) -> dict[tuple[Any, Any], int]:
        """How often each pair of values (this column, other column) occurs on the same row."""
        width = len(other.values)
        n = np.bincount(self.codes * width + other.codes, minlength=len(self.values) * width).tolist()
        return {
            (a, b): n[i * width + j]
            for i, a in enumerate(self.values)
            for j, b in enumerate(other.values)
            if n[i * width + j]
        }


def day_numbers(dates: Iterable[date | None], count: int = -1) -> np.ndarray:
    """Proleptic day numbers (`date.toordinal`) of dates, `NO_DATE` for None."""
    cat = Categorical.of(dates, count)  # few distinct dates: convert each once
    lookup = np.array([NO_DATE if d is None else d.toordinal() for d in cat.values], dtype=np.int64)
    return lookup[cat.codes] if len(cat.values) else np.zeros(0, dtype=np.int64)


DATE_FIELDS: tuple[str, ...] = ("admissibility_decided", "file_complete", "hearing", "deliberation", "decided", "letter")
_CATEGORY_FIELDS: tuple[str, ...] = (
    "status",
    "form",
    "nationality",
    "gender",
    "age_band",
    "age_group",
    "route",
    "rubric_id",
    "rubric_version",
    "profile",
    "rubric_outcome",
    "panel_outcome",
    "override_category",
    "filing_party",
    "residence_status",
    "exception_ground",
    "hearing_interpreter",
    "inadmissible_grounds",  # one value a case: the tuple of its grounds
)


def _renumber(keep: np.ndarray) -> np.ndarray:
    """For a boolean mask over rows: the new position of each kept row (others get a meaningless number)."""
    return np.cumsum(keep, dtype=np.int64) - 1


@dataclass(frozen=True)
class Entries:
    """One mapping per row as flat columns: the row each entry belongs to (a discipline input, for indicator
    ratings or dimension views; a case, for the panel's findings), its key (indicator, dimension or element
    id) and its value (status, view, or the pair of the instrument's status and the panel's finding)."""

    input: np.ndarray
    key: Categorical
    value: Categorical

    @classmethod
    def of(cls, dicts: Sequence[dict[str, Any]]) -> Entries:
        """The entries of one dict per input, in input order."""
        lens = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
        total = int(lens.sum())
        return cls(
            input=np.repeat(np.arange(len(dicts), dtype=np.int64), lens),
            key=Categorical.of(itertools.chain.from_iterable(dicts), total),
            value=Categorical.of(itertools.chain.from_iterable(map(operator.methodcaller("values"), dicts)), total),
        )

    def __len__(self) -> int:
        return len(self.input)

    def take(self, keep_inputs: np.ndarray) -> Entries:
        """The entries of the inputs kept by a boolean mask over inputs, renumbered to the kept inputs."""
        if keep_inputs.dtype == bool and keep_inputs.all():  # every input kept: the same entries (millions of them are not copied)
            return self
        keep = keep_inputs[self.input]
        return Entries(_renumber(keep_inputs)[self.input[keep]], self.key.take(keep), self.value.take(keep))


@dataclass(frozen=True)
class Inputs:
    """Every discipline input of a set of cases as flat columns: the case (row) each input belongs to, its
    discipline and overall view (None when not given), and its indicator ratings and dimension views as
    `Entries`. No Python object per input or rating: the figures and re-scoring read these arrays."""

    case: np.ndarray
    discipline: Categorical
    overall: Categorical
    indicators: Entries
    dimensions: Entries

    @classmethod
    def of(cls, cases: Sequence[CaseFacts]) -> Inputs:
        # Fields read from each model's __dict__: far cheaper than attribute access on 100,000s of models.
        per_case = list(map(operator.itemgetter("disciplines"), map(vars, cases)))
        lens = np.fromiter(map(len, per_case), dtype=np.int64, count=len(per_case))
        fields = list(map(vars, itertools.chain.from_iterable(per_case)))
        n = len(fields)
        return cls(
            case=np.repeat(np.arange(len(per_case), dtype=np.int64), lens),
            discipline=Categorical.of(map(operator.itemgetter("discipline"), fields), n),
            overall=Categorical.of(map(operator.itemgetter("overall"), fields), n),
            indicators=Entries.of(list(map(operator.itemgetter("indicators"), fields))),
            dimensions=Entries.of(list(map(operator.itemgetter("dimensions"), fields))),
        )

    def __len__(self) -> int:
        return len(self.case)

    def take(self, rows: np.ndarray) -> Inputs:
        """The inputs of the cases kept by a boolean mask over cases, renumbered to the kept cases."""
        if rows.dtype == bool and rows.all():  # every case kept: the same inputs (not copied)
            return self
        keep = rows[self.case]
        return Inputs(
            case=_renumber(rows)[self.case[keep]],
            discipline=self.discipline.take(keep),
            overall=self.overall.take(keep),
            indicators=self.indicators.take(keep),
            dimensions=self.dimensions.take(keep),
        )


@dataclass(frozen=True)
class CaseColumns:
    """The facts of a list of cases as parallel columns: dates as day numbers (`dates[field]`, `NO_DATE`
    when unknown), categories as `Categorical`s, follow-up per kind with missing counted as `unknown`,
    and the discipline inputs as flat `Inputs`. Built from `CaseFacts` (`of`) or straight from the store
    (`assessment.services.evaluation._columns`); every figure and the re-scoring read only these."""

    keys: list[str]
    received: np.ndarray
    dates: dict[str, np.ndarray]
    categories: dict[str, Categorical]
    rubric: Categorical  # (rubric id, version), or None when either is missing
    override_reason: np.ndarray
    follow_up: dict[str, Categorical]
    inputs: Inputs
    age: np.ndarray  # years at application, -1 when not known
    advice_use: dict[str, Categorical]  # per recipient (ADVICE_USERS), "not_recorded" when nothing was reported
    # The panel's findings as entries per case: key = part, value = (instrument's status, panel's finding).
    findings: Entries

    @classmethod
    def of(cls, cases: Sequence[CaseFacts]) -> CaseColumns:
        """Flatten the cases, one pass per field at C speed."""
        cases = list(cases)
        n = len(cases)
        # A pydantic model keeps its fields in __dict__; a dict lookup is much cheaper than the attribute.
        fields = list(map(vars, cases))

        def field(name: str) -> list[Any]:
            # A list first: coding a list is several times faster than coding the lookups on the fly.
            return list(map(operator.itemgetter(name), fields))

        records = field("follow_up")
        uses = field("advice_use")
        rubric = [(i, v) if i and v else None for i, v in zip(field("rubric_id"), field("rubric_version"), strict=True)]
        return cls(
            keys=field("key"),
            received=day_numbers(field("received"), n),
            dates={name: day_numbers(field(name), n) for name in DATE_FIELDS},
            categories={name: Categorical.of(field(name), n) for name in _CATEGORY_FIELDS},
            rubric=Categorical.of(rubric, n),
            override_reason=np.fromiter(field("override_reason"), dtype=bool, count=n),
            follow_up={
                kind: Categorical.of(map(operator.methodcaller("get", kind, "unknown"), records), n)
                for kind in FOLLOW_UP_KINDS
            },
            inputs=Inputs.of(cases),
            age=np.fromiter((-1 if a is None else a for a in field("age")), dtype=np.int64, count=n),
            advice_use={
                by: Categorical.of(map(operator.methodcaller("get", by, "not_recorded"), uses), n)
                for by in ADVICE_USERS
            },
            findings=Entries.of(field("findings")),
        )

    def __len__(self) -> int:
        return len(self.keys)

    def col(self, name: str) -> Categorical:
        """A category column by its field name (`status`, `form`, `nationality`, ...)."""
        return self.categories[name]

    def take(self, rows: np.ndarray) -> CaseColumns:
        """The cases selected by a boolean mask."""
        return self.at(rows, list(itertools.compress(self.keys, rows.tolist())), self.inputs.take(rows),
                       self.findings.take(rows))

    def ordered(self, order: np.ndarray) -> CaseColumns:
        """The same cases in the order `order` gives (a permutation of the rows); their inputs and findings
        stay where they are, renumbered to their cases' new rows."""
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order), dtype=np.int64)
        inputs, findings = self.inputs, self.findings
        return self.at(order, [self.keys[i] for i in order.tolist()],
                       Inputs(position[inputs.case], inputs.discipline, inputs.overall, inputs.indicators,
                              inputs.dimensions),
                       Entries(position[findings.input], findings.key, findings.value))

    def at(self, rows: np.ndarray | slice, keys: list[str], inputs: Inputs, findings: Entries) -> CaseColumns:
        """Every per-case column at `rows` (a mask, positions or a slice), with the keys, inputs and findings
        of those cases (made by the caller: they depend on how the rows were chosen). The one list of the
        per-case columns for `take`, `ordered` and `evaluation.blocks.split`."""
        return CaseColumns(
            keys=keys,
            received=self.received[rows],
            dates={k: v[rows] for k, v in self.dates.items()},
            categories={k: v.take(rows) for k, v in self.categories.items()},
            rubric=self.rubric.take(rows),
            override_reason=self.override_reason[rows],
            follow_up={k: v.take(rows) for k, v in self.follow_up.items()},
            inputs=inputs,
            age=self.age[rows],
            advice_use={k: v.take(rows) for k, v in self.advice_use.items()},
            findings=findings,
        )

    def day(self, name: str) -> np.ndarray:
        """Day numbers of `received` or one of `DATE_FIELDS`."""
        return self.received if name == "received" else self.dates[name]

    def decided_mask(self) -> np.ndarray:
        """Cases the panel has given its advice on (a panel outcome is recorded)."""
        return ~self.categories["panel_outcome"].isin({None})


def as_columns(cases: Sequence[CaseFacts] | CaseColumns) -> CaseColumns:
    """The columns of a list of cases; columns are passed through."""
    return cases if isinstance(cases, CaseColumns) else CaseColumns.of(cases)
