"""`cases [--status S] [--json]`: the cases the acting user may see (`--json` for programs: the stored values)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ._common import Choices, add_as, add_db, open_db, sign_in


def _statuses() -> tuple[str, ...]:
    from ..model import CASE_STATUSES

    return CASE_STATUSES


def register(sub: Any) -> None:
    p = sub.add_parser("cases", help="list the cases you may see", description="List cases, newest first.")
    add_db(p)
    add_as(p)
    p.add_argument("--status", choices=Choices(_statuses), metavar="STATUS", help="only cases in this status: %(choices)s")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        user = sign_in(store, args)
        rows = services.list_cases(store, user, status=args.status, limit=args.limit)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2))
    else:  # for a reader: the run's language, dates as people write them, one tab between columns
        for r in rows:
            print("\t".join((r.ref, services.label("status", r.status, args.lang),
                             services.long_date(r.received_on, args.lang), services.label("form", r.form, args.lang),
                             services.label("route", r.route, args.lang))))
    return 0
