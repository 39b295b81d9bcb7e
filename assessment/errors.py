"""The project's errors: one base, one small class per meaning, messages written for the user.

An error carries a message id (English, marked with `N_` so the catalogues have it) and its parameters; the
edge translates it into the user's one language with `error.text(lang)` (a page in the user's language,
the CLI following `--lang` or `LANG`). `str(error)` is the English text, for logs. A parameter that is
itself translatable (`Msg`, or a vocabulary term) is translated in the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import N_, gettext
from .i18n import Msg as Msg  # re-exported: errors carry messages as parameters
from .i18n import Translatable as Translatable


class AannemelijkError(Exception):
    """Base of every error this project raises on purpose."""

    exit_code = 2

    def __init__(self, message: str = "", /, **params: object) -> None:
        super().__init__(message)
        self.message_id = message
        self.params = params

    def text(self, lang: str) -> str:
        """The message in `lang` (an id the catalogues do not know is shown as it is)."""
        return Msg(self.message_id, self.params).text(lang) if self.params else _plain(self.message_id, lang)

    def __str__(self) -> str:
        return self.text("en")


def _plain(message: str, lang: str) -> str:
    return gettext(lang, message)


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as precisely as we can."""

    file: str
    line: int | None
    field: str  # the machine path ("profiles.0.indicators.coercion.m1.tier"), for the log and tests
    message: str  # in English, for the log
    # For the person editing the file, in their language: where (the item's id, the field's human name) and
    # what is wrong. None where the machine form is all there is.
    place: Translatable | None = None
    says: Translatable | None = None

    @classmethod
    def of(cls, file: str, line: int | None, field: str, message: str, /, **params: object) -> Problem:
        """A problem whose text is a message id (marked with `N_`): said in the reader's language, English in
        the log."""
        says = Msg(message, params)
        return cls(file, line, field, says.text("en"), says=says)

    def where(self, lang: str) -> str:
        return self.place.text(lang) if self.place is not None else self.field

    def what(self, lang: str) -> str:
        return self.says.text(lang) if self.says is not None else self.message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def said(self, lang: str) -> str:
        """The problem as its editor reads it in `lang` (file and line, then where and what in the file's own
        words); the machine form (`str`) where no readable one is known."""
        if self.says is None:
            return str(self)
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.where(lang)}: {self.what(lang)}" if self.place is not None or self.field else \
            f"{where}: {self.what(lang)}"


@dataclass(frozen=True)
class ProblemLines:
    """A file's problems, one an indented line, each said in the reader's language (an error's parameter)."""

    problems: tuple[Problem, ...]

    def text(self, lang: str) -> str:
        return "\n".join(f"  {p.said(lang)}" for p in self.problems)


class InvalidFileError(AannemelijkError):
    """An input file (rubric, case file) has one or more problems; all are listed at once."""

    def __init__(self, kind: str, problems: list[Problem]) -> None:
        self.kind = kind
        self.problems = problems
        lines = ProblemLines(tuple(problems))
        message = N_("Invalid {kind} (1 problem):\n{lines}") if len(problems) == 1 else N_(
            "Invalid {kind} ({n} problems):\n{lines}")
        super().__init__(message, kind=Msg(kind), n=len(problems), lines=lines)


class RubricError(InvalidFileError):
    """A rubric file is malformed or breaks a rule of the schema."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("rubric"), problems)


class CaseFileError(InvalidFileError):
    """A case file (for `score` or for import) is malformed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("case file"), problems)


class DisciplinesFileError(InvalidFileError):
    """The disciplines file (pilot_data/disciplines.yaml) is malformed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("disciplines file"), problems)


class UnknownIndicatorError(AannemelijkError):
    """An observation names an indicator the chosen profile does not have."""


class UnknownProfileError(AannemelijkError):
    """A profile id the rubric does not define."""


class InvalidStatusError(AannemelijkError):
    """An observation status other than present, absent, unknown or not_applicable."""


class NotFoundError(AannemelijkError):
    """A case, user, document or other record does not exist (or is not visible to this user)."""


class AccessDeniedError(AannemelijkError):
    """The user's role may not perform this action on this record."""

    exit_code = 3


class DeclarationNeededError(AccessDeniedError):
    """A panel member reads or acts on a case before personally declaring no conflict of interest."""


class ConflictError(AannemelijkError):
    """Someone else saved the record first; nothing was overwritten."""

    def __init__(self, message: str, /, *, current: object = None, **params: object) -> None:
        super().__init__(message, **params)
        self.current = current


class ValidationError(AannemelijkError):
    """A value entered by a user breaks a rule (a date in the wrong order, a missing reason, ...)."""

    def __init__(self, message: str, /, *, field: str = "", **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class RuleError(ValidationError, ValueError):
    """A ValidationError found by a pydantic validator (a rule across a model's fields). pydantic passes only a
    ValueError on, so this is one too; its message id reaches the reader in their language through
    fileplaces.explain (a file's editor, `Invalid user: ...`) or a page's field message."""


class LifecycleError(AannemelijkError):
    """The action does not fit the case's current stage (e.g. deciding a case without quorum)."""


class ConsentError(AannemelijkError):
    """The action needs a consent the applicant has not given, or has revoked."""


class StorageError(AannemelijkError):
    """The database cannot be opened or written (corrupt, foreign, full, locked for too long)."""


class RetentionIncompleteError(AannemelijkError):
    """Retention removed the text, but the WAL could not be folded into the database file (a reader held an
    older snapshot), so earlier versions of the pages may still hold it: retention must be run again. `done`
    says what was removed (already committed)."""

    exit_code = 1

    def __init__(self, message: str = "", /, done: list[Any] | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.done = done or []


class AuthenticationError(AannemelijkError):
    """Sign-in failed: wrong user or password, locked or disabled account."""

    exit_code = 3


class TemplateError(AannemelijkError):
    """A letter template is invalid: syntax error or undeclared variable; names template and line."""


class ExportError(AannemelijkError):
    """An export cannot be made as asked; nothing was written."""


class AuditChainError(AannemelijkError):
    """The audit log's hash chain is broken; names the first event that was changed, removed or reordered."""

    exit_code = 1


class LetterConsistencyError(AannemelijkError):
    """A letter does not match the recorded decision (conclusion, reasons or rubric version); it cannot be issued.
    `field` names where the fix is made (see LETTER_FIELDS in services.letter_context), when one place is."""

    def __init__(self, message: str, /, *, field: str = "", **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class LetterIntegrityError(AannemelijkError):
    """A stored letter's bytes no longer match the SHA-256 recorded when it was issued."""

    exit_code = 1


class TrainingSpaceError(AannemelijkError):
    """A training database opened as the production one, or the other way round, or training work asked of
    the production space; refused so training data and real cases never mix."""

    exit_code = 3
