"""Settings: where the database lives, the quorum, stage deadlines, and whether demo accounts may sign in.

Read from the command line (`--db`) and the environment (`AANNEMELIJK_DB`, `AANNEMELIJK_DEMO`,
`AANNEMELIJK_QUORUM`); everything else keeps its default. The settings travel with the opened store, so a
service never reads the environment itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from .deadlines import DEFAULT_DEADLINES
from .errors import RuleError, ValidationError
from .i18n import N_, Msg

ROOT = Path(__file__).resolve().parent.parent
# The data shipped with the tool: the disciplines, the rubrics, the curated synthetic cases.
PILOT_DATA = ROOT / "pilot_data"
DEFAULT_DB = ROOT / "var" / "aannemelijk.sqlite3"
# The training space is a separate file, marked as such inside it (assessment.store checks the mark on open).
DEFAULT_TRAINING_DB = ROOT / "var" / "training.sqlite3"
# The audit key lives outside the database file (assessment.integrity); in production it comes from the
# deployment's secrets (AANNEMELIJK_AUDIT_KEY_FILE). This default serves the embedded demo database.
DEFAULT_AUDIT_KEY = ROOT / "var" / "audit.key"



class Settings(BaseModel):
    """The settings one opened store works with. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    db_path: Path = DEFAULT_DB
    demo: bool = True
    training: bool = False  # this process works in the training space (a training database only)
    # Disciplines holding a seat (pilot_data/disciplines.yaml) whose submitted input a decision needs.
    quorum_min_disciplines: int = Field(default=3, ge=1)
    # Days per stage, from the event that opens it (assessment.deadlines says what each term means).
    deadlines: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    application_term_days: int = 28  # the 4-week term after dismissal or acquittal
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    max_attachment_bytes: int = 20 * 1024 * 1024
    attachment_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png", "text/plain")
    # Days after closing (letter issued, withdrawn, inadmissible) before `retention apply` removes the
    # personal data; five years, as the letter's privacy notice says. AANNEMELIJK_RETENTION_DAYS overrides.
    retention_days: int = Field(default=5 * 365 + 1, ge=1)
    # The audit key (HMAC of the chain, outside the database) and the append-only anchor file of the chain's
    # head (None: `<db>.audit-anchor`). See assessment.integrity and docs/deployment.md.
    audit_key_file: Path = DEFAULT_AUDIT_KEY
    anchor_file: Path | None = None

    @property
    def anchor_path(self) -> Path:
        """Where the anchor lines of this database go."""
        return self.anchor_file or self.db_path.with_name(self.db_path.name + ".audit-anchor")

    @field_validator("quorum_min_disciplines")
    @classmethod
    def _quorum_fits_the_panel(cls, value: int) -> int:
        from . import disciplines  # the registry needs ROOT from this module

        seats = len(disciplines.seats())
        if value > seats:
            raise RuleError(N_("the quorum ({value}) is larger than the number of seats on the panel ({seats})"),
                            value=value, seats=seats)
        return value


def _flag(value: str, name: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on", "ja"):
        return True
    if v in ("0", "false", "no", "off", "nee"):
        return False
    raise ValidationError(N_("{name}={value}: use 1 or 0"), name=name, value=repr(value), field=name)


def load_settings(db: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `--db` (wins), then the environment, then the defaults.

    Demo mode defaults to on only for the embedded default database, so a database created elsewhere
    never accepts the well-known demo passwords unless `AANNEMELIJK_DEMO=1` says so."""
    env = os.environ if env is None else env
    path = Path(db) if db else Path(env["AANNEMELIJK_DB"]) if env.get("AANNEMELIJK_DB") else DEFAULT_DB
    demo_env = env.get("AANNEMELIJK_DEMO")
    demo = _flag(demo_env, "AANNEMELIJK_DEMO") if demo_env else path.resolve() == DEFAULT_DB.resolve()
    values: dict[str, object] = {"db_path": path, "demo": demo}
    for field, name in _NUMBERS.items():
        if env.get(name):
            try:
                values[field] = int(env[name])
            except ValueError:
                raise ValidationError(N_("{name}={value}: {what}"), name=name, value=repr(env[name]),
                                      what=Msg(N_("should be a whole number")), field=name) from None
    values.update(_integrity_env(env))
    if env.get("AANNEMELIJK_SPACE", "").strip().lower() == "training":
        return load_training_settings(db, env)
    return _validated(values, env)


# The settings read from a number in the environment: the field, and the variable that sets it.
_NUMBERS = {"quorum_min_disciplines": "AANNEMELIJK_QUORUM", "retention_days": "AANNEMELIJK_RETENTION_DAYS"}


def _validated(values: dict[str, object], env: Mapping[str, str]) -> Settings:
    """The settings, or the first wrong one said as the administrator set it (the variable and its value) and
    what is wrong in the reader's language, never pydantic's English report."""
    from .fileplaces import explain  # fileplaces names pydantic's errors; it needs nothing from here

    try:
        return Settings.model_validate(values)
    except PydanticValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        name = _NUMBERS.get(field, field)
        value = env[name] if name in env else error.get("input")
        raise ValidationError(N_("{name}={value}: {what}"), name=name, value=repr(value), what=explain(error),
                              field=name) from None


def _integrity_env(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    if env.get("AANNEMELIJK_AUDIT_KEY_FILE"):
        values["audit_key_file"] = Path(env["AANNEMELIJK_AUDIT_KEY_FILE"])
    if env.get("AANNEMELIJK_AUDIT_ANCHOR"):
        values["anchor_file"] = Path(env["AANNEMELIJK_AUDIT_ANCHOR"])
    return values


def load_training_settings(db: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings of the training space: `--db`, else `AANNEMELIJK_TRAINING_DB`, else var/training.sqlite3;
    demo accounts on (training data is synthetic). `AANNEMELIJK_SPACE=training` makes `load_settings`
    return these, which is how the app and the CLI are started in the training space."""
    env = os.environ if env is None else env
    path = Path(db) if db else Path(env["AANNEMELIJK_TRAINING_DB"]) if env.get("AANNEMELIJK_TRAINING_DB") \
        else DEFAULT_TRAINING_DB
    return _validated({"db_path": path, "demo": True, "training": True, **_integrity_env(env)}, env)


def cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """Where parsed rubrics are kept between runs (assessment.parsecache): $AANNEMELIJK_CACHE_DIR (empty: no
    cache), else $XDG_CACHE_HOME/aannemelijk, else ~/.cache/aannemelijk."""
    env = os.environ if env is None else env
    configured = env.get("AANNEMELIJK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aannemelijk"
