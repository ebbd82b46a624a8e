"""availability -> weekly hours: day 0 = Sunday, HH:MM in the user's zone, as our rules want them."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.domain.catalog import Availability, WeeklyInterval
from chalicelib.domain.slots.hours import MAX_INTERVALS_PER_DAY, sort_weekly, to_minutes, weekly_problems
from importer import rules, values
from importer.convert.common import old_id, read, refuse_missing_id
from importer.convert.provider import Owner
from importer.report import Reason, UserReport
from importer.rows import Row

CONVERSIONS = {"day_of_week": values.weekday, "start_time": values.wall_time, "end_time": values.wall_time}
COLUMNS = {"day": "day_of_week", "start": "start_time", "end": "end_time"}


def weekly_hours(rows: Iterable[Row], owner: Owner, report: UserReport) -> Availability:
    table = "availability"
    candidates: list[tuple[str, WeeklyInterval, list[Reason]]] = []
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        read_values, problems = read(row, table, CONVERSIONS)
        if problems:
            report.refuse(table, row_id, problems)
            continue
        data = {
            "day": read_values["day_of_week"],
            "start": read_values["start_time"],
            "end": read_values["end_time"],
        }
        checked = rules.check(rules.WEEKLY, data, table, COLUMNS)
        if checked.refused:
            report.refuse(table, row_id, checked.refused)
            continue
        changed = _padded(row, data)
        candidates.append((row_id, WeeklyInterval(data["day"], data["start"], data["end"]), changed))
    weekly = _without_overlaps(candidates, report)
    if weekly_problems(weekly):  # what is left must be what PUT /availability would take
        raise AssertionError(f"weekly hours left with problems: {weekly_problems(weekly)}")
    return Availability(timezone=owner.provider.timezone, weekly=sort_weekly(weekly))


def _padded(row: Row, data: dict[str, str]) -> list[Reason]:
    changed = []
    for column, ours in (("start_time", data["start"]), ("end_time", data["end"])):
        written = str(row.get(column)).strip()
        if written != ours:
            changed.append(Reason("time_padded", "written HH:MM", column, written, ours))
    return changed


def _without_overlaps(
    candidates: list[tuple[str, WeeklyInterval, list[Reason]]], report: UserReport
) -> list[WeeklyInterval]:
    """Per day in start order: an interval overlapping one already kept, or past the tenth, is refused."""
    table = "availability"
    kept: list[WeeklyInterval] = []
    by_day: dict[str, list[tuple[str, WeeklyInterval]]] = {}
    ordered = sorted(candidates, key=lambda c: (c[1].day, to_minutes(c[1].start), to_minutes(c[1].end), c[0]))
    for row_id, interval, changed in ordered:
        day = by_day.setdefault(interval.day, [])
        if day and to_minutes(interval.start) < to_minutes(day[-1][1].end):
            before_id, before = day[-1]
            message = (
                f"{interval.start}-{interval.end} overlaps {before.start}-{before.end} (row {before_id})"
            )
            report.refuse(table, row_id, [Reason("hours_overlap", message, "start_time")])
            continue
        if len(day) >= MAX_INTERVALS_PER_DAY:
            message = (
                f"{interval.day} has more than {MAX_INTERVALS_PER_DAY} intervals, the most this service keeps"
            )
            report.refuse(table, row_id, [Reason("too_many_intervals", message)])
            continue
        day.append((row_id, interval))
        kept.append(interval)
        report.accept(table, row_id, changed, [])
    return kept
