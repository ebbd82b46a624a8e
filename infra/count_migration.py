"""Migration 0003: appointments booked before day counts take their place in them.

A ``max_per_day`` holds because every booking adds its appointment to the day counts of its
local date (``COUNT#<date>``, ``COUNT#<date>#<service id>``, chalicelib/adapters/dynamo/
count_items.py). Appointments booked before the counts existed are in none, so a cap set later
would let a day fill past it. This counts each of them that can still matter (not cancelled,
starting from two days ago on: no later booking can land on an earlier date), under the local date
of its start in the provider's zone, and records that date on the appointment (``counted_day``)
in the same transaction. Safe to run twice or while the app serves: the transaction checks the
appointment is still as read and not counted yet; one changed meanwhile is read again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.appointments import COUNTED_STATUSES, parse_z
from chalicelib.domain.booking.service_rules import COUNTED_SINCE, local_day
from infra.busy_migration import _get, _scan

ATTEMPTS = 5


def _count_update(
    table: str, pk: str, sk: str, provider_id: str, day: str, service_id: str | None
) -> dict[str, Any]:
    names = {"#type": "type", "#n": "n", "#day": "day"}
    values: dict[str, Any] = {
        ":type": {"S": "day_count"},
        ":pid": {"S": provider_id},
        ":day": {"S": day},
        ":one": {"N": "1"},
    }
    expression = "SET #type = :type, provider_id = :pid, #day = :day"
    if service_id is not None:
        expression += ", service_id = :sid"
        values[":sid"] = {"S": service_id}
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": {"S": pk}, "SK": {"S": sk}},
            "UpdateExpression": f"{expression} ADD #n :one",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def _writes(table: str, item: dict[str, Any], day: str) -> list[dict[str, Any]]:
    pk, provider_id, service_id = item["PK"]["S"], item["provider_id"]["S"], item["service_id"]["S"]
    unchanged = "attribute_not_exists(counted_day) AND #status = :status"
    values: dict[str, Any] = {":day": {"S": day}, ":status": item["status"]}
    if "revision" in item:
        unchanged += " AND revision = :revision"
        values[":revision"] = item["revision"]
    else:
        unchanged += " AND attribute_not_exists(revision)"
    appointment = {
        "Update": {
            "TableName": table,
            "Key": {"PK": item["PK"], "SK": item["SK"]},
            "UpdateExpression": "SET counted_day = :day",
            "ConditionExpression": f"attribute_exists(PK) AND {unchanged}",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": values,
        }
    }
    return [
        appointment,
        _count_update(table, pk, keys.day_count_sk(day), provider_id, day, None),
        _count_update(table, pk, keys.service_day_count_sk(day, service_id), provider_id, day, service_id),
    ]


def _wants_counting(item: dict[str, Any] | None, since: datetime) -> bool:
    if item is None or "counted_day" in item or item.get("status", {}).get("S") not in COUNTED_STATUSES:
        return False
    return {"start", "provider_id", "service_id"} <= set(item) and parse_z(item["start"]["S"]) >= since


def count_appointment(client: Any, table: str, item: dict[str, Any], zone: str, since: datetime) -> bool:
    """Count one appointment (True), or leave it (False: counted, cancelled or past by now)."""
    for _ in range(ATTEMPTS):
        if not _wants_counting(item, since):
            return False
        day = local_day(parse_z(item["start"]["S"]), zone)
        try:
            client.transact_write_items(TransactItems=_writes(table, item, day))
            return True
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if not reasons or reasons[0].get("Code") != "ConditionalCheckFailed":
                raise
            fresh = _get(client, table, item["PK"]["S"], item["SK"]["S"])  # changed meanwhile
            if fresh is None:
                return False
            item = fresh
    raise RuntimeError(f"appointment {item['SK']['S']} kept changing; run the migration again")


def apply(client: Any, table: str, now: datetime | None = None) -> None:
    since = (now or datetime.now(UTC)) - COUNTED_SINCE
    zones: dict[str, str] = {}
    for item in _scan(client, table, "appointment"):
        if not _wants_counting(item, since):
            continue
        provider_id = item["provider_id"]["S"]
        if provider_id not in zones:
            profile = _get(client, table, keys.provider_pk(provider_id), keys.PROFILE) or {}
            zones[provider_id] = profile.get("timezone", {}).get("S", "UTC")
        count_appointment(client, table, item, zones[provider_id], since)
