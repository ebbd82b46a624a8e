"""Every in-memory store over one table: what a composition root for tests hands to the services,
as the DynamoDB repository is for the app."""

from __future__ import annotations

from chalicelib.adapters.memory.booking import MemoryBookings
from chalicelib.adapters.memory.calendars import MemoryCalendars
from chalicelib.adapters.memory.catalog import MemoryAvailability, MemoryCatalog, MemoryProviders
from chalicelib.adapters.memory.clients import MemoryClients
from chalicelib.adapters.memory.time_off import MemoryTimeOff
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.shared import HealthProbe


class MemoryRepository(
    MemoryProviders,
    MemoryCatalog,
    MemoryAvailability,
    MemoryTimeOff,
    MemoryClients,
    MemoryBookings,
    MemoryCalendars,
    CatalogStore,
    HealthProbe,
):
    """``down``: the health check fails, as when the database does not answer."""

    down = False

    def check(self) -> None:
        if self.down:
            raise DependencyUnavailableError("The database is not answering.")
