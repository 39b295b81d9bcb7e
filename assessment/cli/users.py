"""`users add|list|disable`: accounts (administrators only)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..i18n import N_
from ._common import Choices, add_as, add_db, open_db, read_new_password, say, sign_in


def _roles() -> tuple[str, ...]:
    from ..model import ROLES

    return tuple(ROLES)


def _disciplines() -> tuple[str, ...]:
    from .. import services  # pilot_data/disciplines.yaml, read when the choices are shown or checked

    return services.discipline_ids()


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="manage accounts (admin)")
    cmds = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    a = cmds.add_parser("add", help="add an account (password from a prompt or --password-stdin)")
    a.add_argument("username")
    a.add_argument("--role", choices=Choices(_roles), metavar="ROLE", required=True, help="%(choices)s")
    a.add_argument("--discipline", choices=Choices(_disciplines), metavar="DISCIPLINE",
                   help="for a member: %(choices)s")
    a.add_argument("--name", default="", help="display name")
    a.add_argument("--password-stdin", action="store_true")
    a.set_defaults(handler=run_add)
    ls = cmds.add_parser("list", help="list accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_list)
    d = cmds.add_parser("disable", help="disable an account")
    d.add_argument("username")
    d.add_argument("--reason", default="")
    d.set_defaults(handler=run_disable)
    for q in (a, ls, d):
        add_db(q)
        add_as(q)


def run_add(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        actor = sign_in(store, args)
        password = read_new_password(args)
        u = services.add_user(store, actor, args.username, args.role, password, discipline=args.discipline,
                              display_name=args.name)
        say(args, N_("Added: {user} ({role})"), user=u.username, role=services.label("role", u.role, args.lang))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        rows = services.list_users(store, sign_in(store, args))
    if args.json:
        print(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            state = services.gettext(args.lang, N_("disabled") if r.disabled else N_("active"))
            print(f"{r.username:<16} {r.role:<10} {r.discipline or '-':<12} {state}{' demo' if r.demo else ''}")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        services.disable_user(store, sign_in(store, args), args.username, args.reason)
        say(args, N_("Disabled: {user}"), user=args.username)
    return 0
