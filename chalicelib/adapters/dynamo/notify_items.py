"""Items of notifications and their mapping: sent markers, reminders, the sweep's bookmark,
suppressed addresses. The notification store reads and writes its markers as they are; reminders
come and go as domain Reminders.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.notifications.reminders import ANSWER_BY, REMINDER, Reminder


class NotificationItem(Item, discriminator="notification"):
    """NOTIFY#<appointment id> / SENT#<kind>#...#<recipient>: one email, sent at most once.

    ``status``: sending (claimed until ``lease_until``), retry, sent, failed, suppressed.
    A failed one carries GSI1 = (NOTIFY#FAILED, <failed at>#<appointment id>#<SK>).
    """

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    recipient = UnicodeAttribute()
    sequence = NumberAttribute()
    status = UnicodeAttribute()
    rounds = NumberAttribute(default=0)  # failed rounds of in-process attempts
    lease_until = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)  # a mail service error code, never its message
    updated_at = UnicodeAttribute()


class ReminderItem(Item, discriminator="reminder"):
    """NOTIFY#<appointment id> / REMINDER#<offset>; while due, GSI1 = (REMINDER#<bucket>#<shard>,
    <due>#<appointment id>#<offset>), removed once sent or given up. A pending request's answer
    deadline is REMINDER#ANSWER_BY (``kind`` answer_by, offset 0), in the same index."""

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    offset_minutes = NumberAttribute()
    due = UnicodeAttribute()
    start = UnicodeAttribute()
    sequence = NumberAttribute()
    status = UnicodeAttribute()  # due, sending, sent, failed, skipped; a deadline's: declined
    lease_until = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    kind = UnicodeAttribute(null=True)  # absent: a reminder


class NoticeContextItem(Item, discriminator="notice_context"):
    """NOTIFY#<appointment id> / CONTEXT: the names, emails and zones its emails need, kept (until
    ``expires_at``) when its provider is erased (services/accounts/erase.py): the stream consumer
    may write the cancellation email after the provider's items are gone."""

    provider_name = UnicodeAttribute()
    provider_email = UnicodeAttribute(null=True)
    provider_timezone = UnicodeAttribute()
    provider_language = UnicodeAttribute(default="en")  # absent (older items): English
    client_name = UnicodeAttribute()
    client_email = UnicodeAttribute(null=True)
    client_timezone = UnicodeAttribute()


class SweepStateItem(Item, discriminator="reminder_sweep"):
    """REMINDERS / SWEEP: the first 5-minute bucket the reminder sweep has not finished."""

    swept_until = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class SuppressionItem(Item, discriminator="suppression"):
    """SUPPRESS#<sha256 of the lower-cased address> / SUPPRESSION: no email goes there again."""

    reason = UnicodeAttribute()  # bounce or complaint
    detail = UnicodeAttribute(default="")  # SES's bounce type/subtype or complaint type
    feedback_id = UnicodeAttribute(default="")
    created_at = UnicodeAttribute()


def reminder_from_item(item: ReminderItem) -> Reminder:
    return Reminder(
        appointment_id=item.appointment_id,
        provider_id=item.provider_id,
        offset_minutes=int(item.offset_minutes),
        due=parse_z(item.due),
        start=parse_z(item.start),
        sequence=int(item.sequence),
        kind=item.kind or REMINDER,
    )


def reminder_key(reminder: Reminder) -> ReminderItem:
    """The reminder's item, by its keys only: enough for conditional updates and deletes."""
    sk = keys.ANSWER_BY_SK if reminder.kind == ANSWER_BY else keys.reminder_sk(reminder.offset_minutes)
    return ReminderItem(keys.notify_pk(reminder.appointment_id), sk)
