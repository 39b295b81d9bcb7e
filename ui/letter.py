"""Letter: for a decided case (or one found inadmissible), the real letter's pages as images (what the chair
reviews is what is sent), downloads of PDF and DOCX, issuing by the chair (and a correction with its reason),
every issued version with its SHA-256, and afterwards what the recipients reported back on using the advice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment import services
from assessment.errors import AannemelijkError
from assessment.model import AdviceUse, CaseView, User
from ui import limits, state
from ui.i18n import _, choose_one
from ui.labels import day, formatter, label, options
from ui.text import md_escape
from ui.widgets import case_picker, current_user, show_error, show_flash

PREVIEW = "letterpage.preview"  # not a widget key: this session's last rendered preview, see _pages


def _pages(user: User, case: CaseView, lang: str, reason: str, issued: int) -> list[bytes]:
    """The preview's PNG pages, rendered by the letters service; kept in this user's own session until
    the case, the language, the reason or the issued versions change (a rerun then costs nothing)."""
    key = (case.ref, case.version, lang, reason, issued)
    cached = state.get(PREVIEW)
    if isinstance(cached, tuple) and cached[0] == key:
        return list(cached[1])
    pages = services.preview_letter(state.store(), user, case.ref, lang, "png", reason=reason)  # type: ignore[arg-type]
    state.put(PREVIEW, (key, pages))
    return pages


def _deferred(work: Callable[[services.Store], bytes]) -> Callable[[], bytes]:
    """Produce a download's bytes only when it is clicked. Streamlit runs this on a thread of its own,
    outside the page run, so it opens (and closes) a connection of its own."""
    settings = state.settings()

    def run() -> bytes:
        with state.own_store(settings) as store:
            return work(store)

    return run


# Where a letter error is mended, by the place it names (`field`: services.MENDED_AT); a field of this page
# ("reason") shows its message right under it.
Slots = dict[str, Any]  # field of this page -> the placeholder right under it


def _at_field(exc: AannemelijkError, slots: Slots) -> None:
    """An error at the field that caused it: under a field of this page, else here with where to mend it."""
    field = str(getattr(exc, "field", "") or "")
    field = "deployment" if field.endswith(".yaml") else field
    if field in slots:
        slots[field].error(md_escape(exc.text(state.lang()), lines=True), icon=":material/error:")
        return
    show_error(exc)
    mend = _(services.MENDED_AT[field]) if field in services.MENDED_AT else ""
    if mend and mend not in exc.text(state.lang()):  # a letter that cannot be built already says it
        st.caption(mend)


def _sign(user: User, case: CaseView, lang: str, reason: str, correction: bool, slots: Slots) -> None:
    """Adopting and signing is the chair's act: a confirmation first, then the letter is stored for good."""
    confirmed = st.checkbox(_("I have read this letter and sign it on behalf of the panel."), key="letter.confirm")
    label_text = _("Adopt and sign the correction") if correction else _("Adopt and sign")
    key = "letter.correct" if correction else "letter.issue"
    if st.button(label_text, key=key, type="primary", icon=":material/draw:", disabled=not confirmed):
        try:
            done = services.issue_letter(state.store(), user, case.ref, lang, reason=reason)  # type: ignore[arg-type]
        except AannemelijkError as exc:
            _at_field(exc, slots)  # nothing typed is lost: the reason and the confirmation keep their values
            return
        state.forget("letter.reason")
        state.forget("letter.confirm")
        state.forget("letter.correcting")
        state.flash(_("Letter version {v} ({lang}) adopted and signed for {ref}.").format(
            v=done.version, lang=done.lang, ref=case.ref))
        st.rerun()


