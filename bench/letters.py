"""Benchmark: median milliseconds per letter for PDF (typst) and DOCX (docxtpl), and LibreOffice's time to
convert the same DOCX to PDF, as a ratio. Prints figures; asserts nothing.

    .venv/bin/python bench/letters.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.letters.docx import render_docx  # noqa: E402
from assessment.letters.render import render_markup, render_pdf, render_png  # noqa: E402
from assessment.letters.templates import sample_contexts  # noqa: E402


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="renders per letter (default 20)")
    args = parser.parse_args()
    contexts = sample_contexts("nl") + sample_contexts("en")
    ctx = contexts[0]
    render_pdf(ctx)  # the first compile scans fonts; a running app pays that once
    render_docx(ctx)

    rows = []
    for c in contexts:
        rows.append((
            f"{c.reference} v{c.letter_version} {c.lang}",
            median_ms(lambda c=c: render_markup(c), args.runs),
            median_ms(lambda c=c: render_pdf(c), args.runs),
            median_ms(lambda c=c: render_pdf(c, archive=False), args.runs),
            median_ms(lambda c=c: render_docx(c), args.runs),
        ))
    print(f"{'letter':<24}{'jinja ms':>10}{'PDF/A ms':>10}{'PDF ms':>10}{'DOCX ms':>10}")
    for name, jinja_ms, pdfa, pdf, docx in rows:
        print(f"{name:<24}{jinja_ms:>10.2f}{pdfa:>10.1f}{pdf:>10.1f}{docx:>10.1f}")
    pdf_median = statistics.median(r[2] for r in rows)
    docx_median = statistics.median(r[4] for r in rows)
    png_ms = median_ms(lambda: render_png(ctx), max(3, args.runs // 4))
    print(f"\nmedian per letter: PDF/A {pdf_median:.1f} ms (target <= 50, issue 13), DOCX {docx_median:.1f} ms "
          f"(target <= 100); PNG preview of all pages at 96 ppi {png_ms:.1f} ms")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice DOCX -> PDF: not installed (apt-get install -y libreoffice-writer-nogui)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "letter.docx"
        src.write_bytes(render_docx(ctx))
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(src)]
        subprocess.run(cmd, capture_output=True, check=True, timeout=300)  # first start builds the profile
        lo_runs = 3
        lo_ms = median_ms(lambda: subprocess.run(cmd, capture_output=True, check=True, timeout=300), lo_runs)
    print(f"LibreOffice DOCX -> PDF ({lo_runs} runs, warm profile): {lo_ms:.0f} ms median; "
          f"docxtpl + LibreOffice {docx_median + lo_ms:.0f} ms vs typst {pdf_median:.1f} ms: "
          f"{(docx_median + lo_ms) / pdf_median:.0f}x slower")
    return 0


if __name__ == "__main__":
    sys.exit(main())
