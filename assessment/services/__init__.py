"""The one door into the core: every use case the app's pages and the CLI perform, one plain function each.

A service takes `(store, user, ...)`, checks access through assessment.access, writes its audit events in the
same transaction as its change, and raises the project's own errors (assessment.errors). Pages and the CLI
import this package and nothing else of the core, apart from pure value types (the Capitalized names of
assessment.model, errors, rubric, scoring, training, config and the evaluation value modules: models,
dataclasses, Literal types and constants, never functions). tests/test_architecture.py enforces it.

The public API, by subject (the submodules are the implementation; import from here):

- access: `may(user, action, case)` (what a page may offer), `roles_for(action)`, `space_for(user, action)`
- the database: `open_store`, `Store`, `Settings`, `load_settings`, `load_training_settings`; `backup`,
  `restore`, `check_audit_chain` (operator commands on the file), `verify_audit` (for a chair or admin)
- accounts: `authenticate`, `user_for_identity` (OIDC), `has_users`, `bootstrap_admin`, `add_user`,
  `list_users`, `disable_user`, `enable_user`, `user_by_name`, `load_demo_users`,
  `display_names` (the names screens show for accounts)
- cases: `create_case`, `list_cases`, `case_rows` (the Cases screen), `get_case`, `update_intake`,
  `assign_panel`, `panel_candidates`, `declare_no_conflict`, `decide_admissibility`, `withdraw_case`,
  `add_document`, `add_chronology`, `record_consent`, `revoke_consent`, `record_hearing`,
  `mark_file_complete`, `mark_letter_issued`, `record_followup`, `record_advice_use`, `deadlines`, `case_audit`, `audit_trail` (the audit page),
  `reference_example` (a reference of the database's space, for a search field)
- what waits for whom: `case_overview` (per case the next steps and the members' progress), `my_tasks`
- the procedure: `admissibility_unmet` (the requirements an intake does not meet), `defer_case` (too little
  information: set aside, or send to a hearing; no advice), `resume_case` (a case set aside goes back to deliberation)
- input and deliberation: `get_inputs`, `save_input_draft`, `merge_drafts` (two windows' drafts, per
  indicator), `save_merging` (save, merging another window's save first), `submit_input`, `open_deliberation`,
  `deliberation_view` (members: blind until submitted), `deliberation_result`, `quorum`, `record_decision`,
  `record_dissent`, `reopen_case`
- rubrics: `element_routes`, `met_text`, `outcome_routes` (how a result could be reached), `StoredRubric`,
  `active_rubric`, `decision_rubric` (the rubric a decision used), `rubric_by_hash`,
  `read_rubric_file`, `shipped_rubric`, `list_rubric_versions`, `upload_rubric`, `activate_rubric`
- letters: `preview_letter`, `issue_letter`, `list_letters`, `get_issued_letter`, `list_template_sets`,
  `upload_template_set`, `activate_template_set`, `template_set_download`, `MENDED_AT` (where a letter error's place is mended)
- disclosure (administrators set it; every evaluation output reads it): `disclosure_setting`, `disclosure_rule`,
  `configure_disclosure`
- evaluation: `pilot_figures`, `pilot_report`, `table_csv`, `research_export`, `research_export_download`,
  `full_export`, `whatif_rubric_choices`, `whatif_rubric`, `whatif`; `keep_evaluation_columns` (the app's
  start, so no evaluator waits for a cold read)
- the evaluation team's workspace (exact counts on pseudonymous facts, every view audited):
  `workspace_figures`, `workspace_table_csv`, `analysable_cases`
- privacy: `apply_retention`, `subject_export`, `subject_markdown`, `write_subject_export`, `stored_text` (a
  stored text as shown: where retention removed it, the placeholder in the reader's language)
- training: `load_training_space`, `training_case_files`, `open_session`, `list_sessions`, `get_session`,
  `get_trainee_input`, `save_trainee_input`, `submit_trainee_input`, `trainee_feedback`, `group_feedback`,
  `group_export_csv`, `reset_session`
- demo and import: `load_demo`, `fill_demo` (once, into a database without accounts), `load_synthetic`, `import_case_file`, `read_case_file`
- words (assessment.vocabulary, assessment.i18n, assessment.disciplines): `label`, `heading`, `label_options`
  (the name of a recorded value in a language), `discipline_ids`, `seat_ids` (pilot_data/disciplines.yaml),
  `gettext`, `ngettext`, `N_` (translating text at the edge), `LANGUAGE_NAMES`, `demo_accounts`,
  `NO_VALUE` (the one mark of a figure with no value), `statistic` (a kappa as a reader of a language
  writes it)
"""

