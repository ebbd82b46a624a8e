"""Migration 0004: clients from before search keys are found by a word of the name and phone digits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.client_items import client_to_item
from chalicelib.config import Settings
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.ids import new_id
from chalicelib.services.clients import clients
from infra import busy_migration, search_key_migration
from infra.migrate import MIGRATIONS, run

pytestmark = pytest.mark.integration
STAMP = "2026-01-01T00:00:00Z"


@pytest.fixture
def stack(fresh_table: str, settings_for: Callable[..., Settings]) -> Iterator[bootstrap.Container]:
    built = bootstrap.build(settings_for(TABLE_NAME=fresh_table))
    bootstrap.reset(built)
    yield built
    bootstrap.reset()


def old_client(ddb: Any, table: str, provider_id: str, name: str, phone: str, erased: bool = False) -> str:
    """A client item as the release before search keys wrote it: no CLIENTNAME#/CLIENTPHONE# items."""
    client_id = new_id()
    person = Client(client_id, provider_id, name, None, phone, erased=erased, created_at=STAMP)
    ddb.put_item(TableName=table, Item=client_to_item(person).serialize())
    return client_id


def search_keys_of(ddb: Any, table: str, provider_id: str) -> list[str]:
    found = ddb.query(
        TableName=table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues={":pk": {"S": keys.provider_pk(provider_id)}, ":sk": {"S": "CLIENT"}},
        ConsistentRead=True,
    )["Items"]
    return sorted(i["SK"]["S"] for i in found if i["type"]["S"] == "client_key")


def found(c: bootstrap.Container, provider_id: str, q: str) -> list[str]:
    return [client.id for client in clients.list_clients(provider_id, q, 10, None, c.repo).items]


def test_old_clients_get_their_search_keys_once_and_erased_ones_none(
    stack: bootstrap.Container, ddb_client: Any, fresh_table: str
) -> None:
    provider_id = new_id().lower()
    ana = old_client(ddb_client, fresh_table, provider_id, "Ana Silva", "+1 212-555-0100")
    bea = old_client(ddb_client, fresh_table, provider_id, "Beatriz Araújo", "")
    old_client(ddb_client, fresh_table, provider_id, "Erased client", "", erased=True)
    assert found(stack, provider_id, "silva") == [] and found(stack, provider_id, "5550100") == []

    assert "0004-client-search-keys" in run(ddb_client, fresh_table, MIGRATIONS)

    assert found(stack, provider_id, "silva") == [ana] and found(stack, provider_id, "5550100") == [ana]
    assert found(stack, provider_id, "araujo") == [bea] and found(stack, provider_id, "ana") == [ana]
    assert found(stack, provider_id, "erased") == []
    keys_after = search_keys_of(ddb_client, fresh_table, provider_id)
    assert len(keys_after) == 2 + 8 + 2, "two name words each, 8 phone suffixes of 11 digits"
    search_key_migration.apply(ddb_client, fresh_table)  # again: the same keys, nothing more
    assert search_keys_of(ddb_client, fresh_table, provider_id) == keys_after
    assert run(ddb_client, fresh_table, MIGRATIONS) == [], "recorded once"


def test_a_client_changed_since_the_scan_keeps_the_keys_the_app_wrote(
    stack: bootstrap.Container, ddb_client: Any, fresh_table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_id = new_id().lower()
    client_id = old_client(ddb_client, fresh_table, provider_id, "Ana Silva", "")
    scanned = list(busy_migration._scan(ddb_client, fresh_table, "client"))
    clients.update_client(provider_id, client_id, {"name": "Ana Costa"}, stack.repo, stack.clock)

    monkeypatch.setattr(search_key_migration, "_scan", lambda *_: iter(scanned))  # the scan from before
    search_key_migration.apply(ddb_client, fresh_table)

    assert found(stack, provider_id, "costa") == [client_id]
    assert found(stack, provider_id, "silva") == [], "no key of the old name was put back"
    assert search_keys_of(ddb_client, fresh_table, provider_id) == [
        keys.client_name_key_sk("ana costa", client_id),
        keys.client_name_key_sk("costa", client_id),
    ]
