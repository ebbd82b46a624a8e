"""The one definition of the table: used by ``make run``, the tests and ``infra/``."""

from __future__ import annotations

from typing import Any

TTL_ATTRIBUTE = "expires_at"
# Set on every item infra.restore writes back; the stream consumer ignores such a write.
RESTORED_ATTRIBUTE = "restored_at"
# Set on every appointment the import (importer/) writes; the stream consumer ignores such a write.
IMPORTED_ATTRIBUTE = "imported_at"
GSI1 = "GSI1"
# A client's own appointments (docs/access-patterns.md says why a second index).
GSI2 = "GSI2"
INDEXES = (GSI1, GSI2)


def table_definition(table_name: str) -> dict[str, Any]:
    """CreateTable arguments (also rendered into CloudFormation by ``infra/``)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("PK", "SK", *(f"{index}{part}" for index in INDEXES for part in ("PK", "SK")))
        ],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [index_definition(index) for index in INDEXES],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


def index_definition(index: str) -> dict[str, Any]:
    return {
        "IndexName": index,
        "KeySchema": [
            {"AttributeName": f"{index}PK", "KeyType": "HASH"},
            {"AttributeName": f"{index}SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def add_missing_indexes(client: Any, table_name: str) -> list[str]:
    """Create the indexes a table made by an older version lacks (``make run`` keeps its data)."""
    described = client.describe_table(TableName=table_name)["Table"]
    present = {index["IndexName"] for index in described.get("GlobalSecondaryIndexes", [])}
    added = []
    for index in INDEXES:
        if index in present:
            continue
        client.update_table(
            TableName=table_name,
            AttributeDefinitions=[
                {"AttributeName": f"{index}{part}", "AttributeType": "S"} for part in ("PK", "SK")
            ],
            GlobalSecondaryIndexUpdates=[{"Create": index_definition(index)}],
        )
        client.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )
        added.append(index)
    return added


def ensure_table(client: Any, table_name: str) -> bool:
    """Create the table (and its TTL setting) when missing; True when it was created.

    An existing table gets the indexes it lacks.
    """
    existing = client.list_tables().get("TableNames", [])
    if table_name in existing:
        add_missing_indexes(client, table_name)
        return False
    client.create_table(**table_definition(table_name))
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return True
