"""The disclosure setting of this deployment: what every evaluation output that leaves the tool is protected
by (figures, report, research export, what-if). Evaluators never choose it; an administrator changes it with a
reason, and the change is an event of the keyed audit chain, which is also where the setting in force is
read from (the newest `disclosure.set` event, else the default): no table an insider could quietly edit.

The research pseudonyms are keyed: HMAC-SHA-256 under a key derived from the audit key (kept outside the
database) for this database and the setting's pseudonym generation. The same case gets the same pseudonym in
every research export of a generation, so exports can be linked; without the audit key no pseudonym can be
traced back to a case reference. A new generation (an administrator's decision) makes all keys new."""

from __future__ import annotations

import hashlib
import hmac
import json

from pydantic import ValidationError as PydanticValidationError

from ..access import require
from ..errors import StorageError, ValidationError
from ..evaluation.disclosure import DEFAULT_SETTING, MIN_THRESHOLD, DisclosureRule, DisclosureSetting
from ..i18n import N_
from ..model import User
from ..store import Store, Tx

ACTION = "disclosure.configure"
EVENT = "disclosure.set"


def _setting(tx: Tx) -> DisclosureSetting:
    event = tx.last_setting_event(EVENT)
    if event is None:
        return DEFAULT_SETTING
    try:
        return DisclosureSetting.model_validate(json.loads(event.after or "null"))
    except (ValueError, PydanticValidationError):
        # Only a forged or damaged event gets here (the service never writes one): refuse to publish anything.
        raise StorageError(N_("The disclosure setting in the audit log (event {seq}) is invalid; run `audit "
                              "verify`. Nothing is published until an administrator sets it again."),
                           seq=event.seq) from None


def disclosure_setting(store: Store) -> DisclosureSetting:
    """The disclosure setting in force (anyone may know it: its rule is printed under every table)."""
    with store.read() as tx:
        return _setting(tx)


def disclosure_rule(store: Store) -> DisclosureRule:
    """The disclosure rule every evaluation output of this deployment is protected by."""
    return disclosure_setting(store).rule


def configure_disclosure(
    store: Store, user: User, *, reason: str, threshold: int | None = None, new_pseudonyms: bool = False
) -> DisclosureSetting:
    """Change the threshold (never below MIN_THRESHOLD) and/or start a new generation of research
    pseudonyms; administrators only, always with a reason, recorded in the audit log with the setting it
    replaces. Returns the setting now in force."""
    require(user, ACTION)
    if not reason.strip():
        raise ValidationError(N_("Give the reason for changing the disclosure setting."), field="reason")
    if threshold is not None and threshold < MIN_THRESHOLD:
        raise ValidationError(N_("The disclosure threshold must be at least {minimum}."), minimum=MIN_THRESHOLD,
                              field="threshold")
    with store.write() as tx:
        before = _setting(tx)
        after = before.model_copy(update={
            "threshold": before.threshold if threshold is None else threshold,
            "pseudonym_generation": before.pseudonym_generation + (1 if new_pseudonyms else 0),
        })
        after = DisclosureSetting.model_validate(after.model_dump())  # the bounds, checked again
        tx.append_audit(actor=user.username, action=EVENT, entity="disclosure", before=before.model_dump(),
                        after=after.model_dump(), reason=reason.strip())
    return after


def pseudonym_key(store: Store, setting: DisclosureSetting) -> bytes:
    """The key research pseudonyms are drawn with: derived from the audit key (outside the database), this
    database's identity and the pseudonym generation, so it is never stored and never shown."""
    label = f"aannemelijk research pseudonyms\x00{store.identity}\x00{setting.pseudonym_generation}"
    return hmac.new(store.key, label.encode("utf-8"), hashlib.sha256).digest()
