"""The use of the advice after issue (issue #16, item 3): recorded by the secretary per recipient, shown in
the case, read by the evaluators and counted in the figures."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, LifecycleError, ValidationError
from assessment.evaluation.disclosure import DEFAULT_RULE, DisclosureRule
from assessment.evaluation.facts import CaseFacts
from assessment.evaluation.metrics import advice_use, compute_all
from assessment.model import AdviceUse, Hearing
from assessment.services.evaluation import _columns, _exact_facts  # the exact facts, inside the services
from assessment.store import Store
from tests.conftest import POSITIVE
from tests.test_services import ELEMENT_REASONS, submit

OPEN = DisclosureRule(threshold=0, min_denominator=0)
D = dt.date


def decided_case(store: Store, users, make_case, mini_rubric) -> str:  # type: ignore[no-untyped-def]
    ref = make_case()
    for d in ("police", "care", "legal"):
        submit(store, users[d], ref, POSITIVE[d], mini_rubric)
    services.record_hearing(store, users["secretary"], ref, Hearing(
        held_on=D(2026, 4, 1), members=["police", "legal"], report_sent_on=D(2026, 4, 3),
        corrections_received_on=D(2026, 4, 10)))
    chair = users["chair"]
    v = services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=ELEMENT_REASONS | {"overall": "Alle."},
                             rubric=mini_rubric, expected_version=v)
    return ref


def test_the_secretary_records_the_use_after_the_letter(store: Store, users, make_case, mini_rubric) -> None:  # type: ignore[no-untyped-def]
    secretary = users["secretary"]
    ref = decided_case(store, users, make_case, mini_rubric)
    today = dt.datetime.now(dt.UTC).date()
    use = AdviceUse(by="ind", followed="followed", on=today)
    with pytest.raises(LifecycleError):  # nobody has the advice before the letter
        services.record_advice_use(store, secretary, ref, use)
    services.mark_letter_issued(store, secretary, ref)  # today: the decision was taken today
    for wrong in (today - dt.timedelta(days=1), today + dt.timedelta(days=1)):  # before the letter; the future
        with pytest.raises(ValidationError):
            services.record_advice_use(store, secretary, ref, AdviceUse(by="ind", followed="followed", on=wrong))
    with pytest.raises(AccessDeniedError):
        services.record_advice_use(store, users["police"], ref, use)
    services.record_advice_use(store, secretary, ref, use)
    services.record_advice_use(store, secretary, ref, AdviceUse(by="prosecution", followed="unknown"))
    services.record_advice_use(store, secretary, ref, AdviceUse(by="ind", followed="not_followed", on=today))
    case = services.get_case(store, users["chair"], ref)
    assert case.advice_uses == [AdviceUse(by="ind", followed="not_followed", on=today),
                                AdviceUse(by="prosecution", followed="unknown")]  # a correction replaces
    events = [e for e in services.case_audit(store, users["chair"], ref) if e["action"] == "advice_use.record"]
    assert len(events) == 3

    facts, _ = _exact_facts(store)
    cols, _ = _columns(store)
    expected = {("ind", "not_followed"): 1, ("prosecution", "unknown"): 1, ("municipality", "not_recorded"): 1,
                ("care", "not_recorded"): 1}
    for given in (facts, cols):
        table = advice_use(given, OPEN)
        got = {(r.id, c.id): cell.value for r in table.rows for c, cell in zip(table.columns, r.cells, strict=True)
               if c.id != "total" and cell.value}
        assert got == expected


# Four cases whose letter was issued and one without a letter (not counted), by hand:
#   IND: followed, followed, not followed, nothing reported; prosecution: unknown on one, else nothing.
ISSUED = dict(status="letter_issued", form="sexual", route="report_dismissal", panel_outcome="plausible",
              received=D(2026, 1, 5), decided=D(2026, 3, 1), letter=D(2026, 3, 5))
CASES = [
    CaseFacts(key="A", advice_use={"ind": "followed", "prosecution": "unknown"}, **ISSUED),  # type: ignore[arg-type]
    CaseFacts(key="B", advice_use={"ind": "followed"}, **ISSUED),  # type: ignore[arg-type]
    CaseFacts(key="C", advice_use={"ind": "not_followed"}, **ISSUED),  # type: ignore[arg-type]
    CaseFacts(key="D", **ISSUED),  # type: ignore[arg-type]
    CaseFacts(key="E", status="decided", form="sexual", route="exception", panel_outcome="plausible",
              received=D(2026, 1, 5), decided=D(2026, 3, 1), advice_use={"ind": "followed"}),
]


def test_the_figure_counts_each_recipient_over_the_issued_letters() -> None:
    table = advice_use(CASES, OPEN)
    rows = {r.id: [c.value for c in r.cells] for r in table.rows}
    columns = [c.id for c in table.columns]
    assert columns[:4] == ["followed", "not_followed", "unknown", "not_recorded"]
    assert rows["ind"][:5] == [2, 1, 0, 1, 4]
    assert rows["prosecution"][:5] == [0, 0, 1, 3, 4]
    assert rows["municipality"][:5] == [0, 0, 0, 4, 4]
    assert all(r.cells[0].hidden for r in advice_use(CASES, DEFAULT_RULE).rows if r.id == "ind")  # 2 < 10
    assert "advice_use" in {t.id for t in compute_all(CASES, OPEN, today=D(2026, 6, 1)).tables}
