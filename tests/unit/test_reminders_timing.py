from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.notifications.reminders import (
    MAX_LOOKBACK,
    SHARDS,
    bucket_label,
    bucket_of,
    buckets,
    parse_bucket,
    planned_reminders,
    shard_of,
    sweep_window,
)

pytestmark = pytest.mark.unit
START = datetime(2027, 3, 15, 13, 0, tzinfo=UTC)


def test_reminders_due_in_the_past_at_planning_time_are_not_planned() -> None:
    now = START - timedelta(hours=5)
    planned = planned_reminders(START, [1440, 60, 60], now)
    assert [(p.offset_minutes, p.due) for p in planned] == [(60, START - timedelta(minutes=60))]


def test_no_offsets_or_nonsense_offsets_plan_nothing() -> None:
    assert planned_reminders(START, [], START - timedelta(days=3)) == []
    assert planned_reminders(START, [0, -5], START - timedelta(days=3)) == []


@pytest.mark.parametrize(
    ("instant", "label"),
    [
        ("2027-03-15T13:00:00+00:00", "2027-03-15T13:00"),
        ("2027-03-15T13:04:59+00:00", "2027-03-15T13:00"),
        ("2027-03-15T13:05:00+00:00", "2027-03-15T13:05"),
        ("2027-03-15T09:07:30-04:00", "2027-03-15T13:05"),
    ],
)
def test_buckets_are_utc_five_minute_floors(instant: str, label: str) -> None:
    bucket = bucket_of(datetime.fromisoformat(instant))
    assert bucket_label(bucket) == label
    assert parse_bucket(label) == bucket
    assert bucket_of(bucket) == bucket


def test_shards_are_stable_and_spread() -> None:
    ids = [f"01J{n:023d}" for n in range(400)]
    assert all(shard_of(i) == shard_of(i) for i in ids)
    counts = [sum(1 for i in ids if shard_of(i) == s) for s in range(SHARDS)]
    assert min(counts) > 50


def test_the_sweep_reads_from_its_bookmark_to_now_bounded_by_the_longest_offset() -> None:
    now = datetime(2027, 3, 15, 16, 2, tzinfo=UTC)
    assert sweep_window(now - timedelta(hours=3), now) == (
        datetime(2027, 3, 15, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 15, 16, 0, tzinfo=UTC),
    )
    first, _ = sweep_window(now - timedelta(days=30), now)
    assert first == bucket_of(now - MAX_LOOKBACK)
    first, _ = sweep_window(None, now)
    assert first == datetime(2027, 3, 15, 15, 0, tzinfo=UTC)
    assert len(list(buckets(*sweep_window(now - timedelta(hours=3), now)))) == 37


def test_reminder_index_keys_sort_by_due_time_and_the_upper_bound_includes_the_instant() -> None:
    due = "2027-03-15T12:00:00Z"
    key = keys.reminder_gsi1sk(due, "01JZZZZZZZZZZZZZZZZZZZZZZZ", 60)
    assert key <= keys.due_until(due)
    assert keys.reminder_gsi1sk("2027-03-15T12:00:01Z", "0", 60) > keys.due_until(due)
    assert keys.reminder_gsi1pk("2027-03-15T12:00", 3) == "REMINDER#2027-03-15T12:00#3"
