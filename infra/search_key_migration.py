"""Migration 0004: clients written before search keys get them (name words, phone digits).

A name or phone search reads ``CLIENTNAME#`` and ``CLIENTPHONE#`` items that every client write
keeps in step since this release (docs/access-patterns.md, "Client search"). This puts them for
the older clients, each in one transaction that holds only while the client still has the name
and phone they were derived from and is not erased: a client changed meanwhile was written by the
app, which wrote its keys itself. Puts of keys that exist already change nothing: it can run twice.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo.client_items import (
    ClientItem,
    client_from_item,
    search_key_item,
    search_key_sks,
)
from infra.busy_migration import _scan

LIVE = "#name = :name AND (attribute_not_exists(erased) OR erased = :false)"
SAME_PHONE = " AND #phone = :phone"
NO_PHONE = " AND (attribute_not_exists(#phone) OR #phone = :phone)"


def apply(client: Any, table: str) -> None:
    for raw in _scan(client, table, "client"):
        if raw.get("erased", {}).get("BOOL") or not {"client_id", "provider_id", "name"} <= set(raw):
            continue  # erased (no keys), or not a client as the app writes them
        person = client_from_item(ClientItem.from_raw_data(raw))
        sks = sorted(search_key_sks(person))
        if not sks:
            continue
        check = {
            "ConditionCheck": {
                "TableName": table,
                "Key": {"PK": raw["PK"], "SK": raw["SK"]},
                "ConditionExpression": LIVE + (SAME_PHONE if person.phone else NO_PHONE),
                "ExpressionAttributeNames": {"#name": "name", "#phone": "phone"},
                "ExpressionAttributeValues": {
                    ":name": {"S": person.name},
                    ":phone": {"S": person.phone},
                    ":false": {"BOOL": False},
                },
            }
        }
        puts = [{"Put": {"TableName": table, "Item": _raw(search_key_item(person, sk))}} for sk in sks]
        try:
            client.transact_write_items(TransactItems=[check, *puts])
        except ClientError as error:  # changed meanwhile: the app wrote the keys itself
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise


def _raw(item: Any) -> dict[str, Any]:
    """An item as the low-level client takes it, keys included."""
    serialized: dict[str, Any] = item.serialize()
    return serialized
