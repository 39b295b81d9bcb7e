"""The panel's disciplines, read from pilot_data/disciplines.yaml: the only place they are defined.

Which disciplines exist, what they are called in each language, whether each holds a seat on the panel or
only informs it, which document sources belong to it and whether its input is special-category data: all
of it is data. Code asks this module (`ids()`, `seats()`, `name()`, ...) and never names a discipline,
so a deployment that seats other disciplines changes the file, not the code.

The file is strict like the rubric: unknown keys are errors, and every problem is reported at once with
file, line and field. `AANNEMELIJK_DISCIPLINES` points to another file (tests use a temporary copy).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from .config import PILOT_DATA
from .errors import DisciplinesFileError, Problem, RuleError
from .i18n import N_
from .model import ConsentScope, DocumentSource
from .yamlfile import Located, YamlProblem, parse_yaml, read_yaml_file, to_plain, validation_problems

DEFAULT_FILE = PILOT_DATA / "disciplines.yaml"
ENV = "AANNEMELIJK_DISCIPLINES"

DisciplineId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Names(BaseModel):
    """A discipline's name in each language the product speaks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nl: Name
    en: Name


class Discipline(BaseModel):
    """One discipline: a seat on the panel, or an information source that does not vote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: DisciplineId
    name: Names
    # The discipline as expertise in running text ("a panel with expertise in ..."); default: the name.
    expertise: Names | None = None
    # Who supplied evidence, as a letter cites it ("bron: ...; politie"); default: the expertise.
    cited_as: Names | None = None
    panel: Literal["seat", "source"]
    documents: list[DocumentSource] = Field(default_factory=list)
    special_category: bool = False
    consent: ConsentScope | None = None  # the consent special-category input rests on

    @model_validator(mode="after")
    def _consent_with_special_category(self) -> Discipline:
        if self.special_category and self.consent is None:
            raise RuleError(N_("special-category input needs the consent it rests on (consent: medical, ...)"))
        if not self.special_category and self.consent is not None:
            raise RuleError(N_("consent is only for a discipline with special_category: true"))
        return self

    @property
    def seat(self) -> bool:
        """Whether this discipline holds a seat (votes; counts for the quorum)."""
        return self.panel == "seat"

    def title(self, lang: str) -> str:
        """The name in `lang` (Dutch for any language but English)."""
        return self.name.en if lang == "en" else self.name.nl


class Registry(BaseModel):
    """The whole file: the disciplines in the order screens and tables list them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    disciplines: list[Discipline] = Field(min_length=1)

    @field_validator("disciplines")
    @classmethod
    def _unique_and_seated(cls, value: list[Discipline]) -> list[Discipline]:
        ids = [d.id for d in value]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise RuleError(N_("discipline ids must be unique; repeated: {ids}"), ids=", ".join(doubled))
        if not any(d.seat for d in value):
            raise RuleError(N_("at least one discipline must hold a seat on the panel (panel: seat)"))
        owners: dict[str, str] = {}
        for d in value:
            for source in d.documents:
                if source in owners:
                    raise RuleError(N_("document source {source} belongs to both {first} and {second}"),
                                    source=source, first=owners[source], second=d.id)
                owners[source] = d.id
        return value

    def get(self, discipline_id: str) -> Discipline | None:
        """The discipline with this id, or None."""
        return next((d for d in self.disciplines if d.id == discipline_id), None)


def _validate(located: Located) -> Registry:
    if not isinstance(located.data, dict):
        raise DisciplinesFileError([Problem.of(located.filename, 1, "", N_("the file must be a mapping with 'disciplines'"))])
    try:
        return Registry.model_validate(to_plain(located.data))
    except PydanticValidationError as exc:
        raise DisciplinesFileError(validation_problems(exc.errors(include_url=False), located)) from None


def parse_registry(raw: bytes | str, filename: str = "<disciplines>") -> Registry:
    """Validate a disciplines file from its text; raise DisciplinesFileError listing every problem."""
    try:
        return _validate(parse_yaml(raw, filename))
    except YamlProblem as exc:
        raise DisciplinesFileError([exc.problem]) from None


def load_registry(path: str | Path) -> Registry:
    """Read and validate a disciplines file."""
    try:
        return _validate(read_yaml_file(str(path)))
    except YamlProblem as exc:
        raise DisciplinesFileError([exc.problem]) from None


@cache
def _registry(path: str) -> Registry:
    return load_registry(path)


def registry() -> Registry:
    """The configured disciplines (`AANNEMELIJK_DISCIPLINES`, else pilot_data/disciplines.yaml), read once."""
    return _registry(os.environ.get(ENV) or str(DEFAULT_FILE))


def reload() -> None:
    """Forget the file read so far (after `AANNEMELIJK_DISCIPLINES` changed; tests)."""
    _registry.cache_clear()


def ids() -> tuple[str, ...]:
    """Every discipline id, seats and sources, in the file's order."""
    return tuple(d.id for d in registry().disciplines)


def seats() -> tuple[str, ...]:
    """The disciplines that hold a seat on the panel (their input counts for the quorum)."""
    return tuple(d.id for d in registry().disciplines if d.seat)


def is_seat(discipline_id: str) -> bool:
    """Whether this discipline holds a seat (False for an information source or an unknown id)."""
    found = registry().get(discipline_id)
    return found is not None and found.seat


def special_category(discipline_id: str) -> bool:
    """Whether this discipline's input is special-category (health) data, usable only with medical consent."""
    found = registry().get(discipline_id)
    return found is not None and found.special_category


def consent_needed(discipline_id: str) -> ConsentScope | None:
    """The consent scope this discipline's input rests on (special-category input), or None."""
    found = registry().get(discipline_id)
    return found.consent if found is not None and found.special_category else None


def special_categories() -> dict[str, str]:
    """Each special-category discipline with the consent scope its input rests on."""
    return {d.id: d.consent for d in registry().disciplines if d.special_category and d.consent is not None}


def expertise(discipline_id: str, lang: str) -> str:
    """The discipline as expertise in running text, in `lang` (lower case unless the file says otherwise)."""
    found = registry().get(discipline_id)
    if found is None:
        return discipline_id
    if found.expertise is not None:
        return found.expertise.en if lang == "en" else found.expertise.nl
    text = found.title(lang)
    return text[:1].lower() + text[1:]


def cited_as(discipline_id: str, lang: str) -> str:
    """How a letter names this discipline as the supplier of evidence, in `lang`."""
    found = registry().get(discipline_id)
    if found is None or found.cited_as is None:
        return expertise(discipline_id, lang)
    return found.cited_as.en if lang == "en" else found.cited_as.nl


def name(discipline_id: str, lang: str) -> str:
    """The discipline's name in `lang`; an id no longer configured (an old record) is shown as itself."""
    found = registry().get(discipline_id)
    return found.title(lang) if found is not None else discipline_id


def owner_of(document_source: str) -> str | None:
    """The discipline a document source belongs to, if any."""
    return next((d.id for d in registry().disciplines if document_source in d.documents), None)

