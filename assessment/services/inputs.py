"""Discipline input: drafts saved as typed, submission, and who may see whose input.

Blind until submitted: a member sees another discipline's input only after submitting their own, or once
deliberation is open. Medical input needs an active medical consent to be entered or seen; the free text
of special-category input (sources, notes, reasons) is shown only as access.may_read_input_text allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..access import allowed, blind_until_submitted, may_read_input_text, may_see_input_at_all
from ..disciplines import consent_needed
from ..errors import AccessDeniedError, ConsentError, LifecycleError, NotFoundError, UnknownIndicatorError
from ..i18n import N_, Msg
from ..model import DimensionView, DisciplineInput, InputDraft, ObservationInput, User
from ..queries import case_parts as parts
from ..queries import inputs as input_rows
from ..rubric import Profile, Rubric
from ..store import Store, Tx, now_iso
from ..vocabulary import Term
from ._common import case_for, require_status, scope
from .cases import active_consent, active_consents

EDITABLE = ("assessment", "deliberation")


def _seat(tx: Tx, user: User, row: dict[str, Any]) -> str:
    """The discipline this member sits for on this case (with a no-conflict declaration), or refuse."""
    discipline = user.discipline
    seat = parts.seat(tx, row["id"], discipline) if discipline else None
    if seat is None or seat["username"] != user.username:
        raise AccessDeniedError(N_("You are not on the panel of {ref}"), ref=row["ref"])
    if not seat["coi_declared_on"]:
        raise LifecycleError(N_("First declare that you have no conflict of interest"))
    return str(discipline)


def _check_indicators(rubric: Rubric | None, draft: InputDraft) -> None:
    if rubric is None:
        return
    for obs in draft.observations:
        if obs.indicator not in rubric.indicator_by_id:
            raise UnknownIndicatorError(N_("Unknown indicator: {indicator}"), indicator=obs.indicator)
    for view in draft.dimension_views:
        if view.dimension not in rubric.dimension_by_id:
            raise UnknownIndicatorError(N_("Unknown dimension: {dimension}"), dimension=view.dimension)


def _write_draft(tx: Tx, input_id: int, draft: InputDraft) -> None:
    input_rows.replace_parts(
        tx, input_id, [(o.indicator, o.status, o.source, o.note) for o in draft.observations],
        [(v.dimension, v.view, v.reasons) for v in draft.dimension_views],
        draft.overall_reasons, draft.inconsistency_notes)


def _read_draft(tx: Tx, input_row: dict[str, Any], *, with_text: bool) -> InputDraft:
    iid = input_row["id"]
    texts = input_rows.rating_texts(tx, iid) if with_text else {}
    reasons = input_rows.view_reasons(tx, iid) if with_text else {}
    p = input_rows.overall_texts(tx, iid) if with_text else {}
    return InputDraft(
        observations=[ObservationInput(indicator=o["indicator"], status=o["status"],
                                       source=texts.get(o["indicator"], {}).get("source", ""),
                                       note=texts.get(o["indicator"], {}).get("note", ""))
                      for o in input_rows.ratings(tx, iid)],
        dimension_views=[DimensionView(dimension=v["dimension"], view=v["view"], reasons=reasons.get(v["dimension"], ""))
                         for v in input_rows.views(tx, iid)],
        overall_view=input_row["overall_view"], confidence=input_row["confidence"],
        overall_reasons=p.get("overall_reasons", ""), inconsistency_notes=p.get("inconsistency_notes", ""),
    )


def save_input_draft(store: Store, user: User, ref: str, draft: InputDraft, expected_version: int | None,
                     *, rubric: Rubric | None = None) -> int:
    """Save the member's input as typed so far (first save: `expected_version=None`); returns the new version.
    A stale version raises ConflictError. Medical input needs an active medical consent."""
    _check_indicators(rubric, draft)
    with store.write() as tx:
        row = case_for(tx, user, ref, "input.edit")
        require_status(row, *EDITABLE, doing=N_("saving input"))
        discipline = _seat(tx, user, row)
        consent = consent_needed(discipline)
        if consent is not None and not active_consent(tx, row["id"], consent):
            raise ConsentError(N_("No valid medical authorisation for {ref}"), ref=ref)
        current = input_rows.of_discipline(tx, row["id"], discipline)
        facts = {"overall_view": draft.overall_view, "confidence": draft.confidence}
        before = _read_draft(tx, current, with_text=True).model_dump(mode="json") if current else None
        if current is None:
            if expected_version is not None:
                raise NotFoundError(N_("There is no draft to update yet"))
            input_id = input_rows.add(tx, row["id"], discipline, user.username, facts)
            version = 1
        else:
            input_id = current["id"]
            version = input_rows.update(tx, input_id, facts, actor=user.username,
                                        expected_version=expected_version if expected_version is not None else -1,
                                        what=Msg(N_("The input of {discipline} on {ref}"), {"discipline": Term("discipline", discipline), "ref": ref}))
        _write_draft(tx, input_id, draft)
        tx.append_audit(actor=user.username, action="input.save", case_ref=ref, entity=f"input:{discipline}",
                        before=before, after=draft.model_dump(mode="json"))
    return version


def submit_input(store: Store, user: User, ref: str, expected_version: int) -> int:
    """Submit the member's input: from now on the member sees the other disciplines' submitted input."""
    with store.write() as tx:
        row = case_for(tx, user, ref, "input.edit")
        require_status(row, *EDITABLE, doing=N_("submitting input"))
        discipline = _seat(tx, user, row)
        current = input_rows.of_discipline(tx, row["id"], discipline)
        if current is None:
            raise NotFoundError(N_("There is no input to submit yet"))
        consent = consent_needed(discipline)
        if consent is not None and not active_consent(tx, row["id"], consent):
            raise ConsentError(N_("No valid medical authorisation for {ref}"), ref=ref)
        at = now_iso()
        version = input_rows.update(tx, current["id"], {"submitted_at": at}, actor=user.username,
                                    expected_version=expected_version, what=Msg(N_("The input of {discipline} on {ref}"), {"discipline": Term("discipline", discipline), "ref": ref}))
        tx.append_audit(actor=user.username, action="input.submit", case_ref=ref, entity=f"input:{discipline}",
                        before={"submitted_at": current["submitted_at"]}, after={"submitted_at": at})
    return version


def visible_input_rows(tx: Tx, user: User | None, row: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """Input rows a viewer may see, each with whether its free text may be shown (access.may_read_input_text).
    `user=None` means the panel's consolidated view for scoring (submitted inputs, consent applied, no text)."""
    inputs = input_rows.of_case(tx, row["id"])
    consents = active_consents(tx, row["id"])
    sc = scope(tx, row)
    own = next((i for i in inputs if user is not None and i["username"] == user.username), None)
    open_to_all = row["status"] in ("deliberation", "decided")
    out = []
    for i in inputs:
        if not may_see_input_at_all(i["discipline"], consents):
            continue  # hidden from every view; kept in the audit trail
        mine = own is not None and i["id"] == own["id"]
        if not mine:
            if not i["submitted_at"]:
                continue
            if user is not None and blind_until_submitted(user) and not open_to_all and not (own and own["submitted_at"]):
                continue  # blind until submitted
        text_ok = user is not None and may_read_input_text(user, i["discipline"], sc, consents)
        out.append((i, text_ok))
    return out


