"""The provider's own bookings past her rules (override_rules), and a client with a phone only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

PARIS = ZoneInfo("Europe/Paris")


def paris(day: date, clock: str) -> str:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).isoformat()


def ahead(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.fixture
def provider(http: Any) -> Api:
    return Api(http)


def test_override_books_outside_hours_in_the_past_and_past_the_cap(provider: Api) -> None:
    service = provider.bookable(max_per_day=1)
    day = ahead(10)
    refused = provider.post("/appointments", booking_body(service["id"], paris(day, "20:00")))
    assert refused.status == 409 and refused.json["error"]["code"] == "outside_hours"
    walk_in = provider.post(
        "/appointments", booking_body(service["id"], paris(day, "20:00"), override_rules=True)
    )
    assert walk_in.status == 201, walk_in
    past = provider.post(
        "/appointments", booking_body(service["id"], paris(ahead(-2), "10:00"), override_rules=True)
    )
    assert past.status == 201, past
    over_cap = provider.post(
        "/appointments",
        booking_body(service["id"], paris(day, "10:00"), "b@example.com", override_rules=True),
    )
    assert over_cap.status == 201, "past max_per_day"


def test_override_never_books_over_another_appointment(provider: Api) -> None:
    service = provider.bookable()
    day = ahead(10)
    assert provider.post("/appointments", booking_body(service["id"], paris(day, "10:00"))).status == 201
    over = provider.post(
        "/appointments",
        booking_body(service["id"], paris(day, "10:00"), "b@example.com", override_rules=True),
    )
    assert over.status == 409 and over.json["error"]["code"] == "taken"
    other = provider.post("/appointments", booking_body(service["id"], paris(day, "21:00"), "c@example.com"))
    assert other.status == 409
    moved = provider.post("/appointments", booking_body(service["id"], paris(day, "12:00"), "c@example.com"))
    move = f"/appointments/{moved.json['id']}/reschedule"
    assert provider.post(move, {"start": paris(day, "21:00"), "override_rules": True}).status == 200
    clash = provider.post(move, {"start": paris(day, "10:00"), "override_rules": True})
    assert clash.status == 409 and clash.json["error"]["code"] == "taken"


def test_a_client_with_a_name_and_a_phone_only(provider: Api) -> None:
    service = provider.bookable()
    body = booking_body(service["id"], paris(ahead(10), "10:00"))
    body["client"] = {"name": "Walk In", "phone": "212.555.0100"}
    created = provider.post("/appointments", body)
    assert created.status == 201, created
    assert created.json["contact"]["email"] == ""
    body["client"] = {"name": "Nobody"}
    assert provider.post("/appointments", body).status == 422


def test_public_bookings_refuse_the_provider_fields(http: Any, provider: Api) -> None:
    service = provider.bookable()
    visitor = Api(http, anonymous=True)
    extras: list[dict[str, Any]] = [{"override_rules": True}, {"notify_client": False}]
    for extra in extras:
        body = {**booking_body(service["id"], paris(ahead(10), "20:00")), **extra}
        reply = visitor.post(f"/public/{service['slug']}/bookings", body)
        assert reply.status == 422, reply
