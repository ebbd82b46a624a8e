"""GET /openapi.json: built once per process from the routes and models (see openapi_doc)."""

from __future__ import annotations

import functools
from typing import Any

from chalice import Blueprint, Chalice, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import json_response, route

bp = Blueprint(__name__)


@functools.cache
def document(app: Chalice) -> dict[str, Any]:
    """The document of ``app``, built on its first request (the routes do not change after)."""
    from chalicelib.api import openapi_doc

    return openapi_doc.build(app.routes)


@route(
    bp,
    "/openapi.json",
    op=Operation("This OpenAPI 3.1 document", "operations", auth=False),
    methods=["GET"],
)
def openapi_document() -> Response:
    return json_response(document(bp.current_app), headers={"Cache-Control": "public, max-age=300"})
