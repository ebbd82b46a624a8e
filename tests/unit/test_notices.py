from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib.domain.notifications.notices import format_when, one_line, plain
from tests.notice_builders import make_notice

pytestmark = pytest.mark.unit


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_time_reads_in_the_given_zone_with_its_name_and_abbreviation() -> None:
    when = format_when(utc("2027-03-15T13:00"), utc("2027-03-15T13:30"), "America/New_York")
    assert when == "Monday, March 15, 2027, 9:00\u2009\u2013\u20099:30\u202fAM (America/New_York, EDT)"


def test_same_instant_reads_differently_on_each_side_of_the_atlantic_on_us_dst_day() -> None:
    # 14 March 2027: New York has just moved to EDT (UTC-4); London is still on GMT.
    start, end = utc("2027-03-14T14:00"), utc("2027-03-14T14:30")
    assert format_when(start, end, "America/New_York") == (
        "Sunday, March 14, 2027, 10:00\u2009\u2013\u200910:30\u202fAM (America/New_York, EDT)"
    )
    assert format_when(start, end, "Europe/London") == (
        "Sunday, March 14, 2027, 2:00\u2009\u2013\u20092:30\u202fPM (Europe/London, GMT)"
    )


def test_a_slot_across_the_spring_forward_gap_shows_both_abbreviations() -> None:
    # 06:30Z is 01:30 EST; 07:30Z is 03:30 EDT: the wall clock skips 02:00-03:00.
    when = format_when(utc("2027-03-14T06:30"), utc("2027-03-14T07:30"), "America/New_York")
    assert when == "Sunday, March 14, 2027, 1:30\u202fAM EST \u2013 3:30\u202fAM EDT (America/New_York)"


def test_the_repeated_hour_in_autumn_is_told_apart_by_abbreviation() -> None:
    # 7 November 2027: 01:30 happens twice in New York, first as EDT then as EST.
    first = format_when(utc("2027-11-07T05:30"), None, "America/New_York")
    second = format_when(utc("2027-11-07T06:30"), None, "America/New_York")
    assert first == "Sunday, November 7, 2027, 1:30\u202fAM (America/New_York, EDT)"
    assert second == "Sunday, November 7, 2027, 1:30\u202fAM (America/New_York, EST)"


def test_a_slot_past_midnight_shows_both_dates() -> None:
    when = format_when(utc("2027-03-15T23:30"), utc("2027-03-16T00:30"), "UTC")
    assert when == "Monday, March 15, 2027, 11:30\u202fPM \u2013 Tuesday, March 16, 2027, 12:30\u202fAM (UTC)"


def test_any_aware_input_is_converted_not_reinterpreted() -> None:
    tokyo = timezone(timedelta(hours=9))
    start = datetime(2027, 3, 15, 22, 0, tzinfo=tokyo)  # 13:00Z
    assert (
        format_when(start, None, "Europe/London")
        == "Monday, March 15, 2027, 1:00\u202fPM (Europe/London, GMT)"
    )


def test_one_line_removes_line_breaks_and_control_characters() -> None:
    assert one_line("  Casey\r\nBcc: x@y\t\x00Client \u2028 ") == "Casey Bcc: x@y Client"


def test_plain_keeps_paragraph_breaks_and_drops_control_characters() -> None:
    assert plain("Sick today.\r\nSorry!\x07\r") == "Sick today.\nSorry!"


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": datetime(2027, 3, 15, 13, 0)},
        {"end": utc("2027-03-15T13:00")},
        {"provider_timezone": "Mars/Olympus_Mons"},
        {"manage_url": "javascript:alert(1)"},
        {"sequence": -1},
    ],
    ids=["naive-start", "empty-slot", "unknown-zone", "non-http-link", "negative-sequence"],
)
def test_a_notice_refuses_values_that_would_render_wrong(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make_notice(**overrides)
