"""Weekly rules are wall-clock times in the provider's zone, on DST change days too."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.unit.slot_support import every_day, rules, slots_on, starts, utc

pytestmark = pytest.mark.unit

NEW_YORK = "America/New_York"
LONDON = "Europe/London"
US_SPRING, US_FALL = date(2027, 3, 14), date(2027, 11, 7)
UK_SPRING, UK_FALL = date(2027, 3, 28), date(2027, 10, 31)


def wall(instant: datetime, zone: str) -> tuple[time, str | None]:
    shown = instant.astimezone(ZoneInfo(zone))
    return shown.time(), shown.tzname()


@pytest.mark.parametrize(
    ("zone", "day", "opens", "closes"),
    [
        (NEW_YORK, US_SPRING, utc(2027, 3, 14, 13), utc(2027, 3, 14, 21)),  # EDT from today
        (NEW_YORK, US_FALL, utc(2027, 11, 7, 14), utc(2027, 11, 7, 22)),  # EST from today
        (LONDON, UK_SPRING, utc(2027, 3, 28, 8), utc(2027, 3, 28, 16)),  # BST from today
        (LONDON, UK_FALL, utc(2027, 10, 31, 9), utc(2027, 10, 31, 17)),  # GMT from today
    ],
)
def test_hours_stay_09_to_17_local_on_change_days(
    zone: str, day: date, opens: datetime, closes: datetime
) -> None:
    slots = slots_on(rules(timezone=zone, weekly=every_day(("09:00", "17:00"))), day)
    assert slots[0].start == opens
    assert slots[0].start.astimezone(ZoneInfo(zone)).time() == time(9)
    assert slots[-1].end == closes
    assert len(slots) == 16


def test_a_rule_inside_a_spring_gap_offers_only_real_instants() -> None:
    # 02:00-03:00 does not exist on 2027-03-14 in New York: the rule starts at 03:00 EDT.
    slot_rules = rules(timezone=NEW_YORK, overrides={US_SPRING: [("02:00", "04:00")]})
    slots = slots_on(slot_rules, US_SPRING)
    assert starts(slots) == [utc(2027, 3, 14, 7), utc(2027, 3, 14, 7, 30)]
    assert [wall(slot.start, NEW_YORK) for slot in slots] == [(time(3), "EDT"), (time(3, 30), "EDT")]


def test_a_rule_ending_inside_a_spring_gap_ends_when_the_clock_jumps() -> None:
    slot_rules = rules(timezone=NEW_YORK, overrides={US_SPRING: [("01:00", "02:30")]})
    slots = slots_on(slot_rules, US_SPRING)
    assert starts(slots) == [utc(2027, 3, 14, 6), utc(2027, 3, 14, 6, 30)]
    assert slots[-1].end == utc(2027, 3, 14, 7)  # 03:00 EDT, the moment 02:00 EST is skipped


def test_a_rule_wholly_inside_a_spring_gap_offers_nothing() -> None:
    slot_rules = rules(timezone=LONDON, overrides={UK_SPRING: [("01:00", "02:00")]})
    assert slots_on(slot_rules, UK_SPRING) == []


def test_a_fall_back_rule_lasts_its_real_elapsed_time_without_duplicates() -> None:
    # 01:00-02:00 on 2027-11-07 in New York runs 01:00 EDT (05:00Z) to 02:00 EST (07:00Z).
    slot_rules = rules(timezone=NEW_YORK, overrides={US_FALL: [("01:00", "02:00")]})
    slots = slots_on(slot_rules, US_FALL)
    assert starts(slots) == [
        utc(2027, 11, 7, 5),
        utc(2027, 11, 7, 5, 30),
        utc(2027, 11, 7, 6),
        utc(2027, 11, 7, 6, 30),
    ]
    assert len(set(starts(slots))) == len(slots)
    assert {slot.end - slot.start for slot in slots} == {timedelta(minutes=30)}
    assert [wall(slot.start, NEW_YORK) for slot in slots] == [
        (time(1), "EDT"),
        (time(1, 30), "EDT"),
        (time(1), "EST"),
        (time(1, 30), "EST"),
    ]


def test_alignment_counts_elapsed_time_through_the_repeated_hour() -> None:
    slot_rules = rules(
        timezone=NEW_YORK,
        overrides={US_FALL: [("00:00", "03:00")]},
        duration_minutes=60,
        slot_interval_minutes=60,
    )
    assert starts(slots_on(slot_rules, US_FALL)) == [utc(2027, 11, 7, hour) for hour in (4, 5, 6, 7)]


@pytest.mark.parametrize(("day", "hours"), [(UK_SPRING, 23), (UK_FALL, 25)])
def test_a_requester_date_holds_every_hour_of_their_day(day: date, hours: int) -> None:
    # A UTC provider open all day; a London requester's change day is 23 or 25 hours long.
    slot_rules = rules(weekly=every_day(("00:00", "24:00")), duration_minutes=60, slot_interval_minutes=60)
    slots = slots_on(slot_rules, day, timezone=LONDON)
    assert len(slots) == hours
    assert [slot.start.astimezone(ZoneInfo(LONDON)).date() for slot in slots] == [day] * hours
    assert slots[0].start.astimezone(ZoneInfo(LONDON)).time() == time(0)
    assert slots[-1].start.astimezone(ZoneInfo(LONDON)).time() == time(23)
