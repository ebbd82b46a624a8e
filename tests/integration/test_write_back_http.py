"""Write-back end to end: a CalDAV calendar connected with ``"write": true`` through the API, a
booking made, moved and cancelled through the API, the table's stream records run through the
stream consumer as wired by the composition root, and the Radicale calendar read back with the
``caldav`` client. A replay of the same records writes nothing twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import caldav
import pytest
from caldav.lib.error import NotFoundError as CalDavNotFound

from chalicelib import bootstrap
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.invites import invite_uid
from chalicelib.jobs import outbox
from chalicelib.services.shared import SystemClock
from devtools.streams import StreamPoller
from tests.api import Api, booking_body
from tests.notify_support import RecordingMailer
from tests.radicale_server import Radicale

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")


def monday_at(hour: int) -> datetime:
    monday = date.today() + timedelta(days=7 - date.today().weekday() + 7)
    return datetime(monday.year, monday.month, monday.day, hour, tzinfo=PARIS)


def test_a_booking_through_the_api_is_written_moved_and_deleted_on_the_providers_caldav_calendar(
    http: Any, container: bootstrap.Container, ddb_client: Any, ddb_endpoint: str, radicale: Radicale
) -> None:
    mailer = RecordingMailer()
    jobs = bootstrap.notification_jobs(
        container.settings,
        mailer,
        SystemClock(),
        container.link_sealer,
        sleep=lambda _: None,
        write_back=container.write_back,
    )
    seen: list[dict[str, Any]] = []

    def consume(records: list[dict[str, Any]]) -> list[str]:
        seen.extend(records)
        return outbox.handle_records(records, jobs.outbox)

    poller = StreamPoller(ddb_client, ddb_endpoint, container.settings.table_name, consume, "LATEST")

    name = new_id().lower()
    dav = caldav.DAVClient(url=radicale.url, username=radicale.username, password=radicale.password)
    calendar: Any = dav.principal().make_calendar(name="Work", cal_id=name)  # type: ignore[no-untyped-call]

    api = Api(http)
    service = api.bookable(zone="Europe/Paris", name="Deep tissue")
    connected = api.post(
        "/calendars",
        {
            "type": "caldav",
            "url": radicale.collection(name),
            "username": radicale.username,
            "password": radicale.password,
            "write": True,
        },
    )
    assert connected.status == 201, connected
    assert "password" not in connected.json

    booked = api.post("/appointments", booking_body(service["id"], monday_at(10).isoformat()))
    assert booked.status == 201, booked
    appointment_id = booked.json["id"]
    poller.drain()
    event = calendar.event_by_uid(invite_uid(appointment_id)).icalendar_component
    assert event.decoded("DTSTART") == monday_at(10)
    assert event.decoded("DTEND") == monday_at(10) + timedelta(minutes=30)
    assert "Deep tissue" in str(event["SUMMARY"])

    moved = api.post(f"/appointments/{appointment_id}/reschedule", {"start": monday_at(14).isoformat()})
    assert moved.status == 200, moved
    poller.drain()
    assert len(calendar.events()) == 1
    event = calendar.event_by_uid(invite_uid(appointment_id)).icalendar_component
    assert event.decoded("DTSTART") == monday_at(14)
    assert int(event["SEQUENCE"]) == moved.json["sequence"]

    cancelled = api.post(f"/appointments/{appointment_id}/cancel", {"reason": "Closed that day"})
    assert cancelled.status == 200, cancelled
    poller.drain()
    with pytest.raises(CalDavNotFound):
        calendar.event_by_uid(invite_uid(appointment_id))
    sent = len(mailer.sent)
    assert sent > 0

    # The same records again (a stream retry): the calendar stays empty, no email goes twice.
    assert outbox.handle_records(list(seen), jobs.outbox) == []
    assert calendar.events() == []
    assert len(mailer.sent) == sent
