"""A Radicale CalDAV calendar through the routes on the local stage, with the app's clock fixed:
the busy cases of tests/calendar_cases.py (events PUT with the ``caldav`` client, one resource
per UID) close exactly the same slots as the ICS feed, in two zones across both DST changes of
a year."""

from __future__ import annotations

from datetime import date
from typing import Any

import caldav
import pytest

from chalicelib import bootstrap
from chalicelib.domain.ids import new_id
from tests.api import Api
from tests.calendar_cases import CHANGES, HOURS, NOW, caldav_resources, expected, open_slots
from tests.notify_support import FixedClock
from tests.radicale_server import Radicale

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("zone", "change"), CHANGES, ids=[f"{z}-{d}" for z, d in CHANGES])
def test_a_caldav_calendars_recurrences_all_day_transparent_and_cancelled_events_close_exactly_their_slots(
    http: Any, container: bootstrap.Container, radicale: Radicale, zone: str, change: date
) -> None:
    container.clock = FixedClock(NOW)  # before the first request: every use case reads it
    name = new_id().lower()
    dav = caldav.DAVClient(url=radicale.url, username=radicale.username, password=radicale.password)
    calendar: Any = dav.principal().make_calendar(name="Personal", cal_id=name)  # type: ignore[no-untyped-call]
    for resource in caldav_resources(zone, change):
        calendar.save_event(resource.decode())
    assert len(calendar.events()) == 6  # weekly (with its moved occurrence), all day, 2 free, 2 one-offs

    provider = Api(http)
    service = provider.bookable(zone=zone, hours=HOURS)
    created = provider.post(
        "/calendars",
        {
            "type": "caldav",
            "url": radicale.collection(name),
            "username": radicale.username,
            "password": radicale.password,
        },
    )
    assert created.status == 201, created
    assert (created.json["status"], created.json["error"], created.json["busy_count"]) == ("ok", None, 6)
    assert open_slots(Api(http, anonymous=True), service, zone, change) == expected(zone, change)
