"""Cases: first what waits for this user ("My tasks", overdue first, each one click from the screen where it
is done), then the overview of every case they may list: status, the next step and who takes it, each
member's progress, the stage deadline. What waits for whom is decided in the services
(`services.my_tasks`, `services.case_overview`); this page only shows it."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import Deadline, User
from ui import state
from ui.i18n import _, choose_one
from ui.labels import day, formatter, heading, label, options
from ui.navigation import STEP_SCREEN
from ui.widgets import current_user, show_error, show_flash

INTAKE_CASE_TAB = "intake.open_case_tab"  # asks the intake screen to open on its "Existing case" tab


def _due(deadline: Deadline | None) -> str:
    if deadline is None:
        return ""
    if deadline.state == "overdue":
        return "⚠ " + _("overdue since {date}").format(date=day(deadline.due_on))
    return _("due {date}").format(date=day(deadline.due_on))


def _who(step: services.Step) -> str:
    if step.name is not None:
        return f"{step.name} ({label('discipline', step.discipline)})"
    return label("role", step.role)


def tasks(user: User) -> None:
    st.subheader(_("My tasks"))
    try:
        mine = services.my_tasks(state.store(), user)
    except AannemelijkError as exc:
        show_error(exc)
        return
    if not mine:
        st.caption(_("Nothing is waiting for you."))
        return
    for i, t in enumerate(mine):
        with st.container(border=True, key=f"cases.task.{i}"):
            c1, c2, c3 = st.columns([5, 3, 2], vertical_alignment="center")
            what = heading("step", t.step.step)
            if t.step.discipline and t.step.step == "consent":
                what += f" ({label('discipline', t.step.discipline)})"
            c1.markdown(f"**{t.ref}** · {what}")
            c2.markdown((":red[" + _due(t.deadline) + "]") if t.overdue else _due(t.deadline))
            if c3.button(_("Open"), key=f"cases.task.{i}.open", help=_("Open {ref} on the screen for this step")
                         .format(ref=t.ref)):
                state.set_case_ref(t.ref)
                if STEP_SCREEN[t.step.step] == "ui/intake.py":
                    state.put(INTAKE_CASE_TAB, True)
                st.switch_page(STEP_SCREEN[t.step.step])


def overview(user: User) -> None:
    st.subheader(_("All cases"))
    left, mid, right = st.columns([2, 2, 1])
    search = left.text_input(_("Search by reference"), key="cases.search",
                             placeholder=services.reference_example(state.store()))
    statuses = mid.multiselect(_("Status"), options("status"), key="cases.status", format_func=formatter("status"),
                               placeholder=_("Choose options"))
    only_overdue = right.checkbox(_("Only overdue"), key="cases.overdue")
    try:
        rows = services.case_overview(state.store(), user)
    except AannemelijkError as exc:
        show_error(exc)
        return
    needle = search.strip().upper()
    shown = [r for r in rows
             if needle in r.summary.ref.upper()
             and (not statuses or r.summary.status in statuses)
             and (not only_overdue or r.overdue)]
    if not shown:
        st.info(_("No cases match.") if rows else _("There are no cases for you yet."))
        return
    table = [{
        _("Reference"): r.summary.ref,
        _("Status"): heading("status", r.summary.status),
        _("Form"): heading("form", r.summary.form),
        _("Next step"): (heading("step", r.steps[0].step) + " · " + _who(r.steps[0])) if r.steps else services.NO_VALUE,
        _("Members"): "; ".join(f"{label('discipline', m.discipline)}: {label('member_state', m.state)}"
                                for m in r.members) or services.NO_VALUE,
        _("Stage"): heading("stage", r.deadline.stage) if r.deadline else services.NO_VALUE,
        _("Deadline"): _due(r.deadline) or services.NO_VALUE,
        _("Received"): day(r.summary.received_on),
    } for r in shown]
    st.dataframe(table, hide_index=True, width="stretch", key="cases.table")
    overdue = sum(1 for r in shown if r.overdue)
    if overdue:
        st.warning(_("{n} case(s) past their stage deadline.").format(n=overdue))
    refs = [r.summary.ref for r in shown]
    state.keep_choice("cases.open", refs, state.case_ref())
    chosen = st.selectbox(_("Work on case"), refs, key="cases.open", placeholder=choose_one())
    state.set_case_ref(chosen)
    st.caption(_("The other screens open this case."))


def main() -> None:
    user = current_user()
    st.title(_("Cases"))
    show_flash()
    tasks(user)
    overview(user)


main()
