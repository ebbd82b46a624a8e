"""What every booking decision shares: which days to read, the slot rules, the busy time read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from chalicelib.domain.booking import blocks
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.slots.engine import Busy, SlotRules
from chalicelib.domain.slots.timeline import as_utc
from chalicelib.services.booking.ports import BookingSnapshot

MAX_ATTEMPTS = 4
# Any zone is within 14 h of UTC and buffers add at most 8 h: two days either side cover both.
MARGIN = timedelta(days=2)


def days_between(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def days_around(start: datetime) -> list[str]:
    day = as_utc(start).date()
    return days_between(day - MARGIN, day + MARGIN)


def slot_rules(
    snapshot: BookingSnapshot,
    now: datetime,
    busy: Iterable[Busy],
    duration: int,
    buffers: tuple[int, int],
) -> SlotRules:
    policy = snapshot.provider.policy
    overrides = {
        date.fromisoformat(day): [(r.start, r.end) for r in ranges]
        for day, ranges in snapshot.overrides.items()
    }
    return SlotRules(
        timezone=snapshot.provider.timezone,
        weekly=snapshot.weekly,
        overrides=overrides,
        busy=list(busy),
        duration_minutes=duration,
        buffer_before_minutes=buffers[0],
        buffer_after_minutes=buffers[1],
        slot_interval_minutes=policy.slot_interval_minutes,
        min_notice_minutes=policy.min_notice_minutes,
        max_advance_days=policy.max_advance_days,
        now=now,
    )


def busy_read(snapshot: BookingSnapshot, moving: Appointment | None = None) -> list[Busy]:
    """The busy time read: the day summaries, less the minutes of ``moving`` (an appointment
    being rescheduled frees its own), plus what day ledgers from before block items still hold."""
    days = snapshot.busy_days
    if moving is not None and moving.active and moving.time_blocks:
        days = blocks.without(days, blocks.pieces(moving.busy()))
    found = blocks.busy_from_masks(days)
    excluding = None if moving is None else moving.id
    for ledger in snapshot.ledgers.values():
        found.extend(ledger.entries(excluding=excluding))
    return found
