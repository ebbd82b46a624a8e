"""Migration 0001: day ledgers become block items and day summaries (docs/access-patterns.md).

Before block items, each provider's busy time lived in one ``DAY#<date>`` ledger per UTC day.
This moves every active appointment found in a ledger to block items (taking each of its minutes
with ``attribute_not_exists``, as a booking does), marks the appointment ``time_blocks``, and
deletes the ledger once all of its appointments are moved. Safe to run twice or while the app
serves: an appointment is moved in one transaction that also checks it is unchanged, a ledger is
deleted only if unchanged since it was read, and the app reads what ledgers are left meanwhile.

Two appointments that overlap (which the old ledgers could only allow in the seconds when old
and new code ran side by side) cannot both hold a minute: the second is reported and left in
its ledger's place untouched, for a person to resolve.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, parse_z
from chalicelib.domain.booking.blocks import BlockChange, changes, pieces
from chalicelib.domain.slots.timeline import Busy

ATTEMPTS = 5


def _scan(client: Any, table: str, item_type: str) -> Iterator[dict[str, Any]]:
    kwargs: dict[str, Any] = {
        "TableName": table,
        "FilterExpression": "#type = :type",
        "ExpressionAttributeNames": {"#type": "type"},
        "ExpressionAttributeValues": {":type": {"S": item_type}},
    }
    while True:
        page = client.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _get(client: Any, table: str, pk: str, sk: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = client.get_item(
        TableName=table, Key={"PK": {"S": pk}, "SK": {"S": sk}}, ConsistentRead=True
    ).get("Item")
    return found


def _block_update(
    table: str, pk: str, provider_id: str, appointment_id: str, change: BlockChange
) -> dict[str, Any]:
    names = {"#type": "type"} | {f"#m{m}": f"m{m:02d}" for m in change.take}
    sets = ["#type = :block", "provider_id = :pid"] + [f"#m{m} = :id" for m in change.take]
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": {"S": pk}, "SK": {"S": keys.block_sk(change.block)}},
            "UpdateExpression": "SET " + ", ".join(sets),
            "ConditionExpression": " AND ".join(f"attribute_not_exists(#m{m})" for m in change.take),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                ":block": {"S": "block"},
                ":pid": {"S": provider_id},
                ":id": {"S": appointment_id},
            },
        }
    }


def _summary_updates(table: str, pk: str, provider_id: str, found: list[BlockChange]) -> list[dict[str, Any]]:
    by_day: dict[str, list[BlockChange]] = {}
    for change in found:
        by_day.setdefault(change.block.date().isoformat(), []).append(change)
    updates = []
    for day, day_changes in sorted(by_day.items()):
        values: dict[str, Any] = {":busy": {"S": "busy_day"}, ":pid": {"S": provider_id}, ":day": {"S": day}}
        deltas: dict[str, int] = {}
        for change in day_changes:
            deltas[change.window] = deltas.get(change.window, 0) + change.delta
        adds = []
        for n, (window, delta) in enumerate(sorted(deltas.items())):
            values[f":d{n}"] = {"N": str(delta)}
            adds.append(f"{window} :d{n}")
        updates.append(
            {
                "Update": {
                    "TableName": table,
                    "Key": {"PK": {"S": pk}, "SK": {"S": keys.busy_day_sk(day)}},
                    "UpdateExpression": "SET #type = :busy, provider_id = :pid, #day = :day ADD "
                    + ", ".join(adds),
                    "ExpressionAttributeNames": {"#type": "type", "#day": "day"},
                    "ExpressionAttributeValues": values,
                }
            }
        )
    return updates


def _mark(table: str, appointment: dict[str, Any]) -> dict[str, Any]:
    revision = appointment.get("revision", {"N": "0"})
    unchanged = "revision = :rev" if "revision" in appointment else "attribute_not_exists(revision)"
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": appointment["PK"], "SK": appointment["SK"]},
            "UpdateExpression": "SET time_blocks = :yes, revision = :next",
            "ConditionExpression": f"#status = :status AND {unchanged} AND "
            "(attribute_not_exists(time_blocks) OR time_blocks = :no)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":yes": {"BOOL": True},
                ":no": {"BOOL": False},
                ":status": appointment["status"],
                ":next": {"N": str(int(revision["N"]) + 1)},
                **({":rev": revision} if "revision" in appointment else {}),
            },
        }
    }


def move_appointment(client: Any, table: str, provider_id: str, appointment_id: str) -> str:
    """Move one appointment's busy time to block items: ``moved``, ``skipped`` or ``overlap``."""
    pk = keys.provider_pk(provider_id)
    for _ in range(ATTEMPTS):
        item = _get(client, table, pk, keys.appointment_sk(appointment_id))
        if item is None or item["status"]["S"] not in ACTIVE_STATUSES:
            return "skipped"
        if item.get("time_blocks", {}).get("BOOL"):
            return "skipped"
        busy = Busy(
            parse_z(item["start"]["S"]),
            parse_z(item["end"]["S"]),
            int(item.get("buffer_before_minutes", {"N": "0"})["N"]),
            int(item.get("buffer_after_minutes", {"N": "0"})["N"]),
        )
        found = changes([], pieces(busy))
        writes = [_mark(table, item)]
        writes += [_block_update(table, pk, provider_id, appointment_id, change) for change in found]
        writes += _summary_updates(table, pk, provider_id, found)
        try:
            client.transact_write_items(TransactItems=writes)
            return "moved"
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if not reasons:
                raise
            if reasons[0].get("Code") == "ConditionalCheckFailed":
                continue  # the appointment changed meanwhile: read it again
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[1:]):
                return "overlap"
    raise RuntimeError(f"appointment {appointment_id} kept changing; run the migration again")


def migrate_ledger(client: Any, table: str, pk: str, sk: str, report: list[str]) -> None:
    """Move every appointment of one ledger, then delete the ledger if it is still as read."""
    for _ in range(ATTEMPTS):
        ledger = _get(client, table, pk, sk)
        if ledger is None:
            return
        provider_id = ledger["provider_id"]["S"]
        for appointment_id in ledger.get("busy", {}).get("M", {}):
            if move_appointment(client, table, provider_id, appointment_id) == "overlap":
                report.append(f"overlap: provider {provider_id}, appointment {appointment_id}")
        if any(line.startswith(f"overlap: provider {provider_id},") for line in report):
            return  # keep the ledger of an overlap: it still tells what was booked
        try:
            client.delete_item(
                TableName=table,
                Key={"PK": {"S": pk}, "SK": {"S": sk}},
                ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": ledger["version"]},
            )
            return
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    raise RuntimeError(f"ledger {pk} {sk} kept changing; run the migration again")


def apply(client: Any, table: str) -> None:
    report: list[str] = []
    for ledger in _scan(client, table, "ledger"):
        migrate_ledger(client, table, ledger["PK"]["S"], ledger["SK"]["S"], report)
    for line in report:
        print(f"0001-busy-time-blocks: {line}")  # noqa: T201 - the migration's report to the operator
