"""Services the app needs beyond the core set: first-start checks, panel candidates, the deliberation view
for members, the Cases screen's rows and the evaluators' figures.

Rubric versions (upload, validate, activate, the active one) live in the database: see services.rubrics,
whose functions are re-exported here for the app and the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..access import blind_until_submitted, require, sees_panel_result
from ..errors import AccessDeniedError, AuthenticationError, LifecycleError
from ..model import CaseSummary, Deadline, User
from ..rubric import Rubric
from ..scoring import RubricResult
from ..store import Store
from ._common import case_for, today
from .cases import deadlines, list_cases
from .decisions import score_case_row
from .inputs import visible_input_rows

# Rubric versions live in services.rubrics; re-exported here for the app, the CLI and the letters service.
from .rubrics import StoredRubric as StoredRubric
from .rubrics import activate_rubric as activate_rubric
from .rubrics import active_rubric as active_rubric
from .rubrics import list_rubric_versions as list_rubric_versions
from .rubrics import rubric_by_hash as rubric_by_hash
from .rubrics import upload_rubric as upload_rubric


def has_users(store: Store) -> bool:
    """Does any account exist yet? (False on a fresh database: the app then asks for an administrator.)"""
    with store.read() as tx:
        return bool(tx.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone())


def user_for_identity(store: Store, identities: Mapping[str, str], email: str | None, subject: str | None) -> User:
    """The account an identity provider's user (OIDC) signs in as: `identities` maps an e-mail address
    (any case) or a subject to a username, tried in that order; the account's role and discipline then
    apply as for a local sign-in. Unknown, unmapped, disabled (or demo, outside demo mode) accounts are
    refused with one message; every sign-in and refusal is an audit event."""
    wanted = {k.strip().lower(): v for k, v in identities.items()}
    username = (wanted.get((email or "").strip().lower()) if email else None) or (
        wanted.get((subject or "").strip().lower()) if subject else None)
    who = email or subject or "?"
    with store.write() as tx:
        row = tx.get("users", username=username) if username else None
        if row is None or row["disabled"] or (row["demo"] and not store.settings.demo):
            tx.append_audit(actor=f"oidc:{subject or '?'}", action="auth.refused", entity=f"user:{username or '-'}")
            refused = True
        else:
            tx.append_audit(actor=row["username"], action="auth.oidc", entity=f"user:{row['username']}",
                            after={"subject": subject or ""})
            refused = False
    if refused or row is None:
        raise AuthenticationError(
            f"Aanmelden mislukt: {who} heeft geen account in Aannemelijk (of het is uitgeschakeld); vraag de "
            f"beheerder erom. / Sign-in failed: {who} has no Aannemelijk account (or it is disabled); ask the "
            f"administrator for one.")
    return User(username=row["username"], role=row["role"], discipline=row["discipline"],
                display_name=row["display_name"])


def panel_candidates(store: Store, user: User, discipline: str) -> list[tuple[str, str]]:
    """Active members of one discipline as (username, display name), for whoever may assign panels."""
    require(user, "panel.assign")
    with store.read() as tx:
        rows = tx.select("users", order_by="username", role="member", discipline=discipline, disabled=0)
    return [(r["username"], r["display_name"] or r["username"]) for r in rows]


def deliberation_view(store: Store, user: User, ref: str, rubric: Rubric | None = None) -> RubricResult:
    """The consolidated rubric result for the deliberation screen: the chair at any time; a member only
    after submitting their own input or once deliberation is open (blind until submitted)."""
    with store.read() as tx:
        row = case_for(tx, user, ref, "input.view")
        if blind_until_submitted(user) and row["status"] not in ("deliberation", "decided"):
            own = [i for i, _ in visible_input_rows(tx, user, row) if i["username"] == user.username]
            if not own or not own[0]["submitted_at"]:
                raise LifecycleError(
                    "U ziet het resultaat van het panel pas als u uw eigen inbreng heeft ingediend / "
                    "You see the panel's result only after submitting your own input")
        if not sees_panel_result(user):
            raise AccessDeniedError(f"Geen toegang / Access denied: {user.role}")
        if rubric is None:
            rubric = active_rubric(store)
        return score_case_row(tx, row, rubric, user)


@dataclass(frozen=True)
class CaseRow:
    """One row of the Cases screen: the summary plus its open stage deadline (if any)."""

    summary: CaseSummary
    deadline: Deadline | None  # the stage now running, or None when the case is closed


def case_rows(store: Store, user: User, *, status: str | None = None) -> list[CaseRow]:
    """The cases this user may list, each with the deadline of its running stage (due or overdue)."""
    summaries = list_cases(store, user, status=status, limit=1000)
    if not summaries:
        return []
    on = today()
    with store.read() as tx:
        rows = {r["ref"]: r for r in tx.select("cases", ref=[s.ref for s in summaries])}
    out = []
    for s in summaries:
        running = [d for d in deadlines(rows[s.ref], store.settings, on) if d.state in ("due", "overdue")]
        out.append(CaseRow(summary=s, deadline=running[-1] if running else None))
    return out

