"""BookingRepository: a booking written whole or not at all, refused only for a real overlap.

The snapshot is what every booking decision reads; the writes keep busy time minute by minute,
so two appointments conflict exactly when they share a minute (buffers included).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest

from chalicelib.domain.booking import blocks
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import CANCELLED, BookingKeyTakenError, SlotUnavailableError
from chalicelib.domain.catalog import Location, TimeRange, WeeklyInterval
from chalicelib.domain.errors import ConcurrentChangeError, InvalidCursorError
from chalicelib.domain.ids import new_id
from chalicelib.domain.slots.timeline import Busy
from chalicelib.services.booking.ports import BookingKey, BookingRef, KeyedBooking
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book, new_client, unique

pytestmark = pytest.mark.contract
HOUR = timedelta(hours=1)
DAY = MONDAY.date().isoformat()


def busy_in(stores: Stores, provider_id: str, days: list[str]) -> list[Busy]:
    """The busy time a decision reads (the snapshot's day summaries)."""
    snapshot = stores.repo.booking_snapshot(provider_id, new_id(), days, days)
    assert snapshot is not None
    return blocks.busy_from_masks(snapshot.busy_days)


def test_a_booking_writes_the_appointment_its_reference_link_and_new_client_together(stores: Stores) -> None:
    provider = stores.provider()
    client = new_client(provider, email="robin@example.com")
    booked = book(stores, appointment(provider, client, time_blocks=False), client, is_new=True)
    assert stores.repo.get_appointment(provider.id, booked.id) == dataclasses.replace(
        booked, time_blocks=True
    )
    assert stores.repo.get_booking_ref(booked.id) == BookingRef(booked.id, provider.id, f"hash-{booked.id}")
    assert stores.repo.sealed_manage_token(booked.id) == f"sealed-{booked.id}"
    assert stores.repo.get_client(provider.id, client.id) == client
    snapshot = stores.repo.booking_snapshot(
        provider.id, new_id(), [DAY], [DAY], client_email=" Robin@Example.com"
    )
    assert snapshot is not None and snapshot.client_id == client.id
    assert busy_in(stores, provider.id, [DAY]) == [Busy(MONDAY, MONDAY + HOUR)]


def test_an_appointment_keeps_the_place_and_answers_it_was_booked_with(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    answers = (Answer("topic", "Topic", "fractions"), Answer("first", "First lesson?", False))
    booked = appointment(provider, client, location=Location("phone", "+1 212 555 0100"), answers=answers)
    book(stores, booked, client)
    stored = stores.repo.get_appointment(provider.id, booked.id)
    assert stored is not None and (stored.location, stored.answers) == (booked.location, answers)
    moved = booked.moved_to(MONDAY + 3 * HOUR, STAMP)
    stores.repo.save_change(booked, moved)
    again = stores.repo.get_appointment(provider.id, booked.id)
    assert again is not None and (again.location, again.answers) == (booked.location, answers)


def test_an_overlapping_booking_is_refused_and_writes_nothing(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    book(stores, appointment(provider, client, MONDAY, 60), client)
    late = new_client(provider)
    overlapping = appointment(provider, late, MONDAY + timedelta(minutes=59), 60)
    with pytest.raises(SlotUnavailableError):
        book(stores, overlapping, late, is_new=True)
    assert stores.repo.get_appointment(provider.id, overlapping.id) is None
    assert stores.repo.get_booking_ref(overlapping.id) is None
    assert stores.repo.sealed_manage_token(overlapping.id) is None
    assert stores.repo.get_client(provider.id, late.id) is None, "its new client is not kept either"


def test_touching_bookings_do_not_conflict_but_buffers_count(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    book(stores, appointment(provider, client, MONDAY, 60), client)
    book(stores, appointment(provider, client, MONDAY + HOUR, 30), client)  # starts as the first ends
    book(stores, appointment(provider, client, MONDAY - HOUR, 60), client)  # ends as the first starts
    padded = appointment(provider, client, MONDAY + timedelta(minutes=100), 30, buffer_before_minutes=15)
    with pytest.raises(SlotUnavailableError):
        book(stores, padded, client)
    assert busy_in(stores, provider.id, [DAY]) == [Busy(MONDAY - HOUR, MONDAY + timedelta(minutes=90))]


def test_a_booking_needs_its_client_as_read(stores: Stores) -> None:
    provider = stores.provider()
    known = stores.client(provider, email="known@example.com")
    twin = new_client(provider, email="known@example.com")
    with pytest.raises(ConcurrentChangeError):  # a client with this email was made meanwhile
        book(stores, appointment(provider, twin), twin, is_new=True)
    stores.repo.erase_client(known, STAMP)
    with pytest.raises(ConcurrentChangeError):  # the client read was erased meanwhile
        book(stores, appointment(provider, known), known)
    stranger = new_client(provider)
    with pytest.raises(ConcurrentChangeError):  # a client that was never stored
        book(stores, appointment(provider, stranger), stranger)
    assert busy_in(stores, provider.id, [DAY]) == []


def test_the_same_appointment_is_never_written_twice(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client), client)
    with pytest.raises(ConcurrentChangeError):
        book(stores, dataclasses.replace(booked, start=MONDAY + 3 * HOUR, end=MONDAY + 4 * HOUR), client)
    assert stores.repo.get_appointment(provider.id, booked.id) == booked


def test_an_idempotency_key_books_once_and_is_found_by_the_next_decision(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    key = BookingKey(unique("key"), "body-1")
    first = book(stores, appointment(provider, client), client, booking_key=key)
    snapshot = stores.repo.booking_snapshot(provider.id, new_id(), [DAY], [DAY], booking_key=key.key_hash)
    assert snapshot is not None and snapshot.keyed == KeyedBooking(first.id, "body-1")
    again = appointment(provider, client, MONDAY + 5 * HOUR)
    with pytest.raises(BookingKeyTakenError):
        book(stores, again, client, booking_key=BookingKey(key.key_hash, "body-2"))
    assert stores.repo.get_appointment(provider.id, again.id) is None
    other = stores.repo.booking_snapshot(provider.id, new_id(), [DAY], [DAY], booking_key=unique("key"))
    assert other is not None and other.keyed is None


def test_a_snapshot_reads_the_provider_service_hours_and_the_asked_days_only(stores: Stores) -> None:
    assert stores.repo.booking_snapshot(new_id(), new_id(), [DAY], [DAY]) is None, "no profile, no snapshot"
    provider = stores.provider()
    service = stores.service(provider)
    weekly = [WeeklyInterval("mon", "09:00", "17:00")]
    stores.repo.replace_weekly(provider.id, weekly, STAMP)
    stores.repo.put_override(provider.id, DAY, [TimeRange("10:00", "12:00")], STAMP)
    stores.repo.put_override(provider.id, "2031-03-20", [], STAMP)
    client = stores.client(provider)
    book(stores, appointment(provider, client, MONDAY + timedelta(days=10)), client)
    snapshot = stores.repo.booking_snapshot(provider.id, service.id, [DAY], [DAY])
    assert snapshot is not None
    assert (snapshot.provider, snapshot.service, snapshot.weekly) == (provider, service, weekly)
    assert snapshot.overrides == {DAY: [TimeRange("10:00", "12:00")]}
    assert blocks.busy_from_masks(snapshot.busy_days) == [], "busy time of days not asked for is not read"
    assert (snapshot.client_id, snapshot.keyed, snapshot.ledgers) == (None, None, {})
    unknown = stores.repo.booking_snapshot(provider.id, new_id(), [DAY], [DAY])
    assert unknown is not None and unknown.service is None
    with pytest.raises(ValueError):
        stores.repo.booking_snapshot(provider.id, service.id, [DAY] * 60, [DAY] * 60)


def test_a_cancellation_frees_its_time(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client), client)
    cancelled = booked.changed("2031-01-02T00:00:00Z", status=CANCELLED, cancel_reason="ill")
    stores.repo.save_change(booked, cancelled)
    assert stores.repo.get_appointment(provider.id, booked.id) == cancelled
    assert busy_in(stores, provider.id, [DAY]) == []
    book(stores, appointment(provider, client), client)  # the same time again


def test_a_reschedule_moves_the_busy_time_and_may_overlap_only_itself(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client, MONDAY, 60), client)
    blocker = book(stores, appointment(provider, client, MONDAY + 3 * HOUR, 60), client)
    moved = booked.moved_to(MONDAY + timedelta(minutes=30), "2031-01-02T00:00:00Z")
    stores.repo.save_change(booked, moved)
    assert busy_in(stores, provider.id, [DAY]) == [
        Busy(MONDAY + timedelta(minutes=30), MONDAY + timedelta(minutes=90)),
        Busy(blocker.start, blocker.end),
    ]
    onto = moved.moved_to(MONDAY + timedelta(minutes=150), "2031-01-03T00:00:00Z")
    with pytest.raises(SlotUnavailableError):
        stores.repo.save_change(moved, onto)
    assert stores.repo.get_appointment(provider.id, booked.id) == moved, "a refused move changes nothing"
    book(stores, appointment(provider, client, MONDAY, 30), client)  # the old time is free


def test_a_change_from_a_stale_copy_is_refused(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client), client)
    first = booked.changed("u1", provider_notes="first")
    stores.repo.save_change(booked, first)
    with pytest.raises(ConcurrentChangeError):
        stores.repo.save_change(booked, booked.changed("u2", status=CANCELLED))
    with pytest.raises(ValueError):
        stores.repo.save_change(first, dataclasses.replace(first, revision=first.revision + 2))
    assert stores.repo.get_appointment(provider.id, booked.id) == first
    assert busy_in(stores, provider.id, [DAY]) == [Busy(booked.start, booked.end)]


def test_the_calendar_lists_starts_in_range_in_order_and_pages(stores: Stores) -> None:
    provider = stores.provider()
    ana, bo = stores.client(provider), stores.client(provider)
    made = [
        book(stores, appointment(provider, ana if n % 2 else bo, MONDAY + n * HOUR, 30), ana)
        for n in range(5)
    ]
    book(stores, appointment(provider, ana, MONDAY + 6 * HOUR, 30), ana)  # starts at the range's end
    start, end = MONDAY, MONDAY + 6 * HOUR
    seen, cursor = [], None
    while True:
        page = stores.repo.list_appointments(provider.id, start, end, None, None, 2, cursor)
        seen += [a.id for a in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert seen == [a.id for a in made], "by start, the range's end left out"
    mine = stores.repo.list_appointments(provider.id, start, end, None, ana.id, 10, None)
    assert [a.id for a in mine.items] == [made[1].id, made[3].id]
    stores.repo.save_change(made[0], made[0].changed("u", status=CANCELLED))
    cancelled = stores.repo.list_appointments(provider.id, start, end, CANCELLED, None, 10, None)
    assert [a.id for a in cancelled.items] == [made[0].id]


def test_a_calendar_cursor_serves_its_own_provider_and_range_only(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    for n in range(3):
        book(stores, appointment(provider, client, MONDAY + n * HOUR, 30), client)
    end = MONDAY + 6 * HOUR
    cursor = stores.repo.list_appointments(provider.id, MONDAY, end, None, None, 1, None).next_cursor
    assert cursor is not None
    refusals: list[Callable[[], object]] = [
        lambda: stores.repo.list_appointments(stores.provider().id, MONDAY, end, None, None, 1, cursor),
        lambda: stores.repo.list_appointments(provider.id, MONDAY + 2 * HOUR, end, None, None, 1, cursor),
        lambda: stores.repo.list_appointments(provider.id, MONDAY, end, None, None, 1, "garbage"),
    ]
    for refused in refusals:
        with pytest.raises(InvalidCursorError):
            refused()


def test_providers_never_see_or_block_each_other(stores: Stores) -> None:
    ana, bo = stores.provider(slug=unique("ana")), stores.provider()
    ana_client, bo_client = stores.client(ana), stores.client(bo)
    theirs = book(stores, appointment(ana, ana_client), ana_client)
    book(stores, appointment(bo, bo_client), bo_client)  # the same time on another calendar
    assert stores.repo.get_appointment(bo.id, theirs.id) is None
    listed = stores.repo.list_appointments(bo.id, MONDAY - HOUR, MONDAY + HOUR, None, None, 10, None)
    assert [a.provider_id for a in listed.items] == [bo.id]
    assert busy_in(stores, bo.id, [DAY]) == [Busy(MONDAY, MONDAY + HOUR)]
    assert stores.repo.provider_id_for_slug(str(ana.slug)) == ana.id
    assert stores.repo.provider_id_for_slug(unique("nobody")) is None
    with pytest.raises(ConcurrentChangeError):
        stores.repo.save_change(
            dataclasses.replace(theirs, provider_id=bo.id), theirs.changed("u", status=CANCELLED)
        )
