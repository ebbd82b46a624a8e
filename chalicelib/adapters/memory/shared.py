"""Fakes of the ports every area shares: a clock to move, sealed links, tokens issued and verified."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.adapters.local_issuer import TOKEN_LIFETIME_SECONDS, local_sub
from chalicelib.domain.errors import AuthenticationError, SealedLinkError
from chalicelib.domain.provider import Identity
from chalicelib.services.shared import Clock, LinkSealer, TokenIssuer, Tokens, TokenVerifier

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


class MemoryTokens(TokenIssuer, TokenVerifier):
    """Signs in by email as the local issuer does (the same email, the same subject); the tokens
    are opaque and only this object knows them."""

    def __init__(self) -> None:
        self._identities: dict[str, Identity] = {}

    def issue(self, email: str, name: str, google_sub: str | None = None) -> Tokens:
        sub = local_sub(email, google_sub)
        id_token, access_token = f"memory-id-{secrets.token_hex(8)}", f"memory-access-{secrets.token_hex(8)}"
        google = () if google_sub is None else (google_sub,)
        self._identities[id_token] = Identity(sub, email, name, "id", google_subjects=google)
        self._identities[access_token] = Identity(sub=sub, email=None, name=None, token_use="access")
        return Tokens(id_token, access_token, "Bearer", TOKEN_LIFETIME_SECONDS)

    def jwks(self) -> dict[str, Any]:
        return {"keys": []}  # nothing to check a signature with: the tokens are not signed

    def verify(self, token: str) -> Identity:
        identity = self._identities.get(token)
        if identity is None:
            raise AuthenticationError("The token is not valid.")
        return identity
