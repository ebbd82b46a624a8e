"""Read busy time straight from the table, to check it against the appointments themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, parse_z

MINUTE = timedelta(minutes=1)


def query_all(ddb: Any, table: str, pk: str, prefix: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": prefix}},
        "ConsistentRead": True,
    }
    while True:
        page = ddb.query(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def minutes_held_by_blocks(ddb: Any, table: str, provider_id: str) -> dict[datetime, str]:
    """Every minute some block item holds, and the appointment id holding it."""
    held: dict[datetime, str] = {}
    for item in query_all(ddb, table, keys.provider_pk(provider_id), "BLOCK#"):
        block = datetime.strptime(item["SK"]["S"], "BLOCK#%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
        for name, value in item.items():
            if len(name) == 3 and name.startswith("m") and name[1:].isdigit():
                held[block + int(name[1:]) * MINUTE] = value["S"]
    return held


def minutes_in_day_summaries(ddb: Any, table: str, provider_id: str) -> set[datetime]:
    minutes: set[datetime] = set()
    for item in query_all(ddb, table, keys.provider_pk(provider_id), "BUSY#"):
        day = datetime.strptime(item["SK"]["S"], "BUSY#%Y-%m-%d").replace(tzinfo=UTC)
        for name, value in item.items():
            if len(name) == 3 and name.startswith("h") and name[1:].isdigit():
                window = day + timedelta(hours=int(name[1:3]))
                mask = int(value["N"])
                minutes |= {window + m * MINUTE for m in range(120) if mask >> m & 1}
    return minutes


def minutes_kept_by_appointments(appointments: list[dict[str, Any]]) -> dict[datetime, str]:
    """What the active appointments keep busy (start - buffer before, end + buffer after)."""
    kept: dict[datetime, str] = {}
    for item in appointments:
        if item["status"]["S"] not in ACTIVE_STATUSES:
            continue
        start = parse_z(item["start"]["S"]) - int(item["buffer_before_minutes"]["N"]) * MINUTE
        end = parse_z(item["end"]["S"]) + int(item["buffer_after_minutes"]["N"]) * MINUTE
        minute = start
        while minute < end:
            assert minute not in kept, (
                f"{minute} kept by {kept.get(minute)} and {item['appointment_id']['S']}"
            )
            kept[minute] = item["appointment_id"]["S"]
            minute += MINUTE
    return kept


def assert_busy_time_matches(
    ddb: Any, table: str, provider_id: str, appointments: list[dict[str, Any]]
) -> int:
    """Blocks hold exactly the active appointments' minutes, and the day summaries agree."""
    kept = minutes_kept_by_appointments(appointments)
    assert minutes_held_by_blocks(ddb, table, provider_id) == kept
    assert minutes_in_day_summaries(ddb, table, provider_id) == set(kept)
    return len(kept)
