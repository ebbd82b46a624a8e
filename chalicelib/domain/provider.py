"""The service provider: the tenant every other item belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_TIMEZONE = "UTC"
SLUG_PATTERN = r"^[a-z0-9-]{3,40}$"
# Path words under /public that a scheduling page address would shadow.
RESERVED_SLUGS = frozenset({"bookings"})

# Booking policy bounds (API.md): the request models and the docs read them from here.
MAX_NOTICE_MINUTES = 43_200  # 30 days, for both booking and cancellation notice
MIN_ADVANCE_DAYS, MAX_ADVANCE_DAYS = 1, 730
MIN_SLOT_INTERVAL, MAX_SLOT_INTERVAL, SLOT_INTERVAL_STEP = 5, 240, 5
MIN_REMINDER_MINUTES, MAX_REMINDER_MINUTES, MAX_REMINDERS = 5, 10_080, 3


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
    # Whether the stage's sign-up policy lets this caller become a provider (checked only when
    # they have no profile yet).
    may_sign_up: bool = True
