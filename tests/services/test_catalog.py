"""The catalog use cases on the in-memory stores: profile, categories, services, hours, public page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import CANCELLED
from chalicelib.domain.catalog import TimeRange, WeeklyInterval
from chalicelib.domain.errors import NotFoundError, ServiceInUseError, SlugTakenError, ValidationError
from chalicelib.services.booking import appointment_changes
from chalicelib.services.catalog import availability, catalog, providers, public
from tests.services.conftest import World

pytestmark = pytest.mark.unit


def test_the_first_call_makes_the_profile_and_later_calls_find_it(world: World) -> None:
    who = world.identity("Pat")
    first = providers.get_or_create_me(who, world.repo, world.clock)
    world.clock.advance(timedelta(hours=1))
    again = providers.get_or_create_me(who, world.repo, world.clock)
    assert again == first and first.name == "Pat" and first.created_at == "2031-03-01T12:00:00Z"


def test_a_slug_is_claimed_once_and_reserved_words_are_refused(world: World) -> None:
    ana, bo = world.identity("Ana"), world.identity("Bo")
    assert providers.update_me(ana, {"slug": "ana-studio"}, world.repo, world.clock).slug == "ana-studio"
    with pytest.raises(SlugTakenError):
        providers.update_me(bo, {"slug": "ana-studio"}, world.repo, world.clock)
    with pytest.raises(SlugTakenError):
        providers.update_me(bo, {"slug": "bookings"}, world.repo, world.clock)
    page = public.public_page("ana-studio", world.repo)
    assert (page.name, page.groups) == ("Ana", [])


def test_the_public_page_groups_visible_services_by_category(world: World) -> None:
    who, provider, service = world.provider()
    providers.update_me(who, {"slug": "pat-page"}, world.repo, world.clock)
    massage = catalog.create_category(
        who, {"name": "Massage", "position": 1}, world.repo, world.clock, world.ids
    )
    fields = {"name": "Deep", "duration_minutes": 50, "price": Decimal("45.5"), "currency": "EUR"}
    deep = catalog.create_service(
        who, {**fields, "category_id": massage.id}, world.repo, world.clock, world.ids
    )
    catalog.create_service(
        who, {**fields, "name": "Secret", "visible": False}, world.repo, world.clock, world.ids
    )
    page = public.public_page("pat-page", world.repo)
    assert [(g.category.id if g.category else None, [s.id for s in g.services]) for g in page.groups] == [
        (massage.id, [deep.id]),
        (None, [service.id]),
    ]
    assert catalog.get_service(provider.id, deep.id, world.repo).price == Decimal("45.50")
    catalog.delete_category(provider.id, massage.id, world.repo)
    assert catalog.get_service(provider.id, deep.id, world.repo).category_id is None
    with pytest.raises(NotFoundError):
        public.public_page("nobody-here", world.repo)


def test_a_service_with_upcoming_bookings_cannot_be_deleted_until_they_are_cancelled(world: World) -> None:
    _, provider, service = world.provider()
    a = world.book(provider, service).appointment
    with pytest.raises(ServiceInUseError):
        catalog.delete_service(provider.id, service.id, world.repo, world.clock)
    appointment_changes.cancel(a, "", Actor.provider(provider.id), provider.policy, world.repo, world.clock)
    catalog.delete_service(provider.id, service.id, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        catalog.get_service(provider.id, service.id, world.repo)
    assert world.repo.get_appointment(provider.id, a.id).status == CANCELLED  # type: ignore[union-attr]


def test_ids_of_other_providers_are_simply_not_found(world: World) -> None:
    _, provider, service = world.provider("Ana")
    other, _, _ = world.provider("Bo")
    with pytest.raises(NotFoundError):
        catalog.get_service(other.provider_id, service.id, world.repo)
    with pytest.raises(NotFoundError):
        catalog.update_service(other.provider_id, service.id, {"name": "Mine"}, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        catalog.delete_service(other.provider_id, service.id, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        catalog.get_category(provider.id, "not-an-id", world.repo)
    bo_services = catalog.list_services(other.provider_id, 10, None, world.repo).items
    assert service.id not in [s.id for s in bo_services]


def test_hours_and_overrides_are_checked_sorted_and_kept(world: World) -> None:
    who, provider, _ = world.provider()
    with pytest.raises(ValidationError):
        availability.replace_weekly(
            who, [WeeklyInterval("mon", "12:00", "09:00")], None, world.repo, world.clock
        )
    later = [WeeklyInterval("tue", "13:00", "15:00"), WeeklyInterval("mon", "09:00", "10:00")]
    kept = availability.replace_weekly(who, later, "Asia/Tokyo", world.repo, world.clock)
    assert [w.day for w in kept.weekly] == ["mon", "tue"] and kept.timezone == "Asia/Tokyo"
    assert availability.get_availability(provider.id, world.repo) == kept
    ranges = [TimeRange("14:00", "15:00"), TimeRange("09:00", "10:00")]
    put = availability.put_override(provider.id, "2031-03-10", ranges, world.repo, world.clock)
    assert [r.start for r in put.intervals] == ["09:00", "14:00"]
    assert availability.get_override(provider.id, "2031-03-10", world.repo) == put
    page = availability.list_overrides(provider.id, "2031-03-01", "2031-03-31", 10, None, world.repo)
    assert [o.day for o in page.items] == ["2031-03-10"]
    with pytest.raises(ValidationError):
        availability.get_override(provider.id, "2031-02-30", world.repo)
    availability.delete_override(provider.id, "2031-03-10", world.repo)
    with pytest.raises(NotFoundError):
        availability.delete_override(provider.id, "2031-03-10", world.repo)
