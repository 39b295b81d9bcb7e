# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The Administration screen's letter templates: download a version to edit, upload changed files (a broken
one is refused with template, line and reason, and can never be activated), activate; and the download
through the services, which only administrators may use."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, NotFoundError
from assessment.model import User
from assessment.services.letters import active_templates
from assessment.store import Store
from tests.test_app_common import OpenApp, app_env, as_text, open_app, texts  # noqa: F401 (fixtures)

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "templates" / "letters"
MAIN_NL = (SHIPPED_DIR / "letter.nl.typ.j2").read_text("utf-8")


def unzipped(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


def test_the_download_holds_the_version_s_files_and_is_for_administrators(store: Store, users: dict[str, User]) -> None:
    admin = users["admin"]
    [shipped] = services.list_template_sets(store, admin)
    data, name = services.template_set_download(store, admin, shipped.id)
    # The shipped files as they are on disk: what an administrator edits and uploads again.
    assert unzipped(data) == {p.name: p.read_text("utf-8") for p in SHIPPED_DIR.glob("*.typ.j2")}
    assert re.fullmatch(r"letter-templates-[0-9a-f]{12}\.zip", name)
    with pytest.raises(NotFoundError):
        services.template_set_download(store, admin, "sha256:" + "0" * 64)
    for role in ("secretary", "chair", "police", "evaluator", "trainer"):
        with pytest.raises(AccessDeniedError):
            services.template_set_download(store, users[role], shipped.id)


def test_the_administration_screen_refuses_a_broken_template_then_keeps_and_activates_a_good_one(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    admin = app_env["admin"]
    at = open_app("admin", "ui/admin.py")
    assert "Briefsjablonen" in [s.value for s in at.subheader]
    assert "Meegeleverde sjablonen" in texts(at)  # the shipped set, active: nothing uploaded yet

    broken = MAIN_NL + "\n{% if lang %}\n"
    at.file_uploader(key="template.files").set_value([("letter.nl.typ.j2", broken.encode(), "text/plain")]).run()
    at.button(key="template.upload").click().run()
    [error] = [as_text(e.value) for e in at.error]
    assert re.match(r"De sjablonen zijn afgekeurd; aan de brieven verandert niets: "
                    r"Briefsjabloon letter\.nl\.typ\.j2, regel \d+: ", error), error
    refused = [v for v in services.list_template_sets(store, admin) if not v.shipped]
    assert [(v.valid, v.active) for v in refused] == [(False, False)]
    at.run()
    short = refused[0].id.removeprefix("sha256:")[:12]
    assert f"template.activate.{short}" not in {b.key for b in at.button}  # a refused version has no Activate
    assert "afgekeurd bij de controle" in texts(at)

    good = MAIN_NL + "\n// versie 2\n"
    at.file_uploader(key="template.files").set_value([("letter.nl.typ.j2", good.encode(), "text/plain")]).run()
    at.button(key="template.upload").click().run()
    assert [as_text(e.value) for e in at.error] == []
    [kept] = [v for v in services.list_template_sets(store, admin) if v.valid and not v.shipped]
    assert not kept.active and "Sjablonen bewaard (" in texts(at)
    at.button(key=f"template.activate.{kept.id.removeprefix('sha256:')[:12]}").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert active_templates(store).sources["letter.nl.typ.j2"] == good
    data, _name = services.template_set_download(store, admin, kept.id)
    assert unzipped(data)["letter.nl.typ.j2"] == good  # the upload, laid over the shipped set
    assert unzipped(data)["letter.en.typ.j2"] == (SHIPPED_DIR / "letter.en.typ.j2").read_text("utf-8")
