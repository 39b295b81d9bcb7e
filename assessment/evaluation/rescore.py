"""What-if: re-score every decided case under another rubric, without changing any record, and show
which outcomes would change, how many, and in which direction."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..batch import STATUS_CODES, outcomes_batch
from ..errors import UnknownProfileError
from ..i18n import N_, Msg
from ..rubric import Profile, Rubric
from ..scoring import compile_profile
from .disclosure import DEFAULT_RULE, DisclosureRule, Table, count_table
from .facts import CaseColumns, CaseFacts, as_columns
from .labels import label


class CaseChange(NamedTuple):
    """One case whose rubric outcome would differ (a plain tuple: there are tens of thousands at volume)."""

    key: str
    before: str | None
    after: str
    panel: str | None


class RescoreResult(BaseModel):
    """The what-if under `rubric_id` `rubric_version`: transitions as a protected table, and the changes."""

    model_config = ConfigDict(frozen=True)

    rubric_id: str
    rubric_version: str
    rubric_hash: str
    rule: DisclosureRule
    scored: int
    changed: int
    skipped: int
    dropped_indicators: int
    agree_with_panel_before: int
    agree_with_panel_after: int
    transitions: Table
    changes: list[CaseChange]

    def text(self, lang: str) -> str:
        """A terminal summary: the figures, then the transitions table."""
        lines = [
            Msg(N_("Rubric: {rubric} {version}"), {"rubric": self.rubric_id, "version": self.rubric_version}).text(lang),
            Msg(N_("Re-scored: {scored}; outcome changes: {changed}; skipped (no profile or age): {skipped}"),
                {"scored": self.scored, "changed": self.changed, "skipped": self.skipped}).text(lang),
            Msg(N_("Agrees with panel, before/after: {before}/{after}"),
                {"before": self.agree_with_panel_before, "after": self.agree_with_panel_after}).text(lang),
            "",
            self.transitions.text(lang),
        ]
        return "\n".join(lines)


def rescore(
    cases: Sequence[CaseFacts] | CaseColumns,
    rubric: Rubric,
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[int, int], None] | None = None,
) -> RescoreResult:
    """Score every decided case's discipline ratings under `rubric` (the profile for the case's age group
    and form), compare with the rubric outcome on record. Ratings of indicators the new profile lacks are
    left out (and counted); cases without a known age or a matching profile are skipped (and counted).
    Nothing is written anywhere.

    Runs on the batch engine (`assessment.batch`, exact against `scoring.score`): the cases of one profile
    are scored together from a cases x disciplines x indicators status cube built from the columns."""
    cols = as_columns(cases)
    is_decided = cols.decided_mask()
    decided = cols if is_decided.all() else cols.take(is_decided)
    n = len(decided)
    inputs = decided.inputs
    ratings = inputs.indicators
    case_of_rating = inputs.case[ratings.input]
    # A discipline's slot in the cube; a discipline that rated an indicator twice counts once, as in scoring.
    disciplines = inputs.discipline.compact()
    slot_of_rating = disciplines.codes[ratings.input] if len(inputs) else np.zeros(0, dtype=np.int64)
    # The cube code of each rating, and its indicator. The lists may name values no rating here has (e.g. a
    # status not valid, whose cases were left out): those are never looked up, so any code does for them.
    to_batch = np.array([STATUS_CODES.get(v, 0) for v in ratings.value.values] or [0], dtype=np.int8)
    rated_code = to_batch[ratings.value.codes]
    indicator_ids = ratings.key

    # The profile of each case, found once per (age group, form) present.
    pair = decided.col("age_group").cross(decided.col("form"))
    profile_of_pair: dict[tuple[str | None, str], Profile | None] = {}
    for group, form in pair:
        try:
            profile_of_pair[(group, form)] = None if group is None else rubric.profile_for(group, form)
        except UnknownProfileError:
            profile_of_pair[(group, form)] = None
    group_col, form_col = decided.col("age_group"), decided.col("form")
    # Profile numbers start at 1; 0 is no profile (the case is skipped).
    profile_ids = list(dict.fromkeys(p.id for p in profile_of_pair.values() if p is not None))
    lookup = np.array(
        [[profile_ids.index(p.id) + 1 if (p := profile_of_pair.get((g, f))) is not None else 0
          for f in form_col.values] for g in group_col.values] or [[0]],
        dtype=np.int64,
    )  # fmt: skip
    profile_of_case = lookup[group_col.codes, form_col.codes] if n else np.zeros(0, dtype=np.int64)
    skipped = int(np.count_nonzero(profile_of_case == 0))

    after = np.full(n, -1, dtype=np.int64)  # index into `after_ids`, -1 for skipped
    after_ids: list[str] = []
    dropped = done = 0
    # Each case's row in its profile's cube: its rank among the cases of that profile.
    order = np.argsort(profile_of_case, kind="stable")
    first_of_profile = np.searchsorted(profile_of_case[order], np.arange(len(profile_ids) + 1))
    row_in_cube = np.empty(n, dtype=np.int64)
    row_in_cube[order] = np.arange(n, dtype=np.int64) - first_of_profile[profile_of_case[order]]
    # The profile of each rating's case, two bytes each: a profile's ratings are found by one comparison.
    profile_of_rating = profile_of_case.astype(np.int16)[case_of_rating] if len(case_of_rating) \
        else np.zeros(0, dtype=np.int16)
    for k, profile_id in enumerate(profile_ids, 1):
        rows = np.flatnonzero(profile_of_case == k)
        known = {iid: i for i, iid in enumerate(compile_profile(rubric, profile_id).inds)}
        position = np.array([known.get(v, -1) for v in indicator_ids.values] or [-1], dtype=np.int64)
        mine = np.flatnonzero(profile_of_rating == k)
        where = position[indicator_ids.codes[mine]]
        dropped += int(np.count_nonzero(where < 0))
        mine = mine[where >= 0]
        where = where[where >= 0]
        cube = np.zeros((len(rows), max(len(disciplines.values), 1), len(known)), dtype=np.int8)
        cube[row_in_cube[case_of_rating[mine]], slot_of_rating[mine], where] = rated_code[mine]
        outcome, outcome_ids = outcomes_batch(rubric, profile_id, cube)
        base = len(after_ids)
        after_ids += outcome_ids
        after[rows] = outcome + base
        done += len(rows)
        if progress:
            progress(done, n - skipped)

    # Counted on codes: (before, after) pairs, agreement with the panel, and the cases that change.
    scored = np.flatnonzero(after >= 0)
    before_col, panel_col = decided.col("rubric_outcome"), decided.col("panel_outcome")
    before_names = [v or "none" for v in before_col.values]
    pair_codes = before_col.codes[scored] * len(after_ids) + after[scored]
    counts = np.bincount(pair_codes, minlength=len(before_names) * len(after_ids)).tolist()
    transitions: Counter[tuple[str, str]] = Counter()
    for code, n_pairs in enumerate(counts):
        if n_pairs:
            transitions[(before_names[code // len(after_ids)], after_ids[code % len(after_ids)])] += n_pairs
    panel_is = {v: i for i, v in enumerate(panel_col.values)}
    same_as_panel = np.array([[panel_is.get(a, -1) == p for p in range(len(panel_col.values))]
                              for a in after_ids] or [[False]], dtype=bool)  # fmt: skip
    agree_after = int(np.count_nonzero(same_as_panel[after[scored], panel_col.codes[scored]])) if len(scored) else 0
    before_panel = np.array([[b == p for p in panel_col.values] for b in before_names] or [[False]], dtype=bool)
    agree_before = int(np.count_nonzero(before_panel[before_col.codes[scored], panel_col.codes[scored]])) \
        if len(scored) else 0
    after_of = np.array(after_ids or [""], dtype=object)[after[scored]] if len(scored) else np.zeros(0, dtype=object)
    on_record = np.array(before_col.values or [None], dtype=object)[before_col.codes[scored]] if len(scored) \
        else np.zeros(0, dtype=object)
    changed = scored[after_of != on_record]
    rows = changed.tolist()
    # tuple.__new__ makes each CaseChange in C (as CaseChange._make does, without a Python call per change).
    changes = list(map(functools.partial(tuple.__new__, CaseChange), zip(
        [decided.keys[r] for r in rows], before_col.take(changed).decoded(),
        [after_ids[a] for a in after[changed].tolist()], panel_col.take(changed).decoded(), strict=True)))  # fmt: skip
    outcomes_after = [o.id for o in rubric.outcomes] + ["undetermined"]
    before_ids = sorted({b for b, _ in transitions}, key=lambda o: (o == "none", o))
    table = count_table(
        "rescore",
        Msg(N_("Outcome now (rows) and under {rubric} {version} (columns)"),
            {"rubric": rubric.id, "version": rubric.version}),
        Msg(N_("Now")),
        [(b, label("outcome", b) if b != "none" else Msg(N_("None"))) for b in before_ids],
        [(o, rubric.outcome_text(o)) for o in outcomes_after],
        dict(transitions),
        rule,
    )  # fmt: skip
    # Built from values computed here; validating tens of thousands of changes again would cost seconds.
    return RescoreResult.model_construct(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_hash=rubric.content_hash,
        rule=rule,
        scored=sum(transitions.values()),
        changed=len(changes),
        skipped=skipped,
        dropped_indicators=dropped,
        agree_with_panel_before=agree_before,
        agree_with_panel_after=agree_after,
        transitions=table,
        changes=changes,
    )
