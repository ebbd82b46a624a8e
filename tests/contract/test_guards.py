"""RateLimiter and ChallengeStore: counts that hold across instances, challenges used once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.booking.limits import Limit
from chalicelib.domain.errors import RateLimitedError
from tests.contract.conftest import Stores, unique

pytestmark = pytest.mark.contract
WINDOW_START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)  # a whole multiple of 60 s since the epoch
LIMIT = Limit(3, 60)


def test_a_limit_counts_attempts_per_window_and_says_when_to_come_back(stores: Stores) -> None:
    subject = unique("203.0.113.7")
    for n in range(3):
        stores.limiter.hit("booking_per_ip", subject, LIMIT, WINDOW_START + timedelta(seconds=n))
    with pytest.raises(RateLimitedError) as refused:
        stores.limiter.hit("booking_per_ip", subject, LIMIT, WINDOW_START + timedelta(seconds=20))
    assert refused.value.retry_after_seconds == 40
    assert refused.value.message == "Too many bookings; try again later."
    stores.limiter.hit("booking_per_ip", subject, LIMIT, WINDOW_START + timedelta(seconds=60))  # next window


def test_limits_count_each_name_and_subject_apart(stores: Stores) -> None:
    subject, other = unique("a"), unique("b")
    for _ in range(3):
        stores.limiter.hit("search_per_ip", subject, LIMIT, WINDOW_START)
    stores.limiter.hit("search_per_ip", other, LIMIT, WINDOW_START)
    stores.limiter.hit("manage_per_ip", subject, LIMIT, WINDOW_START)
    with pytest.raises(RateLimitedError, match="Too many searches"):
        stores.limiter.hit("search_per_ip", subject, LIMIT, WINDOW_START)


def test_the_challenge_key_is_one_and_a_challenge_is_used_once(stores: Stores) -> None:
    key = stores.challenges.key()
    assert len(key) == 32 and stores.challenges.key() == key
    challenge = unique("challenge")
    assert stores.challenges.use(challenge, 2_000_000_000)
    assert not stores.challenges.use(challenge, 2_000_000_000), "a second use is refused"
    assert stores.challenges.use(unique("challenge"), 2_000_000_000)
