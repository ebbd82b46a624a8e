"""Errors the services raise. The API maps them to HTTP by type, never by message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"
    # Seconds after which asking again may work, sent as Retry-After (None: do not ask again).
    retry_after_seconds: int | None = None

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class ValidationError(DomainError):
    """Field errors: every detail has ``field``, ``code`` and ``message`` (API.md)."""

    code = "validation_failed"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, [{"code": "invalid", **detail} for detail in details or []])


class AuthenticationError(DomainError):
    code = "unauthorized"


class PermissionDeniedError(DomainError):
    code = "forbidden"


class SignUpNotAllowedError(PermissionDeniedError):
    """The stage's sign-up policy does not let this address become a provider."""

    code = "signup_not_allowed"


class RateLimitedError(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class DependencyUnavailableError(DomainError):
    code = "dependency_unavailable"
    retry_after_seconds: int | None = 2


class CalendarBusyError(DependencyUnavailableError):
    """A write kept meeting concurrent changes that say nothing about the slot: try again soon."""

    code = "calendar_busy"


class MailerUnavailableError(DependencyUnavailableError):
    """The mail service could not take the message now; sending it again later may work."""

    code = "mailer_unavailable"


class NotificationDeferredError(DependencyUnavailableError):
    """A notification could not go out now; the caller lets its event be delivered again later."""

    code = "notification_deferred"


class SealedLinkError(DomainError):
    """A sealed manage-link token could not be opened (another key, or damaged)."""

    code = "sealed_link_unreadable"


class MessageRejectedError(DomainError):
    """The mail service refused this message for good; sending it again will not help."""

    code = "message_rejected"


class InvalidCursorError(DomainError):
    """A pagination cursor that this service did not issue for this list."""

    code = "invalid_cursor"


class SlugTakenError(ConflictError):
    code = "slug_taken"


class LimitReachedError(ConflictError):
    code = "limit_reached"


class ServiceInUseError(ConflictError):
    code = "service_has_future_appointments"


class ConcurrentChangeError(ConflictError):
    """What was read changed before the write; reading again and retrying may succeed."""

    code = "concurrent_change"
