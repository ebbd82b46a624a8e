"""The ports of the provider's calendars: where the feed's secret token is kept."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoredFeed:
    """A provider's feed as stored: the token's hash (the lookup key) and the token sealed, so
    the dashboard can show the URL again while a dump of the table reveals neither."""

    provider_id: str
    token_hash: str
    sealed_token: str
    created_at: str


class FeedTokens(abc.ABC):
    @abc.abstractmethod
    def feed_of(self, provider_id: str) -> StoredFeed | None:
        """The provider's feed, read strongly consistent (a rotation a moment ago is seen)."""

    @abc.abstractmethod
    def provider_for(self, token_hash: str) -> StoredFeed | None:
        """The feed a token's hash opens; None for a rotated or unknown one."""

    @abc.abstractmethod
    def create(self, feed: StoredFeed) -> bool:
        """Store the provider's first feed; False when it has one already (a concurrent call)."""

    @abc.abstractmethod
    def replace(self, old: StoredFeed, new: StoredFeed) -> bool:
        """Swap ``old`` for ``new`` at once: the old hash opens nothing from then on. False when
        the provider's feed is no longer ``old`` (a concurrent rotation)."""


@dataclass(frozen=True)
class WriteTarget:
    """A provider's CalDAV calendar marked ``write``: its collection URL and the unsealed app
    password (held in memory for the write only, never logged)."""

    calendar_id: str
    url: str
    username: str
    password: str = field(repr=False)


class WriteTargets(abc.ABC):
    @abc.abstractmethod
    def targets(self, provider_id: str) -> list[WriteTarget]:
        """The provider's calendars that bookings are written back to (none: nothing to do)."""


class CalendarWriter(abc.ABC):
    """One event per appointment on a CalDAV calendar. Failures the server may get over (5xx,
    timeouts, refused connections) are DependencyUnavailableError, so the stream retries."""

    @abc.abstractmethod
    def put(self, target: WriteTarget, name: str, document: str) -> None:
        """Create the event ``name`` or replace it with ``document``."""

    @abc.abstractmethod
    def delete(self, target: WriteTarget, name: str) -> None:
        """Remove the event ``name``; one already gone is done."""
