"""Webhook endpoints: made (the secret answered once), listed, changed, deleted, rotated, tested."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.errors import LimitReachedError, NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.integrations import webhook_payloads as payloads
from chalicelib.domain.integrations import webhook_signing as signing
from chalicelib.domain.integrations import webhooks as rules
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.domain.outbound import OutboundRefusedError
from chalicelib.observability import logger
from chalicelib.services.integrations.ports import WebhookSender, WebhookStore
from chalicelib.services.notifications.ports import NoticeContext
from chalicelib.services.shared import Clock, IdGenerator, LinkSealer

RandomBytes = Callable[[int], bytes]
MISSING = "No such webhook."


@dataclass(frozen=True)
class WebhookPorts:
    store: WebhookStore
    sender: WebhookSender
    sealer: LinkSealer
    clock: Clock
    ids: IdGenerator
    random_bytes: RandomBytes = os.urandom


@dataclass(frozen=True)
class TestSend:
    """What a test send did: the answer's status (None when nothing came back), its first 1 KB."""

    event_id: str
    status_code: int | None
    duration_ms: float
    response_body: str
    error_code: str | None = None
    error_message: str | None = None


def create_webhook(
    provider_id: str, url: str, events: list[str], description: str, ports: WebhookPorts
) -> tuple[Webhook, str]:
    """The stored endpoint and its signing secret: the only time the secret leaves sealed."""
    chosen = rules.checked_events(events)
    _check_url(url, ports.sender)
    if len(ports.store.list_webhooks(provider_id)) >= rules.MAX_WEBHOOKS:
        raise LimitReachedError(f"At most {rules.MAX_WEBHOOKS} webhooks are kept; delete one first.")
    webhook_id = ports.ids.new_id()
    secret = signing.new_secret(ports.random_bytes)
    now = ports.clock.stamp()
    webhook = Webhook(
        id=webhook_id,
        provider_id=provider_id,
        url=url,
        events=chosen,
        description=description,
        created_at=now,
        updated_at=now,
        sealed_secret=ports.sealer.seal(rules.seal_context(webhook_id), secret),
    )
    ports.store.add_webhook(webhook)
    logger.info("webhook created", extra={"provider_id": provider_id, "webhook_id": webhook_id})
    return webhook, secret


def list_webhooks(provider_id: str, store: WebhookStore) -> list[Webhook]:
    """Oldest first."""
    return sorted(store.list_webhooks(provider_id), key=lambda w: (w.created_at, w.id))


def get_webhook(provider_id: str, webhook_id: str, store: WebhookStore) -> Webhook:
    found = store.get_webhook(provider_id, webhook_id) if is_id(webhook_id) else None
    if found is None:
        raise NotFoundError(MISSING)
    return found


def update_webhook(
    provider_id: str, webhook_id: str, changes: dict[str, Any], ports: WebhookPorts
) -> Webhook:
    """``changes`` holds any of ``url``, ``events``, ``description`` (each checked as on creation)
    and ``enabled``."""
    current = get_webhook(provider_id, webhook_id, ports.store)
    updated = current
    if "events" in changes:
        updated = dataclasses.replace(updated, events=rules.checked_events(list(changes["events"])))
    if "url" in changes:
        _check_url(changes["url"], ports.sender)
        updated = dataclasses.replace(updated, url=changes["url"])
    if "description" in changes:
        updated = dataclasses.replace(updated, description=changes["description"])
    if "enabled" in changes and bool(changes["enabled"]) != current.enabled:
        updated = _switched(updated, bool(changes["enabled"]), ports.clock.stamp())
    if updated == current:
        return current
    updated = dataclasses.replace(updated, updated_at=ports.clock.stamp())
    ports.store.save_webhook(updated)
    return updated


