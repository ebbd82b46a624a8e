"""No double booking with approval, per-service rules and the provider's overrides in the race:
concurrent attempts on DynamoDB Local, checked on the table itself."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, CONFIRMED, DECLINED, PENDING
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.ids import new_id
from chalicelib.services.booking import approval, booking
from tests.busy_support import assert_busy_time_matches
from tests.integration.test_no_double_booking import (
    assert_no_overlap,
    at,
    open_provider,
    request,
    table_appointments,
)
from tests.integration.test_no_double_booking_rules import counted_places, counts_on_table

pytestmark = pytest.mark.integration

T = TypeVar("T")
Attempt = tuple[str, booking.BookingRequest, Actor]  # (what it is, the request, who asks)


def add(c: bootstrap.Container, provider_id: str, name: str, minutes: int, **rules: Any) -> Service:
    service = Service(new_id(), provider_id, name, minutes, Decimal("30.00"), "EUR", **rules)
    c.repo.add_service(service)
    return service


def all_at_once(jobs: list[T], run: Callable[[T], str]) -> list[str]:
    """``run`` on every job from its own thread, all released together."""
    barrier = threading.Barrier(len(jobs))

    def one(job: T) -> str:
        barrier.wait()
        return run(job)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(one, jobs))


def race(c: bootstrap.Container, provider_id: str, attempts: list[Attempt]) -> list[tuple[str, str]]:
    """Each attempt's label and outcome: ``created`` or the 409's code."""

    def attempt(job: Attempt) -> str:
        _, req, by = job
        try:
            booking.book(provider_id, req, c.repo, c.clock, c.ids, c.link_sealer, by=by)
        except ConflictError as error:
            return error.code
        return "created"

    outcomes = all_at_once(attempts, attempt)
    return [(label, outcome) for (label, _, _), outcome in zip(attempts, outcomes, strict=True)]


def by_label(outcomes: list[tuple[str, str]]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {}
    for label, outcome in outcomes:
        found.setdefault(label, Counter())[outcome] += 1
    return found


def active(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["status"]["S"] in ACTIVE_STATUSES]


def check_table(c: bootstrap.Container, ddb: Any, provider_id: str) -> list[dict[str, Any]]:
    """The table's appointments, after checking that no two active ones overlap and that the
    busy time and the day counts hold exactly what they hold."""
    table = c.settings.table_name
    items = table_appointments(ddb, table, provider_id)
    assert_no_overlap(items)
    if active(items):
        assert assert_busy_time_matches(ddb, table, provider_id, items) > 0
    assert counts_on_table(ddb, table, provider_id) == counted_places(items), "the day counts are exact"
    return items


CLIENT = Actor.client()


def test_a_request_holds_its_slot_until_it_is_declined_and_the_freed_slot_is_booked_once(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, services = open_provider(c, buffers=(0, 10))
    therapy = add(c, provider_id, "Therapy", 50, requires_approval=True, buffer_after_minutes=10)
    plain = services[1]  # 30 minutes, confirmed at once
    day = datetime.now(UTC).date() + timedelta(days=25)
    slot = at(day, 11)
    # Twenty clients ask for the same hour, at starts that all overlap 11:00-12:00.
    asks = [
        ("request", request(therapy, slot + timedelta(minutes=5 * (n % 3)), n), CLIENT) for n in range(20)
    ]
    outcomes = by_label(race(c, provider_id, asks))
    assert outcomes["request"] == Counter({"created": 1, "taken": 19}), outcomes
    items = check_table(c, ddb_client, provider_id)
    assert [i["status"]["S"] for i in items] == [PENDING], "the one winner is a request, holding its time"
    held = items[0]["appointment_id"]["S"]

    # The request holds its time against everybody: more requests, plain bookings, the provider.
    by = Actor.provider(provider_id)
    against = [
        *[("request", request(therapy, slot - timedelta(minutes=30), 100 + n), CLIENT) for n in range(8)],
        *[("plain", request(plain, slot + timedelta(minutes=20), 200 + n), CLIENT) for n in range(8)],
        *[("provider", request(plain, slot, 300 + n), by) for n in range(4)],
    ]
    outcomes = by_label(race(c, provider_id, against))
    assert set(outcomes) == {"request", "plain", "provider"}
    assert all(set(o) == {"taken"} for o in outcomes.values()), outcomes
    assert [i["appointment_id"]["S"] for i in active(check_table(c, ddb_client, provider_id))] == [held]

    # Confirmed, it still holds the same time: the same race loses the same way.
    confirmed = approval.confirm(booking.get_appointment(provider_id, held, c.repo), by, c.repo, c.clock)
    assert confirmed.status == CONFIRMED
    outcomes = by_label(race(c, provider_id, against))
    assert all(set(o) == {"taken"} for o in outcomes.values()), outcomes
    items = check_table(c, ddb_client, provider_id)
    assert [(i["appointment_id"]["S"], i["status"]["S"]) for i in active(items)] == [(held, CONFIRMED)]

    # A second request elsewhere that day; declining it frees its time for one new winner.
    later = at(day, 15)
    outcomes = by_label(
        race(c, provider_id, [("request", request(therapy, later, 400 + n), CLIENT) for n in range(10)])
    )
    assert outcomes["request"] == Counter({"created": 1, "taken": 9}), outcomes
    second = next(
        i["appointment_id"]["S"]
        for i in active(check_table(c, ddb_client, provider_id))
        if i["appointment_id"]["S"] != held
    )
    declined = approval.decline(
        booking.get_appointment(provider_id, second, c.repo), "Fully booked that week", by, c.repo, c.clock
    )
    assert declined.status == DECLINED
    items = check_table(c, ddb_client, provider_id)
    assert {i["appointment_id"]["S"] for i in active(items)} == {held}, "a declined request holds nothing"
    rebook = [
        *[("request", request(therapy, later, 500 + n), CLIENT) for n in range(6)],
        *[("plain", request(plain, later + timedelta(minutes=10), 600 + n), CLIENT) for n in range(6)],
    ]
    results = [outcome for _, outcome in race(c, provider_id, rebook)]
    assert results.count("created") == 1, results
    assert set(results) == {"created", "taken"}
    items = check_table(c, ddb_client, provider_id)
    assert len(active(items)) == 2
    assert {i["status"]["S"] for i in items if i["appointment_id"]["S"] == second} == {DECLINED}


def test_a_decline_racing_with_new_requests_for_its_time_leaves_at_most_one_holder(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, _ = open_provider(c)
    lesson = add(c, provider_id, "Lesson", 60, requires_approval=True, max_per_day=1)
    by = Actor.provider(provider_id)
    day = datetime.now(UTC).date() + timedelta(days=26)
    for round_ in range(3):
        start = at(day + timedelta(days=round_), 9)
        first = booking.book(
            provider_id, request(lesson, start, round_), c.repo, c.clock, c.ids, c.link_sealer
        )
        assert first.appointment.status == PENDING
        pending = first.appointment
        # The same day, elsewhere: the request also holds the service's one place that day.
        jobs: list[str | int] = ["decline", *range(12)]

        def run(job: str | int, pending: Any = pending, start: datetime = start, round_: int = round_) -> str:
            if job == "decline":
                approval.decline(pending, "Not this time", by, c.repo, c.clock)
                return "declined"
            assert isinstance(job, int)
            moved = start + timedelta(hours=2 * (job % 2))  # 09:00 (its time) or 11:00 (its day)
            req = request(lesson, moved, 1000 * round_ + job)
            try:
                booking.book(provider_id, req, c.repo, c.clock, c.ids, c.link_sealer)
            except ConflictError as error:
                return error.code
            return "created"

        outcomes = Counter(all_at_once(jobs, run))
        assert outcomes["declined"] == 1
        assert outcomes["created"] <= 1, outcomes
        assert set(outcomes) <= {"declined", "created", "taken", "daily_limit"}, outcomes
        items = check_table(c, ddb_client, provider_id)
        held = [i for i in active(items) if i["counted_day"]["S"] == start.date().isoformat()]
        assert len(held) == outcomes["created"] <= 1, "the day's one place is held once at most"
        assert all(i["status"]["S"] == PENDING for i in held)


def notice_until(c: bootstrap.Container, moment: datetime) -> int:
    """A notice, in minutes, that ends about at ``moment``."""
    return int((moment - c.clock.now()).total_seconds() // 60)


def test_services_with_their_own_rules_race_on_one_day_with_exact_refusals_and_caps(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    """Profile: 08:00-20:00, a 5-minute step, no notice, no cap. Each service changes one rule."""
    c = container
    provider_id, _ = open_provider(c)
    day = datetime.now(UTC).date() + timedelta(days=21)
    morning = [WeeklyInterval(d, "10:00", "13:00") for d in WEEKDAYS]
    own = add(c, provider_id, "Own", 30, hours=morning, slot_interval_minutes=15, max_per_day=2,
              buffer_after_minutes=5)  # fmt: skip
    late = add(c, provider_id, "Late", 45, min_notice_minutes=notice_until(c, at(day, 14)))
    step = add(c, provider_id, "Step", 20, slot_interval_minutes=20)
    soon = add(c, provider_id, "Soon", 30, max_advance_days=7)
    approve = add(c, provider_id, "Approve", 30, requires_approval=True, min_notice_minutes=0)

    def each(label: str, service: Service, hour: int, minute: int, n: int) -> list[Attempt]:
        start = at(day, hour, minute)
        return [(label, request(service, start, 10_000 * hour + 100 * minute + k), CLIENT) for k in range(n)]

    attempts = [
        # Own: four slots of its own grid, four clients each; two fit its cap of two a day.
        *each("own", own, 10, 0, 4), *each("own", own, 10, 45, 4),
        *each("own", own, 11, 30, 4), *each("own", own, 12, 15, 4),
        *each("own-closed", own, 8, 30, 3),  # open for the profile, not for this service
        *each("own-off-grid", own, 10, 5, 3),  # inside its hours, off its 15-minute step
        *each("late-too-soon", late, 11, 0, 4),  # before the end of its own notice
        *each("late", late, 15, 0, 4),  # overlaps Step at 15:20: one of the two wins
        *each("step", step, 15, 20, 4),
        *each("step", step, 16, 0, 4),
        *each("step-off-grid", step, 14, 10, 3),  # profile hours, off its 20-minute step
        *each("late", late, 17, 0, 4),
        *each("soon", soon, 18, 0, 3),  # past its own 7-day window
        *each("approve", approve, 19, 0, 4),  # a request wins it and holds it
    ]  # fmt: skip
    outcomes = by_label(race(c, provider_id, attempts))

    # Refusals that do not depend on who came first carry their one code.
    assert outcomes["late-too-soon"] == Counter(too_soon=4)
    assert outcomes["step-off-grid"] == Counter(outside_hours=3)
    assert outcomes["soon"] == Counter(too_far_ahead=3)
    # The own service's day may be full before its hours are looked at (docs/api.md's order).
    assert set(outcomes["own-closed"]) <= {"outside_hours", "daily_limit"}
    assert set(outcomes["own-off-grid"]) <= {"outside_hours", "daily_limit"}
    assert outcomes["own"]["created"] == 2, outcomes["own"]
    # Losers on a winner's slot may read it taken; the slots nobody won are refused for the cap.
    assert "daily_limit" in outcomes["own"] and set(outcomes["own"]) <= {"created", "taken", "daily_limit"}
    assert outcomes["late"]["created"] + outcomes["step"]["created"] == 3, (
        outcomes["late"],
        outcomes["step"],
    )
    assert set(outcomes["late"]) | set(outcomes["step"]) == {"created", "taken"}
    assert outcomes["approve"] == Counter(created=1, taken=3)

    items = check_table(c, ddb_client, provider_id)
    held = active(items)
    assert len(held) == 6
    names = {s.id: s.name for s in (own, late, step, soon, approve)}
    of_service = Counter(names[i["service_id"]["S"]] for i in held)
    assert of_service["Own"] == 2 and of_service["Soon"] == 0
    assert {i["status"]["S"] for i in held if names[i["service_id"]["S"]] == "Approve"} == {PENDING}
    places = counted_places(items)
    assert places[keys.service_day_count_sk(day.isoformat(), own.id)] == 2, "max_per_day is never exceeded"
    assert places[keys.day_count_sk(day.isoformat())] == 6


def test_the_providers_override_races_public_bookings_and_one_wins_each_slot(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, services = open_provider(c, buffers=(0, 5))  # 08:00-20:00
    service = services[2]  # 45 minutes
    by = Actor.provider(provider_id)
    day = datetime.now(UTC).date() + timedelta(days=23)

    def override(start: datetime, n: int) -> booking.BookingRequest:
        return replace(request(service, start, n), override_rules=True, notify_client=False)

    # Inside the hours: the provider's override and eight clients on each of six slots.
    slots = [at(day, 9) + timedelta(hours=n) for n in range(6)]
    attempts: list[Attempt] = []
    for n, slot in enumerate(slots):
        attempts.append((f"slot{n}", override(slot + timedelta(minutes=10), 100 * n), by))
        attempts += [(f"slot{n}", request(service, slot, 100 * n + k), CLIENT) for k in range(1, 9)]
    # Outside the hours (21:00): two overrides of the provider's (two devices) and clients.
    late = at(day, 21)
    attempts += [("late-provider", override(late + timedelta(minutes=15 * k), 900 + k), by) for k in range(2)]
    attempts += [("late-client", request(service, late, 950 + k), CLIENT) for k in range(4)]
    outcomes = by_label(race(c, provider_id, attempts))

    for n in range(len(slots)):
        assert outcomes[f"slot{n}"]["created"] == 1, outcomes[f"slot{n}"]
        assert set(outcomes[f"slot{n}"]) == {"created", "taken"}
    assert outcomes["late-provider"] == Counter(created=1, taken=1), "an override never books over another"
    assert outcomes["late-client"] == Counter(outside_hours=4)
    items = check_table(c, ddb_client, provider_id)
    assert len(active(items)) == len(slots) + 1
    at_night = [
        i for i in active(items) if i["start"]["S"] >= late.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    ]
    assert [i["source"]["S"] for i in at_night] == ["provider"], "the 21:00 booking is the provider's"
