"""Old column values to ours: instants in UTC, exact prices, booleans, statuses, weekdays, HH:MM.

A value that cannot be read raises ``Unreadable`` with a code and a sentence; what a readable value
means for our rules (a 7-minute service) is decided elsewhere (importer.rules).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from chalicelib.domain.booking import appointments as status
from chalicelib.domain.catalog import WEEKDAYS
from chalicelib.domain.money import CENT, MAX_PRICE, normalize_price

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# ISO 8601 as the old app's writers left it: "2025-01-14T09:30:00.000Z", "2025-01-14 09:30:00", an offset.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?", re.I)
_DIGITS = re.compile(r"-?\d{1,20}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
# The old app's statuses (any case) and ours. SCHEDULED was its default for a booking that stands.
STATUSES = {
    "SCHEDULED": status.CONFIRMED,
    "CONFIRMED": status.CONFIRMED,
    "PENDING": status.PENDING,
    "CANCELLED": status.CANCELLED,
    "COMPLETED": status.COMPLETED,
    "NO_SHOW": status.NO_SHOW,
}


class Unreadable(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Undecodable:
    """Bytes in a text column that are not UTF-8 (SQLite stores whatever it is given)."""

    size: int


def text(value: object) -> str | None:
    """Text as stored; numbers in a text column (SQLite keeps each value's own type) read as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | Undecodable | bytes | memoryview):
        raise Unreadable("unreadable_text", "is not readable text")
    if isinstance(value, int | float):
        return str(value)
    raise Unreadable("unreadable_text", "is not readable text")


def required_text(value: object) -> str:
    read = text(value)
    if read is None:
        raise Unreadable("missing", "is empty (NULL)")
    return read


def instant(value: object) -> datetime:
    """An aware UTC instant from any of the old formats: epoch milliseconds, ISO 8601, a timestamp."""
    if isinstance(value, datetime):  # PostgreSQL timestamp(3) without zone: UTC
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, bool) or value is None:
        raise Unreadable("missing" if value is None else "unreadable_time", "is not a date and time")
    if isinstance(value, int | float):
        return _from_millis(value)
    if isinstance(value, str):
        written = value.strip()
        if _DIGITS.fullmatch(written):
            return _from_millis(int(written))
        if _DATETIME.fullmatch(written):
            try:
                parsed = datetime.fromisoformat(written.replace(" ", "T", 1))
            except ValueError:
                raise Unreadable("unreadable_time", "is not a date and time that exists") from None
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raise Unreadable("unreadable_time", "is not a date and time in a format the old app wrote")


def _from_millis(millis: float) -> datetime:
    if not math.isfinite(millis):
        raise Unreadable("unreadable_time", "is not a date and time")
    try:
        return EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        raise Unreadable("unreadable_time", "is milliseconds since 1970 beyond any calendar") from None


def price(value: object) -> tuple[Decimal, bool]:
    """The exact price in cents, and whether reading it in cents changed it (float noise, sub-cent)."""
    if isinstance(value, bool) or value is None:
        raise Unreadable("missing" if value is None else "unreadable_price", "is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise Unreadable("price_not_finite", "is not a finite number")
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        raise Unreadable("unreadable_price", "is not a number")
    if not isinstance(value, int | float | str | Decimal):
        raise Unreadable("unreadable_price", "is not a number")
    try:
        # repr of a float is the shortest text that reads back as it: 19.989999999999998 stays that.
        exact = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise Unreadable("unreadable_price", "is not a number") from None
    if not exact.is_finite():
        raise Unreadable("price_not_finite", "is not a finite number")
    if exact < 0:
        raise Unreadable("price_negative", "is below 0")
    if exact > MAX_PRICE:
        raise Unreadable("price_too_high", f"is above {MAX_PRICE}")
    cents = normalize_price(exact.quantize(CENT, rounding=ROUND_HALF_UP))
    return cents, cents != exact


def whole_number(value: object) -> int:
    if isinstance(value, bool) or value is None:
        raise Unreadable("missing" if value is None else "not_a_whole_number", "is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    raise Unreadable("not_a_whole_number", "is not a whole number")


def flag(value: object) -> bool:
    """SQLite booleans are 0/1 (or the words true/false); PostgreSQL's are booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    raise Unreadable("not_a_boolean", "is not 0 or 1")


def appointment_status(value: object) -> str:
    written = required_text(value).strip().upper()
    if written not in STATUSES:
        raise Unreadable("unknown_status", f"is not one of {', '.join(STATUSES)}")
    return STATUSES[written]


def weekday(value: object) -> str:
    """day_of_week 0 = Sunday ... 6 = Saturday, as our weekday names."""
    day = whole_number(value)
    if not 0 <= day <= 6:
        raise Unreadable("unknown_day", "is not 0 (Sunday) to 6 (Saturday)")
    return WEEKDAYS[(day + 6) % 7]


def wall_time(value: object) -> str:
    """``HH:MM`` (``9:00`` reads as ``09:00``); whether it is a valid start or end is checked later."""
    written = required_text(value).strip()
    match = _HHMM.fullmatch(written)
    if match is None:
        raise Unreadable("unreadable_time_of_day", "is not a time of day written HH:MM")
    return f"{int(match.group(1)):02d}:{match.group(2)}"
