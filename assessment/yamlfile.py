"""Reading YAML (and JSON, a subset of it) from untrusted files, with line numbers for every value.

Rubrics and case files come from people outside the team, so the reader refuses what could hang or
exhaust memory before building it: files over a size limit, anchors and aliases (the "billion laughs"
bomb needs them, and no rubric does), and nesting deeper than any real file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

from .errors import Problem
from .fileplaces import explain, place, readable_loc, rule_loc
from .i18n import N_, Msg, Number

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000


class YamlProblem(Exception):
    """Raised inside this module; callers turn it into their own error type with `problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Located:
    """A parsed document and the means to find the line of any value in it."""

    data: Any
    filename: str

    def line_of(self, loc: Sequence[int | str]) -> int | None:
        """1-based line of the value at `loc` (keys and list indexes), or of its nearest parent found."""
        node: Any = self.data
        line: int | None = 1
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        return line


def _problem(filename: str, line: int | None, message: str, /, **params: object) -> YamlProblem:
    """A problem of the file as a whole (or of one line): said in the reader's language, the English in the log.
    A size is written as the reader's language writes numbers; the log keeps the plain figure."""
    plain = {k: v.value if isinstance(v, Number) else v for k, v in params.items()}
    return YamlProblem(Problem(filename, line, "", Msg(message, plain).text("en"), says=Msg(message, params)))


class _Refused(Exception):
    """Raised by the composer below at the first node that is refused; parse_yaml names the file."""

    def __init__(self, line: int | None, message: str, /, **params: object) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.params = params


class _CheckingComposer(Composer):
    """ruamel's composer, refusing aliases, anchors, deep nesting and node floods at the node where they
    start, before it is built. The checks ride on the one parse that builds the document (a separate pass
    over the events first cost as much again: half the time of reading a case file)."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent):
            raise _Refused(line, N_("aliases (*name) are not allowed; write the value out"))
        if getattr(event, "anchor", None):
            raise _Refused(line, N_("anchors (&name) are not allowed; write the value out"))
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(line, N_("more than {n} values; this is not a real file"), n=Number(MAX_NODES))
        # self.depth counts the nodes around this one, every one of them a mapping or a sequence
        if isinstance(event, MappingStartEvent | SequenceStartEvent) and self.depth + 1 > MAX_DEPTH:
            raise _Refused(line, N_("nested deeper than {n} levels"), n=MAX_DEPTH)
        return super().compose_node(parent, index)


def parse_yaml(raw: bytes | str, filename: str) -> Located:
    """Parse one YAML or JSON document safely; raise YamlProblem with file and line when it cannot."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise _problem(filename, None, N_("file is {size} bytes; the limit is {limit}"), size=Number(len(raw)),
                           limit=Number(MAX_BYTES))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _problem(filename, None, N_("not UTF-8 text (byte {n})"), n=exc.start) from None
    else:
        text = raw
        if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
            raise _problem(filename, None, N_("file is larger than the limit of {limit} bytes"), limit=Number(MAX_BYTES))
    if "\x00" in text:
        raise _problem(filename, None, N_("file contains NUL bytes; it is not a text file"))
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _CheckingComposer
    try:
        data = yaml.load(text)
    except _Refused as exc:
        raise _problem(filename, exc.line, exc.message, **exc.params) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise _problem(filename, line, N_("not valid YAML: {reason}"), reason=exc.problem or exc.context) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise _problem(filename, None, N_("not valid YAML: {reason}"), reason=str(exc)) from None
    return Located(data=data, filename=filename)


def read_file_bytes(path: str) -> bytes:
    """A file's bytes (at most one past the size limit, which parse_yaml then refuses); unreadable: YamlProblem."""
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _problem(path, None, N_("cannot read file: {reason}"), reason=exc.strerror) from None


def read_yaml_file(path: str) -> Located:
    """Read and parse a file; a missing or unreadable file is a YamlProblem too."""
    return parse_yaml(read_file_bytes(path), path)


def validation_problems(errors: list[Any], located: Located) -> list[Problem]:
    """pydantic's errors (`exc.errors()`) as Problems with file, line and a readable field path, once each;
    each also says where and what in the words of the file's editor (assessment/fileplaces.py)."""
    problems = []
    for err in errors:
        loc = rule_loc(err, readable_loc(err["loc"]))  # union members add their type name; drop those
        problems.append(Problem(located.filename, located.line_of(loc), ".".join(str(p) for p in loc), err["msg"],
                                place=place(located.data, loc), says=explain(err)))
    return unique_problems(problems)


def unique_problems(problems: list[Problem]) -> list[Problem]:
    """The problems in order, without repeats (a union can report the same mistake per member)."""
    seen: set[tuple[int | None, str, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def to_plain(value: Any) -> Any:
    """ruamel's round-trip containers to plain dicts and lists (for pydantic and hashing)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str | int | bool) else k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
