# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""The pages that record what the evaluation measures: the File page marks the file complete, the Letter
page records what a recipient reported back on the issued advice."""

from __future__ import annotations

import datetime as dt

from assessment import services
from assessment.model import AdviceUse, User
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401 (fixtures)
from tests.test_app_letter import decided  # noqa: F401 (fixture)


def test_the_secretary_marks_the_file_complete(make_case: CaseBuilder, open_app: OpenApp, store: Store,
                                               app_env: dict[str, User]) -> None:
    ref = make_case()
    services.add_chronology(store, app_env["secretary"], ref, dt.date(2026, 3, 2), "Synthetisch feit")
    at = open_app("secretary", "ui/file.py")
    # The tables' dates as people write them, as everywhere on the page (never the stored ISO text).
    assert list(at.dataframe[-1].value["Datum"]) == ["2 maart 2026"]
    at.button(key="file.complete").click().run()
    assert [as_text(e.value) for e in at.error] == []
    today = dt.datetime.now(dt.UTC).date()
    assert services.get_case(store, app_env["secretary"], ref).file_complete_on == today
    assert any(s.value.startswith("Dossier compleet sinds ") for s in at.success)
    assert "file.complete" not in {b.key for b in at.button}  # once


def test_the_secretary_records_the_use_of_the_issued_advice(decided: str, open_app: OpenApp, store: Store,
                                                            app_env: dict[str, User]) -> None:
    services.mark_letter_issued(store, app_env["secretary"], decided)
    at = open_app("secretary", "ui/letter.py")
    assert [as_text(e.value) for e in at.error] == []
    at.selectbox(key="advice.by").set_value("prosecution")
    at.selectbox(key="advice.followed").set_value("not_followed")
    at.button(key="advice.record").click().run()
    assert [as_text(e.value) for e in at.error] == []
    today = dt.datetime.now(dt.UTC).date()
    assert services.get_case(store, app_env["secretary"], decided).advice_uses == [
        AdviceUse(by="prosecution", followed="not_followed", on=today)]
    shown = at.dataframe[-1].value
    assert list(shown["Ontvanger"]) == ["Openbaar Ministerie"] and list(shown["Teruggemeld"]) == ["advies niet gevolgd"]
