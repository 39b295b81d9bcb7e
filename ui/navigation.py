"""Which screens exist and which roles may open them (navigation shows only these; services enforce)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import Role


@dataclass(frozen=True)
class Screen:
    path: str  # relative to app.py
    title: str  # English message id, translated when shown
    icon: str
    roles: tuple[Role, ...]


SCREENS: tuple[Screen, ...] = (
    Screen("ui/cases.py", "Cases", ":material/folder_open:", ("secretary", "member", "chair", "trainer", "trainee")),
    Screen("ui/intake.py", "Intake & admissibility", ":material/assignment_add:", ("secretary", "chair", "trainer")),
    Screen("ui/file.py", "File", ":material/description:", ("secretary", "member", "chair", "trainer", "trainee")),
    Screen("ui/input.py", "Discipline input", ":material/edit_note:", ("member",)),
    Screen("ui/hearing.py", "Hearing", ":material/record_voice_over:", ("secretary", "member", "chair", "trainer")),
    Screen("ui/deliberation.py", "Deliberation", ":material/balance:", ("member", "chair", "trainer")),
    Screen("ui/decision.py", "Decision", ":material/gavel:", ("chair", "trainer")),
    # who may preview the letter (access.POLICY "letter.preview"); issuing is the chair's, checked on the page
    Screen("ui/letter.py", "Letter", ":material/mail:", ("secretary", "chair", "trainer")),
    Screen("ui/evaluation.py", "Evaluation", ":material/analytics:", ("evaluator",)),
    Screen("ui/admin.py", "Administration", ":material/admin_panel_settings:", ("admin",)),
)


def screens_for(role: str) -> list[Screen]:
    """The screens a role may open, in menu order."""
    return [s for s in SCREENS if role in s.roles]
