"""Webhook use cases on the in-memory store: the secret sealed, a rotation's 24 hours, a refused send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from chalicelib.adapters.memory.shared import MemoryLinkSealer, MovableClock
from chalicelib.adapters.memory.webhooks import MemoryWebhooks
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.integrations import webhook_signing as signing
from chalicelib.domain.outbound import OutboundRefusedError, address_refusal, is_ip_literal, parse_target
from chalicelib.services.integrations import webhooks
from chalicelib.services.integrations.ports import SendAnswer, WebhookSender
from chalicelib.services.shared import SortableIds, SystemClock

URL = "https://hooks.example.com/in"


class RecordingSender(WebhookSender):
    """Checks URLs as the guard does (no DNS) and keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []
        self.refuse: OutboundRefusedError | None = None

    def check_address(self, url: str) -> None:
        target = parse_target(url, allow_local=False)
        why = address_refusal(target.host, allow_local=False) if is_ip_literal(target.host) else None
        if why is not None:
            raise OutboundRefusedError("private_address", f"the host is {why}")

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendAnswer:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append((url, body, headers))
        return SendAnswer(204, 3.0, b"")


@pytest.fixture
def ports() -> webhooks.WebhookPorts:
    return webhooks.WebhookPorts(
        MemoryWebhooks(), RecordingSender(), MemoryLinkSealer(), MovableClock(), SortableIds()
    )


def sender_of(ports: webhooks.WebhookPorts) -> RecordingSender:
    assert isinstance(ports.sender, RecordingSender)
    return ports.sender


def test_the_secret_is_kept_only_sealed_to_its_endpoint(ports: webhooks.WebhookPorts) -> None:
    made, secret = webhooks.create_webhook("p1", URL, ["booking.created"], "", ports)

    stored = ports.store.get_webhook("p1", made.id)
    assert stored is not None and stored.sealed_secret != secret
    assert ports.sealer.open(f"webhook#{made.id}", stored.sealed_secret) == secret


def test_the_old_secret_signs_beside_the_new_for_24_hours_then_stops(ports: webhooks.WebhookPorts) -> None:
    made, old = webhooks.create_webhook("p1", URL, ["booking.created"], "", ports)
    rotated, new = webhooks.rotate_secret("p1", made.id, ports)
    clock = ports.clock
    assert isinstance(clock, MovableClock)

    webhooks.send_test("p1", made.id, ports)
    clock.advance(timedelta(hours=24, seconds=1))
    webhooks.send_test("p1", made.id, ports)

    (_, during_body, during), (_, after_body, after) = sender_of(ports).sent
    assert new != old and rotated.previous_until == "2027-03-02T09:00:00Z"

    def expected(secret: str, body: bytes, headers: dict[str, str]) -> str:
        return signing.signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)

    assert during["webhook-signature"].split(" ") == [
        expected(new, during_body, during),
        expected(old, during_body, during),
    ]
    assert after["webhook-signature"] == expected(new, after_body, after)  # the old one no longer signs


def test_a_rotation_within_the_overlap_keeps_two_secrets_at_most(ports: webhooks.WebhookPorts) -> None:
    made, first = webhooks.create_webhook("p1", URL, ["booking.created"], "", ports)
    _, second = webhooks.rotate_secret("p1", made.id, ports)
    _, third = webhooks.rotate_secret("p1", made.id, ports)

    stored = ports.store.get_webhook("p1", made.id)
    assert stored is not None
    now = ports.clock.now()
    assert webhooks.signing_secrets(stored, ports.sealer, now) == [third, second]
    assert first not in webhooks.signing_secrets(stored, ports.sealer, now)


def test_the_library_verifies_a_test_event_signed_now() -> None:
    real = webhooks.WebhookPorts(
        MemoryWebhooks(), RecordingSender(), MemoryLinkSealer(), SystemClock(), SortableIds()
    )
    made, secret = webhooks.create_webhook("p1", URL, ["booking.created"], "", real)
    webhooks.send_test("p1", made.id, real)

    [(_, body, headers)] = sender_of(real).sent
    assert Verifier(secret).verify(body, headers)["type"] == "webhook.test"
    with pytest.raises(WebhookVerificationError):
        Verifier(secret).verify(body.replace(b"webhook.test", b"booking.created"), headers)


def test_a_url_the_guard_refuses_is_a_422_on_url_and_nothing_is_kept(ports: webhooks.WebhookPorts) -> None:
    for url in ("http://hooks.example.com/in", "https://127.0.0.1/x", "https://[::1]/x"):
        with pytest.raises(ValidationError) as refused:
            webhooks.create_webhook("p1", url, ["booking.created"], "", ports)
        assert refused.value.details[0]["field"] == "url", url
    assert ports.store.list_webhooks("p1") == []


def test_a_send_the_guard_refuses_is_reported_not_raised(ports: webhooks.WebhookPorts) -> None:
    made, _ = webhooks.create_webhook("p1", URL, ["client.erased"], "", ports)
    sender_of(ports).refuse = OutboundRefusedError(
        "private_address", "the host resolves to a private address"
    )

    result = webhooks.send_test("p1", made.id, ports)

    assert result.status_code is None and result.error_code == "private_address"
    assert result.response_body == ""
