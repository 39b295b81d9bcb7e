"""Audit trail: who did what, when, on one case, in words, filtered by person, action and period; and, for
whom the policy allows it, the check that the whole trail still holds (what `audit verify` does on the CLI).

The services decide what may be read (`audit_trail`: the case's audit readers; payloads carrying special-
category text stay withheld) and who may verify (`verify_audit`); this page only lays it out.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from ui import audit_check, state
from ui.i18n import _, choose_one
from ui.labels import label
from ui.widgets import case_picker, current_user, show_error

EVERYONE = ""  # the filter's "no filter" choice


def _when(at: dt.datetime) -> str:
    """Date and time as people write them, in Dutch time (the log stores UTC)."""
    return services.long_datetime(at, state.lang())


def _about(entity: str) -> str:
    """Which part of the case an event concerns, where the action's words do not say it: the discipline."""
    kind, _sep, what = entity.partition(":")
    return label("discipline", what) if kind in ("input", "panel") else ""


def main() -> None:
    user = current_user()
    st.title(_("Audit trail"))
    audit_check.verify(user)
    ref = case_picker("pick.audit", user)
    if ref is None:
        return
    try:
        every = services.audit_trail(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    names = {e.actor: e.actor_name for e in every}
    actors = [EVERYONE, *sorted(names, key=names.__getitem__)]
    actions = [EVERYONE, *sorted({e.action for e in every}, key=lambda a: label("audit_action", a))]
    # the filters are per case (their keys name it): another case starts with its own people, actions and
    # whole period, so none of its events is hidden by a filter set for the last one
    # the names are fixed in this run's language: Streamlit may call format_func outside the run
    actor_names = {a: names[a] if a else _("everyone") for a in actors}
    action_names = {a: label("audit_action", a) if a else _("every action") for a in actions}
    c1, c2, c3 = st.columns(3)
    actor = c1.selectbox(_("Who"), actors, key=f"audit.actor.{ref}", format_func=actor_names.__getitem__, placeholder=choose_one())
    action = c2.selectbox(_("What"), actions, key=f"audit.action.{ref}", format_func=action_names.__getitem__, placeholder=choose_one())
    first = min((e.at.date() for e in every), default=dt.date.today())
    period = c3.date_input(_("Period"), value=(first, dt.date.today()), key=f"audit.period.{ref}", format="DD-MM-YYYY")
    since, until = (period[0], period[-1]) if isinstance(period, tuple) and period else (None, None)
    try:
        shown = services.audit_trail(state.store(), user, ref, actor=actor or None, action=action or None,
                                     since=since, until=until)
    except AannemelijkError as exc:
        show_error(exc)
        return
    st.caption(_("{n} of {total} events").format(n=len(shown), total=len(every)))
    if not shown:
        st.info(_("No events match these filters."))
        return
    st.dataframe([{_("When"): _when(e.at), _("Who"): e.actor_name, _("What"): label("audit_action", e.action),
                   _("Concerns"): _about(e.entity),
                   _("Reason"): _("(withheld: special-category data)") if e.withheld else e.reason}
                  for e in shown], hide_index=True, width="stretch")


main()
