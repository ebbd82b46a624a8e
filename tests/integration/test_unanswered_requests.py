"""Requests nobody answers, on DynamoDB Local through HTTP, the change stream and the sweep: the
sweep declines each at its answer_by with the declined .eml to client and provider, and when
sweeps and the provider's confirm meet, exactly one of them wins for each request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.booking_store import DynamoBookings
from chalicelib.adapters.files import FileMailer
from chalicelib.config import Settings
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import CONFIRMED, DECLINED, NotPendingError, parse_z
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.jobs import outbox
from chalicelib.services.booking import approval
from chalicelib.services.notifications.reminders import SweepReport
from devtools.streams import StreamPoller
from tests.api import Api, booking_body
from tests.mail_files import all_to, plain, read_all
from tests.notify_support import FixedClock, Jobs, make_jobs

pytestmark = pytest.mark.integration
BASE = "https://book.example.com"
PARIS = ZoneInfo("Europe/Paris")


def at(days: int, hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


class Stack:
    """The app's HTTP routes, and the stream consumer and sweep on a clock the test moves."""

    def __init__(self, http: Any, ddb_client: Any, ddb_endpoint: str, settings: Settings, mail: Path) -> None:
        self.container = bootstrap.build(settings)
        bootstrap.reset(self.container)
        self.clock = FixedClock(datetime.now(UTC))
        self.mail = mail
        self.jobs: Jobs = make_jobs(
            settings,
            FileMailer(mail, "bookings@scheduler.localhost"),
            self.clock,
            lambda _: None,
            sealer=self.container.link_sealer,
        )
        self.poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            settings.table_name,
            lambda rs: outbox.handle_records(rs, self.jobs.outbox),
            "TRIM_HORIZON",
        )
        self.provider = Api(http, email="ana@example.com")
        self.visitor = Api(http, anonymous=True)


@pytest.fixture
def stack(
    http: Any,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
    tmp_path: Path,
) -> Any:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE)
    built = Stack(http, ddb_client, ddb_endpoint, settings, tmp_path / "mail")
    yield built
    bootstrap.reset()


def test_an_unanswered_request_is_declined_after_approval_expires_hours_with_both_emails(
    stack: Stack,
) -> None:
    service = stack.provider.bookable(requires_approval=True)
    me = stack.provider.patch("/me", {"approval_expires_hours": 2})
    assert me.status == 200 and me.json["approval_expires_hours"] == 2, me
    assert stack.provider.get("/me").json["change_grace_minutes"] == 10
    path = f"/public/{service['slug']}/bookings"
    made = stack.visitor.post(path, booking_body(service["id"], at(6, 10), email="cleo@example.com"))
    assert made.status == 201 and made.json["status"] == "pending", made
    appointment = stack.provider.get(f"/appointments/{made.json['id']}").json
    requested = parse_z(appointment["created_at"])
    assert parse_z(appointment["answer_by"]) == requested + timedelta(hours=2)
    stack.poller.drain()
    assert stack.jobs.sweep.run().declined == 0, "not yet"
    for f in stack.mail.glob("*.eml"):
        f.unlink()

    stack.clock.current = requested + timedelta(hours=2, minutes=1)
    assert stack.jobs.sweep.run().declined == 1
    assert stack.jobs.sweep.run().declined == 0, "once"
    declined = stack.provider.get(f"/appointments/{made.json['id']}").json
    assert declined["status"] == "declined" and declined["auto_declined"] is True, declined
    assert declined["answer_by"] is None
    stack.poller.drain()
    messages = read_all(stack.mail)
    [to_client] = all_to(messages, "cleo@example.com")
    assert "Request declined" in to_client["Subject"]
    part = next(p for p in to_client.walk() if p.get_content_type() == "text/calendar")
    assert "METHOD:CANCEL" in str(part.get_content())
    [to_provider] = all_to(messages, "ana@example.com")
    assert "was not answered in time" in plain(to_provider)
    again = stack.visitor.post(path, booking_body(service["id"], at(6, 10), email="dan@example.com"))
    assert again.status == 201, "the time is free again"