def _switched(webhook: Webhook, enabled: bool, now: str) -> Webhook:
    """Turned on: its past failures are forgotten (3 more days before it is disabled again)."""
    if enabled:
        return dataclasses.replace(webhook, disabled_at=None, disabled_reason=None, failing_since=None)
    return dataclasses.replace(webhook, disabled_at=now, disabled_reason=rules.DISABLED_BY_PROVIDER)


def delete_webhook(provider_id: str, webhook_id: str, store: WebhookStore) -> None:
    if not is_id(webhook_id):
        raise NotFoundError(MISSING)
    store.delete_webhook(provider_id, webhook_id)


def rotate_secret(provider_id: str, webhook_id: str, ports: WebhookPorts) -> tuple[Webhook, str]:
    """A new secret, answered once; the one it replaces keeps signing for 24 hours beside it.
    Rotating again within those hours drops the oldest: two secrets at most sign a message."""
    current = get_webhook(provider_id, webhook_id, ports.store)
    secret = signing.new_secret(ports.random_bytes)
    now = ports.clock.now()
    rotated = dataclasses.replace(
        current,
        sealed_secret=ports.sealer.seal(rules.seal_context(current.id), secret),
        sealed_previous_secret=current.sealed_secret,
        previous_until=iso_z(now + signing.ROTATION_OVERLAP),
        updated_at=ports.clock.stamp(),
    )
    ports.store.save_webhook(rotated)
    logger.info("webhook secret rotated", extra={"provider_id": provider_id, "webhook_id": current.id})
    return rotated, secret


def signing_secrets(webhook: Webhook, sealer: LinkSealer, now: datetime) -> list[str]:
    """The secrets that sign a message now, opened: the current one, and the previous during
    a rotation's overlap."""
    context = rules.seal_context(webhook.id)
    previous = (
        None
        if webhook.sealed_previous_secret is None
        else sealer.open(context, webhook.sealed_previous_secret)
    )
    current = sealer.open(context, webhook.sealed_secret)
    return signing.secrets_in_force(current, previous, webhook.previous_until, now)


def send_test(provider_id: str, webhook_id: str, ports: WebhookPorts) -> TestSend:
    """A ``webhook.test`` event sent now, signed, through the guard; what the endpoint answered."""
    webhook = get_webhook(provider_id, webhook_id, ports.store)
    now = ports.clock.now()
    event_id = f"msg_{ports.ids.new_id()}"
    body = payloads.body_bytes(
        payloads.envelope(rules.TEST_EVENT, ports.clock.stamp(), payloads.test_data(webhook.id))
    )
    headers = signing.sign(signing_secrets(webhook, ports.sealer, now), event_id, int(now.timestamp()), body)
    started = time.monotonic()
    try:
        answer = ports.sender.post(webhook.url, body, headers.as_dict(), rules.TEST_TIMEOUT_SECONDS)
    except OutboundRefusedError as error:
        logger.info("webhook test not delivered", extra={"webhook_id": webhook.id, "reason": error.reason})
        elapsed = (time.monotonic() - started) * 1000
        return TestSend(event_id, None, round(elapsed, 1), "", error.reason, error.message)
    shown = answer.body[: rules.ANSWER_SHOWN_BYTES].decode("utf-8", errors="replace")
    logger.info("webhook test sent", extra={"webhook_id": webhook.id, "status": answer.status})
    return TestSend(event_id, answer.status, round(answer.duration_ms, 1), shown)


def _check_url(url: str, sender: WebhookSender) -> None:
    try:
        sender.check_address(url)
    except OutboundRefusedError as error:
        raise rules.refused_url(error.reason, error.message) from None


def booking_payload(
    event_type: str,
    appointment: Appointment,
    context: NoticeContext,
    manage_url: str | None,
    occurred_at: str,
) -> dict[str, Any]:
    """A booking event built from the same context the emails read (the stream consumer's)."""
    parties = payloads.EventParties(
        provider_timezone=context.provider.timezone,
        client_erased=context.client.erased,
        manage_url=manage_url,
    )
    return payloads.booking_event(event_type, occurred_at, appointment, parties)
