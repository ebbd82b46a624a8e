"""Notification tests: appointments written straight to the table, a clock to move, mailers to watch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from icalendar import Calendar

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.booking_items import MANAGE_LINK_CONDITION, manage_link_item
from chalicelib.adapters.dynamo.models import AppointmentItem, ClientItem, NotificationItem, ProviderItem
from chalicelib.adapters.dynamo.notification_store import NotificationStore, marker_keys
from chalicelib.adapters.links import LocalLinkSealer
from chalicelib.bootstrap import notification_jobs
from chalicelib.config import Settings
from chalicelib.domain.booking.appointments import iso_z
from chalicelib.domain.errors import MailerUnavailableError
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.delivery import NotificationKey
from chalicelib.domain.notifications.mail import OutgoingEmail, to_mime
from chalicelib.services.integrations.retries import WebhookRetries
from chalicelib.services.notifications.feedback import EmailFeedback
from chalicelib.services.notifications.outbox import Outbox
from chalicelib.services.notifications.ports import Mailer
from chalicelib.services.notifications.reminders import ReminderSweep
from chalicelib.services.shared import Clock, LinkSealer

PROVIDER_EMAIL = "pat@provider.example"
CLIENT_EMAIL = "casey@client.example"
PROVIDER_NAME = "Pat Provider"
CLIENT_NAME = "Casey Client"
TOKEN = "tok-3f9a-secret-value"
BASE_URL = "https://book.example.com"
SENDER = "bookings@scheduler.example"


class FixedClock(Clock):
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class RecordingMailer(Mailer):
    """Keeps what it sends; can be told to be unavailable for the next ``failures`` sends."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[OutgoingEmail] = []
        self.failures = failures
        self.attempts = 0

    def send(self, message: OutgoingEmail) -> str:
        self.attempts += 1
        if self.failures > 0:
            self.failures -= 1
            raise MailerUnavailableError("down", [{"reason": "Throttling"}])
        self.sent.append(message)
        return f"m-{len(self.sent)}"

    def to(self, address: str) -> list[OutgoingEmail]:
        return [m for m in self.sent if m.to == address]


@dataclass
class Jobs:
    """The notification jobs' services on the real adapters, with this test's mailer, clock and sealer."""

    clock: Clock
    sealer: LinkSealer
    store: NotificationStore  # to read the markers the services leave
    outbox: Outbox
    sweep: ReminderSweep
    feedback: EmailFeedback
    webhook_retries: WebhookRetries


def make_jobs(
    settings: Settings,
    mailer: Mailer,
    clock: Clock,
    sleep: Callable[[float], None],
    sealer: LinkSealer | None = None,
) -> Jobs:
    sealer = sealer or LocalLinkSealer(b"k" * 32)
    built = notification_jobs(settings, mailer, clock, sealer, sleep)
    return Jobs(
        clock, sealer, NotificationStore(), built.outbox, built.sweep, built.feedback, built.webhook_retries
    )


@dataclass
class Booked:
    provider_id: str
    appointment_id: str
    client_id: str
    start: datetime
    end: datetime


@dataclass
class Book:
    """Writes what a booking transaction writes: provider, client, appointment, sealed link."""

    jobs: Jobs
    made: list[Booked] = field(default_factory=list)

    def provider(
        self,
        timezone: str = "America/New_York",
        offsets: tuple[int, ...] = (1440, 60),
        email: str = PROVIDER_EMAIL,
        language: str | None = None,
    ) -> str:
        provider_id = new_id()
        ProviderItem(
            keys.provider_pk(provider_id),
            keys.PROFILE,
            provider_id=provider_id,
            email=email,
            name=PROVIDER_NAME,
            timezone=timezone,
            min_notice_minutes=60,
            max_advance_days=60,
            slot_interval_minutes=30,
            cancellation_notice_minutes=1440,
            reminder_offsets_minutes=list(offsets),
            language=language,
            created_at="2027-01-01T00:00:00Z",
            updated_at="2027-01-01T00:00:00Z",
        ).save()
        return provider_id

    def appointment(
        self,
        provider_id: str,
        start: datetime,
        minutes: int = 60,
        client_timezone: str = "Europe/London",
        client_email: str | None = CLIENT_EMAIL,
        status: str = "confirmed",
        language: str = "en",
    ) -> Booked:
        appointment_id, client_id = new_id(), new_id()
        now = self.jobs.clock.now()
        end = start + timedelta(minutes=minutes)
        ClientItem(
            keys.provider_pk(provider_id),
            keys.client_sk(client_id),
            client_id=client_id,
            provider_id=provider_id,
            name=CLIENT_NAME,
            email=client_email,
            timezone=client_timezone,
            created_at=iso_z(now),
            updated_at=iso_z(now),
        ).save()
        sealed = self.jobs.sealer.seal(appointment_id, TOKEN)
        manage_link_item(appointment_id, sealed, end, now).save(condition=MANAGE_LINK_CONDITION)
        AppointmentItem(
            keys.provider_pk(provider_id),
            keys.appointment_sk(appointment_id),
            appointment_id=appointment_id,
            provider_id=provider_id,
            service_id=new_id(),
            service_name="Coaching session",
            start=iso_z(start),
            end=iso_z(end),
            status=status,
            client_id=client_id,
            client_timezone=client_timezone,
            price="80.00",
            currency="EUR",
            language=language,
            created_at=iso_z(now),
            updated_at=iso_z(now),
        ).save()
        booked = Booked(provider_id, appointment_id, client_id, start, end)
        self.made.append(booked)
        return booked

    def item(self, booked: Booked) -> AppointmentItem:
        return AppointmentItem.get(
            keys.provider_pk(booked.provider_id),
            keys.appointment_sk(booked.appointment_id),
            consistent_read=True,
        )

    def cancel(self, booked: Booked, reason: str = "", by: str = "") -> None:
        self.item(booked).update(
            actions=[
                AppointmentItem.status.set("cancelled"),
                AppointmentItem.cancel_reason.set(reason),
                AppointmentItem.cancelled_by.set(by),
            ]
        )

    def move(self, booked: Booked, start: datetime) -> Booked:
        length = booked.end - booked.start
        self.item(booked).update(
            actions=[
                AppointmentItem.start.set(iso_z(start)),
                AppointmentItem.end.set(iso_z(start + length)),
                AppointmentItem.sequence.add(1),
            ]
        )
        return Booked(booked.provider_id, booked.appointment_id, booked.client_id, start, start + length)


def parse(message: OutgoingEmail) -> EmailMessage:
    parsed = message_from_bytes(to_mime(message, SENDER).as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_of(message: OutgoingEmail) -> str:
    body = parse(message).get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def invite_events(raw: EmailMessage) -> Iterator[Any]:
    for part in raw.walk():
        if part.get_content_type() == "text/calendar":
            assert isinstance(part, EmailMessage)
            yield from Calendar.from_ical(part.get_content()).events


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def stored_marker(key: NotificationKey) -> NotificationItem | None:
    """The marker item of one email, as the table holds it."""
    pk, sk = marker_keys(key)
    try:
        return NotificationItem.get(pk, sk, consistent_read=True)
    except NotificationItem.DoesNotExist:
        return None


def failed_markers() -> list[NotificationItem]:
    """The emails given up on, newest first: the GSI1 Query docs/notifications.md gives admins."""
    found = NotificationItem.gsi1.query(keys.FAILED_NOTIFICATIONS, scan_index_forward=False)
    return [item for item in found if isinstance(item, NotificationItem)]
