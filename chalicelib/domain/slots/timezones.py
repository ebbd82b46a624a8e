"""IANA time zone names, as shipped by the ``tzdata`` package (not whatever the host has)."""

from __future__ import annotations

import functools
from importlib import resources

# tzdata lists "Factory", a placeholder zone that means "not configured"; no person lives there.
NOT_REAL = frozenset({"Factory"})


@functools.cache
def zone_names() -> frozenset[str]:
    names = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(names) - NOT_REAL


def is_iana_zone(name: str) -> bool:
    return name in zone_names()
