"""Properties of the slot engine on generated providers, calendars and requests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.catalog import WEEKDAYS, WeeklyInterval
from chalicelib.domain.slots.engine import Busy, Slot, SlotQuery, SlotRules, free_slots, is_bookable_start
from chalicelib.domain.slots.timeline import conflicts
from chalicelib.domain.slots.wallclock import first_instant

pytestmark = pytest.mark.unit

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # changes at midnight
    "Pacific/Chatham",  # +12:45 / +13:45
]
# Days in 2027 when one of ZONES changes its clocks.
CHANGE_DAYS = [
    date(2027, m, d)
    for m, d in [(3, 14), (3, 28), (4, 3), (4, 4), (9, 5), (9, 26), (10, 3), (10, 31), (11, 7)]
]
PROPERTY = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Mostly real opening hours on a 5-minute grid, some on whole hours (so that rules touch), and
# sometimes an inverted span, which offers nothing.
spans = st.one_of(
    st.integers(0, 287).flatmap(
        lambda start: st.integers(start + 1, min(288, start + 120)).map(lambda end: (5 * start, 5 * end))
    ),
    st.tuples(st.integers(0, 23), st.integers(1, 6)).map(
        lambda p: (60 * p[0], min(1440, 60 * (p[0] + p[1])))
    ),
    st.tuples(st.integers(0, 288), st.integers(0, 288)).map(lambda pair: (5 * pair[0], 5 * pair[1])),
).map(lambda pair: (clock(pair[0]), clock(pair[1])))


@st.composite
def calendars(draw: st.DrawFn, anchors: list[datetime]) -> list[Busy]:
    """Appointments, some empty, some overlapping; many start or end close to a limit."""
    near_a_limit = st.tuples(st.sampled_from(anchors), st.integers(-60, 60)).map(
        lambda pair: pair[0] + timedelta(minutes=pair[1])
    )
    anywhere = st.integers(-1440, 8 * 1440).map(lambda minutes: anchors[0] + timedelta(minutes=minutes))
    busy = []
    for _ in range(draw(st.integers(0, 25))):
        length = timedelta(minutes=draw(st.integers(0, 240)))
        ends_near_a_limit = draw(st.booleans())
        start = draw(near_a_limit) - length if ends_near_a_limit else draw(anywhere | near_a_limit)
        busy.append(Busy(start, start + length, draw(st.integers(0, 60)), draw(st.integers(0, 60))))
    return busy


@st.composite
def slot_queries(draw: st.DrawFn) -> SlotQuery:
    near = draw(st.one_of(st.sampled_from(CHANGE_DAYS), st.dates(date(2027, 1, 5), date(2027, 12, 20))))
    now = datetime.combine(near, time(), tzinfo=UTC) + timedelta(minutes=draw(st.integers(-3 * 1440, 1440)))
    days = st.lists(st.tuples(st.sampled_from(WEEKDAYS), spans), min_size=3, max_size=14)
    around_the_clock = [(day, ("00:00", "24:00")) for day in WEEKDAYS]  # slots right at every limit
    weekly = [WeeklyInterval(day, start, end) for day, (start, end) in draw(days | st.just(around_the_clock))]
    override_days = st.dates(near - timedelta(days=3), near + timedelta(days=6))
    rules = SlotRules(
        timezone=draw(st.sampled_from(ZONES)),
        weekly=weekly,
        overrides=draw(st.dictionaries(override_days, st.lists(spans, max_size=2), max_size=3)),
        duration_minutes=draw(st.integers(5, 60) | st.integers(5, 60) | st.integers(1, 480)),
        buffer_before_minutes=draw(st.sampled_from([0, 0, 5, 10, 15, 30, 45])),
        buffer_after_minutes=draw(st.sampled_from([0, 0, 5, 10, 15, 30, 45])),
        slot_interval_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60, 90, 7])),
        min_notice_minutes=draw(st.one_of(st.integers(0, 240), st.integers(0, 2 * 1440))),
        max_advance_days=draw(st.integers(0, 10)),
        now=now,
    )
    first = now.date() + timedelta(days=draw(st.integers(-1, 5)))
    last = first + timedelta(days=draw(st.integers(0, 3)))
    requester = draw(st.sampled_from(ZONES))
    anchors = [
        now,
        now + timedelta(minutes=rules.min_notice_minutes),
        now + timedelta(days=rules.max_advance_days),
        first_instant(datetime.combine(first, time()), ZoneInfo(requester)),
        first_instant(datetime.combine(last + timedelta(days=1), time()), ZoneInfo(requester)),
    ]
    rules = dataclasses.replace(rules, busy=draw(calendars(anchors)))
    return SlotQuery(rules=rules, from_date=first, to_date=last, timezone=requester)


def reference_windows(rules: SlotRules, day: date) -> list[tuple[datetime, datetime]]:
    """The day's rules, merged on the wall clock, each bound at its first instant."""
    zone = ZoneInfo(rules.timezone)
    if day in rules.overrides:
        pairs = list(rules.overrides[day])
    else:
        pairs = [(r.start, r.end) for r in rules.weekly if WEEKDAYS.index(r.day) == day.weekday()]
    minutes = sorted((int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])) for a, b in pairs)
    merged: list[list[int]] = []
    for start, end in minutes:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    midnight = datetime.combine(day, time())
    return [
        (
            first_instant(midnight + timedelta(minutes=a), zone),
            first_instant(midnight + timedelta(minutes=b), zone),
        )
        for a, b in merged
    ]


