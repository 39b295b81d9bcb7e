"""`letter REFERENCE --format pdf|docx|png --lang nl|en --out PATH`: the advice letter of a decided case.

`letter REFERENCE --issue --lang nl|en [--reason TEXT] [--out PATH]` issues it (the chair): the PDF is
stored for good with its SHA-256; a second issue is a correction and needs `--reason`. `--out` then writes
the stored PDF. Exit 2 with a message for an undecided case, an unknown reference, a letter that does not
match the decision, or an invalid template; exit 3 when the acting user may not do this.
PNG writes one file per page: PATH with `-1`, `-2`, ... before `.png`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import ValidationError
from ..i18n import N_
from ._common import add_as, add_db, open_db, sign_in


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "letter", help="render or issue the advice letter of a decided case",
        description="Render the advice letter (deskundigenbericht) of a decided case to PDF, DOCX or PNG pages, "
                    "or issue it (--issue).",
    )
    p.add_argument("reference", metavar="REFERENCE", help="the case reference, e.g. AAN-2026-0001")
    p.add_argument("--format", choices=["pdf", "docx", "png"], default="pdf", help="output format (default pdf)")
    p.add_argument("--lang", choices=["nl", "en"], help="language of the letter (default: $LANG, else nl)")
    p.add_argument("--out", help="output file (for png: the first page's name pattern); required unless --issue")
    p.add_argument("--issue", action="store_true",
                   help="issue the letter (chair): store the PDF, its SHA-256 and versions; print what was issued")
    p.add_argument("--reason", default="", help="with --issue: why this correction replaces the issued version")
    add_db(p)
    add_as(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import services

    if not args.issue and not args.out:
        raise ValidationError(N_("--out is required unless --issue is given"))
    if args.issue and args.format != "pdf":
        raise ValidationError(N_("An issued letter is a PDF: use --format pdf"))
    with open_db(args) as store:
        user = sign_in(store, args)
        if args.issue:
            issued = services.issue_letter(store, user, args.reference, args.lang, reason=args.reason)
            replaces = (" " + services.gettext(args.lang, N_("(replaces v{version})"), version=issued.replaces_version)
                        if issued.replaces_version else "")
            print(f"{issued.ref} v{issued.version} {issued.lang}{replaces} sha256:{issued.sha256} "
                  f"template {issued.template_version} rubric {issued.rubric_id} {issued.rubric_version}")
            if not args.out:
                return 0
            items = [services.get_issued_letter(store, user, args.reference, lang=args.lang,
                                                version=issued.version).content]
        else:
            items = services.preview_letter(store, user, args.reference, args.lang, args.format)
    out = Path(args.out)
    if args.format == "png":
        written = []
        for number, page in enumerate(items, start=1):
            path = out.with_name(f"{out.stem}-{number}{out.suffix or '.png'}")
            path.write_bytes(page)
            written.append(path)
    else:
        out.write_bytes(items[0])
        written = [out]
    for path in written:
        print(path)
    return 0
