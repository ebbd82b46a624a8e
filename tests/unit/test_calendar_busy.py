"""A calendar's iCalendar text becomes exactly the busy time she sees in her calendar app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.ics_busy import busy_intervals, parse_calendars
from chalicelib.domain.calendars import Calendar, CalendarBusy, day_runs, decode_runs, encode_runs

pytestmark = pytest.mark.unit

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:busy
DTSTART:20270310T090000Z
DTEND:20270310T100000Z
END:VEVENT
BEGIN:VEVENT
UID:free
DTSTART:20270310T120000Z
DTEND:20270310T130000Z
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:off
DTSTART:20270310T140000Z
DTEND:20270310T150000Z
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:weekly
DTSTART;TZID=Europe/Berlin:20270301T180000
DTEND;TZID=Europe/Berlin:20270301T190000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Berlin:20270308T180000
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20270315T180000
DTSTART;TZID=Europe/Berlin:20270316T070000
DTEND;TZID=Europe/Berlin:20270316T080000
END:VEVENT
BEGIN:VEVENT
UID:allday
DTSTART;VALUE=DATE:20270328
DTEND;VALUE=DATE:20270329
END:VEVENT
END:VCALENDAR
"""
START = datetime(2027, 3, 1, tzinfo=UTC)
END = datetime(2027, 4, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_busy_transparent_cancelled_recurring_moved_and_all_day_events() -> None:
    (parsed,) = parse_calendars([ICS])
    found = sorted(busy_intervals(parsed, START, END, "Europe/Berlin"))
    assert [(i.start, i.end) for i in found] == [
        (utc(2027, 3, 1, 17), utc(2027, 3, 1, 18)),  # weekly, 18:00 CET
        (utc(2027, 3, 10, 9), utc(2027, 3, 10, 10)),  # busy; transparent and cancelled left out
        (utc(2027, 3, 16, 6), utc(2027, 3, 16, 7)),  # the moved occurrence; 03-08 excluded
        (utc(2027, 3, 22, 17), utc(2027, 3, 22, 18)),
        # all day on the night the clocks change in Berlin: 23 hours, midnight to midnight there
        (utc(2027, 3, 27, 23), utc(2027, 3, 28, 22)),
    ]


def test_all_day_is_the_whole_day_in_the_providers_zone() -> None:
    (parsed,) = parse_calendars([ICS])
    found = busy_intervals(parsed, START, END, "America/New_York")
    assert (utc(2027, 3, 28, 4), utc(2027, 3, 29, 4)) in [(i.start, i.end) for i in found]


LONG = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:daily
DTSTART:20270301T100000Z
DTEND:20270301T110000Z
RRULE:FREQ=DAILY;COUNT=90
END:VEVENT
BEGIN:VEVENT
UID:across
DTSTART:20270331T220000Z
DTEND:20270401T020000Z
END:VEVENT
BEGIN:VEVENT
UID:night
DTSTART:20270228T230000Z
DTEND:20270301T010000Z
END:VEVENT
END:VCALENDAR
"""


def test_a_window_of_months_is_read_a_month_at_a_time_and_counts_each_occurrence_once() -> None:
    (parsed,) = parse_calendars([LONG])
    # 100 days: four months of reading; "across" overlaps the end of the first (04-01 00:00)
    # and "night" began before the window
    found = busy_intervals(parsed, START, START + timedelta(days=100), "UTC")
    spans = [(i.start, i.end) for i in found]
    assert len(spans) == len(set(spans)) == 92
    assert (utc(2027, 3, 31, 22), utc(2027, 4, 1, 2)) in spans
    assert (utc(2027, 2, 28, 23), utc(2027, 3, 1, 1)) in spans
    assert (utc(2027, 5, 29, 10), utc(2027, 5, 29, 11)) in spans  # the 90th day
    assert (utc(2027, 5, 30, 10), utc(2027, 5, 30, 11)) not in spans


def test_runs_per_utc_day_round_trip_and_split_at_midnight() -> None:
    (parsed,) = parse_calendars([ICS])
    runs = day_runs(busy_intervals(parsed, START, END, "Europe/Berlin"))
    assert runs["2027-03-27"] == [(23 * 60, 1440)] and runs["2027-03-28"] == [(0, 22 * 60)]
    assert decode_runs(encode_runs(runs["2027-03-10"])) == [(540, 600)]


def test_a_failing_calendar_keeps_its_busy_time_24_hours_then_shows_error() -> None:
    made = Calendar("c1", "p1", "ics", "https://h/…", "2027-03-01T00:00:00Z")
    good = made.synced("2027-03-01T00:00:00Z", 3)
    soon = good.failed("2027-03-01T12:00:00Z", "down")
    late = good.failed("2027-03-02T00:10:00Z", "down")
    assert (soon.status, soon.error, late.status) == ("ok", "down", "error")
    until = good.counts_until()
    assert until is not None
    held = CalendarBusy({"2027-03-01": {"c1": [(540, 600)]}}, {"c1": until})
    assert len(held.busy(until - timedelta(minutes=1))) == 1
    assert held.busy(until) == []
