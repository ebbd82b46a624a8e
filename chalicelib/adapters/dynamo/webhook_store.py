"""Webhook endpoints on the table: ``PROVIDER#<pid>`` / ``WEBHOOK#<webhook id>``, one item each.

In the provider's partition, so listed with one Query and erased with her other items. The
signing secrets are attributes only as the sealer sealed them.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations.webhooks import EVENTS, MAX_WEBHOOKS, Webhook
from chalicelib.services.integrations.ports import WebhookStore

MISSING = "No such webhook."


class WebhookItem(Item, discriminator="webhook"):
    webhook_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    url = UnicodeAttribute()
    events = UnicodeSetAttribute()
    description = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    sealed_secret = UnicodeAttribute()
    sealed_previous_secret = UnicodeAttribute(null=True)
    previous_until = UnicodeAttribute(null=True)
    failing_since = UnicodeAttribute(null=True)
    disabled_at = UnicodeAttribute(null=True)
    disabled_reason = UnicodeAttribute(null=True)


def webhook_item(webhook: Webhook) -> WebhookItem:
    return WebhookItem(
        keys.provider_pk(webhook.provider_id),
        keys.webhook_sk(webhook.id),
        webhook_id=webhook.id,
        provider_id=webhook.provider_id,
        url=webhook.url,
        events=set(webhook.events),
        description=webhook.description,
        created_at=webhook.created_at,
        updated_at=webhook.updated_at,
        sealed_secret=webhook.sealed_secret,
        sealed_previous_secret=webhook.sealed_previous_secret,
        previous_until=webhook.previous_until,
        failing_since=webhook.failing_since,
        disabled_at=webhook.disabled_at,
        disabled_reason=webhook.disabled_reason,
    )


def webhook_from_item(item: WebhookItem) -> Webhook:
    chosen = set(item.events or ())
    return Webhook(
        id=item.webhook_id,
        provider_id=item.provider_id,
        url=item.url,
        events=tuple(event for event in EVENTS if event in chosen),
        description=item.description or "",
        created_at=item.created_at,
        updated_at=item.updated_at,
        sealed_secret=item.sealed_secret,
        sealed_previous_secret=item.sealed_previous_secret,
        previous_until=item.previous_until,
        failing_since=item.failing_since,
        disabled_at=item.disabled_at,
        disabled_reason=item.disabled_reason,
    )


@translate_all
class DynamoWebhooks(WebhookStore):
    def add_webhook(self, webhook: Webhook) -> None:
        webhook_item(webhook).save(condition=WebhookItem.PK.does_not_exist())

    def list_webhooks(self, provider_id: str) -> list[Webhook]:
        return [
            webhook_from_item(item)
            for item in WebhookItem.query(
                keys.provider_pk(provider_id),
                WebhookItem.SK.startswith(keys.WEBHOOK_PREFIX),
                consistent_read=True,
                limit=MAX_WEBHOOKS * 2,
            )
            if isinstance(item, WebhookItem)
        ]

    def get_webhook(self, provider_id: str, webhook_id: str) -> Webhook | None:
        item = get_or_none(
            WebhookItem, keys.provider_pk(provider_id), keys.webhook_sk(webhook_id), consistent_read=True
        )
        return None if item is None else webhook_from_item(item)

    def save_webhook(self, webhook: Webhook) -> None:
        try:
            webhook_item(webhook).save(condition=WebhookItem.PK.exists())
        except PutError as error:
            if is_condition_failure(error):
                raise NotFoundError(MISSING) from error
            raise

    def delete_webhook(self, provider_id: str, webhook_id: str) -> None:
        item = WebhookItem(keys.provider_pk(provider_id), keys.webhook_sk(webhook_id))
        try:
            item.delete(condition=WebhookItem.PK.exists())
        except DeleteError as error:
            if is_condition_failure(error):
                raise NotFoundError(MISSING) from error
            raise

    def mark_failing(self, provider_id: str, webhook_id: str, since: str) -> None:
        self._update_if_present(
            provider_id, webhook_id, [WebhookItem.failing_since.set(WebhookItem.failing_since | since)]
        )

    def mark_healthy(self, provider_id: str, webhook_id: str) -> None:
        self._update_if_present(provider_id, webhook_id, [WebhookItem.failing_since.remove()])

    def disable(self, provider_id: str, webhook_id: str, reason: str, at: str) -> bool:
        item = WebhookItem(keys.provider_pk(provider_id), keys.webhook_sk(webhook_id))
        try:
            item.update(
                actions=[WebhookItem.disabled_at.set(at), WebhookItem.disabled_reason.set(reason)],
                condition=WebhookItem.PK.exists() & WebhookItem.disabled_at.does_not_exist(),
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def _update_if_present(self, provider_id: str, webhook_id: str, actions: list[Any]) -> None:
        item = WebhookItem(keys.provider_pk(provider_id), keys.webhook_sk(webhook_id))
        try:
            item.update(actions=actions, condition=WebhookItem.PK.exists())
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
