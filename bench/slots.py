"""Slots for a month: engine compute time and the endpoint's DynamoDB requests.

A provider open every day 00:00-24:00 (Europe/Paris) with 2,000 appointments booked through the
real booking path over 31 days. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import local_stack
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.clients import ClientDetails
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity
from chalicelib.domain.slots import SlotQuery, free_slots
from chalicelib.services import booking
from chalicelib.services.providers import get_or_create_me
from devtools.dynamo_calls import counting

APPOINTMENTS = 2_000
RUNS = 50
ZONE = ZoneInfo("Europe/Paris")


def main() -> None:
    with local_stack() as c:
        provider = get_or_create_me(Identity(new_id(), None, "Bench", "id"), c.repo, c.clock)
        policy = {"min_notice_minutes": 0, "slot_interval_minutes": 15, "max_advance_days": 365}
        c.repo.update_profile(
            provider, {**policy, "timezone": "Europe/Paris"}, c.clock.stamp(), new_slug="bench"
        )
        c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "00:00", "24:00") for d in WEEKDAYS], "x")
        service = Service(new_id(), provider.id, "Fifteen", 15, Decimal("1.00"), "EUR")
        c.repo.add_service(service)
        first = datetime.now(UTC).date() + timedelta(days=2)
        last = first + timedelta(days=30)
        starts = [
            datetime.combine(first + timedelta(days=d), datetime.min.time(), ZONE) + timedelta(minutes=15 * q)
            for d in range(31)
            for q in range(96)
        ]
        random.Random(3).shuffle(starts)
        made = 0
        started = time.perf_counter()
        for n, start in enumerate(starts):
            if made == APPOINTMENTS:
                break
            request = booking.BookingRequest(
                service.id, start, ClientDetails("C", f"c{n % 50}@example.com"), "UTC"
            )
            try:
                booking.book(provider.id, request, c.repo, c.clock, c.ids, c.link_sealer)
                made += 1
            except ConflictError:
                continue
        print(f"setup: {made} appointments booked in {time.perf_counter() - started:.1f} s")

        with counting() as calls:
            listed = booking.list_slots("bench", service.id, first, last, None, c.repo, c.clock)
        print(
            f"endpoint: {len(listed.slots)} free slots; DynamoDB requests: {len(calls.operations)} "
            f"({', '.join(calls.operations)}) (target <= 3)"
        )

        days = booking._days(first - booking.MARGIN, last + booking.MARGIN)
        snapshot = c.repo.booking_snapshot(provider.id, service.id, days, days, consistent=False)
        assert snapshot is not None
        busy = booking._busy(snapshot)
        rules = booking._rules(snapshot, c.clock.now(), busy, 15, (0, 0))
        query = SlotQuery(rules=rules, from_date=first, to_date=last, timezone="Europe/Paris")
        timings = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            free_slots(query)
            timings.append((time.perf_counter() - t0) * 1000)
        print(
            f"engine: {len(busy)} busy appointments; free_slots median {statistics.median(timings):.2f} ms "
            f"over {RUNS} runs (target <= 20 ms)"
        )
        end_to_end = []
        for _ in range(10):
            t0 = time.perf_counter()
            booking.list_slots("bench", service.id, first, last, None, c.repo, c.clock)
            end_to_end.append((time.perf_counter() - t0) * 1000)
        print(f"use case with DynamoDB Local reads: median {statistics.median(end_to_end):.1f} ms")


if __name__ == "__main__":
    main()
