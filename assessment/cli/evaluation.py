"""`metrics`, `export`, `rescore`, `report`: the evaluators' workspace from the command line (`metrics
--exact`: the internal workspace's exact counts, recorded in the audit log); `disclosure`: the
administrator's setting that protects the rest.

Facts come from the store through the evaluators' service (`--db`, `--as`); every figure and export is
protected by the deployment's disclosure rule, which no evaluator can change: there is no threshold option
here (issue #14), only `disclosure set` for an administrator, with a reason, recorded in the audit log."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..i18n import N_
from ._common import add_as, add_db, open_db, say, sign_in


def _common(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_as(p)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def register(sub: Any) -> None:
    p = sub.add_parser("metrics", help="pilot figures with disclosure control (evaluators)")
    _common(p)
    p.add_argument("--from", dest="start", type=_date, help="first day of application (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=_date, help="last day of application (YYYY-MM-DD)")
    p.add_argument("--lang", choices=["nl", "en"], help="language (default: $LANG, else nl)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--exact", action="store_true",
                   help="exact counts for the evaluation team (the internal workspace; recorded in the audit log)")
    p.set_defaults(handler=run_metrics)

    p = sub.add_parser("export", help="research export (evaluators) or full export (administrators)")
    _common(p)
    p.add_argument("--profile", choices=["research", "full"], default="research")
    p.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--out", required=True, help="directory (csv) or file (xlsx)")
    p.set_defaults(handler=run_export)

    p = sub.add_parser("rescore", help="what-if: re-score decided cases under another rubric; changes nothing")
    _common(p)
    p.add_argument("--rubric", required=True, help="rubric file")
    p.add_argument("--lang", choices=["nl", "en"], help="language (default: $LANG, else nl)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_rescore)

    p = sub.add_parser("report", help="the pilot report for a period as PDF")
    _common(p)
    p.add_argument("--from", dest="start", type=_date, required=True)
    p.add_argument("--to", dest="end", type=_date, required=True)
    p.add_argument("--lang", choices=["nl", "en"], help="language (default: $LANG, else nl)")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.set_defaults(handler=run_report)

    p = sub.add_parser("disclosure", help="the disclosure setting: show it, or set it (administrators)")
    _common(p)
    p.add_argument("--threshold", type=int, help="new threshold (at least 10)")
    p.add_argument("--new-pseudonyms", action="store_true",
                   help="start a new generation of research pseudonyms (unlinkable to earlier exports)")
    p.add_argument("--reason", help="why the setting changes (required with a change; kept in the audit log)")
    p.set_defaults(handler=run_disclosure)


def _warn_skipped(args: argparse.Namespace, skipped: list[str] | int) -> None:
    n = skipped if isinstance(skipped, int) else len(skipped)
    if n:
        say(args, N_("{n} case(s) with inconsistent facts skipped"), n=n, stream=sys.stderr)


def _progress(what: str, done: int, total: int) -> None:
    print(f"\r{what}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def run_metrics(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        user = sign_in(store, args)
        if args.exact:
            exact = services.workspace_figures(store, user, start=args.start, end=args.end)
            result, n_skipped = exact.metrics, exact.skipped
        else:
            result, skipped = services.pilot_figures(store, user, start=args.start, end=args.end)
            n_skipped = len(skipped)
    _warn_skipped(args, n_skipped)
    print(
        json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1)
        if args.json
        else result.text(args.lang)
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from .. import services

    if args.profile == "full":
        store = open_db(args)
        user = sign_in(store, args)
        result = services.full_export(store, user, Path(args.out), args.fmt, progress=_progress)
        for path in result.paths:
            print(path)
        return 0
    store = open_db(args)
    user = sign_in(store, args)
    # Through the service, so an export from the training space is marked TRAINING.
    result, skipped = services.research_export(store, user, Path(args.out), args.fmt, progress=_progress)
    _warn_skipped(args, skipped)
    for path in result.paths:
        print(path)
    return 0


def run_rescore(args: argparse.Namespace) -> int:
    from .. import services

    rubric = services.read_rubric_file(args.rubric)
    with open_db(args) as store:
        user = sign_in(store, args)
        result = services.whatif(store, user, rubric, progress=lambda d, t: _progress("rescore", d, t))
    if args.json:
        data = result.model_dump(mode="json")
        del data["changes"]  # case references stay out of what evaluators copy around; counts only
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(result.text(args.lang))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        user = sign_in(store, args)
        metrics, skipped = services.pilot_figures(store, user, start=args.start, end=args.end)
    _warn_skipped(args, skipped)
    Path(args.out).write_bytes(services.pilot_report(metrics, args.lang))
    print(args.out)
    return 0


def run_disclosure(args: argparse.Namespace) -> int:
    from .. import services

    with open_db(args) as store:
        if args.threshold is not None or args.new_pseudonyms:
            user = sign_in(store, args)
            setting = services.configure_disclosure(store, user, reason=args.reason or "", threshold=args.threshold,
                                                    new_pseudonyms=args.new_pseudonyms)
        else:
            setting = services.disclosure_setting(store)
    print(json.dumps(setting.model_dump(), indent=1))
    return 0
