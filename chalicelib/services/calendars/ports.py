"""What the calendar use cases need: the calendars and their busy days kept, a way to read a
calendar's busy time from where it lives (an ICS address, a CalDAV server), where the feed's secret
token is kept, and where bookings are written back."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.calendars import Calendar, Runs
from chalicelib.domain.slots.timeline import Interval


class CalendarStore(abc.ABC):
    @abc.abstractmethod
    def calendars(self, provider_id: str) -> list[Calendar]:
        """Her calendars, oldest first (at most 5)."""

    @abc.abstractmethod
    def add_calendar(self, calendar: Calendar) -> None:
        """Store a new one; TooManyCalendarsError when she has 5 already (checked atomically)."""

    @abc.abstractmethod
    def save_calendar(self, calendar: Calendar) -> bool:
        """Store a sync's outcome (status, error, times, count); False when it was removed meanwhile."""

    @abc.abstractmethod
    def remove_calendar(self, provider_id: str, calendar_id: str) -> bool:
        """Forget it and its busy days; False when there was none."""

    @abc.abstractmethod
    def forget_busy(self, provider_id: str, calendar_id: str) -> None:
        """Drop the calendar's busy runs from every day (its item may be gone already)."""

    @abc.abstractmethod
    def replace_busy(
        self, provider_id: str, calendar_id: str, days: dict[str, Runs], window: list[str]
    ) -> None:
        """Make the calendar's busy runs of the UTC days in ``window`` exactly ``days`` (a day of
        ``window`` missing from ``days`` is free); days outside ``window`` are left as they are."""

    @abc.abstractmethod
    def calendar_busy_days(self, provider_id: str, first: str, last: str) -> dict[str, dict[str, Runs]]:
        """``{utc day: {calendar id: runs}}`` from ``first`` to ``last`` (a report, not a request path)."""

    @abc.abstractmethod
    def providers_with_calendars(self, cursor: str | None, limit: int) -> tuple[list[str], str | None]:
        """A page of the providers that have connected a calendar, for the scheduled sync."""


@dataclass(frozen=True)
class Secrets:
    """A calendar's secrets, opened only to read it: its ICS address, or its CalDAV password."""

    url: str
    password: str | None = None


class BusySource(abc.ABC):
    @abc.abstractmethod
    def busy(
        self, calendar: Calendar, secrets: Secrets, start: datetime, end: datetime, zone: str
    ) -> list[Interval]:
        """The calendar's busy intervals overlapping [start, end): recurrences expanded with their
        exceptions, transparent and cancelled events left out, all-day events the whole day in
        ``zone``. Raise CalendarSyncError when it cannot be read."""

    @abc.abstractmethod
    def check_address(self, url: str) -> None:
        """Raise CalendarSyncError when ``url`` may not be fetched at all (scheme, host, a
        private address); the outbound guard's rules, as the stage applies them."""


@dataclass(frozen=True)
class StoredFeed:
    """A provider's feed as stored: the token's hash (the lookup key) and the token sealed, so
    the dashboard can show the URL again while a dump of the table reveals neither."""

    provider_id: str
    token_hash: str
    sealed_token: str
    created_at: str


class FeedTokens(abc.ABC):
    @abc.abstractmethod
    def feed_of(self, provider_id: str) -> StoredFeed | None:
        """The provider's feed, read strongly consistent (a rotation a moment ago is seen)."""

    @abc.abstractmethod
    def provider_for(self, token_hash: str) -> StoredFeed | None:
        """The feed a token's hash opens; None for a rotated or unknown one."""

    @abc.abstractmethod
    def create(self, feed: StoredFeed) -> bool:
        """Store the provider's first feed; False when it has one already (a concurrent call)."""

    @abc.abstractmethod
    def replace(self, old: StoredFeed, new: StoredFeed) -> bool:
        """Swap ``old`` for ``new`` at once: the old hash opens nothing from then on. False when
        the provider's feed is no longer ``old`` (a concurrent rotation)."""


@dataclass(frozen=True)
class WriteTarget:
    """A provider's CalDAV calendar marked ``write``: its collection URL and the unsealed app
    password (held in memory for the write only, never logged)."""

    calendar_id: str
    url: str
    username: str
    password: str = field(repr=False)


class WriteTargets(abc.ABC):
    @abc.abstractmethod
    def targets(self, provider_id: str) -> list[WriteTarget]:
        """The provider's calendars that bookings are written back to (none: nothing to do)."""


class CalendarWriter(abc.ABC):
    """One event per appointment on a CalDAV calendar. Failures the server may get over (5xx,
    timeouts, refused connections) are DependencyUnavailableError, so the stream retries."""

    @abc.abstractmethod
    def put(self, target: WriteTarget, name: str, document: str) -> None:
        """Create the event ``name`` or replace it with ``document``."""

    @abc.abstractmethod
    def delete(self, target: WriteTarget, name: str) -> None:
        """Remove the event ``name``; one already gone is done."""
