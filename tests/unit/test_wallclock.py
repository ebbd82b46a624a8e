from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import ValidationError
from chalicelib.domain.slots.wallclock import first_instant, minutes_of, reading, zone_named

pytestmark = pytest.mark.unit


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


NEW_YORK = zone_named("America/New_York")
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Chatham",
]


def test_an_ordinary_reading_names_its_only_instant() -> None:
    assert first_instant(datetime(2027, 6, 15, 9), NEW_YORK) == utc(2027, 6, 15, 13)


def test_a_repeated_reading_names_its_first_occurrence() -> None:
    # 2027-11-07 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    assert first_instant(datetime(2027, 11, 7, 1, 30), NEW_YORK) == utc(2027, 11, 7, 5, 30)


def test_a_skipped_reading_names_the_moment_the_clock_jumps() -> None:
    # 2027-03-14 the clock goes from 01:59:59 EST to 03:00 EDT at 07:00Z.
    assert first_instant(datetime(2027, 3, 14, 2, 30), NEW_YORK) == utc(2027, 3, 14, 7)
    assert first_instant(datetime(2027, 3, 14, 2, 0), NEW_YORK) == utc(2027, 3, 14, 7)


def test_a_half_hour_gap_ends_at_its_transition() -> None:
    # Lord Howe Island moves from +10:30 to +11:00 at 02:00 local on 2027-10-03.
    lord_howe = zone_named("Australia/Lord_Howe")
    assert first_instant(datetime(2027, 10, 3, 2, 15), lord_howe) == utc(2027, 10, 2, 15, 30)


def test_midnight_inside_a_gap_starts_the_day_at_the_jump() -> None:
    # Chile springs forward at 24:00 on 2027-09-04: 2027-09-05 begins at 01:00 -03.
    santiago = zone_named("America/Santiago")
    assert first_instant(datetime(2027, 9, 5), santiago) == utc(2027, 9, 5, 4)


@settings(max_examples=300, deadline=None, database=None)
@given(
    zone=st.sampled_from(ZONES),
    wall=st.datetimes(min_value=datetime(2026, 12, 25), max_value=datetime(2028, 1, 5)),
)
def test_first_instant_is_the_earliest_instant_reading_wall_or_later(zone: str, wall: datetime) -> None:
    tz = zone_named(zone)
    wall = wall.replace(second=0, microsecond=0)
    instant = first_instant(wall, tz)
    assert reading(instant, tz) >= wall
    assert reading(instant - timedelta(seconds=1), tz) < wall


@pytest.mark.parametrize(
    ("text", "minutes"), [("00:00", 0), ("09:30", 570), ("23:59", 1439), ("24:00", 1440)]
)
def test_minutes_of_reads_hh_mm(text: str, minutes: int) -> None:
    assert minutes_of(text, field="start") == minutes


@pytest.mark.parametrize(
    "text", ["9:30", "09:3", "24:01", "12:60", "ab:cd", "", "0930", "\u0661\u0662:\u0663\u0660"]
)
def test_minutes_of_rejects_anything_but_hh_mm(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        minutes_of(text, field="weekly[0].start")
    assert raised.value.details == [
        {
            "field": "weekly[0].start",
            "code": "invalid_time",
            "message": "must be HH:MM between 00:00 and 24:00",
        }
    ]


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "America", "", "../etc/passwd"])
def test_unknown_zones_are_validation_errors(name: str) -> None:
    with pytest.raises(ValidationError) as raised:
        zone_named(name, field="timezone")
    assert raised.value.details[0]["field"] == "timezone"
