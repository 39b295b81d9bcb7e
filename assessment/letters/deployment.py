"""The deployment's facts every letter uses (templates/letters/letterhead.yaml), checked strictly.

Who sends the letter, the regulation, what the advice is in law and the remedies that go with it, the fixed
parts of the privacy notice and the referral organisations differ per deployment, so they are configuration,
not code. A missing text, an unknown key, or remedies that offer an objection or appeal against an advice
that is not a decision are refused with the file and field named.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..errors import RuleError, ValidationError
from ..fileplaces import explain, place, readable_union_loc, rule_loc
from ..i18n import N_, Joined, Msg
from .context import Lang, Referral, Sender

log = logging.getLogger("aannemelijk.letters")

LANGS: tuple[Lang, ...] = ("nl", "en")
DEPLOYMENT_FILE = Path(__file__).resolve().parent.parent.parent / "templates" / "letters" / "letterhead.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages."""

    nl: str = Field(min_length=1, max_length=4000)
    en: str = Field(min_length=1, max_length=4000)

    def __call__(self, lang: Lang) -> str:
        return self.nl if lang == "nl" else self.en


class Texts(_Strict):
    """Paragraphs in both languages (the same number in each)."""

    nl: list[str] = Field(min_length=1, max_length=10)
    en: list[str] = Field(min_length=1, max_length=10)

    def __call__(self, lang: Lang) -> list[str]:
        return list(self.nl if lang == "nl" else self.en)

    @model_validator(mode="after")
    def _same_length(self) -> Texts:
        if len(self.nl) != len(self.en):
            raise RuleError(N_("the Dutch and English texts must have the same number of paragraphs"))
        return self


Words = str | Text


def _words(value: Words, lang: Lang) -> str:
    return value if isinstance(value, str) else value(lang)


class SenderConfig(_Strict):
    fund_name: Words
    unit: Words = ""
    return_address: Words
    postal_address: list[str] = Field(max_length=6)
    phone: str = ""
    email: str = ""
    website: str = ""


class NextSteps(_Strict):
    plausible: Texts
    not_plausible: Texts
    criminal: Text


class ReferralConfig(_Strict):
    name: str = Field(min_length=1, max_length=200)
    what: Words = ""
    contact: str = ""


class PrivacyConfig(_Strict):
    controller: Words
    controller_address: str = ""
    dpo: Words
    purposes: Text
    legal_bases: Texts
    special_basis: Text
    criminal_basis: Text
    # Said only when the police file was used, i.e. its authorisation is valid on the letter's date.
    police_file_basis: Text
    authority: Text


# Words that offer an objection or appeal against the advice itself (as opposed to a complaint, or the data
# subject's right to object to processing).
_APPEAL = re.compile(r"bezwaar\s+maken|bezwaarschrift|beroep\s+instellen|binnen\s+zes\s+weken|lodge an objection|"
                     r"notice of objection|file an appeal|within six weeks", re.IGNORECASE)


class Deployment(_Strict):
    """The contents of letterhead.yaml."""

    sender: SenderConfig
    panel_name: Words
    legal_basis: Words
    advice_is_decision: bool = False
    legal_status: Texts
    remedies: Texts
    next_steps: NextSteps
    referrals: list[ReferralConfig] = Field(default_factory=list, max_length=20)
    inadmissible_status: Texts
    inadmissible_options: Texts
    privacy: PrivacyConfig

    @model_validator(mode="after")
    def _remedies_fit_the_status(self) -> Deployment:
        # An objection (bezwaar) lies only against a decision (besluit) under the Awb: offering one against an
        # advice contradicts the letter's own statement of what the advice is.
        if not self.advice_is_decision:
            for lang in LANGS:
                for key, texts in (("remedies", self.remedies), ("inadmissible_options", self.inadmissible_options)):
                    for paragraph in texts(lang):
                        found = _APPEAL.search(paragraph)
                        if found:  # the place (key and language) is said where the error is shown
                            raise RuleError(N_("offers '{found}' against an advice that is not a decision "
                                               "(advice_is_decision: false)"), found=found.group(0),
                                            field=f"{key}.{lang}")
        return self

    def sender_for(self, lang: Lang) -> Sender:
        s = self.sender
        return Sender(fund_name=_words(s.fund_name, lang), unit=_words(s.unit, lang),
                      return_address=_words(s.return_address, lang), postal_address=list(s.postal_address),
                      phone=s.phone, email=s.email, website=s.website)

    def referrals_for(self, lang: Lang) -> list[Referral]:
        return [Referral(name=r.name, what=_words(r.what, lang), contact=r.contact) for r in self.referrals]

    def words(self, value: Words, lang: Lang) -> str:
        """A configured text in `lang`."""
        return _words(value, lang)


def parse_deployment(text: str, name: str = "letterhead.yaml") -> Deployment:
    """Parse and check a deployment file's text; ValidationError names the file and each field at fault."""
    try:
        data: Any = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise ValidationError(N_("{name} is not valid YAML: {reason}"), name=name, reason=str(exc), field=name) from exc
    try:
        return Deployment.model_validate(data)
    except PydanticValidationError as exc:
        # Said where in the file's own terms and in the reader's language; pydantic's text goes to the log.
        log.warning("%s is invalid: %s", name, exc)
        problems = Joined(tuple(Msg(N_("{place}: {problem}"), {"place": place(data, rule_loc(e, readable_union_loc(
                                                                   e["loc"]))),
                                                               "problem": explain(e)})
                                for e in exc.errors(include_url=False)))
        raise ValidationError(N_("{name} is invalid: {problems}"), name=name, problems=problems, field=name) from exc


@lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int) -> Deployment:
    return parse_deployment(Path(path).read_text(encoding="utf-8"), Path(path).name)


def load_deployment(path: Path = DEPLOYMENT_FILE) -> Deployment:
    """The deployment file, parsed once per change of the file."""
    return _cached(str(path), path.stat().st_mtime_ns)
