"""The table as the services see it: one store per port, composed for the composition root.

Each store implements one port of the services, one method per access pattern (see
docs/access-patterns.md); storage failures become domain errors (base.translate_all).
"""

from __future__ import annotations

from chalicelib.adapters.dynamo.availability_store import AvailabilityStore
from chalicelib.adapters.dynamo.base import get_or_none, translate_all
from chalicelib.adapters.dynamo.booking_store import BookingStore
from chalicelib.adapters.dynamo.catalog_store import CatalogStore
from chalicelib.adapters.dynamo.client_store import ClientStore
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.provider_store import ProviderStore
from chalicelib.services.ports import HealthProbe, Repository

HEALTH_PK = "HEALTH"


@translate_all
class DynamoRepository(
    ProviderStore, CatalogStore, AvailabilityStore, ClientStore, BookingStore, Repository, HealthProbe
):
    """Every store at once: what the composition root hands to the services."""

    def check(self) -> None:
        get_or_none(Item, HEALTH_PK, HEALTH_PK)
