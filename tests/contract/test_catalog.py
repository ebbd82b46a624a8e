"""CatalogRepository: categories and services per provider, caps, the public page read."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.booking.appointments import CANCELLED
from chalicelib.domain.catalog import MAX_CATEGORIES, Category
from chalicelib.domain.errors import InvalidCursorError, LimitReachedError, NotFoundError, ValidationError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Provider
from chalicelib.services.shared import Page
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book, unique

pytestmark = pytest.mark.contract


def test_a_category_is_read_updated_and_deleted_by_its_provider_only(stores: Stores) -> None:
    mine, other = stores.provider(), stores.provider()
    category = stores.category(mine, "Massage", 2)
    assert stores.repo.get_category(mine.id, category.id) == category
    assert stores.repo.get_category(other.id, category.id) is None
    with pytest.raises(NotFoundError):
        stores.repo.update_category(other.id, category.id, {"name": "Taken"})
    with pytest.raises(NotFoundError):
        stores.repo.delete_category(other.id, category.id)

    renamed = stores.repo.update_category(mine.id, category.id, {"name": "Bodywork", "updated_at": "u"})
    assert renamed == dataclasses.replace(category, name="Bodywork", updated_at="u")
    with pytest.raises(ValueError):
        stores.repo.update_category(mine.id, category.id, {"provider_id": other.id})
    stores.repo.delete_category(mine.id, category.id)
    assert stores.repo.get_category(mine.id, category.id) is None
    with pytest.raises(NotFoundError):
        stores.repo.delete_category(mine.id, category.id)


def test_deleting_a_category_leaves_its_services_uncategorised(stores: Stores) -> None:
    provider = stores.provider()
    category, kept = stores.category(provider), stores.category(provider, "Kept")
    inside = stores.service(provider, category_id=category.id)
    elsewhere = stores.service(provider, category_id=kept.id)
    stores.repo.delete_category(provider.id, category.id)
    assert stores.repo.get_service(provider.id, inside.id) == dataclasses.replace(inside, category_id=None)
    assert stores.repo.get_service(provider.id, elsewhere.id) == elsewhere


def test_categories_are_capped_per_provider_and_need_a_profile(stores: Stores) -> None:
    provider = stores.provider()
    for n in range(MAX_CATEGORIES):
        stores.category(provider, f"c{n}")
    with pytest.raises(LimitReachedError):
        stores.category(provider, "one too many")
    stores.category(stores.provider(), "another provider's first"), "the cap is per provider"
    with pytest.raises(LimitReachedError):
        stores.repo.add_category(Category(new_id(), new_id(), "orphan", created_at=STAMP, updated_at=STAMP))


def test_a_service_keeps_two_places_of_price_and_its_category_must_exist(stores: Stores) -> None:
    provider = stores.provider()
    service = stores.service(provider, price=Decimal("45.5"), description="Firm", visible=False)
    stored = stores.repo.get_service(provider.id, service.id)
    assert stored == dataclasses.replace(service, price=Decimal("45.50"))
    assert str(stored.price) == "45.50"
    with pytest.raises(ValidationError) as refused:
        stores.service(provider, category_id=new_id())
    assert refused.value.details[0]["code"] == "unknown_category"


def test_a_service_update_checks_the_service_and_its_new_category(stores: Stores) -> None:
    provider, other = stores.provider(), stores.provider()
    service, category = stores.service(provider), stores.category(provider)
    moved = stores.repo.update_service(
        provider.id, service.id, {"category_id": category.id, "price": Decimal("9.9")}
    )
    assert (moved.category_id, moved.price) == (category.id, Decimal("9.90"))
    assert stores.repo.get_service(provider.id, service.id) == moved
    with pytest.raises(ValidationError):
        stores.repo.update_service(provider.id, service.id, {"category_id": new_id()})
    with pytest.raises(NotFoundError):
        stores.repo.update_service(other.id, service.id, {"name": "Mine now"})
    with pytest.raises(NotFoundError):
        stores.repo.update_service(other.id, service.id, {"category_id": category.id})
    loose = stores.repo.update_service(provider.id, service.id, {"category_id": None})
    assert loose.category_id is None
    with pytest.raises(NotFoundError):
        stores.repo.delete_service(other.id, service.id)
    stores.repo.delete_service(provider.id, service.id)
    assert stores.repo.get_service(provider.id, service.id) is None


def test_future_appointments_are_found_only_while_active_and_ahead(stores: Stores) -> None:
    provider = stores.provider()
    service, other_service = stores.service(provider), stores.service(provider)
    client = stores.client(provider)
    assert not stores.repo.has_future_appointments(provider.id, service.id, MONDAY)
    booked = book(stores, appointment(provider, client, service_id=service.id), client)
    assert stores.repo.has_future_appointments(provider.id, service.id, MONDAY - timedelta(days=1))
    assert stores.repo.has_future_appointments(provider.id, service.id, MONDAY), "one starting now counts"
    assert not stores.repo.has_future_appointments(provider.id, service.id, MONDAY + timedelta(minutes=1))
    assert not stores.repo.has_future_appointments(provider.id, other_service.id, MONDAY - timedelta(days=1))
    assert not stores.repo.has_future_appointments(
        stores.provider().id, service.id, MONDAY - timedelta(days=1)
    )
    cancelled = booked.changed("2031-01-02T00:00:00Z", status=CANCELLED)
    stores.repo.save_change(booked, cancelled)
    assert not stores.repo.has_future_appointments(provider.id, service.id, MONDAY - timedelta(days=1))


def test_the_public_page_is_read_by_slug_with_the_whole_catalog(stores: Stores) -> None:
    slug = unique("page")
    provider = stores.provider(slug=slug)
    category = stores.category(provider)
    hidden, shown = stores.service(provider, visible=False), stores.service(provider, category_id=category.id)
    catalog = stores.repo.get_catalog_by_slug(slug)
    assert catalog is not None and catalog.provider == provider
    assert catalog.categories == [category]
    assert sorted(catalog.services, key=lambda s: s.id) == sorted([hidden, shown], key=lambda s: s.id)
    assert stores.repo.get_catalog_by_slug(unique("nobody")) is None
    stores.repo.update_profile(provider, {}, STAMP, new_slug=unique("moved"))
    assert stores.repo.get_catalog_by_slug(slug) is None, "an old slug shows nothing"


def pages(
    list_page: Callable[[str, int, str | None], Page[Any]], provider: Provider, limit: int
) -> list[list[str]]:
    found: list[list[str]] = []
    cursor = None
    while True:
        page = list_page(provider.id, limit, cursor)
        found.append([item.id for item in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return found


def test_lists_come_in_pages_in_id_order_with_cursors_of_their_own(stores: Stores) -> None:
    provider, other = stores.provider(), stores.provider()
    services = sorted(stores.service(provider, f"s{n}").id for n in range(5))  # ids sort by time made
    stores.service(other, "theirs")
    assert pages(stores.repo.list_services, provider, 2) == [services[:2], services[2:4], services[4:]]
    assert pages(stores.repo.list_services, provider, 5) == [services]
    assert pages(stores.repo.list_categories, provider, 5) == [[]]
    cursor = stores.repo.list_services(provider.id, 2, None).next_cursor
    assert cursor is not None
    refusals: list[Callable[[], object]] = [
        lambda: stores.repo.list_services(other.id, 2, cursor),
        lambda: stores.repo.list_categories(provider.id, 2, cursor),
        lambda: stores.repo.list_services(provider.id, 2, "not-a-cursor"),
        lambda: stores.repo.list_services(provider.id, 2, "x" * 2000),
    ]
    for refused in refusals:
        with pytest.raises(InvalidCursorError):
            refused()
