"""The stream consumer on DynamoDB Local's real stream: bookings, cancels and moves -> emails once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import AppointmentItem, NotificationItem, ReminderItem
from chalicelib.config import Settings
from chalicelib.domain.delivery import NotificationKey
from chalicelib.domain.notices import NoticeKind, Recipient
from chalicelib.jobs import outbox
from chalicelib.jobs.deps import JobDeps
from devtools.streams import StreamPoller
from tests.notify_support import (
    BASE_URL,
    CLIENT_EMAIL,
    CLIENT_NAME,
    PROVIDER_EMAIL,
    PROVIDER_NAME,
    TOKEN,
    Book,
    Booked,
    FixedClock,
    RecordingMailer,
    at,
    invite_events,
    make_deps,
    parse,
    text_of,
)

pytestmark = pytest.mark.integration


@dataclass
class World:
    deps: JobDeps
    book: Book
    pollers: Callable[[], StreamPoller]
    clock: FixedClock
    mailer: RecordingMailer
    sleeps: list[float]

    def __post_init__(self) -> None:
        self.poller = self.pollers()

    def drain(self) -> int:
        return self.poller.drain()

    def replay(self) -> int:
        """Every record of the stream once more, as retried Lambda batches would bring them."""
        return self.pollers().drain()


@pytest.fixture
def world_for(
    ddb_client: Any, ddb_endpoint: str, settings_for: Callable[..., Settings], fresh_table: str
) -> Iterator[Callable[..., World]]:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE_URL)
    bootstrap.reset(bootstrap.build(settings))  # binds the models to this test's table

    def make(mailer: Any = None, now: str = "2027-03-01T12:00:00+00:00") -> World:
        clock = FixedClock(at(now))
        sleeps: list[float] = []
        chosen = mailer if mailer is not None else RecordingMailer()
        deps = make_deps(settings, chosen, clock, sleeps.append)
        def pollers() -> StreamPoller:
            return StreamPoller(
                ddb_client, ddb_endpoint, fresh_table, lambda rs: outbox.handle_records(rs, deps), "TRIM_HORIZON"
            )

        return World(deps, Book(deps), pollers, clock, chosen, sleeps)

    yield make
    bootstrap.reset()


@pytest.fixture
def world(world_for: Callable[..., World]) -> World:
    return world_for()


def marker(world: World, booked: Booked, kind: NoticeKind, recipient: Recipient, sequence: int = 0) -> Any:
    key = NotificationKey(booked.appointment_id, booked.provider_id, kind, recipient, sequence)
    return world.deps.store.get_marker(key)


def reminders_of(booked: Booked) -> list[ReminderItem]:
    from chalicelib.adapters.dynamo.reminder_store import ReminderStore

    return ReminderStore().existing(booked.appointment_id)


def test_a_booking_sends_one_confirmation_and_one_provider_notice_once(world: World) -> None:
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))

    world.drain()
    world.replay()

    [confirmation] = world.mailer.to(CLIENT_EMAIL)
    [notice] = world.mailer.to(PROVIDER_EMAIL)
    assert confirmation.subject == f"Booking confirmed: Coaching session with {PROVIDER_NAME}"
    assert notice.subject == f"New booking: Coaching session with {CLIENT_NAME}"
    link = f"{BASE_URL}/book/manage/{booked.appointment_id}?token={TOKEN}"
    assert link in text_of(confirmation)
    assert TOKEN not in text_of(notice)
    for email in (confirmation, notice):
        [event] = list(invite_events(parse(email)))
        assert event.start == booked.start
        assert event.end == booked.end
        assert int(event["SEQUENCE"]) == 0
    assert marker(world, booked, NoticeKind.BOOKED, Recipient.CLIENT).status == "sent"
