"""The calendar sync on the in-memory stores: what it reads, and what it leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.calendars import Calendar
from chalicelib.domain.slots.timeline import Interval
from chalicelib.services.calendars.connections import Connection, connect
from chalicelib.services.calendars.ports import BusySource, Secrets
from chalicelib.services.calendars.sync import CalendarSync
from tests.services.conftest import NOW, World

pytestmark = pytest.mark.unit


class OneBusyHour(BusySource):
    """Every calendar is busy tomorrow 10:00-11:00 UTC; ``during`` runs inside the read."""

    def __init__(self, during: Callable[[Calendar], object] = lambda _: None) -> None:
        self.during = during

    def busy(
        self, calendar: Calendar, secrets: Secrets, start: datetime, end: datetime, zone: str
    ) -> list[Interval]:
        self.during(calendar)
        tomorrow = NOW.replace(hour=10, minute=0) + timedelta(days=1)
        return [Interval(tomorrow, tomorrow + timedelta(hours=1))]

    def check_address(self, url: str) -> None:
        return None


class CountingCatalog:
    """The catalog, counting how often the sync reads the profile and the services."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.reads = inner, 0

    def get_provider(self, provider_id: str) -> Any:
        self.reads += 1
        return self.inner.get_provider(provider_id)

    def list_services(self, *args: Any) -> Any:
        self.reads += 1
        return self.inner.list_services(*args)


def connected(world: World, provider_id: str, source: BusySource) -> Calendar:
    request = Connection("ics", "https://calendar.example.com/private.ics")
    return connect(provider_id, request, world.repo, source, world.sealer, world.ids, world.clock)


def test_a_provider_s_calendars_share_one_read_of_her_profile_and_services(world: World) -> None:
    _, provider, _ = world.provider()
    source = OneBusyHour()
    for _ in range(3):
        connected(world, provider.id, source)
    catalog = CountingCatalog(world.repo)
    sync = CalendarSync(world.repo, catalog, source, world.sealer, world.clock)  # type: ignore[arg-type]
    assert [c.status for c in sync.sync_provider(provider.id)] == ["ok"] * 3
    assert catalog.reads == 2  # the profile and the services, once for the three calendars


def test_a_calendar_removed_while_it_is_read_leaves_no_busy_time(world: World) -> None:
    _, provider, _ = world.provider()
    repo = world.repo
    source = OneBusyHour(during=lambda c: repo.remove_calendar(c.provider_id, c.id))
    calendar = connected(world, provider.id, source)
    kept = connected(world, provider.id, OneBusyHour())
    sync = CalendarSync(repo, repo, source, world.sealer, world.clock)
    CalendarSync(repo, repo, OneBusyHour(), world.sealer, world.clock).sync_one(kept)

    sync.sync_one(calendar)

    days = repo.calendar_busy_days(provider.id, "0000-00-00", "9999-99-99")
    assert days and all(set(of_day) == {kept.id} for of_day in days.values())
    assert [c.id for c in repo.calendars(provider.id)] == [kept.id]
