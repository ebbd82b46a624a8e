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
from chalicelib.domain.notifications.delivery import NotificationKey
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.jobs import outbox
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
    Jobs,
    RecordingMailer,
    at,
    failed_markers,
    invite_events,
    make_jobs,
    parse,
    stored_marker,
    text_of,
)

pytestmark = pytest.mark.integration


@dataclass
class World:
    jobs: Jobs
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
        jobs = make_jobs(settings, chosen, clock, sleeps.append)

        def pollers() -> StreamPoller:
            return StreamPoller(
                ddb_client,
                ddb_endpoint,
                fresh_table,
                lambda rs: outbox.handle_records(rs, jobs.outbox),
                "TRIM_HORIZON",
            )

        return World(jobs, Book(jobs), pollers, clock, chosen, sleeps)

    yield make
    bootstrap.reset()


@pytest.fixture
def world(world_for: Callable[..., World]) -> World:
    return world_for()


def marker(world: World, booked: Booked, kind: NoticeKind, recipient: Recipient, sequence: int = 0) -> Any:
    key = NotificationKey(booked.appointment_id, booked.provider_id, kind, recipient, sequence)
    return stored_marker(key)


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


def test_each_recipient_reads_their_own_language_and_who_cancelled(world: World) -> None:
    provider = world.book.provider(language="de")
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"), language="pt")
    world.drain()
    [confirmation] = world.mailer.to(CLIENT_EMAIL)
    [notice] = world.mailer.to(PROVIDER_EMAIL)
    assert confirmation.subject == f"Marcação confirmada: Coaching session com {PROVIDER_NAME}"
    assert (
        "Quando: segunda-feira, 15 de março de 2027, 13:00\u2009\u2013\u200914:00 (Europe/London, GMT)"
        in (text_of(confirmation))
    )
    assert notice.subject == f"Neue Buchung: Coaching session bei {CLIENT_NAME}"
    assert "Wann: Montag, 15. März 2027, 09:00\u201310:00 Uhr (America/New_York, EDT)" in text_of(notice)
    [event] = list(invite_events(parse(confirmation)))
    assert str(event["SUMMARY"]) == f"Coaching session com {PROVIDER_NAME}"
    world.book.cancel(booked, "Doente", by="client")
    world.drain()
    cancelled = {m.to: text_of(m) for m in world.mailer.sent[-2:]}
    assert (
        "Cancelou esta marcação." in cancelled[CLIENT_EMAIL] and "Motivo: Doente" in cancelled[CLIENT_EMAIL]
    )
    assert f"{CLIENT_NAME} hat diesen Termin abgesagt." in cancelled[PROVIDER_EMAIL]


def test_a_cancellation_tells_both_with_a_cancel_invite_and_drops_the_reminders(world: World) -> None:
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    world.drain()
    assert len(reminders_of(booked)) == 2

    world.book.cancel(booked, reason="Feeling unwell")
    world.drain()
    world.replay()

    for address in (CLIENT_EMAIL, PROVIDER_EMAIL):
        _, cancelled = world.mailer.to(address)
        assert cancelled.subject.startswith("Cancelled: Coaching session")
        assert "Feeling unwell" in text_of(cancelled)
        [event] = list(invite_events(parse(cancelled)))
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1, "a cancel is a newer revision than the booking"
    assert reminders_of(booked) == []


def test_a_reschedule_tells_both_with_the_new_time_and_moves_the_reminders(world: World) -> None:
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    world.drain()
    moved = world.book.move(booked, at("2027-03-17T15:00:00+00:00"))
    world.drain()
    world.replay()

    for address in (CLIENT_EMAIL, PROVIDER_EMAIL):
        _, rescheduled = world.mailer.to(address)
        assert rescheduled.subject.startswith("Rescheduled: Coaching session")
        [event] = list(invite_events(parse(rescheduled)))
        assert event.start == moved.start
        assert int(event["SEQUENCE"]) == 1
    assert "Previously" in text_of(world.mailer.to(CLIENT_EMAIL)[1])
    assert TOKEN in text_of(world.mailer.to(CLIENT_EMAIL)[1])
    assert sorted((r.due, int(r.sequence)) for r in reminders_of(booked)) == [
        ("2027-03-16T15:00:00Z", 1),
        ("2027-03-17T14:00:00Z", 1),
    ]


