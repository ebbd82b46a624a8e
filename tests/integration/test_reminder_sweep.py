"""The reminder sweep on DynamoDB Local: on time, late, twice at once, after changes; each reminder once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.reminder_store import ReminderStore
from chalicelib.config import Settings
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.jobs import outbox
from chalicelib.observability import metrics
from chalicelib.services.notifications.reminders import SweepReport
from devtools.streams import StreamPoller
from tests.notify_support import (
    BASE_URL,
    TOKEN,
    Book,
    Booked,
    FixedClock,
    Jobs,
    RecordingMailer,
    at,
    make_jobs,
    text_of,
)

pytestmark = pytest.mark.integration
T0 = at("2027-03-01T12:00:00+00:00")


class SlowMailer(RecordingMailer):
    """Takes a while per send, so that two sweeps overlap for real."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def send(self, message: OutgoingEmail) -> str:
        time.sleep(0.02)
        with self._lock:
            return super().send(message)


@dataclass
class Reminders:
    book: Book
    clock: FixedClock
    mailer: RecordingMailer
    poller: StreamPoller
    settings: Settings

    def jobs(self, clock: FixedClock | None = None) -> Jobs:
        return make_jobs(self.settings, self.mailer, clock or self.clock, lambda _: None)

    def sweep(self) -> SweepReport:
        return self.jobs().sweep.run()

    def booked(self, provider: str, start: datetime) -> Booked:
        booked = self.book.appointment(provider, start)
        self.poller.drain()
        return booked

    def reminded(self) -> list[tuple[str, str]]:
        """(appointment id in the link, subject) of every reminder sent."""
        found = []
        for message in self.mailer.sent:
            if message.subject.startswith("Reminder:"):
                text = text_of(message)
                appointment_id = text.split("/book/manage/", 1)[1].split("?", 1)[0]
                found.append((appointment_id, message.subject))
        return found


@pytest.fixture
def rem_for(
    ddb_client: Any, ddb_endpoint: str, settings_for: Callable[..., Settings], fresh_table: str
) -> Iterator[Callable[[RecordingMailer], Reminders]]:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE_URL)
    bootstrap.reset(bootstrap.build(settings))

    def make(mailer: RecordingMailer) -> Reminders:
        clock = FixedClock(T0)
        jobs = make_jobs(settings, mailer, clock, lambda _: None)
        poller = StreamPoller(
            ddb_client,
            ddb_endpoint,
            fresh_table,
            lambda rs: outbox.handle_records(rs, jobs.outbox),
            "TRIM_HORIZON",
        )
        return Reminders(Book(jobs), clock, mailer, poller, settings)

    yield make
    bootstrap.reset()


@pytest.fixture
def rem(rem_for: Callable[[RecordingMailer], Reminders]) -> Reminders:
    return rem_for(RecordingMailer())


def test_a_sweep_after_a_three_hour_outage_sends_each_due_reminder_once_and_none_for_past_ones(
    rem: Reminders,
) -> None:
    provider = rem.book.provider(offsets=(1440, 60))
    assert rem.sweep().sent == 0  # the last sweep before the outage
    begun = rem.booked(provider, T0 + timedelta(hours=2))  # its 60-min reminder fell in the outage
    begun_early = rem.booked(provider, T0 + timedelta(minutes=90))
    due_now = rem.booked(provider, T0 + timedelta(hours=4))  # 60-min reminder due at T0+3h exactly
    due_late = rem.booked(provider, T0 + timedelta(hours=3, minutes=30))
    tomorrow = rem.booked(provider, T0 + timedelta(hours=26))  # 1440 due at T0+2h, 60 later

    rem.clock.advance(timedelta(hours=3))
    metrics.clear_metrics()
    report = rem.sweep()
    again = rem.sweep()

    sent = sorted(rem.reminded())
    assert sorted(a for a, _ in sent) == sorted(
        [due_now.appointment_id, due_late.appointment_id, tomorrow.appointment_id]
    )
    assert (report.sent, report.skipped, again.sent) == (3, 2, 0)
    assert begun.appointment_id not in str(sent) and begun_early.appointment_id not in str(sent)
    assert sorted(metrics.metric_set["ReminderLagSeconds"]["Value"]) == [0.0, 1800.0, 3600.0]
    metrics.clear_metrics()

    rem.clock.advance(timedelta(hours=22))  # T0+25h: the day-of reminder of `tomorrow`
    assert rem.sweep().sent == 1
    assert [a for a, _ in rem.reminded()].count(tomorrow.appointment_id) == 2


def test_two_concurrent_sweeps_send_each_reminder_once(
    rem_for: Callable[[RecordingMailer], Reminders],
) -> None:
    rem = rem_for(SlowMailer())
    provider = rem.book.provider(offsets=(60,))
    assert rem.sweep().sent == 0
    # Reminders due from T0+40 min to T0+62 min, over several buckets and shards.
    made = [rem.book.appointment(provider, T0 + timedelta(minutes=100 + 2 * i)) for i in range(12)]
    rem.poller.drain()
    rem.clock.advance(timedelta(minutes=65))  # all due, none begun

    barrier = threading.Barrier(2)
    reports: list[SweepReport] = []

    def run() -> None:
        jobs = rem.jobs()
        barrier.wait()
        reports.append(jobs.sweep.run())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    sent = [a for a, _ in rem.reminded()]
    assert sorted(sent) == sorted(b.appointment_id for b in made)
    assert sum(r.sent for r in reports) == 12


def test_a_reminder_of_a_cancelled_or_moved_appointment_is_not_sent_even_before_the_stream_catches_up(
    rem: Reminders,
) -> None:
    provider = rem.book.provider(offsets=(60,))
    rem.sweep()
    cancelled = rem.booked(provider, T0 + timedelta(hours=2))
    moved = rem.booked(provider, T0 + timedelta(hours=2))
    rem.book.cancel(cancelled)
    rem.book.move(moved, T0 + timedelta(hours=5))  # the stream has not run yet

    rem.clock.advance(timedelta(hours=1, minutes=5))
    report = rem.sweep()

    assert (report.sent, report.skipped) == (0, 2)
    rem.poller.drain()  # now the consumer sees the move: a reminder for the new time
    assert [(r.due, int(r.sequence)) for r in ReminderStore().existing(moved.appointment_id)] == [
        ("2027-03-01T16:00:00Z", 1)
    ]
    rem.clock.advance(timedelta(hours=3))
    assert rem.sweep().sent == 1
    [(appointment_id, _)] = rem.reminded()
    assert appointment_id == moved.appointment_id


def test_a_reminder_the_mail_service_refuses_now_goes_with_a_later_sweep_once(
    rem_for: Callable[[RecordingMailer], Reminders],
) -> None:
    rem = rem_for(RecordingMailer(failures=3))
    provider = rem.book.provider(offsets=(60,))
    rem.sweep()
    rem.booked(provider, T0 + timedelta(hours=2))
    rem.clock.advance(timedelta(hours=1))
    rem.mailer.failures = 3  # one round of in-process attempts

    first = rem.sweep()
    rem.clock.advance(timedelta(minutes=5))
    second = rem.sweep()
    third = rem.sweep()

    assert (first.deferred, second.sent, third.sent) == (1, 1, 0)
    [(_, subject)] = rem.reminded()
    assert subject.startswith("Reminder: Coaching session")
    assert TOKEN in text_of(rem.mailer.sent[-1])
