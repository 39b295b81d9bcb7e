"""What the database commands share: `--db`, `--as`, opening the store, signing in."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

from ..errors import AuthenticationError
from ..i18n import N_

if TYPE_CHECKING:  # the store and the services load only when a command runs, so `--help` and `score` start fast
    from ..model import User
    from ..services import Store


def say(args: argparse.Namespace, message: str, /, *, stream: TextIO | None = None, **params: object) -> None:
    """Print a message (an id marked with `N_`) in the run's one language (`--lang`, else `LANG`)."""
    from .. import services

    print(services.gettext(args.lang, message, **params), file=stream or sys.stdout)


class Choices:
    """argparse `choices` read from the model when first used (parsing, or the command's own `--help`), so
    listing the commands (`python -m assessment --help`) does not import pydantic and the model. Give the
    argument a `metavar`: without one, argparse lists the choices as soon as the argument is added."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load

    @cached_property
    def _values(self) -> tuple[str, ...]:
        return tuple(self._load())

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $AANNEMELIJK_DB or var/aannemelijk.sqlite3)")


def add_as(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_user", default=os.environ.get("AANNEMELIJK_USER"),
                   help="act as this user (default $AANNEMELIJK_USER); password from $AANNEMELIJK_PASSWORD "
                        "or a prompt")


def open_db(args: argparse.Namespace) -> Store:
    from .. import services

    return services.open_store(services.load_settings(args.db))


def sign_in(store: Store, args: argparse.Namespace) -> User:
    """Authenticate the acting user, so the CLI obeys the same access matrix as the app."""
    from .. import services

    if not args.as_user:
        raise AuthenticationError(N_("Give --as USER (or set AANNEMELIJK_USER)"))
    password = os.environ.get("AANNEMELIJK_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AuthenticationError(N_("No password: set AANNEMELIJK_PASSWORD"))
        password = getpass.getpass(_text(args, N_("Password for {user}: "), user=args.as_user))
    return services.authenticate(store, args.as_user, password)


def _text(args: argparse.Namespace, message: str, /, **params: object) -> str:
    from .. import services

    return services.gettext(args.lang, message, **params)


def read_new_password(args: argparse.Namespace) -> str:
    """A new user's password: from stdin with --password-stdin, else prompted twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(_text(args, N_("New password: ")))
    if getpass.getpass(_text(args, N_("Again: "))) != first:
        raise AuthenticationError(N_("The passwords differ"))
    return first
