"""What the services need from the outside world, as abstract ports."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from chalicelib.domain.booking.appointments import Appointment, DayLedger
from chalicelib.domain.booking.clients import Client, Visit
from chalicelib.domain.booking.limits import Limit
from chalicelib.domain.catalog import Availability, Category, DateOverride, Service, TimeRange, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity, Provider

if TYPE_CHECKING:  # the stdlib email package costs ~15 ms; routes that send no mail skip it
    from chalicelib.domain.notifications.delivery import Claim, NotificationKey
    from chalicelib.domain.notifications.mail import OutgoingEmail

T = TypeVar("T")
Changes = dict[str, Any]


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass
class Catalog:
    """A provider's public page material, read together."""

    provider: Provider
    categories: list[Category] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)


class ProviderRepository(abc.ABC):
    @abc.abstractmethod
    def get_provider(self, provider_id: str) -> Provider | None: ...

    @abc.abstractmethod
    def create_provider(self, provider: Provider) -> bool:
        """Store a new provider; False when one with that id already exists."""

    @abc.abstractmethod
    def update_profile(
        self, provider: Provider, changes: Changes, now: str, new_slug: str | None = None
    ) -> Provider:
        """Apply ``changes``; with ``new_slug``, claim it and release ``provider.slug`` atomically."""


class CatalogRepository(abc.ABC):
    @abc.abstractmethod
    def add_category(self, category: Category) -> None: ...

    @abc.abstractmethod
    def get_category(self, provider_id: str, category_id: str) -> Category | None: ...

    @abc.abstractmethod
    def list_categories(self, provider_id: str, limit: int, cursor: str | None) -> Page[Category]: ...

    @abc.abstractmethod
    def update_category(self, provider_id: str, category_id: str, changes: Changes) -> Category: ...

    @abc.abstractmethod
    def delete_category(self, provider_id: str, category_id: str) -> None:
        """Delete it and leave its services uncategorised."""

    @abc.abstractmethod
    def add_service(self, service: Service) -> None: ...

    @abc.abstractmethod
    def get_service(self, provider_id: str, service_id: str) -> Service | None: ...

    @abc.abstractmethod
    def list_services(self, provider_id: str, limit: int, cursor: str | None) -> Page[Service]: ...

    @abc.abstractmethod
    def update_service(self, provider_id: str, service_id: str, changes: Changes) -> Service: ...

    @abc.abstractmethod
    def delete_service(self, provider_id: str, service_id: str) -> None: ...

    @abc.abstractmethod
    def has_future_appointments(self, provider_id: str, service_id: str, now: datetime) -> bool: ...

    @abc.abstractmethod
    def get_catalog_by_slug(self, slug: str) -> Catalog | None: ...


class AvailabilityRepository(abc.ABC):
    @abc.abstractmethod
    def get_availability(self, provider_id: str) -> Availability | None: ...

    @abc.abstractmethod
    def replace_weekly(
        self, provider_id: str, weekly: list[WeeklyInterval], now: str, timezone: str | None = None
    ) -> None:
        """Replace the weekly hours; with ``timezone``, set the profile's zone in the same write."""

    @abc.abstractmethod
    def get_override(self, provider_id: str, day: str) -> DateOverride | None: ...

    @abc.abstractmethod
    def put_override(self, provider_id: str, day: str, intervals: list[TimeRange], now: str) -> None: ...

    @abc.abstractmethod
    def delete_override(self, provider_id: str, day: str) -> None: ...

    @abc.abstractmethod
    def list_overrides(
        self, provider_id: str, first: str, last: str, limit: int, cursor: str | None
    ) -> Page[DateOverride]: ...


