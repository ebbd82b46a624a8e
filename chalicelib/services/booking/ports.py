"""What the booking use cases need from the outside world: the booking store, rate limits,
challenges, and the Idempotency-Key records."""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.booking.appointments import Appointment, DayLedger
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.booking.limits import Limit
from chalicelib.domain.booking.service_rules import NO_CAPS, DayCaps
from chalicelib.domain.calendars import CalendarBusy, no_calendar_busy
from chalicelib.domain.catalog import Service, TimeOff, TimeRange, WeeklyInterval
from chalicelib.domain.provider import Provider
from chalicelib.services.shared import Page


@dataclass(frozen=True)
class BookingKey:
    """An Idempotency-Key as a booking stores it: hashed, with the hash of the request body."""

    key_hash: str
    body_hash: str


@dataclass(frozen=True)
class KeyedBooking:
    """The booking an Idempotency-Key made."""

    appointment_id: str
    body_hash: str


@dataclass
class BookingSnapshot:
    """Everything a booking decision reads, taken together (one BatchGetItem)."""

    provider: Provider
    service: Service | None
    weekly: list[WeeklyInterval]
    overrides: dict[str, list[TimeRange]]  # local date -> intervals; [] closes the date
    ledgers: dict[str, DayLedger]  # UTC date -> day ledger of before block items, where one is left
    client_id: str | None = None  # the client already holding the booking email, if any
    # UTC date -> {block slot name: bit mask of busy minutes} (chalicelib/domain/booking/blocks.py)
    busy_days: dict[str, dict[str, int]] = field(default_factory=dict)
    keyed: KeyedBooking | None = None  # what the booking's Idempotency-Key booked already, if any
    time_off: list[TimeOff] = field(default_factory=list)
    counts: DayCounts | None = None  # the day counts of ``count_days``, when asked for
    # The connected calendars' busy runs of the UTC days read, and until when each counts.
    calendar_busy: CalendarBusy = field(default_factory=no_calendar_busy)


@dataclass
class DayCounts:
    """Appointments counted per local date (max_per_day): all of them, and the service's."""

    totals: dict[str, int] = field(default_factory=dict)
    of_service: dict[str, int] = field(default_factory=dict)


@dataclass
class BookingRef:
    appointment_id: str
    provider_id: str
    token_hash: str


class BookingRepository(abc.ABC):
    @abc.abstractmethod
    def provider_id_for_slug(self, slug: str) -> str | None: ...

    @abc.abstractmethod
    def booking_snapshot(
        self,
        provider_id: str,
        service_id: str,
        local_days: list[str],
        utc_days: list[str],
        client_email: str | None = None,
        consistent: bool = True,
        booking_key: str | None = None,
        legacy_days: list[str] | None = None,
        count_days: list[str] | None = None,
    ) -> BookingSnapshot | None:
        """None when the provider does not exist. ``legacy_days``: UTC days whose day ledgers
        (from before block items) to read too; ``booking_key``: a key hash to look up;
        ``count_days``: local dates whose day counts to read too (``counts``)."""

    @abc.abstractmethod
    def day_counts(self, provider_id: str, service_id: str, days: list[str]) -> DayCounts:
        """The day counts of up to 35 local dates, for a slot listing that a cap applies to."""

    @abc.abstractmethod
    def add_appointment(
        self,
        appointment: Appointment,
        token_hash: str,
        sealed_token: str,
        client: Client,
        client_is_new: bool,
        booking_key: BookingKey | None = None,
        caps: DayCaps = NO_CAPS,
    ) -> None:
        """Write it with its busy time, its client (new, or checked to be still the one read),
        its sealed manage link (for the emails) and its place in the day counts, atomically.

        Raise SlotUnavailableError when a minute of its busy time is taken (a real overlap),
        DailyLimitError when its day has reached a cap of ``caps``, BookingKeyTakenError when
        ``booking_key`` has booked already, ConcurrentChangeError when the client read has
        changed since.
        """

    @abc.abstractmethod
    def get_appointment(self, provider_id: str, appointment_id: str) -> Appointment | None: ...

    @abc.abstractmethod
    def get_booking_ref(self, appointment_id: str) -> BookingRef | None: ...

    @abc.abstractmethod
    def sealed_manage_token(self, appointment_id: str) -> str | None:
        """The booking's manage token as a LinkSealer sealed it, if still kept."""

    @abc.abstractmethod
    def save_change(self, before: Appointment, after: Appointment, caps: DayCaps = NO_CAPS) -> None:
        """Store ``after`` if the appointment is still ``before``; move its busy time and its
        place in the day counts.

        Raise SlotUnavailableError when the new time overlaps another appointment,
        DailyLimitError when a day it moves to has reached a cap of ``caps``, and
        ConcurrentChangeError when the appointment changed since it was read.
        """

    @abc.abstractmethod
    def list_appointments(
        self,
        provider_id: str,
        start_from: datetime,
        start_to: datetime,
        status: str | None,
        client_id: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Appointment]: ...


class RateLimiter(abc.ABC):
    @abc.abstractmethod
    def hit(self, name: str, subject: str, limit: Limit, now: datetime) -> None:
        """Count one attempt of ``subject`` against limit ``name`` in the window holding ``now``;
        raise RateLimitedError (with the seconds until the next window) when it is over."""


class ChallengeStore(abc.ABC):
    @abc.abstractmethod
    def key(self) -> bytes:
        """The key that signs proof-of-work challenges (the same for every instance)."""

    @abc.abstractmethod
    def use(self, challenge: str, expires_epoch: int) -> bool:
        """Mark a solved challenge used; False when it was used before."""


class OncePerKey(abc.ABC):
    """Work done once per key, its answer kept a while for the requests that ask again."""

    @abc.abstractmethod
    def run(
        self, key: str, request: dict[str, Any], work: Callable[[], dict[str, Any]], context: Any
    ) -> dict[str, Any]:
        """``work()``'s answer, worked out the first time ``key`` comes.

        Asked again with the same ``request``: that answer; with another one, a ValidationError;
        while the first still runs, a ConflictError. ``context`` is the invocation (how long it
        may still run), as the entry point got it.
        """
