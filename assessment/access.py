"""Who may do what: ONE policy table, checked by every service before it reads or writes anything.

Scopes: `all` (no case involved, or any real case), `real` (any case of the real space), `assigned`
(only real cases on whose panel the user sits), `training` (only cases of the training space). A role
missing from an action's row may not perform it at all. Trainers and trainees never reach a real case;
evaluators reach only `analysable.read` (pseudonymous facts: no reference, exact date, name or free text) and
`workspace.view` (exact counts, on screen only); admins manage users, not case content.

Rules that depend on the content of the case sit below the table, named, and the services apply them:
- blind until submitted: a member sees another discipline's input only after submitting their own, or
  once the chair has opened deliberation (`blind_until_submitted`, `sees_panel_result`);
- special-category input (e.g. medical) is read only by its author and the chair
  (`may_read_input_text`, `may_read_document`), and nothing that depends on a revoked consent is shown to
  anyone (it stays in the audit trail);
- a member declares (no conflict of interest) only for their own seat (`own_seat_only`); only members sit
  on a panel (`may_sit_on_panel`); a trainee sees only their own training work (`own_training_only`).

Pages and the CLI ask `may(user, action, case)` (re-exported by assessment.services); they never list
roles themselves. Which space a user's cases go to is `space_for`.

The matrix (generated from POLICY; docs/access.md holds the same table and a test keeps them equal):

| action | secretary | member | chair | evaluator | trainer | trainee | admin |
|---|---|---|---|---|---|---|---|
| case.create | real | - | real | - | training | - | - |
| case.list | real | assigned | real | - | training | training | - |
| case.view | real | assigned | real | - | training | training | - |
| case.view_personal | real | assigned | real | - | training | training | - |
| case.edit_intake | real | - | real | - | training | - | - |
| panel.assign | real | - | real | - | training | - | - |
| panel.declare_coi | - | assigned | - | - | training | - | - |
| case.admissibility | real | - | real | - | training | - | - |
| case.withdraw | real | - | real | - | training | - | - |
| document.add | real | - | real | - | training | - | - |
| chronology.add | real | assigned | real | - | training | - | - |
| consent.record | real | - | real | - | training | - | - |
| consent.revoke | real | - | real | - | training | - | - |
| input.edit | - | assigned | - | - | - | - | - |
| input.view | real | assigned | real | - | training | training | - |
| hearing.record | real | assigned | real | - | training | - | - |
| file.complete | real | - | real | - | training | - | - |
| deliberation.open | - | - | real | - | training | - | - |
| decision.record | - | - | real | - | training | - | - |
| dissent.record | - | assigned | real | - | training | - | - |
| case.reopen | - | - | real | - | training | - | - |
| letter.mark_issued | real | - | real | - | training | - | - |
| letter.preview | real | - | real | - | training | - | - |
| letter.issue | - | - | real | - | training | - | - |
| letter.download | real | - | real | - | training | - | - |
| template.manage | - | - | - | - | - | - | all |
| followup.record | real | - | real | - | - | - | - |
| audit.case | real | - | real | - | - | - | - |
| audit.verify | - | - | all | - | - | - | all |
| analysable.read | - | - | - | all | - | - | - |
| workspace.view | - | - | - | all | - | - | - |
| export.full | - | - | - | - | - | - | all |
| disclosure.configure | - | - | - | - | - | - | all |
| users.list | - | - | - | - | - | - | all |
| users.manage | - | - | - | - | - | - | all |
| rubric.manage | - | - | - | - | - | - | all |
| retention.apply | - | - | - | - | - | - | all |
| subject.export | real | - | real | - | - | - | - |
| training.manage | - | - | - | - | training | - | - |
| training.assess | - | - | - | - | - | training | - |
| training.feedback | - | - | - | - | training | training | - |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .errors import AccessDeniedError
from .model import ROLES, PanelSeat, Role, Space, User

Scope = Literal["all", "real", "assigned", "training"]

R: Scope = "real"
A: Scope = "assigned"
T: Scope = "training"
ALL: Scope = "all"

POLICY: dict[str, dict[Role, Scope]] = {
    "case.create": {"secretary": R, "chair": R, "trainer": T},
    "case.list": {"secretary": R, "member": A, "chair": R, "trainer": T, "trainee": T},
    "case.view": {"secretary": R, "member": A, "chair": R, "trainer": T, "trainee": T},
    "case.view_personal": {"secretary": R, "member": A, "chair": R, "trainer": T, "trainee": T},
    "case.edit_intake": {"secretary": R, "chair": R, "trainer": T},
    "panel.assign": {"secretary": R, "chair": R, "trainer": T},
    "panel.declare_coi": {"member": A, "trainer": T},
    "case.admissibility": {"secretary": R, "chair": R, "trainer": T},
    "case.withdraw": {"secretary": R, "chair": R, "trainer": T},
    "document.add": {"secretary": R, "chair": R, "trainer": T},
    "chronology.add": {"secretary": R, "member": A, "chair": R, "trainer": T},
    "consent.record": {"secretary": R, "chair": R, "trainer": T},
    "consent.revoke": {"secretary": R, "chair": R, "trainer": T},
    "input.edit": {"member": A},
    "input.view": {"secretary": R, "member": A, "chair": R, "trainer": T, "trainee": T},
    "hearing.record": {"secretary": R, "member": A, "chair": R, "trainer": T},
    "file.complete": {"secretary": R, "chair": R, "trainer": T},
    "deliberation.open": {"chair": R, "trainer": T},
    "decision.record": {"chair": R, "trainer": T},
    "dissent.record": {"member": A, "chair": R, "trainer": T},
    "case.reopen": {"chair": R, "trainer": T},
    "letter.mark_issued": {"secretary": R, "chair": R, "trainer": T},
    # Previews and downloads only for who prepares and sends the letter (it holds the whole file's personal
    # data); members already see the decision in the case. The chair signs, so the chair issues.
    "letter.preview": {"secretary": R, "chair": R, "trainer": T},
    "letter.issue": {"chair": R, "trainer": T},
    "letter.download": {"secretary": R, "chair": R, "trainer": T},
    "template.manage": {"admin": ALL},
    "followup.record": {"secretary": R, "chair": R},
    "audit.case": {"secretary": R, "chair": R},
    "audit.verify": {"chair": ALL, "admin": ALL},
    "analysable.read": {"evaluator": ALL},
    # The evaluation team's internal workspace: the figures with exact counts, on screen only (a download is
    # the protected table), every view recorded in the audit log (services.workspace).
    "workspace.view": {"evaluator": ALL},
    "export.full": {"admin": ALL},
    # The disclosure threshold and the research pseudonyms' generation (never below the minimum, always with
    # a reason, recorded in the audit log): never the evaluators who are protected against.
    "disclosure.configure": {"admin": ALL},
    "users.list": {"admin": ALL},
    "users.manage": {"admin": ALL},
    # Uploading and activating rubric versions changes what every new deliberation scores against.
    "rubric.manage": {"admin": ALL},
    # Privacy: retention removes personal data of every expired case (an operator task, no case content
    # shown); a data subject's access request is answered by the people who handle the file.
    "retention.apply": {"admin": ALL},
    "subject.export": {"secretary": R, "chair": R},
    # Training sessions (only in a training database, see assessment.services.training): the trainer runs
    # them and sees the group; each trainee assesses alone and sees their own feedback.
    "training.manage": {"trainer": T},
    "training.assess": {"trainee": T},
    "training.feedback": {"trainer": T, "trainee": T},
}

ACTIONS: tuple[str, ...] = tuple(POLICY)

# Special-category input (a discipline marked `special_category` in pilot_data/disciplines.yaml: medical):
# besides its author, whose role may read its free text (sources, notes, reasons, its documents, the audit
# payloads that carry it), in the scope given. Never after its consent is revoked: see `may_read_input_text`.
# Not an action of POLICY (nobody "performs" it): it narrows what `case.view_personal` shows.
SPECIAL_READERS: dict[Role, Scope] = {"chair": R, "trainer": T}


@dataclass(frozen=True)
class CaseScope:
    """What the policy needs to know of a case: its space and who sits on its panel."""

    ref: str
    space: Literal["real", "training"]
    panel: Mapping[str, str] = field(default_factory=dict)  # discipline -> username


def allowed(user: User, action: str, case: CaseScope | None = None) -> bool:
    """True when the policy lets this user perform `action` (on `case`, for case actions)."""
    scope = POLICY[action].get(user.role)
    if scope is None:
        return False
    if scope == "all":
        return case is None or case.space == "real"
    if case is None:
        return True  # e.g. listing: the store query applies the scope
    if scope == "training":
        return case.space == "training"
    if case.space != "real":
        return False
    return scope == "real" or user.username in case.panel.values()


class CaseLike(Protocol):
    """What a page holds of a case (e.g. model.CaseView): enough to know its scope."""

    @property
    def ref(self) -> str: ...
    @property
    def space(self) -> Space: ...
    @property
    def panel(self) -> list[PanelSeat]: ...


def may(user: User, action: str, case: CaseScope | CaseLike | None = None) -> bool:
    """The question pages and the CLI ask before offering an action: may this user do it (on this case)?
    The services still check it (`require`) when the action is performed."""
    if action not in POLICY:
        raise KeyError(f"unknown action {action!r}: add it to access.POLICY")
    if case is not None and not isinstance(case, CaseScope):
        case = CaseScope(ref=case.ref, space=case.space, panel={s.discipline: s.username for s in case.panel})
    return allowed(user, action, case)


def roles_for(action: str) -> tuple[Role, ...]:
    """The roles the policy lets perform `action` at all (in some scope), in the order of model.ROLES."""
    return tuple(r for r in ROLES if r in POLICY[action])


def space_for(user: User, action: str) -> Space:
    """The space a user's new work for `action` belongs to: training for roles scoped to it, else real."""
    return "training" if scope_of(user, action) == "training" else "real"


