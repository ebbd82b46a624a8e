"""Wall-clock readings in an IANA zone, and the UTC instants they name.

A reading such as 2027-03-14 02:30 in America/New_York may name one instant, two (fall-back:
the hour repeats) or none (spring-forward: the clock skips it). first_instant() picks one rule
for all three cases, and it is monotone: later readings never map to earlier instants, so
intervals that are disjoint on the wall clock stay disjoint in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.errors import ValidationError

MINUTES_PER_DAY = 24 * 60


def zone_named(name: str, *, field: str = "timezone") -> ZoneInfo:
    """The IANA zone called name, or a ValidationError naming the field it came from."""
    try:
        return ZoneInfo(name)
    # ZoneInfo raises ValueError for malformed keys and IsADirectoryError for "America".
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(
            f"unknown time zone {name!r}",
            [
                {
                    "field": field,
                    "code": "unknown_timezone",
                    "message": "must be an IANA time zone such as Europe/Paris",
                }
            ],
        ) from exc


def minutes_of(text: str, *, field: str) -> int:
    """Minutes after midnight of an 'HH:MM' reading; '24:00' is the end of the day."""
    hours, colon, minutes = text.partition(":")
    digits = hours + minutes
    if colon and len(hours) == 2 and len(minutes) == 2 and digits.isascii() and digits.isdigit():
        value = int(hours) * 60 + int(minutes)
        if int(minutes) < 60 and value <= MINUTES_PER_DAY:
            return value
    raise ValidationError(
        f"not a time of day: {text!r}",
        [{"field": field, "code": "invalid_time", "message": "must be HH:MM between 00:00 and 24:00"}],
    )


def reading(instant: datetime, zone: ZoneInfo) -> datetime:
    """What a clock in zone shows at instant, as a naive datetime."""
    return instant.astimezone(zone).replace(tzinfo=None)


def first_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which a clock in zone reads wall or later.

    - a reading that exists once is that instant;
    - a repeated reading (fall-back) is its first occurrence;
    - a skipped reading (spring-forward) is the moment the clock jumps past it.
    wall is naive; the result is an aware UTC datetime.
    """
    earlier = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if reading(earlier, zone) == wall:
        return earlier
    return _end_of_gap(wall, zone, upper=earlier)


def _end_of_gap(wall: datetime, zone: ZoneInfo, *, upper: datetime) -> datetime:
    """The transition instant of the gap that skips wall, found by bisection on whole seconds.

    In a gap, fold=0 reads wall with the offset before the jump (an instant after it: upper)
    and fold=1 with the offset after the jump (an instant before it: lower). Transitions fall
    on whole seconds. This runs only for readings inside a gap, a few times a year at most.
    """
    lower = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = int(lower.timestamp()), int(upper.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if reading(datetime.fromtimestamp(middle, UTC), zone) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)
