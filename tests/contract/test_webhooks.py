"""WebhookStore: the in-memory store and the DynamoDB one answer alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from chalicelib.adapters.dynamo.webhook_store import DynamoWebhooks
from chalicelib.adapters.memory.webhooks import MemoryWebhooks
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import new_id
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.services.integrations.ports import WebhookStore
from tests.contract.conftest import MONDAY, STAMP, Stores

pytestmark = pytest.mark.contract


@pytest.fixture(params=["memory", "dynamodb"])
def hooks(request: pytest.FixtureRequest) -> Iterator[WebhookStore]:
    if request.param == "memory":
        yield MemoryWebhooks()
        return
    request.getfixturevalue("container")  # binds the models to the session's table
    yield DynamoWebhooks()


def a_webhook(provider_id: str, description: str = "CRM") -> Webhook:
    return Webhook(
        id=new_id(),
        provider_id=provider_id,
        url="https://hooks.example.com/in",
        events=("booking.created", "client.erased"),
        description=description,
        created_at=STAMP,
        updated_at=STAMP,
        sealed_secret="sealed:one",
    )


def test_an_endpoint_is_kept_whole_listed_by_its_provider_only_and_deleted(hooks: WebhookStore) -> None:
    provider, other = new_id(), new_id()
    first, second = a_webhook(provider), a_webhook(provider, description="")
    hooks.add_webhook(first)
    hooks.add_webhook(second)

    assert hooks.get_webhook(provider, first.id) == first
    assert hooks.get_webhook(provider, second.id) == second  # an empty description stays empty
    assert [w.id for w in hooks.list_webhooks(provider)] == sorted([first.id, second.id])
    assert hooks.list_webhooks(other) == [] and hooks.get_webhook(other, first.id) is None
    with pytest.raises(NotFoundError):
        hooks.delete_webhook(other, first.id)

    hooks.delete_webhook(provider, first.id)

    assert hooks.get_webhook(provider, first.id) is None
    assert [w.id for w in hooks.list_webhooks(provider)] == [second.id]
    with pytest.raises(NotFoundError):
        hooks.delete_webhook(provider, first.id)


def test_a_save_replaces_an_endpoint_that_exists_and_never_revives_a_deleted_one(hooks: WebhookStore) -> None:
    provider = new_id()
    webhook = a_webhook(provider)
    hooks.add_webhook(webhook)
    rotated = dataclasses.replace(
        webhook,
        events=("booking.cancelled",),
        sealed_secret="sealed:two",
        sealed_previous_secret="sealed:one",
        previous_until="2031-01-02T00:00:00Z",
        updated_at="2031-01-01T00:05:00Z",
    )

    hooks.save_webhook(rotated)

    assert hooks.get_webhook(provider, webhook.id) == rotated
    hooks.delete_webhook(provider, webhook.id)
    with pytest.raises(NotFoundError):
        hooks.save_webhook(rotated)
    assert hooks.get_webhook(provider, webhook.id) is None and hooks.list_webhooks(provider) == []


def test_erasing_the_provider_erases_her_endpoints(stores: Stores) -> None:
    hooks: WebhookStore = DynamoWebhooks() if stores.table is None else MemoryWebhooks(stores.table)
    provider, other = new_id(), new_id()
    mine, theirs = a_webhook(provider), a_webhook(other)
    hooks.add_webhook(mine)
    hooks.add_webhook(theirs)

    while stores.eraser.erase_items(provider, 3, MONDAY).erased:
        pass

    assert hooks.list_webhooks(provider) == [] and hooks.get_webhook(provider, mine.id) is None
    assert hooks.get_webhook(other, theirs.id) == theirs
