"""Weekly hours and date overrides through HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import Api

pytestmark = pytest.mark.functional


def test_before_any_hours_availability_is_empty_in_the_profile_zone(http: Any) -> None:
    api = Api(http)
    api.patch("/me", {"timezone": "Asia/Tokyo"})
    assert api.get("/availability").json == {"timezone": "Asia/Tokyo", "weekly": [], "updated_at": None}


def test_weekly_hours_are_replaced_whole_and_come_back_in_week_order(http: Any) -> None:
    api = Api(http)
    first = [
        {"day": "tue", "start": "13:00", "end": "24:00"},
        {"day": "mon", "start": "09:00", "end": "12:00"},
    ]
    reply = api.put("/availability", {"weekly": first})
    assert reply.status == 200, reply
    assert [w["day"] for w in reply.json["weekly"]] == ["mon", "tue"]
    assert api.get("/availability").json == reply.json
    api.put("/availability", {"weekly": [{"day": "sun", "start": "10:00", "end": "11:00"}]})
    assert api.get("/availability").json["weekly"] == [{"day": "sun", "start": "10:00", "end": "11:00"}]


def test_the_time_zone_sent_with_the_hours_becomes_the_profile_zone(http: Any) -> None:
    api = Api(http)
    reply = api.put("/availability", {"timezone": "Europe/Paris", "weekly": []})
    assert reply.json["timezone"] == "Europe/Paris"
    assert api.get("/me").json["timezone"] == "Europe/Paris"
    api.patch("/me", {"timezone": "Europe/Berlin"})
    assert api.get("/availability").json["timezone"] == "Europe/Berlin", "one zone, not two copies"


def test_an_override_sets_hours_or_closes_a_date_and_can_be_removed(http: Any) -> None:
    api = Api(http)
    path = "/availability/overrides/2026-12-24"
    opened = api.put(
        path, {"intervals": [{"start": "14:00", "end": "16:00"}, {"start": "09:00", "end": "12:00"}]}
    )
    assert opened.status == 200, opened
    assert opened.json["closed"] is False
    assert [i["start"] for i in opened.json["intervals"]] == ["09:00", "14:00"]
    closed = api.put(path, {"intervals": []}).json
    assert (closed["closed"], closed["intervals"]) == (True, [])
    assert api.get(path).json == closed
    assert api.delete(path).status == 204
    assert api.get(path).status == 404
    assert api.delete(path).status == 404


def test_overrides_are_listed_by_date_within_the_range_and_paged(http: Any) -> None:
    api = Api(http)
    for day in ("2026-03-01", "2026-03-15", "2026-03-31", "2026-04-01", "2026-02-28"):
        api.put(f"/availability/overrides/{day}", {"intervals": []})
    first = api.get("/availability/overrides?from=2026-03-01&to=2026-03-31&limit=2").json
    assert [o["date"] for o in first["items"]] == ["2026-03-01", "2026-03-15"]
    rest = api.get(
        f"/availability/overrides?from=2026-03-01&to=2026-03-31&cursor={first['next_cursor']}"
    ).json
    assert [o["date"] for o in rest["items"]] == ["2026-03-31"]
    assert rest["next_cursor"] is None
    other_range = api.get(
        f"/availability/overrides?from=2026-04-01&to=2026-04-30&cursor={first['next_cursor']}"
    )
    assert other_range.status == 400, "a cursor only resumes the range it came from"


def test_a_range_of_exactly_366_days_is_allowed(http: Any) -> None:
    reply = Api(http).get("/availability/overrides?from=2028-01-01&to=2028-12-31")
    assert reply.status == 200, reply
