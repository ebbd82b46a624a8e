"""What a provider offers: services and the weekly hours they can be booked in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
class WeeklyInterval:
    day: str
    start: str
    end: str


@dataclass
class Availability:
    timezone: str
    weekly: list[WeeklyInterval] = field(default_factory=list)
    updated_at: str = ""
