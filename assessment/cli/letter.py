"""`letter REFERENCE --format pdf|docx|png --lang nl|en --out PATH`: the advice letter of a decided case.

Exit 2 with a message for an undecided case, an unknown reference, a letter that does not match the
decision, or an invalid template. PNG writes one file per page: PATH with `-1`, `-2`, ... before `.png`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..letters.build import build_letter_context
from ..letters.docx import render_docx
from ..letters.render import render_pdf, render_png
from ..services.ui_support import active_rubric
from ._common import add_as, add_db, open_db, sign_in


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "letter", help="render the advice letter of a decided case",
        description="Render the advice letter (deskundigenbericht) of a decided case to PDF, DOCX or PNG pages.",
    )
    p.add_argument("reference", metavar="REFERENCE", help="the case reference, e.g. AAN-2026-0001")
    p.add_argument("--format", choices=["pdf", "docx", "png"], default="pdf", help="output format (default pdf)")
    p.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the letter (default nl)")
    p.add_argument("--out", required=True, help="output file (for png: the first page's name pattern)")
    add_db(p)
    add_as(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = open_db(args)
    try:
        user = sign_in(store, args)
        context = build_letter_context(store, user, args.reference, active_rubric(store), args.lang)
    finally:
        store.close()
    out = Path(args.out)
    if args.format == "pdf":
        out.write_bytes(render_pdf(context))
        written = [out]
    elif args.format == "docx":
        out.write_bytes(render_docx(context))
        written = [out]
    else:
        written = []
        for number, page in enumerate(render_png(context), start=1):
            path = out.with_name(f"{out.stem}-{number}{out.suffix or '.png'}")
            path.write_bytes(page)
            written.append(path)
    for path in written:
        print(path)
    return 0
