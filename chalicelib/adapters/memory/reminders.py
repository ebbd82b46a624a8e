"""Reminders waiting for their time, and the sweep's bookmark, in memory.

A reminder waits under its 5-minute bucket and shard, sorted by due time, as in the table's
sparse index; claiming it takes a lease (compared to the second), and once done it leaves the
index for good, unless it is requeued into a later bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from chalicelib.adapters.memory.table import OnTable, Waiting
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.notifications.reminders import (
    PlannedReminder,
    Reminder,
    answer_deadline_of,
    bucket_label,
    bucket_of,
    parse_bucket,
    planned_reminders,
    shard_of,
)
from chalicelib.services.notifications.ports import ReminderQueue

DUE, SENDING = "due", "sending"


def _index(reminder: Reminder, waiting_from: datetime) -> tuple[tuple[str, int], str]:
    """Where a reminder due at its time waits in the bucket of ``waiting_from``."""
    place = (bucket_label(bucket_of(waiting_from)), shard_of(reminder.appointment_id))
    return place, f"{iso_z(reminder.due)}#{reminder.appointment_id}#{reminder.offset_minutes:05d}"


class MemoryReminders(OnTable, ReminderQueue):
    def _of(self, appointment_id: str) -> list[tuple[str, int]]:
        return [key for key in self.table.reminders if key[0] == appointment_id]

    def schedule(self, appointment: Appointment, offsets: list[int], now: datetime) -> list[PlannedReminder]:
        """A reminder sent or being sent for the same start and sequence stays as it is."""
        planned = planned_reminders(appointment.start, offsets, now)
        start = iso_z(appointment.start)
        with self.table.lock:
            for plan in planned:
                key = (appointment.id, plan.offset_minutes)
                stored = self.table.reminders.get(key)
                replaceable = stored is None or (
                    stored.reminder.sequence < appointment.sequence
                    or iso_z(stored.reminder.start) != start
                    or stored.status == DUE
                )
                if replaceable:
                    reminder = Reminder(
                        appointment.id,
                        appointment.provider_id,
                        plan.offset_minutes,
                        plan.due,
                        appointment.start,
                        appointment.sequence,
                    )
                    self.table.reminders[key] = Waiting(reminder, DUE, _index(reminder, plan.due))
            wanted = {p.offset_minutes for p in planned}
            for key in self._of(appointment.id):
                if key[1] not in wanted:
                    del self.table.reminders[key]
        return planned

    def await_answer(self, appointment: Appointment, now: datetime) -> Reminder | None:
        """One with the same deadline being (or done being) handled stays as it is."""
        deadline = answer_deadline_of(appointment)
        if deadline is None:
            return None
        key = (appointment.id, deadline.offset_minutes)
        with self.table.lock:
            stored = self.table.reminders.get(key)
            if stored is None or stored.reminder.due != deadline.due or stored.status == DUE:
                self.table.reminders[key] = Waiting(deadline, DUE, _index(deadline, max(deadline.due, now)))
        return deadline

    def drop(self, appointment_id: str) -> None:
        with self.table.lock:
            for key in self._of(appointment_id):
                del self.table.reminders[key]

    def due(self, bucket: datetime, shard: int, now: datetime) -> Iterator[Reminder]:
        place, until = (bucket_label(bucket), shard), f"{iso_z(now)}#~"
        with self.table.lock:
            waiting = [w for w in self.table.reminders.values() if w.index and w.index[0] == place]
        found = sorted((w for w in waiting if w.index and w.index[1] <= until), key=lambda w: str(w.index))
        for entry in found:
            yield entry.reminder

    def claim(self, reminder: Reminder, now: datetime, lease: timedelta) -> bool:
        with self.table.lock:
            stored = self.table.reminders.get((reminder.appointment_id, reminder.offset_minutes))
            if stored is None or stored.index is None:
                return False
            lapsed = stored.status == SENDING and (stored.lease_until or "") < iso_z(now)
            if stored.status != DUE and not lapsed:
                return False
            stored.status, stored.lease_until = SENDING, iso_z(now + lease)
            return True

    def _stored(self, reminder: Reminder) -> Waiting:
        stored = self.table.reminders.get((reminder.appointment_id, reminder.offset_minutes))
        if stored is None:
            raise LookupError("no such reminder")
        return stored

    def finish(self, reminder: Reminder, status: str, now: datetime) -> None:
        with self.table.lock:
            stored = self._stored(reminder)
            stored.status, stored.lease_until, stored.index = status, None, None

    def requeue(self, reminder: Reminder, now: datetime) -> None:
        with self.table.lock:
            stored = self._stored(reminder)
            stored.status, stored.lease_until = DUE, None
            stored.index = _index(reminder, now)

    def forget(self, reminder: Reminder) -> None:
        with self.table.lock:
            self.table.reminders.pop((reminder.appointment_id, reminder.offset_minutes), None)

    def swept_until(self) -> datetime | None:
        label = self.table.swept_until
        return None if label is None else parse_bucket(label)

    def advance(self, until: datetime, now: datetime) -> None:
        label = bucket_label(bucket_of(until))
        with self.table.lock:
            if self.table.swept_until is None or self.table.swept_until < label:
                self.table.swept_until = label
