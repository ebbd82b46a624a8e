"""Slot engine: median time of free_slots() over a 31-day range with 2,000 appointments.

The last cases run the same calendars under a service's own rules, as a booking and a listing
build them (services/booking/rules.slot_rules: own hours, interval and notice, time off, date
overrides, full days), and print their cost against the profile's rules on the same calendar.

Prints figures; it asserts nothing. Run `.venv/bin/python bench/slots_engine.py` (or
`python -m bench.slots_engine`) from the repository root. The random calendars are seeded, so
every run measures the same work. The naive baseline checks every aligned start against every
appointment, O(starts x appointments): what the sweep avoids.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from decimal import Decimal

from chalicelib.domain.catalog import WEEKDAYS, Service, TimeOff, TimeRange, WeeklyInterval
from chalicelib.domain.provider import BookingPolicy, Provider
from chalicelib.domain.slots.engine import (
    Busy,
    SlotQuery,
    SlotRules,
    conflicts,
    free_slots,
    is_bookable_start,
)
from chalicelib.domain.slots.wallclock import zone_named
from chalicelib.domain.slots.windows import opening_windows
from chalicelib.services.booking.ports import BookingSnapshot, DayCounts
from chalicelib.services.booking.rules import slot_rules

RUNS = 50
BASELINE_RUNS = 3
APPOINTMENTS = 2_000
FIRST, LAST = date(2027, 3, 1), date(2027, 3, 31)  # 31 days, across the US spring change
NOW = datetime(2027, 2, 28, 12, tzinfo=UTC)
OFFICE_HOURS = [WeeklyInterval(day, "08:00", "12:30") for day in WEEKDAYS[:6]] + [
    WeeklyInterval(day, "13:30", "20:00") for day in WEEKDAYS[:5]
]
ALL_DAY = [WeeklyInterval(day, "00:00", "24:00") for day in WEEKDAYS]


def calendar(seed: int, start: datetime, days: int) -> list[Busy]:
    """APPOINTMENTS random bookings over days from start, some overlapping, in random order."""
    rng = random.Random(seed)
    busy = []
    for _ in range(APPOINTMENTS):
        begins = start + timedelta(minutes=5 * rng.randrange(days * 288))
        length = timedelta(minutes=rng.choice([15, 30, 45, 60, 90]))
        busy.append(Busy(begins, begins + length, rng.choice([0, 5, 10, 15]), rng.choice([0, 5, 10, 15])))
    return busy


def to_busy(stored: list[tuple[str, str, int, int]]) -> list[Busy]:
    """What a repository does with stored items: ISO strings in UTC to Busy values."""
    return [
        Busy(datetime.fromisoformat(start), datetime.fromisoformat(end), before, after)
        for start, end, before, after in stored
    ]


def rules(weekly: list[WeeklyInterval], busy: list[Busy], interval: int) -> SlotRules:
    return SlotRules(
        timezone="America/New_York",
        weekly=weekly,
        busy=busy,
        duration_minutes=30,
        buffer_before_minutes=5,
        buffer_after_minutes=10,
        slot_interval_minutes=interval,
        min_notice_minutes=60,
        max_advance_days=90,
        now=NOW,
    )


def service_rules(weekly: list[WeeklyInterval], busy: list[Busy], interval: int, full: bool) -> SlotRules:
    """The rules of a service with its own hours, interval and notice, built as a booking builds
    them: 100 ranges of time off and 30 date overrides (none of them in the range unless ``full``,
    which also closes 6 of its days at their cap of 3)."""
    policy = BookingPolicy(
        min_notice_minutes=120, max_advance_days=60, slot_interval_minutes=30, max_per_day=20
    )
    provider = Provider("p", None, "Pat", timezone="America/New_York", policy=policy)
    service = Service(
        "s", "p", "Thirty", 30, Decimal("10"), "USD", buffer_before_minutes=5, buffer_after_minutes=10,
        min_notice_minutes=60, max_advance_days=90, slot_interval_minutes=interval,
        max_per_day=3 if full else None, hours=weekly,
    )  # fmt: skip
    year = FIRST.year - 1
    time_off = [
        TimeOff(f"t{n}", date(year, 1, 1) + timedelta(days=3 * n), date(year, 1, 2) + timedelta(days=3 * n))
        for n in range(100)
    ]
    overrides = {
        (date(year, 6, 1) + timedelta(days=n)).isoformat(): [TimeRange("10:00", "12:00")] for n in range(30)
    }
    counts = DayCounts()
    if full:
        time_off[0] = TimeOff("t0", FIRST + timedelta(days=9), FIRST + timedelta(days=12))
        overrides[(FIRST + timedelta(days=3)).isoformat()] = [TimeRange("09:00", "11:00")]
        counts.of_service = {(FIRST + timedelta(days=2 * n)).isoformat(): 3 for n in range(6)}
    snapshot = BookingSnapshot(provider, service, [], overrides, {}, time_off=time_off, counts=counts)
    return slot_rules(snapshot, NOW, busy, 30, (5, 10))


def naive_count(query: SlotQuery) -> int:
    slot_rules = query.rules
    duration = timedelta(minutes=slot_rules.duration_minutes)
    step = timedelta(minutes=slot_rules.slot_interval_minutes)
    zone = zone_named(slot_rules.timezone)
    count = 0
    for window in opening_windows(zone, slot_rules.weekly, {}, query.from_date, query.to_date):
        start = window.start
        while start + duration <= window.end:
            wanted = Busy(
                start, start + duration, slot_rules.buffer_before_minutes, slot_rules.buffer_after_minutes
            )
            count += not conflicts(wanted, slot_rules.busy)
            start += step
    return count


def timed_ms(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm caches (zone data, byte code) once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(f"  {label}: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms ({len(times)} runs)")


def case(title: str, query: SlotQuery, *, baseline: bool) -> None:
    slots = free_slots(query)
    inside = sum(FIRST <= b.start.date() <= LAST for b in query.rules.busy)
    print(f"{title}: {len(slots)} free slots, {inside} of {len(query.rules.busy)} appointments in range")
    report("free_slots", timed_ms(lambda: free_slots(query), RUNS))
    if slots:
        middle = slots[len(slots) // 2].start
        report("is_bookable_start", timed_ms(lambda: is_bookable_start(query.rules, middle), RUNS))
    if baseline:
        report("naive scan, for comparison", timed_ms(lambda: naive_count(query), BASELINE_RUNS))


def main() -> None:
    range_start = datetime(2027, 3, 1, tzinfo=UTC)
    dense = calendar(1, range_start, 31)
    spread = calendar(2, range_start - timedelta(days=167), 365)
    print(f"Python {sys.version.split()[0]}; 31 days {FIRST}..{LAST} read in Asia/Kolkata")
    stored = [
        (b.start.isoformat(), b.end.isoformat(), b.buffer_before_minutes, b.buffer_after_minutes)
        for b in dense
    ]
    report(
        "2,000 stored appointments to Busy (not in the figures below)",
        timed_ms(lambda: to_busy(stored), RUNS),
    )

    def query(weekly: list[WeeklyInterval], busy: list[Busy], interval: int) -> SlotQuery:
        return SlotQuery(
            rules=rules(weekly, busy, interval), from_date=FIRST, to_date=LAST, timezone="Asia/Kolkata"
        )

    case(
        "office hours, 15-min interval, 2,000 appointments inside the range",
        query(OFFICE_HOURS, dense, 15),
        baseline=True,
    )
    case(
        "office hours, 15-min interval, 2,000 appointments over a year",
        query(OFFICE_HOURS, spread, 15),
        baseline=True,
    )
    case(
        "open 24/7, 5-min interval, 2,000 appointments over a year", query(ALL_DAY, spread, 5), baseline=False
    )
    compare_service_rules(dense, spread)


def compare_service_rules(dense: list[Busy], spread: list[Busy]) -> None:
    """Per-service rules against the profile's on the same calendar (medians, interleaved runs)."""

    cases = [
        ("office hours, 15-min, 2,000 in the range", OFFICE_HOURS, dense, 15),
        ("office hours, 15-min, over a year", OFFICE_HOURS, spread, 15),
        ("open 24/7, 5-min, over a year", ALL_DAY, spread, 5),
    ]
    print("per-service rules (own hours, interval and notice; 100 time-off ranges, 30 overrides):")
    for title, weekly, busy, interval in cases:
        compare_one(title, weekly, busy, interval)


