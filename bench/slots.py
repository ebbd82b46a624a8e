"""Slots for 31 days as the calendar fills: 0, 2,000 and 10,000 appointments, on DynamoDB Local.

Three providers open every day 00:00-24:00 UTC. Each gets its appointments through the real
booking path (5-minute bookings at distinct times inside the 35 days the listing reads: the 31
days asked for and 2 either side), then the 31-day listing of a 15-minute service is timed
(use case, DynamoDB Local reads included), with its DynamoDB requests and the busy intervals it
read. 10,000 appointments leave almost no 5-minute gap in those 35 days. Target: the listing at
10,000 takes at most twice as long as at 0. Prints figures; asserts nothing.

``--calendars``: instead, two providers alike, one of them with two ICS calendars of 5,000 events
each (``--events``) connected and synced through the real path (the outbound guard reading
loopback HTTP servers, the sync storing its busy runs per UTC day); the 31-day listing of each,
timed interleaved, with its DynamoDB requests and read units, and the requests of bookings made on
each (target: within one of the provider without calendars).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
from chalicelib.services.calendars.connections import Connection, connect
from chalicelib.services.catalog.providers import get_or_create_me
from devtools.dynamo_calls import Calls, counting

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


def ics_of(events: int, first: datetime, days: int, minutes: int, seed: int) -> bytes:
    """A calendar of ``events`` busy events of ``minutes`` at random 5-minute starts over ``days``."""
    starts = random.Random(seed).sample(range(days * 288), events)
    stamp = first.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//slots//EN"]
    for n, slot in enumerate(starts):
        start = first + timedelta(minutes=5 * slot)
        end = start + timedelta(minutes=minutes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{seed}-{n}@example.com",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{end:%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Busy {n}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@contextmanager
def ics_server(body: bytes) -> Iterator[str]:
    """A loopback HTTP server answering ``body`` as text/calendar; yields its address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/calendar.ics"
    finally:
        server.shutdown()
        server.server_close()


def with_calendars(events: int, spread_days: int, minutes: int, runs: int, bookings: int) -> None:
    with local_stack() as c:
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        first = (today + timedelta(days=3) + MARGIN).date()
        last = first + timedelta(days=30)
        plain_id, _, plain = open_provider(c)
        busy_id, _, busy = open_provider(c)
        for provider_id in (plain_id, busy_id):
            provider = c.repo.get_provider(provider_id)
            assert provider is not None
            policy = {"slot_interval_minutes": 15, "max_advance_days": spread_days}
            c.repo.update_profile(provider, policy, c.clock.stamp())
        sync_calendars(c, busy_id, events, today, spread_days, minutes)
        stored = c.repo.calendar_busy_days(busy_id, first.isoformat(), last.isoformat())
        runs_in_month = sum(len(r) for of_day in stored.values() for r in of_day.values())
        print(f"busy runs stored in the 31 days listed: {runs_in_month}")
        cases = {"no calendars": (plain_id, plain), "two calendars": (busy_id, busy)}
        time_listings(c, cases, first, last, runs)
        count_bookings(c, cases, first, last, bookings)


def sync_calendars(
    c: bootstrap.Container, provider_id: str, events: int, today: datetime, spread_days: int, minutes: int
) -> None:
    """Two ICS calendars connected and synced as POST /calendars and the scheduled sync do."""
    bodies = [ics_of(events, today, spread_days, minutes, seed) for seed in (1, 2)]
    with ics_server(bodies[0]) as one, ics_server(bodies[1]) as two:
        for url in (one, two):
            connect(provider_id, Connection("ics", url), c.repo, c.busy_source, c.link_sealer, c.ids, c.clock)
        t0 = time.perf_counter()
        with counting() as calls:
            synced = c.calendar_sync.sync_provider(provider_id)
        took = time.perf_counter() - t0
    for calendar in synced:
        error = f", error {calendar.error}" if calendar.error else ""
        print(f"calendar {calendar.id}: {calendar.status}, {calendar.busy_count} busy intervals{error}")
        if calendar.status != "ok":
            raise SystemExit("the calendars did not sync; no figures")
    sizes = " and ".join(f"{len(b) / 1e6:.2f} MB" for b in bodies)
    print(
        f"sync of both ({events:,} events each over {spread_days} days, {sizes}): {took:.1f} s, "
        f"{len(calls.operations)} DynamoDB requests ({_by_operation(calls)}), "
        f"{calls.write_units:.0f} write units"
    )


