"""A loopback ICS feed through the routes on the local stage: its busy hour closes the slots and
refuses a booking, a broken read keeps the last good busy time, DELETE forgets it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api import Api, booking_body
from tests.loopback import Answer, Loopback, loopback_server

pytestmark = pytest.mark.functional


@pytest.fixture(scope="module")
def feed() -> Iterator[Loopback]:
    with loopback_server() as running:
        yield running


def day_after_tomorrow() -> datetime:
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def ics(start: datetime) -> bytes:
    stamp = "%Y%m%dT%H%M%SZ"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:busy-1\r\n"
        f"DTSTAMP:{start.strftime(stamp)}\r\nDTSTART:{start.strftime(stamp)}\r\n"
        f"DTEND:{(start + timedelta(hours=1)).strftime(stamp)}\r\nSUMMARY:Dentist\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def starts(visitor: Api, service: dict[str, Any], day: datetime) -> set[str]:
    on = day.date().isoformat()
    path = f"/public/{service['slug']}/services/{service['id']}/slots?from={on}&to={on}"
    return {
        datetime.fromisoformat(s["start"].replace("Z", "+00:00")).astimezone(UTC).strftime("%H:%M")
        for s in visitor.get(path).json["slots"]
    }


def test_a_busy_hour_closes_slots_survives_a_broken_read_and_goes_with_delete(
    http: Any, feed: Loopback
) -> None:
    day = day_after_tomorrow()
    feed.routes["/busy.ics"] = Answer(body=ics(day.replace(hour=10)))
    provider = Api(http)
    service = provider.bookable(zone="UTC", hours=("09:00", "12:00"))
    visitor = Api(http, anonymous=True)
    assert starts(visitor, service, day) == {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}

    created = provider.post("/calendars", {"type": "ics", "url": feed.url("/busy.ics")})
    assert created.status == 201, created
    assert (created.json["status"], created.json["busy_count"]) == ("ok", 1)
    assert starts(visitor, service, day) == {"09:00", "09:30", "11:00", "11:30"}
    refused = provider.post("/appointments", booking_body(service["id"], day.replace(hour=10).isoformat()))
    assert refused.status == 409, refused
    assert refused.json["error"]["code"] == "taken"

    feed.routes["/busy.ics"] = Answer(500, b"down")
    broken = provider.post(f"/calendars/{created.json['id']}/refresh", {})
    assert broken.status == 200, broken
    assert broken.json["status"] == "ok", "the last good read counts for a day"
    assert broken.json["error"] == "The calendar's server answered HTTP 500."
    assert starts(visitor, service, day) == {"09:00", "09:30", "11:00", "11:30"}

    assert provider.delete(f"/calendars/{created.json['id']}").status == 204
    assert starts(visitor, service, day) == {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}
