"""Webhook delivery markers on the table: ``PROVIDER#<pid>`` / ``HOOKSEND#<webhook>#<event>``.

One item per (event, endpoint), put only if absent: the claim that makes a replayed stream
record send nothing twice. It keeps the message as first signed (event type and body), so a retry
sends the very same ``webhook-id`` and body. Each attempt is appended to the item's ``attempts``
list; the item's ``status`` is its last attempt's. In the provider's partition, so erased with her.

The endpoint's log: GSI1 ``HOOKLOG#<pid>#<webhook id>`` / ``<claimed at>#<ULID>``, read newest
first. Each marker expires (TTL) :data:`KEEP_DELIVERY` after its claim, which bounds the log.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.ids import new_id
from chalicelib.services.integrations.ports import DeliveryAttempt, DeliveryLedger, DueRetry, StoredMessage

KEEP_DELIVERY = timedelta(days=30)
LOG_LABEL = "HOOKLOG"
# Deliveries waiting for their next attempt: GSI2 ``HOOKRETRY`` / ``<due>#<pid>#<webhook>#<event>``
# (sparse: only while one waits). One partition: a waiting retry is a failing endpoint's, rare.
RETRY_PK = "HOOKRETRY"
# Read from the log at a time: an endpoint's deliveries usually have one attempt each.
LOG_PAGE = 50


class DeliveryItem(Item, discriminator="webhook_delivery"):
    webhook_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    status = UnicodeAttribute()
    claimed_at = UnicodeAttribute()
    event_type = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)  # the JSON sent, as first signed
    next_at = UnicodeAttribute(null=True)  # when the next attempt is due (or the lease of one)
    first_at = UnicodeAttribute(null=True)  # the first attempt: retries end 24 h after it
    attempts = ListAttribute(null=True)  # type: ignore[var-annotated] # list of DeliveryAttempt as dicts, oldest first


def delivery_keys(provider_id: str, webhook_id: str, event_id: str) -> tuple[str, str]:
    return keys.provider_pk(provider_id), keys.delivery_sk(f"{webhook_id}#{event_id}")


def retry_sk(due: str, provider_id: str, webhook_id: str, event_id: str) -> str:
    return f"{due}#{provider_id}#{webhook_id}#{event_id}"


def log_pk(provider_id: str, webhook_id: str) -> str:
    return f"{LOG_LABEL}#{provider_id}#{webhook_id}"


@translate_all
class DynamoDeliveryLedger(DeliveryLedger):
    def claim(self, provider_id: str, webhook_id: str, message: StoredMessage, now: str) -> bool:
        pk, sk = delivery_keys(provider_id, webhook_id, message.event_id)
        marker = DeliveryItem(
            pk,
            sk,
            webhook_id=webhook_id,
            event_id=message.event_id,
            event_type=message.event_type,
            body=message.body.decode("utf-8"),
            status="pending",
            claimed_at=now,
            attempts=[],
            GSI1PK=log_pk(provider_id, webhook_id),
            GSI1SK=f"{now}#{new_id()}",
            expires_at=int((parse_z(now) + KEEP_DELIVERY).timestamp()),
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

    def message_of(self, provider_id: str, webhook_id: str, event_id: str) -> StoredMessage | None:
        pk, sk = delivery_keys(provider_id, webhook_id, event_id)
        item = get_or_none(DeliveryItem, pk, sk, consistent_read=True)
        if item is None or item.body is None:
            return None
        return StoredMessage(item.event_id, item.event_type or "", item.body.encode("utf-8"))

    def recent(self, provider_id: str, webhook_id: str, limit: int) -> list[DeliveryAttempt]:
        """A bounded Query of the log, newest first, until ``limit`` attempts are read."""
        found: list[DeliveryAttempt] = []
        for item in DeliveryItem.gsi1.query(
            log_pk(provider_id, webhook_id), scan_index_forward=False, page_size=LOG_PAGE, limit=limit
        ):
            if not isinstance(item, DeliveryItem):
                continue
            found.extend(_attempt(dict(raw)) for raw in reversed(item.attempts or []))
            if len(found) >= limit:
                break
        return found[:limit]

    def schedule(
        self, provider_id: str, webhook_id: str, event_id: str, due: str | None, first_at: str | None
    ) -> None:
        pk, sk = delivery_keys(provider_id, webhook_id, event_id)
        actions: list[Any]
        if due is None or first_at is None:
            actions = [
                DeliveryItem.next_at.remove(),
                DeliveryItem.GSI2PK.remove(),
                DeliveryItem.GSI2SK.remove(),
            ]
        else:
            actions = [
                DeliveryItem.first_at.set(first_at),
                DeliveryItem.next_at.set(due),
                DeliveryItem.GSI2PK.set(RETRY_PK),
                DeliveryItem.GSI2SK.set(retry_sk(due, provider_id, webhook_id, event_id)),
            ]
        try:
            DeliveryItem(pk, sk).update(actions=actions, condition=DeliveryItem.PK.exists())
        except UpdateError as error:
            if not is_condition_failure(error):
                raise

    def due_retries(self, now: str, limit: int) -> list[DueRetry]:
        """One Query of the waiting retries up to ``now`` ('$' sorts right after '#')."""
        found: list[DueRetry] = []
        for item in DeliveryItem.gsi2.query(RETRY_PK, f"{now}$" > DeliveryItem.GSI2SK, limit=limit):
            if isinstance(item, DeliveryItem) and item.next_at and item.GSI2SK:
                provider_id = item.GSI2SK.split("#")[1]
                found.append(
                    DueRetry(provider_id, item.webhook_id, item.event_id, item.next_at, item.first_at or "")
                )
        return found

    def take(self, retry: DueRetry, lease_until: str) -> bool:
        pk, sk = delivery_keys(retry.provider_id, retry.webhook_id, retry.event_id)
        try:
            DeliveryItem(pk, sk).update(
                actions=[
                    DeliveryItem.next_at.set(lease_until),
                    DeliveryItem.GSI2SK.set(
                        retry_sk(lease_until, retry.provider_id, retry.webhook_id, retry.event_id)
                    ),
                ],
                condition=DeliveryItem.next_at == retry.due,
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True


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
