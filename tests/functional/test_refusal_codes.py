"""Each 409 of a booking says why: taken, outside_hours, too_soon, too_far_ahead, daily_limit."""

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


@pytest.fixture
def visitor(http: Any) -> Api:
    return Api(http, anonymous=True)


def book(visitor: Api, service: dict[str, Any], start: str, email: str = "client@example.com") -> Any:
    return visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], start, email))


def code(reply: Any) -> str:
    assert reply.status == 409, reply
    error = reply.json["error"]
    assert error["message"] and error["code"] != "slot_unavailable"
    return str(error["code"])


def test_a_time_someone_holds_is_taken(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = ahead(10)
    assert book(visitor, service, paris(day, "10:00")).status == 201
    assert code(book(visitor, service, paris(day, "10:00"), "other@example.com")) == "taken"


def test_outside_the_hours_or_off_the_grid_is_outside_hours(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = ahead(10)
    assert code(book(visitor, service, paris(day, "07:00"))) == "outside_hours"
    assert code(book(visitor, service, paris(day, "16:45"))) == "outside_hours"  # ends after 17:00
    assert code(book(visitor, service, paris(day, "10:10"))) == "outside_hours"  # off the 30-min grid


def test_a_closed_time_that_is_also_busy_is_outside_hours_not_taken(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = ahead(10)
    assert book(visitor, service, paris(day, "10:00")).status == 201
    assert code(book(visitor, service, paris(day, "10:15"), "o@example.com")) == "outside_hours"


def test_inside_the_notice_or_in_the_past_is_too_soon(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    assert provider.patch("/me", {"min_notice_minutes": 2 * 24 * 60}).status == 200
    assert code(book(visitor, service, paris(ahead(1), "10:00"))) == "too_soon"
    assert code(book(visitor, service, paris(ahead(-3), "10:00"))) == "too_soon"
    assert book(visitor, service, paris(ahead(4), "10:00")).status == 201


def test_past_the_booking_window_is_too_far_ahead(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    assert provider.patch("/me", {"max_advance_days": 14}).status == 200
    assert code(book(visitor, service, paris(ahead(30), "10:00"))) == "too_far_ahead"
    assert book(visitor, service, paris(ahead(7), "10:00")).status == 201


def test_a_full_day_is_daily_limit(provider: Api, visitor: Api) -> None:
    service = provider.bookable(max_per_day=1)
    day = ahead(10)
    assert book(visitor, service, paris(day, "10:00")).status == 201
    assert code(book(visitor, service, paris(day, "14:00"), "o@example.com")) == "daily_limit"


def test_a_provider_reschedule_says_why_too(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = ahead(10)
    first = book(visitor, service, paris(day, "10:00")).json["id"]
    assert book(visitor, service, paris(day, "11:00"), "o@example.com").status == 201
    move = f"/appointments/{first}/reschedule"
    assert code(provider.post(move, {"start": paris(day, "11:00")})) == "taken"
    assert code(provider.post(move, {"start": paris(day, "20:00")})) == "outside_hours"


def test_the_codes_come_in_the_documented_order_on_a_full_day(provider: Api, visitor: Api) -> None:
    service = provider.bookable(max_per_day=1)
    day = ahead(3)
    assert book(visitor, service, paris(day, "10:00")).status == 201
    assert code(book(visitor, service, paris(day, "07:00"), "o@example.com")) == "daily_limit"  # before hours
    assert provider.patch("/me", {"min_notice_minutes": 5 * 24 * 60}).status == 200
    assert code(book(visitor, service, paris(day, "14:00"), "o@example.com")) == "too_soon"  # before the cap
