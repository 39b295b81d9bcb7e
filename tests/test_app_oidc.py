# ruff: noqa: F811  (pytest fixtures imported from tests.test_app_common are redefined as test arguments)
"""Sign-in through an identity provider: which account an OIDC identity maps to, and the sign-in screen
when the secrets configure a provider (the real st.login flow runs in tests/browser/test_oidc_browser.py)."""

from __future__ import annotations

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.config import Settings
from assessment.errors import AuthenticationError
from assessment.model import User
from assessment.store import Store, open_store
from tests.test_app_common import APP, app_env  # noqa: F401 (fixtures)

IDENTITIES = {"Voorzitter@Example.nl": "chair", "u-police": "police", "gone@example.nl": "labour"}


def audit(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as tx:
        return [tuple(r) for r in tx.conn.execute(  # type: ignore[misc]
            "SELECT actor, action, entity FROM audit_events WHERE action IN ('auth.oidc', 'auth.refused') "
            "ORDER BY seq")]


def test_an_identity_maps_by_email_then_subject(store: Store, users: dict[str, User]) -> None:
    assert services.user_for_identity(store, IDENTITIES, "voorzitter@EXAMPLE.nl", "x") == users["chair"]
    assert services.user_for_identity(store, IDENTITIES, "other@example.nl", "u-police") == users["police"]
    assert services.user_for_identity(store, IDENTITIES, None, "u-police") == users["police"]
    assert audit(store) == [("chair", "auth.oidc", "user:chair"), ("police", "auth.oidc", "user:police"),
                            ("police", "auth.oidc", "user:police")]


def test_unmapped_disabled_and_demo_identities_are_refused(store: Store, users: dict[str, User],
                                                           tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthenticationError, match="onbekend@example.nl has no Aannemelijk account"):
        services.user_for_identity(store, IDENTITIES, "onbekend@example.nl", "u-9")
    services.disable_user(store, users["admin"], "labour")
    with pytest.raises(AuthenticationError):
        services.user_for_identity(store, IDENTITIES, "gone@example.nl", "u-8")
    production = open_store(Settings(db_path=store.path, demo=False))  # demo accounts only in demo mode
    try:
        with pytest.raises(AuthenticationError):
            services.user_for_identity(production, IDENTITIES, "voorzitter@example.nl", "u-1")
    finally:
        production.close()
    assert [a[1] for a in audit(store)] == ["auth.refused", "auth.refused", "auth.refused"]


def test_with_a_provider_the_sign_in_screen_offers_it_instead_of_passwords(app_env: dict[str, User]) -> None:
    st_config.set_option("client.showErrorDetails", "full")
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "aannemelijk", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["auth.oidc"]
    assert [t.key for t in at.text_input] == []  # no username or password fields
    plain = AppTest.from_file(APP, default_timeout=30).run()
    assert [t.key for t in plain.text_input] == ["signin.username", "signin.password"]
