"""What the integration use cases need: the notices sent about an appointment, API keys, webhooks."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from chalicelib.domain.integrations.api_keys import ApiKey, KeyGrant
from chalicelib.domain.integrations.webhooks import Webhook


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


class WebhookStore(abc.ABC):
    """A provider's webhook endpoints, in her partition (erased with her)."""

    @abc.abstractmethod
    def add_webhook(self, webhook: Webhook) -> None:
        """Keep a new endpoint."""

    @abc.abstractmethod
    def list_webhooks(self, provider_id: str) -> list[Webhook]:
        """The provider's endpoints, by id."""

    @abc.abstractmethod
    def get_webhook(self, provider_id: str, webhook_id: str) -> Webhook | None:
        """The endpoint, or None when the provider has no such endpoint."""

    @abc.abstractmethod
    def save_webhook(self, webhook: Webhook) -> None:
        """Replace an endpoint that exists (NotFoundError when it was deleted meanwhile)."""

    @abc.abstractmethod
    def delete_webhook(self, provider_id: str, webhook_id: str) -> None:
        """Forget the endpoint (NotFoundError when the provider has no such endpoint)."""

    @abc.abstractmethod
    def mark_failing(self, provider_id: str, webhook_id: str, since: str) -> None:
        """An attempt failed: ``failing_since`` becomes ``since`` unless it is set already (a
        deleted endpoint is left deleted)."""

    @abc.abstractmethod
    def mark_healthy(self, provider_id: str, webhook_id: str) -> None:
        """An attempt was delivered: ``failing_since`` is cleared."""

    @abc.abstractmethod
    def disable(self, provider_id: str, webhook_id: str, reason: str, at: str) -> bool:
        """Disable the endpoint; True only for the call that disabled it (not when it was
        disabled already or is gone), so whatever follows a disabling happens once."""


@dataclass(frozen=True)
class SendAnswer:
    """What an endpoint answered: its status, how long it took, the first bytes of its body."""

    status: int
    duration_ms: float
    body: bytes
    retry_after: str | None = None  # the answer's Retry-After header, as written


class WebhookSender(abc.ABC):
    """Posts to an endpoint through the outbound guard; refusals and failures are
    :class:`chalicelib.domain.outbound.OutboundRefusedError`."""

    @abc.abstractmethod
    def check_address(self, url: str) -> None:
        """Whether the URL may be sent to at all: its form and every address its host resolves to."""

    @abc.abstractmethod
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendAnswer:
        """One POST, no redirect followed, the answer read up to 64 KB."""


@dataclass(frozen=True)
class StoredMessage:
    """What was claimed for an endpoint: the event as it was signed and sent the first time."""

    event_id: str
    event_type: str
    body: bytes


@dataclass(frozen=True)
class DueRetry:
    """A delivery whose next attempt is due at ``due`` (its first attempt was at ``first_at``)."""

    provider_id: str
    webhook_id: str
    event_id: str
    due: str
    first_at: str


@dataclass(frozen=True)
class DeliveryAttempt:
    """One send of one event to one endpoint, as the deliveries list shows it."""

    webhook_id: str
    event_id: str
    event_type: str
    status: str  # delivered | failed | pending
    attempt: int
    duration_ms: float
    response_code: int | None
    response_body: str  # the answer's first 1 KB
    at: str


class DeliveryLedger(abc.ABC):
    """Each (event, endpoint)'s marker, so that a replayed stream record sends nothing twice."""

    @abc.abstractmethod
    def claim(self, provider_id: str, webhook_id: str, message: StoredMessage, now: str) -> bool:
        """Take the event for this endpoint, keeping its message (so a retry sends the very same
        webhook-id and body); False when it was taken before (sent or being sent)."""

    @abc.abstractmethod
    def record(self, provider_id: str, attempt: DeliveryAttempt) -> None:
        """Keep what an attempt did (the marker's status follows it)."""

    @abc.abstractmethod
    def attempts_of(self, provider_id: str, webhook_id: str, event_id: str) -> list[DeliveryAttempt]:
        """The delivery's attempts, oldest first (empty when it was never claimed)."""

    @abc.abstractmethod
    def schedule(
        self, provider_id: str, webhook_id: str, event_id: str, due: str | None, first_at: str | None
    ) -> None:
        """The delivery's next attempt is at ``due``, its first having been at ``first_at``
        (``due`` None: none waits, it is delivered or given up; a delivery gone is left gone)."""

    @abc.abstractmethod
    def due_retries(self, now: str, limit: int) -> list[DueRetry]:
        """Deliveries whose next attempt is due at ``now`` or before, soonest first."""

    @abc.abstractmethod
    def take(self, retry: DueRetry, lease_until: str) -> bool:
        """Hold the due attempt until ``lease_until`` (a sweep that dies holding it frees it
        then); False when another sweep took or changed it first: only one sends it."""

    @abc.abstractmethod
    def message_of(self, provider_id: str, webhook_id: str, event_id: str) -> StoredMessage | None:
        """The message claimed for this endpoint; None when it was never claimed (or has expired)."""

    @abc.abstractmethod
    def recent(self, provider_id: str, webhook_id: str, limit: int) -> list[DeliveryAttempt]:
        """The endpoint's last ``limit`` attempts, newest first (the deliveries it was claimed for
        newest first, each one's attempts newest first)."""
