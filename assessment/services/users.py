"""Users: add, list, disable, sign in (with lockout), and the demo accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from .. import disciplines, passwords
from ..access import require
from ..errors import AuthenticationError, ConflictError, NotFoundError, ValidationError
from ..fileplaces import explain
from ..i18n import N_
from ..model import Role, User, UserRecord
from ..queries import users as accounts
from ..store import Store, now_iso

# The application itself, acting on its own (setup, demo accounts): named as the program, in no language.
SYSTEM = User(username="system", role="admin", display_name="Aannemelijk")

def demo_accounts() -> tuple[tuple[str, Role, str | None], ...]:
    """The demo accounts: username, role, discipline. One member per configured discipline, named after it.
    Password `demo`; they sign in only in demo mode."""
    members: tuple[tuple[str, Role, str | None], ...] = tuple((d, "member", d) for d in disciplines.ids())
    return (("secretary", "secretary", None), ("chair", "chair", None), *members,
            ("evaluator", "evaluator", None), ("trainer", "trainer", None), ("admin", "admin", None))


DEMO_PASSWORD = "demo"
MIN_PASSWORD = 10


def _record(row: dict[str, Any]) -> UserRecord:
    return UserRecord(
        username=str(row["username"]), role=row["role"], discipline=row["discipline"],
        display_name=str(row["display_name"]), disabled=bool(row["disabled"]), demo=bool(row["demo"]),
        locked_until=row["locked_until"],
    )


def _insert_user(store: Store, actor: User, new: User, password: str, *, demo: bool,
                 password_hash: str | None = None) -> UserRecord:
    """Insert one account; `password_hash` (the demo accounts' one shared hash) saves hashing `password` again."""
    hashed = password_hash or passwords.hash_password(password)  # argon2 takes a fair part of a second
    with store.write() as tx:
        if accounts.get(tx, new.username) is not None:
            raise ConflictError(N_("User {username} already exists"), username=new.username)
        row = {
            "username": new.username, "role": new.role, "discipline": new.discipline,
            "display_name": new.display_name, "password_hash": hashed,
            "disabled": False, "demo": demo, "updated_by": actor.username, "updated_at": now_iso(),
        }
        accounts.insert(tx, row)
        after = {k: row[k] for k in ("username", "role", "discipline", "display_name", "demo")}
        tx.append_audit(actor=actor.username, action="user.add", entity=f"user:{new.username}", after=after)
    return _record(dict(row, locked_until=None))


def add_user(
    store: Store, user: User, username: str, role: Role, password: str, *,
    discipline: str | None = None, display_name: str = "",
) -> UserRecord:
    """Create an account (admins only). The password is stored as an argon2 hash, never in clear."""
    require(user, "users.manage")
    try:
        new = User(username=username, role=role, discipline=discipline, display_name=display_name)
    except PydanticValidationError as exc:
        raise ValidationError(N_("Invalid user: {reason}"), reason=explain(exc.errors()[0])) from None
    if len(password) < MIN_PASSWORD:
        raise ValidationError(N_("The password needs at least {n} characters"), n=MIN_PASSWORD, field="password")
    return _insert_user(store, user, new, password, demo=False)


def bootstrap_admin(store: Store, username: str, password: str) -> UserRecord:
    """The first admin of a new database (`init --admin`); refused once any user exists."""
    with store.read() as tx:
        if accounts.any_exists(tx):
            raise ConflictError(N_("Users exist; use 'users add'"))
    # Named by the account (a person's name, in no language) until the administrator gives their own.
    return add_user(store, SYSTEM, username, "admin", password, display_name=username)


def account_stamp(store: Store, username: str) -> str | None:
    """What a web session holds on to: a digest of the account's password hash, role, discipline and name,
    or None when the account no longer signs in (gone, disabled, or a demo account outside demo mode). The
    app compares it on every interaction and signs the session out when it differs."""
    with store.read() as tx:
        row = accounts.get(tx, username)
    if row is None or row["disabled"] or (row["demo"] and not store.settings.demo):
        return None
    material = "\x1f".join(str(row[k] or "") for k in ("password_hash", "role", "discipline", "display_name"))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def issue_setup_token(store: Store) -> str | None:
    """`init` on a database without accounts: a new one-time token for creating the first administrator in
    the web app (printed once by the CLI; only its SHA-256 is stored; a new one replaces the old). None when
    accounts exist already."""
    token = secrets.token_urlsafe(18)
    with store.write() as tx:
        if accounts.any_exists(tx):
            return None
        accounts.set_setup_token(tx, hashlib.sha256(token.encode()).hexdigest(), now_iso())
        tx.append_audit(actor=SYSTEM.username, action="setup.token", entity="setup")
    return token


def setup_token_issued(store: Store) -> bool:
    """Is there an unused setup token (the web app then offers the first-run form)?"""
    with store.read() as tx:
        return accounts.setup_token(tx) is not None


def bootstrap_admin_with_token(store: Store, token: str, username: str, password: str) -> UserRecord:
    """The first administrator, created in the web app: only with the one-time token `init` printed, which
    is used up by it. A wrong or missing token is refused (and recorded), and no account is made."""
    with store.write() as tx:
        stored = accounts.setup_token(tx)
        given = hashlib.sha256(token.strip().encode()).hexdigest()
        if accounts.any_exists(tx) or stored is None or not hmac.compare_digest(stored, given):
            tx.append_audit(actor="web", action="setup.refused", entity="setup")
            refused = True
        else:
            accounts.drop_setup_token(tx)
            tx.append_audit(actor="web", action="setup.token_used", entity="setup", after={"admin": username})
            refused = False
    if refused:
        raise AuthenticationError(
            N_("Setup token wrong or used already; get a new one on the server with 'python -m assessment init'."))
    try:
        return bootstrap_admin(store, username, password)
    except Exception:  # e.g. a too short password: the token stays valid for the next try
        with store.write() as tx:
            accounts.set_setup_token(tx, given, now_iso())
        raise


def list_users(store: Store, user: User) -> list[UserRecord]:
    """Every account, without password hashes (admins only)."""
    require(user, "users.list")
    with store.read() as tx:
        return [_record(r) for r in accounts.all_by_name(tx)]


def disable_user(store: Store, user: User, username: str, reason: str = "") -> UserRecord:
    """Disable an account: it can no longer sign in; its history stays (admins only)."""
    return _set_disabled(store, user, username, True, reason)


def enable_user(store: Store, user: User, username: str, reason: str = "") -> UserRecord:
    """Enable a disabled account again (admins only): disabling is undone in the app, with its reason
    in the audit trail, instead of on the server."""
    return _set_disabled(store, user, username, False, reason)


def _set_disabled(store: Store, user: User, username: str, disabled: bool, reason: str) -> UserRecord:
    require(user, "users.manage")
    with store.write() as tx:
        row = accounts.get(tx, username)
        if row is None:
            raise NotFoundError(N_("User {username} does not exist"), username=username)
        accounts.update(tx, username, {"disabled": disabled}, actor=user.username)
        tx.append_audit(actor=user.username, action="user.disable" if disabled else "user.enable",
                        entity=f"user:{username}", before={"disabled": bool(row["disabled"])},
                        after={"disabled": disabled}, reason=reason)
        row = accounts.get(tx, username)
    assert row is not None
    return _record(row)


def authenticate(store: Store, username: str, password: str) -> User:
    """Sign in: the User for these credentials, or AuthenticationError (one message for every cause,
    so it does not reveal which usernames exist). Demo accounts sign in only in demo mode.

    The argon2 check (deliberately slow) runs outside any transaction: a client guessing passwords never
    holds the write lock, so it cannot make anyone's save wait or fail. Throttling is per account: after
    `max_failed_logins` failures in a row that account is locked for `lockout_minutes` (while locked, a
    guess is refused without even being checked); other accounts are not affected."""
    refused = AuthenticationError(
        N_("Sign-in failed: unknown user, wrong password, or account locked.")
    )
    now = dt.datetime.now(dt.UTC)
    s = store.settings
    with store.read() as tx:
        row = accounts.get(tx, username)
    if row is None:
        passwords.verify_password(None, password)  # the same time as for a known user
        raise refused
    locked = row["locked_until"] is not None and dt.datetime.fromisoformat(row["locked_until"]) > now
    if row["disabled"] or locked or (row["demo"] and not s.demo):
        with store.write() as tx:
            tx.append_audit(actor=username, action="auth.refused", entity=f"user:{username}")
        raise refused
    ok = passwords.verify_password(row["password_hash"], password)  # no transaction open here
    with store.write() as tx:
        current = accounts.get(tx, username)
        if current is None or current["password_hash"] != row["password_hash"] or current["disabled"]:
            raise refused  # changed while the password was checked: try again against what holds now
        if not ok:
            failed = int(current["failed_logins"]) + 1
            until = passwords.lockout_until(failed, s.max_failed_logins, s.lockout_minutes, now)
            accounts.update(tx, username,
                            {"failed_logins": failed, "locked_until": until.isoformat() if until else None},
                            actor=username)
            tx.append_audit(actor=username, action="auth.failed", entity=f"user:{username}",
                            after={"failed_logins": failed, "locked": until is not None})
            # Commit the count before refusing, so repeated guesses do lock the account.
        elif current["failed_logins"]:
            accounts.update(tx, username, {"failed_logins": 0, "locked_until": None}, actor=username)
    if not ok:
        raise refused
    return User(username=row["username"], role=row["role"], discipline=row["discipline"],
                display_name=row["display_name"])


def user_by_name(store: Store, username: str) -> User:
    """The active account with this name, without a password (for trusted local tools and tests)."""
    with store.read() as tx:
        row = accounts.get(tx, username)
    if row is None or row["disabled"]:
        raise NotFoundError(N_("User {username} does not exist or is disabled"), username=username)
    return User(username=row["username"], role=row["role"], discipline=row["discipline"],
                display_name=row["display_name"])


def display_names(store: Store, usernames: Iterable[str]) -> dict[str, str]:
    """The name each account shows people (a decider, a dissenter), disabled accounts included: a screen names
    the person, never the login. An unknown name stays as it is."""
    wanted = set(usernames)
    with store.read() as tx:
        rows = accounts.all_by_name(tx)
    names = {str(r["username"]): str(r["display_name"] or r["username"]) for r in rows if r["username"] in wanted}
    return {u: names.get(u, u) for u in wanted}


def demo_password_hash() -> str:
    """One argon2 hash of the demo password, for every demo account created in one go. The password is
    public (the demo banner shows it), so a salt per account would protect nothing, while hashing it a
    dozen times took about a second of a first start."""
    return passwords.hash_password(DEMO_PASSWORD)


def load_demo_users(store: Store, password_hash: str | None = None) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the names created."""
    created = []
    hashed = password_hash
    for username, role, discipline in demo_accounts():
        with store.read() as tx:
            exists = accounts.get(tx, username) is not None
        if not exists:
            label = username.capitalize()
            hashed = hashed or demo_password_hash()
            _insert_user(store, SYSTEM, User(username=username, role=role, discipline=discipline,
                                             display_name=f"Demo {label}"), DEMO_PASSWORD, demo=True,
                         password_hash=hashed)
            created.append(username)
    return created


def has_users(store: Store) -> bool:
    """Does any account exist yet? (False on a fresh database: the app then asks for an administrator.)"""
    with store.read() as tx:
        return accounts.any_exists(tx)


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
        row = accounts.get(tx, username) if username else None
        if row is None or row["disabled"] or (row["demo"] and not store.settings.demo):
            tx.append_audit(actor=f"oidc:{subject or '?'}", action="auth.refused", entity=f"user:{username or '-'}")
            refused = True
        else:
            tx.append_audit(actor=row["username"], action="auth.oidc", entity=f"user:{row['username']}",
                            after={"subject": subject or ""})
            refused = False
    if refused or row is None:
        raise AuthenticationError(N_("Sign-in failed: {who} has no Aannemelijk account (or it is disabled); ask the "
                                     "administrator for one."), who=who)
    return User(username=row["username"], role=row["role"], discipline=row["discipline"],
                display_name=row["display_name"])
