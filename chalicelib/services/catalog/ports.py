"""What the catalog use cases need: providers' profiles, categories and services, opening hours."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.catalog import (
    Availability,
    Category,
    DateOverride,
    Service,
    TimeOff,
    TimeRange,
    WeeklyInterval,
)
from chalicelib.domain.provider import Provider
from chalicelib.services.shared import Changes, Page


@dataclass
class Catalog:
    """A provider's public page material, read together."""

    provider: Provider
    categories: list[Category] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)


class ProviderRepository(abc.ABC):
    @abc.abstractmethod
    def get_provider(self, provider_id: str) -> Provider | None: ...

    @abc.abstractmethod
    def create_provider(self, provider: Provider) -> bool:
        """Store a new provider; False when one with that id already exists."""

    @abc.abstractmethod
    def update_profile(
        self, provider: Provider, changes: Changes, now: str, new_slug: str | None = None
    ) -> Provider:
        """Apply ``changes``; with ``new_slug``, claim it and release ``provider.slug`` atomically."""

    @abc.abstractmethod
    def replace_photo(self, provider_id: str, old: str | None, new: str | None, now: str) -> Provider:
        """Set the photo's version to ``new`` (None: no photo) only if it is still ``old``;
        ConcurrentChangeError otherwise, so two confirmations never both think they replaced it."""


class CatalogRepository(abc.ABC):
    @abc.abstractmethod
    def add_category(self, category: Category) -> None: ...

    @abc.abstractmethod
    def get_category(self, provider_id: str, category_id: str) -> Category | None: ...

    @abc.abstractmethod
    def list_categories(self, provider_id: str, limit: int, cursor: str | None) -> Page[Category]: ...

    @abc.abstractmethod
    def update_category(self, provider_id: str, category_id: str, changes: Changes) -> Category: ...

    @abc.abstractmethod
    def delete_category(self, provider_id: str, category_id: str) -> None:
        """Delete it and leave its services uncategorised."""

    @abc.abstractmethod
    def add_service(self, service: Service) -> None: ...

    @abc.abstractmethod
    def get_service(self, provider_id: str, service_id: str) -> Service | None: ...

    @abc.abstractmethod
    def list_services(self, provider_id: str, limit: int, cursor: str | None) -> Page[Service]: ...

    @abc.abstractmethod
    def update_service(self, provider_id: str, service_id: str, changes: Changes) -> Service: ...

    @abc.abstractmethod
    def set_service_hours(
        self, provider_id: str, service_id: str, weekly: list[WeeklyInterval] | None, now: str
    ) -> Service:
        """Give the service its own weekly hours, or (None) let it follow the provider's again."""

    @abc.abstractmethod
    def delete_service(self, provider_id: str, service_id: str) -> None: ...

    @abc.abstractmethod
    def has_future_appointments(self, provider_id: str, service_id: str, now: datetime) -> bool: ...

    @abc.abstractmethod
    def get_catalog_by_slug(self, slug: str) -> Catalog | None: ...


class AvailabilityRepository(abc.ABC):
    @abc.abstractmethod
    def get_availability(self, provider_id: str) -> Availability | None: ...

    @abc.abstractmethod
    def replace_weekly(
        self, provider_id: str, weekly: list[WeeklyInterval], now: str, timezone: str | None = None
    ) -> None:
        """Replace the weekly hours; with ``timezone``, set the profile's zone in the same write."""

    @abc.abstractmethod
    def get_override(self, provider_id: str, day: str) -> DateOverride | None: ...

    @abc.abstractmethod
    def put_override(self, provider_id: str, day: str, intervals: list[TimeRange], now: str) -> None: ...

    @abc.abstractmethod
    def delete_override(self, provider_id: str, day: str) -> None: ...

    @abc.abstractmethod
    def list_overrides(
        self, provider_id: str, first: str, last: str, limit: int, cursor: str | None
    ) -> Page[DateOverride]: ...


class TimeOffRepository(abc.ABC):
    @abc.abstractmethod
    def list_time_off(self, provider_id: str) -> list[TimeOff]:
        """Every range of time off, in the order they were added."""

    @abc.abstractmethod
    def add_time_off(self, provider_id: str, time_off: TimeOff) -> None:
        """Keep one more range; LimitReachedError when MAX_TIME_OFF are kept already."""

    @abc.abstractmethod
    def delete_time_off(self, provider_id: str, time_off_id: str) -> None:
        """Drop one range; NotFoundError when there is none with this id."""


class CatalogStore(ProviderRepository, CatalogRepository, AvailabilityRepository, TimeOffRepository, abc.ABC):
    """Everything the catalog use cases read and write."""
