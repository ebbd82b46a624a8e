"""What a booking transaction writes so that its emails can carry the client's manage link.

The booking store calls :func:`notification_items_for_booking` and adds each item to its
TransactWriteItems as a Put with :data:`CONDITION`. Everything else about notifications
(emails, reminders) follows from the appointment item's own stream record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.expressions.condition import Condition

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import Item, ManageLinkItem
from chalicelib.domain.booking.appointments import iso_z

# Kept until a while after the appointment ends; the stream consumer pushes it on reschedules.
LINK_KEPT_AFTER_END = timedelta(days=30)
CONDITION: Condition = ManageLinkItem.PK.does_not_exist()


def link_expiry(end: datetime) -> int:
    return int((end + LINK_KEPT_AFTER_END).timestamp())


def notification_items_for_booking(
    appointment_id: str, sealed_token: str, end: datetime, now: datetime
) -> list[Item]:
    """Items to Put in the booking transaction (each with ``CONDITION``).

    ``sealed_token`` is the client's manage token sealed by a LinkSealer: the plain token is never
    stored. ``end`` is the appointment's end (aware), ``now`` the booking time.
    A token issued again later (a new link) is Put the same way without ``CONDITION``: the new
    sealed copy replaces the old one, and later emails carry the new link.
    """
    return [
        ManageLinkItem(
            keys.booking_pk(appointment_id),
            keys.MANAGE_LINK,
            appointment_id=appointment_id,
            sealed_token=sealed_token,
            created_at=iso_z(now),
            expires_at=link_expiry(end),
        )
    ]
