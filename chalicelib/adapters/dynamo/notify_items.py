"""Items of notifications: sent markers, reminders, the sweep's bookmark, suppressed addresses.

The stores (notification_store.py, reminder_store.py) read and write them as they are.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item


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
    <due>#<appointment id>#<offset>), removed once sent or given up."""

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    offset_minutes = NumberAttribute()
    due = UnicodeAttribute()
    start = UnicodeAttribute()
    sequence = NumberAttribute()
    status = UnicodeAttribute()  # due, sending, sent, failed, skipped
    lease_until = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()


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
