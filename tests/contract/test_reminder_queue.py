"""ReminderQueue: reminders wait in their bucket until due, are claimed once, leave when done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.appointments import CONFIRMED, Appointment
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.reminders import PlannedReminder, Reminder, bucket_of, shard_of
from chalicelib.services.notifications.ports import ReminderQueue

pytestmark = pytest.mark.contract
NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def booked(start: datetime, sequence: int = 0, appointment_id: str | None = None) -> Appointment:
    return Appointment(
        id=appointment_id or new_id(),
        provider_id=new_id(),
        service_id=new_id(),
        service_name="Session",
        start=start,
        end=start + timedelta(hours=1),
        status=CONFIRMED,
        client_id=new_id(),
        client_timezone="Europe/London",
        price=Decimal("40.00"),
        currency="EUR",
        sequence=sequence,
    )


def due_now(queue: ReminderQueue, a: Appointment, at: datetime) -> list[Reminder]:
    """What a sweep at ``at`` finds of ``a`` in the bucket of ``at`` (the sweep reads every bucket)."""
    return [r for r in queue.due(bucket_of(at), shard_of(a.id), at) if r.appointment_id == a.id]


def test_reminders_wait_until_due_in_their_bucket(queue: ReminderQueue) -> None:
    a = booked(NOW + timedelta(hours=30))
    planned = queue.schedule(a, [1440, 60], NOW)
    assert planned == [
        PlannedReminder(60, a.start - timedelta(minutes=60)),
        PlannedReminder(1440, NOW + timedelta(hours=6)),
    ]
    day_before = NOW + timedelta(hours=6)
    assert due_now(queue, a, day_before - timedelta(minutes=1)) == []
    [reminder] = due_now(queue, a, day_before)
    assert reminder == Reminder(a.id, a.provider_id, 1440, day_before, a.start, 0)
    assert queue.schedule(booked(NOW + timedelta(minutes=30)), [1440, 60], NOW) == [], "too late for both"


def test_a_reminder_is_claimed_once_until_its_lease_runs_out_and_done_when_finished(
    queue: ReminderQueue,
) -> None:
    a = booked(NOW + timedelta(hours=30))
    queue.schedule(a, [1440], NOW)
    at = NOW + timedelta(hours=6)
    [reminder] = due_now(queue, a, at)
    assert queue.claim(reminder, at, LEASE)
    assert not queue.claim(reminder, at + timedelta(minutes=4), LEASE)
    assert queue.claim(reminder, at + timedelta(minutes=6), LEASE), "a lapsed lease is taken over"
    queue.finish(reminder, "sent", at)
    assert due_now(queue, a, at + timedelta(minutes=6)) == []
    assert not queue.claim(reminder, at + timedelta(hours=1), LEASE)


def test_scheduling_again_keeps_a_sent_reminder_but_a_move_replaces_it(queue: ReminderQueue) -> None:
    a = booked(NOW + timedelta(hours=30))
    queue.schedule(a, [1440, 60], NOW)
    at = NOW + timedelta(hours=6)
    [reminder] = due_now(queue, a, at)
    queue.claim(reminder, at, LEASE)
    queue.finish(reminder, "sent", at)
    queue.schedule(a, [1440, 60], NOW)  # the same stream record once more
    assert due_now(queue, a, at + timedelta(minutes=1)) == []
    moved = booked(NOW + timedelta(hours=50), sequence=1, appointment_id=a.id)
    queue.schedule(moved, [1440], NOW + timedelta(hours=7))
    new_due = moved.start - timedelta(hours=24)
    assert due_now(queue, moved, new_due) == [
        Reminder(a.id, moved.provider_id, 1440, new_due, moved.start, 1)
    ]
    assert due_now(queue, moved, moved.start - timedelta(minutes=60)) == [], "the dropped offset went"


def test_a_requeued_reminder_waits_in_the_bucket_of_now_and_drop_and_forget_remove(
    queue: ReminderQueue,
) -> None:
    a = booked(NOW + timedelta(hours=30))
    queue.schedule(a, [1440, 60], NOW)
    at = NOW + timedelta(hours=6)
    [reminder] = due_now(queue, a, at)
    queue.claim(reminder, at, LEASE)
    later = at + timedelta(minutes=20)
    queue.requeue(reminder, later)
    assert due_now(queue, a, later) == [reminder]
    assert queue.claim(reminder, later, LEASE)
    queue.forget(reminder)
    assert due_now(queue, a, later) == []
    queue.drop(a.id)
    assert due_now(queue, a, a.start - timedelta(minutes=60)) == []


def test_the_bookmark_only_moves_forward(queue: ReminderQueue) -> None:
    assert queue.swept_until() is None
    queue.advance(NOW + timedelta(minutes=7), NOW)
    queue.advance(NOW, NOW)
    assert queue.swept_until() == bucket_of(NOW + timedelta(minutes=7))
