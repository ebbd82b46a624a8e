"""Booking from a public page on the in-memory stores: limits, the Idempotency-Key's replay."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.memory.guards import MemoryChallengeStore, MemoryOnce, MemoryRateLimiter
from chalicelib.config import Settings
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.errors import RateLimitedError, ValidationError
from chalicelib.services.booking.booking import BookingRequest
from chalicelib.services.booking.limits import Limits
from chalicelib.services.booking.page_booking import PageBooking, PageBookingPorts, book_from_page
from chalicelib.services.catalog import providers
from tests.services.conftest import HOUR, MONDAY_10, World
from tests.support import raised_limits

pytestmark = pytest.mark.unit
SLUG = "pat-studio"


def ports(world: World, **limits: str) -> PageBookingPorts:
    settings = Settings.from_env({"STAGE": "local", **raised_limits(), **limits})
    return PageBookingPorts(
        world.repo,
        world.clock,
        world.ids,
        world.sealer,
        MemoryChallengeStore(world.table),
        MemoryOnce(world.table),
        Limits(settings, MemoryRateLimiter(world.table), world.clock),
    )


def shape(appointment: Appointment) -> dict[str, Any]:
    return {"id": appointment.id, "start": appointment.start.isoformat()}


def order(world: World, service_id: str, hours: int = 0, key: str | None = None) -> PageBooking:
    request = BookingRequest(
        service_id, MONDAY_10 + hours * HOUR, ClientDetails("Robin", "robin@example.com"), "Europe/London"
    )
    return PageBooking(SLUG, request, key=key, body={"start": (MONDAY_10 + hours * HOUR).isoformat()})


def test_a_key_asked_again_answers_the_first_booking_with_its_token(world: World) -> None:
    who, _, service = world.provider()
    providers.update_me(who, {"slug": SLUG}, world.repo, world.clock)
    wired = ports(world)
    first = book_from_page(order(world, service.id, key="k-1"), wired, shape)
    again = book_from_page(order(world, service.id, key="k-1"), wired, shape)
    assert again == first and first.manage_token
    assert len(world.table.appointments) == 1
    with pytest.raises(ValidationError):
        book_from_page(order(world, service.id, hours=2, key="k-1"), wired, shape)
    other = book_from_page(order(world, service.id, hours=2, key="k-2"), wired, shape)
    assert other.body["id"] != first.body["id"]


def test_bookings_on_one_page_are_limited_per_provider(world: World) -> None:
    who, _, service = world.provider()
    providers.update_me(who, {"slug": SLUG}, world.repo, world.clock)
    wired = ports(world, RATE_LIMIT_BOOKING_PER_PROVIDER="2/600")
    book_from_page(order(world, service.id), wired, shape)
    book_from_page(order(world, service.id, hours=2), wired, shape)
    with pytest.raises(RateLimitedError):
        book_from_page(order(world, service.id, hours=4), wired, shape)
    assert len(world.table.appointments) == 2
