"""Booking items and their mapping: the appointment, its public reference, its sealed manage link,
the booking an Idempotency-Key made. The one place that reads an appointment item or its
stream image into domain objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.expressions.condition import Condition

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import Fields
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.profile_items import LocationMap, location_to_item
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import Appointment, iso_z, parse_z
from chalicelib.domain.catalog import Location
from chalicelib.domain.money import format_price

APPOINTMENT_TYPE = "appointment"
# A manage link is kept until a while after the appointment ends; a reschedule pushes it on.
LINK_KEPT_AFTER_END = timedelta(days=30)
BOOKING_KEY_KEPT = timedelta(days=1)


class AnswerMap(MapAttribute[str, Any]):
    key = UnicodeAttribute()
    label = UnicodeAttribute()
    text = UnicodeAttribute(null=True)  # a text answer or the option chosen
    checked = BooleanAttribute(null=True)  # a checkbox's answer


class AppointmentItem(Item, discriminator=APPOINTMENT_TYPE):
    """PK provider, SK APPT#<id>; GSI1 = (PROVIDER#<pid>#CAL, <start>#<id>) for calendar reads,
    GSI2 = (PROVIDER#<pid>#CLIENT#<cid>, <start>#<id>) for one client's appointments."""

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    service_id = UnicodeAttribute()
    service_name = UnicodeAttribute()
    start = UnicodeAttribute()
    end = UnicodeAttribute()
    status = UnicodeAttribute()
    client_id = UnicodeAttribute()
    client_timezone = UnicodeAttribute()
    price = UnicodeAttribute()
    currency = UnicodeAttribute()
    buffer_before_minutes = NumberAttribute(default=0)
    buffer_after_minutes = NumberAttribute(default=0)
    notes = UnicodeAttribute(default="")
    provider_notes = UnicodeAttribute(default="")
    cancel_reason = UnicodeAttribute(default="")
    source = UnicodeAttribute(default="public")
    sequence = NumberAttribute(default=0)
    revision = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    time_blocks = BooleanAttribute(default=False)  # busy time held by block items
    contact_name = UnicodeAttribute(default="")
    contact_email = UnicodeAttribute(default="")
    contact_phone = UnicodeAttribute(default="")
    location = LocationMap(null=True)  # type: ignore[no-untyped-call]
    answers = ListAttribute[AnswerMap](of=AnswerMap, null=True)
    counted_day = UnicodeAttribute(null=True)  # the local date of its place in the day counts
    notify_client = BooleanAttribute(null=True)  # absent (older items): true
    auto_declined = BooleanAttribute(null=True)  # absent: false
    answer_by = UnicodeAttribute(null=True)  # a pending request's deadline for an answer
    language = UnicodeAttribute(default="en")  # absent (older items): English
    cancelled_by = UnicodeAttribute(default="")  # absent: not cancelled, or not recorded


class BookingRefItem(Item, discriminator="booking_ref"):
    """BOOKING#<appointment id>: finds the provider and holds the manage token's hash."""

    provider_id = UnicodeAttribute()
    token_hash = UnicodeAttribute()


class ManageLinkItem(Item, discriminator="manage_link"):
    """BOOKING#<appointment id> / MANAGE_LINK: the client's manage token, sealed (never plain).

    Written by the booking transaction (manage_link_item); opened only to put the link into
    client emails. Expires a while after the appointment ends.
    """

    appointment_id = UnicodeAttribute()
    sealed_token = UnicodeAttribute()
    created_at = UnicodeAttribute()


class BookingKeyItem(Item, discriminator="booking_key"):
    """BOOKINGKEY#<sha256 of slug and Idempotency-Key> / BOOKINGKEY: the booking made with that key.

    Put by the booking's own transaction, so a request whose answer was lost can always find out
    whether its booking was made. ``body_hash`` tells a replay from a different request.
    """

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    body_hash = UnicodeAttribute()


APPOINTMENT = Fields(
    "appointment_id",
    (
        "provider_id",
        "service_id",
        "service_name",
        "status",
        "client_id",
        "client_timezone",
        "currency",
        "notes",
        "provider_notes",
        "cancel_reason",
        "source",
        "created_at",
        "updated_at",
        "contact_name",
        "contact_email",
        "contact_phone",
        "language",
        "cancelled_by",
    ),
    numbers=("buffer_before_minutes", "buffer_after_minutes", "sequence", "revision"),
    flags=("time_blocks", "auto_declined"),
)
# The manage link is Put once by the booking; a token issued again later replaces it unconditionally.
MANAGE_LINK_CONDITION: Condition = ManageLinkItem.PK.does_not_exist()


def appointment_to_item(a: Appointment) -> AppointmentItem:
    start = iso_z(a.start)
    return AppointmentItem(
        keys.provider_pk(a.provider_id),
        keys.appointment_sk(a.id),
        GSI1PK=keys.calendar_gsi1pk(a.provider_id),
        GSI1SK=keys.calendar_gsi1sk(start, a.id),
        GSI2PK=keys.client_gsi2pk(a.provider_id, a.client_id),
        GSI2SK=keys.calendar_gsi1sk(start, a.id),
        **APPOINTMENT.to_item(a),
        start=start,
        end=iso_z(a.end),
        price=format_price(a.price),
        location=location_to_item(a.location),
        answers=answers_to_item(a.answers),
        counted_day=a.counted_day or None,
        notify_client=None if a.notify_client else False,
        answer_by=None if a.answer_by is None else iso_z(a.answer_by),
    )


def answers_to_item(answers: tuple[Answer, ...]) -> list[AnswerMap] | None:
    found = []
    for answer in answers:
        value = answer.value
        checked, text = (value, None) if isinstance(value, bool) else (None, value)
        found.append(AnswerMap(key=answer.key, label=answer.label, text=text, checked=checked))  # type: ignore[no-untyped-call]
    return found or None


def answers_from_item(items: list[AnswerMap] | None) -> tuple[Answer, ...]:
    return tuple(
        Answer(m.key, m.label, bool(m.checked) if m.checked is not None else m.text or "")
        for m in items or []
    )


def appointment_from_item(item: AppointmentItem) -> Appointment:
    location = None if item.location is None else Location(item.location.type, item.location.value)
    return Appointment(
        **APPOINTMENT.from_item(item),
        start=parse_z(item.start),
        end=parse_z(item.end),
        price=Decimal(item.price),
        location=location,
        answers=answers_from_item(item.answers),
        counted_day=item.counted_day or "",
        notify_client=item.notify_client is not False,
        answer_by=None if item.answer_by is None else parse_z(item.answer_by),
    )


def appointment_from_image(image: Mapping[str, Any] | None) -> Appointment | None:
    """An appointment from a stream image (DynamoDB JSON); None for any other item."""
    if not image or image.get("type", {}).get("S") != APPOINTMENT_TYPE:
        return None
    return appointment_from_item(AppointmentItem.from_raw_data(dict(image)))


def link_expiry(end: datetime) -> int:
    return int((end + LINK_KEPT_AFTER_END).timestamp())


def manage_link_item(appointment_id: str, sealed_token: str, end: datetime, now: datetime) -> ManageLinkItem:
    """What a booking transaction Puts (with MANAGE_LINK_CONDITION) so that its emails can carry
    the client's manage link.

    ``sealed_token`` is the client's manage token sealed by a LinkSealer: the plain token is never
    stored. ``end`` is the appointment's end (aware), ``now`` the booking time.
    """
    return ManageLinkItem(
        keys.booking_pk(appointment_id),
        keys.MANAGE_LINK,
        appointment_id=appointment_id,
        sealed_token=sealed_token,
        created_at=iso_z(now),
        expires_at=link_expiry(end),
    )


def booking_key_item(key_hash: str, body_hash: str, appointment: Appointment) -> BookingKeyItem:
    """The booking an Idempotency-Key made, kept a day after the booking."""
    expires = parse_z(appointment.created_at) + BOOKING_KEY_KEPT
    return BookingKeyItem(
        keys.booking_key_pk(key_hash),
        keys.BOOKING_KEY,
        appointment_id=appointment.id,
        provider_id=appointment.provider_id,
        body_hash=body_hash,
        expires_at=int(expires.timestamp()),
    )
