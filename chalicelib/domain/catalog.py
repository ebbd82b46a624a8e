"""What a provider offers: categories, services and the hours they can be booked in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from chalicelib.domain.phones import is_phone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Caps keep the catalog of almost every provider inside one DynamoDB Query page (1 MB), so the
# public page is one GetItem + one Query. A service item is under 1.5 KB without questions and
# own hours; with the most of both allowed it is about 10 KB, and a catalog of many such services
# takes a second page (docs/access-patterns.md).
MAX_CATEGORIES = 50
MAX_SERVICES = 200

# Who may see and book a service: listed on the public page and bookable; bookable through its
# own link only; nobody but the provider.
PUBLIC, UNLISTED, HIDDEN = "public", "unlisted", "hidden"
VISIBILITIES = (PUBLIC, UNLISTED, HIDDEN)

# Where an appointment takes place. An address or a note is public; a phone number or a video
# link is given to booked clients only (their confirmation, manage page and reminders).
LOCATION_TYPES = ("address", "phone", "video", "note")
PUBLIC_LOCATION_TYPES = frozenset({"address", "note"})
MAX_LOCATION = 500

# Intake questions a booking answers (chalicelib/domain/booking/answers.py checks the answers).
QUESTION_TYPES = ("text", "long_text", "choice", "checkbox")
MAX_QUESTIONS = 10
QUESTION_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MAX_LABEL = 200
MAX_OPTIONS = 20
MAX_OPTION = 100
MAX_TEXT_ANSWER = 200
MAX_LONG_ANSWER = 2000

# A service's own cap of appointments per day, and the profile's (null: no cap).
MAX_PER_DAY = 200
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
        "visibility",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "location",
        "questions",
        "min_notice_minutes",
        "max_advance_days",
        "slot_interval_minutes",
        "max_per_day",
        "requires_approval",
        "updated_at",
    }
)
# The per-service booking rules: each null falls back to the profile's.
SERVICE_RULES = ("min_notice_minutes", "max_advance_days", "slot_interval_minutes", "max_per_day")


@dataclass
class Category:
    id: str
    provider_id: str
    name: str
    position: int = 0
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Location:
    type: str  # one of LOCATION_TYPES
    value: str

    @property
    def public(self) -> bool:
        """Whether anyone may see it; a phone number or a video link is for booked clients."""
        return self.type in PUBLIC_LOCATION_TYPES


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    type: str  # one of QUESTION_TYPES
    required: bool = False
    options: tuple[str, ...] = ()  # the choices of a "choice" question


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
    # ``visible`` is the older form of ``visibility`` (true: public, false: hidden), kept in step
    # with it: a service is visible when clients may book it, listed or not.
    visible: bool = True
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    created_at: str = ""
    updated_at: str = ""
    visibility: str = ""  # "" reads ``visible``
    location: Location | None = None
    questions: list[Question] = field(default_factory=list)
    # Booking rules of this service; None: the profile's (max_per_day None: the profile's cap only).
    min_notice_minutes: int | None = None
    max_advance_days: int | None = None
    slot_interval_minutes: int | None = None
    max_per_day: int | None = None
    # Its own weekly hours, in the profile's zone; None: the provider's weekly hours.
    hours: list[WeeklyInterval] | None = None
    # A client's booking is a request (pending, holding its time) until the provider answers.
    requires_approval: bool = False

    def __post_init__(self) -> None:
        if not self.visibility:
            self.visibility = PUBLIC if self.visible else HIDDEN
        self.visible = self.visibility != HIDDEN

    @property
    def listed(self) -> bool:
        """Shown on the public page (an unlisted one is booked through its own link)."""
        return self.visibility == PUBLIC


def visibility_changes(changes: dict[str, object]) -> dict[str, object]:
    """An update's ``visible``/``visibility`` as both fields, so that they stay in step."""
    if "visibility" in changes:
        return {**changes, "visible": changes["visibility"] != HIDDEN}
    if "visible" in changes:
        return {**changes, "visibility": PUBLIC if changes["visible"] else HIDDEN}
    return changes


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


@dataclass(frozen=True)
class TimeOff:
    """Local dates ``first``..``last`` (inclusive) closed for every service."""

    id: str
    first: date
    last: date
    reason: str = ""
    created_at: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


MAX_TIME_OFF = 100  # ranges a provider keeps (delete old ones to add more)
MAX_TIME_OFF_DAYS = 366


def location_problems(location: Location | None) -> list[dict[str, str]]:
    """A phone location is a phone number; a video location an https link."""
    if location is None:
        return []
    value = location.value
    if location.type == "phone" and not is_phone(value):
        return [{"field": "location.value", "code": "invalid_phone", "message": "must be a phone number"}]
    if location.type == "video" and not re.fullmatch(r"https://[^\s/]+\.[^\s]*", value):
        return [{"field": "location.value", "code": "invalid_link", "message": "must be an https:// link"}]
    return []


def question_problems(questions: list[Question]) -> list[dict[str, str]]:
    """Keys are unique; a choice offers 2 or more distinct options, other types none."""
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, question in enumerate(questions):
        where = f"questions.{index}"
        if question.key in seen:
            problems.append({"field": f"{where}.key", "code": "duplicate_key", "message": "already used"})
        seen.add(question.key)
        options = question.options
        if question.type == "choice" and (len(options) < 2 or len(set(options)) != len(options)):
            message = "a choice needs at least 2 distinct options"
            problems.append({"field": f"{where}.options", "code": "invalid_options", "message": message})
        if question.type != "choice" and options:
            message = "only a choice has options"
            problems.append({"field": f"{where}.options", "code": "unexpected_options", "message": message})
    return problems
