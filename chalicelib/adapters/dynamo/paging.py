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
from chalicelib.adapters.dynamo.booking_items import AppointmentItem, appointment_from_item
from chalicelib.adapters.dynamo.table import GSI1
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.errors import InvalidCursorError
from chalicelib.services.shared import Page

ItemT = TypeVar("ItemT", bound=Model)
T = TypeVar("T")
MAX_CURSOR_CHARS = 1024
TABLE_KEY = frozenset({"PK", "SK"})
CALENDAR_KEY = frozenset({"PK", "SK", "GSI1PK", "GSI1SK"})


def _encode(key: dict[str, str]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _invalid() -> InvalidCursorError:
    return InvalidCursorError("The cursor is not valid for this list; start again without it.")


def _read(cursor: str, names: frozenset[str]) -> dict[str, str]:
    """The key a cursor holds, if it is text naming exactly ``names``; else InvalidCursorError."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise _invalid()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise _invalid() from error
    if not isinstance(key, dict) or set(key) != names or not all(isinstance(v, str) for v in key.values()):
        raise _invalid()
    return key


def encode_cursor(pk: str, sk: str) -> str:
    return _encode({"PK": pk, "SK": sk})


def read_cursor(cursor: str) -> tuple[str, str]:
    """The (partition, sort key) pair a cursor holds; anything else is an InvalidCursorError."""
    key = _read(cursor, TABLE_KEY)
    return key["PK"], key["SK"]


def decode_cursor(cursor: str, pk: str, low: str, high: str) -> dict[str, dict[str, str]]:
    """The ExclusiveStartKey of ``cursor``, if it belongs to partition ``pk`` and [low, high]."""
    cursor_pk, sk = read_cursor(cursor)
    if cursor_pk != pk or not low <= sk <= high:
        raise _invalid()
    return {"PK": {"S": pk}, "SK": {"S": sk}}


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


def prefix_page(
    model: type[ItemT], pk: str, prefix: str, limit: int, cursor: str | None, convert: Callable[[ItemT], T]
) -> Page[T]:
    """One page of the items of partition ``pk`` whose sort key starts with ``prefix``."""
    low, high = prefix_range(prefix)
    return query_page(model, pk, low, high, limit, cursor, convert)


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
    next_cursor = None
    if last and len(items) == limit:
        next_cursor = _encode({name: value["S"] for name, value in last.items()})
    return Page(items, next_cursor)


def _decode_calendar_cursor(
    cursor: str, gsi_pk: str, pk: str, low: str, high: str
) -> dict[str, dict[str, str]]:
    key = _read(cursor, CALENDAR_KEY)
    if key["PK"] != pk or key["GSI1PK"] != gsi_pk or not low <= key["GSI1SK"] <= high:
        raise _invalid()
    return {name: {"S": value} for name, value in key.items()}


def text_prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high] of the sort keys that start with ``prefix``, whatever characters follow.

    For keys holding people's text (emails, names): DynamoDB orders strings by UTF-8 bytes, which
    is code point order, so U+10FFFF sorts after anything that can follow the prefix.
    """
    return prefix, prefix + "\U0010ffff"


def query_index_page(
    model: type[ItemT],
    hash_key: str,
    condition: Condition | None,
    limit: int,
    cursor: str | None,
    convert: Callable[[ItemT], T],
    table_key: Callable[[str], tuple[str, str] | None],
    *,
    filter_condition: Condition | None = None,
    newest_first: bool = False,
    page_size: int | None = None,
    index: str = GSI1,
) -> Page[T]:
    """One page of an index Query (eventually consistent, as every index read is).

    The cursor holds the index key (e.g. GSI1PK, GSI1SK) as a table cursor holds PK and SK.
    ``table_key`` gives the table key of the item a GSI1SK belongs to, which ExclusiveStartKey
    needs too, or None when no item of this list can have that GSI1SK. With a filter, DynamoDB
    reads on, ``page_size`` items per request, until limit + 1 items passed it or none are left.
    """
    start = None
    if cursor:
        cursor_pk, sk = read_cursor(cursor)
        table = table_key(sk) if cursor_pk == hash_key else None
        if table is None:
            raise _invalid()
        start = {
            "PK": {"S": table[0]},
            "SK": {"S": table[1]},
            f"{index}PK": {"S": hash_key},
            f"{index}SK": {"S": sk},
        }
    results = model.query(
        hash_key,
        condition,
        filter_condition=filter_condition,
        index_name=index,
        scan_index_forward=not newest_first,
        limit=limit + 1,
        page_size=page_size or limit + 1,
        last_evaluated_key=start,
    )
    items = list(results)
    next_cursor = None
    if len(items) > limit:
        next_cursor = encode_cursor(hash_key, str(getattr(items[limit - 1], f"{index}SK")))
    return Page([convert(item) for item in items[:limit]], next_cursor)