def test_a_booking_on_a_dst_change_day_shows_each_recipients_local_time(world: World) -> None:
    # 14 March 2027: New York springs forward at 02:00 (EST -> EDT); London is still on GMT.
    provider = world.book.provider(timezone="America/New_York")
    booked = world.book.appointment(
        provider, at("2027-03-14T09:30:00-04:00"), minutes=60, client_timezone="Europe/London"
    )
    world.drain()

    [client] = world.mailer.to(CLIENT_EMAIL)
    [owner] = world.mailer.to(PROVIDER_EMAIL)
    assert "Sunday, March 14, 2027, 1:30\u2009\u2013\u20092:30\u202fPM (Europe/London, GMT)" in text_of(
        client
    )
    assert "Sunday, March 14, 2027, 9:30\u2009\u2013\u200910:30\u202fAM (America/New_York, EDT)" in text_of(
        owner
    )
    for email in (client, owner):
        [event] = list(invite_events(parse(email)))
        assert event.start == booked.start == at("2027-03-14T13:30:00+00:00")


def test_a_suppressed_address_receives_nothing_and_the_other_party_still_does(world: World) -> None:
    bounce = (
        '{"eventType": "Bounce", "bounce": {"bounceType": "Permanent", "bounceSubType": "General",'
        f' "feedbackId": "fb-1", "bouncedRecipients": [{{"emailAddress": "{CLIENT_EMAIL.upper()}"}}]}}}}'
    )
    assert world.jobs.feedback.handle([bounce]) == 1
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    world.drain()

    assert world.mailer.to(CLIENT_EMAIL) == []
    assert len(world.mailer.to(PROVIDER_EMAIL)) == 1
    assert marker(world, booked, NoticeKind.BOOKED, Recipient.CLIENT).status == "suppressed"


def test_a_booking_inside_a_reminder_window_gets_no_stale_reminder(world: World) -> None:
    provider = world.book.provider(offsets=(1440, 60))
    booked = world.book.appointment(provider, world.clock.now() + timedelta(hours=5))
    world.drain()
    assert [int(r.offset_minutes) for r in reminders_of(booked)] == [60]


def test_mail_down_for_good_is_marked_failed_visibly_and_the_stream_moves_on(world_for: Any) -> None:
    world = world_for(RecordingMailer(failures=1_000))
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    later = world.book.appointment(provider, at("2027-03-16T13:00:00+00:00"))

    progress = [world.poller.poll_once() for _ in range(7)]

    assert progress[1] == 0, "the booking's record is retried while rounds remain"
    failed = failed_markers()
    assert {(f.appointment_id, f.recipient) for f in failed} == {
        (b.appointment_id, r) for b in (booked, later) for r in ("client", "provider")
    }
    assert all(
        f.status == "failed" and f.reason == "Throttling" and f.GSI1PK == "NOTIFY#FAILED" for f in failed
    )
    assert world.sleeps and world.sleeps[:2] == [0.5, 1.0], "in-process retries back off"
    assert world.book.item(booked).status == "confirmed", "a failed email never undoes a booking"


def test_the_consumer_ignores_its_own_writes_and_other_items(world: World) -> None:
    provider = world.book.provider()
    world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    world.drain()
    sent = len(world.mailer.sent)
    world.replay()
    assert len(world.mailer.sent) == sent == 2
    types = {type(i).__name__ for i in NotificationItem.scan()} | {
        type(i).__name__ for i in ReminderItem.scan()
    }
    assert types == {"NotificationItem", "ReminderItem"}


def test_logs_name_ids_only_never_addresses_names_or_tokens(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    world.drain()
    world.book.move(booked, at("2027-03-18T13:00:00+00:00"))
    world.drain()
    logs = "\n".join(str(vars(record)) for record in caplog.records)
    assert booked.appointment_id in logs
    for secret in (CLIENT_EMAIL, PROVIDER_EMAIL, CLIENT_NAME, PROVIDER_NAME, TOKEN):
        assert secret not in logs


def test_an_appointment_item_is_left_as_the_booking_wrote_it(world: World) -> None:
    provider = world.book.provider()
    booked = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"))
    before = world.book.item(booked).to_simple_dict()
    world.drain()
    assert (
        AppointmentItem.get(
            keys.provider_pk(provider), keys.appointment_sk(booked.appointment_id)
        ).to_simple_dict()
        == before
    )


def test_an_email_that_cannot_be_built_is_failed_visibly_and_the_stream_moves_on(world: World) -> None:
    provider = world.book.provider()
    broken = world.book.appointment(provider, at("2027-03-15T13:00:00+00:00"), client_timezone="Mars/Olympus")
    fine = world.book.appointment(provider, at("2027-03-16T13:00:00+00:00"))
    world.drain()

    assert {(f.appointment_id, f.reason) for f in failed_markers()} == {
        (broken.appointment_id, "InvalidNotice")
    }
    assert len(world.mailer.sent) == 2, "the next booking's emails still go"
    assert fine.appointment_id in text_of(world.mailer.to(CLIENT_EMAIL)[0])