from ..access import may, roles_for, space_for
from ..casefile import read_case_file
from ..config import Settings, load_settings, load_training_settings
from ..disciplines import ids as discipline_ids
from ..disciplines import seats as seat_ids
from ..draftmerge import Clash, DraftMerge, MergedSave, merge_drafts, save_merging
from ..i18n import LANGUAGE_NAMES, N_, NO_VALUE, fixed, gettext, long_date, long_datetime, ngettext, statistic
from ..letters.templates import MAX_TEMPLATE_BYTES as TEMPLATE_MAX_BYTES
from ..routes import element_routes, met_text, outcome_routes
from ..store import Store, open_store
from ..vocabulary import capitalised as heading
from ..vocabulary import label
from ..vocabulary import options as label_options
from ..yamlfile import MAX_BYTES as YAML_MAX_BYTES
from .cases import (
    AuditLine,
    CaseRow,
    add_chronology,
    add_document,
    assign_panel,
    audit_trail,
    case_audit,
    case_rows,
    create_case,
    deadlines,
    decide_admissibility,
    declare_conflict,
    declare_no_conflict,
    get_case,
    list_cases,
    mark_file_complete,
    mark_letter_issued,
    own_seat,
    panel_candidates,
    record_advice_use,
    record_consent,
    record_followup,
    record_hearing,
    record_recipient_consent,
    reference_example,
    revoke_consent,
    update_intake,
    withdraw_case,
)
from .decisions import (
    Quorum,
    decision_draft,
    deliberation_result,
    deliberation_view,
    departs_from_rubric,
    open_deliberation,
    quorum,
    record_decision,
    record_dissent,
    reopen_case,
    save_decision_draft,
)
from .disclosure import configure_disclosure, disclosure_rule, disclosure_setting
from .evaluation import (
    ExportDownload,
    RubricChoice,
    full_export,
    keep_evaluation_columns,
    pilot_figures,
    pilot_report,
    research_export,
    research_export_download,
    table_csv,
    whatif,
    whatif_rubric,
    whatif_rubric_choices,
)
from .importing import fill_demo, import_case_file, load_demo, load_synthetic
from .inputs import SectionProgress, get_inputs, rating_progress, rest_unknown, save_input_draft, submit_input
from .letter_context import MENDED_AT
from .letters import (
    IssuedLetter,
    IssuedLetterFile,
    TemplateSetVersion,
    activate_template_set,
    get_issued_letter,
    issue_letter,
    list_letters,
    list_template_sets,
    preview_letter,
    template_set_download,
    upload_template_set,
)
from .maintenance import backup, check_audit_chain, restore, verify_audit
from .privacy import (
    CaseRetention,
    SubjectExport,
    apply_retention,
    stored_text,
    subject_export,
    subject_markdown,
    write_subject_export,
)
from .procedure import admissibility_unmet, defer_case, resume_case
from .rubrics import (
    StoredRubric,
    activate_rubric,
    active_rubric,
    decision_rubric,
    list_rubric_versions,
    read_rubric_file,
    rubric_by_hash,
    shipped_rubric,
    upload_rubric,
)
from .tasks import CaseOverview, MemberProgress, Step, Task, case_overview, my_tasks
from .training import (
    TRAINEES,
    SessionCase,
    TraineeInput,
    TrainingSession,
    get_session,
    get_trainee_input,
    group_export_csv,
    group_feedback,
    list_sessions,
    load_training_space,
    open_session,
    reset_session,
    save_trainee_input,
    submit_trainee_input,
    trainee_feedback,
    training_case_files,
)
from .users import (
    DEMO_PASSWORD,
    account_stamp,
    add_user,
    authenticate,
    bootstrap_admin,
    bootstrap_admin_with_token,
    demo_accounts,
    disable_user,
    display_names,
    enable_user,
    has_users,
    issue_setup_token,
    list_users,
    load_demo_users,
    setup_token_issued,
    user_by_name,
    user_for_identity,
)
from .workspace import WorkspaceFigures, analysable_cases, workspace_figures, workspace_table_csv

