"""A provider who turns the proof of work on gets bookings only with a solved, unused challenge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.booking.challenge import Challenge, solve
from tests.api import Api, booking_body

pytestmark = pytest.mark.functional


def start_at(hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=12)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Paris")).isoformat()


def proof(visitor: Api, slug: str) -> dict[str, Any]:
    reply = visitor.get(f"/public/{slug}/challenge")
    assert reply.status == 200
    made = Challenge(**reply.json)
    return {**reply.json, "number": solve(made)}


def body_with(service: dict[str, Any], hour: int, solved: dict[str, Any] | None) -> dict[str, Any]:
    body = booking_body(service["id"], start_at(hour))
    if solved is not None:
        body["proof"] = {k: v for k, v in solved.items() if k != "maxnumber"}
    return body


def test_bookings_need_a_solved_challenge_once_the_provider_asks(http: Any) -> None:
    provider, visitor = Api(http), Api(http, anonymous=True)
    service = provider.bookable()
    slug = service["slug"]
    assert visitor.get(f"/public/{slug}").json["challenge_required"] is False
    assert visitor.post(f"/public/{slug}/bookings", body_with(service, 9, None)).status == 201

    assert provider.patch("/me", {"booking_challenge": True}).json["booking_challenge"] is True
    assert visitor.get(f"/public/{slug}").json["challenge_required"] is True
    missing = visitor.post(f"/public/{slug}/bookings", body_with(service, 10, None))
    assert missing.status == 422
    assert missing.json["error"]["details"] == [
        {"field": "proof", "code": "required", "message": missing.json["error"]["details"][0]["message"]}
    ]
    solved = proof(visitor, slug)
    assert visitor.post(f"/public/{slug}/bookings", body_with(service, 11, solved)).status == 201
    reused = visitor.post(f"/public/{slug}/bookings", body_with(service, 12, solved))
    assert (reused.status, reused.json["error"]["details"][0]["code"]) == (422, "used")
    wrong = {**proof(visitor, slug), "number": 50_001}
    refused = visitor.post(f"/public/{slug}/bookings", body_with(service, 13, wrong))
    assert (refused.status, refused.json["error"]["details"][0]["code"]) == (422, "invalid")


def test_a_taken_slot_does_not_use_up_the_proof(http: Any) -> None:
    provider, visitor = Api(http), Api(http, anonymous=True)
    service = provider.bookable()
    provider.patch("/me", {"booking_challenge": True})
    slug = service["slug"]
    first = proof(visitor, slug)
    assert visitor.post(f"/public/{slug}/bookings", body_with(service, 9, first)).status == 201
    second = proof(visitor, slug)
    assert visitor.post(f"/public/{slug}/bookings", body_with(service, 9, second)).status == 409
    assert visitor.post(f"/public/{slug}/bookings", body_with(service, 10, second)).status == 201


def test_the_challenge_of_an_unknown_page_is_404(http: Any) -> None:
    assert Api(http, anonymous=True).get("/public/no-such-page-x/challenge").status == 404
