"""`training init|cases|open|sessions|reset|group`: the training space from the command line.

Every command opens the training database (`--db`, else $AANNEMELIJK_TRAINING_DB, else var/training.sqlite3),
never the production one: the file marks its space and assessment.store refuses the wrong one. `init` is an
operator command (no --as); the others act as a signed-in trainer or trainee (`--as`, AANNEMELIJK_PASSWORD),
under the same access rules as the app. Every output starts with the TRAINING mark.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TYPE_CHECKING, Any

from ..i18n import N_
from ._common import add_as, say, sign_in

if TYPE_CHECKING:  # the services and the store load only when a command runs
    from ..rubric import Rubric
    from ..services import Store

MARK = N_("TRAINING – training space, not real cases")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="training database (default: $AANNEMELIJK_TRAINING_DB or var/training.sqlite3)")


def register(sub: Any) -> None:
    p = sub.add_parser("training", help="the training space: accounts, sessions, group view, reset",
                       description="Work in the training space (a separate, marked database; never the "
                                   "production one).")
    cmds = p.add_subparsers(dest="training_command", metavar="ACTION", required=True)
    i = cmds.add_parser("init", help="create the training database with the demo and trainee accounts")
    i.add_argument("--demo-cases", action="store_true",
                   help="also load the curated demo cases as full cases (to show the panel's screens)")
    i.set_defaults(handler=run_init)
    c = cmds.add_parser("cases", help="the curated cases a session can use")
    c.set_defaults(handler=run_cases)
    o = cmds.add_parser("open", help="open a session (trainer)")
    o.add_argument("name")
    o.add_argument("--case", dest="cases", action="append", required=True, metavar="CASE_FILE_ID",
                   help="a training case (see `training cases`); repeat for more")
    o.add_argument("--trainee", dest="trainees", action="append", required=True, metavar="USER",
                   help="a trainee account; repeat for more")
    o.add_argument("--lang", choices=["nl", "en"], help="language of the case texts (default: $LANG, else nl)")
    o.set_defaults(handler=run_open)
    s = cmds.add_parser("sessions", help="list the sessions (a trainer sees all, a trainee their own)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=run_sessions)
    r = cmds.add_parser("reset", help="remove every trainee input of a session (trainer)")
    r.add_argument("session", type=int, metavar="SESSION")
    r.set_defaults(handler=run_reset)
    g = cmds.add_parser("group", help="the group view of a session per case (trainer)")
    g.add_argument("session", type=int, metavar="SESSION")
    g.add_argument("--json", action="store_true")
    g.set_defaults(handler=run_group)
    for q in (i, c, o, s, r, g):
        _add_db(q)
    for q in (o, s, r, g):
        add_as(q)


def _open(args: argparse.Namespace) -> Store:
    from .. import services

    return services.open_store(services.load_training_settings(args.db))


def _rubric(store: Store) -> Rubric:
    from .. import services

    return services.active_rubric(store)


def run_init(args: argparse.Namespace) -> int:
    from .. import services

    with _open(args) as store:
        created = services.load_training_space(store)
        say(args, MARK)
        say(args, N_("Training database ready: {path}"), path=store.path)
        say(args, N_("Accounts created: {users} (password: demo)"), users=", ".join(created) or "-")
        if args.demo_cases:
            refs = services.load_demo(store, _rubric(store))
            say(args, N_("{n} demo cases loaded"), n=len(refs))
        say(args, N_("Training cases: {files}"), files=", ".join(services.training_case_files()))
    return 0


def run_cases(args: argparse.Namespace) -> int:
    from .. import services

    say(args, MARK)
    for file_id, title in services.training_case_files().items():
        print(f"{file_id:<36} {title.get(args.lang, '')}")
    return 0


def run_open(args: argparse.Namespace) -> int:
    from .. import services

    with _open(args) as store:
        user = sign_in(store, args)
        sid = services.open_session(store, user, args.name, args.cases, args.trainees, _rubric(store), lang=args.lang)
    say(args, MARK)
    say(args, N_("Session opened: {session}"), session=sid)
    return 0


def run_sessions(args: argparse.Namespace) -> int:
    from .. import services

    with _open(args) as store:
        sessions = services.list_sessions(store, sign_in(store, args))
    if args.json:
        print(json.dumps({"space": "training", "sessions": [dataclasses.asdict(s) for s in sessions]},
                         ensure_ascii=False, indent=1))
        return 0
    say(args, MARK)
    for s in sessions:
        cases = ", ".join(f"{c.ref} ({c.case_file})" for c in s.cases)
        say(args, N_("{id}  {name}  [{by}, {on}]  trainees: {trainees}  cases: {cases}"), id=f"{s.id:>4}", name=s.name,
            by=s.created_by, on=s.created_at[:10], trainees=", ".join(s.trainees), cases=cases)
    if not sessions:
        say(args, N_("No sessions"))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from .. import services

    with _open(args) as store:
        n = services.reset_session(store, sign_in(store, args), args.session)
    say(args, MARK)
    say(args, N_("Session {session} reset: {n} exercise(s) removed"), session=args.session, n=n)
    return 0


def run_group(args: argparse.Namespace) -> int:
    from .. import services

    with _open(args) as store:
        user = sign_in(store, args)
        views = services.group_feedback(store, user, args.session, _rubric(store))
    if args.json:
        print(json.dumps({"space": "training", "session": args.session,
                          "cases": {ref: dataclasses.asdict(v) for ref, v in views.items()}},
                         ensure_ascii=False, indent=1))
        return 0
    say(args, MARK)
    for ref, v in views.items():
        fk = "-" if v.fleiss_kappa is None else f"{v.fleiss_kappa:.2f}"
        mk = "-" if v.mean_kappa is None else f"{v.mean_kappa:.2f}"
        missed = ", ".join(f"{ind} ({n})" for ind, n in v.most_missed[:5]) or "-"
        say(args, N_("{ref}: {n} trainee(s); Fleiss' kappa {fleiss}; kappa with the reference {mean}; outcome matches "
                     "{matches}/{n}; most missed: {missed}"),
            ref=ref, n=v.trainees, fleiss=fk, mean=mk, matches=v.outcome_matches, missed=missed)
    return 0
