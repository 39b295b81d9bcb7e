"""`init`, `demo`, `backup FILE`, `restore FILE`: the database as a file (operator commands, no --as)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AccessDeniedError, ValidationError
from ..i18n import N_
from ._common import add_db, open_db, read_new_password, say

if TYPE_CHECKING:  # the services and the store load only when a command runs
    from ..services import Store


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create or migrate the database",
                       description="Create the database (or migrate an existing one). With --admin, create the "
                                   "first administrator (password from a prompt or --password-stdin).")
    add_db(p)
    p.add_argument("--admin", help="username of the first administrator")
    p.add_argument("--password-stdin", action="store_true", help="read the admin's password from stdin")
    p.set_defaults(handler=run_init)

    p = sub.add_parser("demo", help="load the demo accounts and cases (demo mode only)",
                       description="Load the demo accounts (password 'demo') and pilot_data/cases/*.yaml. With "
                                   "--synthetic N: N invented cases (\"Synthetisch 00001\", ...) from a pilot-like "
                                   "or national-like profile, received over the 300 days before today, reproducible "
                                   "from --seed, registered through the services like any case.")
    add_db(p)
    p.add_argument("--synthetic", type=int, metavar="N", help="add N synthetic cases instead of the curated ones")
    p.add_argument("--profile", choices=["pilot", "national"], default="pilot", help="synthetic profile (default pilot)")
    p.add_argument("--seed", type=int, default=2018, help="random seed of the synthetic cases (default 2018)")
    p.set_defaults(handler=run_demo)

    p = sub.add_parser("backup", help="copy the live database to FILE (SQLite online backup)")
    add_db(p)
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=run_backup)

    p = sub.add_parser("restore", help="replace the database with FILE (refused if FILE fails integrity_check)")
    add_db(p)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true",
                   help="restore even if FILE is older than the database (the database is kept beside it first)")
    p.set_defaults(handler=run_restore)


def run_init(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        if args.admin:
            services.bootstrap_admin(store, args.admin, read_new_password(args))
        say(args, N_("Database ready: {path}"), path=store.path)
        token = None if args.admin or store.settings.demo else services.issue_setup_token(store)
        if token:
            # The token ends the line: scripts take the last word.
            say(args, N_("No administrator yet. One-time setup token for the web app (or use 'init --admin'): {token}"),
                token=token)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        if not store.settings.demo:
            raise AccessDeniedError(N_("Demo mode only (AANNEMELIJK_DEMO=1)"))
        try:
            rubric = services.shipped_rubric()
        except Exception:  # the shipped rubric is optional for the demo: cases then stop before the decision
            rubric = None
        if args.synthetic is not None:
            return _run_synthetic(store, args)
        refs = services.load_demo(store, rubric)
        say(args, N_("{n} demo cases loaded: {refs}"), n=len(refs), refs=", ".join(refs))
    return 0


def _run_synthetic(store: Store, args: argparse.Namespace) -> int:
    """`demo --synthetic N`: generated cases through the services (demo accounts created when missing)."""
    import datetime as dt

    from .. import services
    from ..synthetic import generate  # the generator is domain data, not a use case: no store, no user

    if args.synthetic < 1:
        raise ValidationError(N_("--synthetic N: N must be at least 1"), field="synthetic")
    services.load_demo_users(store)
    rubric = services.shipped_rubric()
    start = dt.date.today() - dt.timedelta(days=300)
    generated = generate(args.synthetic, args.profile, args.seed, rubric=rubric, start=start)
    refs = services.load_synthetic(store, services.user_by_name(store, "chair"), generated, rubric)
    say(args, N_("{n} synthetic cases ({profile}, seed {seed}): {first} … {last}"), n=len(refs), profile=args.profile,
        seed=args.seed, first=refs[0], last=refs[-1])
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        services.backup(store, Path(args.file))
        say(args, N_("Backup written: {file}"), file=args.file)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        kept = services.restore(store, Path(args.file), force=args.force)
        if kept is not None:
            say(args, N_("Current database kept as: {file}"), file=kept)
        say(args, N_("Restored from: {file}"), file=args.file)
    return 0
