"""Everything of one provider, for the provider to take away: GET /me/export.

One provider may hold years of appointments, more than one response can carry (a Lambda answer
is at most 6 MB), so the export comes in pages of at most ``limit`` records, the sections one after
the other: categories, services, date overrides, clients, appointments. The first page also holds
the profile, the weekly hours and the connected calendars (at most 5, their secrets never);
``next_cursor`` leads to the next page until it is None. Each
page is read with the same paged queries as the lists of the API, so memory holds one page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.calendars import Calendar
from chalicelib.domain.catalog import Availability, Category, DateOverride, Service
from chalicelib.domain.errors import InvalidCursorError
from chalicelib.domain.provider import DEFAULT_TIMEZONE, Identity, Provider
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.calendars.ports import CalendarStore
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import Clock, Page

# Raised when a field changes meaning or goes away; new fields keep the version (docs/api.md).
SCHEMA_VERSION = 1
SECTIONS = ("categories", "services", "overrides", "clients", "appointments")
MAX_CURSOR_CHARS = 1400  # a section name and a list's own cursor (at most 1,024)
FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class ExportSources:
    catalog: CatalogStore
    clients: ClientRepository
    bookings: BookingRepository
    calendars: CalendarStore | None = None  # None: no calendars listed


@dataclass
class ExportPage:
    exported_at: str
    provider: Provider
    first: bool  # the page that carries the profile, the weekly hours and the calendars
    availability: Availability | None = None
    calendars: list[Calendar] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    overrides: list[DateOverride] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    next_cursor: str | None = None


Reader = Callable[[str, int, str | None, ExportSources], Page[Any]]
READERS: dict[str, Reader] = {
    "categories": lambda pid, limit, cursor, s: s.catalog.list_categories(pid, limit, cursor),
    "services": lambda pid, limit, cursor, s: s.catalog.list_services(pid, limit, cursor),
    "overrides": lambda pid, limit, cursor, s: s.catalog.list_overrides(
        pid, FIRST_DAY, LAST_DAY, limit, cursor
    ),
    "clients": lambda pid, limit, cursor, s: s.clients.list_clients(pid, limit, cursor),
    "appointments": lambda pid, limit, cursor, s: s.bookings.list_appointments(
        pid, EARLIEST, LATEST, None, None, limit, cursor
    ),
}


def export_page(
    identity: Identity, cursor: str | None, limit: int, sources: ExportSources, clock: Clock
) -> ExportPage:
    """One page of the export: the first without ``cursor``, then each ``next_cursor`` in turn."""
    section, inner = read_cursor(cursor) if cursor else (SECTIONS[0], None)
    provider = get_or_create_me(identity, sources.catalog, clock)
    page = ExportPage(exported_at=clock.stamp(), provider=provider, first=cursor is None)
    if page.first:
        page.availability = sources.catalog.get_availability(provider.id) or Availability(DEFAULT_TIMEZONE)
        if sources.calendars is not None:
            page.calendars = sources.calendars.calendars(provider.id)
    index, left = SECTIONS.index(section), limit
    while index < len(SECTIONS) and left > 0:
        name = SECTIONS[index]
        found = READERS[name](provider.id, left, inner, sources)
        getattr(page, name).extend(found.items)
        left -= len(found.items)
        if found.next_cursor is not None:
            page.next_cursor = make_cursor(name, found.next_cursor)
            return page
        index, inner = index + 1, None
    if index < len(SECTIONS):
        page.next_cursor = make_cursor(SECTIONS[index], None)
    return page


def make_cursor(section: str, inner: str | None) -> str:
    raw = json.dumps([section, inner], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def read_cursor(cursor: str) -> tuple[str, str | None]:
    """The section and the list's own cursor; anything this export did not issue is a 400."""
    invalid = InvalidCursorError("The cursor is not one of this export's; start again without it.")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise invalid
    try:
        value = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise invalid from error
    if not (isinstance(value, list) and len(value) == 2 and value[0] in SECTIONS):
        raise invalid
    section, inner = value
    if inner is not None and not isinstance(inner, str):
        raise invalid
    return section, inner
