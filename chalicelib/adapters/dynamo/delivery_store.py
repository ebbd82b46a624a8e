"""Webhook delivery markers on the table: ``PROVIDER#<pid>`` / ``HOOKSEND#<webhook>#<event>``.

One item per (event, endpoint), put only if absent: the claim that makes a replayed stream
record send nothing twice. Each attempt is appended to the item's ``attempts`` list; the item's
``status`` is its last attempt's. In the provider's partition, so erased with her.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.item import Item
from chalicelib.services.integrations.ports import DeliveryAttempt, DeliveryLedger


class DeliveryItem(Item, discriminator="webhook_delivery"):
    webhook_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    status = UnicodeAttribute()
    claimed_at = UnicodeAttribute()
    attempts = ListAttribute(null=True)  # type: ignore[var-annotated] # list of DeliveryAttempt as dicts, oldest first


def delivery_keys(provider_id: str, webhook_id: str, event_id: str) -> tuple[str, str]:
    return keys.provider_pk(provider_id), keys.delivery_sk(f"{webhook_id}#{event_id}")


@translate_all
class DynamoDeliveryLedger(DeliveryLedger):
    def claim(self, provider_id: str, webhook_id: str, event_id: str, now: str) -> bool:
        pk, sk = delivery_keys(provider_id, webhook_id, event_id)
        marker = DeliveryItem(
            pk, sk, webhook_id=webhook_id, event_id=event_id, status="pending", claimed_at=now, attempts=[]
        )
        try:
            marker.save(condition=DeliveryItem.PK.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def record(self, provider_id: str, attempt: DeliveryAttempt) -> None:
        pk, sk = delivery_keys(provider_id, attempt.webhook_id, attempt.event_id)
        shown: dict[str, Any] = {k: v for k, v in dataclasses.asdict(attempt).items() if v is not None}
        DeliveryItem(pk, sk).update(
            actions=[
                DeliveryItem.status.set(attempt.status),
                DeliveryItem.attempts.set(DeliveryItem.attempts.append([shown])),
            ]
        )

    def attempts_of(self, provider_id: str, webhook_id: str, event_id: str) -> list[DeliveryAttempt]:
        """The delivery's attempts, oldest first (empty when it was never claimed)."""
        pk, sk = delivery_keys(provider_id, webhook_id, event_id)
        item = get_or_none(DeliveryItem, pk, sk, consistent_read=True)
        if item is None:
            return []
        return [_attempt(dict(raw)) for raw in item.attempts or []]


def _attempt(raw: dict[str, Any]) -> DeliveryAttempt:
    code = raw.get("response_code")
    return DeliveryAttempt(
        webhook_id=str(raw["webhook_id"]),
        event_id=str(raw["event_id"]),
        event_type=str(raw["event_type"]),
        status=str(raw["status"]),
        attempt=int(raw["attempt"]),
        duration_ms=float(raw["duration_ms"]),
        response_code=None if code is None else int(code),
        response_body=str(raw.get("response_body", "")),
        at=str(raw["at"]),
    )
