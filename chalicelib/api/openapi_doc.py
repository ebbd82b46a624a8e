"""The OpenAPI 3.1 document, generated from the app's routes and the models they validate with.

Every route of ``app.routes`` is walked (OPTIONS preflights aside), so a route cannot be left
out; its ``Operation`` gives summary, models and statuses. An undeclared route still appears,
flagged, and the tests refuse it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from chalicelib.api import schemas
from chalicelib.api.contract import OPERATIONS, Operation
from chalicelib.domain.ids import ID_PATTERN
from chalicelib.domain.provider import SLUG_PATTERN
from chalicelib.domain.slots.hours import DATE_PATTERN

REF = "#/components/schemas/{model}"
VERSION = "0.1.0"
ERROR_RESPONSES = {
    400: "Malformed JSON, body or parameters (including a tampered cursor)",
    401: "Missing or invalid bearer token",
    403: "The credential is valid but lacks the route's scope (an API key: read, write; never account)",
    404: "Not found, or not the caller's",
    409: "Conflict with the current state",
    413: "Body larger than 64 KB",
    415: "Body is not application/json",
    422: "Validation failed; details name each field",
    429: "Too many attempts of this kind from this address, on this page or to this email (Retry-After)",
    500: "Internal error (logged, never a stack trace)",
    503: "A dependency (DynamoDB) is not answering; ask again after Retry-After",
}
PATH_PARAMETERS = {
    "category_id": {"type": "string", "pattern": ID_PATTERN},
    "service_id": {"type": "string", "pattern": ID_PATTERN},
    "client_id": {"type": "string", "pattern": ID_PATTERN},
    "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    "slug": {"type": "string", "pattern": SLUG_PATTERN},
}
UNDECLARED = Operation("UNDECLARED route: add an Operation to its @route", tag="undeclared")


class SchemaBook:
    """Component schemas, gathered model by model with shared definitions hoisted."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def ref(self, name: str, mode: str) -> dict[str, str]:
        model: type[BaseModel] = getattr(schemas, name)
        schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
        for def_name, definition in schema.pop("$defs", {}).items():
            self._add(def_name, definition)
        self._add(name, schema)
        return {"$ref": REF.format(model=name)}

    def _add(self, name: str, schema: dict[str, Any]) -> None:
        if self.schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two different schemas are named {name}")


def _parameters(path: str, op: Operation, book: SchemaBook) -> list[dict[str, Any]]:
    found = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": PATH_PARAMETERS.get(name, {"type": "string"}),
        }
        for name in re.findall(r"{(\w+)}", path)
    ]
    if op.query:
        model: type[BaseModel] = getattr(schemas, op.query)
        schema = model.model_json_schema(ref_template=REF, by_alias=True)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            found.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return found


def _error_statuses(path: str, op: Operation) -> list[int]:
    statuses = set(op.errors) | {500, 503}
    if op.auth:
        statuses.add(401)
    if op.scope:
        statuses.add(403)
    if op.body:
        statuses |= {400, 413, 415, 422}
    if op.query:
        statuses |= {400, 422}
    if "{" in path:
        statuses.add(404)
    if "{date}" in path:  # a date outside 2000-2199, or no date at all, is a field error
        statuses.add(422)
    return sorted(statuses)


def _security(op: Operation) -> list[dict[str, list[str]]]:
    """What ``route()`` enforces for ``op``: a bearer token, and the scope it must carry if any."""
    if not op.auth:
        return []
    return [{"bearer": [op.scope] if op.scope else []}]


def _operation(view_name: str, path: str, op: Operation, book: SchemaBook) -> dict[str, Any]:
    success: dict[str, Any] = {"description": op.summary}
    if op.response:
        success["content"] = {"application/json": {"schema": book.ref(op.response, "serialization")}}
    elif op.status != 204:
        success["content"] = {
            media: {"schema": {"type": "object"} if media == "application/json" else {"type": "string"}}
            for media in op.media_types
        }
    responses = {str(op.status): success}
    for status, model in op.also:
        content = {"application/json": {"schema": book.ref(model, "serialization")}}
        responses[str(status)] = {"description": f"{model} (see the summary)", "content": content}
    for status in _error_statuses(path, op):
        responses[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    operation: dict[str, Any] = {
        "operationId": view_name,
        "summary": op.summary,
        "tags": [op.tag],
        "security": _security(op),
        "parameters": _parameters(path, op, book),
        "responses": responses,
    }
    if op.body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": book.ref(op.body, "validation")}},
        }
    return operation


def build(routes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    book = SchemaBook()
    error_ref = book.ref("ErrorResponse", "serialization")
    paths: dict[str, dict[str, Any]] = {}
    for path in sorted(routes):
        for method, entry in sorted(routes[path].items()):
            if method == "OPTIONS":
                continue
            op = OPERATIONS.get((method, path), UNDECLARED)
            paths.setdefault(path, {})[method.lower()] = _operation(entry.view_name, path, op, book)
    return {
        "openapi": "3.1.0",
        "info": {"title": "scheduler", "version": VERSION, "description": "Appointment booking API."},
        "paths": paths,
        "components": {
            "schemas": dict(sorted(book.schemas.items())),
            "responses": {
                f"Error{status}": {
                    "description": text,
                    "content": {"application/json": {"schema": error_ref}},
                }
                for status, text in ERROR_RESPONSES.items()
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A sign-in's ID token (a JWT: every scope), or an API key "
                    "(sk_...: read, or read and write; never account)",
                }
            },
        },
    }
