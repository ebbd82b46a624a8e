"""The conversion's rules for services, categories and weekly hours, on rows held in memory."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.catalog import MAX_CATEGORIES, MAX_SERVICES
from chalicelib.domain.slots.hours import MAX_INTERVALS_PER_DAY
from importer.report import CHANGED, REFUSED
from tests.importer.checks import dry, one_user, reasons
from tests.importer.fixture import (
    appointment_row,
    category_row,
    client_row,
    hours_row,
    service_row,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"duration": 7}, "multiple_of"),
        ({"duration": 0}, "greater_than_equal"),
        ({"duration": 485}, "less_than_equal"),
        ({"duration": "long"}, "not_a_whole_number"),
        ({"price": 10000.5}, "price_too_high"),
        ({"price": -5.0}, "price_negative"),
        ({"price": None}, "missing"),
        ({"name": "n" * 101}, "string_too_long"),
        ({"name": "   "}, "string_too_short"),
        ({"description": "d" * 501}, "string_too_long"),
        ({"is_visible": 3}, "not_a_boolean"),
    ],
)
def test_a_service_our_rules_refuse_is_refused_with_its_appointments(
    changes: dict[str, Any], code: str
) -> None:
    rows = one_user(
        services=[{**service_row("s1", "u1", "Cut", 30, 20.0, None), **changes}],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=[appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")],
    )
    outcome = dry(rows)
    assert outcome.users["u1"].services == [] and outcome.users["u1"].appointments == []
    assert reasons(outcome, REFUSED) == {"s1": [code], "a1": ["service_not_imported"]}


def test_categories_keep_their_order_renumbered_only_when_out_of_range_and_at_most_the_cap() -> None:
    old = [
        category_row(f"k{i:02d}", "u1", f"Cat {i}", -100 + i * 1000, "2024-01-01 00:00:00") for i in range(52)
    ]
    outcome = dry(one_user(service_categories=old))
    kept = outcome.users["u1"].categories
    assert [c.name for c in kept] == [f"Cat {i}" for i in range(MAX_CATEGORIES)]
    assert [c.position for c in kept] == list(range(MAX_CATEGORIES))
    assert reasons(outcome, REFUSED) == {"k50": ["too_many_categories"], "k51": ["too_many_categories"]}
    assert reasons(outcome, CHANGED)["k00"] == ["position_renumbered"]


def test_services_past_the_cap_are_refused() -> None:
    old = [service_row(f"s{i:03d}", "u1", f"Svc {i}", 30, 10.0, None) for i in range(MAX_SERVICES + 1)]
    outcome = dry(one_user(services=old))
    assert len(outcome.users["u1"].services) == MAX_SERVICES
    assert reasons(outcome, REFUSED) == {f"s{MAX_SERVICES:03d}": ["too_many_services"]}


def test_weekly_hours_take_what_put_availability_would_and_refuse_the_rest() -> None:
    rows = one_user(
        availability=[
            hours_row("h1", "u1", 2, "17:00", "09:00"),
            hours_row("h2", "u1", 2, "09:00", "24:00"),
            hours_row("h3", "u1", 7, "09:00", "10:00"),
            hours_row("h4", "u1", 2, "9h", "10:00"),
            *(
                hours_row(f"x{i:02d}", "u1", 5, f"{i:02d}:00", f"{i:02d}:30")
                for i in range(MAX_INTERVALS_PER_DAY + 1)
            ),
        ]
    )
    outcome = dry(rows)
    hours = outcome.users["u1"].availability
    assert hours is not None and hours.timezone == "Europe/Paris"
    assert [(w.day, w.start, w.end) for w in hours.weekly][:1] == [("tue", "09:00", "24:00")]
    assert len([w for w in hours.weekly if w.day == "fri"]) == MAX_INTERVALS_PER_DAY
    assert reasons(outcome, REFUSED) == {
        "h1": ["invalid_interval"],
        "h3": ["unknown_day"],
        "h4": ["unreadable_time_of_day"],
        f"x{MAX_INTERVALS_PER_DAY:02d}": ["too_many_intervals"],
    }
