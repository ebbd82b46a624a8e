"""CORS preflight for every route, answered by the app for the configured origins only."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response

from chalicelib.api.errors import error_response
from chalicelib.api.middleware import CORS_ALLOW_HEADERS
from chalicelib.config import Settings

MAX_AGE_SECONDS = "600"


def install_preflight(app: Chalice, settings: Callable[[], Settings]) -> None:
    for path, methods in list(app.routes.items()):
        if "OPTIONS" in methods:
            continue
        allowed = ", ".join(sorted(methods))

        def preflight(allowed: str = allowed, **_params: str) -> Response:
            request = app.current_request
            origin = request.headers.get("origin", "") if request is not None else ""
            if origin not in settings().allowed_origins:
                return error_response(403, "This origin is not allowed.")
            return Response(
                body="",
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": allowed,
                    "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
                    "Access-Control-Max-Age": MAX_AGE_SECONDS,
                    "Vary": "Origin",
                },
            )

        app.route(path, methods=["OPTIONS"], name=f"preflight_{_name(path)}")(preflight)


def _name(path: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in path)
    return cleaned.strip("_") or "root"
