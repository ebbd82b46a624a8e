"""CalendarStore: a provider's connected calendars and their busy days, as the sync and the
calendar routes rely on them (the cap, oldest first, a sync's outcome lost to a removal, busy runs
replaced only inside the window read, and forgotten with their calendar)."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.calendars import MAX_CALENDARS, Calendar, TooManyCalendarsError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Provider
from tests.contract.conftest import STAMP, Stores

pytestmark = pytest.mark.contract

LATER = "2031-01-01T00:10:00Z"


def by_id(calendars: list[Calendar]) -> list[Calendar]:
    """Oldest first is id order: ids sort by the millisecond they were made (within one, at random)."""
    return sorted(calendars, key=lambda c: c.id)


def calendar(provider: Provider, **fields: object) -> Calendar:
    values: dict[str, object] = {
        "id": new_id(),
        "provider_id": provider.id,
        "type": "ics",
        "shown_url": "https://calendar.example.com/…",
        "created_at": STAMP,
        "sealed_url": "sealed-address",
    }
    values.update(fields)
    return Calendar(**values)  # type: ignore[arg-type]


def test_calendars_come_back_as_stored_oldest_first_and_only_her_own(stores: Stores) -> None:
    pat, other = stores.provider(), stores.provider()
    ics = calendar(pat)
    caldav = calendar(
        pat,
        type="caldav",
        write=True,
        url="https://dav.example.com/pat/work/",
        username="pat",
        sealed_url=None,
        sealed_password="sealed-password",
    )
    stores.repo.add_calendar(ics)
    stores.repo.add_calendar(caldav)
    stores.repo.add_calendar(calendar(other))
    assert stores.repo.calendars(pat.id) == by_id([ics, caldav])
    assert stores.repo.calendars(stores.provider().id) == []


def test_a_sixth_calendar_is_refused_and_a_removal_makes_room(stores: Stores) -> None:
    pat = stores.provider()
    kept = [calendar(pat) for _ in range(MAX_CALENDARS)]
    for c in kept:
        stores.repo.add_calendar(c)
    with pytest.raises(TooManyCalendarsError):
        stores.repo.add_calendar(calendar(pat))
    assert stores.repo.calendars(pat.id) == by_id(kept)
    assert stores.repo.remove_calendar(pat.id, kept[0].id) is True
    stores.repo.add_calendar(last := calendar(pat))
    assert stores.repo.calendars(pat.id) == by_id([*kept[1:], last])


def test_a_sync_outcome_is_kept_unless_the_calendar_was_removed_meanwhile(stores: Stores) -> None:
    pat = stores.provider()
    stores.repo.add_calendar(first := calendar(pat))
    synced = first.synced(LATER, busy_count=3)
    assert stores.repo.save_calendar(synced) is True
    failed = synced.failed("2031-01-01T00:20:00Z", "The address answered 500.")
    assert stores.repo.save_calendar(failed) is True
    assert stores.repo.calendars(pat.id) == [failed]
    cleared = dataclasses.replace(failed, error=None, last_tried_at=None)
    assert stores.repo.save_calendar(cleared) is True, "a field set back to None is stored as None"
    assert stores.repo.calendars(pat.id) == [cleared]
    assert stores.repo.remove_calendar(pat.id, first.id) is True
    assert stores.repo.save_calendar(synced) is False
    assert stores.repo.calendars(pat.id) == []
    assert stores.repo.remove_calendar(pat.id, first.id) is False


def test_busy_runs_are_replaced_inside_the_window_only(stores: Stores) -> None:
    pat = stores.provider()
    stores.repo.add_calendar(work := calendar(pat))
    stores.repo.add_calendar(home := calendar(pat))
    stores.repo.replace_busy(
        pat.id, work.id, {"2031-03-03": [(540, 600)], "2031-03-04": [(0, 1440)]}, ["2031-03-03", "2031-03-04"]
    )
    stores.repo.replace_busy(pat.id, home.id, {"2031-03-03": [(720, 780), (900, 960)]}, ["2031-03-03"])
    assert stores.repo.calendar_busy_days(pat.id, "2031-03-01", "2031-03-31") == {
        "2031-03-03": {work.id: [(540, 600)], home.id: [(720, 780), (900, 960)]},
        "2031-03-04": {work.id: [(0, 1440)]},
    }
    # A later read of 03-04 and 03-05 only: 03-04 is now free, 03-05 busy, 03-03 left as it was.
    stores.repo.replace_busy(pat.id, work.id, {"2031-03-05": [(60, 90)]}, ["2031-03-04", "2031-03-05"])
    assert stores.repo.calendar_busy_days(pat.id, "2031-03-01", "2031-03-31") == {
        "2031-03-03": {work.id: [(540, 600)], home.id: [(720, 780), (900, 960)]},
        "2031-03-05": {work.id: [(60, 90)]},
    }
    assert stores.repo.calendar_busy_days(pat.id, "2031-03-04", "2031-03-05") == {
        "2031-03-05": {work.id: [(60, 90)]}
    }
    stores.repo.replace_busy(pat.id, work.id, {}, [])  # an empty window changes nothing
    assert stores.repo.calendar_busy_days(stores.provider().id, "2031-03-01", "2031-03-31") == {}


def test_removing_a_calendar_forgets_its_busy_days_and_keeps_the_others(stores: Stores) -> None:
    pat = stores.provider()
    stores.repo.add_calendar(work := calendar(pat))
    stores.repo.add_calendar(home := calendar(pat))
    days = ["2031-03-03", "2031-03-04"]
    stores.repo.replace_busy(pat.id, work.id, {"2031-03-03": [(540, 600)], "2031-03-04": [(60, 120)]}, days)
    stores.repo.replace_busy(pat.id, home.id, {"2031-03-03": [(720, 780)]}, days)
    assert stores.repo.remove_calendar(pat.id, work.id) is True
    assert stores.repo.calendar_busy_days(pat.id, "2031-03-01", "2031-03-31") == {
        "2031-03-03": {home.id: [(720, 780)]}
    }
    stores.repo.forget_busy(pat.id, work.id)  # its item gone already: nothing to do
    stores.repo.forget_busy(pat.id, home.id)
    assert stores.repo.calendar_busy_days(pat.id, "2031-03-01", "2031-03-31") == {}
    assert stores.repo.calendars(pat.id) == [home]


def test_the_sync_pages_through_every_provider_with_a_calendar(stores: Stores) -> None:
    with_calendars = [stores.provider() for _ in range(3)]
    for provider in with_calendars:
        stores.repo.add_calendar(calendar(provider))
        stores.repo.add_calendar(calendar(provider))  # a provider is listed once, not per calendar
    without = stores.provider()
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10_000):  # the table is shared with other tests: page until the end
        page, cursor = stores.repo.providers_with_calendars(cursor, 2)
        assert len(page) <= 2
        seen.extend(page)
        if cursor is None:
            break
    assert {p.id for p in with_calendars} <= set(seen)
    assert without.id not in seen
    assert len(seen) == len(set(seen))
