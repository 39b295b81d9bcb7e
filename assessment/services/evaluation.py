"""What evaluators receive: analysable facts per case, read on a connection that cannot read personal data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from ..access import require
from ..evaluation.disclosure import DEFAULT_RULE, DisclosureRule
from ..evaluation.export import ExportResult, Format, export
from ..evaluation.facts import CaseColumns, CaseFacts
from ..evaluation.source import columns_of, to_facts
from ..model import AnalysableCase, FollowUp, User
from ..store import Store
from ._common import loads


def analysable_cases(store: Store, user: User) -> list[AnalysableCase]:
    """Every real case as analysable facts: dates per stage, form, sector, nationality, gender, birth year,
    route, outcomes (rubric and panel), per-discipline indicator statuses and dimension views, follow-up.
    No names, no free text. Medical input whose consent was revoked is left out. Evaluators only."""
    require(user, "analysable.read")
    return _read_analysable(store)


def evaluation_facts(store: Store, user: User) -> tuple[list[CaseFacts], list[str]]:
    """Every real case as the evaluators' `CaseFacts` (evaluators only), and the references of cases left
    out because their stored facts are inconsistent (e.g. a decision dated before the application)."""
    return _to_facts(analysable_cases(store, user))


def evaluation_columns(store: Store, user: User) -> tuple[CaseColumns, list[str]]:
    """The same facts as `evaluation_facts`, read from the store straight into columns (evaluators only):
    what every figure and the re-scoring run on, without an object per case or rating."""
    require(user, "analysable.read")
    with store.analysable() as tx:
        tables = tx.analysable_columns()
    return columns_of(tables)


def full_export(
    store: Store,
    user: User,
    out: Path,
    fmt: Format,
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[str, int, int], None] | None = None,
) -> ExportResult:
    """The full export (case references and exact dates, still no names or free text): administrators
    only, and every one is recorded in the audit log before the file is written."""
    require(user, "export.full")
    facts, skipped = _to_facts(_read_analysable(store))
    with store.write() as tx:
        tx.append_audit(actor=user.username, action="export.full", entity="export",
                        after={"cases": len(facts), "skipped": len(skipped), "format": fmt, "target": str(out)})
    return export(facts, out, "full", fmt, rule, progress=progress, training=store.settings.training)


def research_export(
    store: Store,
    user: User,
    out: Path,
    fmt: Format,
    rule: DisclosureRule = DEFAULT_RULE,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[ExportResult, list[str]]:
    """The research export (pseudonymised, disclosure rule applied), evaluators only; with the references of
    cases left out for inconsistent facts. From a training store every file is marked TRAINING."""
    facts, skipped = evaluation_facts(store, user)
    result = export(facts, out, "research", fmt, rule, progress=progress, training=store.settings.training)
    return result, skipped


def _to_facts(cases: list[AnalysableCase]) -> tuple[list[CaseFacts], list[str]]:
    facts: list[CaseFacts] = []
    skipped: list[str] = []
    for c in cases:
        try:
            facts.append(to_facts(c))
        except PydanticValidationError:
            skipped.append(c.ref)
    return facts, skipped


def _read_analysable(store: Store) -> list[AnalysableCase]:
    """The analysable facts of every real case, on a connection that cannot read personal data."""
    with store.analysable() as tx:
        cases = tx.select("cases", space="real", order_by="received_on, id")
        ids = [c["id"] for c in cases]
        active_medical = {c["case_id"] for c in tx.select("consents", case_id=ids, scope="medical")
                          if c["revoked_on"] is None}
        inputs = [i for i in tx.select("inputs", case_id=ids) if i["submitted_at"]
                  and not (i["discipline"] == "medical" and i["case_id"] not in active_medical)]
        by_input = {i["id"]: i for i in inputs}
        statuses: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        views: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        for o in tx.select("observations", input_id=list(by_input)):
            i = by_input[o["input_id"]]
            statuses[i["case_id"]][i["discipline"]][o["indicator"]] = o["status"]
        for v in tx.select("dimension_views", input_id=list(by_input)):
            i = by_input[v["input_id"]]
            views[i["case_id"]][i["discipline"]][v["dimension"]] = v["view"]
        decisions = {d["case_id"]: d for d in tx.select("decisions", case_id=ids, order_by="id") if d["voided_at"] is None}
        dissent_counts: dict[int, int] = defaultdict(int)
        for x in tx.select("dissents", decision_id=[dec["id"] for dec in decisions.values()]):
            dissent_counts[x["decision_id"]] += 1
        followups: dict[int, list[FollowUp]] = defaultdict(list)
        for f in tx.select("followups", case_id=ids, order_by="kind"):
            followups[f["case_id"]].append(FollowUp(kind=f["kind"], result=f["result"], on=f["on_date"]))
    out = []
    for c in cases:
        d = decisions.get(c["id"])
        out.append(AnalysableCase(
            ref=c["ref"], status=c["status"], received_on=c["received_on"], route=c["route"],
            route_end=c["route_end"], route_end_on=c["route_end_on"], form=c["form"], sector=c["sector"],
            nationality=c["nationality"], gender=c["gender"], birth_year=c["birth_year"], age_group=c["age_group"],
            residence_status=c["residence_status"], filing_party=c["filing_party"], interpreter=bool(c["interpreter"]),
            admissibility=c["admissibility"], admissibility_on=c["admissibility_on"],
            file_complete_on=c["file_complete_on"], hearing_on=c["hearing_on"], deliberation_on=c["deliberation_on"],
            decided_on=c["decided_on"], withdrawn_on=c["withdrawn_on"], letter_issued_on=c["letter_issued_on"],
            panel_outcome=c["panel_outcome"], rubric_outcome=c["rubric_outcome"],
            rubric_id=d["rubric_id"] if d else None, rubric_version=d["rubric_version"] if d else None,
            rubric_dimensions=loads(d["rubric_dimensions"]) if d else {},
            departs_from_rubric=bool(d["departs"]) if d else None,
            dissent_count=dissent_counts.get(d["id"], 0) if d else 0,
            indicator_statuses={k: dict(v) for k, v in statuses[c["id"]].items()},
            dimension_views={k: dict(v) for k, v in views[c["id"]].items()},
            overall_views={i["discipline"]: i["overall_view"] for i in inputs
                           if i["case_id"] == c["id"] and i["overall_view"]},
            followups=followups[c["id"]],
        ))
    return out
