"""`import FILE...`: import curated case files (demo or training databases only), each all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import AccessDeniedError
from ..i18n import N_
from ._common import add_as, add_db, open_db, say, sign_in


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import case files (demo or training database only)",
                       description="Import case files in the case-file format (pilot_data/cases/*.yaml). "
                                   "Each file is stored whole or not at all.")
    add_db(p)
    add_as(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--texts", choices=("nl", "en"), default="nl", help="the language of the texts stored (default nl)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        # The members' steps of a case file are taken as the demo member of each discipline: only where
        # those accounts are demo accounts (a demo or training database), never in a real one.
        if not (store.settings.demo or store.settings.training):
            raise AccessDeniedError(N_("Importing case files is for demo and training databases only"))
        user = sign_in(store, args)
        rubric = services.shipped_rubric()
        for path in args.files:
            ref = services.import_case_file(store, user, path, rubric, lang=args.texts)
            say(args, N_("{file}: imported as {ref}"), file=path, ref=ref)
    return 0
