"""A booking, a move and a cancellation, through the change-stream consumer, on a real Radicale
calendar: the event is created, moved and deleted (read back with the ``caldav`` client)."""

from __future__ import annotations

from typing import Any

import caldav
import pytest
from caldav.lib.error import NotFoundError as CalDavNotFound

from chalicelib.adapters.caldav_writer import CalDavWriter
from chalicelib.adapters.memory.calendars import MemoryWriteTargets
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.invites import invite_uid
from chalicelib.services.booking import appointment_changes
from chalicelib.services.calendars.ports import WriteTarget
from chalicelib.services.calendars.write_back import WriteBack
from tests.radicale_server import Radicale
from tests.services.conftest import HOUR, MONDAY_10, World

pytestmark = pytest.mark.integration


def drain(world: World, write_back: WriteBack) -> None:
    outbox = world.outbox()
    outbox.write_back = write_back
    assert outbox.handle(world.table.stream[world.drained :]) == []
    world.drained = len(world.table.stream)


def test_a_booking_is_created_moved_and_deleted_on_the_providers_calendar(radicale: Radicale) -> None:
    world = World()
    _, provider, service = world.provider()
    name = new_id().lower()
    client = caldav.DAVClient(url=radicale.url, username=radicale.username, password=radicale.password)
    principal = client.principal()  # type: ignore[no-untyped-call]
    calendar: Any = principal.make_calendar(name="Work", cal_id=name)
    targets = MemoryWriteTargets()
    targets.by_provider[provider.id] = [
        WriteTarget("cal-1", radicale.collection(name), radicale.username, radicale.password)
    ]
    write_back = WriteBack(targets, CalDavWriter(allow_local=True))

    booked = world.book(provider, service).appointment
    drain(world, write_back)
    event = calendar.event_by_uid(invite_uid(booked.id)).icalendar_component
    assert event.decoded("DTSTART") == MONDAY_10
    assert str(event["STATUS"]) == "CONFIRMED"

    moved = appointment_changes.reschedule(
        booked, MONDAY_10 + 2 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    drain(world, write_back)
    assert len(calendar.events()) == 1
    event = calendar.event_by_uid(invite_uid(booked.id)).icalendar_component
    assert event.decoded("DTSTART") == MONDAY_10 + 2 * HOUR
    assert int(event["SEQUENCE"]) == moved.sequence

    appointment_changes.cancel(moved, "", Actor.client(), provider.policy, world.repo, world.clock)
    drain(world, write_back)
    with pytest.raises(CalDavNotFound):
        calendar.event_by_uid(invite_uid(booked.id))
    assert len(world.mailer.sent) == 6, "booked, moved, cancelled: each mailed to both, once"
