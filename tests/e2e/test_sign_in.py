"""The dashboard's hosted-UI sign-in (code + PKCE), with Cognito's two endpoints played by the test."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from playwright.sync_api import Browser, Route, expect

from devtools.stack import Stack, local_stack
from tests.e2e.conftest import Console, unique

pytestmark = pytest.mark.e2e

AUTH_HOST = "auth.example.test"
CLIENT_ID = "browser-client-123"


@pytest.fixture
def hosted_stack(tmp_path: Path) -> Iterator[Stack]:
    """The local stack told that a hosted UI exists, so the dashboard's CSP lets it be called."""
    with local_stack(tmp_path, extra_env={"COGNITO_DOMAIN": AUTH_HOST}) as running:
        yield running


def test_the_dashboard_signs_in_through_the_hosted_ui_with_pkce(
    hosted_stack: Stack, browser: Browser, console: Console
) -> None:
    base = hosted_stack.base
    # The token the hosted UI would hand out; the local issuer's is one the app verifies.
    login = requests.post(f"{base}/dev/login", json={"email": f"{unique('g')}@example.com"}, timeout=5)
    id_token = login.json()["id_token"]
    seen: dict[str, dict[str, list[str]]] = {}

    def config(route: Route) -> None:
        route.fulfill(
            json={
                "stage": "dev",
                "sign_in": "hosted_ui",
                "cognito_domain": AUTH_HOST,
                "client_id": CLIENT_ID,
                "identity_provider": "Google",
                "scopes": "openid email profile",
            }
        )

    def authorize(route: Route) -> None:
        seen["authorize"] = parse_qs(urlparse(route.request.url).query)
        state = seen["authorize"]["state"][0]
        route.fulfill(status=302, headers={"Location": f"{base}/app/callback?code=the-code&state={state}"})

    def token(route: Route) -> None:
        seen["token"] = parse_qs(route.request.post_data or "")
        body: dict[str, Any] = {"id_token": id_token, "access_token": "unused", "expires_in": 3600}
        route.fulfill(json=body, headers={"Access-Control-Allow-Origin": base})

    context = browser.new_context()
    page = console.watch(context.new_page())
    page.route("**/app/config.json", config)
    page.route(f"https://{AUTH_HOST}/oauth2/authorize?*", authorize)
    page.route(f"https://{AUTH_HOST}/oauth2/token", token)
    try:
        page.goto(f"{base}/app")
        page.get_by_role("button", name="Sign in with Google").click()
        expect(page.get_by_role("heading", name="Welcome! Set up your booking page")).to_be_visible()
        expect(page).to_have_url(f"{base}/app")  # the code is gone from the address bar
    finally:
        context.close()

    asked = {name: values[0] for name, values in seen["authorize"].items()}
    assert asked["response_type"] == "code"
    assert asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == f"{base}/app/callback"
    assert asked["identity_provider"] == "Google"
    assert asked["scope"] == "openid email profile"
    assert asked["code_challenge_method"] == "S256"
    traded = {name: values[0] for name, values in seen["token"].items()}
    assert traded["grant_type"] == "authorization_code"
    assert traded["code"] == "the-code"
    assert traded["client_id"] == CLIENT_ID
    assert traded["redirect_uri"] == f"{base}/app/callback"
    digest = hashlib.sha256(traded["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == asked["code_challenge"]
    assert console.errors == []