# --- rules that depend on a case's content (named here, applied by the services) ----------------------------

def blind_until_submitted(user: User) -> bool:
    """A panel member sees other disciplines' input only after submitting their own (or once deliberation is
    open); the chair, the secretary and the trainer see submitted input at any time."""
    return user.role == "member"


def sees_panel_result(user: User) -> bool:
    """Who may see the panel's consolidated rubric result on the deliberation screen (not trainees: they
    assess alone)."""
    return user.role in ("chair", "trainer", "member", "secretary")


def own_seat_only(user: User) -> bool:
    """A member acts only for their own panel seat (e.g. declaring no conflict of interest)."""
    return user.role == "member"


def needs_declaration(user: User, action: str) -> bool:
    """A member reads or does anything on a case only after personally declaring no conflict of interest for
    their seat; listing their cases and the declaration itself come first."""
    return user.role == "member" and action not in ("case.list", "panel.declare_coi")


def may_sit_on_panel(role: str) -> bool:
    """Only accounts with the member role take a discipline's seat on a panel."""
    return role == "member"


def may_train(role: str) -> bool:
    """Only trainee accounts take part in a training session as trainees."""
    return role == "trainee"


def own_training_only(user: User) -> bool:
    """A trainee sees only their own training sessions and feedback; the trainer sees every trainee's."""
    return user.role == "trainee"


