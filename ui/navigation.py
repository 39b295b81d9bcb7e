"""Which screens exist, and the policy action each one serves: navigation shows a screen to the roles
`access.POLICY` lets perform that action (services enforce every action again)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment import services
from assessment.model import Role


@dataclass(frozen=True)
class Screen:
    path: str  # relative to app.py
    title: str  # English message id, translated when shown
    icon: str
    action: str  # the access.POLICY action whose roles may open this screen

    @property
    def roles(self) -> tuple[Role, ...]:
        return services.roles_for(self.action)


SCREENS: tuple[Screen, ...] = (
    Screen("ui/cases.py", "Cases", ":material/folder_open:", "case.list"),
    Screen("ui/intake.py", "Intake & admissibility", ":material/assignment_add:", "case.create"),
    Screen("ui/file.py", "File", ":material/description:", "case.view"),
    Screen("ui/input.py", "Discipline input", ":material/edit_note:", "input.edit"),
    Screen("ui/hearing.py", "Hearing", ":material/record_voice_over:", "hearing.record"),
    # members come here to see the panel's result and record dissent; the chair opens deliberation
    Screen("ui/deliberation.py", "Deliberation", ":material/balance:", "dissent.record"),
    Screen("ui/decision.py", "Decision", ":material/gavel:", "decision.record"),
    # who may preview the letter; issuing is the chair's, asked on the page
    Screen("ui/letter.py", "Letter", ":material/mail:", "letter.preview"),
    Screen("ui/evaluation.py", "Evaluation", ":material/analytics:", "analysable.read"),
    Screen("ui/audit.py", "Audit trail", ":material/history:", "audit.case"),
    Screen("ui/admin.py", "Administration", ":material/admin_panel_settings:", "users.manage"),
)


def screens_for(role: str) -> list[Screen]:
    """The screens a role may open, in menu order."""
    return [s for s in SCREENS if role in s.roles]


# The screen where each step a case waits for is done (assessment/services/tasks.py: the Cases screen's tasks).
STEP_SCREEN = {"admissibility": "ui/intake.py", "seat_panel": "ui/intake.py", "consent": "ui/intake.py",
               "declare": "ui/input.py", "input": "ui/input.py", "submit": "ui/input.py", "file_complete": "ui/file.py",
               "hearing_report": "ui/hearing.py",
               "open_deliberation": "ui/deliberation.py", "decision": "ui/decision.py", "letter": "ui/letter.py"}
