"""TimeOffRepository and a service's own hours: what the booking snapshot reads along."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.catalog import MAX_TIME_OFF, Location, Question, TimeOff, WeeklyInterval
from chalicelib.domain.errors import LimitReachedError, NotFoundError
from chalicelib.domain.ids import new_id
from tests.contract.conftest import STAMP, Stores

pytestmark = pytest.mark.contract
WEEK = TimeOff(new_id(), date(2031, 8, 4), date(2031, 8, 10), "holiday", STAMP)


def test_time_off_is_kept_listed_read_by_a_snapshot_and_deleted(stores: Stores) -> None:
    provider = stores.provider()
    assert stores.repo.list_time_off(provider.id) == []
    day = TimeOff(new_id(), date(2031, 5, 1), date(2031, 5, 1), "", STAMP)
    stores.repo.add_time_off(provider.id, WEEK)
    stores.repo.add_time_off(provider.id, day)
    assert stores.repo.list_time_off(provider.id) == [WEEK, day]
    snapshot = stores.repo.booking_snapshot(provider.id, new_id(), [], [])
    assert snapshot is not None and snapshot.time_off == [WEEK, day]
    stores.repo.delete_time_off(provider.id, WEEK.id)
    assert stores.repo.list_time_off(provider.id) == [day]
    with pytest.raises(NotFoundError):
        stores.repo.delete_time_off(provider.id, WEEK.id)
    assert stores.repo.list_time_off(stores.provider().id) == [], "another provider's are not mine"


def test_at_most_so_many_ranges_are_kept(stores: Stores) -> None:
    provider = stores.provider()
    for n in range(MAX_TIME_OFF):
        stores.repo.add_time_off(
            provider.id, TimeOff(new_id(), date(2031, 1, 1), date(2031, 1, 1), str(n), STAMP)
        )
    with pytest.raises(LimitReachedError):
        stores.repo.add_time_off(provider.id, WEEK)
    assert len(stores.repo.list_time_off(provider.id)) == MAX_TIME_OFF


def test_a_service_gets_its_own_hours_and_gives_them_back(stores: Stores) -> None:
    provider = stores.provider()
    service = stores.service(provider)
    saturday = [WeeklyInterval("sat", "09:00", "12:00")]
    changed = stores.repo.set_service_hours(provider.id, service.id, saturday, "2031-01-02T00:00:00Z")
    assert changed.hours == saturday and changed.updated_at == "2031-01-02T00:00:00Z"
    snapshot = stores.repo.booking_snapshot(provider.id, service.id, [], [])
    assert snapshot is not None and snapshot.service is not None and snapshot.service.hours == saturday
    assert stores.repo.set_service_hours(provider.id, service.id, None, STAMP).hours is None
    assert stores.repo.get_service(provider.id, service.id).hours is None  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        stores.repo.set_service_hours(provider.id, new_id(), saturday, STAMP)
    with pytest.raises(NotFoundError):
        stores.repo.set_service_hours(stores.provider().id, service.id, saturday, STAMP)


def test_a_services_location_questions_visibility_and_rules_are_kept_and_changed(stores: Stores) -> None:
    provider = stores.provider()
    questions = [
        Question("topic", "Topic", "text", True),
        Question("level", "Level", "choice", options=("a", "b")),
    ]
    service = stores.service(
        provider,
        location=Location("address", "Rua Augusta 10"),
        questions=questions,
        visibility="unlisted",
        min_notice_minutes=0,
        max_per_day=3,
    )
    assert stores.repo.get_service(provider.id, service.id) == service
    changes = {
        "location": Location("video", "https://meet.example.com/x"),
        "questions": [],
        "visibility": "hidden",
        "visible": False,
        "min_notice_minutes": None,
        "max_advance_days": 14,
    }
    changed = stores.repo.update_service(provider.id, service.id, changes)
    assert changed.location == Location("video", "https://meet.example.com/x")
    assert (changed.questions, changed.visibility, changed.visible) == ([], "hidden", False)
    assert (changed.min_notice_minutes, changed.max_advance_days, changed.max_per_day) == (None, 14, 3)
    assert stores.repo.get_service(provider.id, service.id) == changed
    cleared = stores.repo.update_service(provider.id, service.id, {"location": None})
    assert cleared.location is None
    catalog = stores.repo.get_catalog_by_slug(
        stores.repo.update_profile(provider, {}, STAMP, new_slug=f"s-{new_id().lower()}").slug or ""
    )
    assert catalog is not None and catalog.services == [cleared]
