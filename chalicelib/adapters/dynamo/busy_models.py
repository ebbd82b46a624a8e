"""Items of busy time: 30-minute blocks, day summaries, and the day ledgers of before blocks."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import Attribute, MapAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.booking.blocks import BLOCK_MINUTES, WINDOW_NAMES


class LedgerItem(Item, discriminator="ledger"):
    """DAY#<utc date>: the shape busy time had before block items (read until migrated away).

    Migration 0001 (infra/migrate.py) turns every ledger into block items and deletes it;
    appointments booked before then are still found here, and freed here when they change.

    ``busy`` maps appointment id -> {start, end, buffer_before_minutes, buffer_after_minutes}.
    Created by a conditional Put (a nested SET needs the map to exist), then updated in place.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    version = NumberAttribute(default=0)
    busy: MapAttribute[str, Any] = MapAttribute(default=dict)  # type: ignore[no-untyped-call]


def minute_name(minute: int) -> str:
    """The attribute of a block item that holds its minute ``minute`` (0-29): ``m00``..``m29``."""
    return f"m{minute:02d}"


def _minute_attributes() -> dict[str, Attribute[Any]]:
    return {minute_name(m): UnicodeAttribute(null=True) for m in range(BLOCK_MINUTES)}


def _window_attributes() -> dict[str, Attribute[Any]]:
    return {name: NumberAttribute(null=True) for name in WINDOW_NAMES}


class BlockItem(Item, discriminator="block"):
    """BLOCK#<utc yyyy-mm-ddThh:mm>: 30 minutes of a provider's time, minute by minute.

    ``m00``..``m29`` hold the id of the appointment keeping that minute busy (absent when free);
    a booking sets its minutes with ``attribute_not_exists`` on each, so only a real overlap can
    refuse it.
    """

    provider_id = UnicodeAttribute()
    locals().update(_minute_attributes())


class BusyDayItem(Item, discriminator="busy_day"):
    """BUSY#<utc yyyy-mm-dd>: the day's busy minutes, one 120-bit mask per two hours (``h00``..``h22``).

    Kept by the same transactions as the block items, with ADD (no condition, fixed size): slot
    listings read one of these per day instead of every appointment.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    locals().update(_window_attributes())
