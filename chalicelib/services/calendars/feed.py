"""The feed out: a secret URL any calendar app subscribes to, listing the provider's appointments.

The token is the only credential of a public route, so it is random (32 bytes), kept only as a
hash for the lookup and sealed (as manage links are) for showing it again; rotating swaps both
in one write, and the old URL is a 404 from the next request on.
"""

from __future__ import annotations

import secrets

from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.calendars import feed as rules
from chalicelib.domain.calendars.feed import Feed
from chalicelib.domain.errors import ConflictError, NotFoundError
from chalicelib.domain.ids import secret_hash
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.calendars.ports import FeedTokens, StoredFeed
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.shared import Clock, LinkSealer


def new_token() -> str:
    return secrets.token_urlsafe(rules.TOKEN_BYTES)


def seal_context(provider_id: str) -> str:
    """What the sealed token is bound to: it opens only as this provider's feed."""
    return f"FEED#{provider_id}"


def _stored(provider_id: str, token: str, sealer: LinkSealer, clock: Clock) -> StoredFeed:
    return StoredFeed(
        provider_id, secret_hash(token), sealer.seal(seal_context(provider_id), token), clock.stamp()
    )


def feed_token(provider_id: str, tokens: FeedTokens, sealer: LinkSealer, clock: Clock) -> str:
    """The provider's feed token, made on the first call (a concurrent first call's wins)."""
    stored = tokens.feed_of(provider_id)
    if stored is None:
        token = new_token()
        if tokens.create(_stored(provider_id, token, sealer, clock)):
            return token
        stored = tokens.feed_of(provider_id)
        if stored is None:
            raise ConflictError("The feed changed while it was being made; try again.")
    return sealer.open(seal_context(provider_id), stored.sealed_token)


def rotate_feed(provider_id: str, tokens: FeedTokens, sealer: LinkSealer, clock: Clock) -> str:
    """A new token in place of the old one (made first when there was none)."""
    old = tokens.feed_of(provider_id)
    token = new_token()
    new = _stored(provider_id, token, sealer, clock)
    done = tokens.create(new) if old is None else tokens.replace(old, new)
    if not done:
        raise ConflictError("The feed was rotated by another call at the same time; try again.")
    return token


def read_feed(
    token: str, tokens: FeedTokens, providers: ProviderRepository, bookings: BookingRepository, clock: Clock
) -> Feed:
    """The feed a token opens: two key reads and one Query over the calendar index."""
    stored = tokens.provider_for(secret_hash(token)) if rules.is_token(token) else None
    provider = providers.get_provider(stored.provider_id) if stored is not None else None
    if stored is None or provider is None:
        raise NotFoundError("No calendar feed has this address.")
    start, end = rules.window(clock.now(), provider.policy.max_advance_days)
    page = bookings.list_appointments(provider.id, start, end, None, None, rules.MAX_EVENTS, None)
    since = parse_z(stored.created_at)
    return rules.build_feed(provider.name or "Appointments", page.items, since)
