"""Errors -> HTTP status and the JSON error body of API.md, by exception type."""

from __future__ import annotations

from typing import Any

from chalice import Response

from chalicelib.domain import errors as domain


class BadRequestError(domain.DomainError):
    code = "bad_request"


class MalformedJsonError(BadRequestError):
    code = "malformed_json"


class PayloadTooLargeError(domain.DomainError):
    code = "payload_too_large"


STATUS_BY_TYPE: list[tuple[type[domain.DomainError], int]] = [
    (BadRequestError, 400),
    (domain.InvalidCursorError, 400),
    (domain.AuthenticationError, 401),
    (domain.PermissionDeniedError, 403),
    (domain.NotFoundError, 404),
    (domain.ConflictError, 409),
    (PayloadTooLargeError, 413),
    (domain.ValidationError, 422),
    (domain.RateLimitedError, 429),
    (domain.DependencyUnavailableError, 503),
]

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "dependency_unavailable",
    504: "timeout",
}


def status_for(error: domain.DomainError) -> int:
    for error_type, status in STATUS_BY_TYPE:
        if isinstance(error, error_type):
            return status
    return 500


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    message: str,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        body=error_body(code or CODE_BY_STATUS.get(status, "error"), message, details),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def to_response(error: domain.DomainError) -> Response:
    headers: dict[str, str] = {}
    if isinstance(error, domain.AuthenticationError):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    if error.retry_after_seconds is not None:
        headers["Retry-After"] = str(max(1, error.retry_after_seconds))
    return error_response(status_for(error), error.message, error.code, error.details, headers)


def internal_error() -> Response:
    return error_response(500, "An internal error occurred; it has been logged.")
