"""The cross-cutting HTTP contract of API.md, through the app itself (chalice.test.Client)."""

from __future__ import annotations

import io
import json
import logging
import uuid
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.observability import logger
from tests.support import JwksServer
from tests.tokens import CLIENT_ID, ISSUER, SigningKey, id_claims, jwks

pytestmark = pytest.mark.functional

JSON = {"Content-Type": "application/json"}


def body(response: Any) -> Any:
    return json.loads(response.body)


def login(http: Any, email: str = "ana@example.com", name: str = "Ana") -> dict[str, str]:
    response = http.post("/dev/login", headers=JSON, body=json.dumps({"email": email, "name": name}))
    assert response.status_code == 200
    tokens: dict[str, str] = body(response)
    return tokens


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    payload = body(response)
    assert payload["error"]["code"] == code
    assert payload["error"]["message"]
    assert "X-Request-Id" in response.headers
    error: dict[str, Any] = payload["error"]
    return error


def test_health_reads_dynamodb_and_says_ok(http: Any) -> None:
    response = http.get("/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "checks": {"dynamodb": "ok"}}


def test_health_is_503_naming_dynamodb_when_it_is_down(http: Any, settings_for: Any) -> None:
    bootstrap.reset(bootstrap.build(settings_for(DYNAMODB_ENDPOINT="http://127.0.0.1:9")))
    response = http.get("/health")
    assert response.status_code == 503
    payload = body(response)
    assert payload["checks"] == {"dynamodb": "unavailable"}
    assert payload["error"]["code"] == "dependency_unavailable"


def test_every_response_has_request_id_and_security_headers(http: Any) -> None:
    response = http.get("/health")
    headers = response.headers
    assert len(headers["X-Request-Id"]) >= 16
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_request_ids_differ_between_requests(http: Any) -> None:
    assert http.get("/health").headers["X-Request-Id"] != http.get("/health").headers["X-Request-Id"]


def test_dev_login_then_me_creates_the_provider_from_the_token(http: Any) -> None:
    tokens = login(http, "first.call@example.com", "First Call")
    response = http.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"})
    assert response.status_code == 200
    me = body(response)
    assert me["email"] == "first.call@example.com"
    assert me["name"] == "First Call"
    assert me["timezone"] == "UTC"
    assert me["slug"] is None
    again = body(http.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"}))
    assert again["id"] == me["id"]
    assert again["created_at"] == me["created_at"]


def test_dev_login_as_a_google_account_mints_the_identities_cognito_puts_in_its_id_token(http: Any) -> None:
    import jwt

    reply = http.post(
        "/dev/login",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"email": "g.user@example.com", "google_sub": "108204892240000000042"}),
    )
    assert reply.status_code == 200
    tokens = body(reply)
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    (identity,) = claims["identities"]
    assert (identity["userId"], identity["providerName"], identity["providerType"]) == (
        "108204892240000000042",
        "Google",
        "Google",
    )
    assert claims["cognito:username"] == "Google_108204892240000000042"
    assert "identities" not in jwt.decode(tokens["access_token"], options={"verify_signature": False})
    plain = jwt.decode(login(http, "g.user@example.com")["id_token"], options={"verify_signature": False})
    assert "identities" not in plain and plain["sub"] != claims["sub"], "another user for the same email"


