"""Fakes of the ports every area shares: a clock to move, sealed links, verified tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.errors import AuthenticationError, SealedLinkError
from chalicelib.domain.provider import Identity
from chalicelib.services.shared import Clock, LinkSealer, TokenVerifier

SEALED = "memory:"


class MovableClock(Clock):
    """Stands still until told to move."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class MemoryLinkSealer(LinkSealer):
    """Bound to its appointment like the real sealers (a copy on another booking does not open);
    readable, which only a fake may be."""

    def seal(self, appointment_id: str, token: str) -> str:
        return f"{SEALED}{appointment_id}:{token}"

    def open(self, appointment_id: str, sealed: str) -> str:
        prefix = f"{SEALED}{appointment_id}:"
        if not sealed.startswith(prefix):
            raise SealedLinkError("This link was not sealed for this appointment.")
        return sealed[len(prefix) :]


class MemoryVerifier(TokenVerifier):
    """Tokens handed out by ``token_for``; any other is refused."""

    def __init__(self) -> None:
        self._identities: dict[str, Identity] = {}

    def token_for(self, identity: Identity) -> str:
        token = f"memory-token-{len(self._identities)}"
        self._identities[token] = identity
        return token

    def verify(self, token: str) -> Identity:
        identity = self._identities.get(token)
        if identity is None:
            raise AuthenticationError("The token is not valid.")
        return identity
