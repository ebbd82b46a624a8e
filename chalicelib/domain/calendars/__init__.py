"""The provider's own calendars: connections and their busy time (this module), the feed out of
this service's appointments (``feed.py``), and what a change writes back (``write_back.py``).

What a connection is, when its busy time counts, how it is kept.

A connected calendar (a private ICS address, or a CalDAV calendar with an app password) is read
every 10 minutes; its busy time is kept as runs of minutes per UTC day, the same days the slot
listing and the booking check read already. A calendar whose fetch fails keeps the busy time
of its last good sync for :data:`KEPT_FOR` (a feed that is down for an hour should not open the
provider's busy afternoon to bookings); after that it shows ``status: "error"`` and its busy
time stops counting: old busy time would otherwise block days for ever after she removed the
event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.slots.timeline import Busy, Interval, merge

MAX_CALENDARS = 5
KEPT_FOR = timedelta(hours=24)
TYPES = ("ics", "caldav")
MINUTES_PER_DAY = 24 * 60
MINUTE = timedelta(minutes=1)


class TooManyCalendarsError(ConflictError):
    code = "too_many_calendars"


class CalendarSyncError(Exception):
    """A calendar could not be read. ``reason`` is a short code (the guard's, or ``http_status``,
    ``not_a_calendar``, ``too_many_events``, ``unauthorized``), ``message`` says it to the provider."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Calendar:
    """One connection. Its secrets (an ICS address, a CalDAV password) are kept sealed only."""

    id: str
    provider_id: str
    type: str  # ics | caldav
    shown_url: str  # what the API shows: the secret part masked
    created_at: str
    write: bool = False
    url: str | None = None  # a CalDAV calendar's address (not a secret); None for ICS
    username: str | None = None
    sealed_url: str | None = None  # an ICS address, sealed (it is the calendar's password)
    sealed_password: str | None = None
    status: str = "pending"
    error: str | None = None  # the last failure, also while the last good busy time is kept
    last_synced_at: str | None = None  # the last good sync (iso_z)
    last_tried_at: str | None = None
    busy_count: int = 0  # busy intervals kept from the last good sync

    def counts_until(self) -> datetime | None:
        """The instant after which its busy time no longer counts (None: it has none)."""
        if self.last_synced_at is None:
            return None
        return _parse(self.last_synced_at) + KEPT_FOR

    def synced(self, stamp: str, busy_count: int) -> Calendar:
        return replace(
            self, status="ok", error=None, last_synced_at=stamp, last_tried_at=stamp, busy_count=busy_count
        )

    def failed(self, stamp: str, message: str) -> Calendar:
        """Still ``ok`` while its last good busy time is kept; ``error`` after (or never good)."""
        until = self.counts_until()
        status = "ok" if until is not None and _parse(stamp) < until else "error"
        return replace(self, status=status, error=message, last_tried_at=stamp)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


def check_room(calendars: Iterable[Calendar]) -> None:
    if sum(1 for _ in calendars) >= MAX_CALENDARS:
        raise TooManyCalendarsError(
            f"At most {MAX_CALENDARS} calendars can be connected; remove one first.",
            [{"field": "calendars", "code": "too_many", "message": f"at most {MAX_CALENDARS}"}],
        )


def shown_url(kind: str, url: str) -> str:
    """An ICS address is a secret (whoever has it reads the calendar): show its host only. A CalDAV
    address is not (the password is): show it without its query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if kind == "ics":
        return f"{parts.scheme}://{host}/…"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return f"{parts.scheme}://{netloc}{parts.path}"


# -- busy time, as runs of minutes per UTC day ------------------------------------------------
Runs = list[tuple[int, int]]  # (first minute, end minute) of a UTC day, end excluded, 0..1440


def day_runs(intervals: Iterable[Interval]) -> dict[str, Runs]:
    """``{utc day: runs}`` of the busy intervals, merged, widened to whole minutes (errs on busy)."""
    found: dict[str, Runs] = {}
    for interval in merge(list(intervals)):
        start = interval.start.astimezone(UTC).replace(second=0, microsecond=0)
        end = interval.end.astimezone(UTC)
        if end.second or end.microsecond:
            end = end.replace(second=0, microsecond=0) + MINUTE
        day = start.date()
        while datetime.combine(day, time(), UTC) < end:
            day_start = datetime.combine(day, time(), UTC)
            first = max(0, int((start - day_start) / MINUTE))
            last = min(MINUTES_PER_DAY, int((end - day_start) / MINUTE))
            if first < last:
                found.setdefault(day.isoformat(), []).append((first, last))
            day += timedelta(days=1)
    return {day: _merged_runs(runs) for day, runs in found.items()}


def _merged_runs(runs: Runs) -> Runs:
    merged: Runs = []
    for first, last in sorted(runs):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def encode_runs(runs: Runs) -> str:
    """``"540-600,720-780"``: a day of busy time in a few bytes (one DynamoDB string)."""
    return ",".join(f"{first}-{last}" for first, last in runs)


def decode_runs(text: str) -> Runs:
    runs: Runs = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        runs.append((int(first), int(last)))
    return runs


def busy_of_runs(day: str, runs: Runs) -> list[Busy]:
    start = datetime.combine(date.fromisoformat(day), time(), UTC)
    return [Busy(start + first * MINUTE, start + last * MINUTE) for first, last in runs]


@dataclass
class CalendarBusy:
    """What a booking decision reads of the calendars: each calendar's runs per UTC day asked,
    and until when each counts. A calendar not in ``until`` is gone or never synced."""

    days: dict[str, dict[str, Runs]]  # utc day -> calendar id -> runs
    until: dict[str, datetime]  # calendar id -> counts until

    def busy(self, now: datetime) -> list[Busy]:
        """The busy time that counts at ``now``: like appointments, without buffers."""
        found: list[Busy] = []
        for day, calendars in sorted(self.days.items()):
            for calendar_id, runs in calendars.items():
                until = self.until.get(calendar_id)
                if until is not None and now < until:
                    found.extend(busy_of_runs(day, runs))
        return found


def no_calendar_busy() -> CalendarBusy:
    return CalendarBusy({}, {})


def calendar_busy_of(calendars: Iterable[Calendar], days: Mapping[str, Mapping[str, Runs]]) -> CalendarBusy:
    until = {c.id: u for c in calendars if (u := c.counts_until()) is not None}
    return CalendarBusy({day: dict(of_day) for day, of_day in days.items()}, until)
