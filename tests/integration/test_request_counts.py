"""Each access pattern is one DynamoDB request (GetItem, BatchGetItem or Query), never a Scan.

Requests are counted on the one botocore client every model and transaction shares, through
botocore's own event hook ('before-call.dynamodb'), so nothing in the app is patched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from devtools.dynamo_calls import counting as count_calls
from tests.api import Api, booking_body, unique
from tests.client_builders import hours_from_now, make_appointment, make_client

pytestmark = pytest.mark.integration


@contextmanager
def counting() -> Iterator[list[str]]:
    """Operation names of every DynamoDB request made inside the block, in order."""
    with count_calls() as calls:
        yield calls.operations


@pytest.fixture
def provider(http: Any) -> tuple[Api, str, dict[str, Any]]:
    api = Api(http)
    slug = unique("count")
    api.patch("/me", {"slug": slug})
    category = api.category()
    for i in range(12):
        api.service(f"S{i}", category_id=category["id"] if i % 2 else None, visible=i % 3 != 0)
    service = api.service("Last")
    api.put("/availability", {"weekly": [{"day": "mon", "start": "09:00", "end": "12:00"}]})
    api.put("/availability/overrides/2026-05-01", {"intervals": []})
    return api, slug, service


def test_the_public_page_is_a_limit_count_one_getitem_and_one_query(
    http: Any, provider: tuple[Api, str, dict[str, Any]]
) -> None:
    _, slug, _ = provider
    anonymous = Api(http, anonymous=True)
    with counting() as calls:
        reply = anonymous.get(f"/public/{slug}")
    assert reply.status == 200
    assert sum(len(g["services"]) for g in reply.json["groups"]) == 9, "hidden ones left out"
    assert calls == ["UpdateItem", "GetItem", "Query"], "the per-address count comes first"


def test_an_unknown_slug_costs_one_getitem_and_a_malformed_one_only_its_count(http: Any) -> None:
    anonymous = Api(http, anonymous=True)
    with counting() as calls:
        assert anonymous.get("/public/no-such-page-here").status == 404
    assert calls == ["UpdateItem", "GetItem"]
    with counting() as calls:
        assert anonymous.get("/public/NOT_A_SLUG").status == 404
    assert calls == ["UpdateItem"], "a guess is still counted"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/services", ["Query"]),
        ("/services?limit=5", ["Query"]),
        ("/categories", ["Query"]),
        ("/services/{service_id}", ["GetItem"]),
        ("/availability", ["BatchGetItem"]),
        ("/availability/overrides/2026-05-01", ["GetItem"]),
        ("/availability/overrides?from=2026-01-01&to=2026-12-31", ["Query"]),
        ("/me", ["GetItem"]),
    ],
)
def test_each_provider_read_is_one_request(
    provider: tuple[Api, str, dict[str, Any]], path: str, expected: list[str]
) -> None:
    api, _, service = provider
    with counting() as calls:
        reply = api.get(path.format(service_id=service["id"]))
    assert reply.status == 200, reply
    assert calls == expected


def test_a_next_page_is_one_query_too(provider: tuple[Api, str, dict[str, Any]]) -> None:
    api, _, _ = provider
    cursor = api.get("/services?limit=5").json["next_cursor"]
    with counting() as calls:
        assert api.get(f"/services?limit=5&cursor={cursor}").status == 200
    assert calls == ["Query"]


def test_no_route_ever_scans(http: Any, provider: tuple[Api, str, dict[str, Any]]) -> None:
    api, slug, service = provider
    with counting() as calls:
        category = api.category("Temp")
        api.patch(f"/services/{service['id']}", {"category_id": category["id"]})
        api.delete(f"/categories/{category['id']}")
        api.patch("/me", {"slug": unique("moved")})
        api.delete(f"/services/{service['id']}")
        api.delete("/availability/overrides/2026-05-01")
        Api(http, anonymous=True).get(f"/public/{slug}")
    assert calls, "the hook saw the requests"
    assert "Scan" not in calls


def test_slots_for_a_month_cost_two_reads_and_two_limit_counts(http: Any) -> None:
    api = Api(http)
    service = api.bookable()
    first = datetime.now(UTC).date() + timedelta(days=1)
    last = first + timedelta(days=30)
    path = f"/public/{service['slug']}/services/{service['id']}/slots?from={first}&to={last}"
    with counting() as calls:
        reply = Api(http, anonymous=True).get(path)
    assert reply.status == 200 and reply.json["slots"]
    # a month's busy days and its synced calendar days are more keys than one BatchGetItem takes
    # (100): the calendars' busy time costs this one more read, and only past that size
    assert calls == ["UpdateItem", "GetItem", "UpdateItem", "BatchGetItem", "BatchGetItem"]


def test_a_booking_is_three_requests_and_three_limit_counts_on_the_happy_path(http: Any) -> None:
    api = Api(http)
    service = api.bookable()
    day = datetime.now(UTC).date() + timedelta(days=3)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Paris")).isoformat()
    with counting() as calls:
        reply = Api(http, anonymous=True).post(
            f"/public/{service['slug']}/bookings", booking_body(service["id"], start)
        )
    assert reply.status == 201
    # counts: the caller's address, the provider's calendar, emails to the client's address
    assert calls == [
        "UpdateItem",
        "GetItem",
        "UpdateItem",
        "UpdateItem",
        "BatchGetItem",
        "TransactWriteItems",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/clients", ["Query"]),
        ("/clients?q=mar", ["Query", "BatchGetItem"]),  # the name keys, then their clients
        ("/clients?q=maria%40", ["Query", "BatchGetItem"]),
        ("/clients?q=nobody%40", ["Query"]),
        ("/clients/{client_id}", ["GetItem", "Query"]),
        ("/clients/{client_id}/appointments", ["GetItem", "Query"]),
    ],
)
def test_each_client_read_is_one_request_per_step(
    http: Any, container: bootstrap.Container, path: str, expected: list[str]
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id, "Maria Silva", "maria@example.com")
    make_client(container.repo, api.id, "Mario Reis", "mario@example.com")
    for hours in (-48, -24, 24):
        make_appointment(api.id, client.id, hours_from_now(hours))
    with counting() as calls:
        reply = api.get(path.format(client_id=client.id))
    assert reply.status == 200, reply
    assert calls == expected


def test_a_client_update_is_one_conditional_write(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    with counting() as calls:
        assert api.patch(f"/clients/{client.id}", {"notes": "n"}).status == 200
    assert calls == ["UpdateItem"]
    api.delete(f"/clients/{client.id}")
    with counting() as calls:
        assert api.patch(f"/clients/{client.id}", {"notes": "n"}).status == 409
    assert calls == ["UpdateItem", "GetItem"], "only a refused write reads, to say why"


def test_erasing_costs_one_transaction_three_queries_and_a_write_per_appointment_with_text(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    make_appointment(api.id, client.id, hours_from_now(-24), notes="words")
    make_appointment(api.id, client.id, hours_from_now(-48))  # nothing ahead: no cancel_upcoming needed
    with counting() as calls:
        assert api.delete(f"/clients/{client.id}").status == 204
    # the client; what is ahead (index); the erasure; what is ahead again, consistently, for a
    # booking that raced the erasure; the appointments whose text is cleared; one write for the one with text
    assert calls == ["GetItem", "Query", "TransactWriteItems", "Query", "Query", "UpdateItem"]
    with counting() as calls:
        assert api.delete(f"/clients/{client.id}").status == 204
    assert calls == ["GetItem", "Query"], "again: nothing left to write"


def test_per_service_hours_rules_and_time_off_add_no_read_to_slots_or_a_booking(http: Any) -> None:
    api = Api(http)
    service = api.bookable(min_notice_minutes=0, slot_interval_minutes=15, max_advance_days=90)
    weekly = [{"day": d, "start": "10:00", "end": "14:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    assert api.put(f"/services/{service['id']}/availability", {"weekly": weekly}).status == 200
    first = datetime.now(UTC).date() + timedelta(days=1)
    off = {"from": str(first + timedelta(days=3)), "to": str(first + timedelta(days=9))}
    assert api.post("/availability/time-off", off).status == 201
    last = first + timedelta(days=30)
    path = f"/public/{service['slug']}/services/{service['id']}/slots?from={first}&to={last}"
    with counting() as calls:
        reply = Api(http, anonymous=True).get(path)
    assert reply.status == 200 and reply.json["slots"]
    # the same as without them: a month's keys with the calendars' busy days take two BatchGetItems
    assert calls == ["UpdateItem", "GetItem", "UpdateItem", "BatchGetItem", "BatchGetItem"], "the same"
    day = first + timedelta(days=14)
    while day.weekday() > 4:
        day += timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 11, tzinfo=ZoneInfo("Europe/Paris")).isoformat()
    with counting() as calls:
        booked = Api(http, anonymous=True).post(
            f"/public/{service['slug']}/bookings", booking_body(service["id"], start)
        )
    assert booked.status == 201, booked
    assert calls == [
        "UpdateItem",
        "GetItem",
        "UpdateItem",
        "UpdateItem",
        "BatchGetItem",
        "TransactWriteItems",
    ]


def test_a_daily_cap_costs_a_slot_listing_one_more_read_and_a_booking_none(http: Any) -> None:
    api = Api(http)
    service = api.bookable(max_per_day=5)
    first = datetime.now(UTC).date() + timedelta(days=1)
    last = first + timedelta(days=30)
    path = f"/public/{service['slug']}/services/{service['id']}/slots?from={first}&to={last}"
    with counting() as calls:
        reply = Api(http, anonymous=True).get(path)
    assert reply.status == 200 and reply.json["slots"]
    assert calls == ["UpdateItem", "GetItem", "UpdateItem"] + ["BatchGetItem"] * 3, "the day counts"
    day = first + timedelta(days=2)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Paris")).isoformat()
    with counting() as calls:
        booked = Api(http, anonymous=True).post(
            f"/public/{service['slug']}/bookings", booking_body(service["id"], start)
        )
    assert booked.status == 201, booked
    assert calls == [
        "UpdateItem",
        "GetItem",
        "UpdateItem",
        "UpdateItem",
        "BatchGetItem",
        "TransactWriteItems",
    ]


def test_the_new_catalog_routes_are_one_request_per_step(http: Any) -> None:
    api = Api(http)
    service = api.bookable(visibility="unlisted")
    sid = service["id"]
    with counting() as calls:
        assert Api(http, anonymous=True).get(f"/public/{service['slug']}/services/{sid}").status == 200
    assert calls == ["UpdateItem", "GetItem", "Query"], "as the page: its limit count, the slug, the catalog"
    with counting() as calls:
        page = Api(http, anonymous=True).get(f"/public/{service['slug']}?service={sid}")
    assert page.json["service"]["id"] == sid
    assert calls == ["UpdateItem", "GetItem", "Query"], "the page with its link's service: no more reads"
    weekly = {"weekly": [{"day": "sat", "start": "10:00", "end": "12:00"}]}
    steps = [
        ("PUT", f"/services/{sid}/availability", weekly, ["GetItem", "UpdateItem"]),
        ("GET", f"/services/{sid}/availability", None, ["GetItem", "BatchGetItem"]),
        ("DELETE", f"/services/{sid}/availability", None, ["GetItem", "UpdateItem"]),
        ("POST", "/availability/time-off", {"from": "2030-08-01", "to": "2030-08-07"}, ["UpdateItem"]),
        ("GET", "/availability/time-off", None, ["GetItem"]),
    ]
    for method, path, body, expected in steps:
        with counting() as calls:
            reply = api.call(method, path, body)
        assert reply.status < 300, reply
        assert calls == expected, (method, path)
    time_off_id = api.get("/availability/time-off").json["items"][0]["id"]
    with counting() as calls:
        assert api.delete(f"/availability/time-off/{time_off_id}").status == 204
    assert calls == ["GetItem", "UpdateItem"], "read the list to find its place, then remove it there"


def test_the_calendar_feed_is_two_counts_two_getitems_and_one_query(http: Any) -> None:
    api = Api(http)
    path = api.get("/me/calendar-feed").json["path"]
    with counting() as calls:
        reply = http.request("GET", path, headers={})
    assert reply.status_code == 200
    assert calls == ["UpdateItem", "UpdateItem", "GetItem", "GetItem", "Query"], (
        "the per-address and per-feed counts, the lookup by hash, the profile, the calendar index"
    )
    with counting() as calls:
        assert http.request("GET", "/feeds/not-a-feed.ics", headers={}).status_code == 404
    assert calls == ["UpdateItem"], "a malformed address: its address's count, nothing read"
