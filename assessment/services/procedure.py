"""The procedure as the regulation has it (issue #12 item 5): what admissibility still lacks, and what the panel
does with a case whose information is too thin for an advice on the merits (set it aside, or send it to a
hearing) instead of advising "niet aannemelijk"."""

from __future__ import annotations

from typing import Any, get_args

from .. import admissibility as requirements
from ..errors import Msg, ValidationError
from ..i18n import N_
from ..model import Deferral, Hearing, InadmissibleGround, User
from ..queries import case_parts as parts
from ..queries import cases as case_records
from ..store import Store, Tx
from ._common import case_for, loads, require_status, require_text, today
from .cases import intake_of


def admissibility_unmet(store: Store, user: User, ref: str) -> list[InadmissibleGround]:
    """The requirements of admissibility the case's intake does not meet (assessment.admissibility), for the
    secretary deciding it."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "case.admissibility")
        intake = intake_of(tx, row)
    term = None if row["within_term"] is None else bool(row["within_term"])
    return requirements.unmet(intake, term)


def require_settled_hearing_report(tx: Tx, row: dict[str, Any]) -> None:
    """Deliberation relies on a hearing only once its report went to the applicant for correction and the reply
    (or the end of the term for it) is recorded (legal-test.md, "The hearing"); refused otherwise."""
    h, ph = parts.hearing(tx, row["id"])
    if h is None:
        return
    hearing = Hearing(held_on=h["held_on"], members=loads(h["members"]) or [], report_sent_on=h["report_sent_on"],
                      corrections_received_on=h["corrections_received_on"])
    if not hearing.report_settled:
        raise ValidationError(N_("The hearing report must first go to the applicant for correction, and the reply "
                                 "(or the end of the term for it) be recorded on the Hearing page"),
                              field="report_sent_on" if hearing.report_sent_on is None else "corrections_received_on")


def defer_case(store: Store, user: User, ref: str, deferral: Deferral, reasons: str, expected_version: int) -> int:
    """Too little information for an advice on the merits: the chair sets the case aside, or sends it to a
    hearing, with reasons, instead of advising "niet aannemelijk". No advice and no letter follow from it; a case
    sent to a hearing returns to deliberation once the hearing report is settled (`open_deliberation`), a case set
    aside when information arrives (`resume_case`)."""
    if deferral not in get_args(Deferral):
        raise ValidationError(N_("Choose: set aside, or send to a hearing"), field="deferral")
    reasons = require_text(reasons, "reasons", N_("A reason"))
    status = "set_aside" if deferral == "set_aside" else "hearing"
    on = today()
    with store.write() as tx:
        row = case_for(tx, user, ref, "decision.record")
        require_status(row, "deliberation", doing=N_("setting aside or sending to a hearing"))
        version = case_records.update(tx, row["id"], {"status": status}, actor=user.username,
                                      expected_version=expected_version, what=Msg(N_("Case {ref}"), {"ref": ref}))
        parts.save_procedure(tx, row["id"], {"deferral": deferral, "deferred_on": on})
        case_records.set_applicant(tx, row["id"], {"deferral_reasons": reasons})
        tx.append_audit(actor=user.username, action=f"case.{'set_aside' if deferral == 'set_aside' else 'to_hearing'}",
                        case_ref=ref, entity="case", before={"status": row["status"]},
                        after={"status": status, "deferral": deferral, "on": on.isoformat()}, reason=reasons)
    return version


def resume_case(store: Store, user: User, ref: str, reason: str, expected_version: int) -> int:
    """A case set aside for lack of information goes back to deliberation (new information arrived)."""
    reason = require_text(reason, "reason", N_("The reason"))
    with store.write() as tx:
        row = case_for(tx, user, ref, "decision.record")
        require_status(row, "set_aside", doing=N_("resuming"))
        version = case_records.update(tx, row["id"], {"status": "deliberation"}, actor=user.username,
                                      expected_version=expected_version, what=Msg(N_("Case {ref}"), {"ref": ref}))
        parts.save_procedure(tx, row["id"], {"deferral": None, "deferred_on": None})
        tx.append_audit(actor=user.username, action="case.resume", case_ref=ref, entity="case",
                        before={"status": row["status"]}, after={"status": "deliberation"}, reason=reason)
    return version
