"""The stateless case file that `score` reads: a profile and either consolidated indicators or observations.

    profile: adult_sexual
    observations:
      - {discipline: police, indicator: coercion_destination.documents, status: present, source: "PV 2018-113"}

or, already consolidated:

    profile: adult_sexual
    indicators: {coercion_destination.documents: present, exploitation.low_salary: unknown}
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from .errors import CaseFileError, Problem
from .observation import Observation, Status
from .yamlfile import Located, YamlProblem, parse_yaml, to_plain, validation_problems


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: str | None = Field(default=None, max_length=80)
    indicators: dict[str, Status] | None = None
    observations: list[Observation] | None = Field(default=None, max_length=100_000)


def parse_case_file(raw: bytes | str, filename: str = "<case>") -> CaseFile:
    """Validate a case file; every problem is reported with file, line and field."""
    try:
        located = parse_yaml(raw, filename)
    except YamlProblem as exc:
        raise CaseFileError([exc.problem]) from None
    return _validate(located)


def read_case_file(path: str | Path) -> CaseFile:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CaseFileError([Problem(str(path), None, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_case_file(raw, str(path))


def _validate(located: Located) -> CaseFile:
    if not isinstance(located.data, dict):
        raise CaseFileError([Problem(located.filename, 1, "", "a case file must be a mapping of keys to values")])
    try:
        case = CaseFile.model_validate(to_plain(located.data))
    except PydanticValidationError as exc:
        raise CaseFileError(validation_problems(exc.errors(include_url=False), located)) from None
    if (case.indicators is None) == (case.observations is None):
        raise CaseFileError([Problem(located.filename, 1, "", "give either 'indicators' or 'observations'")])
    return case
