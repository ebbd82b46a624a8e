"""The calendar feed: the provider's record of it and the lookup by the token's hash.

``PROVIDER#<id>`` / ``FEED`` holds the token hash and the sealed token (the dashboard shows the
URL again); ``FEED#<sha256 of the token>`` / ``FEED`` is what the public route reads. Neither holds
the token in the clear. Both are written in one transaction, so a rotated token opens nothing.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item
from chalicelib.services.calendars.ports import StoredFeed


class FeedItem(Item, discriminator="feed"):
    """PROVIDER#<id> / FEED: the provider's current feed."""

    token_hash = UnicodeAttribute()
    sealed_token = UnicodeAttribute()
    created_at = UnicodeAttribute()


class FeedLookupItem(Item, discriminator="feed_lookup"):
    """FEED#<token hash> / FEED: the provider a feed URL opens."""

    provider_id = UnicodeAttribute()
    sealed_token = UnicodeAttribute()
    created_at = UnicodeAttribute()


def feed_item(feed: StoredFeed) -> FeedItem:
    return FeedItem(
        keys.provider_pk(feed.provider_id),
        keys.FEED,
        token_hash=feed.token_hash,
        sealed_token=feed.sealed_token,
        created_at=feed.created_at,
    )


def lookup_item(feed: StoredFeed) -> FeedLookupItem:
    return FeedLookupItem(
        keys.feed_pk(feed.token_hash),
        keys.FEED,
        provider_id=feed.provider_id,
        sealed_token=feed.sealed_token,
        created_at=feed.created_at,
    )


def feed_from_item(item: FeedItem) -> StoredFeed:
    provider_id = item.PK.removeprefix(keys.provider_pk.prefix)
    return StoredFeed(provider_id, item.token_hash, item.sealed_token, item.created_at)


def feed_from_lookup(item: FeedLookupItem) -> StoredFeed:
    token_hash = item.PK.removeprefix(keys.feed_pk.prefix)
    return StoredFeed(item.provider_id, token_hash, item.sealed_token, item.created_at)
