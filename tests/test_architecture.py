"""The dependencies point one way: the core never imports the UI, and only the store imports sqlite_utils."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "assessment"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_never_imports_streamlit() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in core_files() if any(m.split(".")[0] == "streamlit" for m in imports_of(p))]
    assert offenders == []


def test_only_the_store_imports_sqlite_utils() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in core_files()
        if any(m.split(".")[0] in ("sqlite_utils", "sqlite3") for m in imports_of(p))
        and not (p.name == "store.py" or p.parent.name == "store")
    ]
    assert offenders == []


# The domain: pure modules and packages that the services build on. They never reach the store or the
# services (assessment.services does that, and the CLI and pages call the services).
DOMAIN = ["rubric.py", "scoring.py", "batch.py", "observation.py", "yamlfile.py", "casefile.py", "model.py",
          "training.py", "synthetic.py", "letters", "evaluation"]


def test_domain_modules_import_no_storage_or_services() -> None:
    offenders = []
    for name in DOMAIN:
        path = CORE / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            text = file.read_text()
            mods = {m.split(".")[0] for m in imports_of(file)}
            if mods & {"sqlite_utils", "sqlite3", "streamlit"} or any(
                bad in text for bad in ("from .store", "from ..store", "from .services", "from ..services",
                                        "from .. import services", "from . import services")
            ):
                offenders.append(str(file.relative_to(ROOT)))
    assert offenders == []


# --- one door into the core (issue 11): pages and the CLI ask, they do not decide ---------------------------

FRONT = sorted([ROOT / "app.py", *(ROOT / "ui").rglob("*.py")])
CALLERS = sorted([*FRONT, *(CORE / "cli").rglob("*.py"), *(CORE / "services").rglob("*.py")])
# The role names as docs/access.md spells them (its matrix header), not as the code under test defines them.
ROLE_NAMES = frozenset(
    next(line for line in (ROOT / "docs" / "access.md").read_text().splitlines() if line.startswith("| action |"))
    .strip("| \n").split(" | ")[1:])


def _role_lists(path: Path, front: bool | None = None) -> list[int]:
    """Role decisions written out: a literal tuple/list/set of two or more role names, or a comparison of
    something's `.role` with a collection (`user.role in (...)`)."""
    front = path in FRONT if front is None else front
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(names) >= 2 and len(names) == len(node.elts) and set(names) <= ROLE_NAMES:
                found.add(node.lineno)
        elif (isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "role"
              and (front or any(isinstance(op, ast.In | ast.NotIn) for op in node.ops))):
            found.add(node.lineno)
    return sorted(found)


def test_role_names_come_from_the_access_document() -> None:
    assert {"secretary", "member", "chair", "evaluator", "trainer", "trainee", "admin"} == ROLE_NAMES


def test_no_role_lists_outside_access() -> None:
    # Pages compare no roles at all; services name their content rules in assessment/access.py.
    assert [f"{path.relative_to(ROOT)}:{line}" for path in CALLERS for line in _role_lists(path)] == []


def test_the_role_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('ok = user.role in ("chair", "trainer")\nroles = ["secretary", "chair"]\nfine = ("chair", 1)\n'
                      'one = user.role == "chair"\n')
    assert (_role_lists(sample, front=False), _role_lists(sample, front=True)) == ([1, 2], [1, 2, 4])


def test_only_ui_state_touches_session_state() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in FRONT
                 if p.name != "state.py" and "session_state" in p.read_text()]
    assert offenders == []


# What pages and the CLI may import of the core: the services package (its public API), and from a few modules
# of pure value types only their Capitalized names (models, dataclasses, Literal types, constants), never a
# function. Documented in assessment/services/__init__.py.
VALUE_MODULES = frozenset({
    "assessment.model", "assessment.errors", "assessment.rubric", "assessment.scoring", "assessment.training",
    "assessment.config", "assessment.evaluation.disclosure", "assessment.evaluation.metrics",
    "assessment.evaluation.rescore", "assessment.evaluation.export", "assessment.evaluation.facts",
})
# Two commands use the pure core without a store or a user, so no service (no access rule, no audit) applies:
# `score` scores a case file (and must start fast, tests/test_startup.py), `demo --synthetic` generates cases
# that it then registers through the services.
CORE_WITHOUT_A_STORE = {
    "assessment/cli/score.py": {"assessment.casefile", "assessment.routes", "assessment.rubric", "assessment.scoring",
                                "assessment.vocabulary", "assessment.i18n"},
    "assessment/cli/db.py": {"assessment.synthetic"},
    # The CLI's edge: the language of the run and the translation of error messages (no store, no rule).
    "assessment/cli/__init__.py": {"assessment.i18n"},
}


