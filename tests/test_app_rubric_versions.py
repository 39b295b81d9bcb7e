# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Rubric versions in the database: upload with every problem listed, activate, earlier results keep their
version, nothing is ever deleted; and the Administration screen that drives it."""

from __future__ import annotations

import sqlite3

import pytest

from assessment import services
from assessment.errors import AccessDeniedError, RubricError
from assessment.model import User
from assessment.rubric import ILO_RUBRIC, Rubric, parse_rubric
from assessment.services import rubrics
from assessment.store import Store
from tests.conftest import MINI, CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app, texts  # noqa: F401 (fixtures)
from tests.test_app_journeys import POSITIVE, submit

ILO_TEXT = ILO_RUBRIC.read_text("utf-8")
# The shipped ILO rubric as a later version: same indicators and rules, another version label.
ILO_NEXT = ILO_TEXT.replace('version: "2009.1"', 'version: "2009.2"', 1).encode()
BROKEN = b'id: broken\nversion: "1"\ntitle: {nl: "Kapot", en: "Broken"}\ntiers: []\nunexpected: 1\n'


def test_the_shipped_rubric_is_active_until_a_version_is_activated(store: Store, users: dict[str, User],
                                                                   legal_rubric: Rubric) -> None:
    admin = users["admin"]
    # the shipped default instrument is the legal test of art. 273f Sr
    assert rubrics.active_rubric(store).content_hash == legal_rubric.content_hash
    assert rubrics.active_rubric(store).id == "legal-273f"
    kept = rubrics.upload_rubric(store, admin, "mini.yaml", MINI.read_bytes())
    assert (kept.id, kept.version, kept.filename, kept.uploaded_by, kept.active) == (
        "mini", "1", "mini.yaml", "admin", False)
    assert rubrics.active_rubric(store).content_hash == legal_rubric.content_hash  # uploaded is not yet active
    assert rubrics.activate_rubric(store, admin, kept.key).active
    assert rubrics.active_rubric(store).content_hash == kept.hash == parse_rubric(MINI.read_bytes()).content_hash
    again = rubrics.upload_rubric(store, admin, "mini-copy.yaml", MINI.read_bytes())
    assert again == rubrics.list_rubric_versions(store, admin)[0]  # the same content is stored once
    nxt = rubrics.upload_rubric(store, admin, "ilo.yaml", ILO_NEXT)
    rubrics.activate_rubric(store, admin, nxt.key)
    assert [(v.id, v.version, v.active) for v in rubrics.list_rubric_versions(store, admin)] == [
        ("ilo-2009", "2009.2", True), ("mini", "1", False)]
    with store.read() as tx:
        audit = [(r[0], r[1]) for r in tx.conn.execute(
            "SELECT action, actor FROM audit_events WHERE action LIKE 'rubric.%' ORDER BY seq")]
    assert audit == [("rubric.upload", "admin"), ("rubric.activate", "admin"), ("rubric.upload", "admin"),
                     ("rubric.activate", "admin")]


def test_a_kept_copy_of_the_shipped_rubric_is_listed_as_the_one_in_force(store: Store, users: dict[str, User]) -> None:
    admin = users["admin"]
    with store.write() as tx:  # what a decision under the shipped rubric does: it keeps the text it used
        rubrics.keep_rubric(tx, rubrics.shipped_rubric(), "chair")
    # Nothing activated: the shipped rubric is in force, so its copy is active (the screen offers no Activate).
    assert [(v.id, v.active) for v in rubrics.list_rubric_versions(store, admin)] == [("legal-273f", True)]
    mini = rubrics.upload_rubric(store, admin, "mini.yaml", MINI.read_bytes())
    assert [(v.id, v.active) for v in rubrics.list_rubric_versions(store, admin)] == [
        ("mini", False), ("legal-273f", True)]
    rubrics.activate_rubric(store, admin, mini.key)
    assert [(v.id, v.active) for v in rubrics.list_rubric_versions(store, admin)] == [
        ("mini", True), ("legal-273f", False)]


def test_a_broken_upload_lists_every_problem_with_line_and_field_and_keeps_nothing(
        store: Store, users: dict[str, User]) -> None:
    with pytest.raises(RubricError) as info:
        rubrics.upload_rubric(store, users["admin"], "broken.yaml", BROKEN)
    problems = info.value.problems
    assert len(problems) >= 2 and all(p.file == "broken.yaml" for p in problems)
    assert any(p.field == "unexpected" and p.line == 5 for p in problems)
    assert rubrics.list_rubric_versions(store, users["admin"]) == []


def test_only_administrators_manage_rubric_versions(store: Store, users: dict[str, User]) -> None:
    for name in ("secretary", "chair", "police", "evaluator", "trainer"):
        with pytest.raises(AccessDeniedError):
            rubrics.upload_rubric(store, users[name], "mini.yaml", MINI.read_bytes())
        with pytest.raises(AccessDeniedError):
            rubrics.list_rubric_versions(store, users[name])


def test_stored_versions_are_never_deleted_or_changed(store: Store, users: dict[str, User]) -> None:
    kept = rubrics.upload_rubric(store, users["admin"], "mini.yaml", MINI.read_bytes())
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        store.db.execute("DELETE FROM rubric_versions WHERE id = ?", [int(kept.key)])
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):
        store.db.execute("UPDATE rubric_versions SET yaml = 'x' WHERE id = ?", [int(kept.key)])


def test_decisions_score_against_the_active_version_and_keep_theirs(
        store: Store, users: dict[str, User], make_case: CaseBuilder, rubric: Rubric) -> None:
    chair, admin = users["chair"], users["admin"]

    def decide() -> tuple[str, str]:
        ref = make_case()
        for member in ("police", "care", "legal"):
            submit(store, users[member], ref, dict.fromkeys(POSITIVE, "present"), rubric)
        services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
        result = services.deliberation_result(store, chair, ref)
        assert result.rubric_hash == rubrics.active_rubric(store).content_hash
        reasons = {part: "Blijkt uit het dossier." for part, s in result.assessed.items() if s != "undetermined"}
        services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons | {"overall": "Aannemelijk."},
                                 expected_version=services.get_case(store, chair, ref).version)
        d = services.get_case(store, chair, ref).decision
        assert d is not None
        return d.rubric_version, d.rubric_hash

    # the ILO research instrument, activated on purpose (the shipped default is the legal test)
    ilo = rubrics.upload_rubric(store, admin, "ilo-2009.yaml", ILO_TEXT.encode())
    rubrics.activate_rubric(store, admin, ilo.key)
    first = decide()
    nxt = rubrics.upload_rubric(store, admin, "ilo.yaml", ILO_NEXT)
    rubrics.activate_rubric(store, admin, nxt.key)
    second = decide()
    assert (first, second) == (("2009.1", rubric.content_hash), ("2009.2", nxt.hash))
    earlier = rubrics.rubric_by_hash(store, first[1])
    assert earlier is not None and earlier.version == "2009.1"  # the earlier decision's rubric is still at hand


def test_the_administration_screen_uploads_shows_problems_and_activates(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    at = open_app("admin", "ui/admin.py", lang="en")
    at.file_uploader(key="rubric.file").set_value(("broken.yaml", BROKEN, "application/x-yaml")).run()
    at.button(key="rubric.upload").click().run()
    assert as_text(at.error[0].value).startswith("The rubric has ")
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Line", "Where", "Problem"] and 5 in list(table["Line"])
    assert "'unexpected'" in list(table["Where"])  # the unknown key as the file spells it
    assert rubrics.list_rubric_versions(store, app_env["admin"]) == []
    at.file_uploader(key="rubric.file").set_value(("ilo.yaml", ILO_NEXT, "application/x-yaml")).run()
    at.button(key="rubric.upload").click().run()
    assert [as_text(e.value) for e in at.error] == []
    (kept,) = rubrics.list_rubric_versions(store, app_env["admin"])
    at.button(key=f"rubric.activate.{kept.key}").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert rubrics.active_rubric(store).version == "2009.2"
    assert any("2009.2" in as_text(c.value) for c in at.caption)  # the screen names the active version


def test_with_the_legal_test_active_deliberation_shows_each_element_and_what_it_still_needs(
        open_app: OpenApp, store: Store, users: dict[str, User], make_case: CaseBuilder,
        app_env: dict[str, User]) -> None:  # noqa: F811
    legal = rubrics.upload_rubric(store, users["admin"], "legal-273f.yaml",
                                  (ILO_RUBRIC.parent / "legal-273f.yaml").read_bytes())
    rubrics.activate_rubric(store, users["admin"], legal.key)
    active = rubrics.active_rubric(store)
    ref = make_case()  # an adult, sexual exploitation
    # Recruited with a false job offer (deception, strong) and the act itself; nothing yet on exploitation.
    submit(store, app_env["police"], ref, {"act.recruited": "present", "deceptive_recruitment.nature_of_job": "present"},
           active)
    submit(store, app_env["care"], ref, {"act.recruited": "present"}, active)
    at = open_app("chair", "ui/deliberation.py")
    at.button(key="deliberation.open").click().run()
    page = texts(at)
    assert "Per element" in page
    assert "**Gedraging** — ondersteund door de indicatoren" in page
    assert "**Middel** — ondersteund door de indicatoren" in page  # deception alone is a means
    assert "**Oogmerk van uitbuiting** — onvoldoende informatie" in page
    # the shortest routes to the purpose of exploitation, not a list of every unknown indicator (the ILO
    # list for sexual exploitation has no strong indicator of exploitative conditions)
    assert ("Nog nodig, een van:\n- 2 matige indicatoren van uitbuitende omstandigheden\n"
            "- 1 indicator van de vorm van uitbuiting") in page
    # a rule is "met" only where it is, and said in words
    assert "**Misleiding** — positief · regel vervuld: 1 sterke indicator" in page
    assert "**Uitbuitende omstandigheden** — onbepaald\n" in page
