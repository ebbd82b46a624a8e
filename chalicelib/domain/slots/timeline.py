"""Interval arithmetic on UTC instants: overlap, merging, alignment, and booking conflicts.

Every interval is half-open, [start, end): an appointment ending at 10:00 and one starting at
10:00 touch but do not overlap. An empty interval (end <= start) holds no instant and overlaps
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple


def as_utc(instant: datetime) -> datetime:
    """The same instant with tzinfo=UTC, so that timedelta arithmetic is elapsed time.

    Arithmetic on a datetime in a ZoneInfo zone is wall-clock arithmetic, wrong across DST,
    and a naive datetime names no instant at all: it is a programming error, not user input.
    """
    if instant.tzinfo is UTC:  # the common case, from ISO strings ending in Z
        return instant
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()} names no instant")
    return instant.astimezone(UTC)


class Interval(NamedTuple):
    """[start, end) between two aware instants."""

    start: datetime
    end: datetime

    @property
    def is_empty(self) -> bool:
        return self.end <= self.start

    def overlaps(self, other: Interval) -> bool:
        return overlaps(self, other)


def overlaps(a: Interval, b: Interval) -> bool:
    """True when a and b share at least one instant."""
    return a.start < b.end and b.start < a.end and not a.is_empty and not b.is_empty


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals holding the same instants; touching ones are joined."""
    merged: list[Interval] = []
    for start, end in sorted(interval for interval in intervals if not interval.is_empty):
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, end)
        else:
            merged.append(Interval(start, end))
    return merged


def align_up(instant: datetime, anchor: datetime, step: timedelta) -> datetime:
    """The first of anchor, anchor + step, anchor + 2 * step, ... that is not before instant."""
    if instant <= anchor:
        return anchor
    steps = -((anchor - instant) // step)  # ceiling division on timedeltas
    return anchor + steps * step


@dataclass(frozen=True, slots=True)
class Busy:
    """Time a provider has already committed: an appointment and the buffers of its service.

    The buffers belong to the appointment that was booked (its service's buffers at booking
    time), so changing a service later does not move the time kept free around old bookings.
    start and end are normalised to UTC.
    """

    start: datetime
    end: datetime
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", as_utc(self.start))
        object.__setattr__(self, "end", as_utc(self.end))
        if self.buffer_before_minutes < 0 or self.buffer_after_minutes < 0:
            raise ValueError("buffers cannot be negative")

    @property
    def is_empty(self) -> bool:
        """True when even with its buffers it holds no instant, so it blocks nothing."""
        return self.end <= self.start and self.padded().is_empty

    def padded(self) -> Interval:
        """The appointment widened by its buffers: the time nothing else may overlap."""
        return Interval(
            self.start - timedelta(minutes=self.buffer_before_minutes),
            self.end + timedelta(minutes=self.buffer_after_minutes),
        )


def conflicts(candidate: Busy, existing: Iterable[Busy]) -> bool:
    """True when candidate, buffers included, overlaps any existing appointment plus its buffers.

    This is the overlap rule of the slot engine, for re-checking a booking on fresh data.
    """
    wanted = candidate.padded()
    return any(overlaps(wanted, other.padded()) for other in existing)
