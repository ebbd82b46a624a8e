"""Webhook retry times: backoff from the first attempt for 24 hours, Retry-After honoured, capped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.integrations.webhook_retries import next_attempt, retry_after

pytestmark = pytest.mark.unit
FIRST = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_the_waits_grow_then_stop_24_hours_after_the_first_attempt() -> None:
    now, waits = FIRST, []
    for attempt in range(1, 20):
        when = next_attempt(attempt, FIRST, now)
        if when is None:
            break
        waits.append(when - now)
        now = when
    assert waits[:6] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
    ]
    assert now - FIRST <= timedelta(hours=24)
    assert next_attempt(len(waits) + 1, FIRST, now) is None, "given up"


def test_retry_after_in_seconds_or_as_a_date_is_honoured_and_capped() -> None:
    assert retry_after("120", FIRST) == timedelta(minutes=2)
    assert retry_after("Mon, 01 Mar 2027 09:30:00 GMT", FIRST) == timedelta(minutes=30)
    assert retry_after("999999", FIRST) == timedelta(hours=10)
    assert retry_after("soon", FIRST) is None and retry_after(None, FIRST) is None
    assert next_attempt(1, FIRST, FIRST, retry_after("600", FIRST)) == FIRST + timedelta(minutes=10)
    assert next_attempt(3, FIRST, FIRST, retry_after("5", FIRST)) == FIRST + timedelta(minutes=30), (
        "a shorter ask does not shorten the backoff"
    )
