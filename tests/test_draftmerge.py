"""Merging two windows' versions of one discipline input per indicator (assessment/draftmerge.py). The
expectations are worked by hand from the rule: what only one side changed is taken from that side; both
changed alike is no clash; both changed differently is a clash, the merge holding the saved value."""

from __future__ import annotations

import json
from collections.abc import Callable

from assessment import services
from assessment.draftmerge import Clash, merge_drafts
from assessment.model import DimensionView, InputDraft, ObservationInput, User
from assessment.rubric import Rubric
from assessment.store import Store
from tests.conftest import CaseBuilder


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


# --- saving while other windows save: the interleavings, played out on a real database ----------------------

def _windows(store: Store, member: User, ref: str, rubric: Rubric
             ) -> tuple[Callable[[InputDraft, int | None], int], Callable[[], tuple[InputDraft, int | None]]]:
    def save(draft: InputDraft, version: int | None) -> int:
        return services.save_input_draft(store, member, ref, draft, version, rubric=rubric)

    def stored() -> tuple[InputDraft, int | None]:
        own = [i for i in services.get_inputs(store, member, ref) if i.username == member.username]
        return own[0].draft, own[0].version

    return save, stored


def _reasons_saved(store: Store, ref: str, users: dict[str, User]) -> list[tuple[str, str]]:
    """(before, after) of every input.save of the case, in order: what each save was built on."""
    events = [e for e in services.case_audit(store, users["chair"], ref) if e["action"] == "input.save"]
    def reasons(value: object) -> str:
        data = json.loads(value) if isinstance(value, str) else value
        return str((data or {}).get("overall_reasons", ""))  # type: ignore[union-attr]

    return [(reasons(e["before"]), reasons(e["after"])) for e in events]


def test_a_third_windows_save_between_two_attempts_keeps_every_windows_change(
        store: Store, users: dict[str, User], make_case: CaseBuilder, mini_rubric: Rubric) -> None:
    """Window B edits the reasons from version 1. Window A has meanwhile rated an indicator (version 2), and
    window C saves the confidence right after B read A's version, so B's merged save is refused once more.
    Worked by hand: B's final save must hold A's rating, C's confidence and B's reasons. (Merging B's first
    typed draft again in the second attempt read A's rating, absent from it, as B removing it.)"""
    ref = make_case()
    police = users["police"]
    save, stored = _windows(store, police, ref, mini_rubric)
    base = InputDraft(overall_reasons="begin")
    v1 = save(base, None)
    save(base.model_copy(update={"observations": [obs("recruitment.s1", "present", "A")]}), v1)  # window A

    def stored_then_window_c_saves() -> tuple[InputDraft, int | None]:
        read = stored()
        save(read[0].model_copy(update={"confidence": "high"}), read[1])  # window C, just after B read
        return read

    fired: list[int] = []

    def stored_once_interleaved() -> tuple[InputDraft, int | None]:
        fired.append(1)
        return stored_then_window_c_saves() if len(fired) == 1 else stored()

    mine = base.model_copy(update={"overall_reasons": "B's reasons"})
    outcome = services.save_merging(save, stored_once_interleaved, base, mine, v1)
    assert outcome.saved and outcome.clash is None and len(fired) == 2
    final, _version = stored()
    assert final.observations == [obs("recruitment.s1", "present", "A")]
    assert (final.confidence, final.overall_reasons) == ("high", "B's reasons")
    assert outcome.draft == final


def test_a_clash_saves_nothing_and_every_save_is_built_on_what_that_window_had_merged(
        store: Store, users: dict[str, User], make_case: CaseBuilder, mini_rubric: Rubric) -> None:
    """Two windows change the reasons from the same version: the second is refused with the clash (both
    texts), and the audit trail shows no save built on a text the saving window never had."""
    ref = make_case()
    save, stored = _windows(store, users["police"], ref, mini_rubric)
    v1 = save(InputDraft(overall_reasons="begin"), None)
    save(InputDraft(overall_reasons="window A"), v1)
    outcome = services.save_merging(save, stored, InputDraft(overall_reasons="begin"),
                                    InputDraft(overall_reasons="window B"), v1)
    assert not outcome.saved and outcome.clash is not None
    assert outcome.clash.clashes == [Clash("overall.overall_reasons", "window B", "window A")]
    assert _reasons_saved(store, ref, users) == [("", "begin"), ("begin", "window A")]


def test_a_save_refused_every_time_reports_so_and_saves_nothing(
        store: Store, users: dict[str, User], make_case: CaseBuilder, mini_rubric: Rubric) -> None:
    ref = make_case()
    save, stored = _windows(store, users["police"], ref, mini_rubric)
    v1 = save(InputDraft(overall_reasons="begin"), None)

    def always_someone_first() -> tuple[InputDraft, int | None]:
        read = stored()
        save(read[0].model_copy(update={"inconsistency_notes": (read[0].inconsistency_notes or "") + "x"}), read[1])
        return read

    save(InputDraft(overall_reasons="begin", inconsistency_notes="x"), v1)  # the other window, first
    outcome = services.save_merging(save, always_someone_first, InputDraft(overall_reasons="begin"),
                                    InputDraft(overall_reasons="mine"), v1, attempts=3)
    assert not outcome.saved and outcome.clash is None
    assert stored()[0].overall_reasons == "begin"
