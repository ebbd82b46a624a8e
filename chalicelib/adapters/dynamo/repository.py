"""One method per access pattern (see docs/access-patterns.md); storage failures become domain errors."""

from __future__ import annotations

from chalicelib.adapters.dynamo.availability_store import AvailabilityStore
from chalicelib.adapters.dynamo.base import get_or_none, translate_all
from chalicelib.adapters.dynamo.booking_store import BookingStore
from chalicelib.adapters.dynamo.category_store import CategoryStore
from chalicelib.adapters.dynamo.client_store import ClientStore
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.profile_store import ProfileStore
from chalicelib.adapters.dynamo.public_store import PublicStore
from chalicelib.adapters.dynamo.service_store import ServiceStore
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import HealthProbe

HEALTH_PK = "HEALTH"


@translate_all
class DynamoRepository(
    ProfileStore,
    CategoryStore,
    ServiceStore,
    PublicStore,
    AvailabilityStore,
    BookingStore,
    ClientStore,
    CatalogStore,
    ClientRepository,
    BookingRepository,
    HealthProbe,
):
    def check(self) -> None:
        get_or_none(Item, HEALTH_PK, HEALTH_PK)
