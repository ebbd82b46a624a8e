"""The provider's calendars as items: the connections, their count, their busy days.

- ``CALENDAR#<id>``: one connection, its secrets sealed (chalicelib/domain/calendars.py).
- ``CALENDARS``: ``calendar_count`` (at most 5, kept by the transactions that add and remove)
  and ``until``, calendar id -> the instant its busy time stops counting (its last good sync +
  24 h). A booking snapshot reads this one item to know which busy runs count. Its GSI1 entry
  (``CALSYNC`` / provider id) lists the providers the 10-minute schedule syncs.
- ``CALBUSY#<utc day>``: one attribute per calendar, ``c_<calendar id>``, holding its busy runs
  of that day as ``"540-600,720-780"`` (minutes of the UTC day). Top-level attributes, so a sync
  sets or removes one calendar's day with one UpdateItem that may create the item; read raw, as
  the day summaries are.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.calendars import Calendar, Runs, decode_runs

CALENDAR_DAY_TYPE = "calendar_day"
RUNS_PREFIX = "c_"


class CalendarItem(Item, discriminator="calendar"):
    provider_id = UnicodeAttribute()
    calendar_id = UnicodeAttribute()
    calendar_type = UnicodeAttribute()
    shown_url = UnicodeAttribute()
    created_at = UnicodeAttribute()
    write = BooleanAttribute(default=False)
    url = UnicodeAttribute(null=True)
    username = UnicodeAttribute(null=True)
    sealed_url = UnicodeAttribute(null=True)
    sealed_password = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="pending")
    error = UnicodeAttribute(null=True)
    last_synced_at = UnicodeAttribute(null=True)
    last_tried_at = UnicodeAttribute(null=True)
    busy_count = NumberAttribute(default=0)


class CalendarsItem(Item, discriminator="calendars"):
    provider_id = UnicodeAttribute()
    calendar_count = NumberAttribute(default=0)
    until: MapAttribute[str, Any] = MapAttribute(default=dict)  # type: ignore[no-untyped-call]


class CalendarDayItem(Item, discriminator=CALENDAR_DAY_TYPE):
    """Declared for reads of a whole partition; its ``c_<id>`` attributes are read raw."""

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()


CALENDAR_FIELDS = (
    "shown_url", "created_at", "write", "url", "username", "sealed_url", "sealed_password",
    "status", "error", "last_synced_at", "last_tried_at", "busy_count",
)  # fmt: skip


def calendar_to_item(calendar: Calendar, pk: str, sk: str) -> CalendarItem:
    return CalendarItem(
        pk,
        sk,
        provider_id=calendar.provider_id,
        calendar_id=calendar.id,
        calendar_type=calendar.type,
        **{name: getattr(calendar, name) for name in CALENDAR_FIELDS},
    )


def calendar_from_item(item: CalendarItem) -> Calendar:
    fields = {name: getattr(item, name) for name in CALENDAR_FIELDS}
    fields["busy_count"] = int(fields["busy_count"] or 0)
    fields["write"] = bool(fields["write"])
    return Calendar(id=item.calendar_id, provider_id=item.provider_id, type=item.calendar_type, **fields)


def runs_attribute(calendar_id: str) -> str:
    return RUNS_PREFIX + calendar_id


def day_runs_from_raw(raw: dict[str, Any]) -> dict[str, Runs]:
    """``{calendar id: runs}`` of one CALBUSY item as DynamoDB returned it."""
    return {
        name[len(RUNS_PREFIX) :]: decode_runs(value["S"])
        for name, value in raw.items()
        if name.startswith(RUNS_PREFIX) and "S" in value
    }


def until_from_item(item: CalendarsItem | None) -> dict[str, str]:
    if item is None or item.until is None:
        return {}
    raw = item.until.as_dict() if hasattr(item.until, "as_dict") else dict(item.until)  # type: ignore[no-untyped-call]
    return {str(key): str(value) for key, value in raw.items()}
