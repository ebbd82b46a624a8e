"""From an appointment to its emails: the client's manage link, the notice, one try per recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from chalicelib.domain.booking.appointments import PENDING, Appointment, booked_at
from chalicelib.domain.errors import DependencyUnavailableError, SealedLinkError
from chalicelib.domain.notifications.branding import MailBrand, mail_brand, photo_url
from chalicelib.domain.notifications.delivery import NotificationKey, Outcome
from chalicelib.domain.notifications.notices import (
    RECIPIENTS,
    REMOVALS,
    AppointmentNotice,
    NoticeKind,
    Recipient,
)
from chalicelib.domain.notifications.policy import ChangePolicy
from chalicelib.observability import logger
from chalicelib.services.notifications.delivery import (
    INVALID_NOTICE,
    Delivery,
    Notification,
    deliver,
    give_up,
)
from chalicelib.services.notifications.ports import NoticeContext, Party
from chalicelib.services.shared import LinkSealer

MANAGE_PATH = "/book/manage/"


def manage_url(base_url: str, appointment_id: str, token: str | None) -> str:
    """``{base}/book/manage/{id}?token=...``; without a token, the bare page (it can send a new link)."""
    url = f"{base_url}{MANAGE_PATH}{quote(appointment_id, safe='')}"
    return f"{url}?token={quote(token, safe='')}" if token else url


@dataclass(frozen=True)
class ManageLinks:
    """The client's manage link for an email: the sealed token opened, or the bare page."""

    base_url: str
    sealer: LinkSealer

    def bare(self, appointment_id: str) -> str:
        return manage_url(self.base_url, appointment_id, None)

    def for_client(self, appointment_id: str, sealed_token: str | None) -> str:
        token = None
        if sealed_token:
            try:
                token = self.sealer.open(appointment_id, sealed_token)
            except SealedLinkError:
                logger.warning(
                    "Manage link unreadable; sending the page without a token",
                    extra={"appointment_id": appointment_id},
                )
        return manage_url(self.base_url, appointment_id, token)


def notice_brand(provider: Party, base_url: str) -> MailBrand:
    """The provider's brand for her emails, her photo's square addressed on ``base_url``."""
    photo = photo_url(base_url, provider.photo)
    return mail_brand(provider.name, provider.headline, provider.accent_color, photo)


def build_notice(
    appointment: Appointment,
    provider: Party,
    client: Party,
    url: str,
    kind: NoticeKind,
    previous_start: datetime | None = None,
    policy: ChangePolicy | None = None,
    now: datetime | None = None,
    brand: MailBrand | None = None,
) -> AppointmentNotice:
    # A cancellation is a new revision of the event: calendars drop it only when SEQUENCE rises.
    sequence = appointment.sequence + 1 if kind in REMOVALS else appointment.sequence
    return AppointmentNotice(
        appointment_id=appointment.id,
        service_name=appointment.service_name,
        start=appointment.start,
        end=appointment.end,
        provider_name=provider.name,
        provider_email=provider.email or "",
        provider_timezone=provider.timezone,
        # Greet whoever made this booking; an erased client shows nothing the booking kept.
        client_name=client.name if client.erased else (appointment.contact_name or client.name),
        client_email=client.email or "",
        client_timezone=appointment.client_timezone or client.timezone or provider.timezone,
        manage_url=url,
        sequence=sequence,
        status=appointment.status,
        cancellation_reason=appointment.cancel_reason or None,
        previous_start=previous_start if kind is NoticeKind.RESCHEDULED else None,
        location=appointment.location,
        answers=appointment.answers,
        client_phone="" if client.erased else appointment.contact_phone,  # as given with this booking
        client_notes=appointment.notes,
        change_policy=policy,
        booked_at=booked_at(appointment),
        written_at=now,
        auto_declined=appointment.auto_declined,
        answer_by=appointment.answer_by if appointment.status == PENDING else None,
        client_language=appointment.language,
        provider_language=provider.language,
        cancelled_by=appointment.cancelled_by,
        price=appointment.price,
        currency=appointment.currency,
        brand=brand,
    )


def recipients(kind: NoticeKind, appointment: Appointment, context: NoticeContext) -> list[Recipient]:
    """Who a notice goes to: never the client of an appointment booked with ``notify_client``
    false, nor one the provider booked with a phone and no email."""
    told = appointment.notify_client and bool(context.client.email)
    return [r for r in RECIPIENTS[kind] if r is not Recipient.CLIENT or told]


@dataclass
class Notifier:
    delivery: Delivery
    links: ManageLinks

    def send(
        self,
        kind: NoticeKind,
        appointment: Appointment,
        context: NoticeContext,
        previous_start: datetime | None = None,
        offset_minutes: int | None = None,
    ) -> list[Outcome]:
        """One outcome per recipient of ``kind``; each gets its try before a deferral is passed on."""
        keys = [
            NotificationKey(
                appointment.id, appointment.provider_id, kind, recipient, appointment.sequence, offset_minutes
            )
            for recipient in recipients(kind, appointment, context)
        ]
        if not keys:
            return []
        # A cancellation carries no manage link: no need to open the sealed token for it.
        url = (
            self.links.bare(appointment.id)
            if kind in REMOVALS
            else self.links.for_client(appointment.id, context.sealed_token)
        )
        try:
            notice = build_notice(
                appointment,
                context.provider,
                context.client,
                url,
                kind,
                previous_start,
                context.change_policy,
                self.delivery.clock.now(),
                notice_brand(context.provider, self.links.base_url),
            )
        except ValueError:  # bad stored data, e.g. an unknown time zone: retrying cannot help
            for key in keys:
                give_up(key, self.delivery, INVALID_NOTICE)
            return [Outcome.FAILED for _ in keys]
        outcomes: list[Outcome] = []
        deferred: DependencyUnavailableError | None = None
        for key in keys:
            try:
                outcomes.append(deliver(Notification(key, notice), self.delivery))
            except DependencyUnavailableError as error:
                deferred = error
        if deferred is not None:
            raise deferred
        return outcomes
