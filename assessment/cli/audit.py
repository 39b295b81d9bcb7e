"""`audit verify`: check the audit log's hash chain; exit 1 naming the first broken event."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import N_
from ._common import add_db, open_db, say


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="the audit trail")
    cmds = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = cmds.add_parser("verify", help="verify the hash chain (exit 1 if broken)")
    add_db(v)
    v.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from .. import services

    # An operator check on the file itself: it shows no content, only whether the chain holds.
    with open_db(args) as store:
        n = services.check_audit_chain(store)
    say(args, N_("Audit log intact: {n} events"), n=n)
    return 0
