"""Categories and services through HTTP: CRUD, money, paging, deletes."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.api import Api

pytestmark = pytest.mark.functional


def test_category_crud(http: Any) -> None:
    api = Api(http)
    created = api.category("Massage", position=2)
    assert set(created) == {"id", "name", "position", "created_at", "updated_at"}
    path = f"/categories/{created['id']}"
    assert api.get(path).json == created
    renamed = api.patch(path, {"name": "Bodywork"}).json
    assert (renamed["name"], renamed["position"]) == ("Bodywork", 2)
    assert api.delete(path).status == 204
    assert api.get(path).status == 404
    assert api.delete(path).status == 404


@pytest.mark.parametrize(
    ("sent", "stored"), [("25.00", "25.00"), ("25", "25.00"), (25.5, "25.50"), (0, "0.00")]
)
def test_price_is_accepted_as_string_or_number_and_answered_as_a_two_place_string(
    http: Any, sent: Any, stored: str
) -> None:
    api = Api(http)
    created = api.service(price=sent)
    assert created["price"] == stored
    assert api.get(f"/services/{created['id']}").json["price"] == stored


def test_a_number_price_never_passes_through_a_float(http: Any) -> None:
    api = Api(http)
    # 0.1 + 0.2 style: as a float 9999.99 would not survive every round trip; as a decimal it does.
    created = api.call(
        "POST", "/services", raw='{"name":"x","duration_minutes":30,"price":9999.99,"currency":"USD"}'
    )
    assert created.json["price"] == "9999.99"


def test_service_crud_with_defaults_and_a_category(http: Any) -> None:
    api = Api(http)
    category = api.category()
    created = api.service("Deep tissue", category_id=category["id"])
    assert created["visible"] is True
    assert (created["buffer_before_minutes"], created["buffer_after_minutes"], created["description"]) == (
        0,
        0,
        "",
    )
    path = f"/services/{created['id']}"
    changed = api.patch(path, {"visible": False, "price": "70", "buffer_after_minutes": 15}).json
    assert (changed["visible"], changed["price"], changed["buffer_after_minutes"]) == (False, "70.00", 15)
    assert changed["category_id"] == category["id"]
    uncategorised = api.patch(path, {"category_id": None}).json
    assert uncategorised["category_id"] is None
    assert api.patch(path, {"category_id": category["id"]}).json["category_id"] == category["id"]
    assert api.delete(path).status == 204
    assert api.get(path).status == 404


def test_deleting_a_category_leaves_its_services_uncategorised(http: Any) -> None:
    api = Api(http)
    doomed, kept = api.category("Doomed"), api.category("Kept")
    first = api.service("One", category_id=doomed["id"])
    second = api.service("Two", category_id=doomed["id"])
    other = api.service("Three", category_id=kept["id"])
    assert api.delete(f"/categories/{doomed['id']}").status == 204
    assert api.get(f"/services/{first['id']}").json["category_id"] is None
    assert api.get(f"/services/{second['id']}").json["category_id"] is None
    assert api.get(f"/services/{other['id']}").json["category_id"] == kept["id"]


def test_lists_page_with_an_opaque_cursor_until_none_is_left(http: Any) -> None:
    api = Api(http)
    made = [api.category(f"C{i}")["id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = api.get("/categories?limit=2" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [c["id"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made, "oldest first, each exactly once"
    assert pages == 3, "no empty last page"
    assert api.get("/categories").json["next_cursor"] is None


def test_a_tampered_cursor_is_400(http: Any) -> None:
    api = Api(http)
    for i in range(3):
        api.service(f"S{i}")
    cursor = api.get("/services?limit=1").json["next_cursor"]
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    key["PK"] = "PROVIDER#someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
    for bad in (forged, cursor[:-3], "%%%", cursor + "x"):
        reply = api.get(f"/services?cursor={bad}")
        assert reply.status == 400, (bad, reply)
        assert reply.json["error"]["code"] == "invalid_cursor"
    categories_cursor = api.get("/categories?cursor=" + cursor)
    assert categories_cursor.status == 400, "a services cursor is no good for categories"


@pytest.mark.parametrize(
    "path",
    [
        "/services/nope",
        "/services/01arz3ndektsv4rrffq69g5fav",
        "/services/" + "A" * 2000,
        "/categories/..%2F..%2Fx",
        "/categories/%00",
    ],
)
def test_malformed_ids_are_404_not_500(http: Any, path: str) -> None:
    api = Api(http)
    for method in ("GET", "PATCH", "DELETE"):
        reply = api.call(method, path, {"name": "x"} if method == "PATCH" else None)
        assert reply.status == 404, (method, reply)
        assert reply.json["error"]["code"] == "not_found"


def test_catalog_routes_need_a_token(http: Any) -> None:
    anonymous = Api(http, anonymous=True)
    assert anonymous.get("/services").status == 401
    assert anonymous.post("/categories", {"name": "x"}).status == 401
