"""Day counts (max_per_day): kept by the same writes as appointments, refused at a cap."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from chalicelib.domain.booking.appointments import CANCELLED, COMPLETED, DailyLimitError
from chalicelib.domain.booking.service_rules import DayCaps
from chalicelib.domain.ids import new_id
from chalicelib.services.booking.ports import DayCounts
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book

pytestmark = pytest.mark.contract
HOUR = timedelta(hours=1)
DAY = MONDAY.date().isoformat()
NEXT = (MONDAY + timedelta(days=1)).date().isoformat()


def counts(stores: Stores, provider_id: str, service_id: str, days: list[str]) -> DayCounts:
    found = stores.repo.day_counts(provider_id, service_id, days)
    snapshot = stores.repo.booking_snapshot(provider_id, service_id, [], [], count_days=days)
    assert snapshot is not None and snapshot.counts == found, "the snapshot reads the same counts"
    return found


def test_bookings_are_counted_per_day_and_per_service(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    massage, yoga = new_id(), new_id()
    for hour, service_id in ((0, massage), (1, massage), (2, yoga)):
        start = MONDAY + hour * HOUR
        book(stores, appointment(provider, client, start, service_id=service_id, counted_day=DAY), client)
    book(stores, appointment(provider, client, MONDAY + timedelta(days=1), service_id=massage), client)
    found = counts(stores, provider.id, massage, [DAY, NEXT])
    assert found == DayCounts({DAY: 3}, {DAY: 2}), "the next day's booking has no counted day"
    assert counts(stores, provider.id, yoga, [DAY]) == DayCounts({DAY: 3}, {DAY: 1})
    assert counts(stores, stores.provider().id, massage, [DAY]) == DayCounts(), "another provider: none"


@pytest.mark.parametrize(("caps", "room"), [(DayCaps(total=2), 2), (DayCaps(service=1), 1)])
def test_a_booking_past_a_cap_is_refused_and_writes_nothing(stores: Stores, caps: DayCaps, room: int) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    service_id = new_id()
    for hour in range(room):
        start = MONDAY + hour * HOUR
        a = appointment(provider, client, start, service_id=service_id, counted_day=DAY)
        book(stores, a, client, caps=caps)
    extra = appointment(provider, client, MONDAY + 5 * HOUR, service_id=service_id, counted_day=DAY)
    with pytest.raises(DailyLimitError):
        book(stores, extra, client, caps=caps)
    assert stores.repo.get_appointment(provider.id, extra.id) is None
    assert counts(stores, provider.id, service_id, [DAY]).totals == {DAY: room}


def test_cancelling_frees_a_place_completing_keeps_it_and_a_move_carries_it(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    service_id = new_id()
    caps = DayCaps(total=1)
    first = book(
        stores, appointment(provider, client, service_id=service_id, counted_day=DAY), client, caps=caps
    )
    done = first.changed(STAMP, status=COMPLETED)
    stores.repo.save_change(first, done)
    assert counts(stores, provider.id, service_id, [DAY]).totals == {DAY: 1}
    moved = dataclasses.replace(done.moved_to(MONDAY + timedelta(days=1), STAMP), counted_day=NEXT)
    stores.repo.save_change(done, moved, caps)
    assert counts(stores, provider.id, service_id, [DAY, NEXT]) == DayCounts(
        {DAY: 0, NEXT: 1}, {DAY: 0, NEXT: 1}
    )
    second = appointment(provider, client, MONDAY + 3 * HOUR, service_id=service_id, counted_day=DAY)
    book(stores, second, client, caps=caps)
    back = dataclasses.replace(moved.moved_to(MONDAY + 6 * HOUR, STAMP), counted_day=DAY)
    with pytest.raises(DailyLimitError):
        stores.repo.save_change(moved, back, caps)
    stores.repo.save_change(second, second.changed(STAMP, status=CANCELLED))
    stores.repo.save_change(moved, back, caps)
    assert counts(stores, provider.id, service_id, [DAY, NEXT]).totals == {DAY: 1, NEXT: 0}


def test_a_move_within_its_day_keeps_its_place_even_when_the_day_is_full(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    service_id = new_id()
    caps = DayCaps(total=1, service=1)
    booked = book(
        stores, appointment(provider, client, service_id=service_id, counted_day=DAY), client, caps=caps
    )
    later = booked.moved_to(MONDAY + 2 * HOUR, STAMP)
    stores.repo.save_change(booked, later, caps)
    assert counts(stores, provider.id, service_id, [DAY]) == DayCounts({DAY: 1}, {DAY: 1})


def test_day_counts_are_read_for_at_most_fifty_days(stores: Stores) -> None:
    provider = stores.provider()
    with pytest.raises(ValueError, match="at most"):
        stores.repo.day_counts(provider.id, new_id(), [f"2031-01-{d:02d}" for d in range(1, 32)] * 2)
