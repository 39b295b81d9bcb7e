"""Bring locale/*/LC_MESSAGES/aannemelijk.po up to date with the message ids in the code.

New ids are added with an empty translation (fill in the Dutch; tests/test_i18n.py fails until you do);
ids no longer in the code are removed. Run: `.venv/bin/python scripts/i18n.py`.
Where text is looked for: babel.cfg; the keywords are those of assessment/i18n.py and ui/i18n.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "NC_": ((1, "c"), 2), "n_": (1, 2), "gettext": (2,), "ngettext": (2, 3),
            "pgettext": ((2, "c"), 3)}
SOURCES = ("app.py", "ui", "assessment")


Message = tuple[str | tuple[str, str], str | None]  # (id or singular/plural pair, context)


def message_ids(root: Path = ROOT) -> set[Message]:
    """Every message id the code marks for translation, with its context (None for most)."""
    found: set[Message] = set()
    for _f, _l, msg, _c, ctx in extract_from_dir(
            root, keywords=KEYWORDS, comment_tags=(),
            method_map=[("app.py", "python"), ("ui/**.py", "python"), ("assessment/**.py", "python")]):
        found.add((msg if isinstance(msg, str) else (msg[0], msg[1]), ctx))
    return found


def update(lang: str, ids: set[Message]) -> tuple[int, int]:
    path = ROOT / "locale" / lang / "LC_MESSAGES" / "aannemelijk.po"
    with path.open("rb") as f:
        old = read_po(f, locale=lang)
    new = Catalog(locale=lang, domain="aannemelijk", project=old.project, version=old.version,
                  copyright_holder=old.copyright_holder, msgid_bugs_address=old.msgid_bugs_address,
                  last_translator=old.last_translator, language_team=old.language_team,
                  creation_date=old.creation_date, revision_date=old.revision_date, fuzzy=False)
    new.header_comment = old.header_comment
    added = 0
    for mid, ctx in sorted(ids, key=lambda m: (m[0] if isinstance(m[0], str) else m[0][0], m[1] or "")):
        key = mid if isinstance(mid, str) else mid[0]
        prior = old.get(key, context=ctx)
        if prior is None:
            added += 1
        new.add(mid, prior.string if prior is not None else ("", "") if isinstance(mid, tuple) else "", context=ctx)
    removed = sum(1 for m in old if m.id and new.get(m.id if isinstance(m.id, str) else m.id[0], context=m.context) is None)
    with path.open("wb") as f:
        write_po(f, new, sort_output=True, width=120, no_location=True, omit_header=False)
    return added, removed


def main() -> int:
    ids = message_ids()
    for lang in ("nl", "en"):
        added, removed = update(lang, ids)
        print(f"{lang}: {len(ids)} message ids, {added} new, {removed} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
