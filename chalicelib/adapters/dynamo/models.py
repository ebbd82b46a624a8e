"""PynamoDB models sharing the one table, told apart by the ``type`` attribute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.models import Model

from chalicelib.adapters.dynamo.item import Gsi1 as Gsi1
from chalicelib.adapters.dynamo.item import Gsi2 as Gsi2
from chalicelib.adapters.dynamo.item import Item as Item


# The base every item type derives from lives in item.py, so item modules of their own can import
# it without importing this one (which imports them, to register their types).
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


class BookingRefItem(Item, discriminator="booking_ref"):
    """BOOKING#<appointment id>: finds the provider and holds the manage token's hash."""

    provider_id = UnicodeAttribute()
    token_hash = UnicodeAttribute()


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


# Item types kept in modules of their own, imported here so that reading any item finds its class.
from chalicelib.adapters.dynamo.busy_models import BlockItem as BlockItem  # noqa: E402
from chalicelib.adapters.dynamo.busy_models import BusyDayItem as BusyDayItem  # noqa: E402
from chalicelib.adapters.dynamo.busy_models import LedgerItem as LedgerItem  # noqa: E402
from chalicelib.adapters.dynamo.guard_models import BookingKeyItem as BookingKeyItem  # noqa: E402
from chalicelib.adapters.dynamo.guard_models import ChallengeKeyItem as ChallengeKeyItem  # noqa: E402
from chalicelib.adapters.dynamo.guard_models import LimitItem as LimitItem  # noqa: E402
from chalicelib.adapters.dynamo.guard_models import UsedChallengeItem as UsedChallengeItem  # noqa: E402
from chalicelib.adapters.dynamo.notify_models import NotificationItem as NotificationItem  # noqa: E402
from chalicelib.adapters.dynamo.notify_models import ReminderItem as ReminderItem  # noqa: E402
from chalicelib.adapters.dynamo.notify_models import SuppressionItem as SuppressionItem  # noqa: E402
from chalicelib.adapters.dynamo.notify_models import SweepStateItem as SweepStateItem  # noqa: E402


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
