"""Requests left unanswered, on the in-memory stores: the sweep declines each at its answer_by,
once, and tells the client and the provider; an answered or moved request is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.memory.reminders import MemoryReminders
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import CONFIRMED, DECLINED, PENDING
from chalicelib.domain.catalog import Service
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.domain.notifications.reminders import bucket_of, shard_of
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.booking import appointment_changes, approval
from chalicelib.services.catalog import catalog, providers
from chalicelib.services.notifications.reminders import SweepReport
from tests.services.conftest import HOUR, MONDAY_10, NOW, World

pytestmark = pytest.mark.unit
CLIENT, PROVIDER = "robin@example.com", "pat@example.com"


def requests_service(world: World, **policy: object) -> tuple[Identity, Provider, Service]:
    who, _, service = world.provider()
    providers.update_me(who, {"min_notice_minutes": 120, **policy}, world.repo, world.clock)
    changed = catalog.update_service(
        who.provider_id, service.id, {"requires_approval": True}, world.repo, world.clock
    )
    profile = world.repo.get_provider(who.provider_id)
    assert profile is not None
    return who, profile, changed


def test_a_request_waits_until_it_would_start_within_the_minimum_notice(world: World) -> None:
    _, provider, service = requests_service(world)
    request = world.book(provider, service).appointment
    assert request.status == PENDING
    assert request.answer_by == MONDAY_10 - timedelta(minutes=120)
    world.drain()
    [asked] = [m for m in world.mailer.sent if m.to == PROVIDER]
    assert (
        "Answer by Monday, March 3, 2031, 8:00\u202fAM (Europe/Lisbon, WET), or it is declined automatically."
        in asked.text
    )
    world.clock.current = request.answer_by - timedelta(minutes=1)
    assert world.sweep().run().declined == 0
    world.mailer.sent.clear()
    world.clock.current = request.answer_by
    report = world.sweep().run()
    assert report.declined == 1
    stored = world.repo.get_appointment(provider.id, request.id)
    assert stored is not None and stored.status == DECLINED and stored.auto_declined
    world.drain()
    to_client = [m for m in world.mailer.sent if m.to == CLIENT]
    to_provider = [m for m in world.mailer.sent if m.to == PROVIDER]
    assert len(to_client) == 1 and "Request declined" in to_client[0].subject
    assert "was not confirmed by Pat in time" in to_client[0].text
    assert len(to_provider) == 1 and "was not answered in time" in to_provider[0].text
    assert world.sweep().run().declined == 0, "declined once"


def test_approval_expires_hours_declines_a_request_earlier_than_the_notice(world: World) -> None:
    _, provider, service = requests_service(world, approval_expires_hours=3)
    request = world.book(provider, service).appointment
    assert request.answer_by == NOW + timedelta(hours=3)
    world.drain()
    world.clock.current = NOW + timedelta(hours=3, minutes=1)
    assert world.sweep().run().declined == 1


def test_a_service_with_its_own_notice_sets_its_requests_deadline(world: World) -> None:
    who, provider, service = requests_service(world)
    own = catalog.update_service(
        who.provider_id, service.id, {"min_notice_minutes": 24 * 60}, world.repo, world.clock
    )
    request = world.book(provider, own).appointment
    assert request.answer_by == MONDAY_10 - timedelta(hours=24)


def test_a_confirmed_request_is_left_alone_by_the_sweep(world: World) -> None:
    who, provider, service = requests_service(world)
    request = world.book(provider, service).appointment
    world.drain()
    confirmed = approval.confirm(request, Actor.provider(who.provider_id), world.repo, world.clock)
    world.drain()
    world.clock.current = MONDAY_10 - timedelta(minutes=30)
    report = world.sweep().run()
    assert report.declined == 0
    stored = world.repo.get_appointment(provider.id, request.id)
    assert stored is not None and stored.status == CONFIRMED and stored.revision == confirmed.revision


def test_a_moved_request_gets_the_deadline_of_its_new_time(world: World) -> None:
    _, provider, service = requests_service(world)
    request = world.book(provider, service).appointment
    world.drain()
    moved = appointment_changes.reschedule(
        request, MONDAY_10 + 3 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    assert moved.answer_by == MONDAY_10 + 3 * HOUR - timedelta(minutes=120)
    world.drain()
    world.clock.current = MONDAY_10 - timedelta(minutes=120)  # the old deadline
    assert world.sweep().run().declined == 0
    world.clock.current = moved.answer_by
    assert world.sweep().run().declined == 1


def test_a_declined_copy_read_before_the_providers_confirm_is_not_written(world: World) -> None:
    """The provider confirms between the sweep's read and its write: the write loses, the request
    stays confirmed."""
    who, provider, service = requests_service(world)
    request = world.book(provider, service).appointment
    approval.confirm(request, Actor.provider(who.provider_id), world.repo, world.clock)
    world.clock.current = MONDAY_10
    with pytest.raises(ConcurrentChangeError):
        approval.decline(request, "", Actor.system(), world.repo, world.clock, automatic=True)
    unanswered = approval.Unanswered(world.repo, world.clock)
    assert unanswered.decline(provider.id, request.id, request.answer_by or NOW) is None


def test_a_deadline_claimed_for_a_request_moved_meanwhile_waits_again_at_the_new_time(world: World) -> None:
    """The sweep read the old deadline from the index, then the request moved: its claim takes the
    item the move rewrote, finds the request not due, and puts the new deadline back."""
    _, provider, service = requests_service(world)
    request = world.book(provider, service).appointment
    world.drain()
    assert request.answer_by is not None
    [stale] = [r for r in MemoryReminders(world.table).due(bucket_of(request.answer_by), shard_of(request.id),
                                                           request.answer_by)]  # fmt: skip
    moved = appointment_changes.reschedule(
        request, MONDAY_10 + 3 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    world.drain()
    world.clock.current = request.answer_by
    sweep = world.sweep()
    sweep._one(stale, SweepReport())  # the claim of the copy read before the move
    assert moved.answer_by is not None
    world.clock.current = moved.answer_by
    assert world.sweep().run().declined == 1, "the moved request's deadline still waits"
