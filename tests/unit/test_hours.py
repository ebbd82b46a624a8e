"""Opening-hours rules: well-formed, ordered, non-overlapping intervals."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.catalog import TimeRange, WeeklyInterval
from chalicelib.domain.slots import hours

pytestmark = pytest.mark.unit


def fields(problems: list[dict[str, str]]) -> set[str]:
    return {p["field"] for p in problems}


@pytest.mark.parametrize("text", ["2026-05-01", "2024-02-29", "2026-12-31"])
def test_real_dates_in_the_dashed_form_parse(text: str) -> None:
    assert hours.parse_date(text) == date.fromisoformat(text)


@pytest.mark.parametrize("text", ["2026-02-30", "2025-02-29", "20260501", "2026-5-1", "2026-05-01T00:00", ""])
def test_impossible_or_other_forms_of_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        hours.parse_date(text)


@pytest.mark.parametrize(("start", "end"), [("00:00", "00:01"), ("09:00", "17:30"), ("23:59", "24:00")])
def test_a_start_before_its_end_is_a_valid_range(start: str, end: str) -> None:
    assert hours.range_problem(start, end) is None


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ("12:00", "12:00", "before"),
        ("13:00", "12:00", "before"),
        ("24:00", "24:00", "start"),
        ("9:00", "12:00", "start"),
        ("09:60", "12:00", "start"),
        ("09:00", "24:01", "end"),
        ("09:00", "25:00", "end"),
    ],
)
def test_ranges_that_are_empty_reversed_or_malformed_are_refused(start: str, end: str, says: str) -> None:
    problem = hours.range_problem(start, end)
    assert problem is not None and says in problem


def test_touching_intervals_are_allowed_and_several_a_day() -> None:
    weekly = [
        WeeklyInterval("mon", "09:00", "12:00"),
        WeeklyInterval("mon", "12:00", "14:00"),
        WeeklyInterval("mon", "15:00", "24:00"),
        WeeklyInterval("tue", "09:00", "12:00"),
    ]
    assert hours.weekly_problems(weekly) == []


def test_an_overlap_names_the_later_interval_by_its_index() -> None:
    weekly = [
        WeeklyInterval("mon", "11:00", "13:00"),
        WeeklyInterval("tue", "11:00", "13:00"),
        WeeklyInterval("mon", "09:00", "12:00"),
    ]
    problems = hours.weekly_problems(weekly)
    assert fields(problems) == {"weekly.0"}
    assert problems[0]["code"] == "overlap"


def test_the_same_hours_on_different_days_do_not_overlap() -> None:
    weekly = [WeeklyInterval(day, "09:00", "17:00") for day in ("mon", "tue", "wed")]
    assert hours.weekly_problems(weekly) == []


def test_an_unknown_day_is_a_problem_of_that_entry() -> None:
    assert fields(hours.weekly_problems([WeeklyInterval("monday", "09:00", "10:00")])) == {"weekly.0.day"}


def test_more_than_the_daily_maximum_of_intervals_is_refused() -> None:
    many = [
        WeeklyInterval("wed", f"{h:02d}:00", f"{h:02d}:30") for h in range(hours.MAX_INTERVALS_PER_DAY + 1)
    ]
    assert "weekly" in fields(hours.weekly_problems(many))


def test_override_intervals_follow_the_same_rules() -> None:
    assert hours.override_problems([]) == []
    problems = hours.override_problems([TimeRange("10:00", "14:00"), TimeRange("13:00", "15:00")])
    assert fields(problems) == {"intervals.1"}
    assert fields(hours.override_problems([TimeRange("14:00", "10:00")])) == {"intervals.0"}


def test_sorting_puts_days_in_week_order_then_by_start() -> None:
    weekly = [
        WeeklyInterval("sun", "08:00", "09:00"),
        WeeklyInterval("mon", "13:00", "14:00"),
        WeeklyInterval("mon", "09:00", "10:00"),
    ]
    assert [(w.day, w.start) for w in hours.sort_weekly(weekly)] == [
        ("mon", "09:00"),
        ("mon", "13:00"),
        ("sun", "08:00"),
    ]
