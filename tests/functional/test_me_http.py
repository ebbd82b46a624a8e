"""PATCH /me: profile, time zone, booking policy, and a unique slug."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api import Api, unique

pytestmark = pytest.mark.functional


def wait_for_next_second() -> None:
    """Instants are stored to the second: once one has begun, a change shows in ``updated_at``."""
    time.sleep(1.01 - datetime.now(UTC).microsecond / 1_000_000)


def test_patch_changes_only_the_fields_sent_and_keeps_the_policy_defaults(http: Any) -> None:
    api = Api(http)
    before = api.get("/me").json
    wait_for_next_second()
    after = api.patch("/me", {"name": "Studio Ana", "timezone": "America/New_York"})
    assert after.status == 200, after
    assert after.json["name"] == "Studio Ana"
    assert after.json["timezone"] == "America/New_York"
    for field in ("email", "slug", "min_notice_minutes", "reminder_offsets_minutes", "created_at", "id"):
        assert after.json[field] == before[field]
    assert after.json["updated_at"] > before["updated_at"]
    assert api.get("/me").json == after.json


def test_default_booking_policy_is_sane() -> None:
    from chalicelib.domain.provider import BookingPolicy

    policy = BookingPolicy()
    assert policy.min_notice_minutes == 60
    assert policy.max_advance_days == 60
    assert policy.slot_interval_minutes == 30
    assert policy.cancellation_notice_minutes == 1440
    assert policy.reminder_offsets_minutes == [1440, 60]


def test_reminder_offsets_are_stored_largest_first(http: Any) -> None:
    reply = Api(http).patch("/me", {"reminder_offsets_minutes": [60, 10_080, 1440]})
    assert reply.json["reminder_offsets_minutes"] == [10_080, 1440, 60]


def test_a_slug_is_claimed_and_shows_the_public_page(http: Any) -> None:
    api = Api(http)
    slug = unique("studio")
    assert api.patch("/me", {"slug": slug}).json["slug"] == slug
    assert Api(http, anonymous=True).get(f"/public/{slug}").status == 200


def test_a_slug_taken_by_another_provider_is_409_and_changes_nothing(http: Any) -> None:
    first, second = Api(http), Api(http)
    slug = unique("taken")
    assert first.patch("/me", {"slug": slug}).status == 200
    before = second.get("/me").json
    reply = second.patch("/me", {"slug": slug, "name": "Would Be"})
    assert reply.status == 409
    assert reply.json["error"]["code"] == "slug_taken"
    assert second.get("/me").json == before, "the profile update was rolled back with the claim"


def test_changing_the_slug_releases_the_old_one_for_others(http: Any) -> None:
    first, second = Api(http), Api(http)
    old, new = unique("old"), unique("new")
    first.patch("/me", {"slug": old})
    assert first.patch("/me", {"slug": new}).json["slug"] == new
    anonymous = Api(http, anonymous=True)
    assert anonymous.get(f"/public/{old}").status == 404
    assert anonymous.get(f"/public/{new}").status == 200
    assert second.patch("/me", {"slug": old}).status == 200, "the released slug can be claimed again"


def test_setting_the_same_slug_again_is_a_no_op_not_a_conflict(http: Any) -> None:
    api = Api(http)
    slug = unique("same")
    api.patch("/me", {"slug": slug})
    reply = api.patch("/me", {"slug": slug, "name": "Renamed"})
    assert reply.status == 200
    assert (reply.json["slug"], reply.json["name"]) == (slug, "Renamed")


def test_an_empty_patch_returns_the_profile_unchanged(http: Any) -> None:
    api = Api(http)
    before = api.get("/me").json
    assert api.patch("/me", {}).json == before


def test_patch_me_without_a_token_is_401(http: Any) -> None:
    assert Api(http, anonymous=True).patch("/me", {"name": "x"}).status == 401
