"""Client search keys: the items a name or phone search reads, kept in step with their client."""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.expressions.condition import Condition

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.client_items import (
    ClientItem,
    ClientKeyItem,
    client_from_item,
    search_key_item,
    search_key_sks,
)
from chalicelib.adapters.dynamo.paging import query_page, text_prefix_range
from chalicelib.adapters.dynamo.tx import Transaction
from chalicelib.domain.booking.clients import Client
from chalicelib.services.shared import Page

KEY_LABEL = "client_key"


def same_search_text(client: Client) -> Condition:
    """The stored client still has the name and phone its search keys were derived from."""
    condition: Condition = (ClientItem.name == client.name) & (
        ClientItem.phone == client.phone
        if client.phone
        else ClientItem.phone.does_not_exist() | (ClientItem.phone == "")
    )
    return condition


def move_search_keys(tx: Transaction, before: Client, after: Client) -> None:
    """Delete the keys ``before`` had and ``after`` has not, put the ones it gains."""
    old, new = search_key_sks(before), search_key_sks(after)
    pk = keys.provider_pk(before.provider_id)
    for sk in sorted(old - new):
        tx.delete(KEY_LABEL, ClientKeyItem(pk, sk))
    for sk in sorted(new - old):
        tx.put(KEY_LABEL, search_key_item(after, sk))


def by_search_keys(
    provider_id: str,
    key_prefix: str,
    limit: int,
    cursor: str | None,
    texts: Callable[[Client], list[str]],
    wanted: str,
) -> Page[Client]:
    """The clients of a page of search keys, in key order, each once, checked against what the
    client holds now (a key is written with its client, so this only guards a reader racing
    a change)."""
    pk = keys.provider_pk(provider_id)
    low, high = text_prefix_range(key_prefix)
    found_keys = query_page(ClientKeyItem, pk, low, high, limit, cursor, lambda item: item.client_id)
    clients = clients_in_order(pk, list(dict.fromkeys(found_keys.items)))
    matching = [c for c in clients if not c.erased and any(t.startswith(wanted) for t in texts(c))]
    return Page(matching, found_keys.next_cursor)


def clients_in_order(pk: str, client_ids: list[str]) -> list[Client]:
    """The clients of ``client_ids`` in that order (one BatchGetItem), leaving out missing ones."""
    if not client_ids:
        return []
    wanted = [(pk, keys.client_sk(client_id)) for client_id in client_ids]
    found = {
        item.client_id: item
        for item in ClientItem.batch_get(wanted, consistent_read=True)
        if isinstance(item, ClientItem)
    }
    return [client_from_item(found[client_id]) for client_id in client_ids if client_id in found]
