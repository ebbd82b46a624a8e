"""Requests on a service that requires approval, over HTTP on DynamoDB Local: a pending request
holds its time against another client until the provider declines it; the emails the app's stream
handler (``app.outbox_consumer``, called as Lambda calls it) writes say where, in the text and in
the invite (parsed with icalendar), and tell the client of the confirmation or the decline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from chalicelib import bootstrap
from chalicelib.config import Settings
from devtools.streams import StreamPoller
from tests.api import Api, booking_body
from tests.mail_files import addressed_to, plain, read_all

pytestmark = pytest.mark.functional
PARIS = ZoneInfo("Europe/Paris")
BASE = "https://book.example.com"
ADDRESS = "Rua das Flores 12, 1200-195 Lisboa"


def at(hour: int, days: int = 8) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


def slots_of_day(visitor: Api, service: dict[str, Any], start: str) -> list[str]:
    day = start[:10]
    path = (
        f"/public/{service['slug']}/services/{service['id']}/slots?from={day}&to={day}&timezone=Europe/Paris"
    )
    reply = visitor.get(path)
    assert reply.status == 200, reply
    return [datetime.fromisoformat(s["start"]).isoformat() for s in reply.json["slots"]]


def same(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(UTC).isoformat()


def test_a_request_holds_its_time_against_another_client_until_declined(http: Any) -> None:
    provider = Api(http)
    visitor = Api(http, anonymous=True)
    service = provider.bookable(requires_approval=True)
    path = f"/public/{service['slug']}/bookings"
    ten, two = at(10), at(14)
    first = visitor.post(path, booking_body(service["id"], ten, email="cleo@example.com"))
    assert first.status == 201 and first.json["status"] == "pending", first
    free = [same(s) for s in slots_of_day(visitor, service, ten)]
    assert same(ten) not in free and same(at(11)) in free, "the request's time is not offered"
    other = visitor.post(path, booking_body(service["id"], ten, email="dan@example.com"))
    assert other.status == 409 and other.json["error"]["code"] == "taken", other
    own = provider.post("/appointments", booking_body(service["id"], ten, email="walk.in@example.com"))
    assert own.status == 409 and own.json["error"]["code"] == "taken", "not even the provider's own"

    confirmed = provider.post(f"/appointments/{first.json['id']}/confirm", {})
    assert confirmed.status == 200 and confirmed.json["status"] == "confirmed", confirmed
    again = visitor.post(path, booking_body(service["id"], ten, email="dan@example.com"))
    assert again.status == 409 and again.json["error"]["code"] == "taken"

    second = visitor.post(path, booking_body(service["id"], two, email="eve@example.com"))
    assert second.status == 201 and second.json["status"] == "pending", second
    assert same(two) not in [same(s) for s in slots_of_day(visitor, service, two)]
    declined = provider.post(f"/appointments/{second.json['id']}/decline", {"reason": "Away that day"})
    assert declined.status == 200 and declined.json["status"] == "declined", declined
    assert declined.json["cancel_reason"] == "Away that day"
    assert same(two) in [same(s) for s in slots_of_day(visitor, service, two)], "declined frees the time"
    freed = visitor.post(path, booking_body(service["id"], two, email="dan@example.com"))
    assert freed.status == 201 and freed.json["status"] == "pending", freed
    listed = provider.get(f"/appointments?from={two[:10]}&to={two[:10]}&status=declined")
    assert [a["id"] for a in listed.json["items"]] == [second.json["id"]]


def invite(message: EmailMessage) -> tuple[str, Any]:
    """The invite's METHOD and its one event."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert isinstance(part, EmailMessage)
    calendar = Calendar.from_ical(part.get_content())
    (event,) = calendar.events
    return str(calendar["METHOD"]), event


def test_the_stream_handler_mails_where_and_the_providers_answer_to_the_client(
    http: Any,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
    tmp_path: Path,
) -> None:
    from app import outbox_consumer

    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE, VAR_DIR=str(tmp_path))
    c = bootstrap.build(settings)
    bootstrap.reset(c)

    def as_lambda(records: list[dict[str, Any]]) -> list[str]:
        answer = outbox_consumer({"Records": records}, None)
        return [failure["itemIdentifier"] for failure in answer["batchItemFailures"]]

    try:
        poller = StreamPoller(ddb_client, ddb_endpoint, fresh_table, as_lambda, "TRIM_HORIZON")
        mail_dir = tmp_path / "mail"
        provider = Api(http, email="ana@example.com")
        visitor = Api(http, anonymous=True)
        service = provider.bookable(requires_approval=True, location={"type": "address", "value": ADDRESS})
        path = f"/public/{service['slug']}/bookings"
        first = visitor.post(path, booking_body(service["id"], at(10), email="cleo@example.com"))
        second = visitor.post(path, booking_body(service["id"], at(15), email="eve@example.com"))
        assert first.status == second.status == 201, (first, second)
        poller.drain()
        messages = read_all(mail_dir)
        asked = addressed_to(messages, "cleo@example.com")
        assert "Booking request received" in asked["Subject"]
        assert ADDRESS in plain(asked)
        assert sum("New booking request" in m["Subject"] for m in messages) == 2

        assert provider.post(f"/appointments/{first.json['id']}/confirm", {}).status == 200
        declined = provider.post(f"/appointments/{second.json['id']}/decline", {"reason": "Away that day"})
        assert declined.status == 200, declined
        for done in mail_dir.glob("*.eml"):
            done.unlink()
        poller.drain()
        messages = read_all(mail_dir)
        confirmed = addressed_to(messages, "cleo@example.com")
        assert "Booking confirmed" in confirmed["Subject"]
        assert f"Where: {ADDRESS}" in plain(confirmed)
        method, event = invite(confirmed)
        assert (method, str(event["STATUS"]), str(event["LOCATION"])) == ("REQUEST", "CONFIRMED", ADDRESS)
        assert event.decoded("dtstart") == datetime.fromisoformat(at(10)).astimezone(UTC)
        link = f"{BASE}/book/manage/{first.json['id']}?token={first.json['manage_token']}"
        assert link in str(event["DESCRIPTION"]), "the invite carries the manage link"
        refused = addressed_to(messages, "eve@example.com")
        assert "Request declined" in refused["Subject"] and "Away that day" in plain(refused)
        method, event = invite(refused)
        assert method == "CANCEL" and str(event["LOCATION"]) == ADDRESS
    finally:
        bootstrap.reset()
