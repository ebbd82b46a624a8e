"""What each route promises, declared beside its handler and read by the OpenAPI generator.

Model names refer to ``chalicelib.api.schemas``; names (not classes) keep pydantic out of the
cold start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    body: str | None = None  # request model
    query: str | None = None  # query-string model
    response: str | None = None  # success body model; None for 204 or a free-form document
    status: int = 200
    # Protected unless said otherwise: ``route()`` verifies the caller before the handler runs and
    # hands it over; the OpenAPI security requirement is read from the same two fields.
    auth: bool = True
    # What the caller's credential must allow, beyond being valid. Left out, a protected route
    # asks ``read`` of a GET and ``write`` of anything else (``declare`` fills it in); ``account``
    # is never granted to an API key (deleting the provider, managing keys).
    scope: str | None = None
    errors: tuple[int, ...] = ()  # statuses beyond the ones derived from auth, body, query, path
    # Other successes than ``status``: (status, response model), e.g. 202 for work left to do.
    also: tuple[tuple[int, str], ...] = ()
    # What a success answers when it is not JSON (pages and static assets): text of these types.
    media_types: tuple[str, ...] = ("application/json",)


READ_SCOPE, WRITE_SCOPE, ACCOUNT_SCOPE = "read", "write", "account"
READ_METHODS = frozenset({"GET", "HEAD"})

OPERATIONS: dict[tuple[str, str], Operation] = {}


def for_method(operation: Operation, method: str) -> Operation:
    """The operation as ``method`` runs it: a protected one always names the scope it needs."""
    if not operation.auth or operation.scope is not None:
        return operation
    scope = READ_SCOPE if method.upper() in READ_METHODS else WRITE_SCOPE
    return replace(operation, scope=scope)


def declare(path: str, methods: list[str], operation: Operation) -> dict[str, Operation]:
    """Record the route's operation per method; answers them, as ``route()`` enforces them."""
    declared: dict[str, Operation] = {}
    for method in methods:
        key = (method.upper(), path)
        if key in OPERATIONS:
            raise ValueError(f"{method} {path} is declared twice")
        OPERATIONS[key] = declared[method.upper()] = for_method(operation, method)
    return declared
