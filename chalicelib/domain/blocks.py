"""Busy time cut into fixed 30-minute UTC blocks: what guards a booking, and what slots read.

An appointment keeps its padded interval (buffers included) busy. That interval, widened to
whole minutes, is cut at the block boundaries (:00 and :30 UTC) into pieces; each piece holds
some minutes of one block. Two appointments overlap exactly when they hold a common minute, so
a per-minute condition on the block items refuses a booking only for a real overlap, and
bookings of different times of a day touch different block items (unless they share a block at
their edges, where they hold different minutes of it).

A day's busy minutes are also summed up, block by block, as bit masks: bit ``m`` of a block's
mask is its minute ``m``. Slot listings read those masks, one small item per day, whatever the
number of appointments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.timeline import Busy, Interval, merge

BLOCK_MINUTES = 30
BLOCK = timedelta(minutes=BLOCK_MINUTES)
MINUTE = timedelta(minutes=1)
BLOCKS_PER_DAY = 24 * 60 // BLOCK_MINUTES
FULL_MASK = (1 << BLOCK_MINUTES) - 1
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
    def slot(self) -> str:
        """The block's name in its day's summary: ``t0930`` for the block starting 09:30 UTC."""
        return slot_name(self.block)


def mask_of(minutes: Iterable[int]) -> int:
    mask = 0
    for minute in minutes:
        mask |= 1 << minute
    return mask


def slot_name(block: datetime) -> str:
    return f"t{block.hour:02d}{block.minute:02d}"


SLOT_NAMES = tuple(slot_name(EPOCH + n * BLOCK) for n in range(BLOCKS_PER_DAY))


def slot_start(day: date, name: str) -> datetime:
    """Inverse of :func:`slot_name` on a given UTC date."""
    return datetime.combine(day, time(int(name[1:3]), int(name[3:5])), UTC)


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
    """``{utc day: {slot name: bits}}`` of the given pieces."""
    days: dict[str, dict[str, int]] = {}
    for piece in held:
        slots = days.setdefault(piece.day, {})
        slots[piece.slot] = slots.get(piece.slot, 0) | piece.bits
    return days


def _runs(mask: int) -> Iterable[tuple[int, int]]:
    """(first, last) of each run of set bits in ``mask``."""
    minute = 0
    while mask >> minute:
        if not (mask >> minute) & 1:
            minute += 1
            continue
        first = minute
        while (mask >> minute) & 1:
            minute += 1
        yield first, minute


def busy_from_masks(days: Mapping[str, Mapping[str, int]]) -> list[Busy]:
    """The busy intervals that day summaries hold, merged (buffers are inside them already)."""
    intervals: list[Interval] = []
    for day_text, slots in days.items():
        day = date.fromisoformat(day_text)
        for name, mask in slots.items():
            if mask <= 0:
                continue
            block = slot_start(day, name)
            for first, last in _runs(mask & FULL_MASK):
                intervals.append(Interval(block + first * MINUTE, block + last * MINUTE))
    return [Busy(interval.start, interval.end) for interval in merge(intervals)]


def without(days: Mapping[str, Mapping[str, int]], held: Iterable[Piece]) -> dict[str, dict[str, int]]:
    """The summaries less the minutes of ``held`` (an appointment being moved frees its own)."""
    result = {day: dict(slots) for day, slots in days.items()}
    for piece in held:
        slots = result.get(piece.day)
        if slots is not None and piece.slot in slots:
            slots[piece.slot] &= ~piece.bits
    return result


@dataclass(frozen=True)
class BlockChange:
    """What one block item gains and loses in a write: minutes to take, minutes to free."""

    block: datetime
    take: tuple[int, ...]
    free: tuple[int, ...]
    keep: tuple[int, ...]  # minutes held before and after: checked to still be this appointment's

    @property
    def delta(self) -> int:
        """Change of the block's summary mask (bits taken minus bits freed)."""
        return mask_of(self.take) - mask_of(self.free)


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
