"""The check that the whole audit trail still holds (what `audit verify` does on the CLI), offered on the audit
page to the chair and on the administration page to the administrator: whoever the policy lets verify
(`audit.verify`, enforced again in services.verify_audit). It shows no content, only whether the trail holds."""

from __future__ import annotations

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import User
from ui import state
from ui.i18n import _
from ui.widgets import show_error


def verify(user: User) -> None:
    if not services.may(user, "audit.verify"):
        return
    if st.button(_("Check that the audit trail holds"), key="audit.verify"):
        try:
            n = services.verify_audit(state.store(), user)
        except AannemelijkError as exc:
            show_error(exc)
        else:
            st.success(_("The audit trail holds: {n} events, none changed, removed or put back.").format(n=n))
