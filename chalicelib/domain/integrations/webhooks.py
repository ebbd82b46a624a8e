"""Webhook endpoints: where a provider's events are pushed, and the rules a new one must meet.

An endpoint is a URL (untrusted input: checked by the outbound guard when it is saved and again
at every send), the events it wants (at least one, from :data:`EVENTS`) and a description. Its
signing secret is stored sealed (the same sealer as calendar passwords) and answered only when
made or rotated. After a rotation the secret it replaced keeps signing until ``previous_until``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from chalicelib.domain.errors import ValidationError

# The events an endpoint may want, the one list of them (the API's schema takes this type).
EventName = Literal[
    "booking.created",
    "booking.confirmed",
    "booking.declined",
    "booking.rescheduled",
    "booking.cancelled",
    "booking.completed",
    "booking.no_show",
    "client.erased",
]
EVENTS: tuple[str, ...] = get_args(EventName)
TEST_EVENT = "webhook.test"
# Why an endpoint is disabled: it failed for DISABLE_AFTER (webhook_retries), or its owner said so.
DISABLED_FAILING = "failing"
DISABLED_BY_PROVIDER = "by_provider"
MAX_WEBHOOKS = 10  # per provider
MAX_DESCRIPTION = 200
ANSWER_SHOWN_BYTES = 1024  # of a test send's answer
TEST_TIMEOUT_SECONDS = 10.0
READ_AT_MOST = 64 * 1024  # an endpoint's answer is read up to this, the rest ignored


@dataclass(frozen=True)
class Webhook:
    id: str
    provider_id: str
    url: str
    events: tuple[str, ...]
    description: str
    created_at: str
    updated_at: str
    sealed_secret: str
    sealed_previous_secret: str | None = None
    previous_until: str | None = None  # until when the previous secret still signs
    # Health: since when every attempt has failed (None: the last one was delivered), and when
    # and why the endpoint was disabled (None: it is enabled; nothing is sent to it while not).
    failing_since: str | None = None
    disabled_at: str | None = None
    disabled_reason: str | None = None

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


def seal_context(webhook_id: str) -> str:
    """What a webhook's secret is sealed to: it opens for this endpoint only."""
    return f"webhook#{webhook_id}"


def checked_events(events: list[str]) -> tuple[str, ...]:
    """At least one known event, each once, in the order of :data:`EVENTS`; else a 422 on events."""
    unknown = [event for event in events if event not in EVENTS]
    if unknown:
        raise _invalid("events", "unknown_event", f"unknown event {unknown[0]!r}; one of {', '.join(EVENTS)}")
    if not events:
        raise _invalid("events", "required", "at least one event")
    if len(set(events)) != len(events):
        raise _invalid("events", "duplicate", "each event at most once")
    return tuple(event for event in EVENTS if event in events)


def refused_url(reason: str, message: str) -> ValidationError:
    """The 422 a URL the outbound guard refuses gets, with the guard's reason as its code."""
    return _invalid("url", reason, message)


def _invalid(field: str, code: str, message: str) -> ValidationError:
    detail: dict[str, Any] = {"field": field, "code": code, "message": message}
    return ValidationError(f"The webhook's {field} is not valid.", [detail])
