"""The day counts an import builds in memory: per local date and per service, counted
appointments only, and none for history (before two days ahead of the import's start)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from chalicelib.adapters.dynamo.count_items import day_count_items
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.service_rules import COUNTED_SINCE
from importer.write.items import _counted_under

NOW = datetime(2027, 3, 15, 12, tzinfo=UTC)


def appointment(n: int, start: datetime, status: str = "confirmed", service: str = "s1") -> Appointment:
    return Appointment(
        id=f"a{n}",
        provider_id="p",
        service_id=service,
        service_name="Massage",
        start=start,
        end=start + timedelta(hours=1),
        status=status,
        client_id="c",
        client_timezone="UTC",
        price=Decimal("10.00"),
        currency="EUR",
    )


def test_a_late_evening_start_counts_under_its_local_date() -> None:
    late = appointment(1, datetime(2027, 3, 20, 23, 30, tzinfo=UTC))
    assert _counted_under(late, "Europe/Paris", NOW - COUNTED_SINCE) == "2027-03-21"
    assert _counted_under(late, "UTC", NOW - COUNTED_SINCE) == "2027-03-20"


def test_history_and_unknown_zones_are_not_counted() -> None:
    since = NOW - COUNTED_SINCE
    assert _counted_under(appointment(1, NOW - timedelta(days=3)), "UTC", since) == ""
    assert _counted_under(appointment(2, NOW - timedelta(days=1)), "UTC", since) == "2027-03-14"
    assert _counted_under(appointment(3, NOW), "Mars/Olympus", since) == ""


def test_counts_per_day_and_per_service_of_the_counted_only() -> None:
    day = datetime(2027, 3, 20, 9, tzinfo=UTC)
    found = [
        appointment(1, day),
        appointment(2, day + timedelta(hours=2), "pending", "s2"),
        appointment(3, day + timedelta(hours=4), "cancelled"),  # takes no place
        appointment(4, day + timedelta(days=1), "completed"),
    ]
    counted = [replace(a, counted_day=a.start.date().isoformat()) for a in found]
    items = {i.SK: (i.n, i.service_id) for i in day_count_items("p", counted)}
    assert items == {
        "COUNT#2027-03-20": (2, None),
        "COUNT#2027-03-20#s1": (1, "s1"),
        "COUNT#2027-03-20#s2": (1, "s2"),
        "COUNT#2027-03-21": (1, None),
        "COUNT#2027-03-21#s1": (1, "s1"),
    }
