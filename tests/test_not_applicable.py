"""'Not applicable' from the input to the letter: stored as recorded, no counter-indication in the letter,
shown as such in the annex."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from assessment import services
from assessment.letters.render import render_pdf
from assessment.model import User
from assessment.rubric import Rubric
from assessment.services.letter_context import build_letter_context
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_journeys import submit

# Adult, sexual exploitation: deception, exploitation and coercion at destination each met under ILO Rule A.
POSITIVE = ["deceptive_recruitment.nature_of_job", "deceptive_recruitment.wages", "exploitation.living_conditions",
            "exploitation.low_salary", "exploitation.hazardous_work", "coercion_destination.documents",
            "coercion_destination.debt_bondage"]
NO_FAMILY = "deceptive_recruitment.family_reunification"  # the applicant has no family to be reunited with


def test_not_applicable_reaches_the_letter_apart_from_absent(store: Store, users: dict[str, User],
                                                             make_case: CaseBuilder, rubric: Rubric,
                                                             tmp_path: Path) -> None:
    ref = make_case()
    statuses = dict.fromkeys(POSITIVE, "present") | {NO_FAMILY: "not_applicable",
                                                     "deceptive_recruitment.housing": "absent"}
    for member in ("police", "care", "legal"):
        submit(store, users[member], ref, statuses, rubric)
    chair = users["chair"]
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    stored = {o.indicator: o.status for i in services.get_inputs(store, chair, ref) for o in i.draft.observations}
    assert stored[NO_FAMILY] == "not_applicable"
    result = services.deliberation_result(store, chair, ref, rubric)
    assert result.outcome == "plausible"
    assert result.dimensions["deceptive_recruitment"].not_applicable == (NO_FAMILY,)
    assert result.dimensions["vulnerability_destination"].status == "undetermined"
    reasons = {d.id: f"Redenen bij {d.id}." for d in result.dimensions.values() if d.status != "undetermined"}
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons | {"overall": "Aannemelijk."},
                             rubric=rubric, expected_version=services.get_case(store, chair, ref).version)

    ctx = build_letter_context(store, chair, ref, "nl", letter_date=dt.date(2026, 5, 1))
    deception = next(d for d in ctx.dimensions if d.dimension_id == "deceptive_recruitment")
    no_family = rubric.indicator_by_id[NO_FAMILY].name("nl")
    assert {c.name for c in deception.counter_indicators} == {"Misleid over huisvesting en leefomstandigheden"}
    assert {r.name: r.status for el in ctx.annex for r in el.rows}[no_family] == "not_applicable"

    (tmp_path / "l.pdf").write_bytes(render_pdf(ctx))
    layout = subprocess.run(["pdftotext", "-layout", str(tmp_path / "l.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    row = next(line for line in layout.splitlines() if no_family in line)
    assert "niet van toe" in row and "afwezig" not in row and "onbekend" not in row  # the cell may hyphenate
