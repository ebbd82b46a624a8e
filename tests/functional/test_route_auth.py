"""Every operation of /openapi.json, called without a valid token: the document is what is enforced.

Protected operations answer 401 with the error model before their handler reads anything;
public ones never ask for a token. The set of public operations is written out here, so making
a route public is a decision this file records, and a route the document does not list, or one
registered around ``route()``, fails before any request is sent.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import time
from typing import Any

import pytest
from chalice.app import Chalice

from chalicelib import bootstrap, web
from chalicelib.adapters.local_issuer import LocalIssuer
from chalicelib.api.contract import OPERATIONS
from chalicelib.api.health import health
from tests.api import JSON, Api
from tests.tokens import SigningKey

pytestmark = pytest.mark.functional

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("POST", "/dev/login"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/public/{slug}"),
    ("GET", "/public/{slug}/challenge"),
    ("GET", "/public/{slug}/services/{service_id}"),
    ("GET", "/public/{slug}/services/{service_id}/slots"),
    ("POST", "/public/{slug}/bookings"),
    ("GET", "/public/bookings/{booking_id}"),
    ("POST", "/public/bookings/{booking_id}/cancel"),
    ("POST", "/public/bookings/{booking_id}/reschedule"),
    ("GET", "/feeds/{feed}"),
    ("GET", "/book/{slug}"),
    ("GET", "/book/{slug}/{service_id}"),
    ("GET", "/book/manage/{appointment_id}"),
    ("GET", "/app"),
    ("GET", "/app/callback"),
    ("GET", "/app/config.json"),
    ("GET", "/assets/{version}/{name}"),
    # The provider's photo, shown on the public page; and the local stage's upload target, whose
    # credential is the sealed ticket in its address (tests/functional/test_photo_http.py).
    ("GET", "/photos/{name}"),
    ("PUT", "/photo-uploads/{provider_id}/{upload_id}"),
}
AN_ID = "01J9Z8Q4W2M7X3K5N6P8R0T2V4"
SAMPLES = {"slug": "some-page", "date": "2027-01-04", "name": "app.js"}
MALFORMED = [
    "Bearer",
    "Bearer ",
    "Bearer garbage",
    "Bearer a.b.c",
    "Basic dXNlcjpwYXNz",
    "garbage",
    "Token x",
]


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forged_tokens(container: bootstrap.Container) -> dict[str, str]:
    """Tokens that look right to a reader and must not pass: each a different way to fake one."""
    issuer = container.local_issuer
    assert isinstance(issuer, LocalIssuer)
    claims = {
        "sub": "7b0c1f2e-4d5a-4b6c-8d7e-9f0a1b2c3d4e",
        "iss": issuer.issuer,
        "aud": issuer.client_id,
        "token_use": "id",
        "email": "mallory@example.com",
        "iat": int(time.time()),
        "exp": int(time.time()) + 3600,
    }
    genuine = issuer.issue("victim@example.com", "Victim").id_token
    head, _, signature = genuine.split(".")
    stale = issuer.issue("victim@example.com", "Victim", now=time.time() - 7200).id_token
    confused_head = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': issuer.kid})}.{b64(claims)}"
    public_key = json.dumps(issuer.jwks()["keys"][0]).encode()  # what a careless verifier might key with
    mac = base64.urlsafe_b64encode(hmac.digest(public_key, confused_head.encode(), "sha256")).rstrip(b"=")
    return {
        "another key, same kid": SigningKey(issuer.kid).sign(claims),
        "claims swapped under a real signature": f"{head}.{b64(claims)}.{signature}",
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': issuer.kid})}.{b64(claims)}.",
        "HS256 keyed with the public key": f"{confused_head}.{mac.decode()}",
        "expired, genuinely signed": stale,
    }


def concrete(path: str) -> str:
    values = {**SAMPLES, "version": web.version()}
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), AN_ID), path)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in sorted(document["paths"].items())
        for method, op in sorted(ops.items())
    ]


@pytest.fixture
def document(http: Any) -> dict[str, Any]:
    reply = Api(http, anonymous=True).get("/openapi.json")
    assert reply.status == 200, reply
    doc: dict[str, Any] = reply.json
    return doc


def app_routes() -> dict[tuple[str, str], Any]:
    from app import app

    assert isinstance(app, Chalice)
    return {
        (method, path): entry
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if method != "OPTIONS"
    }


def test_the_document_lists_exactly_the_routes_the_app_has(document: dict[str, Any]) -> None:
    listed = {(method, path) for method, path, _ in operations(document)}
    assert listed == set(app_routes())
    assert len(listed) > 40


def test_every_route_goes_through_route_and_its_declaration_is_what_the_document_says(
    document: dict[str, Any],
) -> None:
    guard = health.__code__  # the wrapper route() gives every view
    for (method, path), entry in app_routes().items():
        assert entry.view_function.__code__ is guard, f"{method} {path} is not registered by route()"
        declared = OPERATIONS[(method, path)]
        security = document["paths"][path][method.lower()]["security"]
        assert security == ([{"bearer": [declared.scope]}] if declared.auth else []), (method, path)
        if declared.auth:  # every protected route names its scope: read for a GET, else write
            expected = {"read"} if method == "GET" else {"write"}
            assert declared.scope in expected | {"account"}, (method, path, declared.scope)


def test_the_public_operations_are_exactly_the_ones_meant_to_be(document: dict[str, Any]) -> None:
    public = {(method, path) for method, path, op in operations(document) if not op["security"]}
    assert public == PUBLIC


def error_model(document: dict[str, Any]) -> Any:
    """A validator of the document's own error model (ErrorResponse)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry().with_resource(
        "urn:doc", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": "urn:doc#/components/schemas/ErrorResponse"}, registry=registry)


def assert_refused(reply: Any, model: Any, where: str) -> None:
    assert reply.status == 401, (where, reply)
    assert reply.headers["Content-Type"].startswith("application/json"), where
    assert reply.headers["WWW-Authenticate"].startswith("Bearer"), where
    assert reply.json["error"]["code"] == "unauthorized", (where, reply)
    assert [e.message for e in model.iter_errors(reply.json)] == [], where


def test_every_protected_operation_is_401_without_a_token_or_with_a_bad_one(
    http: Any, container: bootstrap.Container, document: dict[str, Any]
) -> None:
    model = error_model(document)
    bad = {header: header for header in MALFORMED}
    bad.update({name: f"Bearer {token}" for name, token in forged_tokens(container).items()})
    protected = [(m, p) for m, p, op in operations(document) if op["security"]]
    assert set(protected) == set(app_routes()) - PUBLIC and len(protected) > 20
    for method, path in protected:
        anonymous = Api(http, anonymous=True)
        assert_refused(anonymous.call(method, concrete(path), {}), model, f"{method} {path}, no token")
        for name, header in bad.items():
            anonymous.headers["Authorization"] = header
            reply = anonymous.call(method, concrete(path), {})
            assert_refused(reply, model, f"{method} {path}, {name}")


def test_every_public_operation_answers_without_a_token(http: Any, document: dict[str, Any]) -> None:
    for method, path in sorted(PUBLIC):
        for header in ({}, {"Authorization": "Bearer garbage"}):  # a public route never reads it
            raw = http.request(method, concrete(path), headers={**JSON, **header}, body=b"")
            status = raw.status_code
            assert status == 200 or (400 <= status < 500 and status != 401), (method, path, header, raw.body)
            if status != 200:  # a refusal is still the error model
                assert "error" in json.loads(raw.body), (method, path)
