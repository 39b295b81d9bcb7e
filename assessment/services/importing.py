"""Importing curated case files (pilot_data/cases/*.yaml) and loading the demo (accounts and cases).

The case-file format is documented at the top of each shipped file; its schema is
`assessment.casefile.CaseFileModel` (one schema module for every case file, the `score` file included).

Languages: every free text a user reads (reasons, facts, notes, summaries, names of documents) may be a
plain string or `{nl: ..., en: ...}`. The importer takes a `lang` and stores the text of that language
only: the database holds one language per case, as a real file does (the panel works in Dutch; an English
demo database is imported with `lang="en"`). The file's `title` keeps both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..casefile import CaseFileModel, Lang, read_case_file
from ..config import PILOT_DATA
from ..disciplines import special_category
from ..errors import Msg, ValidationError
from ..i18n import N_
from ..model import User
from ..rubric import Rubric
from ..store import Store
from ..synthetic import SyntheticCase
from . import cases, decisions, inputs, users

DEMO_CASES = PILOT_DATA / "cases"


def import_case_file(store: Store, user: User, path: Path, rubric: Rubric | None = None, *,
                     lang: Lang = "nl", synthetic_demo: bool = False) -> str:
    """Import one curated case file through the services (so access and audit apply as for a person);
    members' steps are taken as the demo member of each discipline; texts in `lang`. Returns the new
    reference. A case of the other space than the store's is refused (TrainingSpaceError), except the demo's
    own synthetic files (`synthetic_demo`, see cases.create_case).

    All or nothing: the whole import is one write transaction (each service joins it, Store.write), so a
    file refused halfway leaves no case, no used-up reference and no audit events of steps undone. The
    services apply the same plausibility rules as the pages; a refusal names the file and the field."""
    return _import_whole(store, user, path, read_case_file(path, lang), rubric, lang=lang,
                         synthetic_demo=synthetic_demo)


def _import_whole(store: Store, user: User, path: Path, cf: CaseFileModel, rubric: Rubric | None, *, lang: Lang,
                  synthetic_demo: bool) -> str:
    """One parsed case file in one write transaction (import_case_file); refusals name the file and field."""
    try:
        with store.write():
            return _import(store, user, path, cf, rubric, lang=lang, synthetic_demo=synthetic_demo)
    except ValidationError as exc:
        error = Msg(exc.message_id, exc.params)
        if exc.field:
            raise ValidationError(N_("{file}: {where}: {error}"), file=str(path), where=exc.field,
                                  error=error, field=exc.field) from exc
        raise ValidationError(N_("{file}: {error}"), file=str(path), error=error) from exc


def _import(store: Store, user: User, path: Path, cf: CaseFileModel, rubric: Rubric | None, *, lang: Lang,
            synthetic_demo: bool) -> str:
    ref = cases.create_case(store, user, cf.intake.model_copy(update={"text_language": lang}), space=cf.space,
                            synthetic_demo=synthetic_demo)
    consent_ids = _import_file_parts(store, user, ref, cf)
    for r in cf.recipients:
        rid = cases.record_recipient_consent(store, user, ref, r.name, r.given_on, r.given_by)
        if r.revoked_on:
            cases.revoke_consent(store, user, ref, rid, "case file", 1, on=r.revoked_on, recipient=True)
    for discipline in cf.panel:
        cases.assign_panel(store, user, ref, discipline, discipline)
        _declare(store, user, ref, discipline, cf.space)
    if cf.admissibility:
        version = cases.get_case(store, user, ref).version
        decision = cf.admissibility.get("decision")
        if decision not in ("admissible", "inadmissible"):
            raise ValidationError(N_("admissibility.decision must be admissible or inadmissible"),
                                  field="admissibility.decision")
        cases.decide_admissibility(store, user, ref, decision, cf.admissibility.get("reasons", ""), version)  # type: ignore[arg-type]
    for discipline, entry in cf.inputs.items():
        member = users.user_by_name(store, discipline)
        v = inputs.save_input_draft(store, member, ref, entry.draft, None, rubric=rubric)
        if entry.submitted:
            inputs.submit_input(store, member, ref, v)
    if cf.hearing:
        cases.record_hearing(store, user, ref, cf.hearing)
    for c in cf.consents:
        if c.revoked_on:
            cases.revoke_consent(store, user, ref, consent_ids[c.scope], "case file", 1, on=c.revoked_on)
    if cf.withdrawal:
        cases.withdraw_case(store, user, ref, cf.withdrawal.reason, cases.get_case(store, user, ref).version)
    if cf.deliberation or cf.decision:
        # The whole history is registered today: the file was complete when deliberation opened.
        cases.mark_file_complete(store, user, ref, cases.get_case(store, user, ref).version)
        decisions.open_deliberation(store, user, ref, cases.get_case(store, user, ref).version)
    if cf.decision and rubric is not None:
        decisions.record_decision(store, user, ref, outcome=cf.decision.outcome, reasons=cf.decision.reasons,
                                  rubric=rubric, expected_version=cases.get_case(store, user, ref).version,
                                  override_reason=cf.decision.override_reason, dissents=cf.decision.dissents,
                                  findings=dict(cf.decision.findings))
    return ref


def _import_file_parts(store: Store, user: User, ref: str, cf: CaseFileModel) -> dict[str, int]:
    """The file's consents (as given; the caller revokes them when the file says so), documents and chronology;
    returns each consent's id by scope."""
    consent_ids: dict[str, int] = {c.scope: cases.record_consent(store, user, ref, c.scope, c.given_on, c.given_by)
                                   for c in cf.consents}
    for d in cf.documents:
        cases.add_document(store, user, ref, source=d.source, kind=d.kind, received_on=d.received_on,  # type: ignore[arg-type]
                           title=d.title)
    for item in cf.chronology:
        cases.add_chronology(store, user, ref, item.on, item.fact)
    return consent_ids


