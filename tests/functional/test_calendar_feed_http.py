"""The calendar feed: a secret address, the provider's appointments as iCalendar, 304s, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from chalicelib.domain.notifications.invites import invite_uid
from tests.api import Api, booking_body

pytestmark = pytest.mark.functional


def tomorrow_at(hour: int) -> str:
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC).isoformat()


def read(http: Any, path: str, **headers: str) -> Any:
    return http.request("GET", path, headers=headers)


def events(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def booked(provider: Api, hour: int, **extra: Any) -> dict[str, Any]:
    service = provider.bookable(zone="UTC", hours=("00:00", "23:30"), name="Deep tissue", **extra)
    reply = provider.post("/appointments", booking_body(service["id"], tomorrow_at(hour)))
    assert reply.status == 201, reply
    created: dict[str, Any] = reply.json
    return created


def test_the_feed_lists_the_providers_appointments_with_the_invite_uid(http: Any) -> None:
    provider = Api(http)
    appointment = booked(provider, 10, location={"type": "address", "value": "Rua Augusta 10"})
    address = provider.get("/me/calendar-feed")
    assert address.status == 200, address
    assert address.json["url"].endswith(address.json["path"])
    assert address.json["path"].startswith("/feeds/") and address.json["path"].endswith(".ics")
    assert provider.get("/me/calendar-feed").json == address.json, "the same address every time"

    reply = read(http, address.json["path"])

    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/calendar")
    assert reply.headers["Cache-Control"].startswith("private")
    calendar = Calendar.from_ical(reply.body)
    assert str(calendar["X-WR-CALNAME"]) == "Tester"
    event = events(reply.body)[invite_uid(appointment["id"])]
    assert str(event["SUMMARY"]) == "Deep tissue with Cleo Client"
    assert "Rua Augusta 10" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime.fromisoformat(appointment["start"]).astimezone(UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0), "times in UTC"


def test_a_cancelled_appointment_shows_cancelled_and_changes_the_etag(http: Any) -> None:
    provider = Api(http)
    appointment = booked(provider, 11)
    path = provider.get("/me/calendar-feed").json["path"]
    first = read(http, path)
    etag = first.headers["ETag"]

    assert read(http, path, **{"If-None-Match": etag}).status_code == 304
    modified = read(http, path, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert modified.status_code == 304
    assert provider.post(f"/appointments/{appointment['id']}/cancel", {"reason": "ill"}).status == 200

    after = read(http, path, **{"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    assert str(events(after.body)[invite_uid(appointment["id"])]["STATUS"]) == "CANCELLED"


def test_rotating_makes_the_old_address_404_at_once(http: Any) -> None:
    provider = Api(http)
    booked(provider, 12)
    old = provider.get("/me/calendar-feed").json["path"]
    assert read(http, old).status_code == 200

    rotated = provider.post("/me/calendar-feed/rotate", {})

    assert rotated.status == 200, rotated
    assert rotated.json["path"] != old
    gone = read(http, old)
    assert gone.status_code == 404
    assert b'"not_found"' in gone.body
    assert read(http, rotated.json["path"]).status_code == 200
    assert provider.get("/me/calendar-feed").json["path"] == rotated.json["path"]


def test_another_providers_appointments_never_appear(http: Any) -> None:
    mine, theirs = Api(http), Api(http)
    own = booked(mine, 13)
    other = booked(theirs, 13)
    listed = events(read(http, mine.get("/me/calendar-feed").json["path"]).body)
    assert invite_uid(own["id"]) in listed
    assert invite_uid(other["id"]) not in listed
    assert all(uid != invite_uid(other["id"]) for uid in listed)


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/" + "A" * 43 + ".ics",  # well formed, unknown
        "/feeds/" + "A" * 43,  # no .ics
        "/feeds/short.ics",
        "/feeds/" + "A" * 42 + "%2F.ics",
        "/feeds/" + "A" * 500 + ".ics",
    ],
)
def test_a_feed_address_no_feed_has_is_a_json_404(http: Any, path: str) -> None:
    reply = read(http, path)
    assert reply.status_code == 404
    assert b'"not_found"' in reply.body
