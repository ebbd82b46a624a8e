"""No double booking and no day past its cap, with per-service hours, notice and caps in the mix:
concurrent attempts on DynamoDB Local, checked on the table itself."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import COUNTED_STATUSES
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.errors import ConflictError, NotFoundError
from chalicelib.domain.ids import new_id
from chalicelib.services.booking import appointment_changes, booking
from tests.busy_support import assert_busy_time_matches, query_all
from tests.integration.test_no_double_booking import (
    POLICY,
    assert_no_overlap,
    at,
    open_provider,
    request,
    table_appointments,
)

pytestmark = pytest.mark.integration


def own_service(
    c: bootstrap.Container, provider_id: str, minutes: int, cap: int | None, **rules: Any
) -> Service:
    """A service with its own hours (10:00-16:00 every day), no notice, a 15-minute step."""
    service = Service(
        new_id(), provider_id, f"{minutes} min own", minutes, Decimal("20.00"), "EUR",
        min_notice_minutes=0, slot_interval_minutes=15, max_per_day=cap, buffer_after_minutes=5,
        hours=[WeeklyInterval(d, "10:00", "16:00") for d in WEEKDAYS], **rules,
    )  # fmt: skip
    c.repo.add_service(service)
    return service


def counts_on_table(ddb: Any, table: str, provider_id: str) -> dict[str, int]:
    """Every day count item, by its sort key (``COUNT#<date>`` and ``COUNT#<date>#<service>``)."""
    found = query_all(ddb, table, keys.provider_pk(provider_id), "COUNT#")
    return {item["SK"]["S"]: int(item["n"]["N"]) for item in found if int(item["n"]["N"])}


def counted_places(items: list[dict[str, Any]]) -> dict[str, int]:
    """What the counts must hold: each counted appointment once under its date and its service."""
    places: Counter[str] = Counter()
    for item in items:
        if item["status"]["S"] in COUNTED_STATUSES and "counted_day" in item:
            day = item["counted_day"]["S"]
            places[keys.day_count_sk(day)] += 1
            places[keys.service_day_count_sk(day, item["service_id"]["S"])] += 1
    return dict(places)


def race(attempts: list[booking.BookingRequest], c: bootstrap.Container, provider_id: str) -> list[str]:
    barrier = threading.Barrier(len(attempts))

    def attempt(req: booking.BookingRequest) -> str:
        barrier.wait()
        try:
            booking.book(provider_id, req, c.repo, c.clock, c.ids, c.link_sealer)
        except ConflictError as error:
            return error.code
        return "created"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(attempt, attempts))


