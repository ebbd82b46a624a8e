"""What one booking costs in requests, end to end, on DynamoDB Local: the input of the cost table.

    make bench-cost          # or: STAGE=local .venv/bin/python bench/cost_per_booking.py

Books through the real use case (as POST /public/{slug}/bookings does), lets the real stream
consumer handle the stream (confirmation + provider notice), then moves the clock past each
reminder and runs the real sweep. Counts DynamoDB requests and capacity units, emails, sealed-link
operations (KMS requests in AWS) and consumer invocations. The page and slot reads of a visitor are
counted by tests/integration/test_request_counts.py; docs/deploy.md adds them. Prints figures.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import local_stack
from chalicelib.bootstrap import notification_jobs
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.provider import Identity
from chalicelib.jobs import outbox
from chalicelib.services.booking import booking
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.notifications.ports import Mailer
from chalicelib.services.shared import Clock, LinkSealer
from devtools.dynamo_calls import counting
from devtools.dynamodb_local import client
from devtools.streams import StreamPoller

BOOKINGS = 40
DAYS = 8  # bookings start 3 to 6 days ahead: every reminder falls due within 8 days
IDLE_RUNS = 50
ZONE = ZoneInfo("Europe/Paris")


class CountingMailer(Mailer):
    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []

    def send(self, message: OutgoingEmail) -> str:
        self.sent.append(message)
        return f"m-{len(self.sent)}"


@dataclass
class CountingSealer(LinkSealer):
    inner: LinkSealer
    calls: list[str] = field(default_factory=list)

    def seal(self, appointment_id: str, token: str) -> str:
        self.calls.append("seal")
        return self.inner.seal(appointment_id, token)

    def open(self, appointment_id: str, sealed: str) -> str:
        self.calls.append("open")
        return self.inner.open(appointment_id, sealed)


class MovableClock(Clock):
    def __init__(self) -> None:
        self.current = datetime.now(UTC)

    def now(self) -> datetime:
        return self.current


def main() -> None:
    with local_stack("bench-cost") as c:
        clock, mailer, sealer = MovableClock(), CountingMailer(), CountingSealer(c.link_sealer)
        jobs = notification_jobs(c.settings, mailer, clock, sealer, sleep=lambda _: None)
        provider = get_or_create_me(Identity(new_id(), "pat@provider.example", "Pat", "id"), c.repo, clock)
        c.repo.update_profile(
            provider, {"min_notice_minutes": 0, "timezone": "Europe/Paris"}, c.clock.stamp()
        )
        c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "08:00", "20:00") for d in WEEKDAYS], "x")
        service = Service(new_id(), provider.id, "Session", 60, Decimal("40.00"), "EUR")
        c.repo.add_service(service)
        with counting() as idle:  # the sweep's fixed cost: 5-minute runs with nothing due
            for _ in range(IDLE_RUNS):
                clock.current += timedelta(minutes=5)
                jobs.sweep.run()
        first = clock.now().date() + timedelta(days=3)
        starts = [
            datetime.combine(first + timedelta(days=n // 10), datetime.min.time(), ZONE)
            + timedelta(hours=8 + n % 10)
            for n in range(BOOKINGS)
        ]
        endpoint = c.settings.dynamodb_endpoint or ""
        invocations = 0

        def consume(records: list[dict[str, Any]]) -> list[str]:
            nonlocal invocations
            invocations += 1
            return outbox.handle_records(records, jobs.outbox)

        poller = StreamPoller(client(endpoint), endpoint, c.settings.table_name, consume, "LATEST")
        booked_ops: list[int] = []
        booked_units: list[tuple[float, float]] = []
        notify_ops, notify_units = 0, [0.0, 0.0]
        for n, start in enumerate(starts):
            request = booking.BookingRequest(
                service.id, start, ClientDetails("Casey", f"c{n}@client.example"), "UTC"
            )
            with counting() as calls:
                booking.book(provider.id, request, c.repo, clock, c.ids, sealer)
            booked_ops.append(len(calls.operations))
            booked_units.append((calls.write_units, calls.read_units))
            with counting() as calls:
                poller.drain()  # one booking at a time: the consumer's busiest case (no batching)
            notify_ops += len(calls.operations)
            notify_units[0] += calls.write_units
            notify_units[1] += calls.read_units
        emails_on_booking = len(mailer.sent)
        with counting() as calls:
            for _ in range(DAYS * 24 * 12):  # every 5-minute sweep until the last appointment
                clock.current += timedelta(minutes=5)
                jobs.sweep.run()
        sweep_ops, sweep_units = len(calls.operations), (calls.write_units, calls.read_units)
        reminders_sent = len(mailer.sent) - emails_on_booking
        n = BOOKINGS
        print(f"bookings: {n}, each handled by the consumer on its own, then {DAYS} days of sweeps")
        wru, rru = statistics.mean(u[0] for u in booked_units), statistics.mean(u[1] for u in booked_units)
        print(
            f"booking use case: {statistics.median(booked_ops):.0f} DynamoDB requests, "
            f"{wru:.1f} WRU, {rru:.1f} RRU"
        )
        print(
            f"stream consumer: {invocations / n:.2f} invocations, {notify_ops / n:.1f} requests, "
            f"{notify_units[0] / n:.1f} WRU, {notify_units[1] / n:.1f} RRU, "
            f"{emails_on_booking / n:.1f} emails per booking"
        )
        print(
            f"reminder sweep ({DAYS} days, {DAYS * 24 * 12} runs): "
            f"{reminders_sent / n:.1f} reminders per booking; "
            f"{sweep_ops} requests, {sweep_units[0]:.0f} WRU, {sweep_units[1]:.0f} RRU in all "
            f"({(sweep_ops / (DAYS * 24 * 12)):.1f} requests per run)"
        )
        runs = DAYS * 24 * 12
        idle_w, idle_r = idle.write_units / IDLE_RUNS, idle.read_units / IDLE_RUNS
        print(
            f"  an idle run: {len(idle.operations) / IDLE_RUNS:.1f} requests, "
            f"{idle_w:.1f} WRU, {idle_r:.1f} RRU; "
            f"the reminders beyond that: {(sweep_units[0] - runs * idle_w) / n:.1f} WRU, "
            f"{(sweep_units[1] - runs * idle_r) / n:.1f} RRU per booking"
        )
        print(
            f"sealed-link operations (KMS requests in AWS): {sealer.calls.count('seal') / n:.1f} seal, "
            f"{sealer.calls.count('open') / n:.1f} open per booking"
        )
        print(f"emails per booking in all: {len(mailer.sent) / n:.1f}")


if __name__ == "__main__":
    main()
