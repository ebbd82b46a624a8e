"""DynamoDB JSON as boto3's client gives it, as text JSON can hold, and back, exactly.

Every value keeps its type tag (``{"N": "19.99"}``, ``{"SS": [...]}``); numbers stay the decimal
text DynamoDB holds. Only binary changes form: bytes in boto3, base64 in text. An item is a map of
attribute names to values; the two levels are told apart by position, never by a name (an
attribute may well be called ``B`` or ``M``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

Item = dict[str, Any]
SETS = ("SS", "NS", "BS")
Convert = Callable[[Any], Any]


def item_to_text(item: Item) -> Item:
    return {name: _value(value, _encode) for name, value in item.items()}


def item_from_text(item: Item) -> Item:
    """The reverse of ``item_to_text``: what boto3's client takes (base64 must be valid)."""
    return {name: _value(value, _decode) for name, value in item.items()}


def _value(value: dict[str, Any], binary: Convert) -> dict[str, Any]:
    ((tag, inner),) = value.items()
    if tag == "B":
        return {"B": binary(inner)}
    if tag == "BS":
        return {"BS": [binary(one) for one in inner]}
    if tag == "M":
        return {"M": {name: _value(one, binary) for name, one in inner.items()}}
    if tag == "L":
        return {"L": [_value(one, binary) for one in inner]}
    return {tag: inner}


def _encode(raw: Any) -> str:
    return base64.b64encode(bytes(raw)).decode()


def _decode(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("binary is not base64 text")
    return base64.b64decode(text, validate=True)


def canonical(item: Item) -> Item:
    """An item (as text) with set members sorted: DynamoDB keeps no order within a set."""
    return {name: _canonical_value(value) for name, value in item.items()}


def _canonical_value(value: dict[str, Any]) -> dict[str, Any]:
    ((tag, inner),) = value.items()
    if tag in SETS:
        return {tag: sorted(inner)}
    if tag == "M":
        return {"M": canonical(inner)}
    if tag == "L":
        return {"L": [_canonical_value(one) for one in inner]}
    return value