def _draft(user: User, case: CaseView, lang: str, reason: str, issued: list[Any], slots: Slots) -> list[bytes]:
    """The draft (watermarked CONCEPT) as pages, with its downloads; an error is shown at its field, and then
    no download is offered, so a click never silently produces nothing."""
    try:
        pages = _pages(user, case, lang, reason, len(issued))
    except AannemelijkError as exc:
        _at_field(exc, slots)
        return []
    ref = case.ref
    d1, d2 = st.columns(2)
    d1.download_button(_("Download draft (PDF)"), _deferred(lambda s: services.preview_letter(
        s, user, ref, lang, "pdf", reason=reason)[0]),  # type: ignore[arg-type]
        file_name=f"{ref}-{lang}-concept.pdf", mime="application/pdf", key="letter.pdf",
        icon=":material/picture_as_pdf:", on_click="ignore")
    d2.download_button(_("Download draft (DOCX)"), _deferred(lambda s: services.preview_letter(
        s, user, ref, lang, "docx", reason=reason)[0]),  # type: ignore[arg-type]
        file_name=f"{ref}-{lang}-concept.docx", key="letter.docx", icon=":material/description:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return pages


def _issued_pdf(user: User, ref: str, lang: str, version: int) -> Callable[[services.Store], bytes]:
    return lambda s: services.get_issued_letter(s, user, ref, lang=lang, version=version).content  # type: ignore[arg-type]


def _issued(user: User, ref: str, issued: list[Any]) -> None:
    st.subheader(_("Issued versions"))
    if not issued:
        st.caption(_("No letter has been issued yet."))
        return
    st.dataframe([{_("Language"): x.lang, _("Version"): x.version, _("Replaces"): x.replaces_version,
                   _("Issued at"): x.issued_at[:16].replace("T", " "), _("Issued by"): x.issued_by,
                   _("Reason for the correction"): x.correction_reason, "SHA-256": x.sha256}
                  for x in issued], hide_index=True, width="stretch", key="letter.issued")
    for x in issued:
        st.download_button(
            _("Issued letter {lang} v{v} (PDF)").format(lang=x.lang, v=x.version),
            _deferred(_issued_pdf(user, ref, x.lang, x.version)),
            file_name=f"{ref}-{x.lang}-v{x.version}.pdf", mime="application/pdf",
            key=f"letter.download.{x.lang}.{x.version}", icon=":material/download:", on_click="ignore")


def advice_uses(user: User, case: CaseView) -> None:
    """What the IND, the Public Prosecution Service, the municipality or care reported back on the issued
    advice (for the evaluation: was it followed); recorded by the secretary or chair after issue."""
    if case.letter_issued_on is None:
        return
    st.subheader(_("Use of the advice"))
    if case.advice_uses:
        st.dataframe([{_("Recipient"): label("advice_user", u.by), _("Reported"): label("advice_followed", u.followed),
                       _("On"): day(u.on) if u.on else ""}
                      for u in case.advice_uses], hide_index=True, width="stretch", key="advice.list")
    else:
        st.caption(_("Nothing reported back yet."))
    if not services.may(user, "followup.record", case):
        return
    with st.expander(_("Record what a recipient reported")):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(_("Recipient"), options("advice_user"), key="advice.by", format_func=formatter("advice_user"), placeholder=choose_one())
        c2.selectbox(_("Reported"), options("advice_followed"), key="advice.followed",
                     format_func=formatter("advice_followed"), placeholder=choose_one())
        c3.date_input(_("On"), key="advice.on", value=dt.date.today(), format="DD-MM-YYYY",
                      min_value=case.letter_issued_on, max_value=dt.date.today())
        if st.button(_("Record"), key="advice.record"):
            try:
                services.record_advice_use(state.store(), user, case.ref, AdviceUse(
                    by=state.get("advice.by"), followed=state.get("advice.followed"), on=state.get("advice.on")))
            except AannemelijkError as exc:
                show_error(exc)
            else:
                state.forget("advice.")
                state.flash(_("Recorded."))
                st.rerun()


def main() -> None:
    user = current_user()
    st.title(_("Letter"))
    show_flash()
    ref = case_picker("pick.letter", user, statuses=("decided", "inadmissible"))
    if ref is None:
        return
    try:
        case = services.get_case(state.store(), user, ref)
        issued = services.list_letters(state.store(), user, ref)
    except AannemelijkError as exc:
        show_error(exc)
        return
    state.widget("letter.lang", "nl")
    lang = st.segmented_control(_("Language of the letter"), ["nl", "en"], key="letter.lang",
                                format_func=lambda v: services.LANGUAGE_NAMES.get(v, v)) or "nl"
    may_sign = services.may(user, "letter.issue", case)
    mine = [x for x in issued if x.lang == lang]
    pages: list[bytes] = []
    if not mine:
        pages = _draft(user, case, lang, "", issued, {})
        if may_sign and pages:  # an advice, or the letter on an inadmissible application
            _sign(user, case, lang, "", correction=False, slots={})
    else:
        latest = mine[-1]
        at = dt.date.fromisoformat(latest.issued_at[:10])
        st.info(_("Version {v} of this letter was adopted and signed on {at}. That is the letter; download it "
                  "below. A correction is a separate step.").format(
                      v=latest.version, at=day(at, lang)))
        st.download_button(
            _("Issued letter {lang} v{v} (PDF)").format(lang=latest.lang, v=latest.version),
            _deferred(_issued_pdf(user, ref, latest.lang, latest.version)),
            file_name=f"{ref}-{latest.lang}-v{latest.version}.pdf", mime="application/pdf",
            key="letter.issued.latest", icon=":material/download:", on_click="ignore")
        if may_sign and st.toggle(_("Prepare a correction"), key="letter.correcting"):
            reason = st.text_area(_("Reason for the correction"), key="letter.reason", max_chars=limits.LONG,
                                  help=_("The correction names the version it replaces and this reason."))
            limits.at_limit("letter.reason", limits.LONG)
            slots: Slots = {"reason": st.empty()}
            if (reason or "").strip():
                pages = _draft(user, case, lang, reason, issued, slots)
                if pages:
                    _sign(user, case, lang, reason, correction=True, slots=slots)
            else:
                st.caption(_("Enter the reason for the correction first; its draft follows."))
    _issued(user, ref, issued)
    advice_uses(user, case)
    if pages:
        st.subheader(_("Draft"))
        for i, png in enumerate(pages, start=1):
            st.image(png, caption=_("Page {n} of {total}").format(n=i, total=len(pages)),
                     alt=_("Draft of the letter, page {n} of {total}").format(n=i, total=len(pages)))


main()