class ClientRepository(abc.ABC):
    @abc.abstractmethod
    def create_client(self, client: Client) -> None:
        """Store a new client and claim its email; ClientEmailTakenError if the email is claimed."""

    @abc.abstractmethod
    def get_client(self, provider_id: str, client_id: str) -> Client | None: ...

    @abc.abstractmethod
    def list_clients(self, provider_id: str, limit: int, cursor: str | None) -> Page[Client]:
        """Every client, erased ones included, oldest first."""

    @abc.abstractmethod
    def find_clients_by_name(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """Clients whose name starts with ``prefix`` (any case), by name; never erased ones."""

    @abc.abstractmethod
    def find_clients_by_email(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """Clients whose email starts with ``prefix`` (any case), by email; never erased ones."""

    @abc.abstractmethod
    def update_client(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        """NotFoundError if there is no such client, ClientErasedError if it was erased."""

    @abc.abstractmethod
    def erase_client(self, client: Client, now: str) -> None:
        """Replace the client by its anonymous record and release its email, in one write."""

    @abc.abstractmethod
    def clear_appointment_texts(self, provider_id: str, client_id: str) -> int:
        """Remove the free text of every appointment of the client; how many were changed."""

    @abc.abstractmethod
    def client_visits(self, provider_id: str, client_id: str) -> list[Visit]:
        """Status and start of every appointment of the client."""

    @abc.abstractmethod
    def list_client_appointments(
        self, provider_id: str, client_id: str, limit: int, cursor: str | None
    ) -> Page[Appointment]:
        """The client's appointments, latest start first."""


class Repository(ProviderRepository, CatalogRepository, AvailabilityRepository, ClientRepository, abc.ABC):
    """Everything the HTTP use cases read and write."""


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


class HealthProbe(abc.ABC):
    @abc.abstractmethod
    def check(self) -> None:
        """Raise DependencyUnavailableError when the dependency does not answer."""


class TokenVerifier(abc.ABC):
    @abc.abstractmethod
    def verify(self, token: str) -> Identity:
        """Return the identity of a valid token; raise AuthenticationError otherwise."""


class Mailer(abc.ABC):
    @abc.abstractmethod
    def send(self, message: OutgoingEmail) -> str:
        """Hand the message over for delivery and return its id at the mail service.

        Raise MailerUnavailableError when trying again later may work (throttling, outage) and
        MessageRejectedError when it will not (the service refused this message).
        """


class NotificationLedger(abc.ABC):
    """Where each notification's fate is kept, so that it is sent once, and where suppressed
    addresses are listed."""

    @abc.abstractmethod
    def claim(self, key: NotificationKey, now: datetime, lease: timedelta) -> Claim:
        """Take the right to send it until ``now + lease``, unless it is done or held."""

    @abc.abstractmethod
    def mark_sent(self, key: NotificationKey, now: datetime, message_id: str) -> None: ...

    @abc.abstractmethod
    def mark_retry(self, key: NotificationKey, now: datetime, reason: str) -> None:
        """Release the claim after a failed round; a later claim may try again."""

    @abc.abstractmethod
    def mark_failed(self, key: NotificationKey, now: datetime, reason: str) -> None:
        """Give up on it, visibly (docs/notifications.md says where)."""

    @abc.abstractmethod
    def mark_suppressed(self, key: NotificationKey, now: datetime) -> None: ...

    @abc.abstractmethod
    def is_suppressed(self, address: str) -> bool: ...


class LinkSealer(abc.ABC):
    """Keeps a client's manage token unreadable at rest, yet recoverable for their emails."""

    @abc.abstractmethod
    def seal(self, appointment_id: str, token: str) -> str:
        """The token sealed to this appointment, as text fit for an item attribute."""

    @abc.abstractmethod
    def open(self, appointment_id: str, sealed: str) -> str:
        """The token back; SealedLinkError when it cannot be opened (another key, tampered)."""


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...

    def stamp(self) -> str:
        """Now as stored: UTC, ISO 8601 with ``Z``."""
        return self.now().astimezone(UTC).isoformat().replace("+00:00", "Z")


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class IdGenerator(abc.ABC):
    @abc.abstractmethod
    def new_id(self) -> str: ...


class SortableIds(IdGenerator):
    def new_id(self) -> str:
        return new_id()


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
    ) -> BookingSnapshot | None:
        """None when the provider does not exist. ``legacy_days``: UTC days whose day ledgers
        (from before block items) to read too; ``booking_key``: a key hash to look up."""

    @abc.abstractmethod
    def add_appointment(
        self,
        appointment: Appointment,
        token_hash: str,
        sealed_token: str,
        client: Client,
        client_is_new: bool,
        booking_key: BookingKey | None = None,
    ) -> None:
        """Write it with its busy time, its client (new, or checked to be still the one read) and
        its sealed manage link (for the emails), atomically.

        Raise SlotUnavailableError when a minute of its busy time is taken (a real overlap),
        BookingKeyTakenError when ``booking_key`` has booked already, ConcurrentChangeError when
        the client read has changed since.
        """

    @abc.abstractmethod
    def get_appointment(self, provider_id: str, appointment_id: str) -> Appointment | None: ...

    @abc.abstractmethod
    def get_booking_ref(self, appointment_id: str) -> BookingRef | None: ...

    @abc.abstractmethod
    def sealed_manage_token(self, appointment_id: str) -> str | None:
        """The booking's manage token as a LinkSealer sealed it, if still kept."""

    @abc.abstractmethod
    def save_change(self, before: Appointment, after: Appointment) -> None:
        """Store ``after`` if the appointment is still ``before``; move its busy time.

        Raise SlotUnavailableError when the new time overlaps another appointment, and
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
