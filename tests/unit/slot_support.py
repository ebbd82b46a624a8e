"""Builders shared by the slot engine tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain.catalog import WEEKDAYS, WeeklyInterval
from chalicelib.domain.slots.engine import Slot, SlotQuery, SlotRules, free_slots

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def every_day(*spans: tuple[str, str]) -> list[WeeklyInterval]:
    return [WeeklyInterval(day, start, end) for day in WEEKDAYS for start, end in spans]


def rules(**changes: Any) -> SlotRules:
    """UTC provider open 09:00-17:00 every day, 30-minute service every 30 minutes, no limits."""
    base = SlotRules(
        timezone="UTC",
        weekly=every_day(("09:00", "17:00")),
        duration_minutes=30,
        slot_interval_minutes=30,
        min_notice_minutes=0,
        max_advance_days=365,
        now=NOW,
    )
    return dataclasses.replace(base, **changes)


def slots_on(
    slot_rules: SlotRules, first: date, last: date | None = None, timezone: str | None = None
) -> list[Slot]:
    return free_slots(SlotQuery(rules=slot_rules, from_date=first, to_date=last or first, timezone=timezone))


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.start for slot in slots]
