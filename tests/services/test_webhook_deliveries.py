"""Webhook delivery from the change stream on the in-memory stores: each event of a booking to
each subscribed endpoint once, in order, signed; a failing endpoint blocks neither the emails
nor the other endpoints."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook as Verifier

from chalicelib.adapters.memory.notifications import MemoryChanges, MemoryNotices
from chalicelib.adapters.memory.reminders import MemoryReminders
from chalicelib.adapters.memory.webhooks import MemoryDeliveryLedger, MemoryWebhooks
from chalicelib.domain.booking.actors import Actor
from chalicelib.services.booking import appointment_changes
from chalicelib.services.integrations import webhooks
from chalicelib.services.integrations.deliveries import WebhookDispatcher
from chalicelib.services.integrations.ports import SendAnswer
from chalicelib.services.notifications.outbox import Outbox
from chalicelib.services.shared import SystemClock
from tests.services.conftest import HOUR, MONDAY_10, World
from tests.services.test_webhooks import RecordingSender

pytestmark = pytest.mark.unit
URL = "https://hooks.example.com/in"
OTHER = "https://other.example.com/in"


class FlakySender(RecordingSender):
    """Answers 500 for one URL, 204 for the others."""

    def __init__(self, failing: str) -> None:
        super().__init__()
        self.failing = failing

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendAnswer:
        self.sent.append((url, body, headers))
        if url == self.failing:
            return SendAnswer(500, 2.0, b"down")
        return SendAnswer(204, 2.0, b"")


def wired(world: World, sender: RecordingSender) -> tuple[webhooks.WebhookPorts, Outbox]:
    # Signed with the real time: the library refuses a timestamp more than 5 minutes off.
    ports = webhooks.WebhookPorts(MemoryWebhooks(world.table), sender, world.sealer, SystemClock(), world.ids)
    outbox = Outbox(
        MemoryChanges(),
        MemoryNotices(world.table),
        MemoryReminders(world.table),
        world.notifier(),
        webhooks=WebhookDispatcher(ports, MemoryDeliveryLedger(world.table)),
    )
    return ports, outbox


def drain(world: World, outbox: Outbox) -> None:
    assert outbox.handle(world.table.stream[world.drained :]) == []
    world.drained = len(world.table.stream)


def test_book_reschedule_cancel_each_arrive_once_in_order_signed(world: World) -> None:
    _, provider, service = world.provider()
    sender = RecordingSender()
    ports, outbox = wired(world, sender)
    made, secret = webhooks.create_webhook(
        provider.id, URL, ["booking.created", "booking.rescheduled", "booking.cancelled"], "", ports
    )
    a = world.book(provider, service).appointment
    drain(world, outbox)
    moved = appointment_changes.reschedule(
        a, MONDAY_10 + 2 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    drain(world, outbox)
    appointment_changes.cancel(moved, "", Actor.client(), provider.policy, world.repo, world.clock)
    drain(world, outbox)
    assert outbox.handle(world.table.stream) == [], "the whole stream again"

    verifier = Verifier(secret)
    events = [verifier.verify(body, headers) for _, body, headers in sender.sent]
    assert [e["type"] for e in events] == ["booking.created", "booking.rescheduled", "booking.cancelled"]
    assert {e["data"]["appointment"]["id"] for e in events} == {a.id}
    assert events[1]["data"]["appointment"]["start"] == "2031-03-03T12:00:00Z"
    who = [(e["data"]["appointment"]["cancelled_by"], e["data"]["appointment"]["language"]) for e in events]
    assert who == [(None, "en"), (None, "en"), ("client", "en")], "who cancelled, and the client's language"
    assert len({headers["webhook-id"] for _, _, headers in sender.sent}) == 3
    assert len([m for m in world.mailer.sent if m.to == "robin@example.com"]) == 3, "the emails too"
    assert made.id


def test_an_endpoint_not_subscribed_gets_nothing_and_a_failing_one_blocks_no_other(world: World) -> None:
    _, provider, service = world.provider()
    sender = FlakySender(failing=OTHER)
    ports, outbox = wired(world, sender)
    webhooks.create_webhook(provider.id, URL, ["booking.cancelled"], "", ports)
    webhooks.create_webhook(provider.id, OTHER, ["booking.created"], "", ports)
    webhooks.create_webhook(provider.id, URL + "/2", ["booking.created"], "", ports)
    world.book(provider, service)
    drain(world, outbox)

    assert sorted(url for url, _, _ in sender.sent) == [URL + "/2", OTHER]
    attempts = [a for tries in world.table.webhook_deliveries.values() for a in tries]
    assert sorted((a.status, a.response_code) for a in attempts) == [("delivered", 204), ("failed", 500)]
    [failed] = [a for a in attempts if a.status == "failed"]
    assert failed.response_body == "down" and failed.attempt == 1
    assert json.loads(sender.sent[0][1])["type"] == "booking.created"
    assert len(world.mailer.sent) == 2, "the emails went all the same"
