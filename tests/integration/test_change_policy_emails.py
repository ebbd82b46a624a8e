"""The cancellation policy in the confirmation .eml, through HTTP and the change stream: stated for
a booking made ahead of the window; for one made inside it, that it cannot be changed online and
how to reach the provider, with no "Cancel or reschedule" link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
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
from tests.notify_support import make_jobs

pytestmark = pytest.mark.integration


def client_text(mail: Path, address: str) -> str:
    for path in sorted(mail.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        if message["To"].addresses[0].addr_spec == address:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            return str(body.get_content()).replace("\r\n", "\n")
    raise AssertionError(f"no email to {address}")


def test_the_confirmation_states_the_policy_or_says_plainly_it_cannot_be_changed_online(
    http: Any,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
    tmp_path: Path,
) -> None:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL="https://book.example.com")
    c = bootstrap.build(settings)
    bootstrap.reset(c)
    try:
        mail = tmp_path / "mail"
        mailer = FileMailer(mail, "bookings@scheduler.localhost")
        jobs = make_jobs(settings, mailer, SystemClock(), lambda _: None, sealer=c.link_sealer)
        poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            fresh_table,
            lambda rs: outbox.handle_records(rs, jobs.outbox),
            "TRIM_HORIZON",
        )
        provider, visitor = Api(http, email="ana@example.com"), Api(http, anonymous=True)
        service = provider.bookable()
        day = datetime.now(UTC).date() + timedelta(days=6)
        paris = ZoneInfo("Europe/Paris")
        path = f"/public/{service['slug']}/bookings"
        at_10 = datetime(day.year, day.month, day.day, 10, tzinfo=paris).isoformat()
        assert visitor.post(path, booking_body(service["id"], at_10, email="early@example.com")).status == 201
        poller.drain()
        early = client_text(mail, "early@example.com")
        assert "Free cancellation or rescheduling up to 24 hours before the start." in early
        assert "Cancel or reschedule:\nhttps://book.example.com/book/manage/" in early

        week = provider.patch("/me", {"cancellation_notice_minutes": 7 * 24 * 60, "change_grace_minutes": 0})
        assert week.status == 200 and week.json["change_grace_minutes"] == 0, week
        at_14 = datetime(day.year, day.month, day.day, 14, tzinfo=paris).isoformat()
        assert visitor.post(path, booking_body(service["id"], at_14, email="late@example.com")).status == 201
        poller.drain()
        late = client_text(mail, "late@example.com")
        assert (
            "It is less than 7 days before the start, so this booking cannot be cancelled or changed online."
            in late
        )
        assert "To change or cancel it, contact " in late and "ana@example.com" in late
        assert "Cancel or reschedule" not in late
        assert "View your booking:\nhttps://book.example.com/book/manage/" in late
    finally:
        bootstrap.reset()
