"""Every stored instant has one format, and items written with the older one still read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib.domain.booking.appointments import iso_z, parse_z
from chalicelib.services.shared import Clock

pytestmark = pytest.mark.unit
INSTANT = datetime(2027, 3, 15, 9, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))


class At(Clock):
    def now(self) -> datetime:
        return INSTANT


def test_a_stamp_is_written_as_every_other_stored_instant() -> None:
    assert At().stamp() == iso_z(INSTANT) == "2027-03-15T07:30:05Z"


def test_stamps_sort_as_time_within_one_second_and_across_seconds() -> None:
    later = [iso_z(INSTANT + timedelta(microseconds=n)) for n in (0, 500_000, 900_000, 1_000_000)]
    assert later == sorted(later)


@pytest.mark.parametrize(
    "stored",
    ["2027-03-15T07:30:05Z", "2027-03-15T07:30:05.123456Z", "2027-03-15T09:30:05.123456+02:00"],
)
def test_both_stored_formats_read_back_as_the_same_instant_to_the_second(stored: str) -> None:
    read = parse_z(stored)
    assert read.tzinfo is UTC
    assert read.replace(microsecond=0) == datetime(2027, 3, 15, 7, 30, 5, tzinfo=UTC)