def load_demo(store: Store, rubric: Rubric | None = None, directory: Path = DEMO_CASES,
              progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The demo: the demo accounts, then every case file in `directory` (sorted by name), imported by the
    demo chair (and the demo trainer for training cases). Returns the new references.

    All or nothing, in one write transaction: nobody sees a half-filled demo, a refused file leaves nothing,
    and one commit is much faster than one per file. `progress(done, total)` is called before the first file
    and after each."""
    paths = sorted(directory.glob("*.yaml"))
    with store.write():
        users.load_demo_users(store)
        chair = users.user_by_name(store, "chair")
        trainer = users.user_by_name(store, "trainer")
        refs = []
        if progress is not None:
            progress(0, len(paths))
        for done, path in enumerate(paths, start=1):
            cf = read_case_file(path)  # once: the texts are Dutch, as import_case_file's default
            refs.append(_import_whole(store, trainer if cf.space == "training" else chair, path, cf, rubric,
                                      lang="nl", synthetic_demo=directory == DEMO_CASES))
            if progress is not None:
                progress(done, len(paths))
    return refs


def fill_demo(store: Store, rubric: Rubric | None = None, directory: Path = DEMO_CASES,
              progress: Callable[[int, int], None] | None = None) -> list[str] | None:
    """Fill a database without accounts with the demo (load_demo), once: the check and the filling are one
    write transaction, so of two processes starting on one new file the second waits for the first and then
    finds the accounts. Returns the new references, or None when the database had accounts already."""
    with store.write():
        if users.has_users(store):
            return None
        return load_demo(store, rubric, directory, progress)


def _declare(store: Store, user: User, ref: str, discipline: str, space: str) -> None:
    """The seated demo member declares no conflict of interest themselves (in the training space, the
    trainer, who runs every training case)."""
    declarer = users.user_by_name(store, discipline) if space == "real" else user
    cases.declare_no_conflict(store, declarer, ref, discipline)


def load_synthetic(store: Store, user: User, generated: list[SyntheticCase], rubric: Rubric) -> list[str]:
    """Register generated cases through the services, as `user` (a chair) and the demo members, so access
    and the audit chain apply as for any case. Returns the new references."""
    refs = []
    for g in generated:
        with store.write():  # each generated case whole or not at all, as an imported file
            refs.append(_load_one(store, user, g, rubric))
    return refs


def _load_one(store: Store, user: User, g: SyntheticCase, rubric: Rubric) -> str:
    """One generated case, its steps in the order a panel takes them (inside the caller's one transaction)."""
    ref = cases.create_case(store, user, g.intake)
    cases.record_consent(store, user, ref, "police_file", g.intake.received_on)
    if any(special_category(d) for d in g.panel):
        cases.record_consent(store, user, ref, "medical", g.intake.received_on)
    for discipline in g.panel:
        cases.assign_panel(store, user, ref, discipline, discipline)
        _declare(store, user, ref, discipline, "real")
    cases.decide_admissibility(store, user, ref, "inadmissible" if g.plan == "inadmissible" else "admissible", g.admissibility_reasons,
                               cases.get_case(store, user, ref).version)
    if g.plan == "withdrawn":
        cases.withdraw_case(store, user, ref, "Synthetisch: ingetrokken / Synthetic: withdrawn",
                            cases.get_case(store, user, ref).version)
    for discipline, draft in g.inputs.items():
        member = users.user_by_name(store, discipline)
        inputs.submit_input(store, member, ref, inputs.save_input_draft(store, member, ref, draft, None,
                                                                        rubric=rubric))
    if g.outcome is not None:
        cases.mark_file_complete(store, user, ref, cases.get_case(store, user, ref).version)
        decisions.open_deliberation(store, user, ref, cases.get_case(store, user, ref).version)
        decisions.record_decision(store, user, ref, outcome=g.outcome, reasons=g.reasons, rubric=rubric,
                                  expected_version=cases.get_case(store, user, ref).version,
                                  override_reason=g.override_reason)
    return ref
