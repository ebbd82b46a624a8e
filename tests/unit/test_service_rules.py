"""A service's own rules and hours, its day caps, time off and the answers to its questions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.answers import Answer, check_answers
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.service_rules import (
    DayCaps,
    full_days,
    is_full,
    local_day,
    place_moves,
    rules_for,
)
from chalicelib.domain.catalog import (
    Location,
    Question,
    Service,
    TimeOff,
    location_problems,
    question_problems,
    visibility_changes,
)
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.days import DayPlan
from tests.unit.slot_support import every_day, rules, slots_on, starts, utc

pytestmark = pytest.mark.unit

POLICY = BookingPolicy(min_notice_minutes=60, max_advance_days=60, slot_interval_minutes=30, max_per_day=8)
SERVICE = Service("s1", "p1", "Massage", 60, Decimal("50"), "EUR")
QUESTIONS = [
    Question("health", "Anything we should know?", "long_text", required=True),
    Question("topic", "Topic", "text"),
    Question("pressure", "Pressure", "choice", options=("light", "firm")),
    Question("consent", "I agree to the terms", "checkbox", required=True),
]


def test_a_service_without_rules_is_booked_by_the_profiles() -> None:
    found = rules_for(POLICY, SERVICE)
    assert (found.min_notice_minutes, found.max_advance_days, found.slot_interval_minutes) == (60, 60, 30)
    assert found.caps == DayCaps(total=8, service=None)


def test_a_services_own_rules_replace_the_profiles_and_zero_is_a_rule_not_a_fallback() -> None:
    own = replace(SERVICE, min_notice_minutes=0, max_advance_days=7, slot_interval_minutes=15, max_per_day=2)
    found = rules_for(POLICY, own)
    assert (found.min_notice_minutes, found.max_advance_days, found.slot_interval_minutes) == (0, 7, 15)
    assert found.caps == DayCaps(total=8, service=2)


def test_a_deleted_service_falls_back_to_the_profile() -> None:
    assert rules_for(POLICY, None).caps == DayCaps(total=8)


def test_a_day_is_full_at_either_cap() -> None:
    caps = DayCaps(total=3, service=1)
    assert not is_full("2027-03-15", {"2027-03-15": 2}, {}, caps)
    assert is_full("2027-03-15", {"2027-03-15": 3}, {}, caps), "the profile's cap"
    assert is_full("2027-03-15", {"2027-03-15": 1}, {"2027-03-15": 1}, caps), "the service's cap"
    assert not is_full("2027-03-15", {"2027-03-15": 99}, {}, DayCaps()), "no cap, never full"
    totals, mine = {"2027-03-15": 3, "2027-03-16": 1}, {"2027-03-17": 1}
    assert full_days(totals, mine, caps) == {date(2027, 3, 15), date(2027, 3, 17)}


def test_an_appointment_counts_under_the_providers_local_date() -> None:
    late = datetime(2027, 3, 15, 23, 30, tzinfo=UTC)
    assert local_day(late, "UTC") == "2027-03-15"
    assert local_day(late, "Europe/Lisbon") == "2027-03-15"
    assert local_day(late, "Europe/Paris") == "2027-03-16"
    assert local_day(late, "America/New_York") == "2027-03-15"


def _appointment(status: str = "confirmed", day: str = "2027-03-15") -> Appointment:
    start = datetime(2027, 3, 15, 9, tzinfo=UTC)
    return Appointment(
        "a1", "p1", "s1", "Massage", start, start + timedelta(hours=1), status, "c1", "UTC",
        Decimal("50"), "EUR", counted_day=day,
    )  # fmt: skip


def test_cancelling_frees_the_place_completing_keeps_it_moving_days_moves_it() -> None:
    booked = _appointment()
    assert place_moves(None, booked) == (None, ("2027-03-15", "s1"))
    assert place_moves(booked, replace(booked, status="cancelled")) == (("2027-03-15", "s1"), None)
    assert place_moves(booked, replace(booked, status="completed")) == (None, None)
    assert place_moves(booked, replace(booked, counted_day="2027-03-16")) == (
        ("2027-03-15", "s1"),
        ("2027-03-16", "s1"),
    )
    older = _appointment(day="")  # from before the day counts: nothing to free
    assert place_moves(older, replace(older, status="cancelled")) == (None, None)
    assert place_moves(older, replace(older, counted_day="2027-03-16"))[1] == ("2027-03-16", "s1")


def test_time_off_closes_every_date_of_its_range_and_nothing_else() -> None:
    week = TimeOff("t1", date(2027, 3, 15), date(2027, 3, 21))
    plan = DayPlan({}, [week])
    assert date(2027, 3, 14) not in plan and date(2027, 3, 22) not in plan
    assert all(plan[date(2027, 3, 15) + timedelta(days=n)] == () for n in range(7))
    open_days = starts(slots_on(rules(overrides=plan), date(2027, 3, 14), date(2027, 3, 22)))
    assert {s.date() for s in open_days} == {date(2027, 3, 14), date(2027, 3, 22)}


def test_time_off_wins_over_a_date_override_and_a_full_day_is_closed() -> None:
    override = {date(2027, 3, 15): [("10:00", "11:00")], date(2027, 3, 16): [("10:00", "11:00")]}
    plan = DayPlan(
        override, [TimeOff("t1", date(2027, 3, 15), date(2027, 3, 15))], closed=[date(2027, 3, 17)]
    )
    assert plan[date(2027, 3, 15)] == () and plan[date(2027, 3, 17)] == ()
    assert plan[date(2027, 3, 16)] == [("10:00", "11:00")]
    assert sorted(plan) == [date(2027, 3, 15), date(2027, 3, 16), date(2027, 3, 17)] and len(plan) == 3


def test_a_service_with_its_own_hours_keeps_them_on_a_changed_date_but_not_on_a_closed_one() -> None:
    override = {date(2027, 3, 15): [("18:00", "19:00")], date(2027, 3, 16): []}
    plan = DayPlan(override, own_hours=True)
    assert date(2027, 3, 15) not in plan, "the provider's changed hours are hers, not the service's"
    assert not plan[date(2027, 3, 16)], "a closed date closes every service"
    saturday_mornings = [w for w in every_day(("09:00", "12:00")) if w.day == "sat"]
    found = starts(
        slots_on(rules(weekly=saturday_mornings, overrides=plan), date(2027, 3, 13), date(2027, 3, 20))
    )
    assert found[0] == utc(2027, 3, 13, 9) and {s.date() for s in found} == {
        date(2027, 3, 13),
        date(2027, 3, 20),
    }


def test_answers_are_kept_in_question_order_with_the_labels_asked() -> None:
    kept = check_answers(QUESTIONS, {"consent": True, "health": "  sore back  ", "pressure": "firm"})
    assert kept == (
        Answer("health", "Anything we should know?", "sore back"),
        Answer("pressure", "Pressure", "firm"),
        Answer("consent", "I agree to the terms", True),
    )


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"consent": True}, "answers.health", "required"),
        ({"consent": True, "health": "   "}, "answers.health", "required"),
        ({"health": "x", "consent": False}, "answers.consent", "required"),
        ({"health": "x", "consent": "yes"}, "answers.consent", "bool_type"),
        ({"health": 5, "consent": True}, "answers.health", "string_type"),
        ({"health": "x", "consent": True, "pressure": "deep"}, "answers.pressure", "unknown_option"),
        ({"health": "x", "consent": True, "topic": "t" * 201}, "answers.topic", "string_too_long"),
        ({"health": "x" * 2001, "consent": True}, "answers.health", "string_too_long"),
        ({"health": "x", "consent": True, "shoe_size": "42"}, "answers.shoe_size", "unknown_question"),
    ],
)
def test_each_wrong_answer_is_named_under_answers(answers: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_answers(QUESTIONS, answers)
    assert {(d["field"], d["code"]) for d in raised.value.details} == {(field, code)}


def test_the_provider_may_leave_required_questions_out_but_not_break_the_others() -> None:
    assert check_answers(QUESTIONS, {}, required=False) == ()
    with pytest.raises(ValidationError):
        check_answers(QUESTIONS, {"pressure": "deep"}, required=False)


def test_questions_need_unique_keys_and_choices_need_options() -> None:
    bad = [
        Question("a", "A", "choice", options=("only",)),
        Question("a", "Again", "text", options=("x", "y")),
        Question("b", "B", "choice", options=("x", "x")),
    ]
    found = {(p["field"], p["code"]) for p in question_problems(bad)}
    assert found == {
        ("questions.0.options", "invalid_options"),
        ("questions.1.key", "duplicate_key"),
        ("questions.1.options", "unexpected_options"),
        ("questions.2.options", "invalid_options"),
    }
    assert question_problems(QUESTIONS) == []


@pytest.mark.parametrize(
    ("location", "ok"),
    [
        (Location("phone", "+1 (212) 555-0100"), True),
        (Location("phone", "call me"), False),
        (Location("phone", "+-- ()"), False),
        (Location("video", "https://meet.example.com/ana"), True),
        (Location("video", "http://meet.example.com/ana"), False),
        (Location("video", "javascript:alert(1)"), False),
        (Location("address", "Rua Augusta 10"), True),
        (Location("note", "We meet at the school gate"), True),
    ],
)
def test_a_phone_location_is_a_number_and_a_video_one_an_https_link(location: Location, ok: bool) -> None:
    assert (location_problems(location) == []) is ok


def test_public_and_booked_only_locations() -> None:
    assert Location("address", "x").public and Location("note", "x").public
    assert not Location("phone", "1").public and not Location("video", "https://a.b").public


def test_visibility_and_visible_stay_in_step() -> None:
    assert Service("s", "p", "n", 30, Decimal(0), "EUR", visible=False).visibility == "hidden"
    unlisted = Service("s", "p", "n", 30, Decimal(0), "EUR", visibility="unlisted")
    assert unlisted.visible and not unlisted.listed
    assert visibility_changes({"visible": False}) == {"visible": False, "visibility": "hidden"}
    assert visibility_changes({"visibility": "unlisted"}) == {"visibility": "unlisted", "visible": True}
    assert visibility_changes({"name": "x"}) == {"name": "x"}
