"""Sign-in through an identity provider (st.login, OIDC) in a real browser, against a local provider
(`oidc-provider-mock`): a mapped e-mail address signs in with its account's role; an unmapped one is refused.

Streamlit reads a temporary secrets.toml (`--secrets.files`) with the [auth] section pointing at the local
provider and the [identities] table that maps identities to accounts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("playwright")
pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")
from playwright.sync_api import Browser, expect  # noqa: E402

from tests.browser.harness import (  # noqa: E402
    FIRST_PAGE_TIMEOUT,
    TIMEOUT,
    free_port,
    key,
    new_page,
    shot,
    streamlit_app,
    wait_http,
    wait_idle,
)

pytestmark = pytest.mark.browser

CHAIR = {"sub": "u-0001", "email": "Voorzitter@Example.nl", "name": "Synthetische Voorzitter"}
STRANGER = {"sub": "u-0002", "email": "onbekend@example.nl", "name": "Onbekend"}


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local OIDC provider and `streamlit run app.py` configured to sign in through it; yields the app URL."""
    tmp = tmp_path_factory.mktemp("oidc")
    idp_port, app_port = free_port(), free_port()
    idp_url, app_url = f"http://127.0.0.1:{idp_port}", f"http://127.0.0.1:{app_port}"
    secrets = tmp / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "test-only-cookie-secret-{os.getpid()}-not-for-production"
client_id = "aannemelijk"
client_secret = "test-only-client-secret"
server_metadata_url = "{idp_url}/.well-known/openid-configuration"

[identities]
"voorzitter@example.nl" = "chair"
""", encoding="utf-8")
    procs = []
    try:
        idp = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(idp_port),
             "--user-claims", json.dumps(CHAIR), "--user-claims", json.dumps(STRANGER)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(idp)
        wait_http(f"{idp_url}/.well-known/openid-configuration", idp)
        env = {"AANNEMELIJK_DB": str(tmp / "app.sqlite3"), "AANNEMELIJK_DEMO": "1",
               "AUTHLIB_INSECURE_TRANSPORT": "1"}  # the local provider speaks plain http
        with streamlit_app(env, "--secrets.files", str(secrets), port=app_port,
                           stderr=(tmp / "app.log").open("wb")) as url:
            yield url
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=10)


def sign_in_at_provider(browser: Browser, app_url: str, subject: str):  # type: ignore[no-untyped-def]
    page = new_page(browser, viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page.goto(f"{app_url}/?lang=nl")
    expect(page.locator("h1").first).to_have_text("Aanmelden", timeout=FIRST_PAGE_TIMEOUT)  # the first start loads the demo
    assert page.locator(key("signin.password")).count() == 0  # no local password form with a provider
    page.locator(key("auth.oidc")).locator("button").click()
    page.wait_for_url(lambda u: not u.startswith(app_url), timeout=TIMEOUT)
    page.get_by_role("button", name=subject, exact=True).click()  # the provider's sign-in for this user
    page.wait_for_url(lambda u: u.startswith(app_url), timeout=TIMEOUT)
    wait_idle(page)
    return page.context, page


def test_a_mapped_identity_signs_in_with_its_accounts_role(oidc_app: str, browser: Browser) -> None:
    context, page = sign_in_at_provider(browser, oidc_app, CHAIR["sub"])
    try:
        expect(page.locator("h1").first).to_have_text("Dossiers")
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("Besluit", exact=True)).to_be_visible()  # the chair's screens
        expect(page.get_by_text("Aangemeld als Demo Chair").first).to_be_visible()
        shot(page, "oidc-signed-in-nl")
        page.locator(key("auth.signout")).locator("button").click()
        # st.logout ends the session at the provider too (RP-initiated logout), which then sends us back
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(lambda u: u.startswith(oidc_app), timeout=TIMEOUT)
        expect(page.locator(key("auth.oidc"))).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()


def test_an_unmapped_identity_is_refused(oidc_app: str, browser: Browser) -> None:
    context, page = sign_in_at_provider(browser, oidc_app, STRANGER["sub"])
    try:
        expect(page.get_by_text("onbekend@example.nl heeft geen account in Aannemelijk").first).to_be_visible()
        expect(page.locator("h1").first).to_have_text("Aanmelden")
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        shot(page, "oidc-refused-nl")
    finally:
        context.close()
