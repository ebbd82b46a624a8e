"""Migration 0003: appointments booked before day counts are counted, so a cap set later holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.config import Settings
from chalicelib.domain.booking.appointments import DailyLimitError
from chalicelib.services.booking import slots
from infra import count_migration
from infra.migrate import MIGRATIONS, run
from tests.integration.test_migrate_busy_time import book, old_appointment, open_provider

pytestmark = pytest.mark.integration


@pytest.fixture
def stack(fresh_table: str, settings_for: Callable[..., Settings]) -> Iterator[bootstrap.Container]:
    built = bootstrap.build(settings_for(TABLE_NAME=fresh_table))
    bootstrap.reset(built)
    yield built
    bootstrap.reset()


def count_of(ddb: Any, table: str, provider_id: str, sk: str) -> int:
    item = ddb.get_item(TableName=table, Key={"PK": {"S": keys.provider_pk(provider_id)}, "SK": {"S": sk}})
    return int(item.get("Item", {}).get("n", {}).get("N", "0"))


def test_old_appointments_take_their_places_once_and_the_cap_then_holds(
    stack: bootstrap.Container, ddb_client: Any, fresh_table: str
) -> None:
    c = stack
    provider_id, service = open_provider(c)  # a UTC provider open all day
    c.repo.update_service(provider_id, service.id, {"max_per_day": 2})
    day = (datetime.now(UTC) + timedelta(days=12)).replace(hour=9, minute=0, second=0, microsecond=0)
    for hour in (0, 1):
        old_appointment(ddb_client, fresh_table, provider_id, service, day + timedelta(hours=hour))
    gone = old_appointment(ddb_client, fresh_table, provider_id, service, day + timedelta(hours=2))
    ddb_client.update_item(
        TableName=fresh_table,
        Key={"PK": {"S": keys.provider_pk(provider_id)}, "SK": {"S": keys.appointment_sk(gone)}},
        UpdateExpression="SET #s = :c",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":c": {"S": "cancelled"}},
    )
    long_ago = day - timedelta(days=400)
    old_appointment(ddb_client, fresh_table, provider_id, service, long_ago)
    listed = slots.list_slots(provider_id, service.id, day.date(), day.date(), None, c.repo, c.clock)
    assert listed.slots, "before the migration the day looks empty to the cap"

    assert "0003-day-counts" in run(ddb_client, fresh_table, MIGRATIONS)

    date = day.date().isoformat()
    assert count_of(ddb_client, fresh_table, provider_id, keys.day_count_sk(date)) == 2
    assert count_of(ddb_client, fresh_table, provider_id, keys.service_day_count_sk(date, service.id)) == 2
    past = long_ago.date().isoformat()
    assert count_of(ddb_client, fresh_table, provider_id, keys.day_count_sk(past)) == 0, "the past is left"
    listed = slots.list_slots(provider_id, service.id, day.date(), day.date(), None, c.repo, c.clock)
    assert listed.slots == []
    with pytest.raises(DailyLimitError):
        book(c, provider_id, service, day + timedelta(hours=5))
    count_migration.apply(ddb_client, fresh_table)  # again: each is counted once
    assert count_of(ddb_client, fresh_table, provider_id, keys.day_count_sk(date)) == 2


def test_an_appointment_counts_under_its_providers_local_date(
    stack: bootstrap.Container, ddb_client: Any, fresh_table: str
) -> None:
    c = stack
    provider_id, service = open_provider(c)
    profile = c.repo.get_provider(provider_id)
    assert profile is not None
    c.repo.update_profile(profile, {"timezone": "Pacific/Auckland"}, c.clock.stamp())
    late = (datetime.now(UTC) + timedelta(days=20)).replace(hour=20, minute=0, second=0, microsecond=0)
    appointment_id = old_appointment(ddb_client, fresh_table, provider_id, service, late)
    count_migration.apply(ddb_client, fresh_table)
    next_day = (late + timedelta(days=1)).date().isoformat()  # 20:00 UTC is the next morning there
    assert count_of(ddb_client, fresh_table, provider_id, keys.day_count_sk(next_day)) == 1
    item = ddb_client.get_item(
        TableName=fresh_table,
        Key={"PK": {"S": keys.provider_pk(provider_id)}, "SK": {"S": keys.appointment_sk(appointment_id)}},
    )["Item"]
    assert item["counted_day"] == {"S": next_day}
