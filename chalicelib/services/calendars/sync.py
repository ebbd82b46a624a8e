"""Reading each calendar's busy time into the table: the 10-minute schedule, and "refresh now".

The window is now to now + the longest booking window (the profile's ``max_advance_days`` or a
service's, whichever is longer): busy time past it cannot change a slot. Each sync replaces the
calendar's busy runs of every UTC day of that window; a failed one keeps them (KEPT_FOR).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.calendars import Calendar, CalendarSyncError, day_runs
from chalicelib.domain.errors import DomainError
from chalicelib.observability import logger
from chalicelib.services.calendars.connections import find, seal_context
from chalicelib.services.calendars.ports import BusySource, CalendarStore, Secrets
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.shared import Clock, LinkSealer

PROVIDERS_PER_PAGE = 50
SERVICES_PAGE = 200


class CalendarSync:
    def __init__(
        self,
        store: CalendarStore,
        catalog: CatalogStore,
        source: BusySource,
        sealer: LinkSealer,
        clock: Clock,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.source = source
        self.sealer = sealer
        self.clock = clock

    def refresh(self, provider_id: str, calendar_id: str) -> Calendar:
        """``POST /calendars/{id}/refresh``: sync it now and answer how it went."""
        return self.sync_one(find(provider_id, calendar_id, self.store))

    def sync_provider(self, provider_id: str) -> list[Calendar]:
        """Her calendars, over one window read once (her profile and services) for all of them."""
        window = self._window(provider_id)
        return [self._sync(calendar, window) for calendar in self.store.calendars(provider_id)]

    def sync_all(self) -> int:
        """The scheduled run: every provider's calendars; how many calendars were read."""
        done = 0
        cursor: str | None = None
        while True:
            providers, cursor = self.store.providers_with_calendars(cursor, PROVIDERS_PER_PAGE)
            for provider_id in providers:
                done += len(self.sync_provider(provider_id))
            if cursor is None:
                return done

    def sync_one(self, calendar: Calendar) -> Calendar:
        return self._sync(calendar, self._window(calendar.provider_id))

    def _sync(self, calendar: Calendar, window_of: tuple[str, int] | None) -> Calendar:
        now = self.clock.now()
        stamp = self.clock.stamp()
        try:
            if window_of is None:
                raise CalendarSyncError("provider", "The provider is gone.")
            zone, days = window_of
            start = datetime(now.year, now.month, now.day, tzinfo=UTC)
            end = start + timedelta(days=days + 1)
            busy = self.source.busy(calendar, self._secrets(calendar), start, end, zone)
            runs = day_runs(busy)
            window = [(start + timedelta(days=n)).date().isoformat() for n in range(days + 1)]
            self.store.replace_busy(calendar.provider_id, calendar.id, runs, window)
            after = calendar.synced(stamp, len(busy))
        except CalendarSyncError as error:
            logger.info("calendar sync failed", extra={"calendar_id": calendar.id, "reason": error.reason})
            after = calendar.failed(stamp, error.message)
        except DomainError as error:  # a sealed secret that no longer opens, the table busy
            logger.warning("calendar sync failed", extra={"calendar_id": calendar.id, "code": error.code})
            after = calendar.failed(stamp, "The calendar could not be read; try again later.")
        if not self.store.save_calendar(after):  # removed meanwhile: forget what was written
            self.store.forget_busy(calendar.provider_id, calendar.id)
        return after

    def _secrets(self, calendar: Calendar) -> Secrets:
        context = seal_context(calendar.id)
        if calendar.type == "ics":
            assert calendar.sealed_url is not None  # an ICS calendar is stored with it
            return Secrets(self.sealer.open(context, calendar.sealed_url))
        assert calendar.url is not None and calendar.sealed_password is not None
        return Secrets(calendar.url, self.sealer.open(context, calendar.sealed_password))

    def _window(self, provider_id: str) -> tuple[str, int] | None:
        """The provider's zone and the longest booking window in days; None when she is gone."""
        provider = self.catalog.get_provider(provider_id)
        if provider is None:
            return None
        longest = provider.policy.max_advance_days
        services = self.catalog.list_services(provider_id, SERVICES_PAGE, None).items
        for service in services:
            longest = max(longest, service.max_advance_days or 0)
        return provider.timezone, longest