def test_twelve_clients_on_distinct_free_slots_of_a_day_capped_at_three_book_exactly_three(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, _ = open_provider(c)
    service = own_service(c, provider_id, 15, cap=3)
    day = datetime.now(UTC).date() + timedelta(days=21)
    attempts = [request(service, at(day, 10) + timedelta(minutes=30 * n), n) for n in range(12)]
    outcomes = race(attempts, c, provider_id)
    assert outcomes.count("created") == 3, outcomes
    assert set(outcomes) == {"created", "daily_limit"}, "a free slot is refused only for the day's cap"
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert assert_no_overlap(items) == 3
    assert counts_on_table(ddb_client, c.settings.table_name, provider_id) == counted_places(items)
    assert counted_places(items)[keys.day_count_sk(day.isoformat())] == 3


def test_the_profiles_cap_holds_across_services_with_their_own_rules(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, profile_services = open_provider(c)  # profile rules, 08:00-20:00
    own = own_service(c, provider_id, 30, cap=None)
    profile = c.repo.get_provider(provider_id)
    assert profile is not None
    c.repo.update_profile(profile, {"max_per_day": 4}, c.clock.stamp())
    day = datetime.now(UTC).date() + timedelta(days=22)
    attempts = [
        request(own if n % 2 else profile_services[0], at(day, 10) + timedelta(minutes=45 * n), n)
        for n in range(8)  # the own service's starts fall within its own hours
    ]
    outcomes = race(attempts, c, provider_id)
    assert outcomes.count("created") == 4, outcomes
    assert set(outcomes) == {"created", "daily_limit"}
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert assert_no_overlap(items) == 4
    assert counts_on_table(ddb_client, c.settings.table_name, provider_id) == counted_places(items)


class Mix:
    """Random books, cancels and moves of one provider's calendar, from many threads."""

    def __init__(
        self, c: bootstrap.Container, provider_id: str, services: list[Service], first: date
    ) -> None:
        self.c, self.provider_id, self.services, self.first = c, provider_id, services, first
        self.booked: list[str] = []
        self.lock = threading.Lock()
        self.outcomes: Counter[str] = Counter()

    def start(self, rng: random.Random) -> datetime:
        day: date = self.first + timedelta(days=rng.randrange(2))
        return at(day, rng.randrange(8, 19), rng.choice((0, 15, 30, 45)))

    def once(self, rng: random.Random, n: int) -> str:
        c, by = self.c, Actor.provider(self.provider_id)
        kind = rng.choice(("book", "book", "cancel", "reschedule"))
        if kind == "book" or not self.booked:
            req = request(rng.choice(self.services), self.start(rng), n)
            made = booking.book(self.provider_id, req, c.repo, c.clock, c.ids, c.link_sealer)
            with self.lock:
                self.booked.append(made.appointment.id)
            return "book"
        with self.lock:
            target = rng.choice(self.booked)
        current = booking.get_appointment(self.provider_id, target, c.repo)
        if kind == "cancel":
            appointment_changes.cancel(current, "random", by, POLICY, c.repo, c.clock)
        else:
            appointment_changes.reschedule(current, self.start(rng), by, POLICY, c.repo, c.clock)
        return kind

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        for n in range(25):
            try:
                kind = self.once(rng, seed * 100 + n)
            except ConflictError as error:
                kind = error.code
            except NotFoundError:
                kind = "not_found"
            with self.lock:
                self.outcomes[kind] += 1


def test_random_books_cancels_and_moves_with_own_hours_and_caps_never_overlap_nor_pass_a_cap(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, profile_services = open_provider(c, buffers=(0, 10))
    capped = [own_service(c, provider_id, 30, cap=2), own_service(c, provider_id, 45, cap=1)]
    services = [*profile_services[:2], *capped]
    profile = c.repo.get_provider(provider_id)
    assert profile is not None
    c.repo.update_profile(profile, {"max_per_day": 5}, c.clock.stamp())
    mix = Mix(c, provider_id, services, datetime.now(UTC).date() + timedelta(days=31))
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(mix.run, range(8)))  # 8 threads x 25 = 200 operations
    outcomes = mix.outcomes
    assert sum(outcomes.values()) == 200
    assert outcomes["book"] > 10 and outcomes["reschedule"] + outcomes["cancel"] > 10, outcomes
    assert outcomes["daily_limit"] > 0, f"the caps were reached: {outcomes}"
    table = c.settings.table_name
    items = table_appointments(ddb_client, table, provider_id)
    assert assert_no_overlap(items) > 0
    assert assert_busy_time_matches(ddb_client, table, provider_id, items) > 0
    places = counted_places(items)
    assert counts_on_table(ddb_client, table, provider_id) == places, "the counts are exact"
    caps = {s.id: s.max_per_day for s in capped}
    for sk, n in places.items():
        parts = sk.split("#")
        cap = 5 if len(parts) == 2 else caps.get(parts[2])
        assert cap is None or n <= cap, f"{sk} holds {n}, past its cap {cap}"
    zone = at(mix.first, 0).tzinfo
    for item in items:  # own hours: the capped services start between 10:00 and 16:00 only
        if item["service_id"]["S"] in caps and item["status"]["S"] in COUNTED_STATUSES:
            local = datetime.fromisoformat(item["start"]["S"].replace("Z", "+00:00")).astimezone(zone)
            assert 10 <= local.hour < 16, item["start"]
