"""Public booking and the manage link, through the HTTP app on DynamoDB Local."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

PARIS = ZoneInfo("Europe/Paris")


def day_ahead(days: int = 10) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


def paris(day: date, clock: str) -> str:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).isoformat()


def slots(api: Api, service: dict[str, Any], day: date, zone: str = "Europe/Paris") -> list[str]:
    path = f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}&timezone={zone}"
    reply = api.get(path)
    assert reply.status == 200, reply
    return [slot["start"] for slot in reply.json["slots"]]


@pytest.fixture
def provider(http: Any) -> Api:
    return Api(http)


@pytest.fixture
def visitor(http: Any) -> Api:
    return Api(http, anonymous=True)


def test_a_booked_slot_disappears_and_cannot_be_booked_twice(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    before = slots(visitor, service, day)
    assert len(before) == 16  # 09:00..16:30 every 30 minutes
    created = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, "10:00"))
    )
    assert created.status == 201, created
    assert created.json["status"] == "confirmed"
    assert len(created.json["manage_token"]) >= 22  # at least 128 random bits, url-safe
    assert created.json["start"] == datetime(day.year, day.month, day.day, 10, tzinfo=PARIS).astimezone(
        UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    after = slots(visitor, service, day)
    assert created.json["start"] not in after and len(after) == 15
    again = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], paris(day, "10:00"), "other@example.com"),
    )
    assert again.status == 409
    assert again.json["error"]["code"] == "taken"


def test_buffers_keep_neighbouring_slots_free(provider: Api, visitor: Api) -> None:
    service = provider.bookable(buffer_after_minutes=30)
    day = day_ahead()
    assert (
        visitor.post(
            f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, "10:00"))
        ).status
        == 201
    )
    taken = {paris(day, t) for t in ("09:30", "10:00", "10:30")}
    free = {
        datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(PARIS).isoformat()
        for s in slots(visitor, service, day)
    }
    assert not taken & free
    assert paris(day, "11:00") in free


def test_slots_are_listed_in_the_visitors_zone(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    kolkata = visitor.get(
        f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}&timezone=Asia/Kolkata"
    ).json
    assert kolkata["timezone"] == "Asia/Kolkata"
    for slot in kolkata["slots"]:
        local = datetime.fromisoformat(slot["local_start"])
        assert local.date() == day and local.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("from=2027-01-01&to=2027-03-01", 422),
        ("from=2027-01-02&to=2027-01-01", 422),
        ("from=yesterday&to=2027-01-01", 422),
        ("from=2027-01-01&to=2027-01-02&timezone=Mars/Olympus", 422),
        ("to=2027-01-02", 422),
        ("from=2027-01-01&to=2027-01-02&extra=1", 422),
    ],
)
def test_bad_slot_queries_are_rejected(provider: Api, visitor: Api, query: str, status: int) -> None:
    service = provider.bookable()
    reply = visitor.get(f"/public/{service['slug']}/services/{service['id']}/slots?{query}")
    assert reply.status == status, reply
    assert reply.json["error"]["details"]


def test_hidden_or_unknown_services_are_404_publicly(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    hidden = provider.service("Hidden", visible=False)
    day = day_ahead()
    for service_id in (hidden["id"], "01J9Z8Q4W2M7X3K5N6P8R0T2V4", "nope"):
        reply = visitor.get(f"/public/{service['slug']}/services/{service_id}/slots?from={day}&to={day}")
        assert reply.status == 404
        booked = visitor.post(
            f"/public/{service['slug']}/bookings", booking_body(service_id, paris(day, "10:00"))
        )
        assert booked.status in (404, 422)
    assert (
        visitor.get(f"/public/no-such-page/services/{service['id']}/slots?from={day}&to={day}").status == 404
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2027-05-01T10:00:00"}, "start"),
        ({"timezone": "Nowhere/City"}, "timezone"),
        ({"client": {"name": "", "email": "x@example.com"}}, "client.name"),
        ({"client": {"name": "X", "email": "not-an-email"}}, "client.email"),
        ({"client": {"name": "X", "email": "x@example.com", "phone": "call me"}}, "client.phone"),
        ({"notes": "n" * 1001}, "notes"),
        ({"id": "mine"}, "id"),
    ],
)
def test_bad_bookings_are_422_with_the_field(
    provider: Api, visitor: Api, change: dict[str, Any], field: str
) -> None:
    service = provider.bookable()
    body = {**booking_body(service["id"], paris(day_ahead(), "10:00")), **change}
    reply = visitor.post(f"/public/{service['slug']}/bookings", body)
    assert reply.status == 422, reply
    assert field in reply.error_fields()


def test_a_start_off_the_slot_grid_or_outside_hours_is_409(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    for clock in ("10:10", "08:00", "16:45"):
        reply = visitor.post(
            f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, clock))
        )
        assert reply.status == 409, (clock, reply)


def test_the_manage_link_views_cancels_and_frees_the_slot(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    created = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, "11:00"))
    )
    booking_id, token = created.json["id"], created.json["manage_token"]
    view = visitor.get(f"/public/bookings/{booking_id}?token={token}")
    assert view.status == 200
    assert view.json["can_change"] is True and view.json["manage_token"] is None
    assert view.json["local_start"].startswith(f"{day}T10:00")  # shown in the client's zone (London)
    wrong = visitor.get(f"/public/bookings/{booking_id}?token=x{token}")
    missing = visitor.get(f"/public/bookings/01J9Z8Q4W2M7X3K5N6P8R0T2V4?token={token}")
    assert wrong.status == missing.status == 404
    assert wrong.json == missing.json, "a wrong token reveals nothing about the booking"
    assert (
        visitor.post(f"/public/bookings/{booking_id}/cancel", {"token": "bad", "reason": "x"}).status == 404
    )
    cancelled = visitor.post(f"/public/bookings/{booking_id}/cancel", {"token": token, "reason": "Sick"})
    assert cancelled.status == 200 and cancelled.json["status"] == "cancelled"
    assert created.json["start"] in slots(visitor, service, day)
    again = visitor.post(f"/public/bookings/{booking_id}/cancel", {"token": token})
    assert again.status == 409


def test_the_manage_link_reschedules_and_frees_the_old_time(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    created = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, "11:00"))
    )
    booking_id, token = created.json["id"], created.json["manage_token"]
    moved = visitor.post(
        f"/public/bookings/{booking_id}/reschedule", {"token": token, "start": paris(day, "14:00")}
    )
    assert moved.status == 200, moved
    free = slots(visitor, service, day)
    assert created.json["start"] in free
    assert moved.json["start"] not in free
    blocked = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day, "14:00"))
    )
    assert blocked.status == 409


def test_changes_inside_the_cancellation_notice_are_409(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    no_grace = {"cancellation_notice_minutes": 43200, "change_grace_minutes": 0}
    assert provider.patch("/me", no_grace).status == 200
    created = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day_ahead(), "11:00"))
    )
    booking_id, token = created.json["id"], created.json["manage_token"]
    assert visitor.get(f"/public/bookings/{booking_id}?token={token}").json["can_change"] is False
    reply = visitor.post(f"/public/bookings/{booking_id}/cancel", {"token": token})
    assert reply.status == 409 and reply.json["error"]["code"] == "too_late_to_change"
    assert provider.post(f"/appointments/{booking_id}/cancel", {"reason": "provider may"}).status == 200


def test_a_booking_made_inside_the_notice_may_be_changed_during_the_grace_minutes(
    provider: Api, visitor: Api
) -> None:
    service = provider.bookable()
    assert provider.patch("/me", {"cancellation_notice_minutes": 43200}).json["change_grace_minutes"] == 10
    page = visitor.get(f"/public/{service['slug']}").json
    assert (page["cancellation_notice_minutes"], page["change_grace_minutes"]) == (43200, 10)
    created = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day_ahead(), "11:00"))
    )
    booking_id, token = created.json["id"], created.json["manage_token"]
    view = visitor.get(f"/public/bookings/{booking_id}?token={token}").json
    booked = datetime.fromisoformat(provider.get(f"/appointments/{booking_id}").json["created_at"])
    assert view["can_change"] is True
    assert datetime.fromisoformat(view["change_deadline"]) == booked + timedelta(minutes=10)
    assert view["provider_email"] == provider.get("/me").json["email"]
    moved = visitor.post(
        f"/public/bookings/{booking_id}/reschedule", {"token": token, "start": paris(day_ahead(), "14:00")}
    )
    assert moved.status == 200, moved


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"approval_expires_hours": 0}, "approval_expires_hours"),
        ({"approval_expires_hours": 721}, "approval_expires_hours"),
        ({"approval_expires_hours": 1.5}, "approval_expires_hours"),
        ({"change_grace_minutes": 61}, "change_grace_minutes"),
        ({"change_grace_minutes": -1}, "change_grace_minutes"),
        ({"change_grace_minutes": None}, "change_grace_minutes"),
    ],
)
def test_the_request_expiry_and_the_grace_are_bounded(
    provider: Api, body: dict[str, Any], field: str
) -> None:
    reply = provider.patch("/me", body)
    assert reply.status == 422 and field in reply.error_fields(), reply


def test_the_request_expiry_is_set_and_cleared_with_null(provider: Api) -> None:
    assert provider.get("/me").json["approval_expires_hours"] is None
    assert provider.patch("/me", {"approval_expires_hours": 720}).json["approval_expires_hours"] == 720
    assert provider.get("/me").json["approval_expires_hours"] == 720
    assert provider.patch("/me", {"approval_expires_hours": None}).json["approval_expires_hours"] is None
    assert provider.get("/me").json["approval_expires_hours"] is None
    assert provider.patch("/me", {"change_grace_minutes": 0}).json["change_grace_minutes"] == 0


def test_the_same_idempotency_key_ten_times_books_once(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    body = booking_body(service["id"], paris(day_ahead(), "12:00"))
    visitor.headers["Idempotency-Key"] = "retry-abc-123"
    replies = [visitor.post(f"/public/{service['slug']}/bookings", body) for _ in range(10)]
    assert {r.status for r in replies} == {201}
    assert all(r.json == replies[0].json for r in replies), "a replay returns the first answer"
    listed = provider.get("/appointments").json["items"]
    assert len(listed) == 1
    other = visitor.post(f"/public/{service['slug']}/bookings", {**body, "notes": "different"})
    assert other.status == 422
    assert other.error_fields() == {"Idempotency-Key"}


def test_a_malformed_idempotency_key_is_400(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    visitor.headers["Idempotency-Key"] = "has spaces"
    reply = visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], paris(day_ahead(), "12:00"))
    )
    assert reply.status == 400


def test_bookings_by_the_same_email_share_one_client(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    first = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], paris(day, "09:00"), "Same@Example.com"),
    )
    second = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], paris(day, "13:00"), "same@example.COM"),
    )
    assert first.status == second.status == 201
    items = provider.get("/appointments").json["items"]
    assert len({a["client"]["id"] for a in items}) == 1


def test_a_booking_with_a_known_email_keeps_the_stored_client_as_it_is(provider: Api, visitor: Api) -> None:
    service = provider.bookable()
    day = day_ahead()
    first = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], paris(day, "09:00"), "kept@example.com"),
    )
    client_id = provider.get(f"/appointments/{first.json['id']}").json["client"]["id"]
    before = provider.get(f"/clients/{client_id}").json
    stranger = {"name": "Mallory Stranger", "email": "KEPT@example.com", "phone": "+1 555 0100"}
    body = {**booking_body(service["id"], paris(day, "13:00")), "client": stranger, "timezone": "Asia/Tokyo"}
    second = visitor.post(f"/public/{service['slug']}/bookings", body)
    assert second.status == 201
    after = provider.get(f"/clients/{client_id}").json
    for field in ("name", "email", "phone", "timezone"):
        assert after[field] == before[field], field
    appointment = provider.get(f"/appointments/{second.json['id']}").json
    assert appointment["client"]["id"] == client_id
    assert appointment["contact"] == {
        "name": "Mallory Stranger",
        "email": "kept@example.com",
        "phone": "+1 555 0100",
    }
    assert appointment["client_timezone"] == "Asia/Tokyo"


@pytest.mark.parametrize(
    "path",
    [
        "/public/{slug}/services/" + "x" * 2000 + "/slots?from=2027-01-01&to=2027-01-02",
        "/public/" + "s" * 2000 + "/services/01J9Z8Q4W2M7X3K5N6P8R0T2V4/slots?from=2027-01-01&to=2027-01-02",
        "/public/bookings/" + "b" * 2000 + "?token=x",
        "/public/bookings/not-an-id?token=x",
        "/public/Bad_Slug/services/01J9Z8Q4W2M7X3K5N6P8R0T2V4/slots?from=2027-01-01&to=2027-01-02",
    ],
)
def test_malformed_path_ids_are_404_not_500(provider: Api, visitor: Api, path: str) -> None:
    service = provider.bookable()
    reply = visitor.get(path.format(slug=service["slug"]))
    assert reply.status == 404, reply
    assert reply.json["error"]["code"] == "not_found"


def test_malformed_appointment_ids_are_404_for_the_provider(provider: Api) -> None:
    for bad in ("nope", "z" * 3000):
        assert provider.get(f"/appointments/{bad}").status == 404
        assert provider.post(f"/appointments/{bad}/cancel", {}).status == 404
