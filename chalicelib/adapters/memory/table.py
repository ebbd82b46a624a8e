"""What the in-memory stores share: one table of domain objects per kind, and one lock.

Every store of one MemoryTable sees the others' writes, as the DynamoDB stores share the table:
a booking's client is the clients store's client, a service's appointments are the booking
store's. Objects go in and come out as copies, so a caller changing what it got back changes
nothing stored (as with a database).
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.calendars import Calendar, Runs
from chalicelib.domain.catalog import Category, DateOverride, Service, TimeOff, WeeklyInterval
from chalicelib.domain.integrations.api_keys import ApiKey
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.domain.money import format_price
from chalicelib.domain.notifications.reminders import Reminder
from chalicelib.domain.provider import Provider
from chalicelib.services.calendars.ports import StoredFeed
from chalicelib.services.notifications.ports import NoticeContext, StreamRecord

T = TypeVar("T")
Key = tuple[str, str]  # (provider id, item id) unless said otherwise


def fresh(value: T) -> T:
    """A copy nobody else holds."""
    return copy.deepcopy(value)


@dataclass
class Schedule:
    weekly: list[WeeklyInterval]
    updated_at: str


@dataclass
class Marker:
    """One notification's fate (the ledger)."""

    status: str
    rounds: int = 0
    lease_until: str | None = None
    message_id: str | None = None
    reason: str | None = None


@dataclass
class Waiting:
    """A reminder as stored: ``index`` is where it waits to be due ((bucket label, shard), sort
    key), None once it is done."""

    reminder: Reminder
    status: str
    index: tuple[tuple[str, int], str] | None
    lease_until: str | None = None


@dataclass
class MemoryTable:
    lock: threading.RLock = field(default_factory=threading.RLock)
    providers: dict[str, Provider] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)  # slug -> provider id
    categories: dict[Key, Category] = field(default_factory=dict)
    services: dict[Key, Service] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    overrides: dict[Key, DateOverride] = field(default_factory=dict)  # (provider id, date)
    time_off: dict[str, list[TimeOff]] = field(default_factory=dict)  # provider id -> ranges
    # (provider id, local date, service id or "" for every service) -> appointments counted there
    day_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    clients: dict[Key, Client] = field(default_factory=dict)
    client_emails: dict[Key, str] = field(default_factory=dict)  # (provider id, lower email) -> client
    appointments: dict[Key, Appointment] = field(default_factory=dict)
    booking_refs: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (provider, token hash)
    manage_links: dict[str, str] = field(default_factory=dict)  # appointment id -> sealed token
    booking_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (appointment, body)
    # (provider id, UTC block start, minute of the block) -> the appointment holding that minute
    minutes: dict[tuple[str, datetime, int], str] = field(default_factory=dict)
    limit_hits: dict[tuple[str, str, int], int] = field(default_factory=dict)
    challenge_key: bytes | None = None
    used_challenges: dict[str, int] = field(default_factory=dict)
    once: dict[str, tuple[dict[str, Any], object]] = field(default_factory=dict)  # key -> (request, answer)
    markers: dict[Any, Marker] = field(default_factory=dict)
    suppressed: dict[str, str] = field(default_factory=dict)  # address hash -> reason
    link_expiry: dict[str, int] = field(default_factory=dict)  # appointment id -> epoch second
    reminders: dict[tuple[str, int], Waiting] = field(default_factory=dict)  # (appointment, offset)
    swept_until: str | None = None
    # Accounts: the import's Google records (subject -> provider), the claims of them (subject ->
    # (provider, the claiming sign-in's own id)), sign-in links (own id -> (provider, subject)),
    # and what an erased provider's cancelled appointments keep for their emails.
    google: dict[str, str] = field(default_factory=dict)
    google_claims: dict[str, tuple[str, str]] = field(default_factory=dict)
    sign_ins: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    notice_contexts: dict[str, NoticeContext] = field(default_factory=dict)  # appointment id ->
    # The provider's calendars ((provider id, calendar id) -> connection, in insertion order) and
    # their busy runs ((provider id, UTC day) -> calendar id -> runs).
    calendars: dict[Key, Calendar] = field(default_factory=dict)
    calendar_days: dict[Key, dict[str, Runs]] = field(default_factory=dict)
    # Calendar feeds: provider id -> its feed, and token hash -> that same feed.
    feeds: dict[str, StoredFeed] = field(default_factory=dict)
    feed_lookups: dict[str, StoredFeed] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)  # SHA-256 of the key's text -> key
    webhooks: dict[Key, Webhook] = field(default_factory=dict)  # (provider id, webhook id) ->
    # (provider id, webhook id, event id) -> the attempts of that delivery, oldest first
    webhook_deliveries: dict[tuple[str, str, str], list[Any]] = field(default_factory=dict)
    # the same key -> (when it was claimed, the claimed message), in the order of the claims
    webhook_messages: dict[tuple[str, str, str], tuple[str, Any]] = field(default_factory=dict)
    # the same key -> (when its next attempt is due, when its first attempt was): retries waiting
    webhook_retries: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    # Every write of an appointment, as the table's change stream carries it (images: see
    # notifications.MemoryChanges).
    stream: list[StreamRecord] = field(default_factory=list)

    def changed(self, old: Appointment | None, new: Appointment | None) -> None:
        """Log a write of an appointment on the change stream (the caller holds the lock)."""
        image = {"appointment": fresh(new)} if new is not None else None
        before = {"appointment": fresh(old)} if old is not None else None
        self.stream.append(StreamRecord(str(len(self.stream) + 1), before, image))


class OnTable:
    """A store over a MemoryTable: its own, or one shared with the other stores."""

    def __init__(self, table: MemoryTable | None = None) -> None:
        self.table = table if table is not None else MemoryTable()


def apply_changes(current: T, changes: dict[str, Any], allowed: frozenset[str]) -> T:
    """``current`` with ``changes`` (the stores' update rules): only ``allowed`` fields, None
    puts a field back to its default (the attribute is removed), prices keep two places."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not {type(current).__name__} fields: {sorted(unknown)}")
    defaults = {f.name: f for f in dataclasses.fields(current)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            spec = defaults[name]
            if spec.default_factory is not dataclasses.MISSING:
                value = spec.default_factory()
            elif spec.default is not dataclasses.MISSING:
                value = spec.default
            else:
                raise ValueError(f"{name} cannot be removed")
        elif name == "price":
            value = Decimal(format_price(value))
        values[name] = value
    return dataclasses.replace(current, **values)  # type: ignore[type-var]
