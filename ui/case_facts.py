"""The case file beside the indicators on the discipline-input screen: the intake facts, the chronology and the
documents, so a member rates with the file in view instead of switching screens (issue #15).

Everything comes from services.get_case, which already leaves out what this viewer may not see: no intake or
chronology without `case.view_personal`, no document resting on a revoked consent, and a special category's
documents (medical) only for whom access.may_read_document allows. This module only lays it out.
"""

from __future__ import annotations

import streamlit as st
from babel import Locale

from assessment import services
from assessment.model import CaseView, Document, Intake
from ui import state
from ui.i18n import _
from ui.labels import day, label
from ui.text import md_escape


def _country(code: str) -> str:
    """The country's name in the user's language (the intake stores the ISO code)."""
    locale = Locale.parse("nl_NL" if state.lang() == "nl" else "en_GB")
    return str(locale.territories.get(code, code)) if code else services.NO_VALUE


def _period(intake: Intake) -> str:
    if intake.period_start is None and intake.period_end is None:
        return services.NO_VALUE
    return _("{start} to {end}").format(start=day(intake.period_start), end=day(intake.period_end))


def intake_lines(case: CaseView) -> list[tuple[str, str]]:
    """The intake facts a member weighs, as (what, value) in the user's language."""
    intake = case.intake
    if intake is None:
        return []
    lines = [(_("Received on"), day(intake.received_on)), (_("Route"), label("route", intake.route))]
    if intake.route == "report" and intake.route_end is not None:
        lines.append((label("route_end", intake.route_end).capitalize(), day(intake.route_end_on)))
        if intake.reported_on is not None:
            lines.append((_("Reported on"), day(intake.reported_on)))
    if intake.route == "exception" and intake.exception_ground is not None:
        lines.append((_("Ground for the exception"), label("exception_ground", intake.exception_ground)))
    lines += [
        (_("Form of exploitation"), label("form", intake.form)),
        (_("Exploitation in the Netherlands"), label("exploitation_in_nl", intake.exploitation_in_nl)),
        (_("Sector"), intake.sector or services.NO_VALUE),
        (_("Period of exploitation"), _period(intake)),
        (_("Age group"), label("age_group", intake.age_group)),
        (_("Gender"), label("gender", intake.gender)),
        (_("Nationality"), _country(intake.nationality)),
        (_("Residence status"), label("residence_status", intake.residence_status)),
        (_("Languages"), ", ".join(label("language", c) for c in intake.languages) or services.NO_VALUE),
        (_("Interpreter needed"), label("yes_no", "yes" if intake.interpreter else "no")),
        (_("Filed by"), label("filing_party", intake.filing_party)),
    ]
    return lines


def panel(case: CaseView) -> None:
    """The case file in the sidebar: intake facts, chronology, documents (what this viewer may see)."""
    with st.sidebar:
        st.subheader(_("Case file {ref}").format(ref=case.ref))
        with st.expander(_("Intake facts"), expanded=True):
            lines = intake_lines(case)
            if lines:
                st.markdown("\n".join(f"- **{md_escape(what)}:** {md_escape(value)}" for what, value in lines))
            else:
                st.caption(_("You may not see the intake facts of this case."))
        with st.expander(_("Chronology ({n})").format(n=len(case.chronology))):
            if case.chronology:
                st.markdown("\n".join(f"- **{day(c.on)}:** {md_escape(c.fact)}"
                                      for c in sorted(case.chronology, key=lambda c: c.on)))
            else:
                st.caption(_("No facts in the chronology that you may see."))
        with st.expander(_("Documents ({n})").format(n=len(case.documents)), expanded=True):
            if case.documents:
                st.markdown("\n".join(_document_line(d) for d in sorted(case.documents, key=lambda d: d.received_on)))
            else:
                st.caption(_("No documents that you may see."))


def _document_line(d: Document) -> str:
    """One document as a Markdown list item, every part the secretary typed escaped."""
    title = f" · _{md_escape(d.title)}_" if d.title else ""
    return f"- **{day(d.received_on)}** · {md_escape(label('source', d.source))} · {md_escape(d.kind)}{title}"