def compare_one(title: str, weekly: list[WeeklyInterval], busy: list[Busy], interval: int) -> None:
    def on(rules_: SlotRules) -> SlotQuery:
        return SlotQuery(rules=rules_, from_date=FIRST, to_date=LAST, timezone="Asia/Kolkata")

    profile = on(rules(weekly, busy, interval))
    own = on(service_rules(weekly, busy, interval, full=False))
    closing = on(service_rules(weekly, busy, interval, full=True))
    base: list[float] = []
    mine: list[float] = []
    for _ in range(RUNS):  # interleaved, so both see the same machine
        base += timed_ms(partial(free_slots, profile), 1)
        mine += timed_ms(partial(free_slots, own), 1)
    ratio = statistics.median(mine) / statistics.median(base)
    print(f"  {title}: {len(free_slots(own))} free slots (profile's rules: {len(free_slots(profile))})")
    report("  profile's rules", base)
    report("  service's rules", mine)
    print(f"    ratio {ratio:.2f}")
    report(
        "  building the service's rules (slot_rules)",
        timed_ms(partial(service_rules, weekly, busy, interval, False), RUNS),
    )
    shut = len(free_slots(closing))
    report(
        f"  with time off, an override and 6 full days in the range ({shut} free slots)",
        timed_ms(partial(free_slots, closing), RUNS),
    )


if __name__ == "__main__":
    main()
