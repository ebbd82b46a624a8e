"""No double booking, ever: concurrent attempts on DynamoDB Local, checked on the table itself."""

from __future__ import annotations

import itertools
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, parse_z
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import Service, WeeklyInterval
from chalicelib.domain.errors import ConflictError, NotFoundError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import BookingPolicy, Identity
from chalicelib.domain.slots.timeline import Busy, overlaps
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.catalog.providers import get_or_create_me
from tests.busy_support import assert_busy_time_matches

pytestmark = pytest.mark.integration
POLICY = BookingPolicy()  # the provider's notice binds clients only: these changes are the provider's

ZONE = "Europe/Paris"


def open_provider(
    container: bootstrap.Container, buffers: tuple[int, int] = (0, 0)
) -> tuple[str, list[Service]]:
    identity = Identity(sub=new_id(), email=None, name="Racer", token_use="id")
    provider = get_or_create_me(identity, container.repo, container.clock)
    policy = {"min_notice_minutes": 0, "slot_interval_minutes": 5, "max_advance_days": 365, "timezone": ZONE}
    container.repo.update_profile(provider, policy, container.clock.stamp())
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    container.repo.replace_weekly(provider.id, [WeeklyInterval(d, "08:00", "20:00") for d in days], "x")
    services = []
    for minutes in (15, 30, 45, 60, 90):
        service = Service(
            new_id(), provider.id, f"{minutes} min", minutes, Decimal("10.00"), "EUR",
            buffer_before_minutes=buffers[0], buffer_after_minutes=buffers[1],
        )  # fmt: skip
        container.repo.add_service(service)
        services.append(service)
    return provider.id, services


