"""Booking latency on DynamoDB Local against a bare conditional put_item, measured in the same run.

Also prints DynamoDB requests per booking and the capacity a booking consumes; the write units
of a booking on an empty day and on a day that already has 1,000 appointments (target: equal);
and the read units of ``GET /clients/{id}`` with 500 and 5,000 appointments in the provider's
calendar, the client's own 10 among them (target: equal). Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import local_stack
from chalicelib import bootstrap
from chalicelib.adapters.dynamo.models import dynamodb_client
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.clients import clients
from devtools.dynamo_calls import counting

BOOKINGS = 200
ZONE = ZoneInfo("Europe/Paris")


def main() -> None:
    with local_stack() as c:
        provider = get_or_create_me(Identity(new_id(), None, "Bench", "id"), c.repo, c.clock)
        policy = {"min_notice_minutes": 0, "slot_interval_minutes": 30, "max_advance_days": 365}
        c.repo.update_profile(
            provider, {**policy, "timezone": "Europe/Paris"}, c.clock.stamp(), new_slug="bench"
        )
        c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "08:00", "20:00") for d in WEEKDAYS], "x")
        service = Service(
            new_id(), provider.id, "Half hour", 30, Decimal("40.00"), "EUR", buffer_after_minutes=0
        )
        c.repo.add_service(service)
        first = datetime.now(UTC).date() + timedelta(days=2)
        starts = [
            datetime.combine(first + timedelta(days=d), datetime.min.time(), ZONE)
            + timedelta(hours=8, minutes=30 * q)
            for d in range(BOOKINGS // 24 + 1)
            for q in range(24)
        ][:BOOKINGS]
        ddb = dynamodb_client()
        table = c.settings.table_name
        booking_ms, put_ms, operations, writes, reads = [], [], [], [], []
        for n, start in enumerate(starts):
            t0 = time.perf_counter()
            ddb.put_item(
                TableName=table,
                Item={"PK": {"S": f"BENCH#{uuid.uuid4()}"}, "SK": {"S": "X"}, "type": {"S": "bench"}},
                ConditionExpression="attribute_not_exists(PK)",
            )
            put_ms.append((time.perf_counter() - t0) * 1000)
            request = booking.BookingRequest(
                service.id, start, ClientDetails("C", f"c{n % 20}@example.com"), "UTC"
            )
            with counting() as calls:
                t0 = time.perf_counter()
                booking.book(provider.id, request, c.repo, c.clock, c.ids, c.link_sealer)
                booking_ms.append((time.perf_counter() - t0) * 1000)
            operations.append(len(calls.operations))
            writes.append(calls.write_units)
            reads.append(calls.read_units)
        book, put = statistics.median(booking_ms), statistics.median(put_ms)
        print(f"bookings: {BOOKINGS}, interleaved with {BOOKINGS} bare conditional put_item calls")
        print(
            f"booking (use case) median {book:.1f} ms; put_item median {put:.1f} ms; ratio {book / put:.1f}"
        )
        print(
            f"DynamoDB requests per booking: median {statistics.median(operations):.0f}, "
            f"max {max(operations)} "
            "(use case; the HTTP route adds GetItem on the slug: target <= 3 in all)"
        )
        print(
            f"capacity per booking: {statistics.mean(writes):.1f} write units, "
            f"{statistics.mean(reads):.1f} read units (as DynamoDB Local reports them; "
            "transactional writes cost two units per KB of each item)"
        )


def full_day_write_units(c: bootstrap.Container) -> None:
    """A UTC day holds at most 288 five-minute appointments: 287 of them booked, 713 more booked
    and cancelled there, then the last free five minutes booked; against a booking on an empty day."""
    provider = get_or_create_me(Identity(new_id(), None, "Full", "id"), c.repo, c.clock)
    policy = {"min_notice_minutes": 0, "slot_interval_minutes": 5, "max_advance_days": 365, "timezone": "UTC"}
    c.repo.update_profile(provider, policy, c.clock.stamp())
    c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "00:00", "24:00") for d in WEEKDAYS], "x")
    service = Service(new_id(), provider.id, "Five", 5, Decimal("1.00"), "EUR")
    c.repo.add_service(service)
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=5)

    def book(start: datetime, n: int) -> booking.Booked:
        request = booking.BookingRequest(
            service.id, start, ClientDetails("C", f"c{n % 20}@example.com"), "UTC"
        )
        return booking.book(provider.id, request, c.repo, c.clock, c.ids, c.link_sealer)

    for n in range(1, 288):
        book(day + timedelta(minutes=5 * n), n)
    for n in range(713):
        made = book(day, n)
        appointment_changes.cancel(
            made.appointment, "bench", Actor.provider(provider.id), provider.policy, c.repo, c.clock
        )
    # Both by clients the provider has already (a new client adds its two items to either).
    with counting() as empty:
        book(day + timedelta(days=3), 0)
    with counting() as full:
        book(day, 1)
    print(
        f"write units of one booking: {empty.write_units:.1f} on an empty day, {full.write_units:.1f} on a "
        "day with 1,000 appointments (287 active, 713 cancelled; target: equal)"
    )


def client_detail_read_units(c: bootstrap.Container) -> None:
    """The client's 10 appointments among 500, then 5,000, of the provider's (written as bookings
    key them; GET /clients/{id} reads only the client item and the client's own index keys)."""
    from tests.client_builders import make_appointment, make_client

    provider = get_or_create_me(Identity(new_id(), None, "Busy", "id"), c.repo, c.clock)
    client = make_client(c.repo, provider.id, "Maria Silva")
    others = make_client(c.repo, provider.id, "Everyone Else")
    start = datetime.now(UTC) - timedelta(days=400)
    for n in range(10):
        make_appointment(provider.id, client.id, start + timedelta(days=30 * n))
    written = 10
    for size in (500, 5_000):
        for n in range(written, size):
            make_appointment(provider.id, others.id, start + timedelta(hours=n))
        written = size
        with counting() as calls:
            detail = clients.get_client(provider.id, client.id, c.repo, c.clock)
        print(
            f"GET /clients/{{id}} with {size:,} appointments in the calendar: "
            f"{calls.read_units:.1f} read units, {len(calls.operations)} requests "
            f"({', '.join(calls.operations)}); {detail.history.total} visits"
        )


if __name__ == "__main__":
    main()
    with local_stack("bench-days") as days_stack:
        full_day_write_units(days_stack)
        client_detail_read_units(days_stack)
