"""FeedTokens: one feed per provider, found by its hash, swapped all at once on rotation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.adapters.dynamo.feed_store import DynamoFeedTokens
from chalicelib.adapters.memory.feeds import MemoryFeedTokens
from chalicelib.domain.ids import new_id
from chalicelib.services.calendars.ports import FeedTokens, StoredFeed
from tests.contract.conftest import STAMP

pytestmark = pytest.mark.contract


@pytest.fixture(params=["memory", "dynamodb"])
def feeds(request: pytest.FixtureRequest) -> Iterator[FeedTokens]:
    if request.param == "memory":
        yield MemoryFeedTokens()
        return
    request.getfixturevalue("container")  # binds the models to the session's table
    yield DynamoFeedTokens()


def stored(provider_id: str, token: str) -> StoredFeed:
    return StoredFeed(provider_id, hashlib.sha256(token.encode()).hexdigest(), f"sealed-{token}", STAMP)


def test_a_created_feed_is_found_by_provider_and_by_hash(feeds: FeedTokens) -> None:
    provider = new_id()
    feed = stored(provider, new_id())
    assert feeds.feed_of(provider) is None

    assert feeds.create(feed)

    assert feeds.feed_of(provider) == feed
    assert feeds.provider_for(feed.token_hash) == feed
    assert feeds.provider_for(stored(provider, new_id()).token_hash) is None


def test_a_second_create_keeps_the_first(feeds: FeedTokens) -> None:
    provider = new_id()
    first, second = stored(provider, new_id()), stored(provider, new_id())
    assert feeds.create(first)
    assert not feeds.create(second)
    assert feeds.feed_of(provider) == first
    assert feeds.provider_for(second.token_hash) is None, "the losing create left nothing behind"


def test_replace_makes_the_old_hash_open_nothing(feeds: FeedTokens) -> None:
    provider = new_id()
    old, new = stored(provider, new_id()), stored(provider, new_id())
    assert feeds.create(old)

    assert feeds.replace(old, new)

    assert feeds.provider_for(old.token_hash) is None
    assert feeds.provider_for(new.token_hash) == new
    assert feeds.feed_of(provider) == new
    assert not feeds.replace(old, stored(provider, new_id())), "a stale rotation changes nothing"
    assert feeds.feed_of(provider) == new


def test_concurrent_rotations_leave_exactly_one_working_feed(feeds: FeedTokens) -> None:
    provider = new_id()
    old = stored(provider, new_id())
    assert feeds.create(old)
    candidates = [stored(provider, new_id()) for _ in range(6)]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda new: feeds.replace(old, new), candidates))

    assert results.count(True) == 1
    winner = candidates[results.index(True)]
    assert feeds.feed_of(provider) == winner
    opened = [c for c in [old, *candidates] if feeds.provider_for(c.token_hash) is not None]
    assert opened == [winner]


def test_feeds_of_two_providers_are_apart(feeds: FeedTokens) -> None:
    mine, theirs = stored(new_id(), new_id()), stored(new_id(), new_id())
    assert feeds.create(mine) and feeds.create(theirs)
    assert feeds.feed_of(mine.provider_id) == mine
    assert feeds.provider_for(theirs.token_hash) == theirs
    assert not feeds.replace(
        StoredFeed(mine.provider_id, theirs.token_hash, "x", STAMP), stored(mine.provider_id, "y")
    )
