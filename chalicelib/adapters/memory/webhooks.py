"""Webhook endpoints in memory: by provider and id, as the provider's partition keeps them."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.adapters.memory.table import OnTable
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.services.integrations.ports import (
    DeliveryAttempt,
    DeliveryLedger,
    DueRetry,
    StoredMessage,
    WebhookStore,
)

MISSING = "No such webhook."


class MemoryWebhooks(OnTable, WebhookStore):
    def add_webhook(self, webhook: Webhook) -> None:
        with self.table.lock:
            key = (webhook.provider_id, webhook.id)
            if key in self.table.webhooks:
                raise ValueError("a webhook with that id exists")
            self.table.webhooks[key] = webhook

    def list_webhooks(self, provider_id: str) -> list[Webhook]:
        mine = [w for (pid, _), w in self.table.webhooks.items() if pid == provider_id]
        return sorted(mine, key=lambda w: w.id)

    def get_webhook(self, provider_id: str, webhook_id: str) -> Webhook | None:
        return self.table.webhooks.get((provider_id, webhook_id))

    def save_webhook(self, webhook: Webhook) -> None:
        with self.table.lock:
            key = (webhook.provider_id, webhook.id)
            if key not in self.table.webhooks:
                raise NotFoundError(MISSING)
            self.table.webhooks[key] = webhook

    def delete_webhook(self, provider_id: str, webhook_id: str) -> None:
        with self.table.lock:
            if self.table.webhooks.pop((provider_id, webhook_id), None) is None:
                raise NotFoundError(MISSING)

    def mark_failing(self, provider_id: str, webhook_id: str, since: str) -> None:
        with self.table.lock:
            found = self.table.webhooks.get((provider_id, webhook_id))
            if found is not None and found.failing_since is None:
                self.table.webhooks[(provider_id, webhook_id)] = replace(found, failing_since=since)

    def mark_healthy(self, provider_id: str, webhook_id: str) -> None:
        with self.table.lock:
            found = self.table.webhooks.get((provider_id, webhook_id))
            if found is not None:
                self.table.webhooks[(provider_id, webhook_id)] = replace(found, failing_since=None)

    def disable(self, provider_id: str, webhook_id: str, reason: str, at: str) -> bool:
        with self.table.lock:
            found = self.table.webhooks.get((provider_id, webhook_id))
            if found is None or not found.enabled:
                return False
            self.table.webhooks[(provider_id, webhook_id)] = replace(
                found, disabled_at=at, disabled_reason=reason
            )
            return True


class MemoryDeliveryLedger(OnTable, DeliveryLedger):
    def claim(self, provider_id: str, webhook_id: str, message: StoredMessage, now: str) -> bool:
        with self.table.lock:
            key = (provider_id, webhook_id, message.event_id)
            if key in self.table.webhook_deliveries:
                return False
            self.table.webhook_deliveries[key] = []
            self.table.webhook_messages[key] = (now, message)
            return True

    def record(self, provider_id: str, attempt: DeliveryAttempt) -> None:
        with self.table.lock:
            key = (provider_id, attempt.webhook_id, attempt.event_id)
            self.table.webhook_deliveries.setdefault(key, []).append(attempt)

    def attempts_of(self, provider_id: str, webhook_id: str, event_id: str) -> list[DeliveryAttempt]:
        return list(self.table.webhook_deliveries.get((provider_id, webhook_id, event_id), []))

    def message_of(self, provider_id: str, webhook_id: str, event_id: str) -> StoredMessage | None:
        claimed = self.table.webhook_messages.get((provider_id, webhook_id, event_id))
        return None if claimed is None else claimed[1]

    def recent(self, provider_id: str, webhook_id: str, limit: int) -> list[DeliveryAttempt]:
        with self.table.lock:
            claims = [
                (claimed_at, order, key)
                for order, (key, (claimed_at, _)) in enumerate(self.table.webhook_messages.items())
                if key[:2] == (provider_id, webhook_id)
            ]
            newest_first = [
                attempt
                for _, _, key in sorted(claims, reverse=True)
                for attempt in reversed(self.table.webhook_deliveries.get(key, []))
            ]
        return newest_first[:limit]

    def schedule(
        self, provider_id: str, webhook_id: str, event_id: str, due: str | None, first_at: str | None
    ) -> None:
        with self.table.lock:
            key = (provider_id, webhook_id, event_id)
            if due is None or first_at is None:
                self.table.webhook_retries.pop(key, None)
            elif key in self.table.webhook_deliveries:
                self.table.webhook_retries[key] = (due, first_at)

    def due_retries(self, now: str, limit: int) -> list[DueRetry]:
        with self.table.lock:
            due = [
                DueRetry(*key, when, first)
                for key, (when, first) in self.table.webhook_retries.items()
                if when <= now
            ]
        return sorted(due, key=lambda r: (r.due, r.provider_id, r.webhook_id, r.event_id))[:limit]

    def take(self, retry: DueRetry, lease_until: str) -> bool:
        with self.table.lock:
            key = (retry.provider_id, retry.webhook_id, retry.event_id)
            if self.table.webhook_retries.get(key, (None, None))[0] != retry.due:
                return False
            self.table.webhook_retries[key] = (lease_until, retry.first_at)
            return True