def table_appointments(ddb: Any, table: str, provider_id: str) -> list[dict[str, Any]]:
    """Straight from the table (strongly consistent), not through the code under test."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :appt)",
        "ExpressionAttributeValues": {":pk": {"S": keys.provider_pk(provider_id)}, ":appt": {"S": "APPT#"}},
        "ConsistentRead": True,
    }
    while True:
        page = ddb.query(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def padded(item: dict[str, Any]) -> Busy:
    return Busy(
        parse_z(item["start"]["S"]),
        parse_z(item["end"]["S"]),
        int(item["buffer_before_minutes"]["N"]),
        int(item["buffer_after_minutes"]["N"]),
    )


def assert_no_overlap(items: list[dict[str, Any]]) -> int:
    active = sorted(
        (padded(i).padded() for i in items if i["status"]["S"] in ACTIVE_STATUSES), key=lambda x: x.start
    )
    for before, after in itertools.pairwise(active):
        assert not overlaps(before, after), f"double booking: {before} and {after}"
    return len(active)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONE))


def request(service: Service, start: datetime, n: int) -> booking.BookingRequest:
    return booking.BookingRequest(service.id, start, ClientDetails(f"C{n}", f"c{n}@example.com"), "UTC")


def test_fifty_parallel_overlapping_attempts_yield_exactly_one_booking(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    provider_id, services = open_provider(container, buffers=(5, 10))
    day = datetime.now(UTC).date() + timedelta(days=20)
    # Every attempt covers 10:00-10:15 local, with different services, durations and starts.
    attempts = []
    for n in range(50):
        service = services[n % len(services)]
        start = at(day, 10) - timedelta(minutes=5 * (n % 3))
        attempts.append(request(service, start, n))
    barrier = threading.Barrier(len(attempts))

    def attempt(req: booking.BookingRequest) -> str:
        barrier.wait()
        try:
            booking.book(
                provider_id, req, container.repo, container.clock, container.ids, container.link_sealer
            )
        except ConflictError as error:
            return error.code
        return "created"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        outcomes = list(pool.map(attempt, attempts))
    assert outcomes.count("created") == 1, outcomes
    assert set(outcomes) <= {"created", "taken"}
    items = table_appointments(ddb_client, container.settings.table_name, provider_id)
    assert len(items) == 1
    assert assert_no_overlap(items) == 1


def test_random_book_cancel_reschedule_from_eight_threads_never_overlap(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    provider_id, services = open_provider(container, buffers=(0, 15))
    first_day = datetime.now(UTC).date() + timedelta(days=30)
    booked: list[str] = []
    lock = threading.Lock()
    counts = {"book": 0, "cancel": 0, "reschedule": 0, "refused": 0}

    def random_start(rng: random.Random) -> datetime:
        return at(
            first_day + timedelta(days=rng.randrange(2)), rng.randrange(8, 19), rng.choice((0, 15, 30, 45))
        )

    by = Actor.provider(provider_id)

    def operate(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(25):  # 8 threads x 25 = 200 operations
            kind = rng.choice(("book", "book", "cancel", "reschedule"))
            try:
                if kind == "book" or not booked:
                    kind = "book"
                    service = rng.choice(services)
                    made = booking.book(
                        provider_id, request(service, random_start(rng), seed * 100 + n),
                        container.repo, container.clock, container.ids, container.link_sealer,
                    )  # fmt: skip
                    with lock:
                        booked.append(made.appointment.id)
                else:
                    with lock:
                        target = rng.choice(booked)
                    current = booking.get_appointment(provider_id, target, container.repo)
                    if kind == "cancel":
                        appointment_changes.cancel(
                            current, "random", by, POLICY, container.repo, container.clock
                        )
                    else:
                        appointment_changes.reschedule(
                            current, random_start(rng), by, POLICY, container.repo, container.clock
                        )
            except (ConflictError, NotFoundError):
                with lock:
                    counts["refused"] += 1
                continue
            with lock:
                counts[kind] += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(operate, range(8)))
    assert sum(counts.values()) == 200
    assert counts["book"] > 10 and counts["reschedule"] + counts["cancel"] > 10, counts
    items = table_appointments(ddb_client, container.settings.table_name, provider_id)
    active = assert_no_overlap(items)
    assert active > 0
    # Block items and day summaries hold exactly the active appointments' minutes.
    assert assert_busy_time_matches(ddb_client, container.settings.table_name, provider_id, items) > 0


def test_changes_from_a_stale_copy_are_refused_and_leave_no_stray_busy_time(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    provider_id, services = open_provider(container)
    c = container
    day = datetime.now(UTC).date() + timedelta(days=12)
    made = booking.book(
        provider_id, request(services[3], at(day, 9), 1), c.repo, c.clock, c.ids, c.link_sealer
    )
    stale = booking.get_appointment(provider_id, made.appointment.id, c.repo)
    by = Actor.provider(provider_id)
    appointment_changes.reschedule(
        stale, at(day, 14), by, POLICY, c.repo, c.clock
    )  # same second as the writes below
    with pytest.raises(ConflictError):
        appointment_changes.set_outcome(stale, None, "from an old copy", c.repo, c.clock)
    with pytest.raises(ConflictError):
        appointment_changes.cancel(stale, "from an old copy", by, POLICY, c.repo, c.clock)
    # A move asked from an old copy is applied to the fresh one: the request is "be at 16:00".
    moved = appointment_changes.reschedule(stale, at(day, 16), by, POLICY, c.repo, c.clock)
    assert moved.revision == 2 and moved.sequence == 2
    for hour in (9, 14):  # both earlier times are really free
        again = request(services[3], at(day, hour), hour)
        booking.book(provider_id, again, c.repo, c.clock, c.ids, c.link_sealer)
    with pytest.raises(ConflictError):  # and the current one really taken
        taken = request(services[3], at(day, 16), 3)
        booking.book(provider_id, taken, c.repo, c.clock, c.ids, c.link_sealer)
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert assert_no_overlap(items) == 3
    current = booking.get_appointment(provider_id, made.appointment.id, c.repo)
    assert current.start == at(day, 16) and current.provider_notes == ""


def test_same_slot_and_distinct_slot_clients_at_once_refuse_only_real_overlaps(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    """Adjacent slots share block items at their edges (buffer included): only a taken slot is refused."""
    c = container
    provider_id, _ = open_provider(c)
    service = Service(new_id(), provider_id, "Fifteen", 15, Decimal("10.00"), "EUR", buffer_after_minutes=5)
    c.repo.add_service(service)
    day = datetime.now(UTC).date() + timedelta(days=40)
    slots = [at(day, 10) + timedelta(minutes=20 * n) for n in range(12)]
    # Slots 0-5: four clients each race for the same slot; slots 6-11: one client each.
    attempts = [(slot, n * 10 + k) for n, slot in enumerate(slots) for k in range(4 if n < 6 else 1)]
    barrier = threading.Barrier(len(attempts))

    def attempt(job: tuple[datetime, int]) -> tuple[datetime, str]:
        slot, n = job
        barrier.wait()
        try:
            booking.book(provider_id, request(service, slot, n), c.repo, c.clock, c.ids, c.link_sealer)
        except ConflictError as error:
            return slot, error.code
        return slot, "created"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        outcomes = list(pool.map(attempt, attempts))
    created = sorted(slot for slot, outcome in outcomes if outcome == "created")
    assert created == slots, "every slot is booked exactly once: no free slot was refused"
    assert {outcome for _, outcome in outcomes} == {"created", "taken"}
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert assert_no_overlap(items) == 12
    assert assert_busy_time_matches(ddb_client, c.settings.table_name, provider_id, items) == 12 * 20
