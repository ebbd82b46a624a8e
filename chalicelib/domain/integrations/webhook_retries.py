"""When a failed webhook delivery is tried again. Pure, no I/O.

Exponential backoff from the first attempt (1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then every
10 h) until 24 h after it; an endpoint's ``Retry-After`` (seconds or an HTTP date) is honoured
when it asks for longer, capped at :data:`RETRY_AFTER_CAP`. An endpoint whose every attempt has
failed for :data:`DISABLE_AFTER` is disabled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
GIVE_UP_AFTER = timedelta(hours=24)  # from the first attempt
RETRY_AFTER_CAP = timedelta(hours=10)
DISABLE_AFTER = timedelta(days=3)  # of failures only, from the first of them


def retry_after(header: str | None, now: datetime) -> timedelta | None:
    """The wait a ``Retry-After`` asks for, capped; None when absent or not understood."""
    if header is None or not header.strip():
        return None
    text = header.strip()
    if text.isdigit():
        wait = timedelta(seconds=int(text))
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        wait = max(when - now, timedelta(0))
    return min(wait, RETRY_AFTER_CAP)


def next_attempt(
    attempt: int, first_at: datetime, now: datetime, asked: timedelta | None = None
) -> datetime | None:
    """When attempt ``attempt + 1`` goes (``attempt`` is the one that just failed, from 1);
    None when that would be more than 24 h after the first attempt: given up."""
    wait = BACKOFF[min(attempt, len(BACKOFF)) - 1]
    if asked is not None and asked > wait:
        wait = asked
    when = now + wait
    return None if when - first_at > GIVE_UP_AFTER else when


def should_disable(failing_since: datetime, now: datetime) -> bool:
    """True once an endpoint has failed every attempt for :data:`DISABLE_AFTER` or longer."""
    return now - failing_since >= DISABLE_AFTER
