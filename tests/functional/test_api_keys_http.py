"""API keys on DynamoDB Local: answered once, kept as a hash, scoped, revoked at once, last used."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.api import Api
from tests.functional.test_route_auth import concrete, document, operations  # noqa: F401 - fixture

pytestmark = pytest.mark.functional
ACCOUNT_ROUTES = {
    ("POST", "/api-keys"),
    ("GET", "/api-keys"),
    ("DELETE", "/api-keys/{key_id}"),
    ("DELETE", "/me"),
}


def make_key(owner: Api, scopes: list[str], name: str = "CRM") -> dict[str, Any]:
    reply = owner.post("/api-keys", {"name": name, "scopes": scopes})
    assert reply.status == 201, reply
    made: dict[str, Any] = reply.json
    return made


def with_key(owner: Api, key: str) -> Api:
    program = Api(owner.http, anonymous=True)
    program.headers["Authorization"] = f"Bearer {key}"
    return program


def table_items(container: bootstrap.Container, pk: str) -> list[dict[str, Any]]:
    from chalicelib.adapters.dynamo.item import dynamodb_client

    answer = dynamodb_client().query(
        TableName=container.settings.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
        ConsistentRead=True,
    )
    items: list[dict[str, Any]] = answer["Items"]
    return items


def test_the_key_is_answered_once_and_only_its_hash_is_stored(
    http: Any, container: bootstrap.Container
) -> None:
    owner = Api(http)

    made = make_key(owner, ["read"])

    key = made["key"]
    assert key.startswith("sk_local_") and len(key) >= len("sk_local_") + 43  # 32 bytes, base64
    assert made["prefix"] == key[:12] and made["scopes"] == ["read"] and made["last_used_at"] is None
    listed = owner.get("/api-keys").json["items"]
    assert [k["id"] for k in listed] == [made["id"]] and "key" not in listed[0]
    digest = hashlib.sha256(key.encode()).hexdigest()
    lookup = table_items(container, f"APIKEY#{digest}")
    assert len(lookup) == 1 and lookup[0]["provider_id"]["S"] == owner.id
    mine = table_items(container, f"PROVIDER#{owner.id}")
    stored = [str(item) for item in mine + lookup]
    assert not any(key in text or key[12:] in text for text in stored)  # the text is nowhere


def test_a_read_key_reads_and_is_refused_writes_a_write_key_writes(http: Any) -> None:
    owner = Api(http)
    owner.service("Massage")
    reader = with_key(owner, make_key(owner, ["read"])["key"])
    writer = with_key(owner, make_key(owner, ["write", "read"])["key"])

    assert [s["name"] for s in reader.get("/services").json["items"]] == ["Massage"]
    refused = reader.post(
        "/services", {"name": "X", "duration_minutes": 30, "price": "1.00", "currency": "EUR"}
    )
    assert refused.status == 403 and refused.json["error"]["code"] == "insufficient_scope", refused
    made = writer.post(
        "/services", {"name": "Yoga", "duration_minutes": 30, "price": "1.00", "currency": "EUR"}
    )
    assert made.status == 201, made
    assert {s["name"] for s in owner.get("/services").json["items"]} == {"Massage", "Yoga"}


def test_scopes_other_than_read_or_read_write_are_refused(http: Any) -> None:
    owner = Api(http)
    for scopes in (["write"], [], ["read", "read"], ["admin"], ["read", "write", "account"]):
        reply = owner.post("/api-keys", {"name": "x", "scopes": scopes})
        assert reply.status == 422, (scopes, reply)
    assert owner.get("/api-keys").json["items"] == []


def test_revocation_is_effective_on_the_next_request(http: Any) -> None:
    owner = Api(http)
    made = make_key(owner, ["read"])
    program = with_key(owner, made["key"])
    assert program.get("/services").status == 200

    assert owner.delete(f"/api-keys/{made['id']}").status == 204

    reply = program.get("/services")
    assert reply.status == 401 and reply.json["error"]["code"] == "unauthorized", reply
    assert owner.get("/api-keys").json["items"] == []
    assert owner.delete(f"/api-keys/{made['id']}").status == 404


def test_last_used_is_recorded_at_most_once_a_minute(http: Any, container: bootstrap.Container) -> None:
    owner = Api(http)
    made = make_key(owner, ["read"])
    program = with_key(owner, made["key"])
    digest = hashlib.sha256(made["key"].encode()).hexdigest()

    assert program.get("/services").status == 200
    first = owner.get("/api-keys").json["items"][0]["last_used_at"]
    assert first is not None and first.endswith("Z")
    # Moved back half a minute: the next call is within the minute, so nothing is written.
    from chalicelib.adapters.dynamo.item import dynamodb_client

    table = container.settings.table_name
    recent = "2000-01-01T00:00:00Z"
    dynamodb_client().update_item(
        TableName=table,
        Key={"PK": {"S": f"APIKEY#{digest}"}, "SK": {"S": "APIKEY"}},
        UpdateExpression="SET last_used_at = :t",
        ExpressionAttributeValues={":t": {"S": recent}},
    )
    assert program.get("/services").status == 200
    assert owner.get("/api-keys").json["items"][0]["last_used_at"] != recent  # a minute old: written
    second = owner.get("/api-keys").json["items"][0]["last_used_at"]
    assert program.get("/services").status == 200
    assert owner.get("/api-keys").json["items"][0]["last_used_at"] == second  # within it: not


def test_a_key_reaches_only_its_own_providers_data(http: Any) -> None:
    alice, bob = Api(http), Api(http)
    alice.service("Alice's")
    bobs_key = with_key(bob, make_key(bob, ["read", "write"])["key"])
    alice_services = alice.get("/services").json["items"]

    assert bobs_key.get("/services").json["items"] == []
    assert bobs_key.get(f"/services/{alice_services[0]['id']}").status == 404
    assert bobs_key.get("/me").json["id"] == bob.id


def test_keys_never_open_account_routes(http: Any) -> None:
    owner = Api(http)
    program = with_key(owner, make_key(owner, ["read", "write"])["key"])
    for method, path in sorted(ACCOUNT_ROUTES):
        reply = program.call(method, concrete(path), {"confirm": "DELETE", "name": "x", "scopes": ["read"]})
        assert reply.status == 403 and reply.json["error"]["code"] == "insufficient_scope", (
            method,
            path,
            reply,
        )
    assert owner.get("/me").status == 200 and len(owner.get("/api-keys").json["items"]) == 1


def test_every_protected_operation_honours_the_scopes_of_a_key(http: Any, document: dict[str, Any]) -> None:  # noqa: F811
    """Walked from /openapi.json: a read key passes every GET and is refused everything else; a
    read-write key passes everything but the account routes; neither is ever a 401."""
    owner = Api(http)
    reader = with_key(owner, make_key(owner, ["read"])["key"])
    writer = with_key(owner, make_key(owner, ["read", "write"], "rw")["key"])
    protected = [(m, p, op) for m, p, op in operations(document) if op["security"]]
    assert len(protected) > 20
    for method, path, op in protected:
        scope = op["security"][0]["bearer"][0]
        for program, granted in ((reader, {"read"}), (writer, {"read", "write"})):
            if (method, path) == ("DELETE", "/me"):
                body: Any = {"confirm": "DELETE"}
            else:
                body = {}
            status, code = answer(program, method, concrete(path), body)
            where = (method, path, sorted(granted), status, code)
            assert status != 401, where
            if scope in granted:
                assert code != "insufficient_scope", where
            else:
                assert (status, code) == (403, "insufficient_scope"), where


def answer(program: Api, method: str, path: str, body: Any) -> tuple[int, str | None]:
    """The status, and the error code when the answer is an error (a CSV export is not JSON)."""
    raw = program.http.request(method, path, headers=program.headers, body=json.dumps(body).encode())
    if not raw.headers.get("Content-Type", "").startswith("application/json") or not raw.body:
        return raw.status_code, None
    parsed = json.loads(raw.body)
    return raw.status_code, parsed.get("error", {}).get("code") if isinstance(parsed, dict) else None


def test_an_unknown_or_oversized_key_is_401(http: Any) -> None:
    owner = Api(http)
    for key in ("sk_local_" + "A" * 43, "sk_local_" + "A" * 500, "sk_"):
        reply = with_key(owner, key).get("/services")
        assert reply.status == 401 and reply.json["error"]["code"] == "unauthorized", (key[:20], reply)


def test_a_deleted_provider_takes_its_keys_with_it(http: Any, container: bootstrap.Container) -> None:
    owner = Api(http)
    made = make_key(owner, ["read", "write"])
    program = with_key(owner, made["key"])
    assert program.get("/me").status == 200

    assert owner.call("DELETE", "/me", {"confirm": "DELETE"}).status == 204

    assert program.get("/me").status == 401  # nothing made again from the key
    digest = hashlib.sha256(made["key"].encode()).hexdigest()
    assert table_items(container, f"APIKEY#{digest}") == []
    assert table_items(container, f"PROVIDER#{owner.id}") == []
