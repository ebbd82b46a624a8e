"""What a provider offers: categories, services and the hours they can be booked in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Caps keep the whole catalog inside one DynamoDB Query page (1 MB), so the public page is
# always one GetItem + one Query. A service item is under 1.5 KB, so 200 + 50 stay far below.
MAX_CATEGORIES = 50
MAX_SERVICES = 200
# What an update may change (every store refuses any other field): ids, owners and creation stay.
CATEGORY_CHANGES = frozenset({"name", "position", "updated_at"})
SERVICE_CHANGES = frozenset(
    {
        "name",
        "description",
        "duration_minutes",
        "price",
        "currency",
        "category_id",
        "visible",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "updated_at",
    }
)


@dataclass
class Category:
    id: str
    provider_id: str
    name: str
    position: int = 0
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Service:
    id: str
    provider_id: str
    name: str
    duration_minutes: int
    price: Decimal
    currency: str
    description: str = ""
    category_id: str | None = None
    visible: bool = True
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class TimeRange:
    start: str
    end: str


@dataclass(frozen=True)
class WeeklyInterval:
    day: str
    start: str
    end: str


@dataclass
class Availability:
    """Weekly hours as wall-clock times in ``timezone``, which is the provider's profile zone."""

    timezone: str
    weekly: list[WeeklyInterval] = field(default_factory=list)
    updated_at: str = ""


@dataclass
class DateOverride:
    """Hours that replace the weekly ones on one local date; no intervals means closed."""

    day: str
    intervals: list[TimeRange] = field(default_factory=list)
    updated_at: str = ""

    @property
    def closed(self) -> bool:
        return not self.intervals
