from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.slots.timeline import Busy, Interval, align_up, as_utc, conflicts, merge, overlaps

pytestmark = pytest.mark.unit


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(zone))


def hours(start: int, end: int) -> Interval:
    return Interval(utc(2027, 6, 15, start), utc(2027, 6, 15, end))


def test_touching_intervals_do_not_overlap() -> None:
    assert not overlaps(hours(9, 10), hours(10, 11))
    assert not overlaps(hours(10, 11), hours(9, 10))


def test_intervals_sharing_an_instant_overlap() -> None:
    assert overlaps(hours(9, 11), hours(10, 12))
    assert overlaps(hours(9, 12), hours(10, 11))
    assert hours(10, 11).overlaps(hours(9, 12))


def test_an_empty_interval_overlaps_nothing() -> None:
    empty = Interval(utc(2027, 6, 15, 10), utc(2027, 6, 15, 10))
    assert not overlaps(empty, hours(9, 12))
    assert not overlaps(hours(9, 12), empty)


def test_merge_sorts_and_joins_overlapping_and_touching_intervals() -> None:
    merged = merge([hours(14, 15), hours(9, 10), hours(10, 11), hours(9, 10), hours(16, 16), hours(12, 15)])
    assert merged == [hours(9, 11), hours(12, 15)]


def test_align_up_keeps_the_anchor_for_instants_before_it() -> None:
    assert align_up(utc(2027, 6, 15, 8), utc(2027, 6, 15, 9), timedelta(minutes=30)) == utc(2027, 6, 15, 9)


def test_align_up_rounds_to_the_next_step_from_the_anchor() -> None:
    anchor = utc(2027, 6, 15, 9, 10)
    step = timedelta(minutes=30)
    assert align_up(utc(2027, 6, 15, 9, 11), anchor, step) == utc(2027, 6, 15, 9, 40)
    assert align_up(utc(2027, 6, 15, 10, 10), anchor, step) == utc(2027, 6, 15, 10, 10)


def test_as_utc_keeps_the_instant() -> None:
    assert as_utc(local("America/New_York", 2027, 6, 15, 9)) == utc(2027, 6, 15, 13)
    assert as_utc(local("America/New_York", 2027, 6, 15, 9)).utcoffset() == timedelta(0)


def test_as_utc_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        as_utc(datetime(2027, 6, 15, 9))


def test_busy_is_stored_in_utc() -> None:
    busy = Busy(local("Europe/London", 2027, 6, 15, 9), local("Europe/London", 2027, 6, 15, 10))
    assert busy.start == utc(2027, 6, 15, 8)
    assert busy.start.tzinfo is not None and busy.start.utcoffset() == timedelta(0)


def test_busy_rejects_negative_buffers() -> None:
    with pytest.raises(ValueError, match="negative"):
        Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10), buffer_before_minutes=-5)


def test_busy_padded_adds_its_buffers() -> None:
    busy = Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10), buffer_before_minutes=15, buffer_after_minutes=30)
    assert busy.padded() == Interval(utc(2027, 6, 15, 8, 45), utc(2027, 6, 15, 10, 30))


def test_a_busy_value_is_empty_only_when_its_buffers_hold_no_time_either() -> None:
    assert Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 9)).is_empty
    assert not Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 9), buffer_after_minutes=5).is_empty
    assert Busy(utc(2027, 6, 15, 9, 30), utc(2027, 6, 15, 9), 10, 10).is_empty
    assert not Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10)).is_empty


def test_buffers_conflict_even_when_appointments_do_not_overlap() -> None:
    existing = [Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10), buffer_after_minutes=10)]
    candidate = Busy(utc(2027, 6, 15, 10, 15), utc(2027, 6, 15, 11), buffer_before_minutes=10)
    assert conflicts(candidate, existing)


def test_padded_intervals_that_only_touch_do_not_conflict() -> None:
    existing = [Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10), buffer_after_minutes=10)]
    candidate = Busy(utc(2027, 6, 15, 10, 20), utc(2027, 6, 15, 11), buffer_before_minutes=10)
    assert not conflicts(candidate, existing)


def test_nothing_conflicts_with_an_empty_calendar() -> None:
    assert not conflicts(Busy(utc(2027, 6, 15, 9), utc(2027, 6, 15, 10)), [])
