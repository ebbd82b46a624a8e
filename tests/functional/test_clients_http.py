"""Clients through HTTP: list and search, detail with history, notes, erasure, appointments."""

from __future__ import annotations

import base64
import io
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import AppointmentItem
from chalicelib.domain.booking.appointments import CANCELLED, COMPLETED, CONFIRMED, NO_SHOW, PENDING
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.observability import logger
from tests.api import Api, booking_body
from tests.client_builders import hours_from_now, make_appointment, make_client

pytestmark = pytest.mark.functional
CLIENT_FIELDS = {"id", "name", "email", "phone", "notes", "timezone", "erased", "created_at", "updated_at"}


def ids(reply: Any) -> list[str]:
    return [c["id"] for c in reply.json["items"]]


def every_page(api: Api, path: str, limit: int) -> tuple[list[str], int]:
    seen: list[str] = []
    cursor, pages = None, 0
    joiner = "&" if "?" in path else "?"
    while True:
        reply = api.get(f"{path}{joiner}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert reply.status == 200, reply
        seen += [item["id"] for item in reply.json["items"]]
        pages, cursor = pages + 1, reply.json["next_cursor"]
        if cursor is None:
            return seen, pages


def test_without_q_every_client_comes_oldest_first_page_by_page(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    made = [make_client(container.repo, api.id, f"Client {i}").id for i in range(5)]
    listed = api.get("/clients").json
    assert listed["next_cursor"] is None and len(listed["items"]) == 5
    assert set(listed["items"][0]) == CLIENT_FIELDS
    seen, pages = every_page(api, "/clients", 2)
    assert seen == made, "oldest first, each exactly once"
    assert pages == 3, "no empty last page"


def test_q_searches_names_from_any_word_in_any_case_and_accents_aside(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    for name in ("Maria Silva", "mariana Costa", "Mário Reis", "Ana Maria", "Ana Silva", "José Núñez"):
        make_client(container.repo, api.id, name)
    every_mari = ["Maria Silva", "Ana Maria", "mariana Costa", "Mário Reis"]  # by the matching part
    assert [c["name"] for c in api.get("/clients?q=MARI").json["items"]] == every_mari
    assert [c["name"] for c in api.get("/clients?q=má").json["items"]] == every_mari
    assert [c["name"] for c in api.get("/clients?q=%20maria%20s%20").json["items"]] == ["Maria Silva"]
    assert [c["name"] for c in api.get("/clients?q=silva").json["items"]] == ["Maria Silva", "Ana Silva"]
    assert [c["name"] for c in api.get("/clients?q=jose").json["items"]] == ["José Núñez"]
    assert [c["name"] for c in api.get("/clients?q=NUNEZ").json["items"]] == ["José Núñez"]
    seen, pages = every_page(api, "/clients?q=mar", 1)
    assert len(seen) == 4 and pages == 4


def test_q_with_four_digits_or_more_searches_phones_anywhere_in_the_number(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    ny = make_client(container.repo, api.id, "Ana Silva", phone="+1 212-555-0100")
    assert api.patch(f"/clients/{ny.id}", {"phone": "+1 212-555-0100"}).status == 200
    other = make_client(container.repo, api.id, "Bea Costa", phone="")
    assert api.patch(f"/clients/{other.id}", {"phone": "212.555.0199"}).status == 200
    for q in ("5550100", "555-0100", "(212)%20555-0100", "%2B12125550100", "0100"):
        assert ids(api.get(f"/clients?q={q}")) == [ny.id], q
    assert ids(api.get("/clients?q=2125550")) == [ny.id, other.id], "by the digits from the match on"
    assert ids(api.get("/clients?q=9999")) == []
    assert api.patch(f"/clients/{ny.id}", {"phone": ""}).status == 200
    assert ids(api.get("/clients?q=5550100")) == [], "the old number no longer finds her"


def test_q_that_looks_like_an_email_searches_emails(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    ana = make_client(container.repo, api.id, "Ana", "Ana.Silva@Example.com")
    make_client(container.repo, api.id, "Bea", "bea85@example.com")
    make_client(container.repo, api.id, "Ana Two", "anatwo@example.com")
    assert ids(api.get("/clients?q=ana.s")) == [ana.id]
    assert ids(api.get("/clients?q=ANA.SILVA@EXAMPLE.COM")) == [ana.id]
    assert [c["email"] for c in api.get("/clients?q=bea8").json["items"]] == ["bea85@example.com"]
    assert [c["email"] for c in api.get("/clients?q=ana%40").json["items"]] == []
    # By name key, "<lower name>#<id>": '#' sorts after a space, so "Ana Two" comes before "Ana".
    assert [c["name"] for c in api.get("/clients?q=ana").json["items"]] == ["Ana Two", "Ana"], "names"


def test_a_search_cursor_is_only_good_for_that_search_and_a_tampered_one_is_400(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    for email in ("lia1@example.com", "lia2@example.com", "lia3@example.com"):
        make_client(container.repo, api.id, "Lia", email)
    cursor = api.get("/clients?q=lia&limit=1").json["next_cursor"]
    email_cursor = api.get("/clients?q=lia1&limit=1").json["next_cursor"]  # lia1 reads as an email
    assert cursor is not None and email_cursor is None
    email_cursor = api.get("/clients?q=lia.&limit=1").json["next_cursor"]
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    key["PK"] = "PROVIDER#someone-else#CLIENTS"
    forged = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
    for path in (
        f"/clients?q=lia&cursor={forged}",
        f"/clients?q=lia&cursor={cursor[:-3]}",
        f"/clients?q=li&cursor={email_cursor}",
        f"/clients?q=bob&cursor={cursor}",
        f"/clients?cursor={cursor}",
        f"/clients?q=lia%40&cursor={cursor}",
    ):
        reply = api.get(path)
        assert reply.status == 400, (path, reply)
        assert reply.json["error"]["code"] == "invalid_cursor"


def test_the_detail_summarises_the_clients_appointments(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id, "Maria Silva", "maria@example.com")
    other = make_client(container.repo, api.id, "Someone Else")
    last, upcoming = hours_from_now(-48), hours_from_now(24)
    make_appointment(api.id, client.id, hours_from_now(-24 * 30), COMPLETED)
    make_appointment(api.id, client.id, last, NO_SHOW)
    make_appointment(api.id, client.id, hours_from_now(-2), CANCELLED)
    make_appointment(api.id, client.id, upcoming, CONFIRMED)
    make_appointment(api.id, client.id, hours_from_now(72), PENDING)
    make_appointment(api.id, other.id, hours_from_now(1), CONFIRMED)
    detail = api.get(f"/clients/{client.id}").json
    assert set(detail) == CLIENT_FIELDS | {"history"}
    assert (detail["name"], detail["email"], detail["erased"]) == ("Maria Silva", "maria@example.com", False)
    assert detail["history"] == {
        "total": 5,
        "by_status": {
            "pending": 1,
            "confirmed": 1,
            "cancelled": 1,
            "completed": 1,
            "no_show": 1,
            "declined": 0,
        },
        "last_start": last.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "next_start": upcoming.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    fresh = api.get(f"/clients/{other.id}").json["history"]
    assert fresh["total"] == 1 and fresh["last_start"] is None


def test_name_phone_and_private_notes_can_be_changed_and_the_email_cannot(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id, "Joana", "joana@example.com")
    path = f"/clients/{client.id}"
    changed = api.patch(
        path, {"name": "Joana Reis", "phone": "(+351) 21-000 0000", "notes": "Prefers mornings"}
    )
    assert changed.status == 200, changed
    assert set(changed.json) == CLIENT_FIELDS
    assert (changed.json["name"], changed.json["phone"], changed.json["notes"]) == (
        "Joana Reis",
        "(+351) 21-000 0000",
        "Prefers mornings",
    )
    assert changed.json["updated_at"] != client.updated_at
    assert api.patch(path, {"phone": ""}).json["phone"] == ""
    refused = api.patch(path, {"email": "new@example.com"})
    assert refused.status == 422 and refused.error_fields() == {"email"}
    assert ids(api.get("/clients?q=joana%20r")) == [client.id], "the name search follows the name"
    assert api.get(path).json["email"] == "joana@example.com"


def test_an_empty_patch_changes_nothing(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    reply = api.patch(f"/clients/{client.id}", {})
    assert reply.status == 200
    assert reply.json["updated_at"] == client.updated_at


def test_erasing_keeps_anonymous_history_and_a_later_booking_is_a_new_client(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id, "Maria Silva", "maria@example.com")
    api.patch(f"/clients/{client.id}", {"notes": "Knee surgery in May"})
    past = make_appointment(
        api.id, client.id, hours_from_now(-24), COMPLETED, notes="My knee", provider_notes="ok"
    )
    service = api.bookable("Europe/Lisbon")
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    body = booking_body(service["id"], start.isoformat(), "maria@example.com", notes="Parking?")
    booked = api.post("/appointments", body)
    assert booked.status == 201 and booked.json["client"]["id"] == client.id, booked
    future = AppointmentItem.get(keys.provider_pk(api.id), keys.appointment_sk(booked.json["id"]))
    assert future.notes == "Parking?"
    refused = api.delete(f"/clients/{client.id}")
    assert refused.status == 409, refused
    assert refused.json["error"]["code"] == "has_upcoming"
    assert "1 upcoming appointment;" in refused.json["error"]["message"]
    assert api.get(f"/clients/{client.id}").json["name"] == "Maria Silva", "nothing erased"
    assert api.delete(f"/clients/{client.id}?cancel_upcoming=true").status == 204

    record = api.get(f"/clients/{client.id}").json
    assert {k: record[k] for k in ("name", "email", "phone", "notes", "timezone", "erased")} == {
        "name": ERASED_NAME,
        "email": None,
        "phone": "",
        "notes": "",
        "timezone": "",
        "erased": True,
    }
    assert record["history"]["total"] == 2, "the history is kept"
    for before, status in ((past, COMPLETED), (future, CANCELLED)):
        after = AppointmentItem.get(before.PK, before.SK, consistent_read=True)
        assert (after.notes, after.provider_notes) == ("", "")
        assert (after.status, after.start, after.service_id) == (status, before.start, before.service_id)
    listed = api.get(f"/clients/{client.id}/appointments").json["items"]
    assert [a["notes"] for a in listed] == ["", ""]

    assert api.get("/clients?q=maria").json["items"] == [], "erased clients never match a search"
    assert api.get("/clients?q=maria%40").json["items"] == []
    assert ids(api.get("/clients")) == [client.id], "still listed, as the anonymous record"
    again = make_client(container.repo, api.id, "Maria Silva", "maria@example.com")
    assert again.id != client.id
    assert ids(api.get("/clients?q=maria%40")) == [again.id]


@pytest.mark.parametrize("flag", ["maybe", "2", ""])
def test_a_cancel_upcoming_that_is_not_a_boolean_is_422_and_erases_nothing(
    http: Any, container: bootstrap.Container, flag: str
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    reply = api.delete(f"/clients/{client.id}?cancel_upcoming={flag}")
    assert reply.status == 422, reply
    assert reply.error_fields() == {"cancel_upcoming"}
    assert api.get(f"/clients/{client.id}").json["erased"] is False


def test_erasing_again_is_204_and_finishes_what_an_interrupted_erasure_left(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    assert api.delete(f"/clients/{client.id}").status == 204
    # As if the first request had stopped after the client's write, before the appointments.
    left = make_appointment(api.id, client.id, hours_from_now(-5), COMPLETED, notes="left behind")
    assert api.delete(f"/clients/{client.id}").status == 204
    assert AppointmentItem.get(left.PK, left.SK, consistent_read=True).notes == ""
    assert api.get(f"/clients/{client.id}").json["updated_at"] != client.updated_at


def test_an_erased_client_cannot_be_edited(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    api.delete(f"/clients/{client.id}")
    for body in ({"name": "Back"}, {"notes": "x"}, {}):
        reply = api.patch(f"/clients/{client.id}", body)
        assert reply.status == 409, reply
        assert reply.json["error"]["code"] == "client_erased"
    assert api.get(f"/clients/{client.id}").json["name"] == ERASED_NAME


def test_a_clients_appointments_come_latest_start_first(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client, other = make_client(container.repo, api.id), make_client(container.repo, api.id)
    made = [make_appointment(api.id, client.id, hours_from_now(h)) for h in (-300, -20, 5, 400)]
    make_appointment(api.id, other.id, hours_from_now(6))
    expected = [a.appointment_id for a in sorted(made, key=lambda a: a.start, reverse=True)]
    seen, pages = every_page(api, f"/clients/{client.id}/appointments", 3)
    assert (seen, pages) == (expected, 2)
    first = api.get(f"/clients/{client.id}/appointments").json["items"][0]
    assert set(first) == {
        "id", "service_id", "service_name", "start", "end", "status", "price", "currency",
        "notes", "provider_notes", "cancel_reason",
    }  # fmt: skip
    assert (first["price"], first["currency"], first["status"]) == ("65.00", "EUR", CONFIRMED)
    cursor = api.get(f"/clients/{client.id}/appointments?limit=1").json["next_cursor"]
    assert api.get(f"/clients?cursor={cursor}").status == 400
    assert api.get(f"/clients/{client.id}/appointments?cursor=abc").status == 400


def test_a_client_without_appointments_has_an_empty_list(http: Any, container: bootstrap.Container) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    assert api.get(f"/clients/{client.id}/appointments").json == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "path",
    [
        "/clients/nope",
        "/clients/01arz3ndektsv4rrffq69g5fav",
        "/clients/01ARZ3NDEKTSV4RRFFQ69G5FAV",  # pragma: allowlist secret
        "/clients/" + "A" * 2000,
        "/clients/..%2F..%2Fx",
    ],
)
def test_malformed_or_unknown_client_ids_are_404(http: Any, path: str) -> None:
    api = Api(http)
    for method, target in (("GET", path), ("PATCH", path), ("DELETE", path), ("GET", path + "/appointments")):
        reply = api.call(method, target, {"notes": "x"} if method == "PATCH" else None)
        assert reply.status == 404, (method, target, reply)
        assert reply.json["error"]["code"] == "not_found"


def test_client_routes_need_a_token(http: Any) -> None:
    anonymous = Api(http, anonymous=True)
    one = "/clients/01ARZ3NDEKTSV4RRFFQ69G5FAV"  # pragma: allowlist secret
    for method, path in (("GET", "/clients"), ("GET", one), ("PATCH", one), ("DELETE", one)):
        assert anonymous.call(method, path, {} if method == "PATCH" else None).status == 401


@pytest.mark.parametrize(
    "body",
    [{"name": "x" * 100}, {"phone": "+1 (555) 010 - 0000 - 12 - 34 - 56 - 789"}, {"notes": "n" * 2000}],
)
def test_values_on_the_bounds_are_accepted(
    http: Any, container: bootstrap.Container, body: dict[str, str]
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    reply = api.patch(f"/clients/{client.id}", body)
    assert reply.status == 200, reply
    assert all(reply.json[name] == value for name, value in body.items())


def test_logs_hold_no_client_data_beyond_ids(http: Any, container: bootstrap.Container) -> None:
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    sink = io.StringIO()
    previous = handler.setStream(sink)
    try:
        api = Api(http)
        client = make_client(container.repo, api.id, "Privata Persona", "privata.persona@example.com")
        make_appointment(api.id, client.id, hours_from_now(-3), COMPLETED, notes="secret symptom")
        api.get("/clients?q=privata.persona%40example.com")
        api.get("/clients?q=Privata")
        api.patch(f"/clients/{client.id}", {"phone": "+44 7700 900123", "notes": "secret note"})
        api.patch(f"/clients/{client.id}", {"name": "x" * 101, "phone": "call me maybe"})
        api.get(f"/clients/{client.id}")
        api.get(f"/clients/{client.id}/appointments")
        api.delete(f"/clients/{client.id}")
    finally:
        handler.setStream(previous)
    logged = sink.getvalue()
    assert '"message":"request"' in logged
    for personal in ("privata", "Privata", "7700 900123", "secret", "call me maybe", "x" * 101):
        assert personal not in logged, personal
