"""The CalDAV writer against a real Radicale: an appointment's event created, moved, deleted,
read back with the ``caldav`` client; refusals and outages are told apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import caldav
import pytest
from caldav.lib.error import NotFoundError as CalDavNotFound

from chalicelib.adapters.caldav_writer import CalDavWriter, CalendarRefusedError
from chalicelib.domain.booking.appointments import CANCELLED, CONFIRMED, Appointment
from chalicelib.domain.calendars.feed import event_document, resource_name
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.invites import invite_uid
from chalicelib.services.calendars.ports import WriteTarget
from devtools.dynamodb_local import free_port
from tests.radicale_server import Radicale

pytestmark = pytest.mark.integration

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


def appointment(start: datetime = START) -> Appointment:
    return Appointment(
        id=new_id(),
        provider_id=new_id(),
        service_id=new_id(),
        service_name="Deep tissue",
        start=start,
        end=start + timedelta(hours=1),
        status=CONFIRMED,
        client_id=new_id(),
        client_timezone="Europe/London",
        price=Decimal("40.00"),
        currency="EUR",
        contact_name="Cleo Client",
        updated_at="2031-01-01T00:00:00Z",
    )


@pytest.fixture
def calendar(radicale: Radicale) -> tuple[WriteTarget, caldav.Calendar]:
    url = radicale.collection(new_id().lower())
    client = caldav.DAVClient(url=radicale.url, username=radicale.username, password=radicale.password)
    principal = client.principal()  # type: ignore[no-untyped-call]
    made = principal.make_calendar(name="Work", cal_id=url.rstrip("/").rsplit("/", 1)[1])
    return WriteTarget("cal-1", url, radicale.username, radicale.password), made


def read_back(made: caldav.Calendar, a: Appointment) -> Any:
    return made.event_by_uid(invite_uid(a.id))


def test_an_event_is_created_moved_and_deleted_on_the_calendar(
    calendar: tuple[WriteTarget, caldav.Calendar],
) -> None:
    target, made = calendar
    writer = CalDavWriter(allow_local=True)
    booked = appointment()

    writer.put(target, resource_name(booked.id), event_document(booked))
    event = read_back(made, booked).icalendar_component
    assert event.decoded("DTSTART") == START
    assert str(event["SUMMARY"]) == "Deep tissue with Cleo Client"

    moved = replace(
        booked, start=START + timedelta(days=1), end=START + timedelta(days=1, hours=1), sequence=1
    )
    writer.put(target, resource_name(moved.id), event_document(moved))
    events = made.events()
    assert len(events) == 1, "moved in place, not duplicated"
    assert read_back(made, moved).icalendar_component.decoded("DTSTART") == START + timedelta(days=1)

    writer.delete(target, resource_name(moved.id))
    with pytest.raises(CalDavNotFound):
        read_back(made, moved)
    writer.delete(target, resource_name(moved.id))  # already gone: done, no error


def test_a_cancelled_event_written_again_keeps_one_resource(
    calendar: tuple[WriteTarget, caldav.Calendar],
) -> None:
    target, made = calendar
    writer = CalDavWriter(allow_local=True)
    booked = appointment()
    writer.put(target, resource_name(booked.id), event_document(booked))
    writer.put(target, resource_name(booked.id), event_document(replace(booked, status=CANCELLED)))
    assert str(read_back(made, booked).icalendar_component["STATUS"]) == "CANCELLED"
    assert len(made.events()) == 1


def test_a_wrong_password_is_refused_for_good(calendar: tuple[WriteTarget, caldav.Calendar]) -> None:
    target, _ = calendar
    wrong = replace(target, password="not-it")
    with pytest.raises(CalendarRefusedError):
        CalDavWriter(allow_local=True).put(wrong, resource_name("X"), event_document(appointment()))


def test_loopback_is_refused_outside_the_local_stage(calendar: tuple[WriteTarget, caldav.Calendar]) -> None:
    target, made = calendar
    with pytest.raises(DependencyUnavailableError):
        CalDavWriter(allow_local=False).put(target, resource_name("X"), event_document(appointment()))
    assert made.events() == []


def test_a_server_that_does_not_answer_is_retried_later() -> None:
    down = WriteTarget("cal-2", f"http://127.0.0.1:{free_port()}/pat/work/", "pat", "x")
    with pytest.raises(DependencyUnavailableError):
        CalDavWriter(allow_local=True).delete(down, resource_name("X"))
