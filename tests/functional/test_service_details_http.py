"""A service's location, questions, visibility, own rules and hours, and time off, over HTTP on
DynamoDB Local: what the provider sets, what the public sees, what a booking must answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional

PARIS = ZoneInfo("Europe/Paris")
QUESTIONS = [
    {"key": "health", "label": "Anything we should know?", "type": "long_text", "required": True},
    {"key": "pressure", "label": "Pressure", "type": "choice", "options": ["light", "firm"]},
    {"key": "consent", "label": "I accept the studio rules", "type": "checkbox", "required": True},
]
GOOD_ANSWERS = {"health": "Sore lower back", "pressure": "firm", "consent": True}


def day_ahead(days: int = 10) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


def paris(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


def starts(visitor: Api, slug: str, service_id: str, first: date, last: date | None = None) -> list[str]:
    path = f"/public/{slug}/services/{service_id}/slots?from={first}&to={last or first}&timezone=Europe/Paris"
    reply = visitor.get(path)
    assert reply.status == 200, reply
    return [slot["start"] for slot in reply.json["slots"]]


def fields_of(reply: Any) -> set[str]:
    assert reply.status == 422, reply
    return {d["field"] for d in reply.json["error"]["details"]}


@pytest.fixture
def visitor(http: Any) -> Api:
    return Api(http, anonymous=True)


def test_a_service_keeps_its_location_questions_visibility_and_rules(http: Any) -> None:
    api = Api(http)
    created = api.service(
        location={"type": "address", "value": "Rua Augusta 10, Lisboa"},
        questions=QUESTIONS,
        visibility="unlisted",
        min_notice_minutes=0,
        max_advance_days=14,
        slot_interval_minutes=15,
        max_per_day=4,
    )
    path = f"/services/{created['id']}"
    got = api.get(path).json
    assert got["location"] == {"type": "address", "value": "Rua Augusta 10, Lisboa"}
    assert [q["key"] for q in got["questions"]] == ["health", "pressure", "consent"]
    assert got["questions"][1]["options"] == ["light", "firm"] and got["questions"][0]["options"] == []
    assert (got["visibility"], got["visible"], got["own_hours"]) == ("unlisted", True, False)
    rules = ("min_notice_minutes", "max_advance_days", "slot_interval_minutes", "max_per_day")
    assert [got[name] for name in rules] == [0, 14, 15, 4]
    changed = api.patch(path, {"location": None, "max_per_day": None, "visible": False, "questions": []}).json
    assert (changed["location"], changed["max_per_day"], changed["questions"]) == (None, None, [])
    assert (changed["visibility"], changed["visible"]) == ("hidden", False)
    plain = api.service("Plain")
    assert (plain["visibility"], plain["location"], plain["questions"], plain["min_notice_minutes"]) == (
        "public", None, [], None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"location": {"type": "video", "value": "meet me"}}, "location.value"),
        ({"location": {"type": "phone", "value": "call me"}}, "location.value"),
        ({"location": {"type": "pigeon", "value": "x"}}, "location.type"),
        ({"location": {"type": "note", "value": "x" * 501}}, "location.value"),
        ({"questions": [{"key": "Health!", "label": "H", "type": "text"}]}, "questions.0.key"),
        (
            {"questions": [{"key": "a", "label": "A", "type": "choice", "options": ["one"]}]},
            "questions.0.options",
        ),
        ({"questions": [{"key": "a", "label": "A", "type": "text"}] * 2}, "questions.1.key"),
        ({"questions": [{"key": f"q{n}", "label": "Q", "type": "text"} for n in range(11)]}, "questions"),
        ({"visible": False, "visibility": "public"}, "body"),
        ({"visibility": "secret"}, "visibility"),
        ({"min_notice_minutes": -1}, "min_notice_minutes"),
        ({"slot_interval_minutes": 7}, "slot_interval_minutes"),
        ({"max_per_day": 0}, "max_per_day"),
    ],
)
def test_bad_service_details_are_422_on_their_field(http: Any, fields: dict[str, Any], field: str) -> None:
    api = Api(http)
    body = {"name": "S", "duration_minutes": 30, "price": "1", "currency": "EUR", **fields}
    assert field in fields_of(api.post("/services", body))
    service = api.service()
    assert field in fields_of(api.patch(f"/services/{service['id']}", fields))


def test_the_public_sees_an_address_but_never_a_phone_or_video_link_until_booked(
    http: Any, visitor: Api
) -> None:
    api = Api(http)
    address = api.bookable(location={"type": "address", "value": "Rua Augusta 10"})
    slug = address["slug"]
    phone = api.service("Call", duration_minutes=30, location={"type": "phone", "value": "+351 912 345 678"})
    video = api.service(
        "Video", duration_minutes=30, location={"type": "video", "value": "https://meet.example.com/x"}
    )
    page = visitor.get(f"/public/{slug}")
    listed = {s["name"]: s for g in page.json["groups"] for s in g["services"]}
    assert listed["Session"]["location"] == {"type": "address", "value": "Rua Augusta 10"}
    assert listed["Call"]["location"] == {"type": "phone", "value": None}
    assert listed["Video"]["location"] == {"type": "video", "value": None}
    assert "912" not in page.text and "meet.example.com" not in page.text
    one = visitor.get(f"/public/{slug}/services/{video['id']}")
    assert one.status == 200 and one.json["location"] == {"type": "video", "value": None}
    booked = visitor.post(f"/public/{slug}/bookings", booking_body(video["id"], paris(day_ahead(), 10)))
    assert booked.status == 201, booked
    assert booked.json["location"] == {"type": "video", "value": "https://meet.example.com/x"}
    managed = visitor.get(f"/public/bookings/{booked.json['id']}?token={booked.json['manage_token']}")
    assert managed.json["location"] == {"type": "video", "value": "https://meet.example.com/x"}
    mine = api.get(f"/appointments/{booked.json['id']}").json
    assert mine["location"] == {"type": "video", "value": "https://meet.example.com/x"}
    assert phone["location"]["value"] == "+351 912 345 678", "the provider sees her own"


def test_an_unlisted_service_is_bookable_by_link_only_and_a_hidden_one_is_404(
    http: Any, visitor: Api
) -> None:
    api = Api(http)
    listed = api.bookable()
    slug = listed["slug"]
    unlisted = api.service("By invitation", duration_minutes=30, visibility="unlisted")
    hidden = api.service("Staff only", duration_minutes=30, visibility="hidden")
    page = visitor.get(f"/public/{slug}").json
    assert [s["id"] for g in page["groups"] for s in g["services"]] == [listed["id"]]
    assert visitor.get(f"/public/{slug}/services/{unlisted['id']}").json["name"] == "By invitation"
    linked = visitor.get(f"/public/{slug}?service={unlisted['id']}").json
    assert linked["service"]["name"] == "By invitation", "the page opened on its link gets it in one read"
    assert [s["id"] for g in linked["groups"] for s in g["services"]] == [listed["id"]], "still not listed"
    assert visitor.get(f"/public/{slug}?service={hidden['id']}").json["service"] is None
    assert visitor.get(f"/public/{slug}?service={listed['id']}").json["service"]["id"] == listed["id"]
    assert visitor.get(f"/public/{slug}").json["service"] is None
    assert "service" in fields_of(visitor.get(f"/public/{slug}?service=not-an-id"))
    day = day_ahead()
    assert starts(visitor, slug, unlisted["id"], day)
    booked = visitor.post(f"/public/{slug}/bookings", booking_body(unlisted["id"], paris(day, 10)))
    assert booked.status == 201, booked
    for path in (
        f"/public/{slug}/services/{hidden['id']}",
        f"/public/{slug}/services/{hidden['id']}/slots?from={day}&to={day}",
    ):
        assert visitor.get(path).status == 404
    refused = visitor.post(f"/public/{slug}/bookings", booking_body(hidden["id"], paris(day, 12)))
    assert refused.status == 404
    other = Api(http).bookable()
    assert visitor.get(f"/public/{other['slug']}/services/{unlisted['id']}").status == 404, (
        "not another page's"
    )
    assert visitor.get(f"/public/{slug}/services/not-an-id").status == 404
    assert http.get(f"/book/{slug}/{unlisted['id']}").status_code == 200, "its page link"


def test_a_required_answer_missing_is_422_on_its_key_and_answers_reach_the_provider(
    http: Any, visitor: Api
) -> None:
    api = Api(http)
    service = api.bookable(questions=QUESTIONS)
    slug, day = service["slug"], day_ahead()
    path = f"/public/{slug}/bookings"
    free = starts(visitor, slug, service["id"], day)
    missing = visitor.post(path, booking_body(service["id"], paris(day, 10), answers={"pressure": "firm"}))
    assert fields_of(missing) == {"answers.health", "answers.consent"}
    assert {d["code"] for d in missing.json["error"]["details"]} == {"required"}
    wrong = visitor.post(
        path,
        booking_body(
            service["id"], paris(day, 10), answers={**GOOD_ANSWERS, "pressure": "deep", "shoe": "42"}
        ),
    )
    assert fields_of(wrong) == {"answers.pressure", "answers.shoe"}
    assert starts(visitor, slug, service["id"], day) == free, "nothing was booked"
    booked = visitor.post(path, booking_body(service["id"], paris(day, 10), answers=GOOD_ANSWERS))
    assert booked.status == 201, booked
    seen = api.get(f"/appointments/{booked.json['id']}").json["answers"]
    assert seen == [
        {"key": "health", "label": "Anything we should know?", "value": "Sore lower back"},
        {"key": "pressure", "label": "Pressure", "value": "firm"},
        {"key": "consent", "label": "I accept the studio rules", "value": True},
    ]
    listed = api.get(f"/appointments?from={day}&to={day}").json["items"]
    assert listed[0]["answers"] == seen
    client_id = api.get(f"/appointments/{booked.json['id']}").json["client"]["id"]
    assert api.delete(f"/clients/{client_id}").status == 409, (
        "the appointment ahead is not cancelled silently"
    )
    assert api.delete(f"/clients/{client_id}?cancel_upcoming=true").status == 204
    assert api.get(f"/appointments/{booked.json['id']}").json["answers"] == [], "erased with the client"


@pytest.mark.parametrize(
    "answers",
    [["health"], "health", {f"q{n}": "x" for n in range(11)}, {"Not A Key": "x"}, {"k" * 41: "x"}],
)
def test_malformed_answers_are_422_on_answers(http: Any, visitor: Api, answers: Any) -> None:
    service = Api(http).bookable(questions=QUESTIONS)
    body = booking_body(service["id"], paris(day_ahead(), 10), answers=answers)
    reply = visitor.post(f"/public/{service['slug']}/bookings", body)
    assert fields_of(reply) == {"answers"}
    assert "k" * 41 not in reply.text or len(reply.text) < 2000


def test_per_service_hours_and_notice_differ_from_the_profiles(http: Any, visitor: Api) -> None:
    api = Api(http)
    usual = api.bookable(hours=("09:00", "17:00"))  # every day, no notice
    slug = usual["slug"]
    assert api.patch("/me", {"min_notice_minutes": 2 * 24 * 60}).status == 200
    quick = api.service("Quick", duration_minutes=60, min_notice_minutes=0, slot_interval_minutes=60)
    hours = {
        "weekly": [
            {"day": d, "start": "18:00", "end": "20:00"}
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        ]
    }
    put = api.put(f"/services/{quick['id']}/availability", hours)
    assert put.status == 200, put
    assert (put.json["follows_provider"], put.json["timezone"]) == (False, "Europe/Paris")
    tomorrow = datetime.now(PARIS).date() + timedelta(days=1)
    assert starts(visitor, slug, usual["id"], tomorrow) == [], "the profile's two days' notice"
    evening = starts(visitor, slug, quick["id"], tomorrow)
    assert evening == [
        datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, tzinfo=PARIS)
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        for h in (18, 19)
    ]
    assert api.get(f"/services/{quick['id']}").json["own_hours"] is True
    mismatch = api.put(f"/services/{quick['id']}/availability", {**hours, "timezone": "Asia/Tokyo"})
    assert fields_of(mismatch) == {"timezone"}
    assert (
        api.put(
            f"/services/{usual['id']}/availability",
            {"weekly": [{"day": "mon", "start": "10:00", "end": "09:00"}]},
        ).status
        == 422
    )
    assert api.delete(f"/services/{quick['id']}/availability").status == 204
    back = api.get(f"/services/{quick['id']}/availability").json
    assert back["follows_provider"] is True and back["weekly"][0]["start"] == "09:00"
    assert Api(http).get(f"/services/{quick['id']}/availability").status == 404, "another provider's"


def test_max_per_day_closes_the_day_and_a_booking_past_it_is_409_daily_limit(http: Any, visitor: Api) -> None:
    api = Api(http)
    service = api.bookable(max_per_day=2)
    slug, day = service["slug"], day_ahead()
    path = f"/public/{slug}/bookings"
    for n, hour in enumerate((9, 11)):
        body = booking_body(service["id"], paris(day, hour), email=f"c{n}@example.com")
        assert visitor.post(path, body).status == 201
    assert starts(visitor, slug, service["id"], day) == []
    assert starts(visitor, slug, service["id"], day + timedelta(days=1)), "the next day is open"
    refused = visitor.post(path, booking_body(service["id"], paris(day, 14), email="late@example.com"))
    assert refused.status == 409 and refused.json["error"]["code"] == "daily_limit"
    assert api.patch("/me", {"max_per_day": 1}).json["max_per_day"] == 1
    other = api.service("Other", duration_minutes=30)
    next_day = day + timedelta(days=1)
    assert (
        visitor.post(path, booking_body(other["id"], paris(next_day, 9), email="o@example.com")).status == 201
    )
    assert starts(visitor, slug, service["id"], next_day) == [], "the profile's cap counts every service"
    assert api.patch("/me", {"max_per_day": None}).json["max_per_day"] is None


def test_a_week_of_time_off_is_one_call_listed_and_deleted(http: Any, visitor: Api) -> None:
    api = Api(http)
    service = api.bookable()
    slug, first = service["slug"], day_ahead(14)
    last = first + timedelta(days=6)
    created = api.post("/availability/time-off", {"from": str(first), "to": str(last), "reason": "Holiday"})
    assert created.status == 201, created
    assert (created.json["from"], created.json["to"], created.json["reason"]) == (
        str(first),
        str(last),
        "Holiday",
    )
    assert starts(visitor, slug, service["id"], first, last) == []
    assert starts(visitor, slug, service["id"], first - timedelta(days=1)), "the day before is open"
    assert starts(visitor, slug, service["id"], last + timedelta(days=1)), "the day after is open"
    refused = visitor.post(
        f"/public/{slug}/bookings", booking_body(service["id"], paris(first + timedelta(days=3), 10))
    )
    assert refused.status == 409 and refused.json["error"]["code"] == "outside_hours", refused
    assert [t["id"] for t in api.get("/availability/time-off").json["items"]] == [created.json["id"]]
    assert Api(http).get("/availability/time-off").json["items"] == [], "another provider's"
    assert Api(http).delete(f"/availability/time-off/{created.json['id']}").status == 404
    assert api.delete(f"/availability/time-off/{created.json['id']}").status == 204
    assert api.delete(f"/availability/time-off/{created.json['id']}").status == 404
    assert api.delete("/availability/time-off/nope").status == 404
    assert starts(visitor, slug, service["id"], first, last)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "2031-03-10", "to": "2031-03-09"}, "to"),
        ({"from": "2031-01-01", "to": "2032-01-02"}, "to"),
        ({"from": "2031-02-30", "to": "2031-03-01"}, "from"),
        ({"from": "31-03-01", "to": "2031-03-01"}, "from"),
        ({"to": "2031-03-01"}, "from"),
        ({"from": "2031-03-01", "to": "2031-03-01", "reason": "x" * 201}, "reason"),
    ],
)
def test_bad_time_off_is_422_on_its_field(http: Any, body: dict[str, Any], field: str) -> None:
    assert field in fields_of(Api(http).post("/availability/time-off", body))


def test_a_range_in_an_override_path_is_named_whole_and_points_to_time_off(http: Any) -> None:
    reply = Api(http).put("/availability/overrides/2026-12-24..2026-12-31", {"intervals": []})
    assert reply.status == 422
    assert "2026-12-24..2026-12-31" in reply.json["error"]["message"]
    assert "/availability/time-off" in reply.json["error"]["details"][0]["message"]
    long = Api(http).get(f"/availability/overrides/{'9' * 300}")
    assert long.status == 422 and len(long.json["error"]["message"]) < 200
