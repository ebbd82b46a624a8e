"""DeliveryLedger: the in-memory store and the DynamoDB one answer alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.adapters.dynamo.delivery_store import DynamoDeliveryLedger
from chalicelib.adapters.dynamo.webhook_store import DynamoWebhooks
from chalicelib.adapters.memory.table import MemoryTable
from chalicelib.adapters.memory.webhooks import MemoryDeliveryLedger, MemoryWebhooks
from chalicelib.domain.ids import new_id
from chalicelib.services.integrations.ports import DeliveryAttempt, DeliveryLedger, WebhookStore
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
    assert ledger.claim(provider, hook, "msg_1", STAMP)
    assert not ledger.claim(provider, hook, "msg_1", STAMP), "a second claim of the same event"
    assert ledger.claim(provider, other, "msg_1", STAMP), "another endpoint has its own marker"
    assert ledger.attempts_of(provider, hook, "msg_1") == []

    failed = DeliveryAttempt(hook, "msg_1", "booking.created", "failed", 1, 12.5, None, "timeout", STAMP)
    delivered = DeliveryAttempt(hook, "msg_1", "booking.created", "delivered", 2, 3.0, 204, "ok", STAMP)
    ledger.record(provider, failed)
    ledger.record(provider, delivered)

    assert ledger.attempts_of(provider, hook, "msg_1") == [failed, delivered]
    assert ledger.attempts_of(provider, other, "msg_1") == []
    endpoint = a_webhook(provider)
    hooks.add_webhook(endpoint)
    assert [w.id for w in hooks.list_webhooks(provider)] == [endpoint.id], "markers are not endpoints"