def _core_imports(path: Path, rel: str) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) of every import of the core (assessment.*) in a file, relative imports
    resolved; `import assessment.x` gives no names."""
    package = ".".join(Path(rel).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "assessment"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] == "assessment":
                found.append((module, [a.name for a in node.names], node.lineno))
    return found


def _door_violations(path: Path, rel: str | None = None) -> list[str]:
    from assessment import services

    rel = rel or str(path.relative_to(ROOT))
    bad = []
    for module, names, line in _core_imports(path, rel):
        if module.startswith("assessment.cli") or module in CORE_WITHOUT_A_STORE.get(rel, set()):
            continue
        # The CLI's edge marks its own messages as message ids (N_ only; no store, no rule).
        if rel.startswith("assessment/cli/") and module == "assessment.i18n" and set(names) <= {"N_", "lang_from_env"}:
            continue
        if module == "assessment" and names == ["services"]:
            continue
        if module == "assessment.services" and set(names) <= set(services.__all__) and names:
            continue
        if module in VALUE_MODULES and names and all(n[:1].isupper() for n in names):
            continue
        bad.append(f"{rel}:{line} {module} {names}")
    return bad


def test_pages_and_the_cli_enter_the_core_only_through_the_services() -> None:
    files = [*FRONT, *sorted((CORE / "cli").rglob("*.py"))]
    assert [v for path in files for v in _door_violations(path)] == []


def test_the_door_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("from assessment import services\nfrom assessment.model import User\n"
                    "from assessment.services import ui_support\nfrom assessment.rubric import load_rubric\n"
                    "from assessment.store import Store\nfrom assessment.services.decisions import quorum\n")
    found = _door_violations(page, "ui/page.py")
    assert [v.split(" ")[0].rsplit(":", 1)[1] for v in found] == ["3", "4", "5", "6"]


def test_the_services_api_lists_only_what_it_exports() -> None:
    from assessment import services

    assert sorted(n for n in services.__all__ if not hasattr(services, n)) == []
    assert len(services.__all__) == len(set(services.__all__))


# --- storage behind named operations -------------------------------------------------------------------------

STORE_MODULES = [CORE / "store.py", *sorted((CORE / "queries").rglob("*.py"))]
SQL = re.compile(r"^\s*(SELECT\b.*\bFROM\b|INSERT (OR \w+ )?INTO\b|UPDATE \S+ SET\b|DELETE FROM\b|PRAGMA \w|"
                 r"(CREATE|DROP) (TABLE|INDEX|TRIGGER|VIEW)\b|ALTER TABLE\b)", re.DOTALL)  # written uppercase here


def _sql_in(path: Path) -> list[int]:
    """Lines that run SQL themselves: a call of `.execute(...)` and its kin, a reach for the raw connection
    (`.conn`, or a store's `.db`), or a string written like an SQL statement."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and (
                node.attr in ("execute", "executescript", "executemany", "conn")
                or (node.attr == "db" and isinstance(node.value, ast.Name) and node.value.id in ("store", "s"))) or isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            lines.add(node.lineno)
    return sorted(lines)


def test_no_sql_outside_the_store() -> None:
    files = sorted({*CALLERS, *core_files()} - set(STORE_MODULES))
    assert [f"{p.relative_to(ROOT)}:{n}" for p in files for n in _sql_in(p)] == []


def test_the_sql_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('a = tx.conn.execute("x")\nb = "SELECT a FROM t"\nc = "Create an account"\nstore.db.close()\n'
                      'd = args.db\ne = "UPDATE t SET a = 1"\n')
    assert _sql_in(sample) == [1, 2, 4, 6]


# Every table of the schema, read from the store's own CREATE TABLE statements. Outside the store and its named
# operations (assessment/queries) no module names one to the generic Tx helpers: services, pages and the CLI ask
# a named operation (queries.audit.latest_of_case(tx, ref, action), not tx.select("audit_events", ...)). The
# schema walk of export and retention lives in queries/case_tables.py.
TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)", (CORE / "store.py").read_text()))
TX_HELPERS = {"get", "select", "insert", "upsert", "set", "update", "delete"}


def _tables_named(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TX_HELPERS
                and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in TABLES):
            found.append(f"{node.lineno} {node.args[0].value}")
    return found


def test_the_schema_is_read() -> None:
    assert {"cases", "audit_events", "retention_permits", "users", "letters", "rubric_versions"} <= TABLES


def test_no_table_names_outside_the_store() -> None:
    files = sorted({*CALLERS, *core_files()} - set(STORE_MODULES))
    assert [f"{p.relative_to(ROOT)}:{hit}" for p in files for hit in _tables_named(p)] == []


def test_the_table_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    # Strict on purpose: a dict looked up by a table's name (line 3) counts too; a name in a variable does not.
    sample = tmp_path / "sample.py"
    sample.write_text('rows = tx.select("audit_events", case_ref=ref)\ntx.insert("retention_permits", {})\n'
                      'x = d.get("cases")\ny = tx.select(table, a=1)\nz = tx.get("no_such_table")\n'
                      'tx.set("cases", {"id": 1}, {})\n')
    assert _tables_named(sample) == ["1 audit_events", "2 retention_permits", "3 cases", "6 cases"]


# Wording is chosen by the gettext catalogues (assessment/i18n.py) or the vocabulary, never by a service
# comparing the language: `"en" if lang == "nl" else "and"` (or `if lang == "en":`, `match lang: case "nl":`)
# puts a second translation mechanism beside the catalogue. Data keyed by language (a table indexed with
# `[lang]`) is not a comparison and stays allowed.
LANG_CODES = frozenset({"nl", "en"})
SERVICES = CORE / "services"


def _language_choices(path: Path) -> list[int]:
    """Lines that compare a value with a language code ("nl", "en")."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        compared = (*(node.left, *node.comparators),) if isinstance(node, ast.Compare) else (
            (node.value,) if isinstance(node, ast.MatchValue) else ())
        if any(isinstance(e, ast.Constant) and e.value in LANG_CODES for e in compared):
            lines.add(node.lineno)
    return sorted(lines)


def test_services_choose_no_wording_by_language() -> None:
    files = sorted(SERVICES.rglob("*.py"))
    assert len(files) > 10  # the scan sees the services
    assert [f"{p.relative_to(ROOT)}:{n}" for p in files for n in _language_choices(p)] == []


def test_the_language_choice_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('a = " en " if lang == "nl" else " and "\nb = _NUMBERS[lang]\nterm = "en" != lang\n'
                      'match lang:\n    case "nl":\n        c = "punten"\nd = lang == "de"\nif x.lang in ("nl",):\n'
                      '    pass\ne = gettext(lang, "{first} and {last}")\nif "en" == lang: pass\n')
    assert _language_choices(sample) == [1, 3, 5, 11]
