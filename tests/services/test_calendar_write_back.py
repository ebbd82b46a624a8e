"""Write-back from the change stream on the in-memory stores: a booking puts its event, a move
replaces it, a cancellation deletes it; a failing calendar is retried without mailing twice."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from chalicelib.adapters.memory.calendars import MemoryCalendarWriter, MemoryWriteTargets
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.calendars.feed import resource_name
from chalicelib.domain.notifications.invites import invite_uid
from chalicelib.services.booking import appointment_changes
from chalicelib.services.calendars.ports import WriteTarget
from chalicelib.services.calendars.write_back import WriteBack
from chalicelib.services.notifications.outbox import Outbox
from tests.services.conftest import HOUR, MONDAY_10, World

pytestmark = pytest.mark.unit


def consumer(world: World, writer: MemoryCalendarWriter, provider_id: str) -> Outbox:
    targets = MemoryWriteTargets()
    targets.by_provider[provider_id] = [
        WriteTarget("cal-1", "https://dav.example.com/pat/work/", "pat", "pw")
    ]
    outbox = world.outbox()
    outbox.write_back = WriteBack(targets, writer)
    return outbox


def drain(world: World, outbox: Outbox) -> list[str]:
    retry = outbox.handle(world.table.stream[world.drained :])
    if not retry:
        world.drained = len(world.table.stream)
    return retry


def start_of(document: str) -> object:
    [event] = Calendar.from_ical(document).walk("VEVENT")
    return event.decoded("DTSTART")


def test_a_booking_puts_a_move_replaces_and_a_cancel_deletes_its_event(world: World) -> None:
    _, provider, service = world.provider()
    writer = MemoryCalendarWriter()
    outbox = consumer(world, writer, provider.id)
    a = world.book(provider, service).appointment
    key = ("cal-1", resource_name(a.id))

    assert drain(world, outbox) == []
    assert invite_uid(a.id) in writer.events[key]
    moved = appointment_changes.reschedule(
        a, MONDAY_10 + 2 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    assert drain(world, outbox) == []
    assert start_of(writer.events[key]) == MONDAY_10 + 2 * HOUR
    assert len(writer.events) == 1

    appointment_changes.cancel(moved, "", Actor.client(), provider.policy, world.repo, world.clock)
    assert drain(world, outbox) == []
    assert writer.events == {}


def test_a_failing_calendar_is_retried_and_the_emails_go_once(world: World) -> None:
    _, provider, service = world.provider()
    writer = MemoryCalendarWriter(failures=2)
    outbox = consumer(world, writer, provider.id)
    a = world.book(provider, service).appointment

    assert drain(world, outbox) != [], "the stream is asked to run the record again"
    assert drain(world, outbox) != []
    sent = len(world.mailer.sent)
    assert drain(world, outbox) == []

    assert sent == 2, "client and provider were mailed on the first run"
    assert len(world.mailer.sent) == 2, "and not again on the retries"
    assert ("cal-1", resource_name(a.id)) in writer.events


def test_a_provider_without_write_calendars_writes_nothing(world: World) -> None:
    _, provider, service = world.provider()
    writer = MemoryCalendarWriter()
    outbox = consumer(world, writer, "someone-else")
    world.book(provider, service)
    assert drain(world, outbox) == []
    assert writer.calls == 0


def test_a_request_is_written_once_confirmed_and_a_declined_one_never(world: World) -> None:
    from chalicelib.domain.booking.appointments import PENDING
    from chalicelib.services.booking import approval

    _, provider, service = world.provider()
    service = world.repo.update_service(provider.id, service.id, {"requires_approval": True})
    writer = MemoryCalendarWriter()
    outbox = consumer(world, writer, provider.id)
    by = Actor.provider(provider.id)

    asked = world.book(provider, service).appointment
    assert asked.status == PENDING
    assert drain(world, outbox) == []
    assert writer.events == {}, "a request is not on the calendar until confirmed"
    confirmed = approval.confirm(asked, by, world.repo, world.clock)
    assert drain(world, outbox) == []
    assert invite_uid(asked.id) in writer.events[("cal-1", resource_name(asked.id))]
    appointment_changes.cancel(confirmed, "", by, provider.policy, world.repo, world.clock)
    assert drain(world, outbox) == []
    assert writer.events == {}

    other = world.book(provider, service, start=MONDAY_10 + 3 * HOUR, email="sam@example.com").appointment
    assert drain(world, outbox) == []
    approval.decline(other, "Fully booked", by, world.repo, world.clock)
    assert drain(world, outbox) == []
    assert writer.events == {}
