# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The Letter screen: the real letter's pages as images, issuing and correcting by the chair, the issued
versions with their SHA-256; and who may not open it."""

from __future__ import annotations

import hashlib

import pytest

from assessment import services
from assessment.letters.deployment import DEPLOYMENT_FILE, parse_deployment
from assessment.model import User
from assessment.rubric import Rubric
from assessment.services.importing import DEMO_CASES, import_case_file
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401 (fixtures)
from tests.test_app_journeys import POSITIVE, submit


@pytest.fixture
def decided(store: Store, users: dict[str, User], make_case: CaseBuilder, rubric: Rubric) -> str:
    ref = make_case()
    chair = users["chair"]
    for member in ("police", "care", "legal"):
        submit(store, users[member], ref, dict.fromkeys(POSITIVE, "present"), rubric)
    services.open_deliberation(store, chair, ref, services.get_case(store, chair, ref).version)
    result = services.deliberation_result(store, chair, ref, rubric)
    reasons = {d: f"Motivering bij {d}." for d, r in result.dimensions.items() if r.status != "undetermined"}
    services.record_decision(store, chair, ref, outcome="aannemelijk", reasons=reasons | {"overall": "Aannemelijk."},
                             rubric=rubric, expected_version=services.get_case(store, chair, ref).version)
    return ref


def test_the_chair_previews_issues_and_corrects_the_letter(decided: str, open_app: OpenApp, store: Store,
                                                           app_env: dict[str, User]) -> None:
    at = open_app("chair", "ui/letter.py")
    assert [as_text(e.value) for e in at.error] == []
    pages = list(at.image)
    assert len(pages) >= 2  # the draft's real pages (letter and annex), as rendered by the letters service
    assert [p.proto.imgs[0].caption for p in pages] == [f"Pagina {n} van {len(pages)}" for n in
                                                         range(1, len(pages) + 1)]
    # adopting and signing needs a confirmation first
    assert at.button(key="letter.issue").disabled
    assert at.button(key="letter.issue").label == "Vaststellen en ondertekenen"
    at.checkbox(key="letter.confirm").check().run()
    at.button(key="letter.issue").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert as_text(at.success[0].value) == f"Briefversie 1 (nl) vastgesteld en ondertekend voor {decided}."
    (first,) = services.list_letters(store, app_env["chair"], decided)
    stored = services.get_issued_letter(store, app_env["chair"], decided, lang="nl", version=1)
    assert (first.version, first.lang, first.issued_by, first.sha256) == (
        1, "nl", "chair", hashlib.sha256(stored.content).hexdigest())
    assert list(at.dataframe[0].value["SHA-256"]) == [first.sha256]
    # after issuing the page shows the issued version, not a draft of a correction
    assert len(at.image) == 0
    assert as_text(at.info[0].value).startswith("Versie 1 van deze brief is vastgesteld en ondertekend op ")
    assert not {b.key for b in at.button} & {"letter.issue", "letter.correct"}
    # a correction is a separate step, its reason entered first
    at.toggle(key="letter.correcting").set_value(True).run()
    assert "letter.correct" not in {b.key for b in at.button}
    at.text_area(key="letter.reason").input("Typfout in de naam.").run()
    assert len(at.image) >= 2
    at.checkbox(key="letter.confirm").check().run()
    at.button(key="letter.correct").click().run()
    assert [as_text(e.value) for e in at.error] == []
    versions = services.list_letters(store, app_env["chair"], decided)
    assert [(v.version, v.replaces_version, v.correction_reason) for v in versions] == [
        (1, None, ""), (2, 1, "Typfout in de naam.")]


def test_the_chair_signs_the_letter_on_an_inadmissible_application(store: Store, open_app: OpenApp,
                                                                   app_env: dict[str, User]) -> None:
    ref = import_case_file(store, app_env["chair"], DEMO_CASES / "10-inadmissible-late.yaml",
                           services.shipped_rubric(), lang="nl")
    at = open_app("chair", "ui/letter.py")
    assert len(at.image) >= 1 and [as_text(e.value) for e in at.error] == []
    at.checkbox(key="letter.confirm").check().run()
    at.button(key="letter.issue").click().run()
    assert [as_text(e.value) for e in at.error] == []
    assert as_text(at.success[0].value) == f"Briefversie 1 (nl) vastgesteld en ondertekend voor {ref}."
    assert [(x.kind, x.version) for x in services.list_letters(store, app_env["chair"], ref)] == [("inadmissible", 1)]


def test_a_letter_that_cannot_be_built_says_where_to_mend_it(decided: str, open_app: OpenApp, store: Store,
                                                             app_env: dict[str, User],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A dissent in the first person cannot go to third parties: mended on the Decision page, where it was typed.
    services.record_dissent(store, app_env["police"], decided, "Ik acht het wel aannemelijk.")
    at = open_app("chair", "ui/letter.py")
    assert [as_text(e.value) for e in at.error] and "derde persoon" in as_text(at.error[0].value)
    assert "Op de pagina Besluit: het oordeel en de motivering per element, de algemene motivering, de afwijkende " \
           "meningen." in [c.value for c in at.caption]
    assert not {b.key for b in at.button} & {"letter.issue"} and len(at.image) == 0  # nothing to sign or download
    # A deployment text the letterhead cannot hold: the administrator's file is named.
    text = DEPLOYMENT_FILE.read_text(encoding="utf-8").replace("Fonds Slachtofferhulp Mensenhandel (fictief)",
                                                               "Fonds " + "x" * 300)
    monkeypatch.setattr("assessment.services.letter_context.load_deployment",
                        lambda: parse_deployment(text, "letterhead.yaml"))
    # The dissent reworded, so the deployment is what is left to mend.
    services.record_dissent(store, app_env["police"], decided, "Dit lid acht het wel aannemelijk.")
    at = open_app("chair", "ui/letter.py")
    mend = "In het inzetbestand templates/letters/letterhead.yaml, dat de beheerder aanpast."
    assert [as_text(e.value) for e in at.error] == [
        "De brief kan niet worden opgesteld: de verwerkingsverantwoordelijke in de privacyverklaring is te lang "
        f"(hoogstens 200 tekens). {mend}"]
    assert mend not in [c.value for c in at.caption]  # said once, in the message


def test_the_secretary_previews_but_does_not_issue(decided: str, open_app: OpenApp) -> None:
    at = open_app("secretary", "ui/letter.py", lang="en")
    assert [t.value for t in at.title] == ["Letter"]
    assert len(at.image) >= 2
    assert not {b.key for b in at.button} & {"letter.issue", "letter.correct"}  # the chair signs and issues
    assert "No letter has been issued yet." in [c.value for c in at.caption]


def test_members_and_evaluators_cannot_open_the_letter(decided: str, open_app: OpenApp) -> None:
    for user in ("police", "evaluator", "admin"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(user, "ui/letter.py")
