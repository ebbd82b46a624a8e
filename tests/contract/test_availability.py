"""AvailabilityRepository: weekly hours read in the profile's zone, and date overrides."""

from __future__ import annotations

import pytest

from chalicelib.domain.catalog import Availability, DateOverride, TimeRange, WeeklyInterval
from chalicelib.domain.errors import InvalidCursorError, NotFoundError
from chalicelib.domain.ids import new_id
from tests.contract.conftest import Stores

pytestmark = pytest.mark.contract
WEEKLY = [WeeklyInterval("mon", "09:00", "12:00"), WeeklyInterval("mon", "13:00", "17:00")]


def test_hours_are_read_in_the_profiles_zone(stores: Stores) -> None:
    assert stores.repo.get_availability(new_id()) is None, "no profile, no hours"
    provider = stores.provider(timezone="Europe/Lisbon")
    assert stores.repo.get_availability(provider.id) == Availability(timezone="Europe/Lisbon")
    stores.repo.replace_weekly(provider.id, WEEKLY, "2031-02-01T00:00:00Z")
    assert stores.repo.get_availability(provider.id) == Availability(
        "Europe/Lisbon", WEEKLY, "2031-02-01T00:00:00Z"
    )
    stores.repo.replace_weekly(provider.id, WEEKLY[:1], "2031-02-02T00:00:00Z", timezone="Asia/Tokyo")
    assert stores.repo.get_availability(provider.id) == Availability(
        "Asia/Tokyo", WEEKLY[:1], "2031-02-02T00:00:00Z"
    )
    profile = stores.repo.get_provider(provider.id)
    assert profile is not None and (profile.timezone, profile.updated_at) == (
        "Asia/Tokyo",
        "2031-02-02T00:00:00Z",
    )


def test_a_zone_change_needs_a_profile_and_then_writes_nothing(stores: Stores) -> None:
    ghost = new_id()
    with pytest.raises(NotFoundError):
        stores.repo.replace_weekly(ghost, WEEKLY, "2031-02-01T00:00:00Z", timezone="Asia/Tokyo")
    provider = stores.provider()
    stores.repo.replace_weekly(ghost, WEEKLY, "2031-02-01T00:00:00Z")  # hours alone need no profile
    assert stores.repo.get_availability(provider.id) == Availability(timezone=provider.timezone)


def test_an_override_is_put_read_and_deleted_by_its_provider_only(stores: Stores) -> None:
    provider, other = stores.provider(), stores.provider()
    closed = DateOverride("2031-03-03", [], "t1")
    stores.repo.put_override(provider.id, closed.day, [], "t1")
    assert stores.repo.get_override(provider.id, closed.day) == closed
    assert stores.repo.get_override(other.id, closed.day) is None
    short = [TimeRange("10:00", "12:00")]
    stores.repo.put_override(provider.id, closed.day, short, "t2")
    assert stores.repo.get_override(provider.id, closed.day) == DateOverride(closed.day, short, "t2")
    with pytest.raises(NotFoundError):
        stores.repo.delete_override(other.id, closed.day)
    stores.repo.delete_override(provider.id, closed.day)
    assert stores.repo.get_override(provider.id, closed.day) is None
    with pytest.raises(NotFoundError):
        stores.repo.delete_override(provider.id, closed.day)


def test_overrides_are_listed_by_date_within_the_range_in_pages(stores: Stores) -> None:
    provider = stores.provider()
    days = ["2031-03-01", "2031-03-05", "2031-03-09", "2031-03-12", "2031-04-01"]
    for day in reversed(days):
        stores.repo.put_override(provider.id, day, [], "t")
    first = stores.repo.list_overrides(provider.id, "2031-03-01", "2031-03-12", 3, None)
    assert [o.day for o in first.items] == days[:3] and first.next_cursor is not None
    second = stores.repo.list_overrides(provider.id, "2031-03-01", "2031-03-12", 3, first.next_cursor)
    assert ([o.day for o in second.items], second.next_cursor) == ([days[3]], None)
    with pytest.raises(InvalidCursorError):
        stores.repo.list_overrides(provider.id, "2031-03-10", "2031-03-12", 3, first.next_cursor)
    with pytest.raises(InvalidCursorError):
        stores.repo.list_overrides(stores.provider().id, "2031-03-01", "2031-03-12", 3, first.next_cursor)
