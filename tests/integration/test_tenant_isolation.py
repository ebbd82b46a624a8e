"""Two providers on DynamoDB Local: one's ids are 404 to the other, and nothing of theirs changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.services.integrations.ports import StoredMessage
from tests.api import Api, booking_body, unique
from tests.client_builders import hours_from_now, make_appointment, make_client

pytestmark = pytest.mark.integration

DAY = "2026-07-14"
SERVICE = {"name": "x", "duration_minutes": 30, "price": "10.00", "currency": "EUR"}
# Every provider route whose path takes an id, with a body for the methods that need one.
ID_ROUTES = [
    ("GET", "/categories/{category_id}", None),
    ("PATCH", "/categories/{category_id}", {"name": "Mine now"}),
    ("DELETE", "/categories/{category_id}", None),
    ("GET", "/services/{service_id}", None),
    ("PATCH", "/services/{service_id}", {"price": "1.00", "visible": False}),
    ("DELETE", "/services/{service_id}", None),
    ("GET", "/services/{service_id}/availability", None),
    (
        "PUT",
        "/services/{service_id}/availability",
        {"weekly": [{"day": "sun", "start": "09:00", "end": "10:00"}]},
    ),
    ("DELETE", "/services/{service_id}/availability", None),
    ("DELETE", "/availability/time-off/{time_off_id}", None),
    ("GET", "/availability/overrides/{date}", None),
    ("DELETE", "/availability/overrides/{date}", None),
    ("GET", "/appointments/{appointment_id}", None),
    ("PATCH", "/appointments/{appointment_id}", {"notes": "mine now"}),
    ("POST", "/appointments/{appointment_id}/cancel", {"reason": "mine now"}),
    ("POST", "/appointments/{appointment_id}/reschedule", {"start": "2030-01-07T10:00:00+01:00"}),
    ("GET", "/clients/{client_id}", None),
    ("PATCH", "/clients/{client_id}", {"name": "Mine now", "notes": "overwritten"}),
    ("DELETE", "/clients/{client_id}", None),
    ("GET", "/clients/{client_id}/appointments", None),
    ("GET", "/clients/{client_id}/export", None),
    ("POST", "/appointments/{pending_id}/confirm", {}),
    ("POST", "/appointments/{pending_id}/decline", {"reason": "mine now"}),
    ("DELETE", "/api-keys/{key_id}", None),
    ("POST", "/calendars/{calendar_id}/refresh", None),
    ("DELETE", "/calendars/{calendar_id}", None),
    ("GET", "/webhooks/{webhook_id}", None),
    ("PATCH", "/webhooks/{webhook_id}", {"description": "mine now", "events": ["booking.cancelled"]}),
    ("DELETE", "/webhooks/{webhook_id}", None),
    ("POST", "/webhooks/{webhook_id}/rotate-secret", None),
    ("POST", "/webhooks/{webhook_id}/test", None),
    ("GET", "/webhooks/{webhook_id}/deliveries", None),
    ("POST", "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", None),
]
# Public routes: a slug is public, and a booking is reached only with its manage token.
STAMP = "2026-01-01T00:00:00Z"
PUBLIC_BY_DESIGN = {
    "/public/{slug}",
    "/public/{slug}/services/{service_id}",  # a public or unlisted service: what its link shows
    "/public/{slug}/services/{service_id}/slots",
    "/public/{slug}/bookings",
    "/public/{slug}/challenge",  # a proof-of-work challenge: random, signed, no provider data
    "/public/bookings/{booking_id}",
    "/public/bookings/{booking_id}/cancel",
    "/public/bookings/{booking_id}/reschedule",
    # A calendar feed: its address holds the secret token, the only credential (a wrong one: 404).
    "/feeds/{feed}",
    # Static pages and assets: the same bytes for everyone, no provider data in them.
    "/book/{slug}",
    "/book/{slug}/{service_id}",
    "/book/manage/{appointment_id}",
    "/assets/{version}/{name}",
    # A provider's photo: what the public page shows anyway, by a versioned name (else 404).
    "/photos/{name}",
    # The local stage's upload target: a sealed ticket for that provider's key is the credential
    # (another key's ticket: 403); tests/functional/test_photo_http.py tries it.
    "/photo-uploads/{provider_id}/{upload_id}",
}


def partition(ddb: Any, table: str, provider_id: str) -> list[dict[str, Any]]:
    pk = {":pk": {"S": keys.provider_pk(provider_id)}}
    reply = ddb.query(
        TableName=table, KeyConditionExpression="PK = :pk", ExpressionAttributeValues=pk, ConsistentRead=True
    )
    items: list[dict[str, Any]] = reply["Items"]
    return items


def next_monday_at(hour: int) -> str:
    monday = date.today() + timedelta(days=7 - date.today().weekday() + 7)
    return datetime(monday.year, monday.month, monday.day, hour, tzinfo=ZoneInfo("Europe/Paris")).isoformat()


@pytest.fixture
def owner(http: Any, container: bootstrap.Container) -> tuple[Api, dict[str, str]]:
    api = Api(http)
    api.patch("/me", {"slug": unique("owner"), "timezone": "Europe/Paris"})
    category = api.category("Owner's")
    service = api.service("Owner's service", category_id=category["id"])
    api.put("/availability", {"weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}]})
    api.put(f"/availability/overrides/{DAY}", {"intervals": [{"start": "10:00", "end": "12:00"}]})
    api.put(
        f"/services/{service['id']}/availability",
        {"weekly": [{"day": "mon", "start": "09:00", "end": "12:00"}]},
    )
    time_off = api.post("/availability/time-off", {"from": "2030-08-01", "to": "2030-08-07"}).json
    api.patch("/me", {"min_notice_minutes": 0, "max_advance_days": 730})
    appointment = api.post("/appointments", booking_body(service["id"], next_monday_at(10)))
    assert appointment.status == 201, appointment
    client = make_client(container.repo, api.id, "Owner's Client", "owners.client@example.com")
    api.patch(f"/clients/{client.id}", {"notes": "Owner's private note"})
    make_appointment(api.id, client.id, hours_from_now(24), notes="The client's own words")
    api.patch(f"/services/{service['id']}", {"requires_approval": True})
    pending = Api(http, anonymous=True).post(
        f"/public/{api.get('/me').json['slug']}/bookings", booking_body(service["id"], next_monday_at(11))
    )
    assert pending.status == 201 and pending.json["status"] == "pending", pending
    key = api.post("/api-keys", {"name": "Owner's key", "scopes": ["read"]})
    assert key.status == 201, key
    # a calendar on a closed loopback port (the local stage allows loopback): connected, its read failed
    calendar = api.post("/calendars", {"type": "ics", "url": "http://127.0.0.1:9/owner.ics"})
    assert calendar.status == 201, calendar
    # a webhook to a closed loopback port: its test send would fail, and is never sent for another
    webhook = api.post(
        "/webhooks",
        {"url": "http://127.0.0.1:9/owner-hook", "events": ["booking.created"], "description": "Owner's"},
    )
    assert webhook.status == 201, webhook
    # one delivery of it, as the stream consumer claims it
    delivery = StoredMessage("msg_owner", "booking.created", b"{}")
    assert container.webhook_deliveries.ledger.claim(api.id, webhook.json["id"], delivery, STAMP)
    ids = {
        "delivery_id": "msg_owner",
        "pending_id": pending.json["id"],
        "webhook_id": webhook.json["id"],
        "key_id": key.json["id"],
        "calendar_id": calendar.json["id"],
        "category_id": category["id"],
        "service_id": service["id"],
        "date": DAY,
        "client_id": client.id,
        "time_off_id": time_off["id"],
    }
    return api, {**ids, "appointment_id": appointment.json["id"]}


def test_the_table_covers_every_provider_route_that_takes_an_id() -> None:
    from app import app

    with_ids = {
        (method, path)
        for path, methods in app.routes.items()
        for method in methods
        if "{" in path and method != "OPTIONS" and path not in PUBLIC_BY_DESIGN
    }
    named = {(method, path.replace("{pending_id}", "{appointment_id}")) for method, path, _ in ID_ROUTES}
    covered = named | {("PUT", "/availability/overrides/{date}")}
    assert with_ids == covered, "add new id routes to ID_ROUTES"


@pytest.mark.parametrize(("method", "template", "body"), ID_ROUTES, ids=[f"{m} {p}" for m, p, _ in ID_ROUTES])
def test_another_providers_ids_are_404_and_their_items_do_not_change(
    http: Any, ddb_client: Any, local_env: dict[str, str], owner: tuple[Api, dict[str, str]],
    method: str, template: str, body: Any,
) -> None:  # fmt: skip
    owner_api, ids = owner
    table = local_env["TABLE_NAME"]
    before = partition(ddb_client, table, owner_api.id)
    intruder = Api(http)
    reply = intruder.call(method, template.format(**ids), body)
    assert reply.status == 404, reply
    assert reply.json["error"]["code"] == "not_found"
    assert partition(ddb_client, table, owner_api.id) == before


def test_putting_an_override_on_the_same_date_only_touches_the_callers_own(
    http: Any, ddb_client: Any, local_env: dict[str, str], owner: tuple[Api, dict[str, str]]
) -> None:
    owner_api, _ = owner
    before = partition(ddb_client, local_env["TABLE_NAME"], owner_api.id)
    intruder = Api(http)
    assert intruder.put(f"/availability/overrides/{DAY}", {"intervals": []}).status == 200
    assert partition(ddb_client, local_env["TABLE_NAME"], owner_api.id) == before
    assert owner_api.get(f"/availability/overrides/{DAY}").json["closed"] is False


def test_another_providers_category_cannot_be_used_for_a_service(
    http: Any, ddb_client: Any, local_env: dict[str, str], owner: tuple[Api, dict[str, str]]
) -> None:
    owner_api, ids = owner
    before = partition(ddb_client, local_env["TABLE_NAME"], owner_api.id)
    intruder = Api(http)
    created = intruder.post("/services", {**SERVICE, "category_id": ids["category_id"]})
    assert created.status == 422 and created.error_fields() == {"category_id"}
    mine = intruder.service()
    moved = intruder.patch(f"/services/{mine['id']}", {"category_id": ids["category_id"]})
    assert moved.status == 422 and moved.error_fields() == {"category_id"}
    assert intruder.get(f"/services/{mine['id']}").json["category_id"] is None
    assert partition(ddb_client, local_env["TABLE_NAME"], owner_api.id) == before


def test_lists_and_cursors_stay_within_the_caller(http: Any, owner: tuple[Api, dict[str, str]]) -> None:
    owner_api, _ = owner
    owner_api.service("Second")
    intruder = Api(http)
    assert intruder.get("/services").json == {"items": [], "next_cursor": None}
    assert intruder.get("/categories").json == {"items": [], "next_cursor": None}
    assert intruder.get(f"/availability/overrides?from={DAY}&to={DAY}").json["items"] == []
    assert intruder.get("/availability").json["weekly"] == []
    cursor = owner_api.get("/services?limit=1").json["next_cursor"]
    assert cursor is not None
    assert intruder.get(f"/services?cursor={cursor}").status == 400


def test_client_lists_searches_and_cursors_stay_within_the_caller(
    http: Any, container: bootstrap.Container, owner: tuple[Api, dict[str, str]]
) -> None:
    owner_api, _ = owner
    make_client(container.repo, owner_api.id, "Owner's Second")
    intruder = Api(http)
    for path in ("/clients", "/clients?q=owner", "/clients?q=owners.client%40example.com"):
        assert intruder.get(path).json == {"items": [], "next_cursor": None}, path
    for path in ("/clients?limit=1", "/clients?q=owner&limit=1"):
        cursor = owner_api.get(path).json["next_cursor"]
        assert cursor is not None
        assert intruder.get(f"{path}&cursor={cursor}").status == 400, path
    mine = make_client(container.repo, intruder.id, "Intruder's Client")
    make_appointment(intruder.id, mine.id, hours_from_now(48))
    listed = intruder.get(f"/clients/{mine.id}/appointments").json
    assert len(listed["items"]) == 1, "only the caller's calendar is read"
    assert intruder.get(f"/clients/{mine.id}").json["history"]["total"] == 1


def test_the_same_email_is_a_different_client_for_each_provider(
    http: Any, container: bootstrap.Container, owner: tuple[Api, dict[str, str]]
) -> None:
    owner_api, ids = owner
    intruder = Api(http)
    theirs = make_client(container.repo, intruder.id, "Same Person", "owners.client@example.com")
    assert theirs.id != ids["client_id"]
    assert intruder.delete(f"/clients/{theirs.id}").status == 204
    assert owner_api.get(f"/clients/{ids['client_id']}").json["email"] == "owners.client@example.com"
    assert [c["id"] for c in owner_api.get("/clients?q=owners.client%40").json["items"]] == [ids["client_id"]]
