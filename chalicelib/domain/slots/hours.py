"""Opening-hours rules: ``HH:MM`` wall-clock intervals, in order, never overlapping."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from chalicelib.domain.catalog import WEEKDAYS, TimeRange, WeeklyInterval

START_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
END_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
# Years 2000-2199: far enough for any booking, near enough that date arithmetic (zones, margins)
# cannot overflow. Requests outside are refused, whatever they ask.
DATE_PATTERN = r"^2[01][0-9]{2}-[0-9]{2}-[0-9]{2}$"
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2199, 12, 31)
MAX_INTERVALS_PER_DAY = 10
MAX_RANGE_DAYS = 366

Problem = dict[str, Any]


def to_minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes)


def parse_date(text: str) -> date:
    """A calendar date written ``YYYY-MM-DD`` exactly (fromisoformat alone also takes ``YYYYMMDD``)."""
    if not re.fullmatch(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text):
        raise ValueError("Use the form YYYY-MM-DD.")
    if not re.fullmatch(DATE_PATTERN, text):
        raise ValueError(f"Use a date from {EARLIEST_DATE} to {LATEST_DATE}.")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError("This date does not exist.") from error


def range_problem(start: str, end: str) -> str | None:
    if not re.fullmatch(START_PATTERN, start):
        return "start must be HH:MM between 00:00 and 23:59"
    if not re.fullmatch(END_PATTERN, end):
        return "end must be HH:MM between 00:01 and 24:00"
    if to_minutes(start) >= to_minutes(end):
        return "start must be before end"
    return None


def day_problems(intervals: Sequence[tuple[int, TimeRange]], field: str, label: str) -> list[Problem]:
    """Problems of one day's intervals, given with their index in the request list."""
    problems: list[Problem] = []
    valid = [(i, r) for i, r in intervals if range_problem(r.start, r.end) is None]
    if len(intervals) > MAX_INTERVALS_PER_DAY:
        message = f"{label} has more than {MAX_INTERVALS_PER_DAY} intervals"
        problems.append({"field": field, "code": "too_many_intervals", "message": message})
    ordered = sorted(valid, key=lambda pair: to_minutes(pair[1].start))
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if to_minutes(after.start) < to_minutes(before.end):
            message = (
                f"{label} {after.start}-{after.end} overlaps {before.start}-{before.end}; "
                "intervals may touch but not overlap"
            )
            problems.append({"field": f"{field}.{index}", "code": "overlap", "message": message})
    return problems


def shape_problems(ranges: Sequence[TimeRange], field: str) -> list[Problem]:
    problems: list[Problem] = []
    for index, item in enumerate(ranges):
        message = range_problem(item.start, item.end)
        if message:
            problems.append({"field": f"{field}.{index}", "code": "invalid_interval", "message": message})
    return problems


def weekly_problems(weekly: Sequence[WeeklyInterval]) -> list[Problem]:
    problems = shape_problems([TimeRange(w.start, w.end) for w in weekly], "weekly")
    for index, item in enumerate(weekly):
        if item.day not in WEEKDAYS:
            message = f"day must be one of {', '.join(WEEKDAYS)}"
            problems.append({"field": f"weekly.{index}.day", "code": "invalid_day", "message": message})
    for day in WEEKDAYS:
        of_day = [(i, TimeRange(w.start, w.end)) for i, w in enumerate(weekly) if w.day == day]
        problems.extend(day_problems(of_day, "weekly", day))
    return problems


def override_problems(intervals: Sequence[TimeRange]) -> list[Problem]:
    problems = shape_problems(intervals, "intervals")
    problems.extend(day_problems(list(enumerate(intervals)), "intervals", "this date"))
    return problems


def sort_weekly(weekly: Sequence[WeeklyInterval]) -> list[WeeklyInterval]:
    return sorted(weekly, key=lambda w: (WEEKDAYS.index(w.day), to_minutes(w.start)))


def sort_ranges(ranges: Sequence[TimeRange]) -> list[TimeRange]:
    return sorted(ranges, key=lambda r: to_minutes(r.start))
