"""Automatic webhook retries on the in-memory stores: backoff from the first attempt, Retry-After,
giving up after 24 hours, an endpoint disabled (with one email) after 3 days of failures, turned
back on by its owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from chalicelib.adapters.memory.notifications import MemoryChanges, MemoryNotices
from chalicelib.adapters.memory.reminders import MemoryReminders
from chalicelib.adapters.memory.webhooks import MemoryDeliveryLedger, MemoryWebhooks
from chalicelib.domain.booking.appointments import iso_z
from chalicelib.domain.catalog import Service
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.services.integrations import webhooks
from chalicelib.services.integrations.alerts import MailedEndpointAlerts
from chalicelib.services.integrations.deliveries import WebhookDispatcher
from chalicelib.services.integrations.ports import SendAnswer
from chalicelib.services.integrations.retries import RetryReport, WebhookRetries
from chalicelib.services.notifications.outbox import Outbox
from tests.services.conftest import MONDAY_10, World
from tests.services.test_webhooks import RecordingSender

pytestmark = pytest.mark.unit
URL = "https://hooks.example.com/in"
MINUTE = timedelta(minutes=1)


class ScriptedSender(RecordingSender):
    """Answers what ``answer`` says for each send (by default a 500)."""

    def __init__(self) -> None:
        super().__init__()
        self.answer: Callable[[], SendAnswer] = lambda: SendAnswer(500, 1.0, b"down")

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendAnswer:
        self.sent.append((url, body, headers))
        return self.answer()


@dataclass
class Rig:
    world: World
    sender: ScriptedSender
    ports: webhooks.WebhookPorts
    outbox: Outbox
    retries: WebhookRetries
    provider_id: str
    service: Service

    def drain(self) -> None:
        assert self.outbox.handle(self.world.table.stream[self.world.drained :]) == []
        self.world.drained = len(self.world.table.stream)

    def book_one(self, hours: int = 0) -> None:
        """A booking a week after the first Monday's 10:00 (still ahead after days of waiting)."""
        provider = self.world.repo.get_provider(self.provider_id)
        assert provider is not None
        self.world.book(provider, self.service, MONDAY_10 + timedelta(weeks=1, hours=hours))
        self.drain()

    def endpoint(self) -> Webhook:
        [hook] = self.ports.store.list_webhooks(self.provider_id)
        return hook

    def later(self, delta: timedelta) -> None:
        self.world.clock.advance(delta)


@pytest.fixture
def rig(world: World) -> Rig:
    sender = ScriptedSender()
    ports = webhooks.WebhookPorts(MemoryWebhooks(world.table), sender, world.sealer, world.clock, world.ids)
    alerts = MailedEndpointAlerts(world.repo, world.mailer, "http://127.0.0.1:8000/app")
    dispatcher = WebhookDispatcher(ports, MemoryDeliveryLedger(world.table), alerts)
    outbox = Outbox(
        MemoryChanges(),
        MemoryNotices(world.table),
        MemoryReminders(world.table),
        world.notifier(),
        webhooks=dispatcher,
    )
    _, provider, service = world.provider()
    webhooks.create_webhook(provider.id, URL, ["booking.created"], "", ports)
    return Rig(world, sender, ports, outbox, WebhookRetries(dispatcher), provider.id, service)


def test_a_failed_delivery_is_tried_again_with_backoff_the_same_message_until_delivered(rig: Rig) -> None:
    rig.book_one()
    assert len(rig.sender.sent) == 1
    assert rig.retries.run().delivered == 0 and len(rig.sender.sent) == 1, "not due before a minute"
    rig.later(MINUTE)
    report = rig.retries.run()
    assert (report.failed, len(rig.sender.sent)) == (1, 2), "1 minute after the first"
    rig.later(4 * MINUTE)
    rig.retries.run()
    assert len(rig.sender.sent) == 2, "the second wait is 5 minutes, from the second attempt"
    rig.later(MINUTE)
    rig.sender.answer = lambda: SendAnswer(200, 1.0, b"ok")
    assert rig.retries.run().delivered == 1
    rig.later(timedelta(hours=30))
    assert rig.retries.run().delivered == 0 and len(rig.sender.sent) == 3, "nothing after a delivery"

    ids = {headers["webhook-id"] for _, _, headers in rig.sender.sent}
    bodies = {body for _, body, _ in rig.sender.sent}
    assert len(ids) == 1 and len(bodies) == 1, "the same webhook-id and body each time"
    stamps = [int(headers["webhook-timestamp"]) for _, _, headers in rig.sender.sent]
    assert stamps[1] - stamps[0] == 60 and stamps[2] - stamps[1] == 300, "signed anew at each attempt"
    log = rig.retries.dispatcher.log(rig.provider_id, rig.endpoint().id)
    assert [(a.attempt, a.status) for a in log] == [(3, "delivered"), (2, "failed"), (1, "failed")]
    assert rig.endpoint().failing_since is None, "delivered: healthy again"


