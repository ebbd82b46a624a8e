"""Ports and values every area of the services shares: time, ids, pages, tokens, health, links."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from chalicelib.domain.booking.appointments import iso_z
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity

T = TypeVar("T")
Changes = dict[str, Any]


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...

    def stamp(self) -> str:
        """Now as stored: UTC, ISO 8601 to the second with ``Z``, the one format every stored
        instant has (iso_z; docs/access-patterns.md)."""
        return iso_z(self.now())


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class IdGenerator(abc.ABC):
    @abc.abstractmethod
    def new_id(self) -> str: ...


class SortableIds(IdGenerator):
    def new_id(self) -> str:
        return new_id()


class TokenVerifier(abc.ABC):
    @abc.abstractmethod
    def verify(self, token: str) -> Identity:
        """Return the identity of a valid token; raise AuthenticationError otherwise."""


@dataclass(frozen=True)
class Tokens:
    """What signing in gives: the tokens a TokenVerifier accepts, and for how long."""

    id_token: str
    access_token: str
    token_type: str
    expires_in: int  # seconds


class TokenIssuer(abc.ABC):
    """Signs tokens itself (the local stage only: elsewhere Cognito does)."""

    @abc.abstractmethod
    def issue(self, email: str, name: str, google_sub: str | None = None) -> Tokens:
        """Tokens for ``email``; with ``google_sub``, of a user signed in with that Google account."""

    @abc.abstractmethod
    def jwks(self) -> dict[str, Any]:
        """The public keys its tokens are checked with (a JWKS document)."""


class HealthProbe(abc.ABC):
    @abc.abstractmethod
    def check(self) -> None:
        """Raise DependencyUnavailableError when the dependency does not answer."""


class LinkSealer(abc.ABC):
    """Keeps a client's manage token unreadable at rest, yet recoverable for their emails."""

    @abc.abstractmethod
    def seal(self, appointment_id: str, token: str) -> str:
        """The token sealed to this appointment, as text fit for an item attribute."""

    @abc.abstractmethod
    def open(self, appointment_id: str, sealed: str) -> str:
        """The token back; SealedLinkError when it cannot be opened (another key, tampered)."""
