"""The evaluation team's internal workspace: exact counts on pseudonymous facts, every view in the audit log.

Two products come from one set of facts (issue #16). The public ones (the pilot report, the research export,
`evaluation.pilot_figures`) are protected by the deployment's disclosure rule. The workspace shows the same
figures exactly, on screen, to the evaluation team only (`workspace.view`); whatever leaves it as a file is
the protected table again, so no download carries a cell below the threshold. Every view, of the figures, of
the cases' pseudonymous facts or of a download, writes one audit event saying who, which view and which
filter (`workspace.view`, `workspace.download`). A page reruns on every click; a rerun showing the same view
(same table, same filter, same cases) is not a new view, so a page hands in the set of views its session has
logged (`seen`) and each distinct view is logged once per session, not once per rerun.

Evaluators never receive a case reference, an exact date or a birth year (the confidentiality decision of
issue #14): the cases' facts reach them as the research export's row (a keyed pseudonym, months, age bands),
unsuppressed here because they stay in the workspace. The exact facts are read only inside the services.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ..access import require
from ..errors import NotFoundError
from ..evaluation.disclosure import DisclosureRule
from ..evaluation.export import Value, case_rows, pseudonym
from ..evaluation.metrics import PilotMetrics, compute_all, in_period, rubric_labels
from ..i18n import N_
from ..model import User
from ..rubric import Lang
from ..store import Store
from .disclosure import disclosure_setting, pseudonym_key
from .evaluation import _columns, pilot_figures, table_csv
from .rubrics import active_rubric

ACTION = "workspace.view"
VIEW_EVENT = "workspace.view"
DOWNLOAD_EVENT = "workspace.download"
# No suppression: counts from 1 shown as they are, a percentage on any denominator. Its text under each table
# (DisclosureRule.text) says the counts are exact and not for publication.
EXACT = DisclosureRule(threshold=0, min_denominator=1)


@dataclass(frozen=True)
class WorkspaceFigures:
    """The exact figures of a period, with the number of cases left out for inconsistent facts (a count:
    which ones would name cases)."""

    metrics: PilotMetrics
    skipped: int


def _filter(start: dt.date | None, end: dt.date | None) -> dict[str, str | None]:
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


def _log(store: Store, user: User, event: str, view: str, filter_: dict[str, Any], *,
         seen: set[str] | None = None, **extra: Any) -> None:
    """One audit event for a view; with `seen` (the views this session logged) only when it is a new one."""
    if seen is not None:
        key = json.dumps([user.username, event, view, filter_, extra], sort_keys=True, default=str)
        if key in seen:
            return
        seen.add(key)
    with store.write() as tx:
        tx.append_audit(actor=user.username, action=event, entity="workspace",
                        after={"view": view, "filter": filter_, **extra})


def workspace_figures(
    store: Store, user: User, *, start: dt.date | None = None, end: dt.date | None = None,
    seen: set[str] | None = None,
) -> WorkspaceFigures:
    """Every figure of the pilot for cases received in [start, end], exact (no cell suppressed), for the
    evaluation team's screen only; the view is recorded in the audit log with its filter (with `seen`, once
    per distinct view of a session: see the module docstring)."""
    require(user, ACTION)
    cols, skipped = _columns(store)
    metrics = compute_all(cols, EXACT, start=start, end=end, labels=rubric_labels(active_rubric(store)),
                          deadlines=store.settings.deadlines)
    _log(store, user, VIEW_EVENT, "figures", _filter(start, end), seen=seen,
         cases=len(in_period(cols, start, end)))
    return WorkspaceFigures(metrics, len(skipped))


def workspace_table_csv(
    store: Store, user: User, table_id: str, lang: Lang, *, start: dt.date | None = None,
    end: dt.date | None = None,
) -> bytes:
    """A workspace table as a file: the same table under the deployment's disclosure rule (never a cell
    below the threshold), as CSV; the download is recorded in the audit log with its filter."""
    require(user, ACTION)
    metrics, _ = pilot_figures(store, user, start=start, end=end)
    try:
        table = metrics.table(table_id)
    except KeyError:
        raise NotFoundError(N_("There is no table {table} in the evaluation."), table=table_id) from None
    data = table_csv(table, lang, store.settings.training)
    _log(store, user, DOWNLOAD_EVENT, table_id, _filter(start, end), lang=lang)
    return data


def analysable_cases(store: Store, user: User) -> list[dict[str, Value]]:
    """Every real case's analysable facts as the evaluators may see them: one row per case with the research
    export's fields (a keyed pseudonym, the month of application and the months to each stage, an age band,
    categories and outcomes; no reference, exact date, birth year, name or free text), sorted by pseudonym.
    Unsuppressed: for the workspace only. Evaluators only; the view is recorded in the audit log."""
    require(user, "analysable.read")
    cols, _ = _columns(store)
    setting = disclosure_setting(store)
    key = pseudonym_key(store, setting)
    header, rows = case_rows(cols, "research", EXACT, [pseudonym(key, k) for k in cols.keys])
    _log(store, user, VIEW_EVENT, "cases", {}, cases=len(rows))
    return [dict(zip(header, row, strict=True)) for row in rows]
