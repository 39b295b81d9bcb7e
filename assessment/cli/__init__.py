"""`python -m assessment ...`: the services for scripts, batch work and tests.

Each command group lives in its own module with a `register(subparsers)` function; this module only
assembles them and turns the project's errors into a message on stderr and an exit code
(2 for bad input, 3 for access refused, 1 for a failed check).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import AannemelijkError
from ..i18n import lang_from_env
from . import audit, cases, db, evaluation, importing, letter, score, users
from . import privacy as privacy_cli
from . import training as training_cli

# Command groups, in the order `--help` lists them.
COMMAND_MODULES = [score, db, cases, importing, users, audit, letter, evaluation, privacy_cli, training_cli]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assessment",
        description="Aannemelijk: multidisciplinary advice on the plausibility of victimhood of trafficking.",
    )
    parser.add_argument("--lang", dest="global_lang", choices=["nl", "en"],
                        help="language of messages and output (default: $LANG, else nl)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # One language per run: the command's --lang, else the global one, else the environment (LANG).
    args.lang = getattr(args, "lang", None) or args.global_lang or lang_from_env()
    try:
        code: int = args.handler(args)
        return code
    except AannemelijkError as exc:
        print(f"error: {exc.text(args.lang)}", file=sys.stderr)  # the prefix stays, for scripts
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
