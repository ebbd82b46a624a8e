"""Webhook endpoints on DynamoDB Local: the secret answered once and kept sealed, the events and
URLs checked, ten at most, another provider's id a 404, and a signed test sent to loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from chalicelib import bootstrap
from chalicelib.adapters.webhook_sender import GuardedWebhookSender
from tests.api import Api
from tests.functional.test_api_keys_http import make_key, table_items, with_key
from tests.loopback import Answer, Loopback, loopback_server

pytestmark = pytest.mark.functional
EVENTS = ["booking.created", "booking.cancelled"]


@pytest.fixture
def receiver() -> Iterator[Loopback]:
    with loopback_server() as server:
        yield server


@pytest.fixture
def outside_local(container: bootstrap.Container) -> Iterator[None]:
    """The guard as every stage but ``local`` has it: https only, public addresses only."""
    from chalicelib.services.integrations.webhooks import WebhookPorts

    ports = container.webhooks
    container.__dict__["webhooks"] = WebhookPorts(
        ports.store, GuardedWebhookSender(allow_local=False), ports.sealer, ports.clock, ports.ids
    )
    yield
    container.__dict__["webhooks"] = ports


def add(owner: Api, url: str, events: list[str] | None = None, description: str = "CRM") -> dict[str, Any]:
    reply = owner.post("/webhooks", {"url": url, "events": events or EVENTS, "description": description})
    assert reply.status == 201, reply
    made: dict[str, Any] = reply.json
    return made


def on(reply: Any, field: str) -> bool:
    """Whether the refusal names ``field`` (or one of its items: ``events.0``)."""
    return any(f == field or f.startswith(f"{field}.") for f in reply.error_fields())


def refusal(reply: Any) -> tuple[int, set[str], set[str]]:
    details = reply.json["error"].get("details", [])
    return reply.status, {d["field"] for d in details}, {d["code"] for d in details}


def test_the_secret_is_answered_once_sealed_at_rest_and_never_listed(
    http: Any, container: bootstrap.Container, receiver: Loopback
) -> None:
    owner = Api(http)

    made = add(owner, receiver.url("/hooks"), ["booking.cancelled", "booking.created"])

    secret = made["secret"]
    assert secret.startswith("whsec_") and len(secret) >= len("whsec_") + 32
    assert made["events"] == ["booking.created", "booking.cancelled"]  # the documented order
    assert made["url"] == receiver.url("/hooks") and made["description"] == "CRM"
    assert made["previous_secret_until"] is None
    listed = owner.get("/webhooks").json["items"]
    assert [w["id"] for w in listed] == [made["id"]] and "secret" not in listed[0]
    one = owner.get(f"/webhooks/{made['id']}")
    assert one.status == 200 and "secret" not in one.json and one.json["id"] == made["id"]
    stored = [str(item) for item in table_items(container, f"PROVIDER#{owner.id}")]
    assert any(made["id"] in text for text in stored)
    assert not any(secret in text or secret.removeprefix("whsec_") in text for text in stored)


def test_patch_changes_what_it_names_and_checks_it_as_on_creation(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/a"))

    changed = owner.patch(f"/webhooks/{made['id']}", {"events": ["client.erased"], "description": "Sheet"})

    assert changed.status == 200, changed
    assert changed.json["events"] == ["client.erased"] and changed.json["description"] == "Sheet"
    assert changed.json["url"] == receiver.url("/a")
    moved = owner.patch(f"/webhooks/{made['id']}", {"url": receiver.url("/b")})
    assert moved.status == 200 and moved.json["url"] == receiver.url("/b")
    for body, field in (
        ({"events": []}, "events"),
        ({"events": ["booking.exploded"]}, "events"),
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": None}, "url"),
        ({"secret": "whsec_AAAA"}, "secret"),
    ):
        reply = owner.patch(f"/webhooks/{made['id']}", body)
        assert reply.status == 422 and on(reply, field), (body, reply)
    assert owner.get(f"/webhooks/{made['id']}").json == moved.json  # nothing of the refusals kept


def test_an_endpoint_is_turned_off_and_on_by_patch_and_shows_its_health(
    http: Any, container: bootstrap.Container, receiver: Loopback
) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/a"))
    assert (made["enabled"], made["disabled_at"], made["disabled_reason"], made["failing_since"]) == (
        True,
        None,
        None,
        None,
    )
    off = owner.patch(f"/webhooks/{made['id']}", {"enabled": False})
    assert off.status == 200 and off.json["enabled"] is False
    assert off.json["disabled_reason"] == "by_provider" and off.json["disabled_at"].endswith("Z")
    # as the delivery side leaves one it disabled after its failures
    container.webhooks.store.mark_failing(owner.id, made["id"], "2031-01-01T10:00:00Z")
    listed = owner.get("/webhooks").json["items"]
    assert [(w["enabled"], w["failing_since"]) for w in listed] == [(False, "2031-01-01T10:00:00Z")]
    on_again = owner.patch(f"/webhooks/{made['id']}", {"enabled": True})
    assert on_again.status == 200
    assert (on_again.json["enabled"], on_again.json["disabled_reason"], on_again.json["failing_since"]) == (
        True,
        None,
        None,
    ), "its past failures are forgotten"
    for body in ({"enabled": None}, {"enabled": "yes"}):
        reply = owner.patch(f"/webhooks/{made['id']}", body)
        assert reply.status == 422 and on(reply, "enabled"), (body, reply)


def test_unknown_duplicate_or_no_events_are_refused(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    for events in ([], ["booking.exploded"], ["booking.created", "booking.created"], ["webhook.test"]):
        reply = owner.post("/webhooks", {"url": receiver.url("/x"), "events": events})
        assert reply.status == 422 and on(reply, "events"), (events, reply)
    assert owner.post("/webhooks", {"url": receiver.url("/x")}).status == 422
    assert owner.get("/webhooks").json["items"] == []


@pytest.mark.usefixtures("outside_local")
def test_outside_local_http_and_loopback_and_private_urls_are_refused_on_url(http: Any) -> None:
    owner = Api(http)
    for url, code in (
        ("http://example.com/hook", "scheme"),
        ("https://127.0.0.1/hook", "private_address"),
        ("https://localhost/hook", "private_address"),
        ("https://[::ffff:127.0.0.1]/hook", "private_address"),
        ("https://169.254.169.254/latest", "private_address"),
        ("https://10.0.0.7/hook", "private_address"),
        ("https://user:pw@example.com/hook", "userinfo"),
    ):
        reply = owner.post("/webhooks", {"url": url, "events": EVENTS})
        status, fields, codes = refusal(reply)
        assert (status, fields) == (422, {"url"}) and code in codes, (url, reply)
    assert owner.get("/webhooks").json["items"] == []


def test_an_eleventh_endpoint_is_refused(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    for n in range(10):
        add(owner, receiver.url(f"/{n}"))

    reply = owner.post("/webhooks", {"url": receiver.url("/11"), "events": EVENTS})

    assert reply.status == 409 and reply.json["error"]["code"] == "limit_reached", reply
    assert len(owner.get("/webhooks").json["items"]) == 10


def test_another_providers_endpoint_is_a_404_on_every_route(http: Any, receiver: Loopback) -> None:
    alice, bob = Api(http), Api(http)
    hers = add(alice, receiver.url("/alice"))["id"]

    for method, path, body in (
        ("GET", f"/webhooks/{hers}", None),
        ("PATCH", f"/webhooks/{hers}", {"description": "mine now"}),
        ("DELETE", f"/webhooks/{hers}", None),
        ("POST", f"/webhooks/{hers}/rotate-secret", {}),
        ("POST", f"/webhooks/{hers}/test", {}),
        ("GET", "/webhooks/not-an-id", None),
    ):
        reply = bob.call(method, path, body)
        assert reply.status == 404 and reply.json["error"]["code"] == "not_found", (method, path, reply)
    assert bob.get("/webhooks").json["items"] == []
    assert alice.get(f"/webhooks/{hers}").json["description"] == "CRM"
    assert receiver.requests == []  # bob's test sent nothing to alice's endpoint


def test_delete_forgets_the_endpoint(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/gone"))

    assert owner.delete(f"/webhooks/{made['id']}").status == 204

    assert owner.get("/webhooks").json["items"] == []
    assert owner.get(f"/webhooks/{made['id']}").status == 404
    assert owner.delete(f"/webhooks/{made['id']}").status == 404


def test_a_test_event_reaches_loopback_signed_and_its_answer_is_reported(
    http: Any, receiver: Loopback
) -> None:
    owner = Api(http)
    receiver.routes["/hook"] = Answer(202, b"thanks " + b"x" * 2000)
    made = add(owner, receiver.url("/hook"))

    reply = owner.post(f"/webhooks/{made['id']}/test", {})

    assert reply.status == 200, reply
    result = reply.json
    assert result["status_code"] == 202 and result["error"] is None and result["duration_ms"] >= 0
    assert result["response_body"].startswith("thanks ") and len(result["response_body"]) == 1024
    [sent] = receiver.requests
    assert sent.method == "POST" and sent.headers["content-type"] == "application/json"
    assert sent.headers["webhook-id"] == result["event_id"]
    payload = Webhook(made["secret"]).verify(sent.body, sent.headers)
    assert payload["type"] == "webhook.test" and payload["data"]["webhook_id"] == made["id"]
    assert payload["timestamp"].endswith("Z") and json.loads(sent.body) == payload
    with pytest.raises(WebhookVerificationError):
        Webhook(made["secret"]).verify(sent.body + b" ", sent.headers)


def test_after_a_rotation_both_secrets_verify_and_the_new_one_is_answered_once(
    http: Any, receiver: Loopback
) -> None:
    owner = Api(http)
    receiver.routes["/hook"] = Answer(200, b"ok")
    made = add(owner, receiver.url("/hook"))

    rotated = owner.post(f"/webhooks/{made['id']}/rotate-secret", {})

    assert rotated.status == 200, rotated
    new = rotated.json["secret"]
    assert new.startswith("whsec_") and new != made["secret"]
    assert rotated.json["previous_secret_until"] is not None
    assert "secret" not in owner.get(f"/webhooks/{made['id']}").json
    assert owner.post(f"/webhooks/{made['id']}/test", {}).json["status_code"] == 200
    [sent] = receiver.requests
    assert len(sent.headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(sent.body, sent.headers)
    Webhook(made["secret"]).verify(sent.body, sent.headers)


def test_a_test_to_an_endpoint_that_does_not_answer_says_why(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/missing"))
    receiver.routes["/missing"] = Answer(500, b"boom")

    failed = owner.post(f"/webhooks/{made['id']}/test", {}).json
    assert failed["status_code"] == 500 and failed["response_body"] == "boom" and failed["error"] is None

    unreachable = add(owner, "http://127.0.0.1:9/closed")
    reply = owner.post(f"/webhooks/{unreachable['id']}/test", {})
    assert reply.status == 200 and reply.json["status_code"] is None
    assert reply.json["error"]["code"] == "connect", reply


def test_api_keys_never_manage_webhooks(http: Any, receiver: Loopback) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/hook"))
    program = with_key(owner, make_key(owner, ["read", "write"])["key"])

    for method, path in (
        ("GET", "/webhooks"),
        ("POST", "/webhooks"),
        ("GET", f"/webhooks/{made['id']}"),
        ("POST", f"/webhooks/{made['id']}/rotate-secret"),
        ("POST", f"/webhooks/{made['id']}/test"),
        ("DELETE", f"/webhooks/{made['id']}"),
    ):
        reply = program.call(method, path, {"url": receiver.url("/evil"), "events": EVENTS})
        assert reply.status == 403 and reply.json["error"]["code"] == "insufficient_scope", (
            method,
            path,
            reply,
        )
    assert [w["id"] for w in owner.get("/webhooks").json["items"]] == [made["id"]]


def test_openapi_documents_the_routes_the_fields_and_the_account_scope(http: Any) -> None:
    document = Api(http, anonymous=True).get("/openapi.json").json
    paths = document["paths"]

    for path, methods in (
        ("/webhooks", {"get", "post"}),
        ("/webhooks/{webhook_id}", {"get", "patch", "delete"}),
        ("/webhooks/{webhook_id}/rotate-secret", {"post"}),
        ("/webhooks/{webhook_id}/test", {"post"}),
    ):
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["security"] == [{"bearer": ["account"]}], (method, path)
    schemas = document["components"]["schemas"]
    assert set(schemas["WebhookCreate"]["properties"]) == {"url", "events", "description"}
    assert "secret" in schemas["WebhookCreated"]["properties"]
    assert "secret" not in schemas["WebhookOut"]["properties"]
    assert set(schemas["WebhookTestResult"]["properties"]) == {
        "event_id",
        "status_code",
        "duration_ms",
        "response_body",
        "error",
    }
    text = json.dumps(schemas["WebhookCreate"])
    assert all(event in text for event in ("booking.no_show", "client.erased", "booking.rescheduled"))


def test_each_send_is_checked_again_by_the_guard(
    http: Any, container: bootstrap.Container, receiver: Loopback
) -> None:
    """An endpoint saved when its address was allowed is refused at send time once it is not
    (here: the guard of a stage other than local), and nothing reaches it."""
    from chalicelib.services.integrations.webhooks import WebhookPorts

    owner = Api(http)
    receiver.routes["/hook"] = Answer(200, b"ok")
    made = add(owner, receiver.url("/hook"))
    ports = container.webhooks
    container.__dict__["webhooks"] = WebhookPorts(
        ports.store, GuardedWebhookSender(allow_local=False), ports.sealer, ports.clock, ports.ids
    )
    try:
        reply = owner.post(f"/webhooks/{made['id']}/test", {})
    finally:
        container.__dict__["webhooks"] = ports

    assert reply.status == 200 and reply.json["status_code"] is None, reply
    assert reply.json["error"]["code"] == "scheme" and receiver.requests == []
