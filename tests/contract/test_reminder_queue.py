"""ReminderQueue: reminders wait in their bucket until due, are claimed once, leave when done."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.appointments import CONFIRMED, PENDING, Appointment
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.reminders import (
    ANSWER_BY,
    ANSWER_OFFSET,
    PlannedReminder,
    Reminder,
    bucket_of,
    shard_of,
)
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


def request(start: datetime, answer_by: datetime, appointment_id: str | None = None) -> Appointment:
    return replace(booked(start, appointment_id=appointment_id), status=PENDING, answer_by=answer_by)


def test_a_requests_answer_deadline_waits_until_due_and_is_claimed_once(queue: ReminderQueue) -> None:
    deadline = NOW + timedelta(hours=3)
    a = request(NOW + timedelta(hours=30), deadline)
    waiting = queue.await_answer(a, NOW)
    assert waiting == Reminder(a.id, a.provider_id, ANSWER_OFFSET, deadline, a.start, 0, ANSWER_BY)
    assert due_now(queue, a, deadline - timedelta(minutes=1)) == []
    [found] = due_now(queue, a, deadline)
    assert found == waiting and found.kind == ANSWER_BY
    assert queue.claim(found, deadline, LEASE)
    assert queue.await_answer(a, NOW) == waiting, "the same stream record again"
    assert not queue.claim(found, deadline, LEASE), "a deadline being handled stays claimed"
    queue.finish(found, "declined", deadline)
    assert due_now(queue, a, deadline + timedelta(minutes=5)) == []
    assert queue.await_answer(replace(a, status=CONFIRMED), NOW) is None


def test_a_moved_request_replaces_its_deadline_and_a_past_one_waits_in_nows_bucket(
    queue: ReminderQueue,
) -> None:
    a = request(NOW + timedelta(hours=30), NOW + timedelta(hours=3))
    queue.await_answer(a, NOW)
    later = NOW + timedelta(hours=10)
    queue.await_answer(replace(a, answer_by=later, sequence=1), NOW)
    assert due_now(queue, a, NOW + timedelta(hours=3)) == []
    [moved] = due_now(queue, a, later)
    assert moved.due == later and moved.sequence == 1
    past = request(NOW + timedelta(hours=30), NOW - timedelta(hours=2))
    queue.await_answer(past, NOW)
    assert [r.due for r in due_now(queue, past, NOW)] == [past.answer_by], "not in a swept bucket"


def test_reminders_scheduled_on_confirmation_and_drop_take_the_deadline_away(queue: ReminderQueue) -> None:
    deadline = NOW + timedelta(hours=3)
    a = request(NOW + timedelta(hours=30), deadline)
    queue.await_answer(a, NOW)
    queue.schedule(replace(a, status=CONFIRMED), [60], NOW)
    assert due_now(queue, a, deadline) == []
    b = request(NOW + timedelta(hours=30), deadline)
    queue.await_answer(b, NOW)
    queue.drop(b.id)
    assert due_now(queue, b, deadline) == []
