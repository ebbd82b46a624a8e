"""A provider's clients: who booked, found by email, erasable on request."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, CANCELLED, STATUSES
from chalicelib.domain.errors import ConflictError

ERASED_NAME = "Erased client"

# Bounds of what a provider may set (API.md); the request models read them from here.
MAX_NAME = 100
MAX_NOTES = 2000
MAX_QUERY = 100
# What an update may change: the email only moves with its claim, erasure is its own write.
CLIENT_CHANGES = frozenset({"name", "phone", "notes", "updated_at"})

# A search text is read as the start of an email when it has an "@", or when it is one word made
# of characters an email's local part uses and holds one that names rarely do (digit . _ % +).
# "ana" and "Anne-Marie" search names; "ana@", "ana.silva" and "ana85" search emails.
_EMAIL_START = re.compile(r"[A-Za-z0-9._%+-]+")
_EMAIL_HINT = re.compile(r"[0-9._%+]")


class ClientErasedError(ConflictError):
    """The client's personal data was erased; the anonymous record cannot be edited."""

    code = "client_erased"


class ClientEmailTakenError(ConflictError):
    """Another client of this provider already has this email."""

    code = "client_email_taken"


@dataclass(frozen=True)
class ClientDetails:
    """What a person gives when booking."""

    name: str
    email: str
    phone: str = ""

    @property
    def email_key(self) -> str:
        return self.email.strip().lower()


@dataclass(frozen=True)
class Client:
    id: str
    provider_id: str
    name: str
    email: str | None
    phone: str = ""
    notes: str = ""
    timezone: str = ""
    erased: bool = False
    created_at: str = ""
    updated_at: str = ""


def erased(client: Client, now: str) -> Client:
    """The anonymous record left after erasure: the id stays, so appointments still point at it."""
    return replace(
        client,
        name=ERASED_NAME,
        email=None,
        phone="",
        notes="",
        timezone="",
        erased=True,
        updated_at=now,
    )


def searches_email(text: str) -> bool:
    """Whether a search text is the start of an email rather than of a name (see above)."""
    if "@" in text:
        return True
    return _EMAIL_START.fullmatch(text) is not None and _EMAIL_HINT.search(text) is not None


@dataclass(frozen=True)
class Visit:
    """What the history summary needs of one appointment."""

    status: str
    start: datetime


@dataclass(frozen=True)
class ClientHistory:
    """Counts by status; the last appointment that was not cancelled, the next one still on."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    last_start: datetime | None = None
    next_start: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def of(cls, visits: Iterable[Visit], now: datetime) -> ClientHistory:
        counts = dict.fromkeys(STATUSES, 0)
        past: list[datetime] = []
        upcoming: list[datetime] = []
        for visit in visits:
            if visit.status not in counts:
                continue  # a status this code does not know yet is not guessed at
            counts[visit.status] += 1
            if visit.start < now and visit.status != CANCELLED:
                past.append(visit.start)
            elif visit.start >= now and visit.status in ACTIVE_STATUSES:
                upcoming.append(visit.start)
        return cls(counts, max(past, default=None), min(upcoming, default=None))
