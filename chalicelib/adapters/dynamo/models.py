"""Every item type of the one table, told apart by the ``type`` attribute, and where they connect.

Each family of items lives with its mapping in a module of its own (the base item in item.py):

- profile_items.py: profile, slug and Google claims, categories, services, weekly hours, overrides
- calendar_items.py: the provider's connected calendars, their count, their busy days
- client_items.py: clients and their email claims
- booking_items.py: appointments, booking references, sealed manage links, Idempotency-Key bookings
- busy_items.py: busy-time blocks, day summaries, the day ledgers of before blocks
- count_items.py: day counts (appointments a local date holds, for max_per_day)
- time_off_items.py: a provider's time off, every range in one item
- guard_items.py: abuse-limit windows, the proof-of-work key, used challenges
- notify_items.py: notification markers, reminders, the sweep's bookmark, suppressed addresses,
  the notice context an erased provider's cancelled appointments keep
- account_items.py: sign-in links, claims of imported providers by Google accounts

They are all imported here, so that reading any item (a Query over a partition, a stream image)
finds its class; ``bind`` points them all at the configured table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.models import Model

from chalicelib.adapters.dynamo.account_items import GoogleClaimItem as GoogleClaimItem
from chalicelib.adapters.dynamo.account_items import SignInItem as SignInItem
from chalicelib.adapters.dynamo.booking_items import AppointmentItem as AppointmentItem
from chalicelib.adapters.dynamo.booking_items import BookingKeyItem as BookingKeyItem
from chalicelib.adapters.dynamo.booking_items import BookingRefItem as BookingRefItem
from chalicelib.adapters.dynamo.booking_items import ManageLinkItem as ManageLinkItem
from chalicelib.adapters.dynamo.busy_items import BlockItem as BlockItem
from chalicelib.adapters.dynamo.busy_items import BusyDayItem as BusyDayItem
from chalicelib.adapters.dynamo.busy_items import LedgerItem as LedgerItem
from chalicelib.adapters.dynamo.calendar_items import CalendarDayItem as CalendarDayItem
from chalicelib.adapters.dynamo.calendar_items import CalendarItem as CalendarItem
from chalicelib.adapters.dynamo.calendar_items import CalendarsItem as CalendarsItem
from chalicelib.adapters.dynamo.client_items import ClientEmailItem as ClientEmailItem
from chalicelib.adapters.dynamo.client_items import ClientItem as ClientItem
from chalicelib.adapters.dynamo.client_items import ClientKeyItem as ClientKeyItem
from chalicelib.adapters.dynamo.count_items import DayCountItem as DayCountItem
from chalicelib.adapters.dynamo.guard_items import ChallengeKeyItem as ChallengeKeyItem
from chalicelib.adapters.dynamo.guard_items import LimitItem as LimitItem
from chalicelib.adapters.dynamo.guard_items import UsedChallengeItem as UsedChallengeItem
from chalicelib.adapters.dynamo.item import Item as Item
from chalicelib.adapters.dynamo.item import connection as connection
from chalicelib.adapters.dynamo.item import dynamodb_client as dynamodb_client
from chalicelib.adapters.dynamo.notify_items import NoticeContextItem as NoticeContextItem
from chalicelib.adapters.dynamo.notify_items import NotificationItem as NotificationItem
from chalicelib.adapters.dynamo.notify_items import ReminderItem as ReminderItem
from chalicelib.adapters.dynamo.notify_items import SuppressionItem as SuppressionItem
from chalicelib.adapters.dynamo.notify_items import SweepStateItem as SweepStateItem
from chalicelib.adapters.dynamo.profile_items import CategoryItem as CategoryItem
from chalicelib.adapters.dynamo.profile_items import GoogleItem as GoogleItem
from chalicelib.adapters.dynamo.profile_items import OverrideItem as OverrideItem
from chalicelib.adapters.dynamo.profile_items import ProviderItem as ProviderItem
from chalicelib.adapters.dynamo.profile_items import ScheduleItem as ScheduleItem
from chalicelib.adapters.dynamo.profile_items import ServiceItem as ServiceItem
from chalicelib.adapters.dynamo.profile_items import SlugItem as SlugItem
from chalicelib.adapters.dynamo.time_off_items import TimeOffItem as TimeOffItem


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
