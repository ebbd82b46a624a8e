"""A provider's clients: who booked, found by email, erasable on request."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, CANCELLED, STATUSES
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.phones import phone_digits

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
# Before that, a text written like a phone number with at least MIN_PHONE_SEARCH digits searches
# phones by those digits, anywhere in the number: "5550100" and "555-0100" find "+1 212-555-0100".
MIN_PHONE_SEARCH = 4
_PHONE_QUERY = re.compile(r"\(?\+?[0-9 ().-]+")
# A name is searched by each of its words: the name from that word on ("Ana Maria Silva" is found
# by "ana", "maria s" and "silva"). Words past the first few of a long name are not searchable.
MAX_SEARCH_WORDS = 8
_WORD = re.compile(r"\w+")


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


def apply_client_changes(client: Client, changes: Mapping[str, Any]) -> Client:
    """``client`` with ``changes`` of CLIENT_CHANGES (None clears a text); ValueError for others."""
    unknown = set(changes) - CLIENT_CHANGES
    if unknown:
        raise ValueError(f"not client fields: {sorted(unknown)}")
    values: dict[str, Any] = {name: "" if value is None else value for name, value in changes.items()}
    return replace(client, **values)


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


def fold(text: str) -> str:
    """Text as searches compare it: accents dropped ("José" -> "jose"), any case, other scripts kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_search_text(text: str) -> str:
    """A search text as name keys hold names: folded words joined by one space ("" if none)."""
    return " ".join(_WORD.findall(fold(text)))


def name_tails(name: str) -> list[str]:
    """The name from each of its words on, folded: what a name search finds it by."""
    words = _WORD.findall(fold(name))
    tails = [" ".join(words[start:]) for start in range(min(len(words), MAX_SEARCH_WORDS))]
    return list(dict.fromkeys(tails))


def phone_suffixes(phone: str) -> list[str]:
    """The number's digits from each place on, as long as MIN_PHONE_SEARCH digits are left: a
    search by digits is a prefix of one of them wherever in the number those digits are."""
    digits = phone_digits(phone)
    return list(dict.fromkeys(digits[start:] for start in range(len(digits) - MIN_PHONE_SEARCH + 1)))


def search_keys(client: Client) -> tuple[list[str], list[str]]:
    """The name tails and phone suffixes a client is found by; none once erased."""
    if client.erased:
        return [], []
    return name_tails(client.name), phone_suffixes(client.phone)


def searches_phone(text: str) -> bool:
    """Whether a search text is some digits of a phone number (see above)."""
    return _PHONE_QUERY.fullmatch(text) is not None and len(phone_digits(text)) >= MIN_PHONE_SEARCH


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
