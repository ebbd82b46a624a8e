"""Webhook delivery from the table stream: each event to each subscribed, enabled endpoint once.

The stream consumer calls :meth:`WebhookDispatcher.dispatch` after the emails of a change, with
the same notice context. Each (event, endpoint) is claimed in the ledger first, with its message,
so a replayed stream record sends nothing twice; a failing endpoint never blocks the emails nor the
others. :meth:`WebhookDispatcher.retry` sends a claimed message again on the provider's demand:
the same ``webhook-id`` and body, signed anew, one more attempt in the endpoint's log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations import webhook_payloads as payloads
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


@dataclass
class WebhookDispatcher:
    ports: WebhookPorts
    ledger: DeliveryLedger

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
                if event_type not in webhook.events:
                    continue
                if not self.ledger.claim(new.provider_id, webhook.id, message, self.ports.clock.stamp()):
                    continue
                done.append(self._send(webhook, message, 1))
        return done

    def dispatch_client_erased(self, erased: ClientErased) -> list[DeliveryAttempt]:
        """The erasure to each endpoint wanting ``client.erased``, once (its id is the client's)."""
        data = payloads.client_erased_data(erased.client_id, erased.erased_at)
        stamp = erased.erased_at or self.ports.clock.stamp()
        body = payloads.body_bytes(payloads.envelope(CLIENT_ERASED, stamp, data))
        message = StoredMessage(client_erased_id(erased.client_id), CLIENT_ERASED, body)
        done: list[DeliveryAttempt] = []
        for webhook in self.ports.store.list_webhooks(erased.provider_id):
            if CLIENT_ERASED not in webhook.events:
                continue
            if self.ledger.claim(erased.provider_id, webhook.id, message, self.ports.clock.stamp()):
                done.append(self._send(webhook, message, 1))
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
        return self._send(webhook, message, made + 1)

    def _send(self, webhook: Webhook, message: StoredMessage, attempt: int) -> DeliveryAttempt:
        message_id, event_type, body = message.event_id, message.event_type, message.body
        fields = {"webhook_id": webhook.id, "event_id": message_id, "event_type": event_type}
        started = time.monotonic()
        code: int | None = None
        shown = ""
        try:
            now = self.ports.clock.now()
            secrets = signing_secrets(webhook, self.ports.sealer, now)
            headers = signing.sign(secrets, message_id, int(now.timestamp()), body)
            answer = self.ports.sender.post(webhook.url, body, headers.as_dict(), DELIVERY_TIMEOUT_SECONDS)
            code, duration = answer.status, answer.duration_ms
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
        return result
