"""The provider's calendars and their busy days in the table (calendar_items.py has the shapes)."""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.calendar_items import (
    CALENDAR_FIELDS,
    CalendarItem,
    CalendarsItem,
    calendar_from_item,
    calendar_to_item,
    day_runs_from_raw,
    runs_attribute,
)
from chalicelib.adapters.dynamo.item import Item, dynamodb_client
from chalicelib.adapters.dynamo.table import GSI1
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import iso_z
from chalicelib.domain.calendars import (
    MAX_CALENDARS,
    Calendar,
    Runs,
    check_room,
    encode_runs,
)
from chalicelib.services.calendars.ports import CalendarStore

COUNT = "count"


def _counter(provider_id: str) -> CalendarsItem:
    return CalendarsItem(keys.provider_pk(provider_id), keys.CALENDARS)


def _calendar_key(provider_id: str, calendar_id: str) -> tuple[str, str]:
    return keys.provider_pk(provider_id), keys.calendar_sk(calendar_id)


def _raw_query(**kwargs: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        answer = dynamodb_client().query(TableName=Item.Meta.table_name, **kwargs)
        found.extend(answer.get("Items", []))
        if "LastEvaluatedKey" not in answer:
            return found
        kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


class DynamoCalendars(CalendarStore):
    def calendars(self, provider_id: str) -> list[Calendar]:
        pk = keys.provider_pk(provider_id)
        condition = CalendarItem.SK.startswith(keys.CALENDAR_PREFIX)
        return [calendar_from_item(i) for i in CalendarItem.query(pk, condition, consistent_read=True)]

    def add_calendar(self, calendar: Calendar) -> None:
        pk, sk = _calendar_key(calendar.provider_id, calendar.id)
        tx = Transaction()
        actions: list[Action] = [
            Item.type.set(CalendarsItem),
            CalendarsItem.provider_id.set(calendar.provider_id),
            CalendarsItem.calendar_count.add(1),
            CalendarsItem.until.set(CalendarsItem.until | {}),
            Item.GSI1PK.set(keys.CALENDAR_SYNC_PK),
            Item.GSI1SK.set(calendar.provider_id),
        ]
        room = CalendarsItem.calendar_count.does_not_exist() | (CalendarsItem.calendar_count < MAX_CALENDARS)
        tx.update(COUNT, _counter(calendar.provider_id), actions, room)
        tx.put("calendar", calendar_to_item(calendar, pk, sk), CalendarItem.PK.does_not_exist())
        try:
            tx.commit()
        except TransactionCancelledError as cancelled:
            if COUNT in cancelled.failed:
                check_room([calendar] * MAX_CALENDARS)  # the same error as the early check
            raise
        return None

    def save_calendar(self, calendar: Calendar) -> bool:
        pk, sk = _calendar_key(calendar.provider_id, calendar.id)
        item = CalendarItem(pk, sk)
        tx = Transaction()
        actions: list[Action] = []
        for name in CALENDAR_FIELDS:
            value, attribute = getattr(calendar, name), getattr(CalendarItem, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
        tx.update("calendar", item, actions, CalendarItem.PK.exists())
        until = calendar.counts_until()
        if until is not None:
            counter_actions: list[Action] = [CalendarsItem.until[calendar.id].set(iso_z(until))]
            tx.update("until", _counter(calendar.provider_id), counter_actions, CalendarsItem.PK.exists())
        try:
            tx.commit()
        except TransactionCancelledError:
            return False
        return True

    def remove_calendar(self, provider_id: str, calendar_id: str) -> bool:
        pk, sk = _calendar_key(provider_id, calendar_id)
        tx = Transaction()
        tx.delete("calendar", CalendarItem(pk, sk), CalendarItem.PK.exists())
        actions: list[Action] = [
            CalendarsItem.calendar_count.add(-1),
            CalendarsItem.until[calendar_id].remove(),
        ]
        tx.update(COUNT, _counter(provider_id), actions, CalendarsItem.PK.exists())
        try:
            tx.commit()
        except TransactionCancelledError:
            return False
        self.forget_busy(provider_id, calendar_id)
        return True

    def forget_busy(self, provider_id: str, calendar_id: str) -> None:
        days = self.calendar_busy_days(provider_id, "0000-00-00", "9999-99-99")
        self._write_days(
            provider_id, calendar_id, {day: [] for day, of_day in days.items() if calendar_id in of_day}
        )

    def replace_busy(
        self, provider_id: str, calendar_id: str, days: dict[str, Runs], window: list[str]
    ) -> None:
        if not window:
            return
        stored = self.calendar_busy_days(provider_id, min(window), max(window))
        changed = {
            day: days.get(day, [])
            for day in window
            if days.get(day, []) != stored.get(day, {}).get(calendar_id, [])
        }
        self._write_days(provider_id, calendar_id, changed)

    def _write_days(self, provider_id: str, calendar_id: str, days: dict[str, Runs]) -> None:
        """One UpdateItem per day whose runs change: set them, or remove them when free."""
        pk = keys.provider_pk(provider_id)
        names = {"#c": runs_attribute(calendar_id), "#t": "type"}
        for day, runs in sorted(days.items()):
            key = {"PK": {"S": pk}, "SK": {"S": keys.calendar_day_sk(day)}}
            if runs:
                values = {
                    ":r": {"S": encode_runs(runs)},
                    ":t": {"S": "calendar_day"},
                    ":p": {"S": provider_id},
                    ":d": {"S": day},
                }
                expression = "SET #c = :r, #t = :t, provider_id = :p, #day = :d"
                dynamodb_client().update_item(
                    TableName=Item.Meta.table_name,
                    Key=key,
                    UpdateExpression=expression,
                    ExpressionAttributeNames={**names, "#day": "day"},
                    ExpressionAttributeValues=values,
                )
            else:
                self._remove_day(key, names["#c"])

    @staticmethod
    def _remove_day(key: dict[str, Any], attribute: str) -> None:
        client = dynamodb_client()
        try:
            client.update_item(
                TableName=Item.Meta.table_name,
                Key=key,
                UpdateExpression="REMOVE #c",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#c": attribute},
            )
        except client.exceptions.ConditionalCheckFailedException:
            return  # no item for that day: nothing to free

    def calendar_busy_days(self, provider_id: str, first: str, last: str) -> dict[str, dict[str, Runs]]:
        raw = _raw_query(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": {"S": keys.provider_pk(provider_id)},
                ":low": {"S": keys.calendar_day_sk(first)},
                ":high": {"S": keys.calendar_day_sk(last)},
            },
            ConsistentRead=True,
        )
        return {item["day"]["S"]: runs for item in raw if (runs := day_runs_from_raw(item))}

    def providers_with_calendars(self, cursor: str | None, limit: int) -> tuple[list[str], str | None]:
        kwargs: dict[str, Any] = {
            "IndexName": GSI1,
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.CALENDAR_SYNC_PK}},
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = {
                "PK": {"S": keys.provider_pk(cursor)},
                "SK": {"S": keys.CALENDARS},
                "GSI1PK": {"S": keys.CALENDAR_SYNC_PK},
                "GSI1SK": {"S": cursor},
            }
        answer = dynamodb_client().query(TableName=Item.Meta.table_name, **kwargs)
        found = [item["provider_id"]["S"] for item in answer.get("Items", [])]
        more = answer.get("LastEvaluatedKey")
        return found, (more["GSI1SK"]["S"] if more else None)
