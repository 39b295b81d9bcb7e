"""The audit trail: append-only events (who, when, what, before -> after, reason) in a hash chain.

Each event's hash covers its content and the previous event's hash, but not its position (`seq`), so
verification can tell the three kinds of tampering apart:

- changed:   an event's content no longer matches its own hash;
- removed:   an event points to a predecessor that is missing (a gap), or the log is shorter than its head;
- reordered: an event points to a predecessor that is still there, but elsewhere in the order.

`before`, `after` and `reason` may hold personal data; they enter the hash by their SHA-256 digest, so
retention (assessment.services.privacy) can replace them by `redacted:<digest>` without breaking the chain.

The chain is keyed: each hash is an HMAC-SHA256 under the installation's audit key, which lives outside the
database file (the deployment's secrets; see assessment.integrity). Someone holding only the file can
change, remove or re-hash events, but cannot compute hashes that verify; together with the external anchor
of the head (assessment.integrity) that makes rewriting, truncating and emptying the log visible.
`key=None` gives the unkeyed SHA-256 chain of databases made before the key (resealed when opened).

Pure functions; the store appends events inside the transaction of the change they record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

from .i18n import N_, Msg

GENESIS = "sha256:" + "0" * 64
KEYED = "hmac-sha256:"


@dataclass(frozen=True)
class Event:
    """One audit event as stored. `before` and `after` are JSON text (or None)."""

    seq: int
    at: str
    actor: str
    action: str
    case_ref: str | None
    entity: str
    before: str | None
    after: str | None
    reason: str
    prev_hash: str
    hash: str

    def row(self) -> dict[str, object]:
        """The event as a row for the store."""
        return asdict(self)


def content_hash(event: Event, key: bytes | None = None) -> str:
    """The hash an intact event carries: its content (not its seq) chained to the previous hash, keyed
    (HMAC-SHA256) when `key` is given."""
    # The free-text fields enter the chain by their digest, so retention can redact them (replace the text by
    # `redacted:<digest>`) while verification still checks every other field and the redacted digest.
    content = {
        "at": event.at, "actor": event.actor, "action": event.action, "case_ref": event.case_ref,
        "entity": event.entity, "before": field_digest(event.before), "after": field_digest(event.after),
        "reason": field_digest(event.reason), "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key is not None:
        return KEYED + hmac.new(key, canonical, hashlib.sha256).hexdigest()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


REDACTED = "redacted:"


def field_digest(value: str | None) -> str | None:
    """The digest a free-text field contributes to the chain; a redacted field carries its original digest."""
    if value is None:
        return None
    if value.startswith(REDACTED + "sha256:"):
        return value.removeprefix(REDACTED)
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def redact(value: str | None) -> str | None:
    """The field with its text replaced by `redacted:<digest>`: the content is gone, the chain still holds."""
    digest = field_digest(value)
    return None if digest is None else REDACTED + digest


def seal(event: Event, key: bytes | None = None) -> Event:
    """The event with its hash filled in."""
    return replace(event, hash=content_hash(event, key))


@dataclass(frozen=True)
class Finding:
    """The first place the chain breaks."""

    kind: Literal["changed", "removed", "reordered"]
    seq: int  # the event at which the break shows
    message: Msg


def verify(events: Sequence[Event], head: tuple[int, str] | None, key: bytes | None = None) -> Finding | None:
    """Check the whole chain in stored order; return the first break, or None when it is intact.

    `head` is the (seq, hash) the store recorded with the last append; it reveals events removed from the
    end, which no chain can reveal on its own."""
    by_hash = {e.hash: i for i, e in enumerate(events)}
    prev_hash = GENESIS
    prev_seq = 0
    for i, e in enumerate(events):
        if not hmac.compare_digest(content_hash(e, key), e.hash):
            return Finding("changed", e.seq, _msg("changed", e.seq))
        if e.prev_hash != prev_hash:
            j = by_hash.get(e.prev_hash)
            if j is not None and j > i or (j is not None and j < i - 1):
                return Finding("reordered", e.seq, _msg("reordered", e.seq))
            return Finding("removed", e.seq, _msg("removed", e.seq, after=prev_seq))
        if e.seq != prev_seq + 1:
            # Content and links are intact but the numbering skips: rows were renumbered after removal.
            return Finding("removed", e.seq, _msg("removed", e.seq, after=prev_seq))
        prev_hash, prev_seq = e.hash, e.seq
    if head is not None:
        head_seq, head_hash = head
        if head_hash != prev_hash or head_seq != prev_seq:
            if head_hash in by_hash:
                return Finding("reordered", head_seq, _msg("reordered", head_seq))
            return Finding("removed", prev_seq + 1, _msg("removed", prev_seq + 1, after=prev_seq))
    elif events:
        return Finding("removed", prev_seq + 1, Msg(N_("The audit log's head is missing")))
    return None


def _msg(kind: str, seq: int, after: int | None = None) -> Msg:
    if kind == "changed":
        return Msg(N_("Event #{seq} was changed"), {"seq": seq})
    if kind == "reordered":
        return Msg(N_("Event #{seq} was reordered"), {"seq": seq})
    return Msg(N_("Event(s) after #{after} were removed (first missing before #{seq})"), {"after": after, "seq": seq})
