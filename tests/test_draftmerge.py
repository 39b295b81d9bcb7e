"""Merging two windows' versions of one discipline input per indicator (assessment/draftmerge.py). The
expectations are worked by hand from the rule: what only one side changed is taken from that side; both
changed alike is no clash; both changed differently is a clash, the merge holding the saved value."""

from __future__ import annotations

from assessment.draftmerge import Clash, merge_drafts
from assessment.model import DimensionView, InputDraft, ObservationInput


def obs(iid: str, status: str, note: str = "") -> ObservationInput:
    return ObservationInput(indicator=iid, status=status, note=note)  # type: ignore[arg-type]


def test_the_issues_case_keeps_both_windows_indicators() -> None:
    """Window 1 rates A with a note and saves; window 2, opened before, rates B: both are kept."""
    base = InputDraft()
    theirs = InputDraft(observations=[obs("a", "present", "Paspoort ingenomen")])
    mine = InputDraft(observations=[obs("b", "absent")])
    merge = merge_drafts(base, mine, theirs)
    assert merge.clashes == []
    assert merge.merged.observations == [obs("a", "present", "Paspoort ingenomen"), obs("b", "absent")]


def test_a_removal_on_one_side_is_a_change_and_is_kept() -> None:
    base = InputDraft(observations=[obs("a", "present"), obs("b", "absent")])
    mine = InputDraft(observations=[obs("a", "present"), obs("b", "absent"), obs("c", "unknown")])
    theirs = InputDraft(observations=[obs("b", "absent")])
    assert merge_drafts(base, mine, theirs).merged.observations == [obs("b", "absent"), obs("c", "unknown")]


def test_the_same_indicator_changed_differently_is_a_clash_resolved_by_choice() -> None:
    base = InputDraft(observations=[obs("a", "unknown")], overall_view="undetermined")
    mine = InputDraft(observations=[obs("a", "present", "mijn"), obs("b", "absent")], overall_view="positive",
                      dimension_views=[DimensionView(dimension="d1", view="positive")])
    theirs = InputDraft(observations=[obs("a", "absent", "hun"), obs("c", "present")], overall_view="positive",
                        confidence="high")
    merge = merge_drafts(base, mine, theirs)
    assert merge.clashes == [Clash("a", obs("a", "present", "mijn"), obs("a", "absent", "hun"))]
    # until chosen the merge holds the saved value; every other item of both sides is kept
    assert merge.merged.observations == [obs("a", "absent", "hun"), obs("c", "present"), obs("b", "absent")]
    assert (merge.merged.overall_view, merge.merged.confidence) == ("positive", "high")
    assert merge.merged.dimension_views == [DimensionView(dimension="d1", view="positive")]
    chosen = merge.resolved({"a": "mine"})
    assert chosen.observations == [obs("a", "present", "mijn"), obs("c", "present"), obs("b", "absent")]
    assert merge.resolved({"a": "theirs"}) == merge.merged


def test_single_values_clash_only_when_both_changed_them_differently() -> None:
    base = InputDraft(overall_reasons="begin")
    merge = merge_drafts(base, InputDraft(overall_reasons="mijn tekst"), InputDraft(overall_reasons="hun tekst"))
    assert merge.clashes == [Clash("overall.overall_reasons", "mijn tekst", "hun tekst")]
    assert merge.resolved({"overall.overall_reasons": "mine"}).overall_reasons == "mijn tekst"
