"""PynamoDB models sharing the one table, told apart by the ``type`` attribute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamo.table import GSI1, GSI2, TTL_ATTRIBUTE
from chalicelib.domain.blocks import BLOCK_MINUTES, WINDOW_NAMES


class Gsi1(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = GSI1
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    """A client's own appointments, by start: ``PROVIDER#<pid>#CLIENT#<cid>`` / ``<start>#<id>``."""

    class Meta:
        index_name = GSI2
        projection = AllProjection()

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Every item of the table: generic keys, a type, an optional TTL."""

    class Meta:
        table_name = "unbound"
        region = "us-east-1"
        host: str | None = None
        # Replaced by bind() from the settings (Settings.dynamodb_*): a request must answer well
        # within API Gateway's 29 s, so one call waits at most about 2 x 2 s before a 503.
        connect_timeout_seconds = 1.0
        read_timeout_seconds = 2.0
        max_retry_attempts = 1
        max_pool_connections = 50

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True, attr_name=TTL_ATTRIBUTE)
    gsi1 = Gsi1()
    gsi2 = Gsi2()


class ProviderItem(Item, discriminator="provider"):
    provider_id = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    timezone = UnicodeAttribute()
    slug = UnicodeAttribute(null=True)
    min_notice_minutes = NumberAttribute()
    max_advance_days = NumberAttribute()
    slot_interval_minutes = NumberAttribute()
    cancellation_notice_minutes = NumberAttribute()
    reminder_offsets_minutes = ListAttribute[float](of=NumberAttribute)  # type: ignore[arg-type]
    booking_challenge = BooleanAttribute(default=False)  # public bookings need a proof of work
    # Kept by the same transactions that add or delete categories and services (caps).
    category_count = NumberAttribute(default=0)
    service_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class SlugItem(Item, discriminator="slug"):
    provider_id = UnicodeAttribute()


class CategoryItem(Item, discriminator="category"):
    category_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    position = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ServiceItem(Item, discriminator="service"):
    service_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    duration_minutes = NumberAttribute()
    price = UnicodeAttribute()  # a decimal string: never a float on the way in or out
    currency = UnicodeAttribute()
    category_id = UnicodeAttribute(null=True)
    visible = BooleanAttribute()
    buffer_before_minutes = NumberAttribute(default=0)
    buffer_after_minutes = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class Interval(MapAttribute[str, Any]):
    day = UnicodeAttribute(null=True)
    start = UnicodeAttribute()
    end = UnicodeAttribute()


class ScheduleItem(Item, discriminator="schedule"):
    provider_id = UnicodeAttribute()
    # The zone lives on the profile (one source of truth); older items may still carry one.
    timezone = UnicodeAttribute(null=True)
    weekly: ListAttribute[Interval] = ListAttribute(of=Interval)
    updated_at = UnicodeAttribute()


class OverrideItem(Item, discriminator="override"):
    provider_id = UnicodeAttribute()
    date = UnicodeAttribute()
    intervals: ListAttribute[Interval] = ListAttribute(of=Interval)
    updated_at = UnicodeAttribute()


class AppointmentItem(Item, discriminator="appointment"):
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


class BookingKeyItem(Item, discriminator="booking_key"):
    """BOOKINGKEY#<sha256 of slug and Idempotency-Key> / BOOKINGKEY: the booking made with that key.

    Put by the booking's own transaction, so a request whose answer was lost can always find out
    whether its booking was made. ``body_hash`` tells a replay from a different request.
    """

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    body_hash = UnicodeAttribute()


class BookingRefItem(Item, discriminator="booking_ref"):
    """BOOKING#<appointment id>: finds the provider and holds the manage token's hash."""

    provider_id = UnicodeAttribute()
    token_hash = UnicodeAttribute()


