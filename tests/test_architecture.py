"""The dependencies point one way: the core never imports the UI, and only the store imports sqlite_utils."""

from __future__ import annotations

import ast
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
