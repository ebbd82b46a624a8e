"""GET /openapi.json: built once per process from the routes and models (see openapi_doc)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import json_response, route

bp = Blueprint(__name__)
_document: dict[str, Any] | None = None


def document() -> dict[str, Any]:
    global _document
    if _document is None:
        from chalicelib.api import openapi_doc

        _document = openapi_doc.build(bp.current_app.routes)
    return _document


@route(
    bp,
    "/openapi.json",
    op=Operation("This OpenAPI 3.1 document", "operations", auth=False),
    methods=["GET"],
)
def openapi_document() -> Response:
    return json_response(document(), headers={"Cache-Control": "public, max-age=300"})
