"""Errors at their fields, for every form (intake, hearing, decision, file): the submit callback stores
field -> message under a widget-free key, each field shows its own message under it, and a summary next to
the button names every field in the form's order. Nothing typed is touched: the widgets keep their values.

A service error names its field (`ValidationError.field`, e.g. "members", "applicant.name"); a model
rule across fields names it too (`RuleError.field`: the message is the model's, one home per rule); any other
model error names it in pydantic's location. A message without a field of the form goes to
"form" and shows in the summary only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError as PydanticValidationError

from assessment.errors import AannemelijkError, RuleError
from ui import limits, state
from ui.i18n import _
from ui.text import md_escape

FORM = "form"  # the errors of no one field


def clear(key: str) -> None:
    state.put(key, {})


def put(key: str, errors: dict[str, str]) -> None:
    state.put(key, errors)


def errors(key: str) -> dict[str, str]:
    value = state.get(key)
    return value if isinstance(value, dict) else {}


def of_service(exc: AannemelijkError, fields: Mapping[str, str]) -> dict[str, str]:
    """A service's refusal at the field it names (the last part of "applicant.name"), else at the form."""
    field = str(getattr(exc, "field", "") or "").rsplit(".", 1)[-1]
    return {field if field in fields else FORM: exc.text(state.lang())}


def broken_rule(err: Mapping[str, Any]) -> tuple[str, str] | None:
    """A model's rule across fields (a RuleError) as (its field, its message in the user's language), else None."""
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, RuleError):
        return cause.field.rsplit(".", 1)[-1] or FORM, cause.text(state.lang())
    return None


def of_model(exc: PydanticValidationError, fields: Mapping[str, str]) -> dict[str, str]:
    """A model's rules broken on submit, each at its field, in the user's words (never a regular expression)."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        rule = broken_rule(err)
        if rule is not None:
            out.setdefault(rule[0] if rule[0] in fields else FORM, rule[1])
            continue
        field = next((str(p) for p in reversed(err["loc"]) if not str(p).isdigit()), FORM)
        field = field if field in fields else FORM
        if err["type"] == "string_too_long":
            out.setdefault(field, _("At most {n} characters.").format(n=limits.number(int(err["ctx"]["max_length"]))))
        else:
            out.setdefault(field, _("This value is missing or invalid."))
    return out


def at(key: str, field: str) -> None:
    """The message of the last submit for this field, right under it."""
    message = errors(key).get(field)
    if message:  # a service's message may quote what was typed: shown as text
        st.error(md_escape(message, lines=True), icon=":material/error:")


def summary(key: str, fields: Mapping[str, str], heading: str) -> None:
    """Next to the button: every error of the last submit, named by its field, in the form's order."""
    found = errors(key)
    if not found:
        return
    order = [f for f in fields if f in found] + [f for f in found if f not in fields]
    lines = [f"- {_(fields[f])}: {md_escape(found[f])}" if f in fields else f"- {md_escape(found[f])}" for f in order]
    st.error(heading + "\n" + "\n".join(lines), icon=":material/error:")

