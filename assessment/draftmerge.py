"""Merging two versions of one discipline input, per indicator (issue #15).

Two windows of the same member (or a reload after a lost connection) may save the same input. When a save
is refused because the other saved first, the two versions are merged against the version both started
from: whatever only one side changed is taken from that side, so no indicator, rating or note of either
version is dropped. Only when both changed the same item differently is it a clash, which the member
decides; the merge keeps both values until then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import ConflictError
from .model import DimensionView, InputDraft, ObservationInput

T = TypeVar("T")

# The draft's single values, merged each on its own (an item: "overall.<name>").
SCALARS = ("overall_view", "confidence", "overall_reasons", "inconsistency_notes")


@dataclass(frozen=True)
class Clash:
    """One item both versions changed differently: an indicator id, "view:<dimension>" or "overall.<name>"."""

    item: str
    mine: object  # ObservationInput | DimensionView | a scalar | None (removed)
    theirs: object


@dataclass(frozen=True)
class DraftMerge:
    """The merged draft (clashes resolved to `theirs` until the member chooses) and the clashes."""

    merged: InputDraft
    clashes: list[Clash] = field(default_factory=list)

    def resolved(self, choices: dict[str, str]) -> InputDraft:
        """The merged draft with each clash taken from "mine" or "theirs" as chosen (default theirs)."""
        mine = {c.item: c.mine for c in self.clashes if choices.get(c.item) == "mine"}
        if not mine:
            return self.merged
        obs = {o.indicator: o for o in self.merged.observations}
        views = {v.dimension: v for v in self.merged.dimension_views}
        scalars: dict[str, object] = {}
        for item, value in mine.items():
            if item.startswith("overall."):
                scalars[item.removeprefix("overall.")] = value
            elif item.startswith("view:"):
                _put(views, item.removeprefix("view:"), value)
            else:
                _put(obs, item, value)
        return self.merged.model_copy(update={"observations": list(obs.values()),
                                              "dimension_views": list(views.values()), **scalars})


def _put(d: dict[str, T], key: str, value: object) -> None:
    if value is None:
        d.pop(key, None)
    else:
        d[key] = value  # type: ignore[assignment]


def _three_way(base: object, mine: object, theirs: object) -> tuple[object, bool]:
    """(value, clash): one side's change wins; both changed alike is no clash; differently is one."""
    if mine in (theirs, base):
        return theirs, False
    if theirs == base:
        return mine, False
    return theirs, True


def merge_drafts(base: InputDraft, mine: InputDraft, theirs: InputDraft) -> DraftMerge:
    """Merge `mine` and `theirs`, both edited from `base`, per indicator, per dimension view and per value."""
    clashes: list[Clash] = []

    def keyed(items: list[ObservationInput] | list[DimensionView], key: str) -> dict[str, object]:
        return {getattr(i, key): i for i in items}

    merged_lists: dict[str, list[object]] = {}
    for attr, key, prefix in (("observations", "indicator", ""), ("dimension_views", "dimension", "view:")):
        b, m, t = (keyed(getattr(d, attr), key) for d in (base, mine, theirs))
        order = list(dict.fromkeys([*t, *m]))  # their order, then what only I added
        out: list[object] = []
        for k in order:
            value, clash = _three_way(b.get(k), m.get(k), t.get(k))
            if clash:
                clashes.append(Clash(prefix + k, m.get(k), t.get(k)))
            if value is not None:
                out.append(value)
        merged_lists[attr] = out
    scalars: dict[str, object] = {}
    for name in SCALARS:
        value, clash = _three_way(getattr(base, name), getattr(mine, name), getattr(theirs, name))
        if clash:
            clashes.append(Clash("overall." + name, getattr(mine, name), getattr(theirs, name)))
        scalars[name] = value
    merged = InputDraft.model_validate({**merged_lists, **scalars})
    return DraftMerge(merged=merged, clashes=clashes)


@dataclass(frozen=True)
class MergedSave:
    """The outcome of `save_merging`: saved (`version` set, `draft` what was stored), a clash to decide
    (`clash` set, nothing stored), or still refused after every attempt (neither set)."""

    draft: InputDraft
    version: int | None = None
    clash: DraftMerge | None = None
    theirs: InputDraft | None = None  # the stored version the clash was found against
    theirs_version: int | None = None

    @property
    def saved(self) -> bool:
        return self.version is not None


def save_merging(save: Callable[[InputDraft, int | None], int], stored: Callable[[], tuple[InputDraft, int | None]],
                 base: InputDraft, mine: InputDraft, version: int | None, *, attempts: int = 3) -> MergedSave:
    """Save `mine`, edited from `base` (stored as `version`). When another window saved first, merge per
    item against `base` and save the merge on the stored version; a further save in between merges again.

    Each new attempt merges what this window would now store (the previous merge) against what it was
    built on (the stored version just read), never the first typed draft again: merging that against the
    newer base would read the other window's changes, absent from it, as this window undoing them."""
    draft = mine
    for _attempt in range(attempts):
        try:
            return MergedSave(draft=draft, version=save(draft, version))
        except ConflictError:
            theirs, version = stored()
            merge = merge_drafts(base, draft, theirs)
            if merge.clashes:
                return MergedSave(draft=draft, clash=merge, theirs=theirs, theirs_version=version)
            base, draft = theirs, merge.merged
    return MergedSave(draft=draft)
