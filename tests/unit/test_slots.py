from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.catalog import Availability, Service, WeeklyInterval
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.engine import Busy, Slot, SlotQuery, SlotRules, is_bookable_start
from tests.unit.slot_support import every_day, local, rules, slots_on, starts, utc

pytestmark = pytest.mark.unit

DAY = date(2027, 6, 15)  # a Tuesday


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return utc(day.year, day.month, day.day, hour, minute)


# Alignment and windows


def test_starts_are_aligned_from_the_window_start_and_slots_end_inside_it() -> None:
    slots = slots_on(rules(weekly=every_day(("09:10", "10:30"))), DAY)
    assert slots == [Slot(at(9, 10), at(9, 40)), Slot(at(9, 40), at(10, 10))]


def test_an_interval_longer_than_the_duration_leaves_gaps_between_slots() -> None:
    slots = slots_on(rules(weekly=every_day(("09:00", "11:00")), slot_interval_minutes=45), DAY)
    assert starts(slots) == [at(9), at(9, 45), at(10, 30)]


def test_rules_of_one_day_that_touch_form_one_window() -> None:
    weekly = every_day(("09:00", "10:00"), ("10:00", "11:00"))
    assert starts(slots_on(rules(weekly=weekly, duration_minutes=90), DAY)) == [at(9), at(9, 30)]


def test_overlapping_rules_offer_each_start_once() -> None:
    weekly = every_day(("09:00", "10:30"), ("10:00", "11:00"))
    assert starts(slots_on(rules(weekly=weekly), DAY)) == [at(9), at(9, 30), at(10), at(10, 30)]


def test_a_rule_ending_at_2400_runs_to_midnight() -> None:
    slot_rules = rules(weekly=every_day(("22:00", "24:00")), duration_minutes=60, slot_interval_minutes=60)
    slots = slots_on(slot_rules, DAY)
    assert slots == [Slot(at(22), at(23)), Slot(at(23), at(0, day=DAY + timedelta(days=1)))]


def test_a_slot_never_spans_two_dates() -> None:
    weekly = every_day(("00:00", "01:00"), ("23:00", "24:00"))
    slots = slots_on(rules(weekly=weekly, duration_minutes=60), DAY, DAY + timedelta(days=1))
    # 23:30 would end at 00:30 the next day, inside that day's window but not its own.
    next_day = DAY + timedelta(days=1)
    assert starts(slots) == [at(0), at(23), at(0, day=next_day), at(23, day=next_day)]


def test_days_without_rules_offer_nothing() -> None:
    monday = DAY - timedelta(days=1)
    weekly = [WeeklyInterval("mon", "09:00", "10:00")]
    assert slots_on(rules(weekly=weekly), DAY) == []
    assert starts(slots_on(rules(weekly=weekly), monday)) == [at(9, 0, monday), at(9, 30, monday)]


# Appointments and buffers


def test_an_appointment_removes_the_slots_it_overlaps() -> None:
    busy = [Busy(at(10), at(11))]
    slots = slots_on(rules(weekly=every_day(("09:00", "12:00")), busy=busy), DAY)
    assert starts(slots) == [at(9), at(9, 30), at(11), at(11, 30)]


def test_service_and_appointment_buffers_both_keep_time_free() -> None:
    # Appointment 10:00-11:00 keeps 09:55-11:15; the service needs 15 min before and 10 after.
    busy = [Busy(at(10), at(11), buffer_before_minutes=5, buffer_after_minutes=15)]
    slot_rules = rules(
        weekly=every_day(("09:00", "12:00")), busy=busy, buffer_before_minutes=15, buffer_after_minutes=10
    )
    assert starts(slots_on(slot_rules, DAY)) == [at(9), at(11, 30)]


def test_padded_intervals_that_only_touch_leave_the_slot_free() -> None:
    busy = [Busy(at(9), at(10), buffer_after_minutes=15)]
    slot_rules = rules(
        weekly=every_day(("10:00", "12:00")), busy=busy, buffer_before_minutes=15, slot_interval_minutes=15
    )
    assert starts(slots_on(slot_rules, DAY))[0] == at(10, 30)


