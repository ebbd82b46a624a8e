"""Time off and its mapping: every range of a provider's time off, in one item (``TIMEOFF``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.catalog import TimeOff


class TimeOffMap(MapAttribute[str, Any]):
    id = UnicodeAttribute()
    first = UnicodeAttribute()  # local dates, inclusive
    last = UnicodeAttribute()
    reason = UnicodeAttribute(default="")
    created_at = UnicodeAttribute()


class TimeOffItem(Item, discriminator="time_off"):
    """TIMEOFF: every range of time off, in one small item that a booking snapshot reads along."""

    provider_id = UnicodeAttribute()
    ranges = ListAttribute[TimeOffMap](of=TimeOffMap, default=list)


def time_off_to_map(t: TimeOff) -> TimeOffMap:
    return TimeOffMap(  # type: ignore[no-untyped-call]
        id=t.id, first=t.first.isoformat(), last=t.last.isoformat(), reason=t.reason, created_at=t.created_at
    )


def time_off_from_map(m: TimeOffMap) -> TimeOff:
    return TimeOff(
        m.id, date.fromisoformat(m.first), date.fromisoformat(m.last), m.reason or "", m.created_at
    )
