"""Old column values to ours: the three SQLite date formats, PostgreSQL timestamps, float prices."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer import values
from importer.values import Undecodable, Unreadable

pytestmark = pytest.mark.unit
INSTANT = datetime(2025, 1, 14, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "written",
    [
        1736847000000,  # Prisma's native SQLite connector: INTEGER milliseconds
        "1736847000000",
        "2025-01-14T09:30:00.000Z",  # driver adapters (libSQL, D1): ISO 8601 text
        "2025-01-14T09:30:00Z",
        "2025-01-14 09:30:00",  # CURRENT_TIMESTAMP or a hand-run UPDATE: UTC, no zone
        "2025-01-14T09:30",
        "2025-01-14T10:30:00+01:00",
        " 2025-01-14 09:30:00 ",
        datetime(2025, 1, 14, 9, 30),  # PostgreSQL timestamp(3) without zone, in UTC
        datetime(2025, 1, 14, 4, 30, tzinfo=timezone(timedelta(hours=-5))),
        1736847000000.0,
    ],
)
def test_every_way_the_old_app_wrote_a_time_reads_as_the_same_aware_utc_instant(written: object) -> None:
    read = values.instant(written)
    assert read == INSTANT and read.tzinfo is UTC


def test_milliseconds_keep_their_fraction() -> None:
    assert values.instant(1736847000123) == INSTANT + timedelta(milliseconds=123)
    assert values.instant("2025-01-14T09:30:00.123Z") == INSTANT + timedelta(milliseconds=123)


@pytest.mark.parametrize(
    "written",
    [None, True, "", "yesterday", "2025-13-01 00:00:00", "2025-02-30T10:00:00Z", "14/01/2025 09:30",
     10**20, float("nan"), float("inf"), b"\x00", Undecodable(3), "2025-01-14"],
)  # fmt: skip
def test_anything_else_is_unreadable_not_a_guess(written: object) -> None:
    with pytest.raises(Unreadable):
        values.instant(written)


@pytest.mark.parametrize(
    ("written", "cents", "changed"),
    [
        (19.989999999999998, Decimal("19.99"), False),  # the double 19.99 as a 17-digit printer shows it
        (10.2 * 3, Decimal("30.60"), True),  # 30.599999999999998: float noise, rounded to the cent
        (0.1 + 0.2, Decimal("0.30"), True),
        (25, Decimal("25.00"), False),
        (25.5, Decimal("25.50"), False),
        (0.005, Decimal("0.01"), True),  # half up
        ("19.99", Decimal("19.99"), False),  # SQLite keeps a text price as text
        (Decimal("10000"), Decimal("10000.00"), False),
        (-0.0, Decimal("0.00"), False),
    ],
)
def test_prices_are_exact_decimals_in_cents_and_say_when_that_changed_them(
    written: object, cents: Decimal, changed: bool
) -> None:
    price, rounded = values.price(written)
    assert (price, rounded) == (cents, changed) and str(price) == str(cents)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        (float("nan"), "price_not_finite"),
        (float("inf"), "price_not_finite"),
        (-1.0, "price_negative"),
        (-0.001, "price_negative"),
        (10000.01, "price_too_high"),
        (1e308, "price_too_high"),
        ("1e999999", "price_too_high"),
        ("NaN", "unreadable_price"),
        ("12,50", "unreadable_price"),
        (None, "missing"),
        (True, "unreadable_price"),
        (b"12", "unreadable_price"),
    ],
)
def test_prices_that_are_no_amount_or_out_of_bounds_are_refused(written: object, code: str) -> None:
    with pytest.raises(Unreadable) as raised:
        values.price(written)
    assert raised.value.code == code


@given(st.floats(min_value=0, max_value=10000, allow_nan=False))
def test_any_float_price_reads_as_its_nearest_cent(written: float) -> None:
    price, rounded = values.price(written)
    assert price.as_tuple().exponent == -2
    assert abs(float(price) - written) <= 0.005 + 1e-9
    assert rounded == (Decimal(repr(written)) != price)


@pytest.mark.parametrize(
    ("written", "flag"), [(0, False), (1, True), (True, True), ("true", True), ("0", False)]
)
def test_booleans_are_0_or_1_in_sqlite_and_booleans_in_postgresql(written: object, flag: bool) -> None:
    assert values.flag(written) is flag


@pytest.mark.parametrize("written", [2, -1, "yes", None, 0.5])
def test_other_booleans_are_unreadable(written: object) -> None:
    with pytest.raises(Unreadable):
        values.flag(written)


@pytest.mark.parametrize(
    ("written", "ours"),
    [("SCHEDULED", "confirmed"), ("scheduled", "confirmed"), ("Confirmed", "confirmed"),
     ("PENDING", "pending"), ("cancelled", "cancelled"), ("COMPLETED", "completed"), ("No_Show", "no_show"),
     (" no_show ", "no_show")],
)  # fmt: skip
def test_statuses_in_any_case_map_to_ours(written: str, ours: str) -> None:
    assert values.appointment_status(written) == ours


@pytest.mark.parametrize("written", ["RESCHEDULED", "CANCELED", "", None, 3])
def test_an_unknown_status_is_unreadable(written: object) -> None:
    with pytest.raises(Unreadable):
        values.appointment_status(written)


def test_day_0_is_sunday_and_6_is_saturday() -> None:
    assert [values.weekday(d) for d in range(7)] == ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    for bad in (7, -1, "mon", 1.5, None):
        with pytest.raises(Unreadable):
            values.weekday(bad)


@pytest.mark.parametrize(("written", "ours"), [("09:00", "09:00"), ("9:00", "09:00"), (" 17:30 ", "17:30")])
def test_wall_times_are_written_hh_mm(written: str, ours: str) -> None:
    assert values.wall_time(written) == ours


@pytest.mark.parametrize("written", ["9", "09:00:00", "9h", "", None, "123:00"])
def test_other_wall_times_are_unreadable(written: object) -> None:
    with pytest.raises(Unreadable):
        values.wall_time(written)


def test_whole_numbers_and_text_follow_sqlites_types_per_value() -> None:
    assert (
        values.whole_number(30) == 30 and values.whole_number(30.0) == 30 and values.whole_number("45") == 45
    )
    for bad in (30.5, "thirty", True, None, math.inf):
        with pytest.raises(Unreadable):
            values.whole_number(bad)
    assert values.text(42) == "42" and values.text(None) is None


@pytest.mark.parametrize("written", [Undecodable(4), b"abc", True])
def test_bytes_that_are_no_text_are_unreadable(written: object) -> None:
    with pytest.raises(Unreadable):
        values.text(written)
