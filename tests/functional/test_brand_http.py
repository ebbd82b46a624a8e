"""The provider's brand on PATCH /me and on the public page: bounds, refusals, nothing half-saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

BRAND = {
    "language": "pt",
    "headline": "  Massagem terapêutica em Lisboa  ",
    "about": "Sessões de 50 minutos.\r\n\r\n<b>Marque</b> & venha.",
    "accent_color": "#1F6FEB",
}


def details(reply: Any) -> dict[str, tuple[str, str]]:
    assert reply.status == 422, reply
    return {d["field"]: (d["code"], d["message"]) for d in reply.json["error"]["details"]}


def test_a_new_profile_has_the_default_brand(http: Any) -> None:
    me = Api(http).get("/me").json
    assert {k: me[k] for k in ("language", "headline", "about", "accent_color")} == {
        "language": "en",
        "headline": "",
        "about": "",
        "accent_color": None,
    }


def test_the_brand_is_stored_as_the_pages_show_it_and_read_back(http: Any) -> None:
    api = Api(http)
    reply = api.patch("/me", BRAND)
    assert reply.status == 200, reply
    expected = {
        "language": "pt",
        "headline": "Massagem terapêutica em Lisboa",
        "about": "Sessões de 50 minutos.\n\n<b>Marque</b> & venha.",
        "accent_color": "#1f6feb",
    }
    assert {k: reply.json[k] for k in expected} == expected
    assert {k: api.get("/me").json[k] for k in expected} == expected


def test_the_public_page_carries_the_brand(http: Any) -> None:
    api = Api(http)
    slug = api.bookable()["slug"]
    assert api.patch("/me", BRAND).status == 200
    page = Api(http, anonymous=True).get(f"/public/{slug}").json
    assert (page["language"], page["headline"], page["accent_color"]) == (
        "pt",
        "Massagem terapêutica em Lisboa",
        "#1f6feb",
    )
    assert page["about"] == "Sessões de 50 minutos.\n\n<b>Marque</b> & venha."


def test_the_manage_page_answer_carries_the_brand_of_the_provider(http: Any) -> None:
    api = Api(http)
    service = api.bookable()
    assert api.patch("/me", BRAND).status == 200
    day = date.today() + timedelta(days=10)
    start = datetime.combine(day, time(11), ZoneInfo("Europe/Paris")).astimezone(UTC)
    visitor = Api(http, anonymous=True)
    created = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], start.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    assert created.status == 201, created
    view = visitor.get(f"/public/bookings/{created.json['id']}?token={created.json['manage_token']}")
    assert view.json["provider_brand"] == {
        "headline": "Massagem terapêutica em Lisboa",
        "about": "Sessões de 50 minutos.\n\n<b>Marque</b> & venha.",
        "accent_color": "#1f6feb",
        "photo": None,  # none uploaded here (tests/functional/test_photo_http.py sets one)
    }


def test_texts_clear_with_an_empty_string_and_the_colour_with_null(http: Any) -> None:
    api = Api(http)
    api.patch("/me", BRAND)
    reply = api.patch("/me", {"headline": "", "about": "", "accent_color": None})
    assert reply.status == 200, reply
    me = api.get("/me").json
    assert (me["headline"], me["about"], me["accent_color"], me["language"]) == ("", "", None, "pt")


def test_a_light_accent_is_refused_at_its_field_with_the_ratio_and_nothing_is_saved(http: Any) -> None:
    api = Api(http)
    api.patch("/me", BRAND)
    found = details(api.patch("/me", {"accent_color": "#FF9900", "headline": "Not saved"}))
    code, message = found["accent_color"]
    assert code == "low_contrast"
    assert "#ff9900 has a contrast of 2.14:1 with white" in message and "4.5:1" in message
    me = api.get("/me").json
    assert (me["accent_color"], me["headline"]) == ("#1f6feb", "Massagem terapêutica em Lisboa")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"language": "it"}, "language", "literal_error"),
        ({"language": "PT"}, "language", "literal_error"),
        ({"language": None}, "language", "not_null"),
        ({"headline": "two\nlines"}, "headline", "one_line"),
        ({"headline": "x" * 121}, "headline", "string_too_long"),
        ({"headline": None}, "headline", "not_null"),
        ({"headline": 7}, "headline", "string_type"),
        ({"about": "x" * 1001}, "about", "string_too_long"),
        ({"about": "ring\x07"}, "about", "control_character"),
        ({"about": ["a"]}, "about", "string_type"),
        ({"accent_color": "blue"}, "accent_color", "invalid_color"),
        ({"accent_color": "#fff"}, "accent_color", "invalid_color"),
        ({"accent_color": "#ffffff"}, "accent_color", "low_contrast"),
        ({"accent_color": 0x1F6FEB}, "accent_color", "string_type"),
        ({"photo": "https://elsewhere.example/me.jpg"}, "photo", "extra_forbidden"),
    ],
)
def test_bad_brand_fields_get_a_clear_detail(http: Any, body: Any, field: str, code: str) -> None:
    found = details(Api(http).patch("/me", body))
    assert found[field][0] == code, found


def test_the_bounds_are_reached_exactly(http: Any) -> None:
    api = Api(http)
    reply = api.patch("/me", {"headline": "é" * 120, "about": "ü\n" * 500, "accent_color": "#767676"})
    assert reply.status == 200, reply
    assert (len(reply.json["headline"]), len(reply.json["about"])) == (120, 999)
