"""Migration 0002: appointments written before GSI2 get its keys (a client's own appointments).

GSI2 (``PROVIDER#<pid>#CLIENT#<cid>`` / ``<start>#<id>``) is added to the table by the stack
update; DynamoDB indexes only items that carry its keys, which every appointment written since
does. This sets them on the older ones, each only if it still has the start it was read with.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import keys
from infra.busy_migration import _scan


def apply(client: Any, table: str) -> None:
    for item in _scan(client, table, "appointment"):
        if "GSI2PK" in item or not {"start", "appointment_id", "provider_id", "client_id"} <= set(item):
            continue  # done already, or not an appointment as the app writes them
        start, appointment_id = item["start"]["S"], item["appointment_id"]["S"]
        try:
            client.update_item(
                TableName=table,
                Key={"PK": item["PK"], "SK": item["SK"]},
                UpdateExpression="SET GSI2PK = :pk, GSI2SK = :sk",
                ConditionExpression="attribute_not_exists(GSI2PK) AND #start = :start",
                ExpressionAttributeNames={"#start": "start"},
                ExpressionAttributeValues={
                    ":pk": {"S": keys.client_gsi2pk(item["provider_id"]["S"], item["client_id"]["S"])},
                    ":sk": {"S": keys.calendar_gsi1sk(start, appointment_id)},
                    ":start": {"S": start},
                },
            )
        except ClientError as error:  # changed meanwhile: the app wrote the keys itself
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
