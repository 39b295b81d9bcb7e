"""`metrics`, `export`, `rescore`, `report`: the evaluators' workspace from the command line.

Facts come from the store through the evaluators' service (`--db`, `--as`); every figure and export is
protected by the disclosure rule (`--threshold`, default 10)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..i18n import N_
from ._common import add_as, add_db, open_db, say, sign_in

if TYPE_CHECKING:  # the evaluation package (numpy, statsmodels) loads only when one of these commands runs
    from ..evaluation.disclosure import DisclosureRule


def _common(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_as(p)
    p.add_argument("--threshold", type=int, default=10, help="disclosure threshold (default 10)")


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


def _rule(threshold: int) -> DisclosureRule:
    from ..evaluation.disclosure import DisclosureRule

    return DisclosureRule(threshold=threshold, min_denominator=threshold)


def _threshold(args: argparse.Namespace) -> DisclosureRule:
    if args.threshold < 1:
        raise ValidationError(N_("The threshold must be at least 1"), field="threshold")
    return _rule(args.threshold)


def _warn_skipped(args: argparse.Namespace, skipped: list[str]) -> None:
    if skipped:
        say(args, N_("{n} case(s) with inconsistent facts skipped"), n=len(skipped), stream=sys.stderr)


def _progress(what: str, done: int, total: int) -> None:
    print(f"\r{what}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def run_metrics(args: argparse.Namespace) -> int:
    from .. import services

    rule = _threshold(args)
    with open_db(args) as store:
        user = sign_in(store, args)
        result, skipped = services.pilot_figures(store, user, start=args.start, end=args.end, rule=rule)
    _warn_skipped(args, skipped)
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
        rule = _rule(args.threshold)
        result = services.full_export(store, user, Path(args.out), args.fmt, rule, progress=_progress)
        for path in result.paths:
            print(path)
        return 0
    if args.threshold < 1:
        raise ValidationError(N_("The threshold must be at least 1"), field="threshold")
    store = open_db(args)
    user = sign_in(store, args)
    rule = _rule(args.threshold)
    # Through the service, so an export from the training space is marked TRAINING.
    result, skipped = services.research_export(store, user, Path(args.out), args.fmt, rule, progress=_progress)
    _warn_skipped(args, skipped)
    for path in result.paths:
        print(path)
    return 0


def run_rescore(args: argparse.Namespace) -> int:
    from .. import services

    rubric = services.read_rubric_file(args.rubric)
    rule = _threshold(args)
    with open_db(args) as store:
        user = sign_in(store, args)
        result = services.whatif(store, user, rubric, rule=rule, progress=lambda d, t: _progress("rescore", d, t))
    if args.json:
        data = result.model_dump(mode="json")
        del data["changes"]  # case references stay out of what evaluators copy around; counts only
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(result.text(args.lang))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .. import services

    rule = _threshold(args)
    with open_db(args) as store:
        user = sign_in(store, args)
        metrics, skipped = services.pilot_figures(store, user, start=args.start, end=args.end, rule=rule)
    _warn_skipped(args, skipped)
    Path(args.out).write_bytes(services.pilot_report(metrics, args.lang))
    print(args.out)
    return 0
