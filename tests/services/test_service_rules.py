"""A service's own hours, rules, caps, visibility, location and questions, and time off, decided
on the in-memory stores."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import DailyLimitError, SlotUnavailableError
from chalicelib.domain.catalog import Location, Question, Service, WeeklyInterval
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.booking import appointment_changes as changes
from chalicelib.services.booking import slots
from chalicelib.services.catalog import availability, catalog, providers, public, time_off
from tests.services.conftest import HOUR, MONDAY_10, World

pytestmark = pytest.mark.unit
SATURDAY_10 = MONDAY_10 + timedelta(days=5)
QUESTIONS = [
    Question("health", "Anything we should know?", "long_text", required=True),
    Question("pressure", "Pressure", "choice", options=("light", "firm")),
]


def starts(
    world: World, provider: Provider, service: Service, first: date, last: date | None = None
) -> list[datetime]:
    found = slots.list_slots(provider.id, service.id, first, last or first, "UTC", world.repo, world.clock)
    return [slot.start for slot in found.slots]


def another(world: World, who: Identity, **fields: object) -> Service:
    values = {"name": "Other", "duration_minutes": 60, "price": Decimal("40"), "currency": "EUR", **fields}
    return catalog.create_service(who, values, world.repo, world.clock, world.ids)


def test_a_service_with_its_own_hours_and_notice_is_booked_by_them_and_not_the_profiles(world: World) -> None:
    who, provider, usual = world.provider()  # Monday 09:00-17:00, 60 minutes' notice
    weekend = another(world, who, min_notice_minutes=0, slot_interval_minutes=60)
    availability.replace_service_hours(
        who, weekend.id, [WeeklyInterval("sat", "10:00", "12:00")], None, world.repo, world.clock
    )
    assert starts(world, provider, weekend, MONDAY_10.date()) == [], "not on the profile's Monday"
    saturday = SATURDAY_10.date()
    assert starts(world, provider, weekend, saturday) == [SATURDAY_10, SATURDAY_10 + HOUR]
    assert starts(world, provider, usual, saturday) == [], "the other service keeps the profile's hours"
    world.clock.current = SATURDAY_10 - timedelta(minutes=5)  # inside the profile's notice, not its own
    assert world.book(provider, weekend, SATURDAY_10).appointment.start == SATURDAY_10
    next_monday = MONDAY_10 + timedelta(days=7)
    with pytest.raises(SlotUnavailableError):
        world.book(provider, weekend, next_monday, email="monday@example.com")
    availability.delete_service_hours(provider.id, weekend.id, world.repo, world.clock)
    assert next_monday in starts(world, provider, weekend, next_monday.date()), "back on the profile's hours"


def test_a_service_hours_zone_is_the_profiles(world: World) -> None:
    who, provider, service = world.provider()
    with pytest.raises(ValidationError) as raised:
        availability.replace_service_hours(who, service.id, [], "Asia/Tokyo", world.repo, world.clock)
    assert raised.value.details[0]["field"] == "timezone"
    hours = availability.replace_service_hours(who, service.id, [], "Europe/Lisbon", world.repo, world.clock)
    assert (hours.follows_provider, hours.availability.weekly) == (False, [])
    assert starts(world, provider, service, MONDAY_10.date()) == [], "no hours of its own: closed"


def test_max_per_day_leaves_no_slot_that_day_and_refuses_with_daily_limit(world: World) -> None:
    who, provider, service = world.provider()
    catalog.update_service(provider.id, service.id, {"max_per_day": 2}, world.repo, world.clock)
    world.book(provider, service, MONDAY_10, email="a@example.com")
    assert len(starts(world, provider, service, MONDAY_10.date())) > 0
    world.book(provider, service, MONDAY_10 + 2 * HOUR, email="b@example.com")
    assert starts(world, provider, service, MONDAY_10.date()) == []
    with pytest.raises(DailyLimitError) as raised:
        world.book(provider, service, MONDAY_10 + 4 * HOUR, email="c@example.com")
    assert raised.value.code == "daily_limit"
    other = another(world, who)
    assert len(starts(world, provider, other, MONDAY_10.date())) > 0, "another service's day is not full"
    next_monday = MONDAY_10 + timedelta(days=7)
    assert starts(world, provider, service, next_monday.date())[0] == next_monday - HOUR


def test_the_profiles_max_per_day_counts_every_service(world: World) -> None:
    who, provider, service = world.provider()
    providers.update_me(who, {"max_per_day": 1}, world.repo, world.clock)
    other = another(world, who)
    world.book(provider, service, MONDAY_10)
    assert starts(world, provider, other, MONDAY_10.date()) == []
    with pytest.raises(DailyLimitError):
        world.book(provider, other, MONDAY_10 + 3 * HOUR, email="x@example.com")


def test_a_move_within_a_full_day_is_allowed_and_into_a_full_day_refused(world: World) -> None:
    _, provider, service = world.provider()
    catalog.update_service(provider.id, service.id, {"max_per_day": 1}, world.repo, world.clock)
    monday = world.book(provider, service, MONDAY_10).appointment
    policy = provider.policy
    later = changes.reschedule(
        monday, MONDAY_10 + 3 * HOUR, Actor.provider(provider.id), policy, world.repo, world.clock
    )
    assert later.start == MONDAY_10 + 3 * HOUR
    next_week = world.book(
        provider, service, MONDAY_10 + timedelta(days=7), email="n@example.com"
    ).appointment
    with pytest.raises(DailyLimitError):
        changes.reschedule(next_week, MONDAY_10, Actor.provider(provider.id), policy, world.repo, world.clock)
    changes.cancel(later, "", Actor.provider(provider.id), policy, world.repo, world.clock)
    moved = changes.reschedule(
        next_week, MONDAY_10, Actor.provider(provider.id), policy, world.repo, world.clock
    )
    assert moved.counted_day == MONDAY_10.date().isoformat()


def test_a_week_of_time_off_is_one_call_and_deleting_it_reopens_the_days(world: World) -> None:
    _, provider, service = world.provider()
    first = MONDAY_10.date() + timedelta(days=7)
    week = time_off.add_time_off(
        provider.id,
        first.isoformat(),
        (first + timedelta(days=6)).isoformat(),
        "holiday",
        world.repo,
        world.clock,
        world.ids,
    )
    assert starts(world, provider, service, first, first + timedelta(days=6)) == []
    assert len(starts(world, provider, service, MONDAY_10.date())) > 0, "the week before stays open"
    with pytest.raises(SlotUnavailableError):
        world.book(provider, service, MONDAY_10 + timedelta(days=7))
    assert time_off.list_time_off(provider.id, world.repo) == [week]
    time_off.delete_time_off(provider.id, week.id, world.repo)
    assert world.book(provider, service, MONDAY_10 + timedelta(days=7)).appointment is not None


@pytest.mark.parametrize(
    ("first", "last", "field", "code"),
    [
        ("2031-03-10", "2031-03-09", "to", "range_reversed"),
        ("2031-01-01", "2032-01-02", "to", "range_too_long"),
        ("2031-02-30", "2031-03-01", "from", "invalid_date"),
    ],
)
def test_time_off_ranges_are_checked(world: World, first: str, last: str, field: str, code: str) -> None:
    _, provider, _ = world.provider()
    with pytest.raises(ValidationError) as raised:
        time_off.add_time_off(provider.id, first, last, "", world.repo, world.clock, world.ids)
    assert (raised.value.details[0]["field"], raised.value.details[0]["code"]) == (field, code)


def test_an_unlisted_service_is_bookable_by_its_link_only_and_a_hidden_one_by_nobody_but_her(
    world: World,
) -> None:
    who, provider, listed = world.provider()
    slug = providers.update_me(who, {"slug": "pat-studio"}, world.repo, world.clock).slug or ""
    unlisted = another(world, who, name="Private coaching", visibility="unlisted")
    hidden = another(world, who, name="Staff", visible=False)
    page = public.public_page(slug, world.repo)
    assert [s.id for g in page.groups for s in g.services] == [listed.id]
    assert public.public_service(slug, unlisted.id, world.repo).name == "Private coaching"
    assert len(starts(world, provider, unlisted, MONDAY_10.date())) > 0
    assert world.book(provider, unlisted, MONDAY_10).appointment.service_id == unlisted.id
    with pytest.raises(NotFoundError):
        public.public_service(slug, hidden.id, world.repo)
    with pytest.raises(NotFoundError):
        starts(world, provider, hidden, MONDAY_10.date())
    with pytest.raises(NotFoundError):
        world.book(provider, hidden, MONDAY_10 + 2 * HOUR, email="h@example.com")
    assert world.book(provider, hidden, MONDAY_10 + 2 * HOUR, by=Actor.provider(provider.id)).appointment


def test_a_booking_answers_the_questions_and_keeps_the_place(world: World) -> None:
    who, provider, _ = world.provider()
    place = Location("video", "https://meet.example.com/pat")
    service = another(world, who, questions=QUESTIONS, location=place)
    with pytest.raises(ValidationError) as raised:
        world.book(provider, service, answers={"pressure": "firm"})
    assert [(d["field"], d["code"]) for d in raised.value.details] == [("answers.health", "required")]
    booked = world.book(provider, service, answers={"health": "sore back", "pressure": "firm"}).appointment
    assert booked.location == place
    assert booked.answers == (
        Answer("health", "Anything we should know?", "sore back"),
        Answer("pressure", "Pressure", "firm"),
    )
    stored = world.repo.get_appointment(provider.id, booked.id)
    assert stored is not None and stored.answers == booked.answers
    by_her = world.book(provider, service, MONDAY_10 + 2 * HOUR, by=Actor.provider(provider.id)).appointment
    assert by_her.answers == (), "the provider may leave required questions out"


def test_a_service_with_bad_questions_or_location_is_refused(world: World) -> None:
    who, _, service = world.provider()
    bad = [Question("a", "A", "choice", options=("one",)), Question("a", "B", "text")]
    with pytest.raises(ValidationError) as raised:
        another(world, who, questions=bad, location=Location("video", "not a link"))
    fields = {d["field"] for d in raised.value.details}
    assert fields == {"location.value", "questions.0.options", "questions.1.key"}
    with pytest.raises(ValidationError):
        catalog.update_service(
            who.provider_id, service.id, {"location": Location("phone", "x")}, world.repo, world.clock
        )
