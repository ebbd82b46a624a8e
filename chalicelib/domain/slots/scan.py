"""The slot engine's inner loop: aligned starts in opening windows that miss every appointment.

Both inputs are sorted once and walked together with a cursor, so the cost is
O(windows + appointments + slots) plus one sort, not O(slots x appointments).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from chalicelib.domain.slots.timeline import Busy, Interval, align_up, merge


def blocked_intervals(
    busy: Sequence[Busy],
    *,
    service_before: int,
    service_after: int,
    reach_from: datetime,
    reach_to: datetime,
) -> list[Interval]:
    """Where a slot itself may not be, sorted and merged, for slots inside [reach_from, reach_to).

    A slot [s, s + d) with the service's buffers overlaps an appointment's padded interval
    [a, b) exactly when [s, s + d) overlaps [a - service_after, b + service_before), so widening
    each appointment once turns every later check into a plain overlap test. Appointments too
    far away to matter are dropped first; when booking checks one start, that is nearly all.
    """
    holding = [appointment for appointment in busy if not appointment.is_empty]
    if not holding:
        return []
    # Timedeltas by buffer length: a calendar has few distinct buffers and many appointments.
    before = _widths({b.buffer_before_minutes for b in holding}, service_after)
    after = _widths({b.buffer_after_minutes for b in holding}, service_before)
    earliest_end = reach_from - max(after.values())
    latest_start = reach_to + max(before.values())
    return merge(
        Interval(b.start - before[b.buffer_before_minutes], b.end + after[b.buffer_after_minutes])
        for b in holding
        if earliest_end < b.end and b.start < latest_start
    )


def _widths(buffers: set[int], extra: int) -> dict[int, timedelta]:
    return {minutes: timedelta(minutes=minutes + extra) for minutes in buffers}


def free_starts(
    windows: Sequence[Interval],
    blocked: Sequence[Interval],
    lowest: datetime,
    beyond: datetime,
    duration: timedelta,
    step: timedelta,
) -> Iterator[datetime]:
    """Starts in [lowest, beyond), aligned from their window's start, whose [s, s + duration)
    fits the window and misses every blocked interval. windows and blocked are sorted, disjoint.
    """
    cursor = 0  # blocked[:cursor] all end before the current candidate
    for window in windows:
        start = align_up(max(window.start, lowest), window.start, step)
        while start < beyond and start + duration <= window.end:
            while cursor < len(blocked) and blocked[cursor].end <= start:
                cursor += 1
            if cursor < len(blocked) and blocked[cursor].start < start + duration:
                start = align_up(blocked[cursor].end, window.start, step)
                continue
            yield start
            start += step
