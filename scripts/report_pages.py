"""Write the first page (summary) and the first page of each chapter of the pilot report, in Dutch and English, to
docs/report-<chapter>.<lang>.png for reviewers. The figures are those of the pilot-like synthetic population
(40 cases, seed 2018, received in 2018; `assessment.synthetic`), under the default disclosure rule.
Run: `.venv/bin/python scripts/report_pages.py`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.evaluation.metrics import compute_all, rubric_labels  # noqa: E402
from assessment.evaluation.report import chapter_pages, report_context  # noqa: E402
from assessment.rubric import ILO_RUBRIC, load_rubric  # noqa: E402
from assessment.synthetic import facts  # noqa: E402

DOCS = ROOT / "docs"


def main() -> None:
    rubric = load_rubric(ILO_RUBRIC)
    cases = facts(40, "pilot", 2018, rubric=rubric)
    metrics = compute_all(cases, start=date(2018, 1, 1), end=date(2018, 12, 31), labels=rubric_labels(rubric),
                          today=date(2019, 3, 1))
    for old in DOCS.glob("report-*.png"):
        old.unlink()
    for lang in ("nl", "en"):
        pages = chapter_pages(report_context(metrics, lang, date(2019, 3, 1)), ppi=80)
        for chapter, png in pages.items():
            (DOCS / f"report-{chapter}.{lang}.png").write_bytes(png)
            print(f"docs/report-{chapter}.{lang}.png")


if __name__ == "__main__":
    main()
