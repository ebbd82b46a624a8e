"""The client's language and who cancelled, on bookings and appointments, through the HTTP app."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

PARIS = ZoneInfo("Europe/Paris")


def paris(days: int, hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS).isoformat()


@pytest.fixture
def provider(http: Any) -> Api:
    return Api(http)


@pytest.fixture
def visitor(http: Any) -> Api:
    return Api(http, anonymous=True)


def test_a_booking_keeps_the_language_it_was_made_in(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    path = f"/public/{service['slug']}/bookings"
    made = visitor.post(path, booking_body(service["id"], paris(10, 11), language="pt"))
    assert made.status == 201, made
    assert made.json["language"] == "pt"
    stored = provider.get(f"/appointments/{made.json['id']}")
    assert stored.json["language"] == "pt" and stored.json["cancelled_by"] == ""
    view = visitor.get(f"/public/bookings/{made.json['id']}?token={made.json['manage_token']}")
    assert view.json["language"] == "pt"


def test_without_a_language_the_booking_takes_the_providers_default(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    path = f"/public/{service['slug']}/bookings"
    made = visitor.post(path, booking_body(service["id"], paris(10, 12)))
    assert made.status == 201, made
    assert made.json["language"] == "en", "a profile without a language of its own: English"
    assert provider.patch("/me", {"language": "fr"}).status == 200
    again = visitor.post(path, booking_body(service["id"], paris(10, 13), email="other@example.com"))
    assert again.json["language"] == "fr"
    told = visitor.post(
        path, booking_body(service["id"], paris(10, 14), email="third@example.com", language="es")
    )
    assert told.json["language"] == "es", "the client's own language wins over the provider's"


@pytest.mark.parametrize("language", ["xx", "PT", "pt-PT", "", 3, None])
def test_an_unknown_language_is_422_on_the_field(provider: Api, visitor: Api, language: Any) -> None:
    service = provider.bookable()
    body = booking_body(service["id"], paris(10, 13), language=language)
    reply = visitor.post(f"/public/{service['slug']}/bookings", body)
    if language is None:  # null: as if not given
        assert reply.status == 201, reply
        return
    assert reply.status == 422, reply
    assert "language" in {d["field"] for d in reply.json["error"]["details"]}


def test_the_clients_reschedule_may_change_the_language_and_a_cancel_says_who(
    provider: Api, visitor: Api
) -> None:
    service = provider.bookable()
    made = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(10, 11)))
    booking_id, token = made.json["id"], made.json["manage_token"]
    to = f"/public/bookings/{booking_id}/reschedule"
    moved = visitor.post(to, {"token": token, "start": paris(10, 14), "language": "de"})
    assert moved.status == 200, moved
    assert moved.json["language"] == "de"
    kept = visitor.post(to, {"token": token, "start": paris(10, 15)})
    assert kept.json["language"] == "de", "a reschedule without a language keeps the booking's"
    bad = visitor.post(to, {"token": token, "start": paris(10, 16), "language": "nl"})
    assert bad.status == 422
    cancelled = visitor.post(f"/public/bookings/{booking_id}/cancel", {"token": token})
    assert cancelled.json["cancelled_by"] == "client"
    assert provider.get(f"/appointments/{booking_id}").json["cancelled_by"] == "client"


def test_the_providers_cancel_is_recorded_as_hers(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    made = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(11, 11)))
    booking_id = made.json["id"]
    reply = provider.post(f"/appointments/{booking_id}/cancel", {"reason": "Closed that day"})
    assert reply.status == 200, reply
    assert (reply.json["cancelled_by"], reply.json["cancel_reason"]) == ("provider", "Closed that day")
    first = datetime.now(UTC).date()
    raw = provider.http.request(
        "GET",
        f"/appointments/export?from={first}&to={first + timedelta(days=12)}&format=csv",
        headers=provider.headers,
        body=b"",
    )
    assert raw.status_code == 200
    rows = list(csv.DictReader(io.StringIO(raw.body.decode("utf-8")[1:], newline="")))
    assert [(r["id"], r["language"], r["cancelled_by"]) for r in rows] == [(booking_id, "en", "provider")]