def require(user: User, action: str, case: CaseScope | None = None) -> None:
    """Raise AccessDeniedError unless `allowed`; the message says what was refused, in Dutch and English."""
    if action not in POLICY:
        raise KeyError(f"unknown action {action!r}: add it to access.POLICY")
    if not allowed(user, action, case):
        from .i18n import N_
        from .vocabulary import Term

        if case is not None:
            raise AccessDeniedError(N_("Access denied: {user} ({role}) may not perform '{action}' ({ref})."),
                                    user=user.username, role=Term("role", user.role), action=action, ref=case.ref)
        raise AccessDeniedError(N_("Access denied: {user} ({role}) may not perform '{action}'."),
                                user=user.username, role=Term("role", user.role), action=action)


def scope_of(user: User, action: str) -> Scope | None:
    """The scope the policy gives this user's role for `action` (None: not at all)."""
    return POLICY[action].get(user.role)


def matrix_markdown() -> str:
    """The policy as a Markdown table (what docs/access.md and this module's docstring show)."""
    lines = ["| action | " + " | ".join(ROLES) + " |", "|" + "---|" * (len(ROLES) + 1)]
    for action, rules in POLICY.items():
        lines.append(f"| {action} | " + " | ".join(rules.get(r, "-") for r in ROLES) + " |")
    return "\n".join(lines)


def special_categories() -> Mapping[str, str]:
    """Disciplines whose free text is special-category data, each with the consent scope it rests on
    (from pilot_data/disciplines.yaml: `special_category: true`, `consent: <scope>`)."""
    from . import disciplines  # the registry reads its file on first use

    return disciplines.special_categories()


def may_read_input_text(user: User, discipline: str, case: CaseScope, active_consents: frozenset[str] | set[str]) -> bool:
    """May this viewer read the free text of `discipline`'s input on `case` (sources, notes, reasons, the
    documents and audit payloads that carry it)? Everything else follows the matrix (`input.view`,
    `case.view_personal`); special-category input is read only by its author (the panel seat of that
    discipline) and whom `input.read_special` names, and by nobody once its consent is revoked."""
    if not allowed(user, "case.view_personal", case):
        return False
    consent = special_categories().get(discipline)
    if consent is None:
        return True
    if consent not in active_consents:
        return False
    if case.panel.get(discipline) == user.username:
        return True
    scope = SPECIAL_READERS.get(user.role)
    return scope is not None and (case.space == "training") == (scope == "training")


def may_see_input_at_all(discipline: str, active_consents: frozenset[str] | set[str]) -> bool:
    """Special-category input whose consent is revoked is hidden from every view (it stays in the audit trail,
    its text there readable by nobody through the services)."""
    consent = special_categories().get(discipline)
    return consent is None or consent in active_consents


def may_read_document(user: User, consent_scope: str | None, case: CaseScope,
                      active_consents: frozenset[str] | set[str]) -> bool:
    """A document resting on a consent is hidden once that consent is revoked; one resting on a special
    category's consent is read only by who may read that category's input text."""
    if consent_scope is not None and consent_scope not in active_consents:
        return False
    special = [d for d, c in special_categories().items() if c == consent_scope]
    return all(may_read_input_text(user, d, case, active_consents) for d in special)
