"""Cross-cutting HTTP behaviour: request ids, body limits, error shape, headers, CORS, logs."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice import Response
from chalice.app import Request

from chalicelib.api import errors
from chalicelib.config import Settings
from chalicelib.domain.photo import MAX_PHOTO_BYTES
from chalicelib.observability import count, flush_metrics, logger

REQUEST_ID_HEADER = "X-Request-Id"
MAX_BODY_BYTES = 64 * 1024
# Routes that take a file, not JSON, on the local stage: their own bound (the photo's upload
# target; in AWS the file goes to S3 and the route answers 404, so it keeps the JSON bound).
LOCAL_BODY_LIMITS = {"/photo-uploads/{provider_id}/{upload_id}": MAX_PHOTO_BYTES}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
HTML_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key"
CORS_EXPOSE_HEADERS = f"{REQUEST_ID_HEADER}, Retry-After"

# Chalice answers some failures itself with {"Code": ..., "Message": ...}: 405, 415, 400, 500.
CHALICE_MESSAGES = {
    405: "This method is not allowed on this path.",
    415: "Send the body as application/json.",
}


def request_id_of(request: Request | None) -> str:
    if request is not None:
        rid = (request.context or {}).get("requestId")
        if rid:
            return str(rid)
        ctx = request.lambda_context
        if ctx is not None and getattr(ctx, "aws_request_id", None):
            return str(ctx.aws_request_id)
    return str(uuid.uuid4())


def _body_size(request: Request) -> int:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        return int(declared)
    return len(request.raw_body or b"")


def _normalize_chalice_error(response: Response) -> Response:
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "error" in body:
        return response
    if set(body) != {"Code", "Message"}:
        return response
    status = response.status_code
    message = CHALICE_MESSAGES.get(status) or str(body.get("Message") or "Request failed.")
    if status >= 500:
        message = "An internal error occurred; it has been logged."
    normalized = errors.error_response(status, message)
    for name, value in response.headers.items():
        if name.lower() == "allow":
            normalized.headers["Allow"] = value
    return normalized


def _content_type(response: Response) -> str:
    for name, value in response.headers.items():
        if name.lower() == "content-type":
            return str(value)
    return "application/json"


def _add_headers(response: Response, request_id: str) -> None:
    response.headers[REQUEST_ID_HEADER] = request_id
    own_csp = str(response.headers.get("Content-Security-Policy", ""))
    framable = bool(own_csp) and "frame-ancestors 'none'" not in own_csp
    for name, value in SECURITY_HEADERS.items():
        # A page whose own policy names who may frame it (an embedded booking page) goes without
        # X-Frame-Options: DENY there would override the policy in the browsers that honour both.
        if not (framable and name == "X-Frame-Options"):
            response.headers.setdefault(name, value)
    if _content_type(response).startswith("text/html"):
        response.headers.setdefault("Content-Security-Policy", HTML_CSP)
    else:
        response.headers.setdefault("Content-Security-Policy", JSON_CSP)
    if _content_type(response).startswith("application/json"):
        response.headers.setdefault("Cache-Control", "no-store")


def add_cors(response: Response, request: Request, allowed_origins: tuple[str, ...]) -> None:
    origin = request.headers.get("origin")
    if origin and origin in allowed_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    response.headers["Vary"] = "Origin"


def make_http_middleware(settings: Callable[[], Settings]) -> Callable[[Request, Any], Response]:
    def http_middleware(request: Request, get_response: Callable[[Request], Response]) -> Response:
        started = time.perf_counter()
        request_id = request_id_of(request)
        logger.thread_safe_append_keys(request_id=request_id, path=request.path, method=request.method)
        try:
            limit = (
                LOCAL_BODY_LIMITS.get(request.path, MAX_BODY_BYTES) if settings().is_local else MAX_BODY_BYTES
            )
            if _body_size(request) > limit:
                response = errors.error_response(413, f"The body is larger than {limit // 1024:,} KB.")
            else:
                response = _normalize_chalice_error(get_response(request))
            _add_headers(response, request_id)
            add_cors(response, request, settings().allowed_origins)
            if response.status_code >= 500:
                count("ServerErrors")
            logger.info(
                "request",
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            flush_metrics()
            logger.thread_safe_clear_keys()

    return http_middleware
