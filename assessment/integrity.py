"""What makes the audit trail and the case rows hold against someone who has the database file but not the
deployment's secrets: the audit key, the external anchor of the chain's head, and the case-row seals.

- **Audit key** (`AANNEMELIJK_AUDIT_KEY_FILE`, default `var/audit.key`): 32 random bytes, hex, mode 0600,
  outside the database file. Every audit hash is an HMAC under it (assessment.audit), so a rewritten or
  re-hashed event no longer verifies. The database records the key's fingerprint (`key_id`), never the key.
- **Anchor** (`AANNEMELIJK_AUDIT_ANCHOR`, default `<database>.audit-anchor`): an append-only file outside
  the database; after every commit that added audit events, and on every backup, one line records the
  database's identity, path, head (seq, hash), keyed with the same key. Removing the last events, emptying
  the log or putting back an older file leaves the database behind its last anchored head.
- **Case-row seals**: every write of a `cases` row stores `row_mac` = the seq of the audit event of the same
  transaction on that case, and an HMAC over the row and that seq. A direct UPDATE of `cases` (no event)
  fails verification, and so does a seal pointing at an event of another case.

Pure functions and file I/O only; the store calls them inside its transactions.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StorageError
from .i18n import N_

KEY_BYTES = 32


def load_key(path: Path, *, create: bool) -> bytes:
    """The audit key in `path`; with `create`, a new random key is written there first if the file does not
    exist yet (exclusively, so two processes starting at once end up with the same key)."""
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked into place: a process starting at the same moment
        # sees no key or the whole key, never a half-written file, and only one key ever wins the link.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(KEY_BYTES) + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another process linked its key first: use that one
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except FileNotFoundError:
        raise StorageError(N_("The audit key is missing ({path}); without it the audit log cannot be verified or "
                              "extended. Put the key file back (AANNEMELIJK_AUDIT_KEY_FILE)."), path=str(path)) from None
    except ValueError:
        raise StorageError(N_("The audit key {path} is unreadable"), path=path) from None
    if len(key) < 16:
        raise StorageError(N_("The audit key {path} is too short"), path=path)
    return key


def key_id(key: bytes) -> str:
    """A fingerprint of the key (stored in the database to tell 'another key' from 'changed events')."""
    return hmac.new(key, b"aannemelijk audit key id", hashlib.sha256).hexdigest()[:16]


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def case_mac(key: bytes, row: Mapping[str, Any], seq: int) -> str:
    """The seal of one `cases` row written in the transaction that appended audit event `seq`."""
    content = {k: v for k, v in row.items() if k != "row_mac"}
    return f"{seq}:" + hmac.new(key, _canonical({"row": content, "seq": seq}), hashlib.sha256).hexdigest()


def mac_seq(mac: str | None) -> int | None:
    """The audit seq a seal names, or None for a missing or malformed seal."""
    if not mac or ":" not in mac:
        return None
    head = mac.split(":", 1)[0]
    return int(head) if head.isdigit() else None


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor file."""

    at: str
    db: str
    path: str
    seq: int
    hash: str
    kind: str  # commit | backup | restore


def anchor_line(key: bytes, anchor: Anchor) -> str:
    """The anchor as one JSON line, keyed so a line cannot be forged without the key."""
    body = {"at": anchor.at, "db": anchor.db, "path": anchor.path, "seq": anchor.seq, "hash": anchor.hash,
            "kind": anchor.kind}
    body["mac"] = hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()
    return json.dumps(body, ensure_ascii=False, sort_keys=True) + "\n"


def append_anchor(file: Path, key: bytes, anchor: Anchor) -> None:
    """Append one line (O_APPEND: whole lines, also with several writers)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, anchor_line(key, anchor).encode("utf-8"))
    finally:
        os.close(fd)


def anchored_paths(file: Path, key: bytes) -> set[str]:
    """Every database path the anchor file has a line for (whatever the database's identity)."""
    return {a.path for a in read_anchors(file, key, None)}


def read_anchors(file: Path, key: bytes, db: str | None) -> list[Anchor]:
    """The anchors of database `db` (None: of all) in file order. A line that does not verify under the key is an error
    (someone wrote it without the key)."""
    if not file.exists():
        return []
    out = []
    for n, raw in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            body = json.loads(raw)
            mac = body.pop("mac")
        except (ValueError, KeyError, AttributeError):
            raise StorageError(N_("Anchor file {file}, line {line}: unreadable"), file=str(file), line=n) from None
        if not hmac.compare_digest(mac, hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()):
            raise StorageError(N_("Anchor file {file}, line {line}: not written with the audit key"), file=str(file), line=n)
        if db is None or body["db"] == db:
            out.append(Anchor(at=body["at"], db=body["db"], path=body["path"], seq=int(body["seq"]),
                              hash=body["hash"], kind=body["kind"]))
    return out
