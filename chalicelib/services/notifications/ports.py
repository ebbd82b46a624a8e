"""What notifications need: the table's changes, the people involved, reminders, a mailer, a ledger."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.languages import provider_language
from chalicelib.domain.notifications.policy import ChangePolicy

if TYPE_CHECKING:  # the stdlib email package costs ~15 ms; routes that send no mail skip it
    from chalicelib.domain.notifications.delivery import Claim, NotificationKey
    from chalicelib.domain.notifications.mail import OutgoingEmail
    from chalicelib.domain.notifications.reminders import PlannedReminder, Reminder
    from chalicelib.domain.provider import Provider


@dataclass(frozen=True)
class Party:
    """Someone a notice is about or for: the provider or the client."""

    name: str
    email: str | None  # None for a client booked with a phone only, or erased
    timezone: str
    erased: bool = False  # an erased client: nothing personal is shown, not even what the booking kept
    # The language this party is written to in: the provider's profile's (the client's is the
    # appointment's, not the party's).
    language: str = "en"
    # The provider's brand, for her emails' HTML part (a client's party has none): her headline,
    # accent colour and photo (the version of its squares), as her profile has them.
    headline: str = ""
    accent_color: str | None = None
    photo: str | None = None


def provider_party(provider: Provider) -> Party:
    """The provider as her notices name her, in her language, with her brand."""
    return Party(
        provider.name,
        provider.email,
        provider.timezone,
        language=provider_language(provider),
        headline=provider.headline,
        accent_color=provider.accent_color,
        photo=provider.photo,
    )


@dataclass(frozen=True)
class NoticeContext:
    """What notices of an appointment need besides the appointment, read together."""

    provider: Party
    client: Party
    reminder_offsets: list[int]
    sealed_token: str | None  # the client's manage token as a LinkSealer sealed it, if kept
    # The provider's cancellation policy, for what the client's emails say (None: say nothing).
    change_policy: ChangePolicy | None = None


@dataclass(frozen=True)
class StreamRecord:
    """One record of the table's change stream; the images are in the store's own format."""

    sequence: str
    old_image: Mapping[str, Any] | None = None
    new_image: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class AppointmentChange:
    old: Appointment | None  # None: the appointment is new
    new: Appointment | None  # None: it was removed


@dataclass(frozen=True)
class ClientErased:
    """A stream record that erased a client (it was not erased before the write, it is after)."""

    provider_id: str
    client_id: str
    erased_at: str


class ChangeReader(abc.ABC):
    @abc.abstractmethod
    def change(self, record: StreamRecord) -> AppointmentChange | None:
        """The appointment before and after the write; None when the record is about another
        item, or is a write that brings back a state already notified (a restore)."""

    def client_erased(self, record: StreamRecord) -> ClientErased | None:
        """The erasure of a client the record is; None for any other write. (A reader of a
        stream that carries only appointments, as the in-memory one, never sees one.)"""
        return None


class NoticeSource(abc.ABC):
    """What notices read besides the change itself."""

    @abc.abstractmethod
    def appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        """The appointment as stored now (strongly consistent)."""

    @abc.abstractmethod
    def context(self, appointment: Appointment) -> NoticeContext | None:
        """Provider, client and sealed link; None when the provider has no profile."""

    @abc.abstractmethod
    def keep_link(self, appointment: Appointment) -> None:
        """A moved appointment keeps its sealed link until a while after its new end."""


class ReminderQueue(abc.ABC):
    """Reminders waiting for their time, and the sweep's bookmark (the first unfinished bucket)."""

    @abc.abstractmethod
    def schedule(self, appointment: Appointment, offsets: list[int], now: datetime) -> list[PlannedReminder]:
        """The appointment's reminders for its current start and sequence; stale ones go.
        Idempotent: one already sent (or being sent) for the same start and sequence stays."""

    @abc.abstractmethod
    def await_answer(self, appointment: Appointment, now: datetime) -> Reminder | None:
        """A pending request's answer deadline (``answer_by``), due then, in the bucket of that
        time or of ``now`` if it has passed already (a swept bucket is not read again); it
        replaces the request's earlier deadline. None (and nothing queued) without a deadline."""

    @abc.abstractmethod
    def drop(self, appointment_id: str) -> None:
        """Its reminders and its answer deadline go."""

    @abc.abstractmethod
    def due(self, bucket: datetime, shard: int, now: datetime) -> Iterator[Reminder]:
        """Reminders waiting in one bucket and shard, due at or before ``now``."""

    @abc.abstractmethod
    def claim(self, reminder: Reminder, now: datetime, lease: timedelta) -> bool:
        """Take it for sending; False when another sweep has it or it is no longer due."""

    @abc.abstractmethod
    def finish(self, reminder: Reminder, status: str, now: datetime) -> None:
        """Done for good: ``sent``, ``skipped`` or ``failed``."""

    @abc.abstractmethod
    def requeue(self, reminder: Reminder, now: datetime) -> None:
        """Due again, in now's bucket, so the next sweep tries it again."""

    @abc.abstractmethod
    def forget(self, reminder: Reminder) -> None: ...

    @abc.abstractmethod
    def swept_until(self) -> datetime | None: ...

    @abc.abstractmethod
    def advance(self, until: datetime, now: datetime) -> None:
        """Move the bookmark forward only: a slower concurrent sweep never moves it back."""


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

    @abc.abstractmethod
    def suppress(self, address: str, reason: str, detail: str, feedback_id: str, now: datetime) -> None:
        """Never mail ``address`` again (a hard bounce or a complaint); kept as a hash."""
