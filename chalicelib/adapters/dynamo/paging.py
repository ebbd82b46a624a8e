"""Cursor pagination: a cursor is base64url(JSON of the last key), checked before any use.

A cursor is only accepted for the list it came from: same partition, sort key inside the
range being listed. Anything else (garbage, another provider, another list) is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import TypeVar

from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.appointments import Appointment
from chalicelib.domain.errors import InvalidCursorError
from chalicelib.services.ports import Page

ItemT = TypeVar("ItemT", bound=Model)
T = TypeVar("T")
MAX_CURSOR_CHARS = 1024


def encode_cursor(pk: str, sk: str) -> str:
    raw = json.dumps({"PK": pk, "SK": sk}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, pk: str, low: str, high: str) -> dict[str, dict[str, str]]:
    """The ExclusiveStartKey of ``cursor``, if it belongs to partition ``pk`` and [low, high]."""
    invalid = InvalidCursorError("The cursor is not valid for this list; start again without it.")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise invalid
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise invalid from error
    if not isinstance(key, dict) or set(key) != {"PK", "SK"}:
        raise invalid
    if key["PK"] != pk or not isinstance(key["SK"], str) or not low <= key["SK"] <= high:
        raise invalid
    return {"PK": {"S": pk}, "SK": {"S": key["SK"]}}


def query_page(
    model: type[ItemT],
    pk: str,
    low: str,
    high: str,
    limit: int,
    cursor: str | None,
    convert: Callable[[ItemT], T],
) -> Page[T]:
    """One page of items with ``low <= SK <= high``, in key order, strongly consistent."""
    start = decode_cursor(cursor, pk, low, high) if cursor else None
    condition: Condition = model.SK.between(low, high)  # type: ignore[attr-defined]
    # One extra item tells whether a next page exists without an empty last page.
    results = model.query(
        pk,
        condition,
        consistent_read=True,
        limit=limit + 1,
        page_size=limit + 1,
        last_evaluated_key=start,
    )
    items = list(results)
    next_cursor = encode_cursor(pk, items[limit - 1].SK) if len(items) > limit else None  # type: ignore[attr-defined]
    return Page([convert(item) for item in items[:limit]], next_cursor)


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high] of the sort keys that start with ``prefix`` (ids are ASCII)."""
    return prefix, prefix + "\x7f"


def calendar_page(
    provider_id: str,
    start_from: str,
    start_to: str,
    status: str | None,
    client_id: str | None,
    limit: int,
    cursor: str | None,
) -> Page[Appointment]:
    """Appointments starting in [start_from, start_to) by start: one Query on GSI1 (calendar)."""
    from chalicelib.adapters.dynamo.booking_mapping import appointment_from_item
    from chalicelib.adapters.dynamo.models import AppointmentItem

    gsi_pk, pk = keys.calendar_gsi1pk(provider_id), keys.provider_pk(provider_id)
    start = _decode_calendar_cursor(cursor, gsi_pk, pk, start_from, start_to) if cursor else None
    condition: Condition | None = None
    if status is not None:
        condition = AppointmentItem.status == status
    if client_id is not None:
        by_client = AppointmentItem.client_id == client_id
        condition = by_client if condition is None else condition & by_client
    results = AppointmentItem.gsi1.query(
        gsi_pk,
        AppointmentItem.GSI1SK.between(start_from, start_to),
        filter_condition=condition,
        limit=limit,
        page_size=max(limit, 25),
        last_evaluated_key=start,
    )
    items = [appointment_from_item(item) for item in results]  # type: ignore[arg-type]
    last = results.last_evaluated_key
    next_cursor = _encode_calendar_cursor(last) if last and len(items) == limit else None
    return Page(items, next_cursor)


def _encode_calendar_cursor(key: dict[str, dict[str, str]]) -> str:
    flat = {name: value["S"] for name, value in key.items()}
    raw = json.dumps(flat, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode_calendar_cursor(
    cursor: str, gsi_pk: str, pk: str, low: str, high: str
) -> dict[str, dict[str, str]]:
    invalid = InvalidCursorError("The cursor is not valid for this list; start again without it.")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise invalid
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise invalid from error
    if not isinstance(key, dict) or set(key) != {"PK", "SK", "GSI1PK", "GSI1SK"}:
        raise invalid
    if not all(isinstance(v, str) for v in key.values()):
        raise invalid
    if key["PK"] != pk or key["GSI1PK"] != gsi_pk or not low <= key["GSI1SK"] <= high:
        raise invalid
    return {name: {"S": value} for name, value in key.items()}