def wanted_dates(query: SlotQuery) -> list[date]:
    return [
        query.from_date + timedelta(days=n) for n in range(-3, (query.to_date - query.from_date).days + 4)
    ]


def is_free(query: SlotQuery, start: datetime) -> bool:
    """Every rule of docs/slots.md checked directly on one candidate start."""
    rules = query.rules
    end = start + timedelta(minutes=rules.duration_minutes)
    requester_date = start.astimezone(ZoneInfo(query.timezone or rules.timezone)).date()
    return (
        query.from_date <= requester_date <= query.to_date
        and rules.now + timedelta(minutes=rules.min_notice_minutes) <= start
        and start <= rules.now + timedelta(days=rules.max_advance_days)
        and not conflicts(
            Busy(start, end, rules.buffer_before_minutes, rules.buffer_after_minutes), rules.busy
        )
    )


def brute_force(query: SlotQuery) -> list[Slot]:
    """Every aligned start of every window, checked one by one against every appointment."""
    rules = query.rules
    duration = timedelta(minutes=rules.duration_minutes)
    step = timedelta(minutes=rules.slot_interval_minutes)
    found: list[Slot] = []
    for day in wanted_dates(query):
        for window_start, window_end in reference_windows(rules, day):
            start = window_start
            while start + duration <= window_end:
                if is_free(query, start):
                    found.append(Slot(start, start + duration))
                start += step
    return sorted(found)


@PROPERTY
@given(slot_queries())
def test_free_slots_are_exactly_the_aligned_starts_that_pass_every_rule(query: SlotQuery) -> None:
    assert free_slots(query) == brute_force(query)


@PROPERTY
@given(slot_queries())
def test_no_free_slot_overlaps_an_appointment_or_either_buffers(query: SlotQuery) -> None:
    rules = query.rules
    for slot in free_slots(query):
        wanted = Busy(slot.start, slot.end, rules.buffer_before_minutes, rules.buffer_after_minutes).padded()
        assert not any(wanted.overlaps(appointment.padded()) for appointment in rules.busy)


@PROPERTY
@given(slot_queries())
def test_every_free_slot_lies_inside_one_opening_window(query: SlotQuery) -> None:
    windows = [w for day in wanted_dates(query) for w in reference_windows(query.rules, day)]
    for slot in free_slots(query):
        assert any(start <= slot.start and slot.end <= end for start, end in windows)


@PROPERTY
@given(slot_queries())
def test_free_slots_are_sorted_unique_utc_and_last_the_service_duration(query: SlotQuery) -> None:
    slots = free_slots(query)
    assert all(a.start < b.start for a, b in pairwise(slots))
    assert all(slot.end - slot.start == timedelta(minutes=query.rules.duration_minutes) for slot in slots)
    assert all(slot.start.utcoffset() == timedelta(0) for slot in slots)


@PROPERTY
@given(slot_queries())
def test_free_slots_respect_notice_advance_and_the_requested_dates(query: SlotQuery) -> None:
    rules = query.rules
    requester = ZoneInfo(query.timezone or rules.timezone)
    for slot in free_slots(query):
        assert slot.start >= rules.now + timedelta(minutes=rules.min_notice_minutes)
        assert slot.start <= rules.now + timedelta(days=rules.max_advance_days)
        assert query.from_date <= slot.start.astimezone(requester).date() <= query.to_date


@PROPERTY
@given(slot_queries())
def test_booking_accepts_exactly_the_listed_starts(query: SlotQuery) -> None:
    slots = free_slots(query)
    listed = {slot.start for slot in slots}
    assert all(is_bookable_start(query.rules, start) for start in listed)
    for slot in slots[:5]:
        nearby = slot.start + timedelta(minutes=1)
        assert is_bookable_start(query.rules, nearby) == (nearby in listed)