@pytest.mark.parametrize(
    "google_sub", ["", "1082-0489", "10820489x", "1" * 256, 108204892240000000042, "١٢٣", "12 3", None]
)
def test_dev_login_refuses_a_google_sub_that_is_not_a_string_of_digits(http: Any, google_sub: Any) -> None:
    payload: dict[str, Any] = {"email": "g.user@example.com", "google_sub": google_sub}
    if google_sub is None:
        payload["google_sub"] = {"nested": "object"}
    reply = http.post("/dev/login", headers={"Content-Type": "application/json"}, body=json.dumps(payload))
    error = assert_error(reply, 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["google_sub"]


def test_access_token_works_for_me_too(http: Any) -> None:
    tokens = login(http, "access.user@example.com")
    first = body(http.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"}))
    via_access = http.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert via_access.status_code == 200
    assert body(via_access)["id"] == first["id"]


def test_no_token_is_401_json_with_a_challenge(http: Any) -> None:
    response = http.get("/me")
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer ", "garbage", "Bearer a.b.c"]
)
def test_garbage_tokens_are_401_json(http: Any, header: str) -> None:
    assert_error(http.get("/me", headers={"Authorization": header}), 401, "unauthorized")


def test_malformed_json_is_400(http: Any) -> None:
    response = http.post("/dev/login", headers=JSON, body='{"email": ')
    assert_error(response, 400, "malformed_json")


def test_json_that_is_not_an_object_is_400(http: Any) -> None:
    assert_error(http.post("/dev/login", headers=JSON, body="[1, 2]"), 400, "bad_request")


def test_empty_body_is_400(http: Any) -> None:
    assert_error(http.post("/dev/login", headers=JSON, body=""), 400, "bad_request")


def test_validation_errors_are_422_with_field_details(http: Any) -> None:
    response = http.post("/dev/login", headers=JSON, body=json.dumps({"email": "nope", "role": "admin"}))
    error = assert_error(response, 422, "validation_failed")
    fields = {detail["field"] for detail in error["details"]}
    assert fields == {"email", "role"}


def test_wrong_method_is_405_with_allow(http: Any) -> None:
    response = http.delete("/health")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_wrong_content_type_is_415(http: Any) -> None:
    response = http.post("/dev/login", headers={"Content-Type": "text/plain"}, body="email=x")
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_64_kb_is_413_and_nothing_is_stored(http: Any) -> None:
    big = json.dumps({"email": "big@example.com", "name": "x" * (200 * 1024)})
    response = http.post("/dev/login", headers=JSON, body=big)
    assert_error(response, 413, "payload_too_large")


def test_cors_allows_only_configured_origins(http: Any, local_env: dict[str, str]) -> None:
    allowed = local_env["ALLOWED_ORIGINS"].split(",")[0]
    ok = http.get("/health", headers={"Origin": allowed})
    assert ok.headers["Access-Control-Allow-Origin"] == allowed
    other = http.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_preflight_answers_allowed_origins_and_refuses_others(http: Any, local_env: dict[str, str]) -> None:
    allowed = local_env["ALLOWED_ORIGINS"].split(",")[0]
    headers = {"Origin": allowed, "Access-Control-Request-Method": "GET"}
    response = http.request("OPTIONS", "/me", headers=headers)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == allowed
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    refused = http.request("OPTIONS", "/me", headers={"Origin": "https://evil.example"})
    assert_error(refused, 403, "forbidden")


def test_logs_hold_neither_tokens_nor_emails(http: Any) -> None:
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    sink = io.StringIO()
    previous = handler.setStream(sink)
    try:
        tokens = login(http, "private.person@example.com", "Private Person")
        http.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"})
        http.get("/me", headers={"Authorization": "Bearer not-a-token-secret"})
    finally:
        handler.setStream(previous)
    logged = sink.getvalue()
    assert '"message":"request"' in logged  # the access log line is there...
    assert tokens["id_token"] not in logged  # ...without the token,
    assert "not-a-token-secret" not in logged
    assert "private.person@example.com" not in logged  # or the email.


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_other_stages_have_no_dev_login_and_do_not_trust_the_local_issuer(
    http: Any, settings_for: Any, stage: str
) -> None:
    local_token = login(http, "local.only@example.com")["id_token"]
    cognito_key = SigningKey("cognito-key")
    jwks_server = JwksServer(jwks(cognito_key))
    try:
        dev = settings_for(
            STAGE=stage,
            JWKS_URL=jwks_server.url,
            TOKEN_ISSUER=ISSUER,
            APP_CLIENT_ID=CLIENT_ID,
        )
        bootstrap.reset(bootstrap.build(dev))
        assert_error(
            http.post("/dev/login", headers=JSON, body=json.dumps({"email": "x@example.com"})),
            404,
            "not_found",
        )
        assert_error(http.get("/.well-known/jwks.json"), 404, "not_found")
        assert_error(http.get("/me", headers={"Authorization": f"Bearer {local_token}"}), 401, "unauthorized")
        cognito_token = cognito_key.sign(id_claims(sub=f"dev-{uuid.uuid4()}"))
        me = http.get("/me", headers={"Authorization": f"Bearer {cognito_token}"})
        assert me.status_code == 200
        assert body(me)["email"] == "pat@example.com"
    finally:
        jwks_server.stop()
