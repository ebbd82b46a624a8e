"""Reminder timing: which reminders an appointment gets, and the 5-minute buckets they wait in.

A reminder is due ``offset`` minutes before the start. It waits in the bucket of its due time,
spread over a few shards so that one bucket is never one hot index key. The sweep reads every
bucket from where it stopped up to now, so a late or missed run catches up.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chalicelib.domain.booking.appointments import PENDING, Appointment
from chalicelib.domain.provider import MAX_REMINDER_MINUTES

BUCKET = timedelta(minutes=5)
SHARDS = 4
# A reminder due longer ago than the longest offset belongs to an appointment that has begun.
MAX_LOOKBACK = timedelta(minutes=MAX_REMINDER_MINUTES)
# With no record of an earlier sweep, look back this far.
FIRST_LOOKBACK = timedelta(hours=1)
# What waits in the queue: a reminder to the client, or a request's deadline for the provider's
# answer (the sweep declines the request then, if still unanswered). A deadline takes offset 0,
# which no reminder has (reminders are at least MIN_REMINDER_MINUTES before the start).
REMINDER, ANSWER_BY = "reminder", "answer_by"
ANSWER_OFFSET = 0


@dataclass(frozen=True)
class PlannedReminder:
    offset_minutes: int
    due: datetime


@dataclass(frozen=True)
class Reminder:
    """A reminder waiting to be sent, as it was planned: for which start and sequence."""

    appointment_id: str
    provider_id: str
    offset_minutes: int
    due: datetime
    start: datetime
    sequence: int
    kind: str = REMINDER

    def applies_to(self, appointment: Appointment, now: datetime) -> bool:
        """Still active, not moved since the reminder was planned, and not begun (a deadline is
        judged by the request itself: services/booking/approval.py, Unanswered)."""
        return (
            appointment.active
            and appointment.sequence == self.sequence
            and appointment.start == self.start
            and appointment.start > now
        )


def answer_deadline_of(appointment: Appointment) -> Reminder | None:
    """The deadline a pending request waits under (None when it has none)."""
    if appointment.status != PENDING or appointment.answer_by is None:
        return None
    return Reminder(
        appointment.id,
        appointment.provider_id,
        ANSWER_OFFSET,
        appointment.answer_by,
        appointment.start,
        appointment.sequence,
        ANSWER_BY,
    )


def planned_reminders(start: datetime, offsets: Iterable[int], now: datetime) -> list[PlannedReminder]:
    """The reminders still ahead: one per distinct offset whose due time is after ``now``.

    A booking made inside a reminder's window gets no reminder for that window.
    """
    planned = {
        offset: start - timedelta(minutes=offset) for offset in {int(o) for o in offsets} if offset > 0
    }
    return [PlannedReminder(o, due) for o, due in sorted(planned.items()) if due > now]


def bucket_of(instant: datetime) -> datetime:
    utc = instant.astimezone(UTC).replace(second=0, microsecond=0)
    return utc - timedelta(minutes=utc.minute % (BUCKET.seconds // 60))


def bucket_label(bucket: datetime) -> str:
    return f"{bucket.astimezone(UTC):%Y-%m-%dT%H:%M}"


def parse_bucket(label: str) -> datetime:
    return datetime.strptime(label, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)


def shard_of(appointment_id: str) -> int:
    """Stable across processes (unlike ``hash``)."""
    return zlib.crc32(appointment_id.encode("utf-8")) % SHARDS


def sweep_window(swept_until: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """First and last bucket to read: from the first unfinished one (bounded) to now's."""
    last = bucket_of(now)
    oldest = bucket_of(now - MAX_LOOKBACK)
    first = bucket_of(now - FIRST_LOOKBACK) if swept_until is None else bucket_of(swept_until)
    return max(first, oldest), last


def buckets(first: datetime, last: datetime) -> Iterator[datetime]:
    current = first
    while current <= last:
        yield current
        current += BUCKET
