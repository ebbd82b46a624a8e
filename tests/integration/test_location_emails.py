"""A booking through HTTP of a service with a place and questions: the .eml files the local stage
writes say where (a phone number to the booked client too), the .ics has LOCATION and DESCRIPTION,
and the provider's email lists the answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
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


def test_the_emails_and_invites_of_a_booking_say_where_and_the_providers_lists_the_answers(
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
        questions = [
            {"key": "health", "label": "Anything we should know?", "type": "long_text", "required": True},
            {"key": "consent", "label": "I accept the studio rules", "type": "checkbox", "required": True},
        ]
        service = provider.bookable(
            location={"type": "phone", "value": "+351 912 345 678"}, questions=questions
        )
        page = Api(http, anonymous=True).get(f"/public/{service['slug']}").text
        assert "912 345 678" not in page, "not before booking"
        day = datetime.now(UTC).date() + timedelta(days=6)
        start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Paris"))
        answers = {"health": "Sore lower back", "consent": True}
        body = booking_body(service["id"], start.isoformat(), email="cleo@example.com", answers=answers)
        booked = Api(http, anonymous=True).post(f"/public/{service['slug']}/bookings", body)
        assert booked.status == 201, booked
        poller.drain()

        messages = read_all(mail_dir)
        to_client = addressed_to(messages, "cleo@example.com")
        assert "Where: By phone: +351 912 345 678" in plain(to_client)
        assert "Sore lower back" not in plain(to_client), "the answers are the provider's"
        event = event_of(to_client)
        assert str(event["LOCATION"]) == "+351 912 345 678"
        description = str(event["DESCRIPTION"])
        link = f"{BASE}/book/manage/{booked.json['id']}?token={booked.json['manage_token']}"
        assert f"Change or cancel: {link}" in description, "the client's invite has the working link"
        assert event.decoded("dtstart") == start.astimezone(UTC)

        to_provider = addressed_to(messages, "ana@example.com")
        text = plain(to_provider)
        assert "Where: By phone: +351 912 345 678" in text
        assert "Anything we should know?: Sore lower back" in text
        assert "I accept the studio rules: Yes" in text
        assert "Phone: +33 1 23 45 67 89" in text, "how to reach the client"
        assert str(event_of(to_provider)["LOCATION"]) == "+351 912 345 678"
        assert "Client: Cleo Client <cleo@example.com>" in str(event_of(to_provider)["DESCRIPTION"])
        parts = [p for p in to_provider.walk() if p.get_content_maintype() == "text"]
        provider_copy = "".join(str(p.get_content()) for p in parts if isinstance(p, EmailMessage))
        assert "Cleo Client" in provider_copy and len(parts) >= 2  # text, html and invite, decoded
        assert booked.json["manage_token"] not in provider_copy, "never in the provider's email or invite"
    finally:
        bootstrap.reset()