def get_inputs(store: Store, user: User, ref: str) -> list[DisciplineInput]:
    """The discipline inputs this user may see on this case (see the module docstring for the rules)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "input.view")
        personal = allowed(user, "case.view_personal", scope(tx, row))
        return [
            DisciplineInput(discipline=i["discipline"], username=i["username"], submitted=bool(i["submitted_at"]),
                            submitted_at=i["submitted_at"], version=i["version"],
                            draft=_read_draft(tx, i, with_text=text_ok and personal),
                            notes_hidden=not (text_ok and personal))
            for i, text_ok in visible_input_rows(tx, user, row)
        ]


@dataclass(frozen=True)
class SectionProgress:
    """How far one dimension's section of the input screen is rated: `rated` of its `total` indicators
    have a status (present, absent, unknown or not applicable)."""

    dimension: str
    rated: int
    total: int


def rest_unknown(profile: Profile, statuses: Mapping[str, str | None]) -> dict[str, str]:
    """Overige onbekend ("the rest unknown") in one action: the status `unknown` for every indicator of the profile not yet rated
    in `statuses` (indicator id -> status, None or absent for not yet rated); rated indicators are left out,
    so applying the answer never changes a rating the member gave."""
    return {iid: "unknown" for iid in profile.indicators if not statuses.get(iid)}


def rating_progress(r: Rubric, profile: Profile, statuses: Mapping[str, str | None]) -> list[SectionProgress]:
    """Per dimension of the rubric, in its order, how many of the profile's indicators in it have a status
    in `statuses` (indicator id -> status, None or absent for not yet rated). Dimensions the profile has no
    indicators in are left out, as the screen does not show them."""
    counts: dict[str, list[int]] = {}
    for iid in profile.indicators:
        c = counts.setdefault(r.indicator_by_id[iid].dimension, [0, 0])
        c[0] += bool(statuses.get(iid))
        c[1] += 1
    return [SectionProgress(d.id, *counts[d.id]) for d in r.dimensions if d.id in counts]
