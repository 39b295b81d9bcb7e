"""The procedure as the regulation has it (issue #12 item 5): what admissibility still lacks, and what the panel
does with a case whose information is too thin for an advice on the merits (set it aside, or send it to a
hearing) instead of advising "niet aannemelijk"."""

from __future__ import annotations

from .. import admissibility as requirements
from ..model import InadmissibleGround, User
from ..store import Store
from ._common import case_for
from .cases import intake_of


def admissibility_unmet(store: Store, user: User, ref: str) -> list[InadmissibleGround]:
    """The requirements of admissibility the case's intake does not meet (assessment.admissibility), for the
    secretary deciding it."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "case.admissibility")
        intake = intake_of(tx, row)
    term = None if row["within_term"] is None else bool(row["within_term"])
    return requirements.unmet(intake, term)
