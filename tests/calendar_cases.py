"""The busy cases every calendar source must get right, around a DST change in the provider's zone.

A fixed app clock (1 March 2027) puts the changes of 2027 ahead, within a 365-day booking window:
New York on Sunday 14 March and 7 November, Lisbon on Sunday 28 March and 31 October. Around the
change day ``D`` (offsets in days) her calendar holds:

- a weekly 10:00-11:00 meeting in her zone from D-11, four times: D-4 is an EXDATE, D+3 is moved
  to D+4 09:00-10:00 (RECURRENCE-ID), D+10 is after the change (the same wall clock, an hour
  apart in UTC);
- an all-day event on D itself (a 23-hour day there in spring, 25 in autumn);
- a transparent event on D+1 and a cancelled one on D+2 (no change);
- a one-off 14:00-15:00 UTC on D-2 and D+5 (its wall clock moves with the change).

Slots are 30 minutes from 06:00 to 22:00 in her zone, every day; ``expected`` is the exact set.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from tests.api import Api

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
HOURS = ("06:00", "22:00")
# (her zone, the day its clocks change): the cases tests run, spring then autumn
CHANGES = [
    ("America/New_York", date(2027, 3, 14)),
    ("Europe/Lisbon", date(2027, 3, 28)),
    ("America/New_York", date(2027, 11, 7)),
    ("Europe/Lisbon", date(2027, 10, 31)),
]
# The UTC one-off 14:00-15:00 as read on her wall clock: standard time, summer time.
ONE_OFF_LOCAL = {
    "America/New_York": (("09:00", "10:00"), ("10:00", "11:00")),  # EST, EDT
    "Europe/Lisbon": (("14:00", "15:00"), ("15:00", "16:00")),  # WET, WEST
}
FIRST, LAST = -11, 10  # the days read: D-11 to D+10


def _local(day: date, hour: int) -> str:
    return f"{day:%Y%m%d}T{hour:02d}0000"


def _calendar(body: str) -> bytes:
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//busy cases//EN\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def events(zone: str, d: date) -> dict[str, str]:
    """Each UID's VEVENTs (a recurring master and its moved occurrence share one)."""

    def at(offset: int) -> date:
        return d + timedelta(days=offset)

    stamp = "DTSTAMP:20270301T000000Z\n"
    return {
        "weekly": (
            f"BEGIN:VEVENT\nUID:weekly\n{stamp}SUMMARY:Team\n"
            f"DTSTART;TZID={zone}:{_local(at(-11), 10)}\nDTEND;TZID={zone}:{_local(at(-11), 11)}\n"
            f"RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID={zone}:{_local(at(-4), 10)}\nEND:VEVENT\n"
            f"BEGIN:VEVENT\nUID:weekly\n{stamp}SUMMARY:Team (moved)\n"
            f"RECURRENCE-ID;TZID={zone}:{_local(at(3), 10)}\n"
            f"DTSTART;TZID={zone}:{_local(at(4), 9)}\nDTEND;TZID={zone}:{_local(at(4), 10)}\nEND:VEVENT\n"
        ),
        "all-day": (
            f"BEGIN:VEVENT\nUID:all-day\n{stamp}SUMMARY:Away\n"
            f"DTSTART;VALUE=DATE:{d:%Y%m%d}\nDTEND;VALUE=DATE:{at(1):%Y%m%d}\nEND:VEVENT\n"
        ),
        "transparent": (
            f"BEGIN:VEVENT\nUID:transparent\n{stamp}SUMMARY:Reminder\nTRANSP:TRANSPARENT\n"
            f"DTSTART;TZID={zone}:{_local(at(1), 10)}\nDTEND;TZID={zone}:{_local(at(1), 11)}\nEND:VEVENT\n"
        ),
        "cancelled": (
            f"BEGIN:VEVENT\nUID:cancelled\n{stamp}SUMMARY:Called off\nSTATUS:CANCELLED\n"
            f"DTSTART;TZID={zone}:{_local(at(2), 10)}\nDTEND;TZID={zone}:{_local(at(2), 11)}\nEND:VEVENT\n"
        ),
        "one-off-before": (
            f"BEGIN:VEVENT\nUID:one-off-before\n{stamp}SUMMARY:Dentist\n"
            f"DTSTART:{at(-2):%Y%m%d}T140000Z\nDTEND:{at(-2):%Y%m%d}T150000Z\nEND:VEVENT\n"
        ),
        "one-off-after": (
            f"BEGIN:VEVENT\nUID:one-off-after\n{stamp}SUMMARY:Dentist\n"
            f"DTSTART:{at(5):%Y%m%d}T140000Z\nDTEND:{at(5):%Y%m%d}T150000Z\nEND:VEVENT\n"
        ),
    }


def ics_feed(zone: str, d: date) -> bytes:
    """All the cases in one ICS file, as a private address serves them."""
    return _calendar("".join(events(zone, d).values()))


def caldav_resources(zone: str, d: date) -> list[bytes]:
    """One calendar resource per UID, as a CalDAV server stores them."""
    return [_calendar(body) for body in events(zone, d).values()]


def _slots(start: str, end: str) -> list[str]:
    h, m = map(int, start.split(":"))
    stop = int(end[:2]) * 60 + int(end[3:])
    return [f"{t // 60:02d}:{t % 60:02d}" for t in range(h * 60 + m, stop, 30)]


ALL = set(_slots(*HOURS))


def expected(zone: str, d: date) -> dict[date, set[str]]:
    """The exact local slot starts of every day read."""
    standard, summer = ONE_OFF_LOCAL[zone]
    before, after = (standard, summer) if d.month < 7 else (summer, standard)
    closed: dict[int, set[str]] = {
        -11: set(_slots("10:00", "11:00")),  # the weekly meeting, before the change
        -2: set(_slots(*before)),  # the UTC one-off, before the change
        0: ALL,  # all day, the whole local day
        4: set(_slots("09:00", "10:00")),  # the moved occurrence (D+3 is free)
        5: set(_slots(*after)),  # the UTC one-off, after it
        10: set(_slots("10:00", "11:00")),  # the weekly meeting, the same wall clock after it
    }
    return {d + timedelta(days=n): ALL - closed.get(n, set()) for n in range(FIRST, LAST + 1)}


def open_slots(visitor: Api, service: dict[str, Any], zone: str, d: date) -> dict[date, set[str]]:
    """One slot read over the days around the change, as local starts per local day."""
    first, last = d + timedelta(days=FIRST), d + timedelta(days=LAST)
    path = (
        f"/public/{service['slug']}/services/{service['id']}/slots"
        f"?from={first.isoformat()}&to={last.isoformat()}&timezone={quote(zone, safe='')}"
    )
    reply = visitor.get(path)
    assert reply.status == 200, reply
    found: dict[date, set[str]] = defaultdict(set)
    for slot in reply.json["slots"]:
        start = datetime.fromisoformat(slot["start"].replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
        found[start.date()].add(start.strftime("%H:%M"))
    days = expected(zone, d)
    return {day: found.get(day, set()) for day in days} | {
        day: slots for day, slots in found.items() if day not in days
    }
