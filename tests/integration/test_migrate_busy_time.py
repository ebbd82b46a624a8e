"""Tables written before block items and GSI2: the app honours them, the migrations convert them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.config import Settings
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import SlotUnavailableError, iso_z
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import WEEKDAYS, Service, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import BookingPolicy, Identity
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.catalog.providers import get_or_create_me
from infra.migrate import MIGRATIONS, run
from tests.busy_support import assert_busy_time_matches, query_all

pytestmark = pytest.mark.integration


@pytest.fixture
def legacy_stack(fresh_table: str, settings_for: Callable[..., Settings]) -> Iterator[bootstrap.Container]:
    """The app bound to a table of its own (the migrations scan the whole table)."""
    built = bootstrap.build(settings_for(TABLE_NAME=fresh_table))
    bootstrap.reset(built)
    yield built
    bootstrap.reset()


def open_provider(c: bootstrap.Container) -> tuple[str, Service]:
    provider = get_or_create_me(Identity(new_id(), None, "Old", "id"), c.repo, c.clock)
    c.repo.update_profile(provider, {"min_notice_minutes": 0, "slot_interval_minutes": 15}, c.clock.stamp())
    c.repo.replace_weekly(provider.id, [WeeklyInterval(d, "00:00", "24:00") for d in WEEKDAYS], "x")
    service = Service(new_id(), provider.id, "Quarter", 15, Decimal("5.00"), "EUR", buffer_after_minutes=5)
    c.repo.add_service(service)
    return provider.id, service


def old_appointment(ddb: Any, table: str, provider_id: str, service: Service, start: datetime) -> str:
    """An appointment as the code before block items wrote it: no GSI2, no time_blocks."""
    appointment_id = new_id()
    item = {
        "PK": keys.provider_pk(provider_id),
        "SK": keys.appointment_sk(appointment_id),
        "type": "appointment",
        "GSI1PK": keys.calendar_gsi1pk(provider_id),
        "GSI1SK": keys.calendar_gsi1sk(iso_z(start), appointment_id),
        "appointment_id": appointment_id,
        "provider_id": provider_id,
        "service_id": service.id,
        "service_name": service.name,
        "start": iso_z(start),
        "end": iso_z(start + timedelta(minutes=15)),
        "status": "confirmed",
        "client_id": new_id(),
        "client_timezone": "UTC",
        "price": "5.00",
        "currency": "EUR",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    numbers = {"buffer_before_minutes": "0", "buffer_after_minutes": "5", "sequence": "0", "revision": "0"}
    raw = {name: {"S": value} for name, value in item.items()} | {n: {"N": v} for n, v in numbers.items()}
    ddb.put_item(TableName=table, Item=raw)
    return appointment_id


def old_ledger(ddb: Any, table: str, provider_id: str, day: str, entries: dict[str, datetime]) -> None:
    busy = {
        appointment_id: {
            "M": {
                "start": {"S": iso_z(start)},
                "end": {"S": iso_z(start + timedelta(minutes=15))},
                "buffer_before_minutes": {"N": "0"},
                "buffer_after_minutes": {"N": "5"},
            }
        }
        for appointment_id, start in entries.items()
    }
    ddb.put_item(
        TableName=table,
        Item={
            "PK": {"S": keys.provider_pk(provider_id)},
            "SK": {"S": keys.day_sk(day)},
            "type": {"S": "ledger"},
            "provider_id": {"S": provider_id},
            "day": {"S": day},
            "version": {"N": str(len(entries))},
            "busy": {"M": busy},
        },
    )


def book(c: bootstrap.Container, provider_id: str, service: Service, start: datetime) -> str:
    request = booking.BookingRequest(
        service.id, start, ClientDetails("New", f"{new_id()}@example.com"), "UTC"
    )
    return booking.book(provider_id, request, c.repo, c.clock, c.ids, c.link_sealer).appointment.id


def test_old_appointments_stay_busy_until_migrated_and_then_live_in_blocks(
    legacy_stack: bootstrap.Container, ddb_client: Any, fresh_table: str
) -> None:
    c = legacy_stack
    provider_id, service = open_provider(c)
    day = (datetime.now(UTC) + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    kept = old_appointment(ddb_client, fresh_table, provider_id, service, day)
    freed = old_appointment(ddb_client, fresh_table, provider_id, service, day + timedelta(hours=1))
    old_ledger(
        ddb_client,
        fresh_table,
        provider_id,
        day.date().isoformat(),
        {kept: day, freed: day + timedelta(hours=1)},
    )

    with pytest.raises(SlotUnavailableError):  # the ledger's appointment is still busy
        book(c, provider_id, service, day + timedelta(minutes=15))  # its buffer runs to 10:20
    booked_new = book(c, provider_id, service, day + timedelta(minutes=30))
    old = booking.get_appointment(provider_id, freed, c.repo)
    appointment_changes.cancel(
        old, "moving on", Actor.provider(provider_id), BookingPolicy(), c.repo, c.clock
    )  # freed in its ledger

    assert run(ddb_client, fresh_table, MIGRATIONS) == [
        "0001-busy-time-blocks",
        "0002-client-appointments-index",
        "0003-day-counts",
        "0004-client-search-keys",
    ]

    pk = keys.provider_pk(provider_id)
    assert query_all(ddb_client, fresh_table, pk, "DAY#") == [], "every ledger is gone"
    appointments = query_all(ddb_client, fresh_table, pk, "APPT#")
    assert assert_busy_time_matches(ddb_client, fresh_table, provider_id, appointments) == 2 * 20
    by_id = {item["appointment_id"]["S"]: item for item in appointments}
    assert by_id[kept]["time_blocks"] == {"BOOL": True}
    assert all("GSI2PK" in item for item in appointments)
    assert by_id[kept]["GSI2PK"]["S"] == keys.client_gsi2pk(provider_id, by_id[kept]["client_id"]["S"])
    with pytest.raises(SlotUnavailableError):
        book(c, provider_id, service, day + timedelta(minutes=15))
    book(c, provider_id, service, day + timedelta(hours=1))  # the cancelled one's time is free
    assert booked_new in by_id
    assert run(ddb_client, fresh_table, MIGRATIONS) == []


def test_an_overlap_left_by_the_switch_is_reported_and_not_guessed_at(
    legacy_stack: bootstrap.Container, ddb_client: Any, fresh_table: str, capsys: pytest.CaptureFixture[str]
) -> None:
    c = legacy_stack
    provider_id, service = open_provider(c)
    day = (datetime.now(UTC) + timedelta(days=11)).replace(hour=9, minute=0, second=0, microsecond=0)
    first = old_appointment(ddb_client, fresh_table, provider_id, service, day)
    second = old_appointment(ddb_client, fresh_table, provider_id, service, day + timedelta(minutes=10))
    old_ledger(ddb_client, fresh_table, provider_id, day.date().isoformat(), {first: day})
    old_ledger(ddb_client, fresh_table, provider_id, "2000-01-01", {second: day + timedelta(minutes=10)})

    run(ddb_client, fresh_table, MIGRATIONS)

    report = capsys.readouterr().out
    moved = [first, second]
    overlapping = [aid for aid in moved if f"appointment {aid}" in report]
    assert len(overlapping) == 1, report
    held = {
        item["SK"]["S"]: item
        for item in query_all(ddb_client, fresh_table, keys.provider_pk(provider_id), "BLOCK#")
    }
    holders = {value["S"] for item in held.values() for name, value in item.items() if name.startswith("m")}
    assert holders == set(moved) - set(overlapping), "the reported one holds no minute"
    assert query_all(ddb_client, fresh_table, keys.provider_pk(provider_id), "DAY#"), "its ledger is kept"
