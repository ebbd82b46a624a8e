"""Send one notification once: claim it, check the address, render, send with retries, record.

A failed email never touches the appointment: the booking is already stored when this runs.
Logs carry ids and roles only, never an address, a name or a link.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from chalicelib.domain.errors import MailerUnavailableError, MessageRejectedError, NotificationDeferredError
from chalicelib.domain.notifications.delivery import ClaimState, NotificationKey, Outcome
from chalicelib.domain.notifications.notices import AppointmentNotice, Recipient
from chalicelib.observability import count, logger
from chalicelib.services.notifications.ports import Mailer, NotificationLedger
from chalicelib.services.shared import Clock

LEASE = timedelta(minutes=5)  # longer than one round of attempts, SES timeouts included
ATTEMPTS = 3  # in-process attempts per round, with backoff
BACKOFF_SECONDS = 0.5
MAX_ROUNDS = 3  # rounds (stream or sweep retries) before the notification is marked failed
INVALID_NOTICE = "InvalidNotice"  # the stored appointment, provider or client cannot make an email


@dataclass(frozen=True)
class Notification:
    key: NotificationKey
    notice: AppointmentNotice

    @property
    def address(self) -> str:
        is_client = self.key.recipient is Recipient.CLIENT
        return self.notice.client_email if is_client else self.notice.provider_email

    def log_fields(self) -> dict[str, str | int]:
        fields: dict[str, str | int] = {
            "appointment_id": self.key.appointment_id,
            "notice": self.key.kind.value,
            "recipient": self.key.recipient.value,
            "sequence": self.key.sequence,
        }
        if self.key.offset_minutes is not None:
            fields["offset_minutes"] = self.key.offset_minutes
        return fields


@dataclass
class Delivery:
    ledger: NotificationLedger
    mailer: Mailer
    clock: Clock
    sleep: Callable[[float], None] = time.sleep
    attempts: int = ATTEMPTS
    max_rounds: int = MAX_ROUNDS


def deliver(notification: Notification, delivery: Delivery) -> Outcome:
    """Send it unless it went before; NotificationDeferredError asks the caller to come back later."""
    fields = notification.log_fields()
    if "@" not in notification.address:
        logger.info("Notification skipped: no address", extra=fields)
        return Outcome.NO_ADDRESS
    ledger, key = delivery.ledger, notification.key
    claim = ledger.claim(key, delivery.clock.now(), LEASE)
    if claim.state is ClaimState.DONE:
        return Outcome.ALREADY_DONE
    if claim.state is ClaimState.BUSY:
        raise NotificationDeferredError("Another worker is sending this notification.")
    if ledger.is_suppressed(notification.address):
        ledger.mark_suppressed(key, delivery.clock.now())
        logger.info("Notification suppressed", extra=fields)
        return Outcome.SUPPRESSED
    return _send(notification, delivery, claim.rounds)


def _send(notification: Notification, delivery: Delivery, rounds: int) -> Outcome:
    from chalicelib.domain.notifications.messages import render

    key, fields = notification.key, notification.log_fields()
    email = render(key.kind, key.recipient, notification.notice, delivery.clock.now())
    reason = "unknown"
    for attempt in range(delivery.attempts):
        try:
            message_id = delivery.mailer.send(email)
        except MessageRejectedError as error:
            count("EmailFailures")
            reason = _reason(error.details)
            delivery.ledger.mark_failed(key, delivery.clock.now(), reason)
            logger.error("Notification failed: rejected", extra={**fields, "reason": reason})
            return Outcome.FAILED
        except MailerUnavailableError as error:
            count("EmailFailures")
            reason = _reason(error.details)
            if attempt + 1 < delivery.attempts:
                delivery.sleep(BACKOFF_SECONDS * 2**attempt)
            continue
        delivery.ledger.mark_sent(key, delivery.clock.now(), message_id)
        logger.info("Notification sent", extra={**fields, "message_id": message_id})
        return Outcome.SENT
    if rounds + 1 >= delivery.max_rounds:
        delivery.ledger.mark_failed(key, delivery.clock.now(), reason)
        logger.error("Notification failed: gave up", extra={**fields, "reason": reason, "rounds": rounds + 1})
        return Outcome.FAILED
    delivery.ledger.mark_retry(key, delivery.clock.now(), reason)
    logger.warning("Notification deferred", extra={**fields, "reason": reason, "rounds": rounds + 1})
    raise NotificationDeferredError("The mail service did not take the message; try again later.")


def give_up(key: NotificationKey, delivery: Delivery, reason: str) -> None:
    """Record an email that cannot be built (bad stored data) as failed, so that it shows and the
    stream or the sweep moves on instead of retrying it forever."""
    count("EmailFailures")
    claim = delivery.ledger.claim(key, delivery.clock.now(), LEASE)
    if claim.state is ClaimState.CLAIMED:
        delivery.ledger.mark_failed(key, delivery.clock.now(), reason)
    logger.error(
        "Notification failed: cannot be built",
        extra={"appointment_id": key.appointment_id, "notice": key.kind.value, "reason": reason},
    )


def _reason(details: list[dict[str, object]]) -> str:
    return str(details[0].get("reason", "unknown")) if details else "unknown"
