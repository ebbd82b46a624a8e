"""A provider's opening hours as UTC windows, built from weekly rules and date overrides.

Rules are wall-clock readings in the provider's zone, so a 09:00 rule is 09:00 local on a
DST change day too. Each bound becomes first_instant() of its reading on that date: a window
inside a spring-forward gap shrinks or vanishes, one across a fall-back hour lasts the real
elapsed time, and no instant belongs to two windows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.catalog import WEEKDAYS, WeeklyInterval
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.slots.timeline import Interval
from chalicelib.domain.slots.wallclock import first_instant, minutes_of

# One day's opening hours as (start, end) minutes after local midnight.
Spans = list[tuple[int, int]]

# date -> ('HH:MM', 'HH:MM') intervals that replace the weekly rules on that date.
Overrides = Mapping[date, Sequence[tuple[str, str]]]

ONE_DAY = timedelta(days=1)


def opening_windows(
    zone: ZoneInfo,
    weekly: Sequence[WeeklyInterval],
    overrides: Overrides,
    first: date,
    last: date,
) -> list[Interval]:
    """Sorted, disjoint UTC windows of the local dates first..last (inclusive).

    Intervals of one date that overlap or touch form one window; windows of different dates
    are never joined, so what a date offers does not depend on the range asked for.
    """
    by_weekday = _weekly_spans(weekly)
    windows: list[Interval] = []
    day = first
    while day <= last:
        if day in overrides:
            spans = _merged(_override_spans(day, overrides[day]))
        else:
            spans = by_weekday[day.weekday()]
        windows.extend(_day_windows(zone, day, spans))
        day += ONE_DAY
    return windows


def _day_windows(zone: ZoneInfo, day: date, spans: Spans) -> Iterable[Interval]:
    midnight = datetime.combine(day, time())
    for start, end in spans:
        window = Interval(
            first_instant(midnight + timedelta(minutes=start), zone),
            first_instant(midnight + timedelta(minutes=end), zone),
        )
        if not window.is_empty:  # a window wholly inside a DST gap vanishes
            yield window


def _weekly_spans(weekly: Sequence[WeeklyInterval]) -> list[Spans]:
    """Merged spans indexed like date.weekday(): 0 is Monday."""
    days: list[Spans] = [[] for _ in WEEKDAYS]
    for index, rule in enumerate(weekly):
        if rule.day not in WEEKDAYS:
            raise ValidationError(
                f"unknown weekday {rule.day!r}",
                [
                    {
                        "field": f"weekly[{index}].day",
                        "code": "unknown_day",
                        "message": f"must be one of {', '.join(WEEKDAYS)}",
                    }
                ],
            )
        field = f"weekly[{index}]"
        days[WEEKDAYS.index(rule.day)].append(
            (minutes_of(rule.start, field=f"{field}.start"), minutes_of(rule.end, field=f"{field}.end"))
        )
    return [_merged(spans) for spans in days]


def _override_spans(day: date, intervals: Sequence[tuple[str, str]]) -> Spans:
    field = f"overrides[{day.isoformat()}]"
    return [
        (minutes_of(start, field=f"{field}[{i}].start"), minutes_of(end, field=f"{field}[{i}].end"))
        for i, (start, end) in enumerate(intervals)
    ]


def _merged(spans: Spans) -> Spans:
    """Sorted spans with overlapping or touching ones joined; a span ending before it starts is dropped."""
    merged: Spans = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
