"""FeedTokens over the table: the feed's two items, written together."""

from __future__ import annotations

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, read_as, translate_all
from chalicelib.adapters.dynamo.feed_items import (
    FeedItem,
    FeedLookupItem,
    feed_from_item,
    feed_from_lookup,
    feed_item,
    lookup_item,
)
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.services.calendars.ports import FeedTokens, StoredFeed


@translate_all
class DynamoFeedTokens(FeedTokens):
    def feed_of(self, provider_id: str) -> StoredFeed | None:
        return read_as(FeedItem, keys.provider_pk(provider_id), keys.FEED, feed_from_item)

    def provider_for(self, token_hash: str) -> StoredFeed | None:
        # Eventually consistent is enough: a lookup item is written once and only ever deleted,
        # and the delete is the rotation's first visible effect.
        item = get_or_none(FeedLookupItem, keys.feed_pk(token_hash), keys.FEED)
        return None if item is None else feed_from_lookup(item)

    def create(self, feed: StoredFeed) -> bool:
        tx = Transaction()
        tx.put("feed", feed_item(feed), FeedItem.PK.does_not_exist())
        tx.put("lookup", lookup_item(feed), FeedLookupItem.PK.does_not_exist())
        return _commit(tx)

    def replace(self, old: StoredFeed, new: StoredFeed) -> bool:
        tx = Transaction()
        tx.put("feed", feed_item(new), FeedItem.token_hash == old.token_hash)
        tx.delete("old", lookup_item(old), FeedLookupItem.PK.exists())
        tx.put("lookup", lookup_item(new), FeedLookupItem.PK.does_not_exist())
        return _commit(tx)


def _commit(tx: Transaction) -> bool:
    try:
        tx.commit()
    except TransactionCancelledError:
        return False
    return True
