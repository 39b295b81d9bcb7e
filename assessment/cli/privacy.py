"""`retention apply [--dry-run]` and `subject-export REFERENCE --out PATH`: privacy over time.

Both sign in (`--as`), so the access matrix applies: retention is an administrator's task, a subject's
access request is answered by the secretary or the chair.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..i18n import N_
from ._common import add_as, add_db, open_db, say, sign_in


def register(sub: Any) -> None:
    p = sub.add_parser("retention", help="remove personal data of cases past their retention period (admin)")
    cmds = p.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    a = cmds.add_parser(
        "apply", help="remove the personal data and free text of expired cases",
        description="Remove the personal data and free text of every case closed more than the retention period "
                    "ago (AANNEMELIJK_RETENTION_DAYS, default five years); the analysable facts and a valid audit "
                    "chain remain, and one audit event per case records what was removed.")
    a.add_argument("--dry-run", action="store_true", help="list what would be removed; change nothing")
    a.add_argument("--json", action="store_true", help="print the result as JSON")
    add_db(a)
    add_as(a)
    a.set_defaults(handler=run_retention)

    s = sub.add_parser(
        "subject-export", help="everything held about the applicant of one case (secretary, chair)",
        description="Write everything the database holds about the applicant of REFERENCE: PATH (JSON), PATH with "
                    ".md (readable) and the attachments and letters in <PATH stem>-files/.")
    s.add_argument("reference", metavar="REFERENCE", help="the case reference, e.g. AAN-2026-0001")
    s.add_argument("--out", required=True, help="the JSON file to write (the .md is written beside it)")
    add_db(s)
    add_as(s)
    s.set_defaults(handler=run_subject_export)


def run_retention(args: argparse.Namespace) -> int:
    from .. import services
    from ..errors import RetentionIncompleteError

    with open_db(args) as store:
        user = sign_in(store, args)
        try:
            done = services.apply_retention(store, user, dry_run=args.dry_run)
        except RetentionIncompleteError as exc:  # what was removed stays reported; the error says run again
            _report(args, exc.done)
            raise
    return _report(args, done)


def _report(args: argparse.Namespace, done: list[Any]) -> int:
    if args.json:
        print(json.dumps([{"ref": c.ref, "closed_on": c.closed_on.isoformat(), "expired_on": c.expired_on.isoformat(),
                           "rows": c.rows, "audit_events": c.audit_events} for c in done], indent=2))
        return 0
    line = (N_("{ref}  closed {closed}  expired {expired}  would remove: {rows}; audit: {events}") if args.dry_run else
            N_("{ref}  closed {closed}  expired {expired}  removed: {rows}; audit: {events}"))
    for c in done:
        rows = ", ".join(f"{t}: {n}" for t, n in sorted(c.rows.items())) or "-"
        say(args, line, ref=c.ref, closed=c.closed_on, expired=c.expired_on, rows=rows, events=c.audit_events)
    say(args, N_("{n} case(s) (dry run)") if args.dry_run else N_("{n} case(s)"), n=len(done))
    return 0


def run_subject_export(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        user = sign_in(store, args)
        export = services.subject_export(store, user, args.reference)
    for path in services.write_subject_export(export, Path(args.out), args.lang):
        print(path)
    return 0