def test_retry_after_is_honoured_in_seconds_and_as_a_date(rig: Rig) -> None:
    rig.sender.answer = lambda: SendAnswer(503, 1.0, b"busy", "600")
    rig.book_one()
    rig.later(9 * MINUTE)
    rig.retries.run()
    assert len(rig.sender.sent) == 1, "asked for 10 minutes, not the 1 minute of the backoff"
    rig.later(MINUTE)
    asked_until = rig.world.clock.now() + 20 * MINUTE
    when = asked_until.strftime("%a, %d %b %Y %H:%M:%S GMT")
    rig.sender.answer = lambda: SendAnswer(429, 1.0, b"slow down", when)
    assert rig.retries.run().failed == 1 and len(rig.sender.sent) == 2
    rig.later(19 * MINUTE)
    rig.retries.run()
    assert len(rig.sender.sent) == 2, "the date asked for has not come"
    rig.later(MINUTE)
    rig.retries.run()
    assert len(rig.sender.sent) == 3


def test_a_delivery_is_given_up_24_hours_after_its_first_attempt(rig: Rig) -> None:
    rig.book_one()
    first = rig.world.clock.now()
    for _ in range(60):
        rig.later(timedelta(minutes=30))
        rig.retries.run()
    assert rig.world.clock.now() - first > timedelta(hours=24)
    times = len(rig.sender.sent)
    # 1 min, 5 min, 30 min, 2 h, 5 h, 10 h: the next would be past 24 h
    assert times == 7, f"{times} attempts"
    rig.later(timedelta(days=2))
    assert rig.retries.run() == RetryReport() and len(rig.sender.sent) == times
    assert rig.world.table.webhook_retries == {}, "nothing left waiting"


def test_an_endpoint_failing_for_3_days_is_disabled_with_one_email_and_turned_on_again(rig: Rig) -> None:
    rig.book_one()
    since = rig.endpoint().failing_since
    assert since == iso_z(rig.world.clock.now())
    rig.later(timedelta(days=2))
    rig.book_one(hours=1)
    assert rig.endpoint().enabled and rig.endpoint().failing_since == since, "kept from the first failure"
    rig.later(timedelta(days=1))
    before = len(rig.world.mailer.sent)
    rig.book_one(hours=2)
    hook = rig.endpoint()
    assert not hook.enabled and hook.disabled_reason == "failing"
    [email] = [m for m in rig.world.mailer.sent[before:] if m.tags.get("notice") == "webhook_disabled"]
    assert email.to == "pat@example.com" and "turned off" in email.subject
    assert URL in email.text and "/app" in email.text
    assert "Saturday, March 1, 2031, 12:00\u202fPM (Europe/Lisbon)" in email.text, "in her zone and language"
    sent = len(rig.sender.sent)
    rig.book_one(hours=3)
    rig.later(timedelta(hours=12))
    rig.retries.run()
    assert len(rig.sender.sent) == sent, "nothing to a disabled endpoint, not even its waiting retries"
    assert rig.world.table.webhook_retries == {}
    alerts = [m for m in rig.world.mailer.sent if "turned off" in m.subject]
    assert len(alerts) == 1, "one email for the disabling, however much fails after it"

    rig.sender.answer = lambda: SendAnswer(204, 1.0, b"")
    turned_on = webhooks.update_webhook(rig.provider_id, hook.id, {"enabled": True}, rig.ports)
    assert turned_on.enabled and turned_on.failing_since is None and turned_on.disabled_reason is None
    rig.book_one(hours=4)
    assert len(rig.sender.sent) == sent + 1 and rig.endpoint().failing_since is None


def test_an_endpoint_its_owner_turns_off_gets_nothing(rig: Rig) -> None:
    hook = rig.endpoint()
    off = webhooks.update_webhook(rig.provider_id, hook.id, {"enabled": False}, rig.ports)
    assert (off.enabled, off.disabled_reason, off.disabled_at) == (
        False,
        "by_provider",
        iso_z(rig.world.clock.now()),
    )
    rig.book_one()
    assert rig.sender.sent == []
    assert rig.retries.dispatcher.log(rig.provider_id, hook.id) == []


def test_a_run_with_no_time_left_starts_no_retry_and_says_it_did_not_finish(rig: Rig) -> None:
    rig.book_one()
    rig.later(MINUTE)
    assert rig.retries.run(budget_seconds=0) == RetryReport(finished=False)
    assert len(rig.sender.sent) == 1
    assert rig.retries.run().failed == 1, "the next run sends it"
