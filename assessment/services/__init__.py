"""The use cases: one plain function each, `(store, user, ...) -> result`. Every one checks access through
assessment.access, writes audit events through the store, and raises the project's own errors.
Pages and the CLI call only these."""

from ..access import may, roles_for, space_for
from ..casefile import read_case_file
from .cases import (
    add_chronology,
    add_document,
    assign_panel,
    case_audit,
    create_case,
    deadlines,
    decide_admissibility,
    declare_no_conflict,
    get_case,
    list_cases,
    mark_letter_issued,
    record_consent,
    record_followup,
    record_hearing,
    revoke_consent,
    update_intake,
    withdraw_case,
)
from .decisions import (
    Quorum,
    deliberation_result,
    open_deliberation,
    quorum,
    record_decision,
    record_dissent,
    reopen_case,
)
from .evaluation import analysable_cases, evaluation_columns, evaluation_facts, full_export, research_export
from .importing import import_case_file, load_demo, load_synthetic
from .inputs import get_inputs, save_input_draft, submit_input
from .letters import (
    activate_template_set,
    get_issued_letter,
    issue_letter,
    list_letters,
    list_template_sets,
    preview_letter,
    upload_template_set,
)
from .maintenance import backup, check_audit_chain, restore, verify_audit
from .rubrics import (
    StoredRubric,
    activate_rubric,
    active_rubric,
    decision_rubric,
    list_rubric_versions,
    rubric_by_hash,
    upload_rubric,
)
from .users import add_user, authenticate, bootstrap_admin, disable_user, list_users, load_demo_users, user_by_name

__all__ = [
    "may", "roles_for", "space_for",
    "activate_template_set", "get_issued_letter", "issue_letter", "list_letters", "list_template_sets",
    "preview_letter", "upload_template_set",
    "add_chronology", "add_document", "add_user", "analysable_cases", "evaluation_columns", "evaluation_facts", "full_export", "research_export", "assign_panel", "authenticate", "backup",
    "bootstrap_admin", "case_audit", "check_audit_chain", "create_case", "deadlines", "decide_admissibility", "declare_no_conflict",
    "deliberation_result", "disable_user", "get_case", "get_inputs", "import_case_file", "list_cases",
    "list_users", "load_demo", "load_synthetic", "load_demo_users", "mark_letter_issued", "open_deliberation", "Quorum", "quorum", "read_case_file",
    "record_consent", "record_decision", "record_dissent", "record_followup", "record_hearing", "reopen_case",
    "restore", "revoke_consent", "save_input_draft", "submit_input", "update_intake", "user_by_name",
    "verify_audit", "withdraw_case",
    "StoredRubric", "activate_rubric", "active_rubric", "decision_rubric", "list_rubric_versions", "rubric_by_hash",
    "upload_rubric",
]
