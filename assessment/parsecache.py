"""Parsed YAML kept between runs, keyed by the exact bytes of the file.

Parsing the 60 KB ILO rubric with ruamel (pure Python, with line numbers and the safety pre-scan of
assessment.yamlfile) takes about 0.3 s, most of what `python -m assessment score` costs; a curated case file
takes about 50 ms, and the demo reads eighteen of them at every first start. The result of parsing
is a function of the bytes alone, so it is kept as JSON under the SHA-256 of those bytes and reused while the
file is unchanged. Only what parsed *and validated* is stored (the caller decides), only plain data that JSON
holds exactly (dates included, written as {"__date__": "YYYY-MM-DD"}), and the caller validates what it reads back as if it were new: a damaged or invalid
entry costs a parse, never a wrong result (an entry is found only under the hash of the
file's exact bytes).

Where: $AANNEMELIJK_CACHE_DIR, else $XDG_CACHE_HOME/aannemelijk, else ~/.cache/aannemelijk. An empty
AANNEMELIJK_CACHE_DIR turns the cache off; a directory that cannot be written is skipped silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from .config import cache_dir

# Bump when what is stored changes meaning (e.g. a new YAML reader or a different plain form).
FORMAT = "yaml-plain-3"

# JSON has no date: a date (as YAML reads an unquoted 2026-03-01) is kept as this one-key object. A mapping of
# the file's own that looks the same would not read back as itself, and is then not kept (`remember`).
_DATE = "__date__"


def _encode(value: Any) -> Any:
    if type(value) is date:  # exactly a date: a datetime is not kept
        return {_DATE: value.isoformat()}
    raise TypeError(f"not kept: {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and isinstance(obj.get(_DATE), str):
        return date.fromisoformat(obj[_DATE])
    return obj


def _entry(raw: bytes) -> Path | None:
    where = cache_dir()
    if where is None:
        return None
    return where / (hashlib.sha256(FORMAT.encode() + b"\0" + raw).hexdigest() + ".json")


def cached(raw: bytes) -> Any | None:
    """The plain data stored for exactly these bytes, or None."""
    entry = _entry(raw)
    if entry is None:
        return None
    try:
        return json.loads(entry.read_text(encoding="utf-8"), object_hook=_decode)
    except (OSError, ValueError):
        return None


def remember(raw: bytes, plain: Any) -> None:
    """Store `plain` for these bytes, if JSON holds it exactly; written atomically (parallel processes)."""
    entry = _entry(raw)
    if entry is None:
        return
    try:
        # Key order is meaning here (a profile lists its indicators in rubric order), so no sort_keys; and
        # dict equality ignores order, so compare the order too (dates or integer keys fail the first check).
        text = json.dumps(plain, ensure_ascii=False, default=_encode)
        back = json.loads(text, object_hook=_decode)
        if back != plain or json.dumps(back, ensure_ascii=False, default=_encode) != text:
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):
        return  # a cache that cannot be written is no error: the next run parses again
