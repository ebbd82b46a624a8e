"""The table as the services see it: one store per port, composed for the composition root.

Each store implements one port of the services, one method per access pattern (see
docs/access-patterns.md); storage failures become domain errors (base.translate_all).
"""

from __future__ import annotations

from chalicelib.adapters.dynamo.availability_store import DynamoAvailability
from chalicelib.adapters.dynamo.base import get_or_none, translate_all
from chalicelib.adapters.dynamo.booking_store import DynamoBookings
from chalicelib.adapters.dynamo.calendar_store import DynamoCalendars
from chalicelib.adapters.dynamo.catalog_store import DynamoCatalog
from chalicelib.adapters.dynamo.client_store import DynamoClients
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.provider_store import DynamoProviders
from chalicelib.adapters.dynamo.time_off_store import DynamoTimeOff
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.shared import HealthProbe

HEALTH_PK = "HEALTH"


@translate_all
class DynamoRepository(
    DynamoProviders,
    DynamoCatalog,
    DynamoAvailability,
    DynamoTimeOff,
    DynamoClients,
    DynamoBookings,
    DynamoCalendars,
    CatalogStore,
    HealthProbe,
):
    """Every store at once: what the composition root hands to the services."""

    def check(self) -> None:
        get_or_none(Item, HEALTH_PK, HEALTH_PK)
