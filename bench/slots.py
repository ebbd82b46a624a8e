"""Slots for 31 days as the calendar fills: 0, 2,000 and 10,000 appointments, on DynamoDB Local.

Three providers open every day 00:00-24:00 UTC. Each gets its appointments through the real
booking path (5-minute bookings at distinct times inside the 35 days the listing reads: the 31
days asked for and 2 either side), then the 31-day listing of a 15-minute service is timed
(use case, DynamoDB Local reads included), with its DynamoDB requests and the busy intervals it
read. 10,000 appointments leave almost no 5-minute gap in those 35 days. Target: the listing at
10,000 takes at most twice as long as at 0. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import local_stack
from chalicelib import bootstrap
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity
from chalicelib.domain.slots.engine import SlotQuery, free_slots
from chalicelib.services.booking import booking, slots
from chalicelib.services.booking.rules import MARGIN, busy_read, days_between, slot_rules
from chalicelib.services.catalog.providers import get_or_create_me
from devtools.dynamo_calls import counting

SIZES = (0, 2_000, 10_000)
RUNS = 20
WORKERS = 8


def open_provider(c: bootstrap.Container) -> tuple[str, Service, Service]:
    provider = get_or_create_me(Identity(new_id(), None, "Bench", "id"), c.repo, c.clock)
    policy = {"min_notice_minutes": 0, "slot_interval_minutes": 5, "max_advance_days": 365, "timezone": "UTC"}
    c.repo.update_profile(provider, policy, c.clock.stamp())
    c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "00:00", "24:00") for d in WEEKDAYS], "x")
    filler = Service(new_id(), provider.id, "Five", 5, Decimal("1.00"), "EUR")
    listed = Service(new_id(), provider.id, "Fifteen", 15, Decimal("1.00"), "EUR")
    c.repo.add_service(filler)
    c.repo.add_service(listed)
    return provider.id, filler, listed


def fill(c: bootstrap.Container, provider_id: str, service: Service, first: datetime, count: int) -> int:
    starts = [first + timedelta(minutes=5 * n) for n in range(35 * 288)]
    random.Random(count).shuffle(starts)

    def book(n: int) -> bool:
        request = booking.BookingRequest(
            service.id, starts[n], ClientDetails("C", f"c{n % 50}@example.com"), "UTC"
        )
        try:
            booking.book(provider_id, request, c.repo, c.clock, c.ids, c.link_sealer)
        except ConflictError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return sum(pool.map(book, range(count)))


def main() -> None:
    with local_stack() as c:
        window_start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
            days=3
        )
        first = (window_start + MARGIN).date()
        last = first + timedelta(days=30)
        rows = []
        for size in SIZES:
            provider_id, filler, listed = open_provider(c)
            started = time.perf_counter()
            made = fill(c, provider_id, filler, window_start, size)
            took = time.perf_counter() - started
            provider = c.repo.get_provider(provider_id)
            assert provider is not None
            c.repo.update_profile(provider, {"slot_interval_minutes": 15}, c.clock.stamp())
            with counting() as calls:
                listed_slots = slots.list_slots(provider_id, listed.id, first, last, None, c.repo, c.clock)
            timings = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                slots.list_slots(provider_id, listed.id, first, last, None, c.repo, c.clock)
                timings.append((time.perf_counter() - t0) * 1000)
            days = days_between(first - MARGIN, last + MARGIN)
            snapshot = c.repo.booking_snapshot(provider_id, listed.id, days, days, consistent=False)
            assert snapshot is not None
            busy = busy_read(snapshot)
            rules = slot_rules(snapshot, c.clock.now(), busy, 15, (0, 0))
            query = SlotQuery(rules=rules, from_date=first, to_date=last, timezone="UTC")
            engine = statistics.median(_engine_ms(query) for _ in range(RUNS))
            rows.append(
                (made, took, len(listed_slots.slots), len(busy), statistics.median(timings), engine, calls)
            )
        base = rows[0][4]
        print(
            f"{'appointments':>12} {'free slots':>10} {'busy read':>9} {'use case ms':>11} {'x of 0':>6} "
            f"{'engine ms':>9} {'requests':>8} {'read units':>10}"
        )
        for made, took, free, busy_count, median, engine, calls in rows:
            print(
                f"{made:>12} {free:>10} {busy_count:>9} {median:>11.1f} {median / base:>6.2f} {engine:>9.2f} "
                f"{len(calls.operations):>8} {calls.read_units:>10.1f}   ({', '.join(calls.operations)}; "
                f"booked in {took:.0f} s)"
            )
        print(f"(median of {RUNS} listings of 31 days; target: 10,000 at most 2.00 x the time at 0)")


def _engine_ms(query: SlotQuery) -> float:
    t0 = time.perf_counter()
    free_slots(query)
    return (time.perf_counter() - t0) * 1000


if __name__ == "__main__":
    main()
