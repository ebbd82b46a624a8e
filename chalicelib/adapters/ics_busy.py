"""A calendar's busy time from its iCalendar text, with ``icalendar`` and ``recurring-ical-events``.

Recurrences are expanded with their exceptions (EXDATE, and occurrences moved by a RECURRENCE-ID
override); events marked ``TRANSP:TRANSPARENT`` ("show as free") and ``STATUS:CANCELLED`` do not
make her busy. An all-day event holds the whole day in the provider's zone, from midnight to
midnight there (23 or 25 hours on a day the clocks change). A floating time (no zone) is read in
her zone too, as her calendar app shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from chalicelib.domain.calendars import CalendarSyncError
from chalicelib.domain.slots.timeline import Interval

# More occurrences than a year of events every 10 minutes is not a calendar a person keeps.
MAX_OCCURRENCES = 60_000
CHUNK = timedelta(days=31)


def parse_calendars(texts: Iterable[bytes]) -> list[icalendar.Calendar]:
    found = []
    for text in texts:
        try:
            found.append(icalendar.Calendar.from_ical(text))
        except (ValueError, KeyError, IndexError) as error:
            raise CalendarSyncError(
                "not_a_calendar", "The address did not answer an iCalendar file."
            ) from error
    return found


def busy_intervals(calendar: icalendar.Calendar, start: datetime, end: datetime, zone: str) -> list[Interval]:
    """The busy intervals of ``calendar`` that overlap [start, end).

    Read a month at a time: each query walks every event of the calendar once, so a year of a
    calendar of 5,000 events is 13 walks (``after()`` made one for every few hours it advanced,
    about 150 s for such a calendar). An occurrence is counted in the first month it overlaps."""
    tz = ZoneInfo(zone)
    found: list[Interval] = []
    count = 0
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    chunk_start = start
    try:
        while chunk_start < end:
            chunk_end = min(chunk_start + CHUNK, end)
            for event in query.between(chunk_start.astimezone(tz), chunk_end.astimezone(tz)):
                interval = _interval(event, tz)
                if interval is None or interval.end <= chunk_start or interval.start >= chunk_end:
                    continue
                if chunk_start > start and interval.start < chunk_start:
                    continue  # overlapped the month before, counted there
                count += 1
                if count > MAX_OCCURRENCES:
                    raise CalendarSyncError(
                        "too_many_events",
                        f"The calendar has over {MAX_OCCURRENCES} events in the booking window.",
                    )
                if _busy(event):
                    found.append(interval)
            chunk_start = chunk_end
    except (ValueError, TypeError, KeyError) as error:
        raise CalendarSyncError(
            "not_a_calendar", "The calendar could not be read: it is not valid iCalendar."
        ) from error
    return found


def _busy(event: Any) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return not (transparent or cancelled)


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return aware.astimezone(UTC)
    return datetime.combine(value, time(), tz).astimezone(UTC)  # midnight there, whatever DST does


def _interval(event: Any, tz: ZoneInfo) -> Interval | None:
    if "DTSTART" not in event:
        return None
    first = event["DTSTART"].dt
    if "DTEND" in event:
        last = event["DTEND"].dt
    elif "DURATION" in event:
        last = first + event["DURATION"].dt
    elif isinstance(first, datetime):
        return None  # an instant, no time taken
    else:
        last = first + timedelta(days=1)  # an all-day event with no end is that day
    if not isinstance(first, datetime) and isinstance(last, datetime):
        last = last.date()
    interval = Interval(_instant(first, tz), _instant(last, tz))
    return None if interval.is_empty else interval
