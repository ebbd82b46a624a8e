"""FeedTokens in memory: the same two records and the same all-or-nothing swap as the table."""

from __future__ import annotations

from chalicelib.adapters.memory.table import OnTable
from chalicelib.services.calendars.ports import FeedTokens, StoredFeed


class MemoryFeedTokens(OnTable, FeedTokens):
    def feed_of(self, provider_id: str) -> StoredFeed | None:
        return self.table.feeds.get(provider_id)

    def provider_for(self, token_hash: str) -> StoredFeed | None:
        return self.table.feed_lookups.get(token_hash)

    def create(self, feed: StoredFeed) -> bool:
        with self.table.lock:
            if feed.provider_id in self.table.feeds or feed.token_hash in self.table.feed_lookups:
                return False
            self.table.feeds[feed.provider_id] = feed
            self.table.feed_lookups[feed.token_hash] = feed
            return True

    def replace(self, old: StoredFeed, new: StoredFeed) -> bool:
        with self.table.lock:
            current = self.table.feeds.get(old.provider_id)
            if (
                current is None
                or current.token_hash != old.token_hash
                or old.token_hash not in self.table.feed_lookups
                or new.token_hash in self.table.feed_lookups
            ):
                return False
            del self.table.feed_lookups[old.token_hash]
            self.table.feeds[new.provider_id] = new
            self.table.feed_lookups[new.token_hash] = new
            return True
