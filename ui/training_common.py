"""What the training pages share: the TRAINING banner and the training navigation."""

from __future__ import annotations

import streamlit as st

from ui.i18n import _
from ui.navigation import SCREENS, Screen

TRAINING_SCREENS: tuple[Screen, ...] = (
    Screen("ui/training_trainer.py", "Training sessions", ":material/school:", "training.manage"),
    Screen("ui/training_trainee.py", "My training cases", ":material/school:", "training.assess"),
)


def banner() -> None:
    """The banner every page of the training space shows."""
    st.error("**TRAINING** — " + _("training space with invented cases; nothing here is a real case or advice."),
             icon=":material/school:")


def training_screens_for(role: str) -> list[Screen]:
    """The screens of the training space: the training pages, and the case list and file to read a case."""
    readable = [s for s in SCREENS if s.path in ("ui/cases.py", "ui/file.py") and role in s.roles]
    return [s for s in TRAINING_SCREENS if role in s.roles] + readable
