"""Requests on a service that requires approval, through HTTP and the change stream: a pending
booking holds its time, confirm and decline send the client the right .eml and invite, and a
provider booking with notify_client false sends the client nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.files import FileMailer
from chalicelib.config import Settings
from chalicelib.jobs import outbox
from chalicelib.services.shared import SystemClock
from devtools.streams import StreamPoller
from tests.api import Api, booking_body
from tests.mail_files import addressed_to, event_of, plain, read_all
from tests.notify_support import make_jobs

pytestmark = pytest.mark.integration
BASE = "https://book.example.com"


def test_requests_hold_their_time_and_confirm_or_decline_email_the_client(
    http: Any,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
    tmp_path: Path,
) -> None:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE)
    c = bootstrap.build(settings)
    bootstrap.reset(c)
    try:
        mail_dir = tmp_path / "mail"
        jobs = make_jobs(
            settings,
            FileMailer(mail_dir, "bookings@scheduler.localhost"),
            SystemClock(),
            lambda _: None,
            sealer=c.link_sealer,
        )
        poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            fresh_table,
            lambda rs: outbox.handle_records(rs, jobs.outbox),
            "TRIM_HORIZON",
        )
        provider = Api(http, email="ana@example.com")
        visitor = Api(http, anonymous=True)
        service = provider.bookable(requires_approval=True)
        assert service["requires_approval"] is True
        day = datetime.now(UTC).date() + timedelta(days=6)
        paris = ZoneInfo("Europe/Paris")
        at_10 = datetime(day.year, day.month, day.day, 10, tzinfo=paris).isoformat()
        at_14 = datetime(day.year, day.month, day.day, 14, tzinfo=paris).isoformat()
        path = f"/public/{service['slug']}/bookings"
        first = visitor.post(path, booking_body(service["id"], at_10, email="cleo@example.com"))
        assert first.status == 201 and first.json["status"] == "pending", first
        taken = visitor.post(path, booking_body(service["id"], at_10, email="dan@example.com"))
        assert taken.status == 409 and taken.json["error"]["code"] == "taken", "a request holds its time"
        second = visitor.post(path, booking_body(service["id"], at_14, email="eve@example.com"))
        assert second.status == 201, second
        poller.drain()
        messages = read_all(mail_dir)
        assert "Booking request received" in addressed_to(messages, "cleo@example.com")["Subject"]
        assert sum("New booking request" in m["Subject"] for m in messages) == 2

        confirmed = provider.post(f"/appointments/{first.json['id']}/confirm", {})
        assert confirmed.status == 200 and confirmed.json["status"] == "confirmed", confirmed
        declined = provider.post(f"/appointments/{second.json['id']}/decline", {"reason": "Away that day"})
        assert declined.status == 200 and declined.json["status"] == "declined", declined
        again = provider.post(f"/appointments/{first.json['id']}/confirm", {})
        assert again.status == 409 and again.json["error"]["code"] == "not_pending"
        assert provider.post(f"/appointments/{second.json['id']}/decline", {}).json["error"]["code"] == (
            "not_pending"
        )
        freed = visitor.post(path, booking_body(service["id"], at_14, email="dan@example.com"))
        assert freed.status == 201, "a declined request frees its time"
        for f in mail_dir.glob("*.eml"):
            f.unlink()
        poller.drain()
        messages = read_all(mail_dir)
        to_cleo = addressed_to(messages, "cleo@example.com")
        assert "Booking confirmed" in to_cleo["Subject"]
        assert str(event_of(to_cleo)["STATUS"]) == "CONFIRMED"
        to_eve = addressed_to(messages, "eve@example.com")
        assert "Request declined" in to_eve["Subject"] and "Away that day" in plain(to_eve)
        part = next(p for p in to_eve.walk() if p.get_content_type() == "text/calendar")
        assert "METHOD:CANCEL" in str(part.get_content())
        assert not [
            m
            for m in messages
            if m["To"].addresses[0].addr_spec == "ana@example.com" and "declined" in m["Subject"].lower()
        ], "the provider declined it herself"
    finally:
        bootstrap.reset()


def test_a_provider_booking_with_notify_client_false_sends_the_client_nothing(
    http: Any,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
    tmp_path: Path,
) -> None:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE)
    c = bootstrap.build(settings)
    bootstrap.reset(c)
    try:
        mail_dir = tmp_path / "mail"
        jobs = make_jobs(
            settings,
            FileMailer(mail_dir, "bookings@scheduler.localhost"),
            SystemClock(),
            lambda _: None,
            sealer=c.link_sealer,
        )
        poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            fresh_table,
            lambda rs: outbox.handle_records(rs, jobs.outbox),
            "TRIM_HORIZON",
        )
        provider = Api(http, email="ana@example.com")
        service = provider.bookable()
        day = datetime.now(UTC).date() + timedelta(days=6)
        start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Paris")).isoformat()
        body = booking_body(service["id"], start, email="quiet@example.com", notify_client=False)
        booked = provider.post("/appointments", body)
        assert booked.status == 201 and booked.json["notify_client"] is False, booked
        poller.drain()
        addresses = [m["To"].addresses[0].addr_spec for m in read_all(mail_dir)]
        assert addresses == ["ana@example.com"], "the provider's own email only"
    finally:
        bootstrap.reset()
