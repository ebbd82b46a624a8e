"""Cursor pagination over sorted lists, with the DynamoDB stores' rules.

A cursor names its list (which holds the provider, so a cursor never crosses tenants) and the
sort key of the last item given; anything else, or a cursor of another list, is an
InvalidCursorError. ``more_only``: a cursor only when more items follow (the table's lists); else
a cursor whenever the page is full (the calendar, whose Query stops at the limit).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from chalicelib.domain.errors import InvalidCursorError
from chalicelib.services.shared import Page

T = TypeVar("T")
MAX_CURSOR_CHARS = 1024


def _invalid() -> InvalidCursorError:
    return InvalidCursorError("The cursor is not valid for this list; start again without it.")


def encode(list_id: str, after: str) -> str:
    raw = json.dumps({"list": list_id, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(cursor: str, list_id: str, bounds: tuple[str, str] | None = None) -> str:
    """The sort key a cursor of ``list_id`` ends at (inside ``bounds`` when given)."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise _invalid()
    try:
        key = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise _invalid() from error
    if not isinstance(key, dict) or set(key) != {"list", "after"} or key["list"] != list_id:
        raise _invalid()
    after = key["after"]
    if not isinstance(after, str) or (bounds is not None and not bounds[0] <= after <= bounds[1]):
        raise _invalid()
    return after


def page_of(
    items: Iterable[T],
    sort_key: Callable[[T], str],
    list_id: str,
    limit: int,
    cursor: str | None,
    *,
    bounds: tuple[str, str] | None = None,
    newest_first: bool = False,
    more_only: bool = True,
) -> Page[T]:
    after = decode(cursor, list_id, bounds) if cursor else None
    ordered = sorted(items, key=sort_key, reverse=newest_first)
    if after is not None:
        ordered = [i for i in ordered if (sort_key(i) < after if newest_first else sort_key(i) > after)]
    page = ordered[:limit]
    more = len(ordered) > limit if more_only else len(page) == limit
    return Page(page, encode(list_id, sort_key(page[-1])) if page and more else None)
