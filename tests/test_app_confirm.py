# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Irreversible one-click actions ask first (issue #15): revoking a consent, disabling an account (and
enabling it again), resetting a training session (tests/test_training_app.py). Cancel changes nothing."""

from __future__ import annotations

from assessment import services
from assessment.model import User
from assessment.store import Store
from tests.conftest import CaseBuilder
from tests.test_app_common import OpenApp, app_env, as_text, open_app  # noqa: F401


def test_revoking_a_consent_asks_first_and_cancel_changes_nothing(
        open_app: OpenApp, store: Store, make_case: CaseBuilder, app_env: dict[str, User]) -> None:
    ref = make_case()  # consents given
    secretary = app_env["secretary"]
    [consent] = [c for c in services.get_case(store, secretary, ref).consents if not c.revoked_on][:1]
    at = open_app("secretary", "ui/intake.py")
    key = f"consent.revoke.{consent.id}"
    at.button(key=key).click().run()
    assert not at.exception
    assert ("Vanaf vandaag mag het panel niet meer gebruiken wat deze toestemming toestond; een ingetrokken "
            "toestemming kan niet worden hersteld, alleen opnieuw worden gegeven met een nieuwe datum.") in [
        str(m.value) for m in at.markdown]
    at.button(key=key + ".confirm.no").click().run()
    assert [c.revoked_on for c in services.get_case(store, secretary, ref).consents if c.id == consent.id] == [None]
    at.button(key=key).click().run()
    at.button(key=key + ".confirm.yes").click().run()
    assert not at.exception
    assert "Toestemming ingetrokken." in [as_text(s.value) for s in at.success]
    [revoked] = [c for c in services.get_case(store, secretary, ref).consents if c.id == consent.id]
    assert revoked.revoked_on is not None


def test_disabling_an_account_asks_first_and_it_can_be_enabled_again(
        open_app: OpenApp, store: Store, app_env: dict[str, User]) -> None:
    admin = app_env["admin"]
    at = open_app("admin", "ui/admin.py")
    at.selectbox(key="user.disable.username").set_value("labour")
    at.text_input(key="user.disable.reason").input("Leaves the pilot")
    at.button(key="user.disable.submit").click().run()
    assert not at.exception
    assert not next(u for u in services.list_users(store, admin) if u.username == "labour").disabled  # not yet
    at.button(key="user.disable.confirm.yes").click().run()
    assert "Account uitgeschakeld." in [as_text(s.value) for s in at.success]
    assert next(u for u in services.list_users(store, admin) if u.username == "labour").disabled
    at.selectbox(key="user.enable.username").set_value("labour")
    at.text_input(key="user.enable.reason").input("Back in the pilot")
    at.button(key="user.enable.submit").click().run()
    assert not at.exception
    assert not next(u for u in services.list_users(store, admin) if u.username == "labour").disabled
    assert "Account ingeschakeld." in [as_text(s.value) for s in at.success]
