"""An endpoint's delivery log and retries by hand, over HTTP on DynamoDB Local: the attempts newest
first, a retry sending the very message that was claimed (same webhook-id and body, signed anew) to
a real receiver on loopback, and another provider's endpoint or delivery a 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from standardwebhooks import Webhook

from chalicelib import bootstrap
from chalicelib.services.integrations.ports import DeliveryAttempt, StoredMessage
from tests.api import Api
from tests.functional.test_api_keys_http import make_key, with_key
from tests.functional.test_webhooks_http import add, receiver  # noqa: F401 - the receiver fixture
from tests.loopback import Answer, Loopback

pytestmark = pytest.mark.functional
BODY = json.dumps({"type": "booking.created", "data": {"appointment": {"id": "A1"}}}).encode()


def claimed(container: bootstrap.Container, provider_id: str, webhook_id: str, event_id: str) -> None:
    """A delivery as the stream consumer leaves it after a failed first send."""
    ledger = container.webhook_deliveries.ledger
    assert ledger.claim(
        provider_id, webhook_id, StoredMessage(event_id, "booking.created", BODY), "2026-01-01T00:00:00Z"
    )
    ledger.record(
        provider_id,
        DeliveryAttempt(
            webhook_id, event_id, "booking.created", "failed", 1, 10.0, 500, "down", "2026-01-01T00:00:00Z"
        ),
    )


def provider_of(owner: Api) -> str:
    me: dict[str, Any] = owner.get("/me").json
    return str(me["id"])


def test_a_retry_sends_the_claimed_message_again_and_the_log_shows_it_first(
    http: Any,
    container: bootstrap.Container,
    receiver: Loopback,  # noqa: F811
) -> None:
    owner = Api(http)
    receiver.routes["/hook"] = Answer(200, b"ok now")
    made = add(owner, receiver.url("/hook"))
    claimed(container, provider_of(owner), made["id"], "msg_first")

    before = owner.get(f"/webhooks/{made['id']}/deliveries")
    assert before.status == 200, before
    assert [(d["id"], d["attempt"], d["status"], d["response_code"]) for d in before.json["items"]] == [
        ("msg_first", 1, "failed", 500)
    ]

    reply = owner.post(f"/webhooks/{made['id']}/deliveries/msg_first/retry", {})

    assert reply.status == 200, reply
    assert reply.json["status"] == "delivered" and reply.json["attempt"] == 2
    assert reply.json["response_code"] == 200 and reply.json["response_body"] == "ok now"
    [sent] = receiver.requests
    assert sent.body == BODY, "the very body that was claimed"
    assert sent.headers["webhook-id"] == "msg_first", "receivers dedupe on it"
    assert Webhook(made["secret"]).verify(sent.body, sent.headers)["data"]["appointment"]["id"] == "A1"
    log = owner.get(f"/webhooks/{made['id']}/deliveries").json["items"]
    assert [(d["attempt"], d["status"]) for d in log] == [(2, "delivered"), (1, "failed")]
    assert log[0]["at"].endswith("Z") and log[0]["duration_ms"] >= 0


def test_a_retry_to_an_endpoint_still_failing_is_one_more_failed_attempt(
    http: Any,
    container: bootstrap.Container,
    receiver: Loopback,  # noqa: F811
) -> None:
    owner = Api(http)
    receiver.routes["/hook"] = Answer(503, b"x" * 3000)
    made = add(owner, receiver.url("/hook"))
    claimed(container, provider_of(owner), made["id"], "msg_again")

    reply = owner.post(f"/webhooks/{made['id']}/deliveries/msg_again/retry", {})

    assert reply.status == 200 and reply.json["status"] == "failed" and reply.json["response_code"] == 503
    assert len(reply.json["response_body"]) == 1024, "the first 1 KB of the answer"
    log = owner.get(f"/webhooks/{made['id']}/deliveries").json["items"]
    assert [d["attempt"] for d in log] == [2, 1]


def test_unknown_deliveries_and_other_providers_are_404_and_send_nothing(
    http: Any,
    container: bootstrap.Container,
    receiver: Loopback,  # noqa: F811
) -> None:
    alice, bob = Api(http), Api(http)
    receiver.routes["/alice"] = Answer(200, b"ok")
    hers = add(alice, receiver.url("/alice"))["id"]
    claimed(container, provider_of(alice), hers, "msg_hers")
    mine = add(bob, receiver.url("/bob"))["id"]

    for who, method, path in (
        (alice, "POST", f"/webhooks/{hers}/deliveries/msg_unknown/retry"),
        (bob, "GET", f"/webhooks/{hers}/deliveries"),
        (bob, "POST", f"/webhooks/{hers}/deliveries/msg_hers/retry"),
        (bob, "POST", f"/webhooks/{mine}/deliveries/msg_hers/retry"),
    ):
        reply = who.call(method, path, {})
        assert reply.status == 404 and reply.json["error"]["code"] == "not_found", (method, path, reply)
    assert bob.get(f"/webhooks/{mine}/deliveries").json["items"] == []
    assert receiver.requests == []


def test_api_keys_neither_read_the_log_nor_retry(
    http: Any,
    container: bootstrap.Container,
    receiver: Loopback,  # noqa: F811
) -> None:
    owner = Api(http)
    made = add(owner, receiver.url("/hook"))
    claimed(container, provider_of(owner), made["id"], "msg_key")
    program = with_key(owner, make_key(owner, ["read", "write"])["key"])

    for method, path in (
        ("GET", f"/webhooks/{made['id']}/deliveries"),
        ("POST", f"/webhooks/{made['id']}/deliveries/msg_key/retry"),
    ):
        reply = program.call(method, path, {})
        assert reply.status == 403 and reply.json["error"]["code"] == "insufficient_scope", (method, path)
    assert receiver.requests == []
