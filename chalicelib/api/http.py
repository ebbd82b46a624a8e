"""Helpers every blueprint uses: guarded, error-translating routes and JSON bodies."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api import errors
from chalicelib.api.auth import caller_of
from chalicelib.api.contract import Operation, declare
from chalicelib.domain.errors import DomainError, ValidationError
from chalicelib.observability import logger

if TYPE_CHECKING:
    from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound="BaseModel")
View = Callable[..., Any]


def route(bp: Blueprint, path: str, op: Operation, **options: Any) -> Callable[[View], View]:
    """``bp.route`` whose view answers every error with the JSON error model.

    ``op`` is the route's contract: summary, models and statuses for /openapi.json, and whether
    a caller must be verified first. A protected view (``op.auth``, the default) takes that
    caller as its first argument and runs only once the token is verified (401 otherwise, 403
    when the credential lacks the scope: ``op.scope``, else ``read`` for GET and ``write`` for
    the rest); a public view takes none.
    """

    def decorator(view: View) -> View:
        _check_takes_caller(view, op)
        declared = declare(path, list(options.get("methods", ["GET"])), op)

        @functools.wraps(view)
        def guarded(**params: Any) -> Any:
            try:
                if op.auth:
                    request = bp.current_request
                    return view(caller_of(request, declared[request.method.upper()].scope), **params)
                return view(**params)
            except DomainError as error:
                return errors.to_response(error)
            except Exception:  # noqa: BLE001 - last resort: answer JSON 500, log the trace
                logger.exception("Unhandled error in view")
                return errors.internal_error()

        bp.route(path, **options)(guarded)
        return guarded

    return decorator


def _check_takes_caller(view: View, op: Operation) -> None:
    """A protected view names its caller first; a public one has no caller to name."""
    names = view.__code__.co_varnames[: view.__code__.co_argcount]
    takes_caller = bool(names) and names[0] == "caller"
    if takes_caller != op.auth:
        need = "takes the caller as its first argument" if op.auth else "is public: it takes no caller"
        raise TypeError(f"{view.__name__} {need} (see its Operation's auth)")


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