def test_a_request_is_declined_when_it_would_start_within_the_services_notice(stack: Stack) -> None:
    service = stack.provider.bookable(requires_approval=True)
    own = stack.provider.patch(f"/services/{service['id']}", {"min_notice_minutes": 24 * 60})
    assert own.status == 200, own
    made = stack.visitor.post(
        f"/public/{service['slug']}/bookings", booking_body(service["id"], at(3, 11), email="eve@example.com")
    )
    assert made.status == 201, made
    start = parse_z(made.json["start"])
    answer_by = parse_z(stack.provider.get(f"/appointments/{made.json['id']}").json["answer_by"])
    assert answer_by == start - timedelta(hours=24)
    stack.poller.drain()
    stack.clock.current = answer_by - timedelta(minutes=1)
    assert stack.jobs.sweep.run().declined == 0
    stack.clock.current = answer_by
    assert stack.jobs.sweep.run().declined == 1


def test_sweeps_and_the_providers_confirm_at_once_never_both_win(stack: Stack) -> None:
    service = stack.provider.bookable(requires_approval=True)
    assert stack.provider.patch("/me", {"approval_expires_hours": 1}).status == 200
    path = f"/public/{service['slug']}/bookings"
    ids = []
    for n in range(8):
        body = booking_body(service["id"], at(5, 9 + n), email=f"client{n}@example.com")
        made = stack.visitor.post(path, body)
        assert made.status == 201, made
        ids.append(made.json["id"])
    provider_id = stack.provider.get("/me").json["id"]
    stack.poller.drain()
    repo = DynamoBookings()
    deadlines = []
    for appointment_id in ids:
        stored = repo.get_appointment(provider_id, appointment_id)
        assert stored is not None and stored.answer_by is not None
        deadlines.append(stored.answer_by)
    stack.clock.current = min(deadlines) - timedelta(minutes=1)
    assert stack.jobs.sweep.run().declined == 0  # the sweeps below start from just before the deadlines
    stack.clock.current = max(deadlines) + timedelta(minutes=1)
    start = threading.Barrier(4)
    reports: list[SweepReport] = []
    confirmed: list[str] = []
    lost: list[str] = []

    def sweep() -> None:
        start.wait()
        reports.append(stack.jobs.sweep.run())

    def confirm_all() -> None:
        start.wait()
        for appointment_id in reversed(ids):  # meets the sweeps halfway
            current = repo.get_appointment(provider_id, appointment_id)
            assert current is not None
            try:
                approval.confirm(current, Actor.provider(provider_id), repo, stack.clock)
            except (ConcurrentChangeError, NotPendingError):
                lost.append(appointment_id)
                continue
            confirmed.append(appointment_id)

    threads = [threading.Thread(target=sweep) for _ in range(3)] + [threading.Thread(target=confirm_all)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    final = {i: repo.get_appointment(provider_id, i) for i in ids}
    declined = [i for i, a in final.items() if a is not None and a.status == DECLINED]
    assert {i for i, a in final.items() if a is not None and a.status == CONFIRMED} == set(confirmed)
    assert sorted(confirmed + declined) == sorted(ids), "each request is confirmed or declined"
    assert set(lost) == set(declined), "a confirm lost only to a decline"
    assert sum(r.declined for r in reports) == len(declined), "each declined once, by one sweep"
    assert all(final[i] is not None and final[i].auto_declined for i in declined)  # type: ignore[union-attr]
    stack.poller.drain()
    messages = read_all(stack.mail)
    for n, appointment_id in enumerate(ids):
        subjects = [m["Subject"] for m in all_to(messages, f"client{n}@example.com")]
        told_declined = sum("Request declined" in s for s in subjects)
        told_confirmed = sum("Booking confirmed" in s for s in subjects)
        expected = (1, 0) if appointment_id in declined else (0, 1)
        assert (told_declined, told_confirmed) == expected, subjects
