"""Busy time in 30-minute blocks: two appointments share a held minute exactly when they overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.booking.blocks import (
    BLOCK_MINUTES,
    Piece,
    busy_from_masks,
    changes,
    day_masks,
    pieces,
    window_name,
    without,
)
from chalicelib.domain.slots.timeline import Busy, Interval, conflicts, merge

pytestmark = pytest.mark.unit

BASE = datetime(2027, 3, 14, 21, 0, tzinfo=UTC)  # near midnight UTC: pieces cross days
MINUTE = timedelta(minutes=1)


def minutes_of(held: list[Piece]) -> set[datetime]:
    return {piece.block + m * MINUTE for piece in held for m in piece.minutes}


def busy_at(offset: int, duration: int, before: int = 0, after: int = 0) -> Busy:
    start = BASE + offset * MINUTE
    return Busy(start, start + duration * MINUTE, before, after)


appointments = st.builds(
    busy_at,
    offset=st.integers(0, 6 * 60),
    duration=st.integers(1, 480),
    before=st.integers(0, 240),
    after=st.integers(0, 240),
)


def test_an_appointment_is_cut_at_the_half_hours_utc() -> None:
    held = pieces(busy_at(20, 45))  # 21:20-22:05
    assert [(p.block.strftime("%H:%M"), p.first, p.last) for p in held] == [
        ("21:00", 20, 30),
        ("21:30", 0, 30),
        ("22:00", 0, 5),
    ]
    assert [p.window for p in held] == ["h20", "h20", "h22"]
    assert [p.window_bits.bit_length() for p in held] == [90, 120, 5]


def test_buffers_are_part_of_the_busy_time() -> None:
    held = pieces(busy_at(60, 30, before=15, after=10))  # 21:45-22:40 with buffers
    assert min(minutes_of(held)) == BASE + 45 * MINUTE
    assert max(minutes_of(held)) == BASE + 99 * MINUTE


def test_odd_seconds_widen_to_whole_minutes() -> None:
    busy = Busy(BASE + timedelta(seconds=30), BASE + timedelta(minutes=5, seconds=1))
    assert minutes_of(pieces(busy)) == {BASE + m * MINUTE for m in range(6)}


@settings(max_examples=300, deadline=None)
@given(appointments, appointments)
def test_two_appointments_share_a_minute_exactly_when_they_overlap(a: Busy, b: Busy) -> None:
    shared = minutes_of(pieces(a)) & minutes_of(pieces(b))
    assert bool(shared) == conflicts(a, [b])


@settings(max_examples=200, deadline=None)
@given(appointments)
def test_the_pieces_hold_every_minute_once_and_nothing_else(a: Busy) -> None:
    held = pieces(a)
    padded = a.padded()
    minutes = [piece.block + m * MINUTE for piece in held for m in piece.minutes]
    assert len(minutes) == len(set(minutes)) == (padded.end - padded.start) // MINUTE
    assert all(0 <= p.first < p.last <= BLOCK_MINUTES for p in held)
    # the longest padded interval (8 h + 2 x 4 h of buffers) fits in one transaction
    assert len(held) <= 16 * 60 // BLOCK_MINUTES + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(appointments, max_size=6))
def test_day_summaries_read_back_as_the_merged_busy_time(busy: list[Busy]) -> None:
    held = [piece for b in busy for piece in pieces(b)]
    read = busy_from_masks(day_masks(held))
    assert [Interval(b.start, b.end) for b in read] == merge(b.padded() for b in busy)


def test_a_moving_appointment_frees_its_own_minutes_in_what_was_read() -> None:
    mine, other = busy_at(0, 30), busy_at(60, 30)
    summaries = day_masks(pieces(mine) + pieces(other))
    assert busy_from_masks(without(summaries, pieces(mine))) == [Busy(other.start, other.end)]


def test_a_move_takes_new_minutes_frees_old_ones_and_keeps_the_shared_ones() -> None:
    before, after = busy_at(0, 30), busy_at(20, 30)  # 21:00-21:30 -> 21:20-21:50
    found = {change.block.strftime("%H:%M"): change for change in changes(pieces(before), pieces(after))}
    assert found["21:00"].free == tuple(range(20)) and found["21:00"].keep == tuple(range(20, 30))
    assert found["21:30"].take == tuple(range(20)) and found["21:30"].free == ()
    assert found["21:00"].delta == -((1 << 20) - 1) << 60  # 21:00 is minute 60 of the 20:00 window
    assert found["21:30"].delta == ((1 << 20) - 1) << 90


def test_an_unchanged_block_is_not_written() -> None:
    same = pieces(busy_at(0, 60))
    assert changes(same, same) == []


def test_windows_are_two_utc_hours() -> None:
    assert window_name(datetime(2027, 1, 1, 9, 30, tzinfo=UTC)) == "h08"
    assert window_name(datetime(2027, 1, 1, 0, 0, tzinfo=UTC)) == "h00"
