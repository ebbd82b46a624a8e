"""The real booking path feeds the notifications: book, move and cancel -> emails with a working link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.config import Settings
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity
from chalicelib.jobs import outbox
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import SystemClock
from devtools.streams import StreamPoller
from tests.notify_support import RecordingMailer, invite_events, make_jobs, parse, text_of

pytestmark = pytest.mark.integration

BASE = "https://book.example.com"


def test_booking_moving_and_cancelling_send_emails_whose_link_opens_the_booking(
    ddb_client: Any, ddb_endpoint: str, settings_for: Callable[..., Settings], fresh_table: str
) -> None:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE)
    c = bootstrap.build(settings)
    bootstrap.reset(c)
    try:
        mailer = RecordingMailer()
        jobs = make_jobs(settings, mailer, SystemClock(), lambda _: None, sealer=c.link_sealer)
        poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            fresh_table,
            lambda rs: outbox.handle_records(rs, jobs.outbox),
            "TRIM_HORIZON",
        )
        identity = Identity(new_id(), "owner@example.com", "Owner", "id")
        provider = get_or_create_me(identity, c.repo, c.clock)
        policy = {"min_notice_minutes": 0, "timezone": "America/New_York"}
        c.repo.update_profile(provider, policy, c.clock.stamp())
        c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "09:00", "17:00") for d in WEEKDAYS], "x")
        service = Service(new_id(), provider.id, "Consult", 60, Decimal("90.00"), "USD")
        c.repo.add_service(service)
        day = datetime.now(UTC).date() + timedelta(days=5)
        start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("America/New_York"))
        request = booking.BookingRequest(
            service.id, start, ClientDetails("Ada Guest", "ada@example.com"), "Europe/London"
        )
        booked = booking.book(provider.id, request, c.repo, c.clock, c.ids, c.link_sealer)
        poller.drain()

        to_client = mailer.to("ada@example.com")
        assert len(to_client) == 1 and len(mailer.to("owner@example.com")) == 1
        link = re.search(rf"{re.escape(BASE)}/book/manage/\S+", text_of(to_client[0]))
        assert link is not None
        url = urlparse(link.group(0))
        token = parse_qs(url.query)["token"][0]
        assert token == booked.manage_token
        opened = booking.appointment_by_token(url.path.rsplit("/", 1)[1], Actor.client(token), c.repo)
        assert opened.id == booked.appointment.id
        (event,) = invite_events(parse(to_client[0]))
        assert event.decoded("dtstart") == booked.appointment.start

        by, rules = Actor.provider(provider.id), provider.policy
        moved = appointment_changes.reschedule(opened, start + timedelta(hours=3), by, rules, c.repo, c.clock)
        appointment_changes.cancel(moved, "Closed", by, rules, c.repo, c.clock)
        poller.drain()
        subjects = [m.subject for m in mailer.to("ada@example.com")]
        assert len(subjects) == 3, subjects
        assert len(mailer.to("owner@example.com")) == 3
    finally:
        bootstrap.reset()