def test_buffers_may_fall_outside_opening_hours() -> None:
    slot_rules = rules(
        weekly=every_day(("09:00", "10:00")),
        duration_minutes=60,
        buffer_before_minutes=30,
        buffer_after_minutes=30,
    )
    assert slots_on(slot_rules, DAY) == [Slot(at(9), at(10))]


def test_an_appointment_without_length_or_buffers_blocks_nothing() -> None:
    slot_rules = rules(weekly=every_day(("09:00", "10:00")), busy=[Busy(at(9, 15), at(9, 15))])
    assert starts(slots_on(slot_rules, DAY)) == [at(9), at(9, 30)]


def test_an_appointment_before_the_notice_limit_still_keeps_its_buffer_free() -> None:
    busy = [Busy(at(9), at(10), buffer_after_minutes=15)]
    slot_rules = rules(now=at(9), min_notice_minutes=60, busy=busy)
    assert starts(slots_on(slot_rules, DAY))[0] == at(10, 30)


def test_an_appointment_after_the_range_still_blocks_a_slot_running_into_it() -> None:
    # The last start of the day is 23:00; its hour and 15-minute buffer reach 00:15 next day.
    next_day = DAY + timedelta(days=1)
    slot_rules = rules(
        weekly=every_day(("00:00", "24:00")),
        duration_minutes=60,
        slot_interval_minutes=60,
        buffer_after_minutes=15,
        busy=[Busy(at(0, 10, next_day), at(0, 40, next_day))],
    )
    assert starts(slots_on(slot_rules, DAY))[-1] == at(22)


# Notice and advance


def test_minimum_notice_drops_starts_that_come_too_soon() -> None:
    slot_rules = rules(now=at(9, 5), min_notice_minutes=60)
    assert starts(slots_on(slot_rules, DAY))[:2] == [at(10, 30), at(11)]


def test_a_start_exactly_at_the_notice_limit_is_offered() -> None:
    assert starts(slots_on(rules(now=at(9), min_notice_minutes=60), DAY))[0] == at(10)


def test_a_start_exactly_at_the_advance_limit_is_the_last_one_offered() -> None:
    slot_rules = rules(now=at(10), max_advance_days=2)
    last_day = DAY + timedelta(days=2)
    assert starts(slots_on(slot_rules, last_day)) == [
        at(9, 0, last_day),
        at(9, 30, last_day),
        at(10, 0, last_day),
    ]
    assert slots_on(slot_rules, last_day + timedelta(days=1)) == []


# Date overrides


def test_an_empty_override_closes_the_day() -> None:
    slot_rules = rules(overrides={DAY: []})
    assert slots_on(slot_rules, DAY) == []
    assert len(slots_on(slot_rules, DAY + timedelta(days=1))) == 16


def test_override_intervals_replace_the_weekly_rules_for_that_date() -> None:
    slot_rules = rules(overrides={DAY: [("10:00", "11:00"), ("14:00", "15:00")]})
    assert starts(slots_on(slot_rules, DAY)) == [at(10), at(10, 30), at(14), at(14, 30)]
    assert starts(slots_on(slot_rules, DAY + timedelta(days=1)))[0] == at(9, 0, DAY + timedelta(days=1))


def test_an_override_opens_a_day_without_weekly_rules() -> None:
    slot_rules = rules(weekly=[], overrides={DAY: [("18:00", "19:00")]})
    assert starts(slots_on(slot_rules, DAY)) == [at(18), at(18, 30)]


# The requester's zone


def test_dates_are_read_in_the_provider_zone_by_default() -> None:
    slot_rules = rules(timezone="America/New_York")
    slots = slots_on(slot_rules, DAY)
    assert slots[0].start == local("America/New_York", 2027, 6, 15, 9)
    assert slots[-1].end == local("America/New_York", 2027, 6, 15, 17)


def test_a_requester_in_kolkata_gets_exactly_the_instants_of_their_date() -> None:
    # Kolkata's 2027-06-15 is 2027-06-14 18:30Z to 2027-06-15 18:30Z; New York opens 13:00Z-21:00Z.
    slot_rules = rules(timezone="America/New_York")
    slots = slots_on(slot_rules, DAY, timezone="Asia/Kolkata")
    previous = DAY - timedelta(days=1)
    expected = [at(18, 30, previous) + timedelta(minutes=30 * i) for i in range(5)]
    expected += [at(13) + timedelta(minutes=30 * i) for i in range(11)]
    assert starts(slots) == expected
    assert {slot.start.astimezone(ZoneInfo("Asia/Kolkata")).date() for slot in slots} == {DAY}


