"""Abuse limits: how many attempts of a kind one subject (an address, a provider) may make per window.

Fixed windows: the window of an instant starts at a whole multiple of its length since the
epoch. A limit holds across every Lambda instance because the counts live in the table
(chalicelib/adapters/dynamo/limit_store.py); docs/api.md lists the limits and what they cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

LIMIT_TEXT = re.compile(r"^([0-9]{1,7})/([0-9]{1,6})$")


@dataclass(frozen=True)
class Limit:
    count: int  # attempts allowed per window
    seconds: int  # window length

    def window(self, now: datetime) -> int:
        """The epoch second at which the window holding ``now`` starts."""
        epoch = int(now.timestamp())
        return epoch - epoch % self.seconds

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the next window opens (at least 1)."""
        return max(1, self.window(now) + self.seconds - int(now.timestamp()))


# The production defaults; every stage enforces them unless its environment says otherwise.
DEFAULT_LIMITS: Mapping[str, Limit] = {
    "booking_per_ip": Limit(10, 600),  # public bookings from one client address
    "booking_per_provider": Limit(100, 600),  # public bookings on one provider's calendar
    "manage_per_ip": Limit(30, 600),  # manage-link views, cancels and moves from one address
    "manage_per_provider": Limit(300, 600),  # manage-link attempts on one provider's bookings
    "search_per_ip": Limit(60, 60),  # scheduling pages and slot searches from one address
    "search_per_provider": Limit(1200, 60),  # slot searches on one provider's page
    "mail_per_address": Limit(10, 3600),  # emails one provider's calendar sends to one address
    "feed_per_ip": Limit(60, 60),  # calendar feed reads from one address (good tokens or not)
    "feed_per_token": Limit(60, 600),  # reads of one feed: calendar apps poll it hourly or so
}


# What a refused attempt is told, by the kind of limit (the part of its name before ``_``).
REFUSALS: Mapping[str, str] = {
    "booking": "Too many bookings; try again later.",
    "manage": "Too many attempts with booking links; try again later.",
    "search": "Too many searches; try again in a minute.",
    "mail": "Too many emails to this address; try again later.",
    "feed": "This calendar feed is read too often; try again later.",
}


def refusal(name: str) -> str:
    """The message of a refused attempt against limit ``name`` (e.g. ``booking_per_ip``)."""
    return REFUSALS.get(name.split("_", 1)[0], "Too many requests; try again later.")


def parse_limit(text: str) -> Limit:
    """``"10/600"``: 10 attempts per 600 s. ValueError for anything else."""
    found = LIMIT_TEXT.fullmatch(text.strip())
    if not found or int(found.group(1)) < 1 or int(found.group(2)) < 1:
        raise ValueError(f"a rate limit is '<count>/<seconds>', both at least 1; got {text!r}")
    return Limit(int(found.group(1)), int(found.group(2)))


def limits_from_env(env: Mapping[str, str]) -> tuple[tuple[str, Limit], ...]:
    """The defaults, each replaced by ``RATE_LIMIT_<NAME>`` if set; ``RATE_LIMITS=off``: none."""
    if env.get("RATE_LIMITS", "").strip().lower() == "off":
        return ()
    chosen = dict(DEFAULT_LIMITS)
    for name in DEFAULT_LIMITS:
        override = env.get(f"RATE_LIMIT_{name.upper()}")
        if override:
            chosen[name] = parse_limit(override)
    return tuple(sorted(chosen.items()))
