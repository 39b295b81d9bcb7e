"""Template versions and their validation, and the sample letters every version must render.

A template set is accepted only if it parses, uses nothing but LetterContext fields, and renders every
sample (and, once wired to the store, every demo case) in both languages to a PDF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..errors import TemplateError, ValidationError
from ..fileplaces import FIELD, explain, place, readable_loc, rule_loc
from ..i18n import N_, Joined, Msg
from .context import Lang, LetterContext
from .render import TEMPLATE_DIR, TemplateSet, check_templates, render_pdf

SAMPLE_DIR = TEMPLATE_DIR / "samples"
LETTERHEAD = TEMPLATE_DIR / "letterhead.yaml"
LANGS: tuple[Lang, ...] = ("nl", "en")
MAX_TEMPLATE_BYTES = 200_000


def pick(value: Any, lang: Lang) -> Any:
    """Replace every `{nl: ..., en: ...}` mapping by the text in `lang`."""
    if isinstance(value, dict):
        if set(value) == {"nl", "en"}:
            return value[lang]
        return {k: pick(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [pick(v, lang) for v in value]
    return value


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and set(value) != {"nl", "en"}:
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_yaml(path: Path) -> dict[str, Any]:
    name = Msg(N_("Sample letter {name}"), {"name": path.name})
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        raise ValidationError(N_("{name} is not valid YAML: {reason}"), name=name, reason=str(exc),
                              field=path.name) from exc
    if not isinstance(data, dict):
        raise ValidationError(N_("{name} is invalid: {problems}"), name=name,
                              problems=Msg(N_("should be a mapping of keys to values")), field=path.name)
    return data


def sample_paths(directory: Path = SAMPLE_DIR) -> list[Path]:
    """The sample letters (files not starting with `_`), in name order."""
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))


def load_sample(path: Path, lang: Lang) -> LetterContext:
    """One sample letter in one language, over the shared `_common.yaml` of its directory."""
    common = path.parent / "_common.yaml"
    own = read_yaml(path)
    # `extends: other.yaml` starts from another sample, so a variant only lists what differs. A sample is a
    # whole context (the deployment's facts included), as the context builder writes it.
    base = read_yaml(path.parent / str(own.pop("extends"))) if "extends" in own else {}
    data = _merge(_merge(read_yaml(common) if common.exists() else {}, base), own)
    data = pick(data, lang)
    data["lang"] = lang
    try:
        return LetterContext.model_validate(data)
    except PydanticValidationError as exc:
        # Each field at fault in the file's own keys and the reader's language (as the letterhead file's).
        problems = Joined(tuple(Msg(N_("{place}: {problem}"), {"place": place(data, rule_loc(e, readable_loc(e["loc"]))),
                                                               "problem": explain(e)})
                                for e in exc.errors(include_url=False)))
        name = Msg(N_("Sample letter {name} ({language})"), {"name": path.name, "language": Msg(FIELD[lang])})
        raise ValidationError(N_("{name} is invalid: {problems}"), name=name, problems=problems,
                              field=path.name) from exc


def sample_contexts(lang: Lang, directory: Path = SAMPLE_DIR) -> list[LetterContext]:
    """Every sample letter in one language."""
    return [load_sample(p, lang) for p in sample_paths(directory)]


def template_version_id(templates: TemplateSet) -> str:
    """A content hash of a template set: the same files always give the same id."""
    h = hashlib.sha256()
    for name in sorted(templates.sources):
        h.update(name.encode("utf-8") + b"\0" + templates.sources[name].encode("utf-8") + b"\0")
    return "sha256:" + h.hexdigest()


def short_version_id(template_id: str) -> str:
    """A template version's id as people compare it on a screen or in a file name: its first 12 hex digits."""
    return template_id.removeprefix("sha256:")[:12]


def template_set_from_files(files: dict[str, bytes | str], version: str) -> TemplateSet:
    """A template set from uploaded files (name -> content), checked for names, size and encoding."""
    sources: dict[str, str] = {}
    for name, content in files.items():
        if "/" in name or "\\" in name or not name.endswith(".typ.j2"):
            raise TemplateError(N_("Letter template {where}: {reason}"), where=name,
                                reason=Msg(N_("a template file is a plain name ending in .typ.j2")))
        raw = content.encode("utf-8") if isinstance(content, str) else content
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise TemplateError(N_("Letter template {where}: {reason}"), where=name,
                                reason=Msg(N_("larger than {size} kB"), {"size": MAX_TEMPLATE_BYTES // 1000}))
        try:
            sources[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(N_("Letter template {where}: {reason}"), where=name,
                                reason=Msg(N_("not UTF-8 text"))) from exc
    return TemplateSet(sources, version)


def validate_template_set(templates: TemplateSet, contexts: Iterable[LetterContext] | None = None) -> int:
    """Check a template set and render every context (default: every sample in both languages) to PDF.
    Returns the number of letters rendered; raises TemplateError naming template, line and reason."""
    check_templates(templates)
    if contexts is None:
        contexts = [c for lang in LANGS for c in sample_contexts(lang)]
    count = 0
    for context in contexts:
        try:
            render_pdf(context, templates, archive=False)
        except TemplateError as exc:
            raise TemplateError(N_("{error} (while rendering {ref}, {lang})"), error=Msg(exc.message_id, exc.params),
                                ref=context.reference, lang=context.lang) from exc
        count += 1
    return count
