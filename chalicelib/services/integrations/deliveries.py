"""Webhook delivery from the table stream: each event to each subscribed, enabled endpoint once.

The stream consumer calls :meth:`WebhookDispatcher.dispatch` after the emails of a change, with
the same notice context. Each (event, endpoint) is claimed in the ledger first, with its message,
so a replayed stream record sends nothing twice; a failing endpoint never blocks the emails nor the
others. :meth:`WebhookDispatcher.retry` sends a claimed message again on the provider's demand:
the same ``webhook-id`` and body, signed anew, one more attempt in the endpoint's log.

After each attempt :meth:`WebhookDispatcher.follow_up` keeps the endpoint's health (since when it
has failed; disabled, with one email to the provider, after 3 days of failures) and, for a failed
first or automatic attempt, when the next one is due (``webhook_retries``): the reminder sweep
sends those (``services.integrations.retries``). A disabled endpoint gets nothing.
"""

from __future__ import annotations

import abc
import time
from dataclasses import dataclass

from chalicelib.domain.booking.appointments import Appointment, iso_z, parse_z
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations import webhook_payloads as payloads
from chalicelib.domain.integrations import webhook_retries as backoff
from chalicelib.domain.integrations import webhook_signing as signing
from chalicelib.domain.integrations import webhooks as rules
from chalicelib.domain.integrations.webhook_events import CLIENT_ERASED, client_erased_id, event_id, events_of
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.domain.outbound import OutboundRefusedError
from chalicelib.observability import count, logger
from chalicelib.services.integrations.ports import DeliveryAttempt, DeliveryLedger, StoredMessage
from chalicelib.services.integrations.webhooks import (
    WebhookPorts,
    booking_payload,
    get_webhook,
    signing_secrets,
)
from chalicelib.services.notifications.ports import ClientErased, NoticeContext

DELIVERY_TIMEOUT_SECONDS = 10.0
DELIVERED = "delivered"
FAILED = "failed"
PENDING = "pending"
LOG_SHOWN = 100  # attempts GET /webhooks/{id}/deliveries lists
NO_DELIVERY = "No such delivery for this webhook."


class EndpointAlerts(abc.ABC):
    @abc.abstractmethod
    def disabled(self, webhook: Webhook) -> None:
        """Tell the provider her endpoint was disabled (called once per disabling)."""


@dataclass(frozen=True)
class Sent:
    """One attempt as recorded, and the ``Retry-After`` its answer carried (as written)."""

    attempt: DeliveryAttempt
    retry_after: str | None = None