__all__ = [
    "Clash", "DraftMerge", "MergedSave", "merge_drafts", "save_merging",
    # access
    "may", "roles_for", "space_for",
    # the database
    "Settings", "Store", "TEMPLATE_MAX_BYTES", "YAML_MAX_BYTES", "backup", "check_audit_chain", "load_settings", "load_training_settings", "open_store",
    "restore", "verify_audit",
    # accounts
    "DEMO_PASSWORD", "account_stamp", "add_user", "authenticate", "bootstrap_admin", "bootstrap_admin_with_token",
    "demo_accounts", "disable_user", "display_names", "enable_user", "has_users", "issue_setup_token", "setup_token_issued",
    "list_users", "load_demo_users", "user_by_name", "user_for_identity",
    # cases
    "AuditLine", "CaseRow", "add_chronology", "audit_trail", "add_document", "assign_panel", "case_audit", "case_rows", "create_case",
    "reference_example",
    "deadlines", "decide_admissibility", "declare_conflict", "declare_no_conflict", "own_seat", "get_case", "list_cases", "mark_letter_issued",
    "panel_candidates", "record_consent", "record_recipient_consent", "record_followup", "record_hearing", "mark_file_complete", "record_advice_use",
    "revoke_consent", "update_intake",
    "withdraw_case",
    # what waits for whom (the case overview and "My tasks")
    "CaseOverview", "MemberProgress", "Step", "Task", "case_overview", "my_tasks",
    # the procedure (admissibility requirements; too little information: set aside or to a hearing)
    "admissibility_unmet", "defer_case", "resume_case",
    # input and deliberation
    "Quorum", "deliberation_result", "deliberation_view", "departs_from_rubric", "get_inputs", "SectionProgress", "rating_progress", "rest_unknown", "open_deliberation", "quorum",
    "record_decision", "record_dissent", "reopen_case", "save_input_draft", "submit_input",
    "decision_draft", "save_decision_draft",
    # rubrics (and the ways a rubric's result could be reached, for the deliberation screen)
    "element_routes", "met_text", "outcome_routes", "StoredRubric", "activate_rubric", "active_rubric",
    "decision_rubric", "list_rubric_versions",
    "read_rubric_file", "rubric_by_hash", "shipped_rubric", "upload_rubric",
    # letters
    "IssuedLetter", "IssuedLetterFile", "MENDED_AT", "TemplateSetVersion", "activate_template_set", "get_issued_letter",
    "issue_letter", "list_letters", "list_template_sets", "preview_letter", "template_set_download", "upload_template_set",
    # disclosure
    "configure_disclosure", "disclosure_rule", "disclosure_setting",
    # evaluation
    "ExportDownload", "RubricChoice", "full_export", "keep_evaluation_columns",
    "pilot_figures", "pilot_report", "research_export", "research_export_download", "table_csv", "whatif",
    "whatif_rubric", "whatif_rubric_choices",
    # the evaluation team's workspace
    "WorkspaceFigures", "analysable_cases", "workspace_figures", "workspace_table_csv",
    # privacy
    "CaseRetention", "SubjectExport", "apply_retention", "stored_text", "subject_export", "subject_markdown",
    "write_subject_export",
    # training
    "TRAINEES", "SessionCase", "TraineeInput", "TrainingSession", "get_session", "get_trainee_input", "group_export_csv",
    "group_feedback", "list_sessions", "load_training_space", "open_session", "reset_session",
    "save_trainee_input", "submit_trainee_input", "trainee_feedback", "training_case_files",
    # demo and import
    "fill_demo", "import_case_file", "load_demo", "load_synthetic", "read_case_file",
    # words
    "LANGUAGE_NAMES", "NO_VALUE", "N_", "discipline_ids", "fixed", "gettext", "heading", "label", "label_options", "long_date", "long_datetime", "ngettext", "seat_ids", "statistic",
]
