from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import json_response, route
from chalicelib.domain.errors import DependencyUnavailableError

bp = Blueprint(__name__)


@route(
    bp,
    "/health",
    op=Operation(
        "Liveness and DynamoDB check", "operations", response="HealthResponse", auth=False, errors=(503,)
    ),
    methods=["GET"],
)
def health() -> Response:
    from chalicelib.bootstrap import container

    try:
        container().repo.check()
    except DependencyUnavailableError as error:
        body = {
            "status": "unavailable",
            "checks": {"dynamodb": "unavailable"},
            "error": {"code": error.code, "message": f"dynamodb: {error.message}"},
        }
        return json_response(body, status=503, headers={"Retry-After": str(error.retry_after_seconds or 2)})
    return json_response({"status": "ok", "checks": {"dynamodb": "ok"}})
