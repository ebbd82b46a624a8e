"""Webhook delivery on DynamoDB Local's real stream to a real HTTP receiver on loopback (local
stage): book -> reschedule -> cancel arrive once each, in order, verified with the public library;
a failed one sent again by hand; a client's erasure once, with nothing but its id."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks import Webhook as Verifier

from chalicelib import bootstrap
from chalicelib.config import Settings
from chalicelib.jobs import outbox
from chalicelib.services.clients import clients
from chalicelib.services.integrations import webhooks
from chalicelib.services.integrations.deliveries import WebhookDispatcher
from devtools.streams import StreamPoller
from tests.client_builders import make_client
from tests.loopback import Answer, Loopback, loopback_server
from tests.notify_support import BASE_URL, Book, FixedClock, Jobs, RecordingMailer, make_jobs

pytestmark = pytest.mark.integration


@pytest.fixture
def receiver() -> Iterator[Loopback]:
    with loopback_server() as server:
        yield server


@dataclass
class World:
    """The stack a stream test needs: the consumer's jobs at a fixed clock, its dispatcher, one provider."""

    jobs: Jobs
    mailer: RecordingMailer
    dispatcher: WebhookDispatcher
    provider: str
    drain: Callable[[], None]
    clock: FixedClock


@pytest.fixture
def world(
    ddb_client: Any, ddb_endpoint: str, settings_for: Callable[..., Settings], fresh_table: str
) -> Iterator[World]:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE_URL)
    bootstrap.reset(bootstrap.build(settings))
    try:
        # Signed at the real time: the library refuses a timestamp more than 5 minutes off.
        clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
        mailer = RecordingMailer()
        # The container's sealer: what the jobs seal, the scheduled functions open (and back).
        jobs = make_jobs(settings, mailer, clock, lambda _: None, bootstrap.container().link_sealer)
        dispatcher = jobs.outbox.webhooks
        assert dispatcher is not None, "the stream consumer sends webhooks"

        def drain() -> None:
            """Every record from the stream's start: what was handled before comes again too."""
            consume = lambda rs: outbox.handle_records(rs, jobs.outbox)  # noqa: E731
            StreamPoller(ddb_client, ddb_endpoint, fresh_table, consume, "TRIM_HORIZON").drain()

        yield World(jobs, mailer, dispatcher, Book(jobs).provider(), drain, clock)
    finally:
        bootstrap.reset()


def test_book_move_cancel_each_reach_the_endpoint_once_in_order_signed(
    world: World, receiver: Loopback
) -> None:
    book, provider, dispatcher, clock = (
        Book(world.jobs),
        world.provider,
        world.dispatcher,
        world.dispatcher.ports.clock,
    )
    receiver.routes["/in"] = Answer(204)
    receiver.routes["/elsewhere"] = Answer(500, b"down")
    events = ["booking.created", "booking.rescheduled", "booking.cancelled"]
    _, secret = webhooks.create_webhook(provider, receiver.url("/in"), events, "", dispatcher.ports)
    failing, other_secret = webhooks.create_webhook(
        provider, receiver.url("/elsewhere"), events, "", dispatcher.ports
    )

    start = clock.now() + timedelta(days=14)
    booked = book.appointment(provider, start)
    world.drain()
    moved = book.move(booked, start + timedelta(hours=2))
    world.drain()
    book.cancel(moved)
    world.drain()

    got = [r for r in receiver.requests if r.path == "/in"]
    verified = [Verifier(secret).verify(r.body, r.headers) for r in got]
    assert [e["type"] for e in verified] == events
    assert {e["data"]["appointment"]["id"] for e in verified} == {booked.appointment_id}
    assert len({r.headers["webhook-id"] for r in got}) == 3
    assert len([r for r in receiver.requests if r.path == "/elsewhere"]) == 3, "each tried once"
    assert json.loads(got[2].body)["data"]["appointment"]["status"] == "cancelled"
    assert len(world.mailer.sent) >= 3, "a failing endpoint holds no email back"

    # The failing endpoint's log, newest first; once it is mended, its first event sent by hand
    log = dispatcher.log(provider, failing.id)
    assert [(a.event_type, a.status, a.response_code) for a in log] == [
        (e, "failed", 500) for e in reversed(events)
    ]
    receiver.routes["/elsewhere"] = Answer(200, b"back")
    again = dispatcher.retry(provider, failing.id, log[-1].event_id)
    assert (again.status, again.attempt, again.response_code) == ("delivered", 2, 200)
    resent = [r for r in receiver.requests if r.path == "/elsewhere"][-1]
    assert resent.headers["webhook-id"] == got[0].headers["webhook-id"], "the same event, the same id"
    assert resent.body == got[0].body, "the body as first sent"
    assert Verifier(other_secret).verify(resent.body, resent.headers)["type"] == "booking.created"
    # deliveries newest first, each one's attempts newest first: the created one is last
    after = [(a.event_type, a.attempt) for a in dispatcher.log(provider, failing.id)]
    assert after == [(e, 1) for e in reversed(events[1:])] + [(events[0], 2), (events[0], 1)]


def test_an_erased_client_reaches_the_endpoint_once_with_nothing_but_its_id(
    world: World, receiver: Loopback
) -> None:
    provider, dispatcher, clock = world.provider, world.dispatcher, world.dispatcher.ports.clock
    receiver.routes["/erased"] = Answer(204)
    receiver.routes["/bookings-only"] = Answer(204)
    _, secret = webhooks.create_webhook(
        provider, receiver.url("/erased"), ["client.erased"], "", dispatcher.ports
    )
    only = ["booking.created"]
    webhooks.create_webhook(provider, receiver.url("/bookings-only"), only, "", dispatcher.ports)
    repo = bootstrap.container().repo
    client = make_client(repo, provider, "Inês Sousa", "ines@example.com", "+351 912 345 678")
    kept = make_client(repo, provider, "Bea Costa", "bea@example.com")

    clients.erase_client(provider, client.id, repo, clock)
    world.drain()
    clients.erase_client(provider, client.id, repo, clock)  # asked again: already erased
    world.drain()  # and every record once more, as a retried batch brings them

    got = [r for r in receiver.requests if r.path == "/erased"]
    assert len(got) == 1, "once, however often the erasure or its record comes again"
    event = Verifier(secret).verify(got[0].body, got[0].headers)
    assert event["type"] == "client.erased"
    assert event["data"] == {"client": {"id": client.id}, "erased_at": event["data"]["erased_at"]}
    assert event["data"]["erased_at"].endswith("Z")
    text = got[0].body.decode()
    assert all(gone not in text for gone in ("Inês", "ines@example.com", "912")), "nothing of the person"
    assert kept.id not in text
    assert [r for r in receiver.requests if r.path == "/bookings-only"] == [], "not subscribed"
    endpoints = webhooks.list_webhooks(provider, dispatcher.ports.store)
    logged = [a for w in endpoints for a in dispatcher.log(provider, w.id)]
    [attempt] = logged
    assert attempt.event_type == "client.erased" and attempt.status == "delivered"
