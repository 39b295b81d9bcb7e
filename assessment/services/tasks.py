"""What is waiting, and for whom: the next steps of every case a user may list (the case overview) and the
steps that are this user's own ("My tasks").

The steps, in the order a case needs them, each with the role that takes it and the policy action it is
(a user gets a step as a task only when `access.allowed` lets them perform that action on the case):

| step              | open while                                                   | taken by         | action             |
|-------------------|--------------------------------------------------------------|------------------|--------------------|
| admissibility     | the case is in intake                                        | secretary        | case.admissibility |
| seat_panel        | in assessment with no seat filled                            | secretary        | panel.assign       |
| consent           | a seated discipline's input needs a consent not (or no longer) given | secretary | consent.record     |
| declare           | a seat's member has not declared (no conflict of interest)   | that member      | panel.declare_coi  |
| input             | a declared member has no input yet (assessment/deliberation) | that member      | input.edit         |
| submit            | a member's input is a draft not yet submitted                | that member      | input.edit         |
| file_complete     | in assessment, panel seated, the file not yet marked complete | secretary       | file.complete      |
| hearing_report    | sent to a hearing: hold it, send the report, record the reply | secretary        | hearing.record     |
| open_deliberation | in assessment with the quorum of submitted seats met, or back from a settled hearing | chair | deliberation.open |
| decision          | in deliberation                                              | chair            | decision.record    |
| letter            | decided and no letter issued yet                             | chair            | letter.issue       |

The hearing is optional (docs/domain: "Hearing (optional)"): it is a step only when the panel sent the case to
one (status "hearing").
Deadlines come from the one definition (`assessment.deadlines`, through `cases.deadlines`): a task carries
the due date of the stage its case is in, and overdue tasks come first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..access import allowed
from ..disciplines import consent_needed, is_seat
from ..model import CaseSummary, Deadline, Role, User
from ..queries import case_parts as parts
from ..queries import cases as case_records
from ..queries import inputs as input_rows
from ..queries import users as accounts
from ..store import Store, Tx
from ._common import scope, today
from .cases import active_consents, deadlines, list_cases

StepId = Literal["admissibility", "seat_panel", "consent", "declare", "input", "submit", "file_complete",
                 "hearing_report", "open_deliberation", "decision", "letter"]
MemberState = Literal["undeclared", "none", "draft", "submitted"]
STEP_ROLE: dict[StepId, Role] = {
    "admissibility": "secretary", "seat_panel": "secretary", "consent": "secretary", "declare": "member",
    "input": "member", "submit": "member", "file_complete": "secretary", "hearing_report": "secretary", "open_deliberation": "chair", "decision": "chair", "letter": "chair",
}
STEP_ACTION: dict[StepId, str] = {
    "admissibility": "case.admissibility", "seat_panel": "panel.assign", "consent": "consent.record",
    "declare": "panel.declare_coi", "input": "input.edit", "submit": "input.edit", "file_complete": "file.complete",
    "hearing_report": "hearing.record",
    "open_deliberation": "deliberation.open", "decision": "decision.record", "letter": "letter.issue",
}


@dataclass(frozen=True)
class Step:
    """One step a case waits for: what, and who takes it (a member's step names that member)."""

    step: StepId
    role: Role
    username: str | None = None  # the member whose step it is (member steps only)
    name: str | None = None  # that member's name as people read it
    discipline: str | None = None  # the seat or the consent's discipline it concerns


@dataclass(frozen=True)
class MemberProgress:
    discipline: str
    username: str
    name: str  # the account's display name (the username when it has none, or the account is gone)
    state: MemberState


@dataclass(frozen=True)
class CaseOverview:
    """One case as the overview shows it: status, running deadline, each member's state, open steps."""

    summary: CaseSummary
    deadline: Deadline | None  # the stage now running (due or overdue), or None
    members: tuple[MemberProgress, ...]  # empty when this viewer may not see the panel's progress
    steps: tuple[Step, ...]  # in the order the case needs them; the first is the next step

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline.state == "overdue"


@dataclass(frozen=True)
class Task:
    """A step that waits for this user, on one case."""

    ref: str
    step: Step
    deadline: Deadline | None

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline.state == "overdue"


def _members(tx: Tx, row: dict[str, Any]) -> tuple[MemberProgress, ...]:
    inputs = {i["discipline"]: i for i in input_rows.of_case(tx, row["id"])}
    out = []
    for seat in parts.seats(tx, row["id"]):
        i = inputs.get(seat["discipline"])
        state: MemberState = ("submitted" if i is not None and i["submitted_at"] else "draft" if i is not None
                              else "none" if seat["coi_declared_on"] else "undeclared")
        account = accounts.get(tx, seat["username"])
        name = (account or {}).get("display_name") or seat["username"]
        out.append(MemberProgress(discipline=seat["discipline"], username=seat["username"], name=name, state=state))
    return tuple(out)


def _steps(tx: Tx, row: dict[str, Any], members: tuple[MemberProgress, ...], quorum_needed: int) -> list[Step]:
    status = row["status"]
    if status == "intake":
        return [Step("admissibility", "secretary")]
    if status == "decided":
        return [Step("letter", "chair")] if row["letter_issued_on"] is None else []
    if status == "hearing":  # sent to a hearing: hold it, settle its report, then deliberate again
        h, _summary = parts.hearing(tx, row["id"])
        settled = h is not None and h["report_sent_on"] is not None and h["corrections_received_on"] is not None
        return [Step("open_deliberation", "chair")] if settled else [Step("hearing_report", "secretary")]
    if status not in ("assessment", "deliberation"):
        return []
    steps: list[Step] = []
    if status == "assessment" and not members:
        steps.append(Step("seat_panel", "secretary"))
    active = active_consents(tx, row["id"])
    for m in members:
        needed = consent_needed(m.discipline)
        if needed is not None and needed not in active:
            steps.append(Step("consent", "secretary", discipline=m.discipline))
    for m in members:
        member_step: StepId | None = {"undeclared": "declare", "none": "input", "draft": "submit"}.get(m.state)  # type: ignore[assignment]
        if member_step is not None:
            steps.append(Step(member_step, "member", username=m.username, name=m.name, discipline=m.discipline))
    if status == "assessment" and members and not row["file_complete_on"]:
        steps.append(Step("file_complete", "secretary"))
    submitted = sum(1 for m in members if m.state == "submitted" and is_seat(m.discipline))
    if status == "assessment" and submitted >= quorum_needed:
        steps.append(Step("open_deliberation", "chair"))
    if status == "deliberation":
        steps.append(Step("decision", "chair"))
    return steps


def _sees_progress(user: User, members: tuple[MemberProgress, ...]) -> bool:
    """A member sees the panel's progress only once they declared for their seat (nothing before it)."""
    if user.role != "member":
        return True
    return any(m.username == user.username and m.state != "undeclared" for m in members)


def case_overview(store: Store, user: User, *, on: dt.date | None = None) -> list[CaseOverview]:
    """Every case this user may list, with its running deadline, the members' progress and the open steps;
    overdue cases first, then by due date, then newest first."""
    summaries = list_cases(store, user, limit=1000)
    if not summaries:
        return []
    on = on or today()
    out = []
    with store.read() as tx:
        rows = {r["ref"]: r for r in case_records.by_refs(tx, [s.ref for s in summaries])}
        for s in summaries:
            row = rows[s.ref]
            running = [d for d in deadlines(row, store.settings, on) if d.state in ("due", "overdue")]
            members = _members(tx, row)
            steps = _steps(tx, row, members, store.settings.quorum_min_disciplines)
            if not _sees_progress(user, members):
                members = tuple(m for m in members if m.username == user.username)
                steps = [st for st in steps if st.username == user.username]
            out.append(CaseOverview(summary=s, deadline=running[-1] if running else None, members=members,
                                    steps=tuple(steps)))
    far = dt.date.max
    return sorted(out, key=lambda c: (not c.overdue, c.deadline.due_on if c.deadline else far))


def my_tasks(store: Store, user: User, *, on: dt.date | None = None) -> list[Task]:
    """The steps that wait for this user (a member: their own seats only), overdue first, then by due date.
    A step is this user's only when their role takes it and the policy lets them perform it on the case."""
    tasks = []
    overview = case_overview(store, user, on=on)
    with store.read() as tx:
        scopes = {r["ref"]: scope(tx, r) for r in case_records.by_refs(tx, [c.summary.ref for c in overview])}
    for c in overview:
        for st in c.steps:
            if st.role != user.role or (st.username is not None and st.username != user.username):
                continue
            if allowed(user, STEP_ACTION[st.step], scopes[c.summary.ref]):
                tasks.append(Task(ref=c.summary.ref, step=st, deadline=c.deadline))
    far = dt.date.max
    return sorted(tasks, key=lambda t: (not t.overdue, t.deadline.due_on if t.deadline else far))
