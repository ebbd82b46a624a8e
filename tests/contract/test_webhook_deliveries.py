"""DeliveryLedger: the in-memory store and the DynamoDB one answer alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.adapters.dynamo.delivery_store import DynamoDeliveryLedger
from chalicelib.adapters.dynamo.webhook_store import DynamoWebhooks
from chalicelib.adapters.memory.table import MemoryTable
from chalicelib.adapters.memory.webhooks import MemoryDeliveryLedger, MemoryWebhooks
from chalicelib.domain.ids import new_id
from chalicelib.services.integrations.ports import (
    DeliveryAttempt,
    DeliveryLedger,
    DueRetry,
    StoredMessage,
    WebhookStore,
)
from tests.contract.conftest import STAMP
from tests.contract.test_webhooks import a_webhook

pytestmark = pytest.mark.contract


@pytest.fixture(params=["memory", "dynamodb"])
def both(request: pytest.FixtureRequest) -> Iterator[tuple[DeliveryLedger, WebhookStore]]:
    if request.param == "memory":
        table = MemoryTable()
        yield MemoryDeliveryLedger(table), MemoryWebhooks(table)
        return
    request.getfixturevalue("container")  # binds the models to the session's table
    yield DynamoDeliveryLedger(), DynamoWebhooks()


def test_an_event_is_claimed_once_per_endpoint_and_keeps_its_attempts(
    both: tuple[DeliveryLedger, WebhookStore],
) -> None:
    ledger, hooks = both
    provider, hook, other = new_id(), new_id(), new_id()
    message = StoredMessage(
        "msg_1", "booking.created", '{"type": "booking.created", "name": "Inês"}'.encode()
    )
    assert ledger.claim(provider, hook, message, STAMP)
    assert not ledger.claim(provider, hook, message, STAMP), "a second claim of the same event"
    assert ledger.claim(provider, other, message, STAMP), "another endpoint has its own marker"
    assert ledger.attempts_of(provider, hook, "msg_1") == []
    assert ledger.message_of(provider, hook, "msg_1") == message, "kept as claimed, byte for byte"
    assert ledger.message_of(provider, hook, "msg_2") is None
    assert ledger.message_of(new_id(), hook, "msg_1") is None, "another provider's partition"

    failed = DeliveryAttempt(hook, "msg_1", "booking.created", "failed", 1, 12.5, None, "timeout", STAMP)
    delivered = DeliveryAttempt(hook, "msg_1", "booking.created", "delivered", 2, 3.0, 204, "ok", STAMP)
    ledger.record(provider, failed)
    ledger.record(provider, delivered)

    assert ledger.attempts_of(provider, hook, "msg_1") == [failed, delivered]
    assert ledger.attempts_of(provider, other, "msg_1") == []
    endpoint = a_webhook(provider)
    hooks.add_webhook(endpoint)
    assert [w.id for w in hooks.list_webhooks(provider)] == [endpoint.id], "markers are not endpoints"


def test_the_log_lists_an_endpoints_attempts_newest_first_up_to_the_limit(
    both: tuple[DeliveryLedger, WebhookStore],
) -> None:
    ledger, _ = both
    provider, hook, other = new_id(), new_id(), new_id()
    for n in range(4):
        stamp = f"2026-01-01T00:00:0{n}Z"
        message = StoredMessage(f"msg_{n}", "booking.created", b"{}")
        assert ledger.claim(provider, hook, message, stamp)
        ledger.record(
            provider, DeliveryAttempt(hook, f"msg_{n}", "booking.created", "failed", 1, 1.0, 500, "", stamp)
        )
    ledger.record(
        provider, DeliveryAttempt(hook, "msg_1", "booking.created", "delivered", 2, 1.0, 200, "ok", STAMP)
    )
    assert ledger.claim(provider, other, StoredMessage("msg_x", "booking.created", b"{}"), STAMP)
    ledger.record(
        provider, DeliveryAttempt(other, "msg_x", "booking.created", "failed", 1, 1.0, 500, "", STAMP)
    )

    shown = [(a.event_id, a.attempt) for a in ledger.recent(provider, hook, 100)]
    assert shown == [("msg_3", 1), ("msg_2", 1), ("msg_1", 2), ("msg_1", 1), ("msg_0", 1)]
    assert [(a.event_id, a.attempt) for a in ledger.recent(provider, hook, 3)] == shown[:3]
    assert ledger.recent(new_id(), hook, 100) == [], "another provider sees nothing of this endpoint"
    assert [a.event_id for a in ledger.recent(provider, other, 100)] == ["msg_x"]


def test_a_retry_waits_until_due_and_only_one_taker_gets_it(
    both: tuple[DeliveryLedger, WebhookStore],
) -> None:
    ledger, _ = both
    provider, hook = new_id(), new_id()
    for n in range(3):
        assert ledger.claim(provider, hook, StoredMessage(f"msg_{n}", "booking.created", b"{}"), STAMP)
    first = "2031-01-01T10:00:00Z"
    ledger.schedule(provider, hook, "msg_0", "2031-01-01T10:05:00Z", first)
    ledger.schedule(provider, hook, "msg_1", "2031-01-01T10:01:00Z", first)
    ledger.schedule(provider, hook, "msg_2", "2031-01-01T11:00:00Z", first)
    ledger.schedule(provider, hook, "msg_gone", "2031-01-01T10:00:00Z", first)  # never claimed

    def mine(found: list[DueRetry]) -> list[DueRetry]:
        return [r for r in found if r.provider_id == provider]

    assert mine(ledger.due_retries("2031-01-01T10:00:59Z", 100)) == []
    due = mine(ledger.due_retries("2031-01-01T10:05:00Z", 100))
    assert [(r.event_id, r.due, r.first_at, r.webhook_id) for r in due] == [
        ("msg_1", "2031-01-01T10:01:00Z", first, hook),
        ("msg_0", "2031-01-01T10:05:00Z", first, hook),
    ], "soonest first, up to now included"

    assert ledger.take(due[0], "2031-01-01T10:07:00Z")
    assert not ledger.take(due[0], "2031-01-01T10:07:00Z"), "taken already: the second taker gets nothing"
    later = mine(ledger.due_retries("2031-01-01T10:06:00Z", 100))
    assert [r.event_id for r in later] == ["msg_0"], "held by its lease"
    again = mine(ledger.due_retries("2031-01-01T10:07:00Z", 100))
    assert [(r.event_id, r.due) for r in again] == [
        ("msg_0", "2031-01-01T10:05:00Z"),
        ("msg_1", "2031-01-01T10:07:00Z"),
    ], "lease over: due again"

    ledger.schedule(provider, hook, "msg_1", None, None)
    ledger.schedule(provider, hook, "msg_0", None, first)
    assert [r.event_id for r in mine(ledger.due_retries("2031-01-01T12:00:00Z", 100))] == ["msg_2"]
    assert ledger.message_of(provider, hook, "msg_1") is not None, "the delivery itself stays"


def test_an_endpoints_health_and_its_one_disabling(both: tuple[DeliveryLedger, WebhookStore]) -> None:
    _, hooks = both
    provider = new_id()
    endpoint = a_webhook(provider)
    hooks.add_webhook(endpoint)
    hooks.mark_failing(provider, endpoint.id, "2031-01-01T10:00:00Z")
    hooks.mark_failing(provider, endpoint.id, "2031-01-02T10:00:00Z")
    got = hooks.get_webhook(provider, endpoint.id)
    assert got is not None and got.failing_since == "2031-01-01T10:00:00Z", "the first failure is kept"
    hooks.mark_healthy(provider, endpoint.id)
    got = hooks.get_webhook(provider, endpoint.id)
    assert got is not None and got.failing_since is None and got.enabled

    assert hooks.disable(provider, endpoint.id, "failing", "2031-01-04T10:00:00Z")
    assert not hooks.disable(provider, endpoint.id, "failing", "2031-01-04T10:05:00Z"), "once"
    got = hooks.get_webhook(provider, endpoint.id)
    assert got is not None and not got.enabled
    assert (got.disabled_at, got.disabled_reason) == ("2031-01-04T10:00:00Z", "failing")
    assert not hooks.disable(new_id(), endpoint.id, "failing", STAMP), "another provider's: nothing"
    hooks.mark_failing(new_id(), endpoint.id, STAMP)  # another provider's: no such endpoint, no item made
    hooks.delete_webhook(provider, endpoint.id)
    hooks.mark_failing(provider, endpoint.id, STAMP)
    assert hooks.get_webhook(provider, endpoint.id) is None, "a deleted endpoint stays deleted"
