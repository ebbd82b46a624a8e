"""The service provider: the tenant every other item belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_TIMEZONE = "UTC"


@dataclass
class BookingPolicy:
    min_notice_minutes: int = 60
    max_advance_days: int = 60
    slot_interval_minutes: int = 30
    cancellation_notice_minutes: int = 1440
    reminder_offsets_minutes: list[int] = field(default_factory=lambda: [1440, 60])


@dataclass
class Provider:
    id: str
    email: str | None
    name: str
    timezone: str = DEFAULT_TIMEZONE
    slug: str | None = None
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Identity:
    """Who is calling, as established by a verified token."""

    sub: str
    email: str | None
    name: str | None
    token_use: str