@dataclass
class WebhookDispatcher:
    ports: WebhookPorts
    ledger: DeliveryLedger
    alerts: EndpointAlerts | None = None  # None: a disabled endpoint is only logged

    def dispatch(
        self,
        old: Appointment | None,
        new: Appointment | None,
        context: NoticeContext,
        manage_url: str | None,
    ) -> list[DeliveryAttempt]:
        """One attempt per event of the change and endpoint wanting it, in the order of events."""
        if new is None:
            return []
        types = events_of(old, new)
        if not types:
            return []
        endpoints = self.ports.store.list_webhooks(new.provider_id)
        done: list[DeliveryAttempt] = []
        for event_type in types:
            message_id = event_id(event_type, new)
            payload = booking_payload(
                event_type, new, context, manage_url, new.updated_at or self.ports.clock.stamp()
            )
            message = StoredMessage(message_id, event_type, payloads.body_bytes(payload))
            for webhook in endpoints:
                if webhook.enabled and event_type in webhook.events:
                    done.extend(self._first(webhook, message))
        return done

    def dispatch_client_erased(self, erased: ClientErased) -> list[DeliveryAttempt]:
        """The erasure to each endpoint wanting ``client.erased``, once (its id is the client's)."""
        data = payloads.client_erased_data(erased.client_id, erased.erased_at)
        stamp = erased.erased_at or self.ports.clock.stamp()
        body = payloads.body_bytes(payloads.envelope(CLIENT_ERASED, stamp, data))
        message = StoredMessage(client_erased_id(erased.client_id), CLIENT_ERASED, body)
        done: list[DeliveryAttempt] = []
        for webhook in self.ports.store.list_webhooks(erased.provider_id):
            if webhook.enabled and CLIENT_ERASED in webhook.events:
                done.extend(self._first(webhook, message))
        return done

    def log(self, provider_id: str, webhook_id: str) -> list[DeliveryAttempt]:
        """The endpoint's last attempts, newest first (404 for an endpoint not the provider's)."""
        webhook = get_webhook(provider_id, webhook_id, self.ports.store)
        return self.ledger.recent(provider_id, webhook.id, LOG_SHOWN)

    def retry(self, provider_id: str, webhook_id: str, delivery_id: str) -> DeliveryAttempt:
        """Send one delivery again now, whatever became of it: the same message, one more attempt."""
        webhook = get_webhook(provider_id, webhook_id, self.ports.store)
        message = self.ledger.message_of(provider_id, webhook.id, delivery_id)
        if message is None:
            raise NotFoundError(NO_DELIVERY)
        made = len(self.ledger.attempts_of(provider_id, webhook.id, delivery_id))
        fields = {"webhook_id": webhook.id, "event_id": delivery_id}
        logger.info("Webhook delivery retried by hand", extra=fields)
        sent = self.send(webhook, message, made + 1)
        self.follow_up(webhook, sent, first_at=None)
        return sent.attempt

    def _first(self, webhook: Webhook, message: StoredMessage) -> list[DeliveryAttempt]:
        """The first attempt, once: nothing when the (event, endpoint) was claimed before."""
        now = self.ports.clock.stamp()
        if not self.ledger.claim(webhook.provider_id, webhook.id, message, now):
            return []
        sent = self.send(webhook, message, 1)
        self.follow_up(webhook, sent, first_at=sent.attempt.at)
        return [sent.attempt]

    def follow_up(self, webhook: Webhook, sent: Sent, first_at: str | None) -> None:
        """After an attempt: the endpoint's health, and the next attempt of a failed one when
        ``first_at`` (its first attempt) is given; a delivered one waits for nothing more."""
        done, now = sent.attempt, self.ports.clock.now()
        where = (webhook.provider_id, webhook.id, done.event_id)
        if done.status == DELIVERED:
            if first_at is None or done.attempt > 1:  # a retry may be waiting: no longer
                self.ledger.schedule(*where, None, first_at)
            if webhook.failing_since is not None:
                self.ports.store.mark_healthy(webhook.provider_id, webhook.id)
            return
        if webhook.failing_since is None:
            self.ports.store.mark_failing(webhook.provider_id, webhook.id, done.at)
        elif backoff.should_disable(parse_z(webhook.failing_since), now):
            self.ledger.schedule(*where, None, first_at)
            self._disable(webhook)
            return
        if first_at is None:
            return
        asked = backoff.retry_after(sent.retry_after, now)
        due = backoff.next_attempt(done.attempt, parse_z(first_at), now, asked)
        self.ledger.schedule(*where, None if due is None else iso_z(due), first_at)
        if due is None:
            count("WebhookGaveUp")
            logger.warning(
                "Webhook delivery given up", extra={"webhook_id": webhook.id, "event_id": done.event_id}
            )

    def _disable(self, webhook: Webhook) -> None:
        stamp = self.ports.clock.stamp()
        if not self.ports.store.disable(webhook.provider_id, webhook.id, rules.DISABLED_FAILING, stamp):
            return
        count("WebhookDisabled")
        logger.warning("Webhook endpoint disabled after failing", extra={"webhook_id": webhook.id})
        if self.alerts is not None:
            self.alerts.disabled(webhook)

    def send(self, webhook: Webhook, message: StoredMessage, attempt: int) -> Sent:
        message_id, event_type, body = message.event_id, message.event_type, message.body
        fields = {"webhook_id": webhook.id, "event_id": message_id, "event_type": event_type}
        started = time.monotonic()
        code: int | None = None
        shown = ""
        asked: str | None = None
        try:
            now = self.ports.clock.now()
            secrets = signing_secrets(webhook, self.ports.sealer, now)
            headers = signing.sign(secrets, message_id, int(now.timestamp()), body)
            answer = self.ports.sender.post(webhook.url, body, headers.as_dict(), DELIVERY_TIMEOUT_SECONDS)
            code, duration, asked = answer.status, answer.duration_ms, answer.retry_after
            shown = answer.body[: rules.ANSWER_SHOWN_BYTES].decode("utf-8", errors="replace")
            status = DELIVERED if 200 <= answer.status < 300 else FAILED
        except OutboundRefusedError as error:
            duration = (time.monotonic() - started) * 1000
            status, shown = FAILED, error.reason
        except Exception:  # noqa: BLE001 - one endpoint's failure must not stop the others
            logger.exception("Webhook delivery broke", extra=fields)
            duration = (time.monotonic() - started) * 1000
            status = FAILED
        if status == FAILED:
            count("WebhookFailures")
        result = DeliveryAttempt(
            webhook.id,
            message_id,
            event_type,
            status,
            attempt,
            round(duration, 1),
            code,
            shown,
            self.ports.clock.stamp(),
        )
        self.ledger.record(webhook.provider_id, result)
        logger.info("Webhook delivery", extra={**fields, "status": status, "response_code": code})
        return Sent(result, asked)
