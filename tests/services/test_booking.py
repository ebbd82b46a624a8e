"""booking.book, the manage link, cancel, reschedule and outcomes, decided on the in-memory stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    Appointment,
    InvalidTransitionError,
    SlotUnavailableError,
    TooLateToChangeError,
)
from chalicelib.domain.booking.clients import Client, ClientDetails
from chalicelib.domain.booking.service_rules import NO_CAPS, DayCaps
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.services.booking import appointment_changes as changes
from chalicelib.services.booking import booking, slots
from chalicelib.services.booking.booking import booking_key
from chalicelib.services.booking.ports import BookingKey
from chalicelib.services.catalog import catalog
from tests.services.conftest import HOUR, MONDAY_10, World

pytestmark = pytest.mark.unit


def free_starts(world: World, provider_id: str, service_id: str) -> list[object]:
    day = MONDAY_10.date()
    found = slots.list_slots(provider_id, service_id, day, day, "UTC", world.repo, world.clock)
    return [slot.start for slot in found.slots]


def test_a_booking_is_made_with_its_client_and_a_manage_link_that_opens_it(world: World) -> None:
    _, provider, service = world.provider()
    booked = world.book(provider, service)
    a = booked.appointment
    assert (a.status, a.start, a.end, a.source) == (CONFIRMED, MONDAY_10, MONDAY_10 + HOUR, "public")
    assert (a.price, a.contact_email, a.client_timezone) == (
        service.price,
        "robin@example.com",
        "Europe/London",
    )
    assert booked.client is not None and world.repo.get_client(provider.id, a.client_id) == booked.client
    assert booked.manage_token
    opened = booking.appointment_by_token(a.id, Actor.client(booked.manage_token), world.repo)
    assert opened == world.repo.get_appointment(provider.id, a.id)
    with pytest.raises(NotFoundError):
        booking.appointment_by_token(a.id, Actor.client("not-the-token"), world.repo)
    assert MONDAY_10 not in free_starts(world, provider.id, service.id)


def test_an_overlapping_booking_is_refused_and_a_returning_client_is_the_same_client(world: World) -> None:
    _, provider, service = world.provider()
    first = world.book(provider, service)
    with pytest.raises(SlotUnavailableError):
        world.book(provider, service, MONDAY_10 + timedelta(minutes=30), email="other@example.com")
    again = world.book(provider, service, MONDAY_10 + 2 * HOUR, email=" ROBIN@example.com ")
    assert again.appointment.client_id == first.appointment.client_id
    assert len(world.repo.list_clients(provider.id, 10, None).items) == 1


def test_a_booking_racing_for_the_same_minutes_gets_a_conflict_not_a_second_booking(world: World) -> None:
    _, provider, service = world.provider()
    rival = World(table=world.table, clock=world.clock)

    class Racing(MemoryRepository):
        """Another booking of the same time lands between this one's read and its write."""

        def add_appointment(
            self,
            appointment: Appointment,
            token_hash: str,
            sealed_token: str,
            client: Client,
            client_is_new: bool,
            booking_key: BookingKey | None = None,
            caps: DayCaps = NO_CAPS,
        ) -> None:
            if not self.table.appointments:
                rival.book(provider, service, email="rival@example.com")
            super().add_appointment(
                appointment, token_hash, sealed_token, client, client_is_new, booking_key, caps
            )

    request = booking.BookingRequest(
        service.id, MONDAY_10, ClientDetails("Robin", "robin@example.com"), "UTC"
    )
    with pytest.raises(SlotUnavailableError, match="just taken"):
        booking.book(provider.id, request, Racing(world.table), world.clock, world.ids, world.sealer)
    [kept] = world.table.appointments.values()
    assert kept.contact_email == "rival@example.com"
    assert [c.email for c in world.repo.list_clients(provider.id, 10, None).items] == ["rival@example.com"]


def test_an_idempotency_key_gives_the_first_booking_back(world: World) -> None:
    _, provider, service = world.provider()
    key = booking_key("pat", "key-1", {"start": "10:00"})
    first = world.book(provider, service, key=key)
    again = world.book(provider, service, key=key)
    assert again.appointment == first.appointment and again.manage_token == first.manage_token
    assert len(world.table.appointments) == 1
    with pytest.raises(ValidationError) as reused:
        world.book(
            provider, service, MONDAY_10 + 2 * HOUR, key=booking_key("pat", "key-1", {"start": "12:00"})
        )
    assert reused.value.details[0]["code"] == "key_reused"


