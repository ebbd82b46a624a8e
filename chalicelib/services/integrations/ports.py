"""What the integration use cases need: the notices sent about an appointment, and API keys."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from chalicelib.domain.integrations.api_keys import ApiKey, KeyGrant


@dataclass(frozen=True)
class SentNotice:
    """One email about an appointment and where it stands (``sent``, ``failed``, ...)."""

    kind: str
    recipient: str
    sequence: int
    offset_minutes: int | None
    status: str


class NoticeHistory(abc.ABC):
    @abc.abstractmethod
    def notices_of(self, appointment_id: str) -> list[SentNotice]:
        """Every email of the appointment the ledger still holds, by kind, sequence, recipient."""


class ApiKeyStore(abc.ABC):
    """Keys are kept by the SHA-256 of their text: the text itself is never stored."""

    @abc.abstractmethod
    def add_key(self, key: ApiKey) -> None:
        """Keep a new key (its listing record and its lookup by hash, together)."""

    @abc.abstractmethod
    def list_keys(self, provider_id: str) -> list[ApiKey]:
        """The provider's keys, with when each was last used."""

    @abc.abstractmethod
    def revoke_key(self, provider_id: str, key_id: str) -> None:
        """Forget the key at once (NotFoundError when the provider has no such key)."""

    @abc.abstractmethod
    def grant_of(self, key_hash: str) -> KeyGrant | None:
        """Whom the key acts for and what it may do (strongly consistent: a revoked key is gone)."""

    @abc.abstractmethod
    def touch(self, grant: KeyGrant, now: str) -> None:
        """Record a use at ``now`` (stored only when the last one recorded is older than that)."""
