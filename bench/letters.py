"""Benchmark: median milliseconds per letter for PDF (typst) and DOCX (docxtpl), and LibreOffice's time to
convert the same DOCX to PDF, as a ratio. Prints figures; asserts nothing.

Wall-clock time is what a user waits; on a shared machine it grows with the load, so the benchmark also prints
the process's CPU time per letter (what rendering itself costs) and the load average before and after.

    .venv/bin/python bench/letters.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
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
    return timed(fn, runs)[0]


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall-clock and median CPU milliseconds of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="renders per letter (default 20)")
    args = parser.parse_args()
    contexts = sample_contexts("nl") + sample_contexts("en")
    ctx = contexts[0]
    render_pdf(ctx)  # the first compile scans fonts; a running app pays that once
    render_docx(ctx)

    load_before = _load()
    rows = []
    for c in contexts:
        rows.append((
            f"{c.reference} v{c.letter_version} {c.lang}",
            median_ms(lambda c=c: render_markup(c), args.runs),
            *timed(lambda c=c: render_pdf(c), args.runs),
            median_ms(lambda c=c: render_pdf(c, archive=False), args.runs),
            *timed(lambda c=c: render_docx(c), args.runs),
        ))
    print(f"{'letter':<24}{'jinja ms':>10}{'PDF/A ms':>10}{'(CPU)':>8}{'PDF ms':>10}{'DOCX ms':>10}{'(CPU)':>8}")
    for name, jinja_ms, pdfa, pdfa_cpu, pdf, docx, docx_cpu in rows:
        print(f"{name:<24}{jinja_ms:>10.2f}{pdfa:>10.1f}{pdfa_cpu:>8.1f}{pdf:>10.1f}{docx:>10.1f}{docx_cpu:>8.1f}")
    pdf_median = statistics.median(r[2] for r in rows)
    docx_median = statistics.median(r[5] for r in rows)
    pdf_cpu = statistics.median(r[3] for r in rows)
    docx_cpu = statistics.median(r[6] for r in rows)
    png_ms = median_ms(lambda: render_png(ctx), max(3, args.runs // 4))
    print(f"\nmedian per letter: PDF/A {pdf_median:.1f} ms (CPU {pdf_cpu:.1f} ms; target <= 50, issue 13), DOCX "
          f"{docx_median:.1f} ms (CPU {docx_cpu:.1f} ms; target <= 100); PNG preview of all pages at 96 ppi "
          f"{png_ms:.1f} ms")
    print(f"load average (1, 5, 15 min) before {load_before}, after {_load()}; {os.cpu_count()} cores")

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
