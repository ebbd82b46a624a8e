"""One phone rule on every route that takes a phone, one slug rule on PATCH /me (DynamoDB Local)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from importer import rules as import_rules
from tests.api import Api, booking_body, unique
from tests.client_builders import make_client

pytestmark = pytest.mark.functional
PARIS = ZoneInfo("Europe/Paris")
PHONES = ["212.555.0100", "+351 912 345 678", "(212) 555-0100"]


def at(days: int, hour: int) -> str:
    day: date = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


def with_phone(service_id: str, start: str, phone: str, email: str) -> dict[str, Any]:
    body = booking_body(service_id, start, email)
    body["client"]["phone"] = phone
    return body


def test_every_route_that_takes_a_phone_accepts_the_same_numbers(
    http: Any, container: bootstrap.Container
) -> None:
    api, visitor = Api(http), Api(http, anonymous=True)
    service = api.bookable()
    client = make_client(container.repo, api.id, "Ana Silva", "ana@example.com")
    for n, phone in enumerate(PHONES):
        public = visitor.post(
            f"/public/{service['slug']}/bookings",
            with_phone(service["id"], at(10, 9 + n), phone, f"p{n}@example.com"),
        )
        assert public.status == 201, (phone, public)
        own = api.post("/appointments", with_phone(service["id"], at(11, 9 + n), phone, f"o{n}@example.com"))
        assert own.status == 201, (phone, own)
        assert own.json["contact"]["phone"] == phone, "kept as written"
        patched = api.patch(f"/clients/{client.id}", {"phone": phone})
        assert patched.status == 200 and patched.json["phone"] == phone, (phone, patched)
        located = api.post(
            "/services",
            {
                "name": f"Call {n}",
                "duration_minutes": 30,
                "price": "10.00",
                "currency": "EUR",
                "location": {"type": "phone", "value": phone},
            },
        )
        assert located.status == 201, (phone, located)
        imported = import_rules.check(
            import_rules.CLIENT, {"name": "A", "email": "a@example.com", "phone": phone}, "clients", {}
        )
        assert not imported.refused and not imported.kept and imported.values["phone"] == phone


@pytest.mark.parametrize("phone", ["12", "0800-CALL-NOW", "212+555"])
def test_every_route_refuses_the_same_non_numbers_naming_the_field(
    http: Any, container: bootstrap.Container, phone: str
) -> None:
    api, visitor = Api(http), Api(http, anonymous=True)
    service = api.bookable()
    client = make_client(container.repo, api.id, "Ana Silva", "ana@example.com")
    public = visitor.post(
        f"/public/{service['slug']}/bookings", with_phone(service["id"], at(10, 9), phone, "p@example.com")
    )
    assert public.status == 422 and public.error_fields() == {"client.phone"}, public
    own = api.post("/appointments", with_phone(service["id"], at(10, 10), phone, "o@example.com"))
    assert own.status == 422 and own.error_fields() == {"client.phone"}, own
    patched = api.patch(f"/clients/{client.id}", {"phone": phone})
    assert patched.status == 422 and patched.error_fields() == {"phone"}, patched
    assert api.get(f"/clients/{client.id}").json["phone"] == client.phone, "nothing was changed"


def test_a_slug_is_normalised_taken_is_409_and_nothing_valid_is_422(http: Any) -> None:
    ana, other, visitor = Api(http), Api(http), Api(http, anonymous=True)
    word = unique("Inês Café").replace("-", " ")  # "Inês Café 0a1b..." -> "ines-cafe-0a1b..."
    reply = ana.patch("/me", {"slug": word})
    assert reply.status == 200, reply
    slug = reply.json["slug"]
    assert slug.startswith("ines-cafe-") and slug == slug.lower()
    assert visitor.get(f"/public/{slug}").status == 200
    upper = ana.patch("/me", {"slug": f"Studio-{slug.upper()}"})
    assert upper.status == 200 and upper.json["slug"] == f"studio-{slug}"
    taken = other.patch("/me", {"slug": f"STUDIO-{slug}"})
    assert taken.status == 409 and taken.json["error"]["code"] == "slug_taken", taken
    empty = other.patch("/me", {"slug": "¡¿!?"})
    assert empty.status == 422 and empty.error_fields() == {"slug"}, empty
    assert empty.json["error"]["details"][0]["code"] == "invalid_slug"
    assert other.get("/me").json["slug"] is None
