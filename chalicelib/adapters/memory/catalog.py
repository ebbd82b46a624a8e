"""Providers' profiles and slugs, categories, services and opening hours, in memory."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

from chalicelib.adapters.memory.paging import page_of
from chalicelib.adapters.memory.table import OnTable, Schedule, apply_changes, fresh
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, iso_z
from chalicelib.domain.catalog import (
    CATEGORY_CHANGES,
    MAX_CATEGORIES,
    MAX_SERVICES,
    SERVICE_CHANGES,
    Availability,
    Category,
    DateOverride,
    Service,
    TimeRange,
    WeeklyInterval,
)
from chalicelib.domain.errors import (
    ConcurrentChangeError,
    ConflictError,
    LimitReachedError,
    NotFoundError,
    SlugTakenError,
    ValidationError,
)
from chalicelib.domain.money import format_price
from chalicelib.domain.provider import PROFILE_CHANGES, BookingPolicy, Provider
from chalicelib.services.catalog.ports import (
    AvailabilityRepository,
    Catalog,
    CatalogRepository,
    ProviderRepository,
)
from chalicelib.services.shared import Changes, Page

POLICY_FIELDS = frozenset(f.name for f in dataclasses.fields(BookingPolicy))


def _unknown_category(category_id: str) -> ValidationError:
    detail = {"field": "category_id", "code": "unknown_category", "message": "No such category."}
    return ValidationError(f"Category {category_id} does not exist.", [detail])


class MemoryProviders(OnTable, ProviderRepository):
    def get_provider(self, provider_id: str) -> Provider | None:
        return fresh(self.table.providers.get(provider_id))

    def create_provider(self, provider: Provider) -> bool:
        with self.table.lock:
            if provider.id in self.table.providers:
                return False
            self.table.providers[provider.id] = fresh(provider)
            return True

    def update_profile(
        self, provider: Provider, changes: Changes, now: str, new_slug: str | None = None
    ) -> Provider:
        unknown = set(changes) - PROFILE_CHANGES
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        with self.table.lock:
            stored = self.table.providers.get(provider.id)
            moves = new_slug is not None and new_slug != provider.slug
            if stored is None and moves:
                raise ConflictError("The profile changed while saving; read it again and retry.")
            if stored is None:
                raise NotFoundError("The provider profile does not exist.")
            if moves:
                self._move_slug(stored, provider, str(new_slug))
            policy = {k: v for k, v in changes.items() if k in POLICY_FIELDS}
            own = {k: v for k, v in changes.items() if k not in POLICY_FIELDS}
            updated = dataclasses.replace(
                stored, **own, policy=dataclasses.replace(stored.policy, **policy), updated_at=now
            )
            if moves:
                updated.slug = new_slug
            self.table.providers[provider.id] = updated
            return fresh(updated)

    def replace_photo(self, provider_id: str, old: str | None, new: str | None, now: str) -> Provider:
        with self.table.lock:
            stored = self.table.providers.get(provider_id)
            if stored is None:
                raise NotFoundError("The provider profile does not exist.")
            if stored.photo != old:
                raise ConcurrentChangeError("The photo changed meanwhile; read the profile again.")
            updated = dataclasses.replace(stored, photo=new, updated_at=now)
            self.table.providers[provider_id] = updated
            return fresh(updated)

    def _move_slug(self, stored: Provider, provider: Provider, slug: str) -> None:
        """Claim the new slug and release the old one, only if nothing changed meanwhile."""
        slugs = self.table.slugs
        if slug in slugs:
            raise SlugTakenError(f"The slug '{slug}' is taken.")
        old = provider.slug
        if stored.slug != old or (old and slugs.get(old) != provider.id):
            raise ConflictError("The profile changed while saving; read it again and retry.")
        slugs[slug] = provider.id
        if old:
            del slugs[old]


class MemoryCatalog(OnTable, CatalogRepository):
    def add_category(self, category: Category) -> None:
        t = self.table
        with t.lock:
            key = (category.provider_id, category.id)
            full = sum(1 for owner, _ in t.categories if owner == category.provider_id) >= MAX_CATEGORIES
            if key in t.categories or category.provider_id not in t.providers or full:
                raise LimitReachedError(f"A provider can have at most {MAX_CATEGORIES} categories.")
            t.categories[key] = fresh(category)

    def get_category(self, provider_id: str, category_id: str) -> Category | None:
        return fresh(self.table.categories.get((provider_id, category_id)))

    def list_categories(self, provider_id: str, limit: int, cursor: str | None) -> Page[Category]:
        mine = [c for (owner, _), c in self.table.categories.items() if owner == provider_id]
        return fresh(page_of(mine, lambda c: c.id, f"{provider_id}/categories", limit, cursor))

    def update_category(self, provider_id: str, category_id: str, changes: Changes) -> Category:
        with self.table.lock:
            stored = self.table.categories.get((provider_id, category_id))
            updated = apply_changes(stored, changes, CATEGORY_CHANGES) if stored else None
            if updated is None:
                raise NotFoundError("No such category.")
            self.table.categories[(provider_id, category_id)] = updated
            return fresh(updated)

    def delete_category(self, provider_id: str, category_id: str) -> None:
        with self.table.lock:
            if self.table.categories.pop((provider_id, category_id), None) is None:
                raise NotFoundError("No such category.")
            for key, service in self.table.services.items():
                if key[0] == provider_id and service.category_id == category_id:
                    self.table.services[key] = dataclasses.replace(service, category_id=None)

    def add_service(self, service: Service) -> None:
        t = self.table
        with t.lock:
            if (
                service.category_id is not None
                and (service.provider_id, service.category_id) not in t.categories
            ):
                raise _unknown_category(service.category_id)
            key = (service.provider_id, service.id)
            full = sum(1 for owner, _ in t.services if owner == service.provider_id) >= MAX_SERVICES
            if key in t.services or service.provider_id not in t.providers or full:
                raise LimitReachedError(f"A provider can have at most {MAX_SERVICES} services.")
            t.services[key] = dataclasses.replace(fresh(service), price=Decimal(format_price(service.price)))

    def get_service(self, provider_id: str, service_id: str) -> Service | None:
        return fresh(self.table.services.get((provider_id, service_id)))

    def list_services(self, provider_id: str, limit: int, cursor: str | None) -> Page[Service]:
        mine = [s for (owner, _), s in self.table.services.items() if owner == provider_id]
        return fresh(page_of(mine, lambda s: s.id, f"{provider_id}/services", limit, cursor))

    def update_service(self, provider_id: str, service_id: str, changes: Changes) -> Service:
        with self.table.lock:
            stored = self.table.services.get((provider_id, service_id))
            if stored is None:
                raise NotFoundError("No such service.")
            category_id = changes.get("category_id")
            if category_id is not None and (provider_id, category_id) not in self.table.categories:
                raise _unknown_category(category_id)
            updated = apply_changes(stored, changes, SERVICE_CHANGES)
            self.table.services[(provider_id, service_id)] = updated
            return fresh(updated)

    def set_service_hours(
        self, provider_id: str, service_id: str, weekly: list[WeeklyInterval] | None, now: str
    ) -> Service:
        with self.table.lock:
            stored = self.table.services.get((provider_id, service_id))
            if stored is None:
                raise NotFoundError("No such service.")
            updated = dataclasses.replace(stored, hours=fresh(weekly), updated_at=now)
            self.table.services[(provider_id, service_id)] = updated
            return fresh(updated)

    def delete_service(self, provider_id: str, service_id: str) -> None:
        with self.table.lock:
            if self.table.services.pop((provider_id, service_id), None) is None:
                raise NotFoundError("No such service.")

    def has_future_appointments(self, provider_id: str, service_id: str, now: datetime) -> bool:
        start = iso_z(now)
        return any(
            owner == provider_id
            and a.service_id == service_id
            and a.status in ACTIVE_STATUSES
            and iso_z(a.start) >= start
            for (owner, _), a in self.table.appointments.items()
        )

    def get_catalog_by_slug(self, slug: str) -> Catalog | None:
        t = self.table
        provider = t.providers.get(t.slugs.get(slug, ""))
        if provider is None or provider.slug != slug:
            return None
        return fresh(
            Catalog(
                provider,
                sorted((c for (o, _), c in t.categories.items() if o == provider.id), key=lambda c: c.id),
                sorted((s for (o, _), s in t.services.items() if o == provider.id), key=lambda s: s.id),
            )
        )


class MemoryAvailability(OnTable, AvailabilityRepository):
    def get_availability(self, provider_id: str) -> Availability | None:
        profile = self.table.providers.get(provider_id)
        if profile is None:
            return None
        schedule = self.table.schedules.get(provider_id)
        if schedule is None:
            return Availability(timezone=profile.timezone)
        return fresh(Availability(profile.timezone, schedule.weekly, schedule.updated_at))

    def replace_weekly(
        self, provider_id: str, weekly: list[WeeklyInterval], now: str, timezone: str | None = None
    ) -> None:
        with self.table.lock:
            if timezone is not None:
                profile = self.table.providers.get(provider_id)
                if profile is None:
                    raise NotFoundError("The provider profile does not exist.")
                profile.timezone, profile.updated_at = timezone, now
            self.table.schedules[provider_id] = Schedule(fresh(weekly), now)

    def get_override(self, provider_id: str, day: str) -> DateOverride | None:
        return fresh(self.table.overrides.get((provider_id, day)))

    def put_override(self, provider_id: str, day: str, intervals: list[TimeRange], now: str) -> None:
        self.table.overrides[(provider_id, day)] = DateOverride(day, fresh(intervals), now)

    def delete_override(self, provider_id: str, day: str) -> None:
        if self.table.overrides.pop((provider_id, day), None) is None:
            raise NotFoundError(f"No override on {day}.")

    def list_overrides(
        self, provider_id: str, first: str, last: str, limit: int, cursor: str | None
    ) -> Page[DateOverride]:
        found = [
            o
            for (owner, day), o in self.table.overrides.items()
            if owner == provider_id and first <= day <= last
        ]
        list_id = f"{provider_id}/overrides"
        return fresh(page_of(found, lambda o: o.day, list_id, limit, cursor, bounds=(first, last)))
