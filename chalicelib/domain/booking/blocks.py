"""Busy time cut into fixed 30-minute UTC blocks: what guards a booking, and what slots read.

An appointment keeps its padded interval (buffers included) busy. That interval, widened to
whole minutes, is cut at the block boundaries (:00 and :30 UTC) into pieces; each piece holds
some minutes of one block. Two appointments overlap exactly when they hold a common minute, so
a per-minute condition on the block items refuses a booking only for a real overlap, and
bookings of different times of a day touch different block items (unless they share a block at
their edges, where they hold different minutes of it).

A day's busy minutes are also summed up as bit masks, one per two-hour window (``h00``,
``h02``, ... ``h22``; bit ``m`` is the window's minute ``m``, a 120-bit integer, which a
DynamoDB number holds exactly). Slot listings read those 12 numbers per day, one small item
per day of fixed size, whatever the number of appointments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.slots.timeline import Busy, Interval, merge

BLOCK_MINUTES = 30
BLOCK = timedelta(minutes=BLOCK_MINUTES)
MINUTE = timedelta(minutes=1)
BLOCKS_PER_DAY = 24 * 60 // BLOCK_MINUTES
WINDOW_MINUTES = 120
WINDOWS_PER_DAY = 24 * 60 // WINDOW_MINUTES
FULL_MASK = (1 << WINDOW_MINUTES) - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, order=True)
class Piece:
    """Minutes ``first`` (included) to ``last`` (excluded) of the block starting at ``block``."""

    block: datetime
    first: int
    last: int

    @property
    def minutes(self) -> range:
        return range(self.first, self.last)

    @property
    def bits(self) -> int:
        return mask_of(self.minutes)

    @property
    def day(self) -> str:
        return self.block.date().isoformat()

    @property
    def window(self) -> str:
        """The two-hour window of the day summary it is in: ``h08`` for 08:00-10:00 UTC."""
        return window_name(self.block)

    @property
    def window_bits(self) -> int:
        """Its minutes as bits of that window's mask."""
        return self.bits << _offset_in_window(self.block)


def mask_of(minutes: Iterable[int]) -> int:
    mask = 0
    for minute in minutes:
        mask |= 1 << minute
    return mask


def window_name(instant: datetime) -> str:
    return f"h{instant.hour - instant.hour % (WINDOW_MINUTES // 60):02d}"


WINDOW_NAMES = tuple(f"h{2 * n:02d}" for n in range(WINDOWS_PER_DAY))


def window_start(day: date, name: str) -> datetime:
    """Inverse of :func:`window_name` on a given UTC date."""
    return datetime.combine(day, time(int(name[1:3])), UTC)