Cases = dict[str, tuple[str, Service]]


def time_listings(c: bootstrap.Container, cases: Cases, first: date, last: date, runs: int) -> None:
    counted: dict[str, tuple[int, Calls]] = {}
    for name, (provider_id, service) in cases.items():
        with counting() as calls:
            listed = slots.list_slots(provider_id, service.id, first, last, None, c.repo, c.clock)
        counted[name] = (len(listed.slots), calls)
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (provider_id, service) in cases.items():
            t0 = time.perf_counter()
            slots.list_slots(provider_id, service.id, first, last, None, c.repo, c.clock)
            timings[name].append((time.perf_counter() - t0) * 1000)
    base = statistics.median(timings["no calendars"])
    print(
        f"\n{'31-day listing':<14} {'free slots':>10} {'median ms':>9} {'x':>5} {'read units':>10} requests"
    )
    for name, (free, calls) in counted.items():
        median = statistics.median(timings[name])
        print(
            f"{name:<14} {free:>10} {median:>9.1f} {median / base:>5.2f} {calls.read_units:>10.1f}  "
            f"{len(calls.operations)} ({_by_operation(calls)})"
        )
    print(f"(median of {runs} listings each, interleaved; the route adds the slug's GetItem, limit counts)")


def count_bookings(c: bootstrap.Container, cases: Cases, first: date, last: date, bookings: int) -> None:
    """Bookings at free slots spread over the month, each counted."""
    print(f"\n{'bookings':<14} {'made':>4} {'requests':>8} {'read units':>10} {'write units':>11} operations")
    for name, (provider_id, service) in cases.items():
        listed = slots.list_slots(provider_id, service.id, first, last, None, c.repo, c.clock)
        step = max(1, len(listed.slots) // bookings)
        made: list[Calls] = []
        for n, slot in enumerate(listed.slots[::step][:bookings]):
            request = booking.BookingRequest(
                service.id, slot.start, ClientDetails("C", f"c{n % 5}@example.com"), "UTC"
            )
            with counting() as calls:
                booking.book(provider_id, request, c.repo, c.clock, c.ids, c.link_sealer)
            made.append(calls)
        print(
            f"{name:<14} {len(made):>4} {statistics.median(len(m.operations) for m in made):>8.0f} "
            f"{statistics.mean(m.read_units for m in made):>10.1f} "
            f"{statistics.mean(m.write_units for m in made):>11.1f}  {_by_operation(made[-1])}"
        )
    print("(use case; the route adds the slug's GetItem and three limit counts: target within one)")


def _by_operation(calls: Calls) -> str:
    found: dict[str, int] = {}
    for operation in calls.operations:
        found[operation] = found.get(operation, 0) + 1
    return ", ".join(f"{count} {name}" for name, count in found.items())


def _engine_ms(query: SlotQuery) -> float:
    t0 = time.perf_counter()
    free_slots(query)
    return (time.perf_counter() - t0) * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calendars", action="store_true", help="two connected calendars against none")
    parser.add_argument("--events", type=int, default=5_000, help="events per calendar")
    parser.add_argument("--spread-days", type=int, default=365, help="days the events spread over")
    parser.add_argument("--minutes", type=int, default=30, help="length of each event")
    parser.add_argument("--runs", type=int, default=RUNS, help="listings timed of each")
    parser.add_argument("--bookings", type=int, default=20, help="bookings counted of each")
    args = parser.parse_args()
    if args.calendars:
        with_calendars(args.events, args.spread_days, args.minutes, args.runs, args.bookings)
    else:
        main()
