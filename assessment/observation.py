"""An indicator observation: what one discipline recorded about one indicator in one case."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# "not_applicable": the indicator cannot apply to this person (e.g. family reunification for someone without
# family). It can never become present, like absent, but it is no counter-indication and no gap in the file.
Status = Literal["present", "absent", "unknown", "not_applicable"]
STATUSES: tuple[Status, ...] = ("present", "absent", "unknown", "not_applicable")


class Observation(BaseModel):
    """One discipline's rating of one indicator. A missing observation counts as `unknown`, never `absent`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discipline: str = Field(min_length=1, max_length=80)
    indicator: str = Field(min_length=1, max_length=160)
    status: Status
    source: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=20_000)
