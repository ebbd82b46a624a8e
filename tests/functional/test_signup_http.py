"""The app enforces the sign-up policy itself when it would create a provider."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.api import JSON, Api, Reply, unique

pytestmark = pytest.mark.functional


@pytest.fixture
def allowlist(http: Any, settings_for: Any) -> Any:
    bootstrap.reset(
        bootstrap.build(settings_for(SIGNUP_POLICY="allowlist", SIGNUP_ALLOWLIST="clinic.example"))
    )
    return http


def test_an_allowed_address_becomes_a_provider_on_its_first_get_me(allowlist: Any) -> None:
    me = Api(allowlist, f"{unique('pat')}@clinic.example").get("/me")
    assert me.status == 200, me
    assert me.json["email"].endswith("@clinic.example")


def call_as(http: Any, email: str, method: str, path: str, body: Any = None) -> Reply:
    login = http.post("/dev/login", headers=JSON, body=json.dumps({"email": email}))
    headers = {**JSON, "Authorization": f"Bearer {json.loads(login.body)['id_token']}"}
    payload = b"" if body is None else json.dumps(body).encode()
    return Reply(http.request(method, path, headers=headers, body=payload))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/me", None), ("PATCH", "/me", {"name": "X"}), ("POST", "/categories", {"name": "Massage"})],
)
def test_anyone_else_gets_a_json_403_from_every_route_that_would_create_a_provider(
    allowlist: Any, method: str, path: str, body: Any
) -> None:
    email = f"{unique('stranger')}@gmail.example"
    reply = call_as(allowlist, email, method, path, body)
    assert reply.status == 403, reply
    assert reply.json["error"]["code"] == "signup_not_allowed"
    assert call_as(allowlist, email, "GET", "/me").status == 403  # nothing was created on the way


def test_a_provider_created_before_the_allowlist_keeps_working(http: Any, settings_for: Any) -> None:
    early = Api(http, f"{unique('early')}@gmail.example")
    assert early.get("/me").status == 200
    bootstrap.reset(
        bootstrap.build(settings_for(SIGNUP_POLICY="allowlist", SIGNUP_ALLOWLIST="clinic.example"))
    )
    assert early.get("/me").status == 200