# Booking checks


def test_a_listed_start_is_bookable_in_any_zone() -> None:
    slot_rules = rules(busy=[Busy(at(10), at(11))])
    assert is_bookable_start(slot_rules, at(11))
    assert is_bookable_start(slot_rules, local("Asia/Kolkata", 2027, 6, 15, 16, 30))


@pytest.mark.parametrize(
    ("reason", "changes", "start"),
    [
        ("misaligned", {}, at(9, 10)),
        ("taken", {"busy": [Busy(at(10), at(11))]}, at(10, 30)),
        ("outside hours", {}, at(16, 45)),
        ("too soon", {"now": at(9), "min_notice_minutes": 120}, at(10, 30)),
        ("too far", {"now": at(9), "max_advance_days": 0}, at(9, 30)),
        ("closed by override", {"overrides": {DAY: []}}, at(9)),
    ],
)
def test_a_start_that_is_not_a_free_slot_is_not_bookable(
    reason: str, changes: dict[str, object], start: datetime
) -> None:
    assert not is_bookable_start(rules(**changes), start), reason


def test_a_naive_requested_start_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        is_bookable_start(rules(), datetime(2027, 6, 15, 9))


def test_rules_for_a_service_take_the_stored_hours_policy_and_buffers() -> None:
    service = Service(
        "s1",
        "p1",
        "Consultation",
        45,
        Decimal("50.00"),
        "EUR",
        buffer_before_minutes=5,
        buffer_after_minutes=10,
    )
    slot_rules = SlotRules.for_service(
        availability=Availability("Europe/Paris", every_day(("09:00", "12:00"))),
        service=service,
        policy=BookingPolicy(min_notice_minutes=120, max_advance_days=30, slot_interval_minutes=15),
        now=at(6),
    )
    assert slot_rules.timezone == "Europe/Paris"
    assert (slot_rules.duration_minutes, slot_rules.slot_interval_minutes) == (45, 15)
    assert (slot_rules.buffer_before_minutes, slot_rules.buffer_after_minutes) == (5, 10)
    assert (slot_rules.min_notice_minutes, slot_rules.max_advance_days) == (120, 30)
    assert slot_rules.overrides == {}
    # 06:00Z plus two hours of notice is 10:00 in Paris.
    assert starts(slots_on(slot_rules, DAY))[0] == local("Europe/Paris", 2027, 6, 15, 10)


# Invalid input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"slot_interval_minutes": 0}, "slot_interval_minutes"),
        ({"buffer_after_minutes": -1}, "buffer_after_minutes"),
        ({"min_notice_minutes": -1}, "min_notice_minutes"),
        ({"max_advance_days": -1}, "max_advance_days"),
    ],
)
def test_invalid_rules_are_validation_errors_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        rules(**changes)
    assert [detail["field"] for detail in raised.value.details] == [field]


def test_rules_need_an_aware_now() -> None:
    with pytest.raises(ValueError, match="naive"):
        rules(now=datetime(2027, 1, 1))


def test_a_malformed_rule_time_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        slots_on(rules(weekly=[WeeklyInterval("tue", "9am", "17:00")]), DAY)
    assert raised.value.details[0]["field"] == "weekly[0].start"


def test_an_unknown_weekday_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        slots_on(rules(weekly=[WeeklyInterval("tuesday", "09:00", "17:00")]), DAY)
    assert raised.value.details[0]["field"] == "weekly[0].day"


def test_a_range_ending_before_it_starts_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        SlotQuery(rules=rules(), from_date=DAY, to_date=DAY - timedelta(days=1))
    assert raised.value.details == [
        {"field": "to", "code": "before_from", "message": "must not be before from"}
    ]


def test_an_unknown_requester_zone_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        SlotQuery(rules=rules(), from_date=DAY, to_date=DAY, timezone="Asia/Calcutta_")
