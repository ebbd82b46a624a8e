"""A provider's side of appointments: list, book for a client, cancel, reschedule, outcome."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def local(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).isoformat()


def soon(days: int = 5) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.fixture
def provider(http: Any) -> Api:
    return Api(http)


def test_provider_books_lists_and_filters(provider: Api) -> None:
    service = provider.bookable("America/New_York")
    hidden = provider.service("Private", visible=False, duration_minutes=60)
    day = soon()
    first = provider.post(
        "/appointments", booking_body(service["id"], local(day, 9, NEW_YORK), "a@example.com")
    )
    second = provider.post(
        "/appointments", booking_body(hidden["id"], local(day, 13, NEW_YORK), "b@example.com")
    )
    assert first.status == second.status == 201, (first, second)
    assert second.json["source"] == "provider"
    assert second.json["local_start"] == local(day, 13, NEW_YORK)
    everything = provider.get("/appointments").json["items"]
    assert [a["id"] for a in everything] == [first.json["id"], second.json["id"]]
    by_client = provider.get(f"/appointments?client_id={first.json['client']['id']}").json["items"]
    assert [a["id"] for a in by_client] == [first.json["id"]]
    assert provider.post(f"/appointments/{first.json['id']}/cancel", {"reason": "ill"}).status == 200
    cancelled = provider.get("/appointments?status=cancelled").json["items"]
    assert [a["id"] for a in cancelled] == [first.json["id"]]
    assert cancelled[0]["cancel_reason"] == "ill"
    next_day = provider.get(f"/appointments?from={day + timedelta(days=1)}").json["items"]
    assert next_day == []


def test_lists_page_with_an_opaque_cursor(provider: Api) -> None:
    service = provider.bookable()
    day = soon()
    for hour in (9, 10, 11):
        start = local(day, hour, ZoneInfo("Europe/Paris"))
        assert provider.post("/appointments", booking_body(service["id"], start)).status == 201
    page = provider.get("/appointments?limit=2").json
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = provider.get(f"/appointments?limit=2&cursor={page['next_cursor']}").json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert provider.get("/appointments?cursor=garbage").status == 400
    other = Api(provider.http)
    assert other.get(f"/appointments?limit=2&cursor={page['next_cursor']}").status == 400


def test_only_sensible_status_changes_are_allowed(provider: Api) -> None:
    service = provider.bookable()
    created = provider.post(
        "/appointments", booking_body(service["id"], local(soon(), 10, ZoneInfo("Europe/Paris")))
    )
    appointment_id = created.json["id"]
    early = provider.patch(f"/appointments/{appointment_id}", {"status": "completed"})
    assert early.status == 409, "an appointment that has not begun cannot be completed"
    notes = provider.patch(f"/appointments/{appointment_id}", {"notes": "Bring the forms"})
    assert notes.status == 200 and notes.json["provider_notes"] == "Bring the forms"
    assert provider.post(f"/appointments/{appointment_id}/cancel", {}).status == 200
    for change in ({"status": "completed"}, {"status": "no_show"}):
        reply = provider.patch(f"/appointments/{appointment_id}", change)
        assert reply.status == 409 and reply.json["error"]["code"] == "invalid_transition"
    moved = provider.post(f"/appointments/{appointment_id}/reschedule", {"start": created.json["start"]})
    assert moved.status == 409
    assert provider.patch(f"/appointments/{appointment_id}", {"status": "cancelled"}).status == 422


def test_reschedule_frees_the_old_time_and_raises_the_sequence(provider: Api) -> None:
    service = provider.bookable()
    day = soon()
    paris = ZoneInfo("Europe/Paris")
    created = provider.post("/appointments", booking_body(service["id"], local(day, 10, paris))).json
    moved = provider.post(f"/appointments/{created['id']}/reschedule", {"start": local(day, 15, paris)})
    assert moved.status == 200
    assert moved.json["sequence"] == created["sequence"] + 1
    again = provider.post(
        "/appointments", booking_body(service["id"], local(day, 10, paris), "x@example.com")
    )
    assert again.status == 201, "the old time is free again"
    clash = provider.post(f"/appointments/{again.json['id']}/reschedule", {"start": local(day, 15, paris)})
    assert clash.status == 409


@pytest.mark.parametrize(
    ("zone", "change_days"),
    [
        (NEW_YORK, (date(2027, 3, 14), date(2027, 11, 7))),
        (LONDON, (date(2027, 3, 28), date(2027, 10, 31))),
    ],
)
def test_first_slot_is_nine_local_on_both_2027_change_days(
    provider: Api, zone: ZoneInfo, change_days: tuple[date, date]
) -> None:
    service = provider.bookable(str(zone))
    assert provider.patch("/me", {"max_advance_days": 730}).status == 200
    visitor = Api(provider.http, anonymous=True)
    for day in change_days:
        path = f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}"
        found = visitor.get(path).json["slots"]
        first = datetime.fromisoformat(found[0]["start"].replace("Z", "+00:00")).astimezone(zone)
        last = datetime.fromisoformat(found[-1]["start"].replace("Z", "+00:00")).astimezone(zone)
        assert (first.date(), first.hour, first.minute) == (day, 9, 0)
        assert (last.hour, last.minute) == (16, 30)
        assert len(found) == 16


def test_a_kolkata_visitor_gets_the_instants_of_that_date_in_kolkata(provider: Api) -> None:
    service = provider.bookable("America/New_York", hours=("00:00", "24:00"))
    assert provider.patch("/me", {"max_advance_days": 730}).status == 200
    visitor = Api(provider.http, anonymous=True)
    day = date(2027, 3, 14)
    path = (
        f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}&timezone=Asia/Kolkata"
    )
    found = visitor.get(path).json["slots"]
    kolkata = ZoneInfo("Asia/Kolkata")
    starts = [datetime.fromisoformat(s["start"].replace("Z", "+00:00")) for s in found]
    assert starts[0] == datetime(2027, 3, 14, 0, 0, tzinfo=kolkata)
    assert starts[-1] == datetime(2027, 3, 14, 23, 30, tzinfo=kolkata)
    assert all(s.astimezone(kolkata).date() == day for s in starts)
    assert len(starts) == 48


@pytest.mark.parametrize(
    "query",
    [
        "from=9999-12-31",
        "from=0001-01-01T00:00:00%2B05:00",
        "from=2030-01-02&to=2030-01-01",
        "to=nonsense",
    ],
)
def test_out_of_range_or_reversed_appointment_ranges_are_422(provider: Api, query: str) -> None:
    reply = provider.get(f"/appointments?{query}")
    assert reply.status == 422, reply


def test_a_date_as_to_includes_that_whole_day(provider: Api) -> None:
    service = provider.bookable()
    day = soon()
    created = provider.post(
        "/appointments", booking_body(service["id"], local(day, 15, ZoneInfo("Europe/Paris")))
    )
    listed = provider.get(f"/appointments?from={day}&to={day}").json["items"]
    assert [a["id"] for a in listed] == [created.json["id"]]


def test_far_past_or_future_starts_are_422_not_500(provider: Api) -> None:
    service = provider.bookable()
    visitor = Api(provider.http, anonymous=True)
    for start in ("9999-12-31T10:00:00Z", "0001-01-01T00:30:00+01:00"):
        reply = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], start))
        assert reply.status == 422 and reply.error_fields() == {"start"}, reply
    for day in ("9999-12-31", "0001-01-01"):
        path = f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}"
        assert visitor.get(path).status == 422


def test_a_cancelled_booking_cannot_be_changed_through_its_link(provider: Api) -> None:
    service = provider.bookable()
    visitor = Api(provider.http, anonymous=True)
    start = local(soon(), 11, ZoneInfo("Europe/Paris"))
    made = visitor.post(f"/public/{service['slug']}/bookings", booking_body(service["id"], start)).json
    path = f"/public/bookings/{made['id']}"
    assert visitor.post(f"{path}/cancel", {"token": made["manage_token"]}).status == 200
    for action, body in (("cancel", {}), ("reschedule", {"start": start})):
        reply = visitor.post(f"{path}/{action}", {"token": made["manage_token"], **body})
        assert reply.status == 409 and reply.json["error"]["code"] == "invalid_transition", reply


def test_every_appointment_answered_carries_its_clients_name_and_email_as_the_record_holds_them(
    provider: Api,
) -> None:
    service = provider.bookable("Europe/London")
    day = soon()
    by_email = provider.post(
        "/appointments", booking_body(service["id"], local(day, 9, LONDON), "ana@example.com")
    )
    phone_only = {"name": "Bea Phone", "phone": "+44 20 7946 0000"}
    body = {**booking_body(service["id"], local(day, 11, LONDON)), "client": phone_only}
    by_phone = provider.post("/appointments", body)
    assert by_email.status == by_phone.status == 201, (by_email, by_phone)
    assert (by_email.json["client_name"], by_email.json["client_email"]) == ("Cleo Client", "ana@example.com")
    assert (by_phone.json["client_name"], by_phone.json["client_email"]) == ("Bea Phone", None)

    ana = by_email.json["client"]["id"]
    assert provider.patch(f"/clients/{ana}", {"name": "Ana Renamed"}).status == 200
    listed = {a["id"]: a for a in provider.get("/appointments").json["items"]}
    assert (listed[by_email.json["id"]]["client_name"], listed[by_email.json["id"]]["client_email"]) == (
        "Ana Renamed",
        "ana@example.com",
    ), "the record as it is now, not as it was at booking"
    assert listed[by_phone.json["id"]]["client_email"] is None
    one = provider.get(f"/appointments/{by_email.json['id']}").json
    assert one["client_name"] == "Ana Renamed"

    assert provider.delete(f"/clients/{ana}?cancel_upcoming=true").status == 204
    erased = provider.get(f"/appointments/{by_email.json['id']}").json
    assert (erased["status"], erased["client_name"], erased["client_email"]) == ("cancelled", None, None)
    assert provider.get("/appointments?status=cancelled").json["items"][0]["client_name"] is None
