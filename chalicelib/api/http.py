"""Helpers every blueprint uses: error-translating routes, JSON bodies, bearer tokens."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api import errors
from chalicelib.api.contract import Operation, declare
from chalicelib.domain.errors import AuthenticationError, DomainError, ValidationError
from chalicelib.observability import logger

if TYPE_CHECKING:
    from pydantic import BaseModel

    from chalicelib.domain.provider import Identity

ModelT = TypeVar("ModelT", bound="BaseModel")
View = Callable[..., Any]


def route(bp: Blueprint, path: str, op: Operation | None = None, **options: Any) -> Callable[[View], View]:
    """``bp.route`` whose view answers every error with the JSON error model.

    ``op`` is the route's contract for /openapi.json (summary, models, statuses).
    """
    if op is not None:
        declare(path, list(options.get("methods", ["GET"])), op)

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except DomainError as error:
                return errors.to_response(error)
            except Exception:  # noqa: BLE001 - last resort: answer JSON 500, log the trace
                logger.exception("Unhandled error in view")
                return errors.internal_error()

        bp.route(path, **options)(guarded)
        return guarded

    return decorator


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=body,
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def render(model: BaseModel, status: int = 200) -> Response:
    """A response model as the JSON body: what the OpenAPI document promises is what is sent."""
    return json_response(model.model_dump(mode="json"), status=status)


def no_content() -> Response:
    return Response(body="", status_code=204)


# No request body of this API nests deeper than a few levels; deeper is refused before anything
# recursive (pydantic, hashing the body for an Idempotency-Key) walks it.
MAX_JSON_DEPTH = 16


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def read_json(request: Request) -> dict[str, Any]:
    raw = request.raw_body or b""
    if not raw.strip():
        raise errors.BadRequestError("A JSON object body is required.")
    try:
        body = json.loads(raw, parse_float=Decimal)  # money stays exact: never a float
    except RecursionError as error:  # the parser's own limit, about 1,000 levels
        raise errors.MalformedJsonError(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise errors.MalformedJsonError(f"The body is not valid JSON: {error}.") from error
    if not isinstance(body, dict):
        raise errors.BadRequestError("The body must be a JSON object.")
    if json_depth(body) > MAX_JSON_DEPTH:
        raise errors.MalformedJsonError(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
    return body


def parse(model: type[ModelT], data: Any) -> ModelT:
    """Validate ``data`` with a pydantic model; field errors become a 422 with ``details``."""
    import pydantic

    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        details = [
            {
                "field": ".".join(str(part) for part in item["loc"]) or "body",
                "code": item["type"],
                "message": item["msg"],
            }
            for item in error.errors(include_url=False, include_input=False)
        ]
        raise ValidationError("The request did not pass validation.", details) from error


def query(request: Request, model: type[ModelT]) -> ModelT:
    """The query string through ``model``: unknown or out-of-range parameters are a 422."""
    params = dict(request.query_params or {})
    return parse(model, params)


def client_ip(request: Request) -> str:
    """The caller's address as API Gateway saw it (``requestContext.identity.sourceIp``).

    Never a header: X-Forwarded-For and the like are whatever the caller chose to send.
    """
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "")


def bearer_token(request: Request) -> str:
    header = str(request.headers.get("authorization", ""))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("A bearer token is required (Authorization: Bearer <token>).")
    return token.strip()


def authenticate(request: Request) -> Identity:
    import dataclasses

    from chalicelib.bootstrap import container

    c = container()
    identity = c.verifier.verify(bearer_token(request))
    return dataclasses.replace(identity, may_sign_up=c.settings.signup.allows(identity.email))
