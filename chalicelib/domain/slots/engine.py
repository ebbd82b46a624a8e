"""The slot engine: which starts a service can be booked at. Pure; docs/slots.md has the rules.

Listing: free_slots(SlotQuery(rules=..., from_date=..., to_date=..., timezone=requester_zone)).
Booking: is_bookable_start(rules, requested_start) on freshly read appointments, and
conflicts(Busy(...), existing) for the bare overlap rule, buffers included.
SlotRules.for_service() builds the rules from the stored availability, service and policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from chalicelib.domain.catalog import Availability, Service, WeeklyInterval
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.scan import blocked_intervals, free_starts
from chalicelib.domain.slots.timeline import Busy, Interval, as_utc, conflicts, overlaps
from chalicelib.domain.slots.wallclock import first_instant, zone_named
from chalicelib.domain.slots.windows import ONE_DAY, Overrides, opening_windows

__all__ = [
    "Busy",
    "Interval",
    "Slot",
    "SlotQuery",
    "SlotRules",
    "conflicts",
    "free_slots",
    "is_bookable_start",
    "overlaps",
    "unbookable_reason",
]

# Why a start is not bookable (the 409 codes of docs/api.md).
TOO_SOON, TOO_FAR_AHEAD, TAKEN, OUTSIDE_HOURS = "too_soon", "too_far_ahead", "taken", "outside_hours"

# datetime's resolution: "start <= limit" is "start < limit + RESOLUTION".
RESOLUTION = timedelta(microseconds=1)


class Slot(NamedTuple):
    """A free [start, end) for the service, both aware UTC datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True, kw_only=True)
class SlotRules:
    """Everything that decides which starts are free, except the requester's date range.

    busy holds the provider's appointments that still take time (not the cancelled ones, nor
    the one being rescheduled), each with its own buffers; order does not matter. now is the
    injected clock; it is normalised to UTC.
    """

    timezone: str  # the provider's IANA zone, in which weekly rules and overrides are read
    weekly: Sequence[WeeklyInterval]
    overrides: Overrides = field(default_factory=dict)  # an empty list closes the date
    busy: Sequence[Busy] = ()
    duration_minutes: int
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    slot_interval_minutes: int
    min_notice_minutes: int
    max_advance_days: int
    now: datetime

    def __post_init__(self) -> None:
        zone_named(self.timezone)
        object.__setattr__(self, "now", as_utc(self.now))
        least = {
            "duration_minutes": 1,
            "slot_interval_minutes": 1,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "min_notice_minutes": 0,
            "max_advance_days": 0,
        }
        errors = [
            {"field": name, "code": "too_small", "message": f"must be at least {minimum}"}
            for name, minimum in least.items()
            if getattr(self, name) < minimum
        ]
        if errors:
            raise ValidationError("invalid slot rules", errors)

    @classmethod
    def for_service(
        cls,
        *,
        availability: Availability,
        service: Service,
        policy: BookingPolicy,
        now: datetime,
        busy: Sequence[Busy] = (),
        overrides: Overrides | None = None,
    ) -> SlotRules:
        """The rules for booking service with a provider's stored hours and policy."""
        return cls(
            timezone=availability.timezone,
            weekly=availability.weekly,
            overrides=overrides or {},
            busy=busy,
            duration_minutes=service.duration_minutes,
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            slot_interval_minutes=policy.slot_interval_minutes,
            min_notice_minutes=policy.min_notice_minutes,
            max_advance_days=policy.max_advance_days,
            now=now,
        )


@dataclass(frozen=True, kw_only=True)
class SlotQuery:
    """A requester's view: slots starting on from_date..to_date (inclusive) in timezone."""

    rules: SlotRules
    from_date: date
    to_date: date
    timezone: str | None = None  # the requester's IANA zone; None reads dates in the provider's

    def __post_init__(self) -> None:
        if self.timezone is not None:
            zone_named(self.timezone)
        if self.to_date < self.from_date:
            raise ValidationError(
                "the date range ends before it starts",
                [{"field": "to", "code": "before_from", "message": "must not be before from"}],
            )


def free_slots(query: SlotQuery) -> list[Slot]:
    """Free slots that start in [from_date 00:00, to_date + 1 day 00:00) of the requester's zone.

    Sorted by start, no duplicates, every end = start + duration.
    """
    zone = zone_named(query.timezone or query.rules.timezone)
    start = first_instant(datetime.combine(query.from_date, time()), zone)
    end = first_instant(datetime.combine(query.to_date + ONE_DAY, time()), zone)
    return _free_between(query.rules, start, end)


def is_bookable_start(rules: SlotRules, start: datetime) -> bool:
    """True when start (any aware datetime) is the start of one of the free slots.

    It looks at the provider's dates around start only, whatever range a page showed.
    """
    instant = as_utc(start)
    return bool(_free_between(rules, instant, instant + RESOLUTION))


def unbookable_reason(rules: SlotRules, start: datetime) -> str | None:
    """None when start is bookable, else the first rule that refuses it: the notice (or the
    past), the booking window, another appointment's time, or the hours (and slot grid).

    "taken" only when the start would be a free slot with nobody else booked: a closed time
    that is also busy is "outside_hours", so the code never sends a client after a time that
    would not open even if the other booking went away.
    """
    instant = as_utc(start)
    if instant < rules.now + timedelta(minutes=rules.min_notice_minutes):
        return TOO_SOON
    if instant > rules.now + timedelta(days=rules.max_advance_days):
        return TOO_FAR_AHEAD
    if is_bookable_start(rules, instant):
        return None
    if is_bookable_start(replace(rules, busy=()), instant):
        return TAKEN
    return OUTSIDE_HOURS


def _free_between(rules: SlotRules, start: datetime, end: datetime) -> list[Slot]:
    """Free slots whose start is in [start, end), within notice and advance limits."""
    lowest = max(start, rules.now + timedelta(minutes=rules.min_notice_minutes))
    beyond = min(end, rules.now + timedelta(days=rules.max_advance_days) + RESOLUTION)
    if lowest >= beyond:
        return []
    zone = zone_named(rules.timezone)
    # A date's windows start no earlier than its midnight's first instant, so earlier dates
    # cannot hold a start >= lowest. One date past beyond's covers a clock that falls back
    # across midnight, where the next date's first readings come before beyond.
    first = lowest.astimezone(zone).date()
    last = beyond.astimezone(zone).date() + ONE_DAY
    windows = opening_windows(zone, rules.weekly, rules.overrides, first, last)
    blocked = blocked_intervals(
        rules.busy,
        service_before=rules.buffer_before_minutes,
        service_after=rules.buffer_after_minutes,
        reach_from=lowest,
        reach_to=beyond + timedelta(minutes=rules.duration_minutes),
    )
    duration = timedelta(minutes=rules.duration_minutes)
    step = timedelta(minutes=rules.slot_interval_minutes)
    return [
        Slot(start, start + duration)
        for start in free_starts(windows, blocked, lowest, beyond, duration, step)
    ]
