"""What-if: re-score every decided case under another rubric, without changing any record, and show
which outcomes would change, how many, and in which direction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from ..errors import UnknownProfileError
from ..observation import Observation
from ..rubric import Rubric
from ..scoring import compile_profile, consolidate, discipline_result
from .disclosure import DEFAULT_RULE, DisclosureRule, L, Table, count_table
from .facts import CaseFacts
from .labels import label


class CaseChange(BaseModel):
    """One case whose rubric outcome would differ."""

    model_config = ConfigDict(frozen=True)

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
        nl = lang == "nl"
        lines = [
            f"{'Rubriek' if nl else 'Rubric'}: {self.rubric_id} {self.rubric_version}",
            f"{'Opnieuw gescoord' if nl else 'Re-scored'}: {self.scored}; "
            f"{'andere uitkomst' if nl else 'outcome changes'}: {self.changed}; "
            f"{'overgeslagen (geen profiel/leeftijd)' if nl else 'skipped (no profile or age)'}: {self.skipped}",
            f"{'Eens met panel, voor/na' if nl else 'Agrees with panel, before/after'}: "
            f"{self.agree_with_panel_before}/{self.agree_with_panel_after}",
            "",
            self.transitions.text("nl" if nl else "en"),
        ]
        return "\n".join(lines)


def outcome_of(rubric: Rubric, profile_id: str, observations: Sequence[Observation]) -> str:
    """The rubric outcome of a case's observations: the engine's own consolidation and its cheap path
    for outcome and dimensions only (the same outcome as `scoring.score`, without the explanation)."""
    cp = compile_profile(rubric, profile_id)
    statuses, _, _ = consolidate(cp, observations)
    return discipline_result(cp, statuses).outcome


def rescore(
    cases: Sequence[CaseFacts],
    rubric: Rubric,
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[int, int], None] | None = None,
) -> RescoreResult:
    """Score every decided case's discipline ratings under `rubric` (the profile for the case's age group
    and form), compare with the rubric outcome on record. Ratings of indicators the new profile lacks are
    left out (and counted); cases without a known age or a matching profile are skipped (and counted).
    Nothing is written anywhere."""
    decided = [c for c in cases if c.panel_outcome is not None]
    transitions: Counter[tuple[str, str]] = Counter()
    changes: list[CaseChange] = []
    skipped = dropped = agree_before = agree_after = 0
    profile_cache: dict[tuple[str, str], tuple[str, frozenset[str]] | None] = {}
    missing = ("", frozenset[str]())  # a sentinel: not looked up yet
    # Observations are immutable and few distinct ones exist (discipline x indicator x status): share them.
    obs_cache: dict[tuple[str, str, str], Observation] = {}
    step = max(len(decided) // 20, 1)
    for i, c in enumerate(decided, 1):
        if progress and i % step == 0:
            progress(i, len(decided))
        group = c.age_group
        if group is None:
            skipped += 1
            continue
        found = profile_cache.get((group, c.form), missing)
        if found is missing:
            try:
                p = rubric.profile_for(group, c.form)
                found = (p.id, frozenset(p.indicators))
            except UnknownProfileError:
                found = None
            profile_cache[(group, c.form)] = found
        if found is None:
            skipped += 1
            continue
        profile_id, known = found
        observations = []
        for d in c.disciplines:
            for iid, st in d.indicators.items():
                if iid in known:
                    key = (d.discipline, iid, st)
                    obs = obs_cache.get(key)
                    if obs is None:
                        obs = obs_cache[key] = Observation(discipline=d.discipline, indicator=iid, status=st)
                    observations.append(obs)
                else:
                    dropped += 1
        after = outcome_of(rubric, profile_id, observations)
        before = c.rubric_outcome or "none"
        transitions[(before, after)] += 1
        agree_before += before == c.panel_outcome
        agree_after += after == c.panel_outcome
        if after != c.rubric_outcome:
            changes.append(CaseChange(key=c.key, before=c.rubric_outcome, after=after, panel=c.panel_outcome))
    outcomes_after = [o.id for o in rubric.outcomes] + ["undetermined"]
    before_ids = sorted({b for b, _ in transitions}, key=lambda o: (o == "none", o))
    table = count_table(
        "rescore",
        L(nl=f"Uitkomst nu (rijen) en onder {rubric.id} {rubric.version} (kolommen)",
          en=f"Outcome now (rows) and under {rubric.id} {rubric.version} (columns)"),
        L(nl="Nu", en="Now"),
        [(b, label("outcome", b) if b != "none" else L(nl="Geen", en="None")) for b in before_ids],
        [(o, L(nl=rubric.outcome_label(o, "nl"), en=rubric.outcome_label(o, "en"))) for o in outcomes_after],
        dict(transitions),
        rule,
    )  # fmt: skip
    return RescoreResult(
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
