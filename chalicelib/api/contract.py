"""What each route promises, declared beside its handler and read by the OpenAPI generator.

Model names refer to ``chalicelib.api.schemas``; names (not classes) keep pydantic out of the
cold start.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    scope: str | None = None  # what the caller's credential must allow, beyond being valid
    errors: tuple[int, ...] = ()  # statuses beyond the ones derived from auth, body, query, path
    # Other successes than ``status``: (status, response model), e.g. 202 for work left to do.
    also: tuple[tuple[int, str], ...] = ()
    # What a success answers when it is not JSON (pages and static assets): text of these types.
    media_types: tuple[str, ...] = ("application/json",)


OPERATIONS: dict[tuple[str, str], Operation] = {}


def declare(path: str, methods: list[str], operation: Operation) -> None:
    for method in methods:
        key = (method.upper(), path)
        if key in OPERATIONS:
            raise ValueError(f"{method} {path} is declared twice")
        OPERATIONS[key] = operation
