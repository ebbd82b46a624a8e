"""Small value rules: money, currencies, time zones, ids, public grouping, cursors."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest

from chalicelib.adapters.dynamo.paging import decode_cursor, encode_cursor
from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.errors import InvalidCursorError
from chalicelib.domain.ids import is_id, new_id
from chalicelib.domain.money import format_price, is_currency
from chalicelib.domain.slots.timezones import is_iana_zone
from chalicelib.services.catalog.public import group_visible

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("price", "text"),
    [("25", "25.00"), ("25.5", "25.50"), ("-0", "0.00"), ("1E+2", "100.00"), ("10000", "10000.00")],
)
def test_prices_are_written_with_two_places(price: str, text: str) -> None:
    assert format_price(Decimal(price)) == text


@pytest.mark.parametrize(("code", "known"), [("EUR", True), ("JPY", True), ("XXX", False), ("eur", False)])
def test_only_circulating_iso_4217_currencies_are_known(code: str, known: bool) -> None:
    assert is_currency(code) is known


@pytest.mark.parametrize(
    ("name", "real"),
    [("Europe/Paris", True), ("UTC", True), ("America/Argentina/Buenos_Aires", True), ("Factory", False),
     ("localtime", False), ("Europe/Atlantis", False), ("../etc/passwd", False)],
)  # fmt: skip
def test_time_zones_are_the_iana_names_shipped_with_tzdata(name: str, real: bool) -> None:
    assert is_iana_zone(name) is real


def test_ids_are_sortable_by_creation_time_and_recognised() -> None:
    older, newer = new_id(now_ms=1_000), new_id(now_ms=2_000)
    assert older < newer
    assert is_id(older) and is_id(newer)
    assert not is_id(older.lower()) and not is_id(older[:-1]) and not is_id("../x")


def _category(cid: str, name: str, position: int) -> Category:
    return Category(cid, "p", name, position)


def _service(sid: str, category: str | None, visible: bool = True) -> Service:
    return Service(sid, "p", f"svc {sid}", 30, Decimal("1"), "EUR", category_id=category, visible=visible)


def test_public_groups_hold_visible_services_only_ordered_by_position_and_uncategorised_last() -> None:
    categories = [_category("B", "Beta", 2), _category("A", "Alpha", 1), _category("E", "Empty", 0)]
    services = [
        _service("1", "B"),
        _service("2", None),
        _service("3", "A", visible=False),
        _service("4", "A"),
        _service("5", "GONE"),  # its category was deleted: shows as uncategorised
        _service("6", "E", visible=False),
    ]
    groups = group_visible(categories, services)
    assert [(g.category.id if g.category else None, [s.id for s in g.services]) for g in groups] == [
        ("A", ["4"]),
        ("B", ["1"]),
        (None, ["2", "5"]),
    ]


def test_a_cursor_round_trips_for_its_own_list() -> None:
    cursor = encode_cursor("PROVIDER#a", "PROFILE#SERVICE#X")
    key = decode_cursor(cursor, "PROVIDER#a", "PROFILE#SERVICE#", "PROFILE#SERVICE#\x7f")
    assert key == {"PK": {"S": "PROVIDER#a"}, "SK": {"S": "PROFILE#SERVICE#X"}}


def _b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 !",
        _b64([1, 2]),
        _b64({"PK": "PROVIDER#a"}),
        _b64({"PK": "PROVIDER#b", "SK": "PROFILE#SERVICE#X"}),  # another provider's partition
        _b64({"PK": "PROVIDER#a", "SK": "PROFILE#CATEGORY#X"}),  # another list
        _b64({"PK": "PROVIDER#a", "SK": 5}),
        _b64({"PK": "PROVIDER#a", "SK": "PROFILE#SERVICE#X", "GSI1PK": "x"}),
        "A" * 2000,
    ],
)
def test_a_cursor_from_elsewhere_or_tampered_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor, "PROVIDER#a", "PROFILE#SERVICE#", "PROFILE#SERVICE#\x7f")