class LedgerItem(Item, discriminator="ledger"):
    """DAY#<utc date>: the shape busy time had before block items (read until migrated away).

    Migration 0001 (infra/migrate.py) turns every ledger into block items and deletes it;
    appointments booked before then are still found here, and freed here when they change.

    ``busy`` maps appointment id -> {start, end, buffer_before_minutes, buffer_after_minutes}.
    Created by a conditional Put (a nested SET needs the map to exist), then updated in place.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    version = NumberAttribute(default=0)
    busy: MapAttribute[str, Any] = MapAttribute(default=dict)  # type: ignore[no-untyped-call]


def minute_name(minute: int) -> str:
    """The attribute of a block item that holds its minute ``minute`` (0-29): ``m00``..``m29``."""
    return f"m{minute:02d}"


def _minute_attributes() -> dict[str, Attribute[Any]]:
    return {minute_name(m): UnicodeAttribute(null=True) for m in range(BLOCK_MINUTES)}


def _window_attributes() -> dict[str, Attribute[Any]]:
    return {name: NumberAttribute(null=True) for name in WINDOW_NAMES}


class BlockItem(Item, discriminator="block"):
    """BLOCK#<utc yyyy-mm-ddThh:mm>: 30 minutes of a provider's time, minute by minute.

    ``m00``..``m29`` hold the id of the appointment keeping that minute busy (absent when free);
    a booking sets its minutes with ``attribute_not_exists`` on each, so only a real overlap can
    refuse it. ``pieces`` lists the held runs as ``"first-last"`` for people reading the table.
    """

    provider_id = UnicodeAttribute()
    pieces = UnicodeSetAttribute(null=True)
    locals().update(_minute_attributes())


class BusyDayItem(Item, discriminator="busy_day"):
    """BUSY#<utc yyyy-mm-dd>: the day's busy minutes, one 120-bit mask per two hours (``h00``..``h22``).

    Kept by the same transactions as the block items, with ADD (no condition, fixed size): slot
    listings read one of these per day instead of every appointment.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    locals().update(_window_attributes())


class ClientItem(Item, discriminator="client"):
    """CLIENT#<id>; GSI1 = (PROVIDER#<pid>#CLIENTS, <lower name>#<id>) for name search."""

    client_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(default="")
    notes = UnicodeAttribute(default="")
    timezone = UnicodeAttribute(default="")
    erased = BooleanAttribute(default=False)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ClientEmailItem(Item, discriminator="client_email"):
    """CLIENTEMAIL#<lower email>: one client per email and provider; email prefix search."""

    provider_id = UnicodeAttribute()
    client_id = UnicodeAttribute()


class ManageLinkItem(Item, discriminator="manage_link"):
    """BOOKING#<appointment id> / MANAGE_LINK: the client's manage token, sealed (never plain).

    Written by the booking transaction (notification_items_for_booking); opened only to put the
    link into client emails. Expires a while after the appointment ends.
    """

    appointment_id = UnicodeAttribute()
    sealed_token = UnicodeAttribute()
    created_at = UnicodeAttribute()


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


class LimitItem(Item, discriminator="limit"):
    """LIMIT#<name>#<sha256 of the subject> / WINDOW#<start>: attempts counted in one window."""

    hits = NumberAttribute(null=True)


class ChallengeKeyItem(Item, discriminator="challenge_key"):
    """SECRET#CHALLENGE / KEY: the HMAC key that signs proof-of-work challenges (base64)."""

    secret = UnicodeAttribute()


class UsedChallengeItem(Item, discriminator="used_challenge"):
    """CHALLENGE#<challenge> / USED: a solved challenge that has booked; expires with it."""


class SuppressionItem(Item, discriminator="suppression"):
    """SUPPRESS#<sha256 of the lower-cased address> / SUPPRESSION: no email goes there again."""

    reason = UnicodeAttribute()  # bounce or complaint
    detail = UnicodeAttribute(default="")  # SES's bounce type/subtype or complaint type
    feedback_id = UnicodeAttribute(default="")
    created_at = UnicodeAttribute()


def _all_models(cls: type[Model]) -> list[type[Model]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_all_models(sub))
    return found


@dataclass(frozen=True)
class Timeouts:
    connect_seconds: float = 1.0
    read_seconds: float = 2.0
    attempts: int = 2  # the first try and one retry


def bind(
    table_name: str,
    region: str,
    host: str | None,
    credentials: tuple[str, str] | None = None,
    timeouts: Timeouts | None = None,
) -> None:
    """Point every model at the configured table (settings are only known at run time).

    All models and transactions share one connection, hence one botocore client and one
    connection pool, instead of one per model class.
    """
    meta: Any = Item.Meta
    meta.table_name = table_name
    meta.region = region
    meta.host = host
    limits = timeouts or Timeouts()
    meta.connect_timeout_seconds = limits.connect_seconds
    meta.read_timeout_seconds = limits.read_seconds
    meta.max_retry_attempts = limits.attempts - 1
    if credentials is not None:
        meta.aws_access_key_id, meta.aws_secret_access_key = credentials
    for model in _all_models(Item):
        model._connection = None
    shared = Item._get_connection()
    for model in _all_models(Item):
        model._connection = shared


def connection() -> Connection:
    """The connection every model uses; transactions go through it too."""
    return Item._get_connection().connection


def dynamodb_client() -> Any:
    """The botocore client behind every request (tests hook its events to count requests)."""
    return connection().client
