"""Intake answers, unlisted services, time off as a range and max_per_day, through the use cases on
DynamoDB Local, checked on the table itself: a refusal writes nothing, a closed day lists no slot."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.catalog import Question, Service
from chalicelib.domain.errors import ConflictError, NotFoundError, ValidationError
from chalicelib.domain.ids import new_id
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.booking.slots import list_slots
from chalicelib.services.catalog import public, time_off
from tests.api import unique
from tests.integration.test_no_double_booking import (
    POLICY,
    assert_no_overlap,
    at,
    open_provider,
    request,
    table_appointments,
)

pytestmark = pytest.mark.integration


def add(c: bootstrap.Container, provider_id: str, name: str, **fields: Any) -> Service:
    service = Service(new_id(), provider_id, name, 60, Decimal("50.00"), "EUR", **fields)
    c.repo.add_service(service)
    return service


def book(c: bootstrap.Container, provider_id: str, req: booking.BookingRequest) -> booking.Booked:
    return booking.book(provider_id, req, c.repo, c.clock, c.ids, c.link_sealer)


def days_with_slots(
    c: bootstrap.Container, provider_id: str, service: Service, first: date, last: date
) -> set[date]:
    listed = list_slots(provider_id, service.id, first, last, None, c.repo, c.clock)
    zone = at(first, 0).tzinfo
    return {slot.start.astimezone(zone).date() for slot in listed.slots}


def test_a_required_answer_missing_is_refused_on_its_key_and_writes_nothing(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, _ = open_provider(c)
    questions = [
        Question("health", "Anything we should know?", "long_text", required=True),
        Question("pressure", "Pressure", "choice", options=("light", "firm")),
    ]
    massage = add(c, provider_id, "Massage", questions=questions)
    start = at(datetime.now(UTC).date() + timedelta(days=9), 10)
    for answers in ({}, {"pressure": "firm"}, {"health": ""}):
        with pytest.raises(ValidationError) as refused:
            book(c, provider_id, replace(request(massage, start, 1), answers=answers))
        assert "answers.health" in {d["field"] for d in refused.value.details}, refused.value.details
    with pytest.raises(ValidationError) as refused:
        book(
            c, provider_id, replace(request(massage, start, 1), answers={"health": "ok", "pressure": "hard"})
        )
    assert {d["field"] for d in refused.value.details} == {"answers.pressure"}
    assert table_appointments(ddb_client, c.settings.table_name, provider_id) == [], "nothing written"
    made = book(c, provider_id, replace(request(massage, start, 1), answers={"health": "Sore back"}))
    stored = booking.get_appointment(provider_id, made.appointment.id, c.repo)
    assert [(a.key, a.value) for a in stored.answers] == [("health", "Sore back")]
    by = Actor.provider(provider_id)  # the provider booking for someone may leave them out
    other = book_by(c, provider_id, request(massage, start + timedelta(hours=2), 2), by)
    assert other.appointment.answers == ()


def book_by(
    c: bootstrap.Container, provider_id: str, req: booking.BookingRequest, by: Actor
) -> booking.Booked:
    return booking.book(provider_id, req, c.repo, c.clock, c.ids, c.link_sealer, by=by)


def test_an_unlisted_service_is_bookable_by_its_link_only_and_a_hidden_one_not_at_all(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, services = open_provider(c)
    me = c.repo.get_provider(provider_id)
    assert me is not None
    slug = unique("page")
    c.repo.update_profile(me, {}, c.clock.stamp(), new_slug=slug)
    unlisted = add(c, provider_id, "By invitation", visibility="unlisted")
    hidden = add(c, provider_id, "Internal", visibility="hidden")
    page = public.public_page(slug, c.repo)
    listed = {s.id for group in page.groups for s in group.services}
    assert services[0].id in listed and unlisted.id not in listed and hidden.id not in listed
    by_link = public.public_page(slug, c.repo, unlisted.id).service
    assert by_link is not None and by_link.id == unlisted.id
    assert public.public_service(slug, unlisted.id, c.repo).id == unlisted.id
    day = datetime.now(UTC).date() + timedelta(days=11)
    assert days_with_slots(c, provider_id, unlisted, day, day) == {day}
    made = book(c, provider_id, request(unlisted, at(day, 10), 1))
    assert made.appointment.service_id == unlisted.id
    assert public.public_page(slug, c.repo, hidden.id).service is None
    with pytest.raises(NotFoundError):
        public.public_service(slug, hidden.id, c.repo)
    with pytest.raises(NotFoundError):
        list_slots(provider_id, hidden.id, day, day, None, c.repo, c.clock)
    with pytest.raises(NotFoundError):
        book(c, provider_id, request(hidden, at(day, 14), 2))
    book_by(c, provider_id, request(hidden, at(day, 14), 2), Actor.provider(provider_id))  # hers to book
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert sorted(i["service_id"]["S"] for i in items) == sorted([unlisted.id, hidden.id])
    assert assert_no_overlap(items) == 2


def test_a_week_of_time_off_in_one_call_closes_those_days_and_deleting_it_reopens_them(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, services = open_provider(c)
    service = services[1]
    monday = datetime.now(UTC).date() + timedelta(days=14)
    sunday = monday + timedelta(days=6)
    before, after = monday - timedelta(days=1), sunday + timedelta(days=1)
    week = {monday + timedelta(days=n) for n in range(7)}
    assert days_with_slots(c, provider_id, service, before, after) == week | {before, after}
    off = time_off.add_time_off(
        provider_id, monday.isoformat(), sunday.isoformat(), "Holiday", c.repo, c.clock, c.ids
    )
    assert [(t.first, t.last) for t in time_off.list_time_off(provider_id, c.repo)] == [(monday, sunday)]
    assert days_with_slots(c, provider_id, service, before, after) == {before, after}
    for day in (monday, monday + timedelta(days=3), sunday):
        with pytest.raises(ConflictError) as refused:
            book(c, provider_id, request(service, at(day, 10), day.day))
        assert refused.value.code == "outside_hours"
    made = book(c, provider_id, request(service, at(after, 10), 1))  # the day after is open
    time_off.delete_time_off(provider_id, off.id, c.repo)
    assert time_off.list_time_off(provider_id, c.repo) == []
    assert days_with_slots(c, provider_id, service, before, after) == week | {before, after}
    book(c, provider_id, request(service, at(monday + timedelta(days=3), 10), 2))
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    assert assert_no_overlap(items) == 2 and made.appointment.id in {i["appointment_id"]["S"] for i in items}


def test_a_day_at_max_per_day_lists_no_slot_and_refuses_with_daily_limit_until_one_is_cancelled(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    c = container
    provider_id, services = open_provider(c)
    capped = add(c, provider_id, "Capped", max_per_day=2)
    day = datetime.now(UTC).date() + timedelta(days=16)
    following = day + timedelta(days=1)
    first = book(c, provider_id, request(capped, at(day, 9), 1))
    assert days_with_slots(c, provider_id, capped, day, following) == {day, following}
    book(c, provider_id, request(capped, at(day, 12), 2))
    assert days_with_slots(c, provider_id, capped, day, following) == {following}, "the day is full"
    assert days_with_slots(c, provider_id, services[0], day, day) == {day}, "for that service only"
    with pytest.raises(ConflictError) as refused:
        book(c, provider_id, request(capped, at(day, 15), 3))
    assert refused.value.code == "daily_limit"
    book(c, provider_id, request(services[0], at(day, 15), 4))  # another service still books that day
    by = Actor.provider(provider_id)
    appointment_changes.cancel(first.appointment, "moved away", by, POLICY, c.repo, c.clock)
    assert days_with_slots(c, provider_id, capped, day, day) == {day}, "a cancellation frees its place"
    book(c, provider_id, request(capped, at(day, 17), 5))
    items = table_appointments(ddb_client, c.settings.table_name, provider_id)
    of_capped = [i for i in items if i["service_id"]["S"] == capped.id and i["status"]["S"] == "confirmed"]
    assert len(of_capped) == 2 and assert_no_overlap(items) == 3
