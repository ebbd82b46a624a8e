"""Where the app and its contract (API.md, /openapi.json) had drifted apart, checked one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional


def assert_field_errors(reply: Any, field: str | None = None) -> list[dict[str, Any]]:
    assert reply.status == 422, reply
    details: list[dict[str, Any]] = reply.json["error"]["details"]
    assert details
    for detail in details:
        assert set(detail) == {"field", "code", "message"}, detail
        assert all(isinstance(detail[key], str) and detail[key] for key in detail), detail
    if field is not None:
        assert field in {d["field"] for d in details}, details
    return details


def start_text(hours: int = 24 * 20) -> datetime:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def test_every_field_error_has_a_field_a_code_and_a_message(http: Any) -> None:
    provider, visitor = Api(http), Api(http, anonymous=True)
    service = provider.bookable()
    slug = service["slug"]
    day = start_text().date()
    replies = [
        provider.post("/services", {"name": "", "duration_minutes": 7, "price": "x", "currency": "XX"}),
        provider.patch("/me", {"timezone": "Mars/Olympus", "slot_interval_minutes": 7}),
        provider.put("/availability", {"weekly": [{"day": "mon", "start": "10:00", "end": "09:00"}]}),
        provider.put("/availability/overrides/2027-01-04", {"intervals": [{"start": "9", "end": "25:00"}]}),
        visitor.get(
            f"/public/{slug}/services/{service['id']}/slots?from={day}&to={day + timedelta(days=40)}"
        ),
        visitor.get(f"/public/{slug}/services/{service['id']}/slots?from={day}&to={day - timedelta(days=1)}"),
        visitor.post(f"/public/{slug}/bookings", {"service_id": "x", "client": {"email": "nope"}}),
        provider.get(f"/appointments?from={day}&to={day - timedelta(days=2)}"),
    ]
    for reply in replies:
        assert_field_errors(reply)


@pytest.mark.parametrize(
    "start",
    [
        1767225600,  # unix seconds
        1767225600000,  # unix milliseconds
        "1767225600",
        "2027-03-15T09:00:00",  # no offset: no instant at all
        "2027-03-15 09:00:00+01:00",
        "2027-03-15",
        True,
    ],
)
def test_instants_are_iso_8601_with_an_offset_only(http: Any, start: Any) -> None:
    provider, visitor = Api(http), Api(http, anonymous=True)
    service = provider.bookable()
    reply = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], start))
    details = assert_field_errors(reply, "start")
    assert details[0]["code"] in {"instant_format"}, details


def test_an_iso_instant_with_any_offset_books(http: Any) -> None:
    provider, visitor = Api(http), Api(http, anonymous=True)
    service = provider.bookable(zone="UTC", hours=("00:00", "24:00"))
    start = start_text()
    for n, (offset, text) in enumerate(((0, "Z"), (5, "+05:00"), (-3, "-03:00"))):
        instant = start + timedelta(hours=n)  # a different hour each, written in its own offset
        local = (instant + timedelta(hours=offset)).strftime("%Y-%m-%dT%H:%M:%S") + text
        reply = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], local))
        assert reply.status == 201, reply


@pytest.mark.parametrize(
    ("value", "ok"), [(60, True), (60.0, True), (60.5, False), ("60", False), (True, False)]
)
def test_integers_accept_a_whole_number_written_either_way_and_nothing_else(
    http: Any, value: Any, ok: bool
) -> None:
    api = Api(http)
    body = {"name": "Session", "duration_minutes": value, "price": "10.00", "currency": "EUR"}
    reply = api.post("/services", body)
    if ok:
        assert reply.status == 201 and reply.json["duration_minutes"] == 60, reply
    else:
        assert_field_errors(reply, "duration_minutes")


@pytest.mark.parametrize(
    "path",
    [
        "/book/Bad_Slug",
        "/book/ab",
        "/public/Bad_Slug",
        "/public/Bad_Slug/challenge",
        "/public/Bad_Slug/services/01J9Z8Q4W2M7X3K5N6P8R0T2V4/slots?from=2027-01-01&to=2027-01-02",
    ],
)
def test_a_malformed_slug_is_404_on_every_route(http: Any, path: str) -> None:
    reply = Api(http, anonymous=True).get(path)
    assert reply.status == 404, reply
    assert reply.json["error"]["code"] == "not_found"


def test_a_malformed_slug_is_404_for_a_booking_too(http: Any) -> None:
    reply = Api(http, anonymous=True).post(
        "/public/Bad_Slug/bookings", booking_body("01J9Z8Q4W2M7X3K5N6P8R0T2V4", "2027-01-01T10:00:00Z")
    )
    assert reply.status == 404, reply


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2200-01-01"])
def test_dates_outside_2000_to_2199_are_refused(http: Any, day: str) -> None:
    api = Api(http)
    assert_field_errors(api.put(f"/availability/overrides/{day}", {"intervals": []}), "date")
    assert_field_errors(api.get(f"/availability/overrides/{day}"), "date")
    assert_field_errors(api.delete(f"/availability/overrides/{day}"), "date")
    assert_field_errors(api.get(f"/availability/overrides?from={day}&to={day}"))
    assert_field_errors(api.get(f"/appointments?from={day}"))
