"""Every bound of the contract answers 422 with the offending field named in ``details``."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import bootstrap
from tests.api import Api
from tests.client_builders import make_client

pytestmark = pytest.mark.functional

SERVICE = {"name": "Session", "duration_minutes": 60, "price": "50.00", "currency": "EUR"}
OK_WEEK = [{"day": "mon", "start": "09:00", "end": "12:00"}]
UNKNOWN_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def service(**overrides: Any) -> dict[str, Any]:
    return {**SERVICE, **overrides}


def week(*intervals: tuple[str, str, str]) -> dict[str, Any]:
    return {"weekly": [{"day": d, "start": s, "end": e} for d, s, e in intervals]}


CASES: list[tuple[str, str, Any, str]] = [
    # PATCH /me: profile and booking policy
    ("PATCH", "/me", {"name": ""}, "name"),
    ("PATCH", "/me", {"name": "x" * 101}, "name"),
    ("PATCH", "/me", {"name": None}, "name"),
    ("PATCH", "/me", {"timezone": "Europe/Atlantis"}, "timezone"),
    ("PATCH", "/me", {"timezone": "Factory"}, "timezone"),
    ("PATCH", "/me", {"slug": "ab"}, "slug"),
    ("PATCH", "/me", {"slug": "a" * 41}, "slug"),
    ("PATCH", "/me", {"slug": "!!! ???"}, "slug"),  # nothing valid left once normalised
    ("PATCH", "/me", {"slug": "Él"}, "slug"),  # "el": too short once normalised
    ("PATCH", "/me", {"slug": "Ana " * 26}, "slug"),
    ("PATCH", "/me", {"min_notice_minutes": -1}, "min_notice_minutes"),
    ("PATCH", "/me", {"min_notice_minutes": 43_201}, "min_notice_minutes"),
    ("PATCH", "/me", {"min_notice_minutes": "60"}, "min_notice_minutes"),
    ("PATCH", "/me", {"min_notice_minutes": 60.5}, "min_notice_minutes"),
    ("PATCH", "/me", {"max_advance_days": 0}, "max_advance_days"),
    ("PATCH", "/me", {"max_advance_days": 731}, "max_advance_days"),
    ("PATCH", "/me", {"slot_interval_minutes": 0}, "slot_interval_minutes"),
    ("PATCH", "/me", {"slot_interval_minutes": 245}, "slot_interval_minutes"),
    ("PATCH", "/me", {"slot_interval_minutes": 7}, "slot_interval_minutes"),
    ("PATCH", "/me", {"cancellation_notice_minutes": -1}, "cancellation_notice_minutes"),
    ("PATCH", "/me", {"cancellation_notice_minutes": 43_201}, "cancellation_notice_minutes"),
    ("PATCH", "/me", {"reminder_offsets_minutes": [4]}, "reminder_offsets_minutes.0"),
    ("PATCH", "/me", {"reminder_offsets_minutes": [60, 10_081]}, "reminder_offsets_minutes.1"),
    ("PATCH", "/me", {"reminder_offsets_minutes": [60, 60]}, "reminder_offsets_minutes"),
    ("PATCH", "/me", {"reminder_offsets_minutes": [5, 10, 15, 20]}, "reminder_offsets_minutes"),
    ("PATCH", "/me", {"reminder_offsets_minutes": 60}, "reminder_offsets_minutes"),
    ("PATCH", "/me", {"id": "someone-else"}, "id"),
    ("PATCH", "/me", {"email": "x@example.com"}, "email"),
    ("PATCH", "/me", {"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    # categories
    ("POST", "/categories", {"name": ""}, "name"),
    ("POST", "/categories", {"name": "x" * 61}, "name"),
    ("POST", "/categories", {}, "name"),
    ("POST", "/categories", {"name": "A", "position": -1}, "position"),
    ("POST", "/categories", {"name": "A", "position": 10_000}, "position"),
    ("POST", "/categories", {"name": "A", "id": UNKNOWN_ID}, "id"),
    ("POST", "/categories", {"name": "A", "provider_id": "other"}, "provider_id"),
    ("PATCH", "/categories/{category}", {"name": None}, "name"),
    ("PATCH", "/categories/{category}", {"name": "x" * 61}, "name"),
    ("PATCH", "/categories/{category}", {"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    # services
    ("POST", "/services", service(name=""), "name"),
    ("POST", "/services", service(name="x" * 101), "name"),
    ("POST", "/services", service(description="x" * 501), "description"),
    ("POST", "/services", service(duration_minutes=0), "duration_minutes"),
    ("POST", "/services", service(duration_minutes=485), "duration_minutes"),
    ("POST", "/services", service(duration_minutes=32), "duration_minutes"),
    ("POST", "/services", service(duration_minutes="60"), "duration_minutes"),
    ("POST", "/services", service(price="-0.01"), "price"),
    ("POST", "/services", service(price="10000.01"), "price"),
    ("POST", "/services", service(price="25.001"), "price"),
    ("POST", "/services", service(price="twenty"), "price"),
    ("POST", "/services", service(price="NaN"), "price"),
    ("POST", "/services", service(price=True), "price"),
    ("POST", "/services", service(currency="eur"), "currency"),
    ("POST", "/services", service(currency="XXX"), "currency"),
    ("POST", "/services", service(currency="EURO"), "currency"),
    ("POST", "/services", service(category_id="not-an-id"), "category_id"),
    ("POST", "/services", service(category_id=UNKNOWN_ID), "category_id"),
    ("POST", "/services", service(visible="yes"), "visible"),
    ("POST", "/services", service(buffer_before_minutes=-5), "buffer_before_minutes"),
    ("POST", "/services", service(buffer_before_minutes=245), "buffer_before_minutes"),
    ("POST", "/services", service(buffer_after_minutes=3), "buffer_after_minutes"),
    ("POST", "/services", service(id=UNKNOWN_ID), "id"),
    ("POST", "/services", service(provider_id="other"), "provider_id"),
    ("POST", "/services", service(created_at="2020-01-01T00:00:00Z"), "created_at"),
    ("POST", "/services", {"name": "No price"}, "price"),
    ("PATCH", "/services/{service}", {"price": None}, "price"),
    ("PATCH", "/services/{service}", {"price": "1.999"}, "price"),
    ("PATCH", "/services/{service}", {"duration_minutes": 490}, "duration_minutes"),
    ("PATCH", "/services/{service}", {"category_id": UNKNOWN_ID}, "category_id"),
    ("PATCH", "/services/{service}", {"visible": None}, "visible"),
    ("PATCH", "/services/{service}", {"updated_at": "2020-01-01T00:00:00Z"}, "updated_at"),
    # weekly hours
    ("PUT", "/availability", {}, "weekly"),
    ("PUT", "/availability", {"timezone": "Mars/Olympus", "weekly": OK_WEEK}, "timezone"),
    ("PUT", "/availability", week(("monday", "09:00", "12:00")), "weekly.0.day"),
    ("PUT", "/availability", week(("mon", "9:00", "12:00")), "weekly.0.start"),
    ("PUT", "/availability", week(("mon", "09:00", "24:01")), "weekly.0.end"),
    ("PUT", "/availability", week(("mon", "24:00", "24:00")), "weekly.0.start"),
    ("PUT", "/availability", week(("mon", "12:00", "09:00")), "weekly.0"),
    ("PUT", "/availability", week(("mon", "09:00", "09:00")), "weekly.0"),
    ("PUT", "/availability", week(("mon", "09:00", "12:00"), ("mon", "11:59", "13:00")), "weekly.1"),
    ("PUT", "/availability", week(*[("mon", "00:00", "00:05")] * 71), "weekly"),
    ("PUT", "/availability", week(*[("mon", f"{h:02d}:00", f"{h:02d}:30") for h in range(11)]), "weekly"),
    ("PUT", "/availability", {"weekly": OK_WEEK, "provider_id": "x"}, "provider_id"),
    # date overrides
    ("PUT", "/availability/overrides/2026-02-30", {"intervals": []}, "date"),
    ("PUT", "/availability/overrides/2026-5-1", {"intervals": []}, "date"),
    ("PUT", "/availability/overrides/2026-05-01", {}, "intervals"),
    (
        "PUT",
        "/availability/overrides/2026-05-01",
        {"intervals": [{"start": "14:00", "end": "10:00"}]},
        "intervals.0",
    ),
    (
        "PUT",
        "/availability/overrides/2026-05-01",
        {"intervals": [{"start": "10:00", "end": "14:00"}, {"start": "13:00", "end": "15:00"}]},
        "intervals.1",
    ),
    ("PUT", "/availability/overrides/2026-05-01", {"intervals": [], "closed": True}, "closed"),
    ("GET", "/availability/overrides/2026-13-01", None, "date"),
    ("DELETE", "/availability/overrides/not-a-date", None, "date"),
    ("GET", "/availability/overrides?to=2026-05-01", None, "from"),
    ("GET", "/availability/overrides?from=2026-05-01", None, "to"),
    ("GET", "/availability/overrides?from=2026-05-01&to=2026-13-01", None, "to"),
    ("GET", "/availability/overrides?from=2026-05-02&to=2026-05-01", None, "to"),
    ("GET", "/availability/overrides?from=2026-01-01&to=2027-01-02", None, "to"),
    ("GET", "/availability/overrides?from=2026-01-01&to=2026-01-02&limit=0", None, "limit"),
    # clients
    ("GET", "/clients?q=", None, "q"),
    ("GET", "/clients?q=%20%20", None, "q"),
    ("GET", "/clients?q=" + "a" * 101, None, "q"),
    ("GET", "/clients?q=ana&limit=0", None, "limit"),
    ("GET", "/clients?sort=name", None, "sort"),
    ("GET", "/clients/{client}/appointments?limit=101", None, "limit"),
    ("GET", "/clients/{client}/appointments?status=pending", None, "status"),
    ("PATCH", "/clients/{client}", {"name": ""}, "name"),
    ("PATCH", "/clients/{client}", {"name": "   "}, "name"),
    ("PATCH", "/clients/{client}", {"name": "x" * 101}, "name"),
    ("PATCH", "/clients/{client}", {"name": None}, "name"),
    ("PATCH", "/clients/{client}", {"phone": "1" * 41}, "phone"),
    ("PATCH", "/clients/{client}", {"phone": "+351 912 345 678 ext. 4"}, "phone"),
    ("PATCH", "/clients/{client}", {"phone": "0800-CALL-NOW"}, "phone"),
    ("PATCH", "/clients/{client}", {"phone": "12"}, "phone"),  # too few digits for a number
    ("PATCH", "/clients/{client}", {"phone": "212+555"}, "phone"),  # + only leads
    ("PATCH", "/clients/{client}", {"phone": 351912345678}, "phone"),
    ("PATCH", "/clients/{client}", {"phone": None}, "phone"),
    ("PATCH", "/clients/{client}", {"notes": "n" * 2001}, "notes"),
    ("PATCH", "/clients/{client}", {"notes": None}, "notes"),
    ("PATCH", "/clients/{client}", {"email": "new@example.com"}, "email"),
    ("PATCH", "/clients/{client}", {"timezone": "Europe/Paris"}, "timezone"),
    ("PATCH", "/clients/{client}", {"erased": False}, "erased"),
    ("PATCH", "/clients/{client}", {"id": UNKNOWN_ID}, "id"),
    # list paging
    ("GET", "/categories?limit=0", None, "limit"),
    ("GET", "/categories?limit=101", None, "limit"),
    ("GET", "/services?limit=ten", None, "limit"),
    ("GET", "/services?sort=name", None, "sort"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), CASES, ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES]
)
def test_out_of_bounds_input_is_422_naming_the_field(
    http: Any, container: bootstrap.Container, method: str, path: str, body: Any, field: str
) -> None:
    api = Api(http)
    if "{client}" in path:  # clients come from bookings; here straight from the store
        path = path.replace("{client}", make_client(container.repo, api.id).id)
    if "{category}" in path:
        path = path.replace("{category}", api.category()["id"])
    if "{service}" in path:
        path = path.replace("{service}", api.service()["id"])
    reply = api.call(method, path, body)
    assert reply.status == 422, reply
    assert reply.json["error"]["code"] == "validation_failed"
    assert field in reply.error_fields(), reply


@pytest.mark.parametrize(
    "body",
    [
        {"min_notice_minutes": 0, "cancellation_notice_minutes": 43_200},
        {"max_advance_days": 1},
        {"max_advance_days": 730, "slot_interval_minutes": 240},
        {"slot_interval_minutes": 5, "reminder_offsets_minutes": [5, 10_080, 60]},
        {"reminder_offsets_minutes": []},
    ],
)
def test_policy_values_on_the_bounds_are_accepted(http: Any, body: dict[str, Any]) -> None:
    reply = Api(http).patch("/me", body)
    assert reply.status == 200, reply
    for name, value in body.items():
        expected = sorted(value, reverse=True) if isinstance(value, list) else value
        assert reply.json[name] == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_minutes": 5, "price": "0", "buffer_before_minutes": 0},
        {"duration_minutes": 480, "price": "10000.00", "buffer_after_minutes": 240},
        {"name": "x" * 100, "description": "d" * 500, "price": 19.99},
    ],
)
def test_service_values_on_the_bounds_are_accepted(http: Any, fields: dict[str, Any]) -> None:
    assert Api(http).post("/services", service(**fields)).status == 201
