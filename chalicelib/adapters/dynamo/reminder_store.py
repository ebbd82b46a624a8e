"""Reminder items and the sweep's bookmark (docs/notifications.md, docs/access-patterns.md).

A reminder is ``NOTIFY#<appointment id> / REMINDER#<offset>``. While it waits it sits in the
sparse GSI1 under its due bucket and shard; claiming it is a conditional update, and once it is
done (sent, skipped or failed) its GSI1 keys go, so the index holds only what is still due.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.notification_store import epoch
from chalicelib.adapters.dynamo.notify_items import (
    ReminderItem,
    SweepStateItem,
    reminder_from_item,
    reminder_key,
)
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.notifications.reminders import (
    ANSWER_BY,
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
KEEP_DONE = timedelta(days=7)
# A reminder never swept (a sweep that died holding it while another moved the bookmark on)
# would sit in the index forever: it expires a day after its appointment starts.
KEEP_UNSENT_AFTER_START = timedelta(days=1)


def _index_keys(appointment_id: str, offset: int, due: datetime, waiting_from: datetime) -> tuple[str, str]:
    """GSI1 keys of a reminder due at ``due`` that waits in the bucket of ``waiting_from``."""
    return (
        keys.reminder_gsi1pk(bucket_label(bucket_of(waiting_from)), shard_of(appointment_id)),
        keys.reminder_gsi1sk(iso_z(due), appointment_id, offset),
    )


def reminder_items(
    appointment: Appointment, planned: list[PlannedReminder], now: datetime
) -> list[ReminderItem]:
    """The reminder items of an appointment, due in its bucket of the index (what ``schedule``
    puts; the import writes them in batches). ``planned``: planned_reminders(start, offsets, now)."""
    items = []
    for reminder in planned:
        gsi1pk, gsi1sk = _index_keys(appointment.id, reminder.offset_minutes, reminder.due, reminder.due)
        items.append(
            ReminderItem(
                keys.notify_pk(appointment.id),
                keys.reminder_sk(reminder.offset_minutes),
                appointment_id=appointment.id,
                provider_id=appointment.provider_id,
                offset_minutes=reminder.offset_minutes,
                due=iso_z(reminder.due),
                start=iso_z(appointment.start),
                sequence=appointment.sequence,
                status=DUE,
                updated_at=iso_z(now),
                expires_at=epoch(appointment.start + KEEP_UNSENT_AFTER_START),
                GSI1PK=gsi1pk,
                GSI1SK=gsi1sk,
            )
        )
    return items


@translate_all
class ReminderStore(ReminderQueue):
    def existing(self, appointment_id: str) -> list[ReminderItem]:
        found = ReminderItem.query(
            keys.notify_pk(appointment_id),
            ReminderItem.SK.startswith(keys.REMINDER_PREFIX),
            consistent_read=True,
        )
        return [item for item in found if isinstance(item, ReminderItem)]

    def schedule(self, appointment: Appointment, offsets: list[int], now: datetime) -> list[PlannedReminder]:
        """The appointment's reminders for its current start and sequence; stale ones go.

        Idempotent: a stream record seen twice leaves a reminder already sent (or being sent)
        for the same start and sequence as it is.
        """
        planned = planned_reminders(appointment.start, offsets, now)
        start = iso_z(appointment.start)
        for item in reminder_items(appointment, planned, now):
            replaceable = (
                ReminderItem.PK.does_not_exist()
                | (ReminderItem.sequence < appointment.sequence)
                | (ReminderItem.start != start)
                | (ReminderItem.status == DUE)
            )
            try:
                item.save(condition=replaceable)
            except PutError as error:
                if not is_condition_failure(error):
                    raise
        wanted = {r.offset_minutes for r in planned}
        for old in self.existing(appointment.id):
            if int(old.offset_minutes) not in wanted:
                old.delete()
        return planned

    def await_answer(self, appointment: Appointment, now: datetime) -> Reminder | None:
        """The request's answer deadline; one with the same deadline being (or done being)
        handled stays as it is, so a stream record seen twice changes nothing."""
        deadline = answer_deadline_of(appointment)
        if deadline is None:
            return None
        due = iso_z(deadline.due)
        gsi1pk, gsi1sk = _index_keys(
            appointment.id, deadline.offset_minutes, deadline.due, max(deadline.due, now)
        )
        item = ReminderItem(
            keys.notify_pk(appointment.id),
            keys.ANSWER_BY_SK,
            appointment_id=appointment.id,
            provider_id=appointment.provider_id,
            offset_minutes=deadline.offset_minutes,
            due=due,
            start=iso_z(appointment.start),
            sequence=appointment.sequence,
            status=DUE,
            kind=ANSWER_BY,
            updated_at=iso_z(now),
            expires_at=epoch(appointment.start + KEEP_UNSENT_AFTER_START),
            GSI1PK=gsi1pk,
            GSI1SK=gsi1sk,
        )
        replaceable = (
            ReminderItem.PK.does_not_exist() | (ReminderItem.due != due) | (ReminderItem.status == DUE)
        )
        try:
            item.save(condition=replaceable)
        except PutError as error:
            if not is_condition_failure(error):
                raise
        return deadline

    def drop(self, appointment_id: str) -> None:
        for item in self.existing(appointment_id):
            item.delete()

    def due(self, bucket: datetime, shard: int, now: datetime) -> Iterator[Reminder]:
        """Reminders waiting in one bucket and shard, due at or before ``now`` (GSI1, eventually
        consistent: the claim re-checks against the item itself)."""
        found = ReminderItem.gsi1.query(
            keys.reminder_gsi1pk(bucket_label(bucket), shard),
            ReminderItem.GSI1SK <= keys.due_until(iso_z(now)),  # noqa: SIM300 - a key condition
        )
        for item in found:
            if isinstance(item, ReminderItem):
                yield reminder_from_item(item)

    def claim(self, reminder: Reminder, now: datetime, lease: timedelta) -> bool:
        """Take it for sending; False when another sweep has it or it is no longer due."""
        free = (ReminderItem.status == DUE) | (
            (ReminderItem.status == SENDING) & (ReminderItem.lease_until < iso_z(now))
        )
        try:
            reminder_key(reminder).update(
                actions=[
                    ReminderItem.status.set(SENDING),
                    ReminderItem.lease_until.set(iso_z(now + lease)),
                    ReminderItem.updated_at.set(iso_z(now)),
                ],
                condition=ReminderItem.PK.exists() & ReminderItem.GSI1PK.exists() & free,
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def finish(self, reminder: Reminder, status: str, now: datetime) -> None:
        """Out of the index for good: ``sent``, ``skipped`` or ``failed``; kept a week to read."""
        reminder_key(reminder).update(
            actions=[
                ReminderItem.status.set(status),
                ReminderItem.lease_until.remove(),
                ReminderItem.GSI1PK.remove(),
                ReminderItem.GSI1SK.remove(),
                ReminderItem.updated_at.set(iso_z(now)),
                ReminderItem.expires_at.set(epoch(now + KEEP_DONE)),
            ],
            condition=ReminderItem.PK.exists(),
        )

    def requeue(self, reminder: Reminder, now: datetime) -> None:
        """Back in the index, in now's bucket, so the next sweep tries it again."""
        gsi1pk, gsi1sk = _index_keys(reminder.appointment_id, reminder.offset_minutes, reminder.due, now)
        reminder_key(reminder).update(
            actions=[
                ReminderItem.status.set(DUE),
                ReminderItem.lease_until.remove(),
                ReminderItem.GSI1PK.set(gsi1pk),
                ReminderItem.GSI1SK.set(gsi1sk),
                ReminderItem.updated_at.set(iso_z(now)),
            ],
            condition=ReminderItem.PK.exists(),
        )

    def forget(self, reminder: Reminder) -> None:
        reminder_key(reminder).delete()

    # -- the sweep's bookmark ----------------------------------------------------------------
    def swept_until(self) -> datetime | None:
        state = get_or_none(
            SweepStateItem, keys.REMINDER_SWEEP_PK, keys.REMINDER_SWEEP_SK, consistent_read=True
        )
        return None if state is None else parse_bucket(state.swept_until)

    def advance(self, until: datetime, now: datetime) -> None:
        """Move the bookmark forward only: a slower concurrent sweep never moves it back."""
        label = bucket_label(bucket_of(until))
        state = SweepStateItem(keys.REMINDER_SWEEP_PK, keys.REMINDER_SWEEP_SK)
        try:
            state.update(
                actions=[
                    SweepStateItem.type.set(SweepStateItem),  # an update may create it: keep it typed
                    SweepStateItem.swept_until.set(label),
                    SweepStateItem.updated_at.set(iso_z(now)),
                ],
                condition=SweepStateItem.swept_until.does_not_exist() | (SweepStateItem.swept_until < label),
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