def test_hidden_services_and_closed_hours_are_not_bookable_by_clients(world: World) -> None:
    _, provider, service = world.provider()
    with pytest.raises(SlotUnavailableError):
        world.book(provider, service, MONDAY_10 + 8 * HOUR)  # 18:00, after hours
    world.clock.current = MONDAY_10 - timedelta(minutes=30)
    with pytest.raises(SlotUnavailableError):
        world.book(provider, service)  # inside the provider's 60 minutes of notice
    world.clock.current = MONDAY_10 - timedelta(days=2)
    hidden = catalog.update_service(provider.id, service.id, {"visible": False}, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        world.book(provider, hidden)
    own = world.book(provider, hidden, by=Actor.provider(provider.id))
    assert own.appointment.source == "provider"


def test_a_client_cancels_within_notice_and_the_time_is_free_again(world: World) -> None:
    _, provider, service = world.provider()
    a = world.book(provider, service).appointment
    cancelled = changes.cancel(a, "ill", Actor.client(), provider.policy, world.repo, world.clock)
    assert (cancelled.status, cancelled.cancel_reason) == (CANCELLED, "ill")
    assert world.repo.get_appointment(provider.id, a.id) == cancelled
    assert MONDAY_10 in free_starts(world, provider.id, service.id)
    with pytest.raises(InvalidTransitionError):
        changes.cancel(cancelled, "", Actor.client(), provider.policy, world.repo, world.clock)


def test_late_changes_are_the_providers_and_only_on_its_own_calendar(world: World) -> None:
    _, provider, service = world.provider()
    _, other, _ = world.provider("Other")
    a = world.book(provider, service).appointment
    world.clock.current = MONDAY_10 - HOUR  # inside the 24 hours of cancellation notice
    with pytest.raises(TooLateToChangeError):
        changes.cancel(a, "", Actor.client(), provider.policy, world.repo, world.clock)
    with pytest.raises(TooLateToChangeError):
        changes.reschedule(a, MONDAY_10 + 3 * HOUR, Actor.client(), provider.policy, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        changes.cancel(a, "", Actor.provider(other.id), other.policy, world.repo, world.clock)
    done = changes.cancel(a, "closed", Actor.provider(provider.id), provider.policy, world.repo, world.clock)
    assert done.status == CANCELLED


def test_a_reschedule_moves_the_booking_to_a_free_slot_only(world: World) -> None:
    _, provider, service = world.provider()
    a = world.book(provider, service).appointment
    blocker = world.book(provider, service, MONDAY_10 + 3 * HOUR, email="b@example.com").appointment
    with pytest.raises(SlotUnavailableError):
        changes.reschedule(a, blocker.start, Actor.client(), provider.policy, world.repo, world.clock)
    overlapping_itself = MONDAY_10 + timedelta(minutes=30)
    moved = changes.reschedule(
        a, overlapping_itself, Actor.client(), provider.policy, world.repo, world.clock
    )
    assert (moved.start, moved.sequence, moved.revision) == (
        overlapping_itself,
        a.sequence + 1,
        a.revision + 1,
    )
    assert world.repo.get_appointment(provider.id, a.id) == moved
    starts = free_starts(world, provider.id, service.id)
    assert MONDAY_10 + 2 * HOUR in starts and overlapping_itself not in starts
    by_provider = changes.reschedule(
        moved, MONDAY_10 + 5 * HOUR, Actor.provider(provider.id), provider.policy, world.repo, world.clock
    )
    assert by_provider.start == MONDAY_10 + 5 * HOUR


def test_an_outcome_is_for_a_begun_appointment(world: World) -> None:
    _, provider, service = world.provider()
    a = world.book(provider, service).appointment
    with pytest.raises(InvalidTransitionError):
        changes.set_outcome(a, COMPLETED, None, world.repo, world.clock)
    noted = changes.set_outcome(a, None, "bring towel", world.repo, world.clock)
    world.clock.current = MONDAY_10 + 2 * HOUR
    done = changes.set_outcome(noted, COMPLETED, None, world.repo, world.clock)
    assert (done.status, done.provider_notes) == (COMPLETED, "bring towel")
    assert changes.set_outcome(done, COMPLETED, "bring towel", world.repo, world.clock) is done, "no change"


def test_providers_are_isolated_in_the_fake_as_in_the_table(world: World) -> None:
    _, ana, ana_service = world.provider("Ana")
    _, bo, bo_service = world.provider("Bo")
    theirs = world.book(ana, ana_service).appointment
    world.book(bo, bo_service)  # the same hour on another calendar
    with pytest.raises(NotFoundError):
        booking.get_appointment(bo.id, theirs.id, world.repo)
    with pytest.raises(NotFoundError):
        world.book(bo, ana_service, MONDAY_10 + 2 * HOUR)  # another provider's service id
    assert MONDAY_10 + 2 * HOUR in free_starts(world, bo.id, bo_service.id)
    with pytest.raises(NotFoundError):
        booking.provider_for_slug("nobody-here", world.repo)


def test_a_booking_made_inside_the_notice_may_be_changed_for_the_grace_minutes_only(world: World) -> None:
    _, provider, service = world.provider()  # 24 h cancellation notice, 10 grace minutes
    booked_at = MONDAY_10 - 5 * HOUR
    world.clock.current = booked_at
    first = world.book(provider, service).appointment
    second = world.book(provider, service, MONDAY_10 + 2 * HOUR, email="b@example.com").appointment
    world.clock.current = booked_at + timedelta(minutes=9, seconds=59)
    moved = changes.reschedule(
        first, MONDAY_10 + 4 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    assert moved.start == MONDAY_10 + 4 * HOUR
    world.clock.current = booked_at + timedelta(minutes=10, seconds=1)
    with pytest.raises(TooLateToChangeError):
        changes.cancel(second, "", Actor.client(), provider.policy, world.repo, world.clock)
    with pytest.raises(TooLateToChangeError):
        changes.reschedule(
            moved, MONDAY_10 + 5 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
        )
    assert changes.cancel(second, "", Actor.provider(provider.id), provider.policy, world.repo, world.clock)