def _offset_in_window(block: datetime) -> int:
    return (block.hour % (WINDOW_MINUTES // 60)) * 60 + block.minute


def _floor_minute(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


def _ceil_minute(instant: datetime) -> datetime:
    floored = _floor_minute(instant)
    return floored if floored == instant else floored + MINUTE


def _block_of(instant: datetime) -> datetime:
    elapsed = int((instant - EPOCH).total_seconds()) // 60
    return EPOCH + timedelta(minutes=elapsed - elapsed % BLOCK_MINUTES)


def pieces(busy: Busy) -> list[Piece]:
    """The pieces of the minutes ``busy`` keeps (its padded interval, widened to whole minutes).

    Times made through the API are whole minutes already; widening only matters for odd data,
    and then errs on the side of busy.
    """
    padded = busy.padded()
    if padded.is_empty:
        return []
    start = _floor_minute(padded.start.astimezone(UTC))
    end = _ceil_minute(padded.end.astimezone(UTC))
    found: list[Piece] = []
    block = _block_of(start)
    while block < end:
        first = max(0, int((start - block) / MINUTE))
        last = min(BLOCK_MINUTES, int((end - block) / MINUTE))
        if first < last:
            found.append(Piece(block, first, last))
        block += BLOCK
    return found


def day_masks(held: Iterable[Piece]) -> dict[str, dict[str, int]]:
    """``{utc day: {window name: bits}}`` of the given pieces."""
    days: dict[str, dict[str, int]] = {}
    for piece in held:
        windows = days.setdefault(piece.day, {})
        windows[piece.window] = windows.get(piece.window, 0) | piece.window_bits
    return days


def _runs(mask: int) -> Iterable[tuple[int, int]]:
    """(first, last) of each run of set bits in ``mask``, in O(runs) big-integer steps."""
    while mask:
        first = (mask & -mask).bit_length() - 1  # the lowest set bit
        shifted = mask >> first
        length = (shifted ^ (shifted + 1)).bit_length() - 1  # how many ones from there
        yield first, first + length
        mask &= ~(((1 << length) - 1) << first)


def busy_from_masks(days: Mapping[str, Mapping[str, int]]) -> list[Busy]:
    """The busy intervals that day summaries hold, merged (buffers are inside them already)."""
    intervals: list[Interval] = []
    for day_text, windows in days.items():
        day = date.fromisoformat(day_text)
        for name, mask in windows.items():
            if mask <= 0:
                continue
            start = window_start(day, name)
            for first, last in _runs(mask & FULL_MASK):
                intervals.append(Interval(start + first * MINUTE, start + last * MINUTE))
    return [Busy(interval.start, interval.end) for interval in merge(intervals)]


def without(days: Mapping[str, Mapping[str, int]], held: Iterable[Piece]) -> dict[str, dict[str, int]]:
    """The summaries less the minutes of ``held`` (an appointment being moved frees its own)."""
    result = {day: dict(windows) for day, windows in days.items()}
    for piece in held:
        windows = result.get(piece.day)
        if windows is not None and piece.window in windows:
            windows[piece.window] &= ~piece.window_bits
    return result


@dataclass(frozen=True)
class BlockChange:
    """What one block item gains and loses in a write: minutes to take, minutes to free."""

    block: datetime
    take: tuple[int, ...]
    free: tuple[int, ...]
    keep: tuple[int, ...]  # minutes held before and after: checked to still be this appointment's

    @property
    def window(self) -> str:
        return window_name(self.block)

    @property
    def delta(self) -> int:
        """Change of its window's summary mask (bits taken minus bits freed)."""
        return (mask_of(self.take) - mask_of(self.free)) << _offset_in_window(self.block)


def changes(before: Iterable[Piece], after: Iterable[Piece]) -> list[BlockChange]:
    """Per block, the minutes a move from ``before`` to ``after`` takes and frees, in block order."""
    old: dict[datetime, set[int]] = {}
    new: dict[datetime, set[int]] = {}
    for piece in before:
        old.setdefault(piece.block, set()).update(piece.minutes)
    for piece in after:
        new.setdefault(piece.block, set()).update(piece.minutes)
    found = []
    for block in sorted(old.keys() | new.keys()):
        was, will = old.get(block, set()), new.get(block, set())
        if was == will:
            continue
        found.append(
            BlockChange(
                block, tuple(sorted(will - was)), tuple(sorted(was - will)), tuple(sorted(was & will))
            )
        )
    return found


def hold_in_order(busy: Iterable[tuple[str, Busy]]) -> tuple[dict[str, list[Piece]], list[str]]:
    """Which minutes each busy time holds when they are taken one after another, in the order
    given, as bookings made in that order would take them: each takes all of its pieces, unless
    one of its minutes is held already. The keys of those that could not (each overlaps one
    before it) come back too, in order: they hold no minute."""
    taken: dict[datetime, int] = {}  # block -> its minutes held so far, as bits
    held: dict[str, list[Piece]] = {}
    left: list[str] = []
    for key, time_busy in busy:
        found = pieces(time_busy)
        if any(taken.get(piece.block, 0) & piece.bits for piece in found):
            left.append(key)
            continue
        for piece in found:
            taken[piece.block] = taken.get(piece.block, 0) | piece.bits
        held[key] = found
    return held, left
