"""A letter marks an indicator's strength "voorlopig" / "provisional" only where the rubric file marks it so.

The expectation is read from the rubric file itself (plain YAML, not through the rubric model the code uses):
on a provisional list (adults, sexual exploitation) the act and form indicators are not provisional, the
ILO indicators copied from the labour list are (issue 13: the provisional lists must not be presented as
authoritative, nor the confirmed entries as provisional)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from assessment import services
from assessment.config import Settings
from assessment.rubric import DEFAULT_RUBRIC
from assessment.services.letter_context import build_letter_context
from assessment.store import Store, open_store


@functools.cache
def raw() -> Any:
    """The rubric file as read by another YAML reader than the product's (read when a test asks, not at collection)."""
    return YAML(typ="safe", pure=True).load(Path(DEFAULT_RUBRIC).read_text("utf-8"))


def _marked(profile_id: str) -> dict[str, bool]:
    """indicator id -> whether the file marks it provisional (on the indicator or its entry in the profile)."""
    profile = next(p for p in raw()["profiles"] if p["id"] == profile_id)
    on_indicator = {i["id"]: bool(i.get("provisional", False)) for i in raw()["indicators"]}
    return {iid: on_indicator[iid] or bool((entry or {}).get("provisional", False))
            for iid, entry in profile["indicators"].items()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(Settings(db_path=tmp_path_factory.mktemp("prov") / "d.sqlite3", demo=True))
    services.load_demo(store, services.shipped_rubric())
    return store


def test_the_file_has_both_kinds_on_the_provisional_list() -> None:
    marked = _marked("adult_sexual")
    assert next(p for p in raw()["profiles"] if p["id"] == "adult_sexual")["provisional"] is True
    assert marked["act.recruited"] is False and marked["exploitation_form.sexual"] is False
    assert marked["deceptive_recruitment.nature_of_job"] is True


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_letter_on_a_provisional_list_marks_only_what_the_file_marks(demo: Store, lang: str) -> None:
    chair, secretary = services.user_by_name(demo, "chair"), services.user_by_name(demo, "secretary")
    checked = 0
    for row in services.list_cases(demo, chair):
        case = services.get_case(demo, chair, row.ref)
        if case.status != "decided" or (case.intake.age_group, case.intake.form) != ("adult", "sexual"):
            continue
        ctx = build_letter_context(demo, secretary, row.ref, lang, letter_date=dt.date(2026, 7, 1))  # type: ignore[arg-type]
        assert ctx.rubric.provisional  # the list as a whole is provisional: the notice stays
        names = {i["id"]: i["name"] for i in raw()["indicators"]}
        expected = {names[iid][lang]: p for iid, p in _marked("adult_sexual").items()}
        uses = [i for d in ctx.dimensions for i in d.relied_on] + [r for el in ctx.annex for r in el.rows]
        assert uses
        assert {u.name: u.provisional for u in uses} == {u.name: expected[u.name] for u in uses}
        assert {True, False} <= {u.provisional for u in uses}  # an act indicator and an ILO one are cited
        checked += 1
    assert checked
