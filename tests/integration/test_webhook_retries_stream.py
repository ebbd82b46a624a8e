"""Automatic webhook retries on DynamoDB Local's real stream to a real HTTP receiver on loopback:
a 500 and a timeout tried again with backoff until delivered, a Retry-After honoured, two sweeps
racing for one due retry send it once, an endpoint failing for 3 days disabled with one email."""

# ruff: noqa: F401, F811 - the stream tests' fixtures (world, receiver) are imported to be asked for

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from standardwebhooks import Webhook as Verifier

from chalicelib.adapters.dynamo.delivery_store import DynamoDeliveryLedger
from chalicelib.services.integrations import deliveries, webhooks
from chalicelib.services.integrations.ports import DueRetry
from chalicelib.services.integrations.retries import RetryReport, WebhookRetries
from tests.integration.test_webhook_delivery_stream import World, receiver, world
from tests.loopback import Answer, Loopback
from tests.notify_support import PROVIDER_EMAIL, Book

pytestmark = pytest.mark.integration
MINUTE = timedelta(minutes=1)


def _hook(world: World, receiver: Loopback, path: str = "/in") -> tuple[str, str]:
    made, secret = webhooks.create_webhook(
        world.provider, receiver.url(path), ["booking.created"], "", world.dispatcher.ports
    )
    return made.id, secret


def _book(world: World, days: int = 14) -> str:
    clock = world.dispatcher.ports.clock
    booked = Book(world.jobs).appointment(world.provider, clock.now() + timedelta(days=days))
    world.drain()
    return booked.appointment_id


def test_a_500_and_a_timeout_are_tried_again_with_backoff_until_delivered(
    world: World, receiver: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock, retries = world.clock, world.jobs.webhook_retries
    clock.advance(-6 * MINUTE)  # so that the last attempt is signed at the real time
    hook_id, secret = _hook(world, receiver)
    receiver.routes["/in"] = Answer(500, b"down")
    _book(world)
    assert len(receiver.requests) == 1
    assert retries.run() == RetryReport(), "nothing due before a minute"

    clock.advance(MINUTE)
    monkeypatch.setattr(deliveries, "DELIVERY_TIMEOUT_SECONDS", 0.5)
    receiver.routes["/in"] = Answer(200, b"late", delay=2.0)
    assert retries.run().failed == 1, "a timeout is a failure"
    clock.advance(4 * MINUTE)
    assert retries.run() == RetryReport() and len(receiver.requests) == 2, "5 minutes after the second"
    clock.advance(MINUTE)
    receiver.routes["/in"] = Answer(204)
    assert retries.run().delivered == 1
    clock.advance(timedelta(hours=25))
    assert retries.run() == RetryReport(), "a delivered one waits for nothing"

    got = receiver.requests
    assert len(got) == 3
    assert len({r.headers["webhook-id"] for r in got}) == 1 and len({r.body for r in got}) == 1
    assert Verifier(secret).verify(got[2].body, got[2].headers)["type"] == "booking.created"
    log = world.dispatcher.log(world.provider, hook_id)
    assert [(a.attempt, a.status, a.response_code) for a in log] == [
        (3, "delivered", 204),
        (2, "failed", None),
        (1, "failed", 500),
    ]
    endpoint = world.dispatcher.ports.store.get_webhook(world.provider, hook_id)
    assert endpoint is not None and endpoint.failing_since is None and endpoint.enabled


def test_retry_after_is_honoured(world: World, receiver: Loopback) -> None:
    clock, retries = world.clock, world.jobs.webhook_retries
    _hook(world, receiver)
    receiver.routes["/in"] = Answer(503, b"busy", headers={"Retry-After": "900"})
    _book(world)
    clock.advance(14 * MINUTE)
    retries.run()
    assert len(receiver.requests) == 1, "asked for 15 minutes: neither 1 nor 5 will do"
    clock.advance(MINUTE)
    receiver.routes["/in"] = Answer(204)
    assert retries.run().delivered == 1 and len(receiver.requests) == 2


def test_two_sweeps_racing_for_a_due_retry_send_it_once(
    world: World, receiver: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = world.clock
    _hook(world, receiver)
    receiver.routes["/in"] = Answer(500, b"down")
    _book(world)
    clock.advance(MINUTE)
    receiver.routes["/in"] = Answer(204)

    # Both sweeps have read the due retry before either takes it: the take decides.
    both_read = threading.Barrier(2, timeout=30)
    take = DynamoDeliveryLedger.take

    def take_after_both_read(self: DynamoDeliveryLedger, retry: DueRetry, lease_until: str) -> bool:
        both_read.wait()
        return take(self, retry, lease_until)

    monkeypatch.setattr(DynamoDeliveryLedger, "take", take_after_both_read)
    sweeps = [WebhookRetries(world.dispatcher) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda sweep: sweep.run(), sweeps))

    assert sorted((r.delivered, r.taken_elsewhere) for r in reports) == [(0, 1), (1, 0)]
    assert len(receiver.requests) == 2, "the first attempt and one retry"


def test_an_endpoint_failing_for_3_days_is_disabled_with_one_email(world: World, receiver: Loopback) -> None:
    clock, retries = world.clock, world.jobs.webhook_retries
    hook_id, _ = _hook(world, receiver)
    receiver.routes["/in"] = Answer(500, b"down")
    _book(world)
    clock.advance(timedelta(days=3))
    _book(world, days=15)
    store = world.dispatcher.ports.store
    endpoint = store.get_webhook(world.provider, hook_id)
    assert endpoint is not None and not endpoint.enabled and endpoint.disabled_reason == "failing"
    alerts = [m for m in world.mailer.sent if m.tags.get("notice") == "webhook_disabled"]
    assert [m.to for m in alerts] == [PROVIDER_EMAIL]
    assert receiver.url("/in") in alerts[0].text

    before = len(receiver.requests)
    _book(world, days=16)
    clock.advance(timedelta(hours=12))
    assert retries.run().dropped >= 1, "the waiting retries are dropped"
    assert len(receiver.requests) == before, "nothing goes to a disabled endpoint"
    again = [m for m in world.mailer.sent if m.tags.get("notice") == "webhook_disabled"]
    assert len(again) == 1, "one email"

    receiver.routes["/in"] = Answer(204)
    webhooks.update_webhook(world.provider, hook_id, {"enabled": True}, world.dispatcher.ports)
    newest = _book(world, days=17)
    after = receiver.requests[before:]
    assert any(newest.encode() in r.body for r in after), "turned on again: sent again"
    assert all(r.path == "/in" for r in after)


def test_the_sweeps_function_sends_the_due_retries_after_the_reminders(
    world: World, receiver: Loopback
) -> None:
    from chalicelib.jobs import reminders

    world.clock.advance(-2 * MINUTE)  # the retry falls due a minute before the real time
    _hook(world, receiver)
    receiver.routes["/in"] = Answer(500, b"down")
    _book(world)
    receiver.routes["/in"] = Answer(204)

    report = reminders.lambda_handler({})  # as the schedule runs it: the container, the real clock

    assert report["webhooks"]["delivered"] == 1 and report["finished"] is True
    assert len(receiver.requests) == 2
    assert reminders.lambda_handler({})["webhooks"]["delivered"] == 0, "delivered: not sent again"
