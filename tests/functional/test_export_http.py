"""GET /me/export: everything of one provider, page by page, each record once, nobody else's."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.services.accounts.export import make_cursor
from tests.api import Api, booking_body

pytestmark = pytest.mark.functional
SECTIONS = ("categories", "services", "overrides", "clients", "appointments")


def furnished(http: Any) -> tuple[Api, dict[str, set[str]]]:
    """A provider with a bit of everything; the ids of each section as its own lists give them."""
    api = Api(http)
    category = api.category("Massage")
    service = api.bookable("Europe/Paris", category_id=category["id"])
    api.service("Private", visible=False)
    for day in ("2027-05-01", "2027-12-24"):
        assert api.put(f"/availability/overrides/{day}", {"intervals": []}).status == 200
    base = datetime.now(UTC).date() + timedelta(days=3)
    for n in range(5):
        start = f"{base + timedelta(days=n)}T10:00:00+02:00"
        reply = api.post("/appointments", booking_body(service["id"], start, f"client{n % 3}@example.com"))
        assert reply.status == 201, reply
    ids = {
        "categories": {c["id"] for c in api.get("/categories").json["items"]},
        "services": {s["id"] for s in api.get("/services").json["items"]},
        "overrides": {
            o["date"] for o in api.get("/availability/overrides?from=2027-01-01&to=2027-12-31").json["items"]
        },
        "clients": {c["id"] for c in api.get("/clients").json["items"]},
        "appointments": {a["id"] for a in api.get("/appointments").json["items"]},
    }
    assert [len(ids[s]) for s in SECTIONS] == [1, 2, 2, 3, 5]
    return api, ids


def walk(api: Api, limit: int) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    url = f"/me/export?limit={limit}"
    while True:
        reply = api.get(url)
        assert reply.status == 200, reply
        pages.append(reply.json)
        cursor = reply.json["next_cursor"]
        if cursor is None:
            return pages
        url = f"/me/export?limit={limit}&cursor={cursor}"
        assert len(pages) < 50


def key_of(section: str, record: dict[str, Any]) -> str:
    return str(record["date"] if section == "overrides" else record["id"])


def test_small_pages_carry_every_record_once_and_the_profile_on_the_first(http: Any) -> None:
    api, ids = furnished(http)

    pages = walk(api, limit=2)

    first, rest = pages[0], pages[1:]
    assert first["schema_version"] == 1
    assert first["provider"]["id"] == api.id
    assert first["availability"]["timezone"] == "Europe/Paris" and len(first["availability"]["weekly"]) == 7
    assert all(p["provider"] is None and p["availability"] is None for p in rest)
    for section in SECTIONS:
        seen = Counter(key_of(section, r) for p in pages for r in p[section])
        assert set(seen) == ids[section], section
        assert set(seen.values()) == {1}, f"{section}: a record on two pages"
    assert all(sum(len(p[s]) for s in SECTIONS) <= 2 for p in pages)
    assert len(pages) == 7  # 13 records, 2 a page


def test_one_call_without_a_cursor_holds_everything_when_it_fits(http: Any) -> None:
    api, ids = furnished(http)
    everything = api.get("/me/export").json
    assert everything["next_cursor"] is None
    assert {s: {key_of(s, r) for r in everything[s]} for s in SECTIONS} == ids
    appointment = everything["appointments"][0]
    assert {"start", "local_start", "client", "contact", "price", "provider_notes"} <= set(appointment)
    client = everything["clients"][0]
    assert {"name", "email", "phone", "notes"} <= set(client)


def test_another_provider_s_export_has_nothing_of_the_first(http: Any) -> None:
    _, ids = furnished(http)
    other = Api(http)
    export = other.get("/me/export").json
    assert export["provider"]["id"] == other.id
    assert all(export[s] == [] for s in SECTIONS if s != "services")
    mine = {i for section in ids.values() for i in section}
    theirs = {key_of(s, r) for s in SECTIONS for r in export[s]}
    assert not mine & theirs


def test_a_cursor_of_another_provider_s_export_or_a_made_up_one_is_refused(http: Any) -> None:
    api, _ = furnished(http)
    other, _ = furnished(http)
    stolen = api.get("/me/export?limit=4").json["next_cursor"]
    assert other.get(f"/me/export?cursor={stolen}").status == 400, "its list cursor names another partition"
    for cursor in (
        "garbage",
        make_cursor("secrets", None),
        make_cursor("clients", "not-a-cursor"),
        "x" * 1401,
    ):
        reply = other.get(f"/me/export?cursor={cursor}")
        assert reply.status in (400, 422), (cursor, reply)
        assert reply.json["error"]["code"] in ("invalid_cursor", "validation_failed")
    for limit in ("0", "1001", "ten"):
        assert other.get(f"/me/export?limit={limit}").status == 422


def test_a_fresh_sign_in_exports_its_new_empty_profile(http: Any) -> None:
    newcomer = Api(http)
    export = newcomer.get("/me/export").json
    assert (export["provider"]["id"], export["next_cursor"]) == (newcomer.id, None)
    assert all(export[s] == [] for s in SECTIONS)


def test_the_first_page_lists_the_connected_calendars_without_their_secrets(http: Any) -> None:
    api = Api(http)
    secret_ics = "http://127.0.0.1:9/private/s3cr3t-ics-path/basic.ics"
    ics = api.post("/calendars", {"type": "ics", "url": secret_ics})
    assert ics.status == 201, ics
    dav = api.post(
        "/calendars",
        {
            "type": "caldav",
            "url": "http://127.0.0.1:9/dav/pat/work/",
            "username": "pat",
            "password": "app-password-not-shown",
            "write": True,
        },
    )
    assert dav.status == 201, dav
    api.post("/categories", {"name": "One"})
    api.post("/categories", {"name": "Two"})

    first = api.get("/me/export?limit=1")
    assert first.status == 200, first
    listed = {c["id"]: c for c in first.json["calendars"]}
    assert set(listed) == {ics.json["id"], dav.json["id"]}
    assert listed[dav.json["id"]]["type"] == "caldav" and listed[dav.json["id"]]["write"] is True
    assert listed[ics.json["id"]]["write"] is False
    assert {"status", "url", "error", "last_synced_at"} <= set(listed[dav.json["id"]])
    assert "app-password-not-shown" not in first.text and "s3cr3t-ics-path" not in first.text
    assert "password" not in first.text and "sealed" not in first.text

    later = api.get(f"/me/export?limit=1&cursor={first.json['next_cursor']}")
    assert later.status == 200 and later.json["calendars"] == []
