"""Appointment rules: state changes, the days a booking guards, the client's notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.appointments import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    Appointment,
    InvalidTransitionError,
    change_deadline,
    iso_z,
    ledger_days,
    may_change,
)
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.timeline import Busy

pytestmark = pytest.mark.unit

START = datetime(2027, 3, 14, 23, 30, tzinfo=UTC)


def appointment(**changes: object) -> Appointment:
    base = Appointment(
        id="A1", provider_id="P1", service_id="S1", service_name="Cut", start=START,
        end=START + timedelta(minutes=60), status=CONFIRMED, client_id="C1", client_timezone="UTC",
        price=Decimal("10.00"), currency="EUR", created_at="t0", updated_at="t0",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_an_appointment_across_utc_midnight_guards_both_days() -> None:
    assert appointment().ledger_days() == ["2027-03-14", "2027-03-15"]


def test_buffers_widen_the_guarded_days() -> None:
    busy = Busy(datetime(2027, 3, 15, 0, 10, tzinfo=UTC), datetime(2027, 3, 15, 1, tzinfo=UTC), 15, 0)
    assert ledger_days(busy) == ["2027-03-14", "2027-03-15"]


def test_an_appointment_ending_at_midnight_does_not_touch_the_next_day() -> None:
    busy = Busy(datetime(2027, 3, 14, 23, tzinfo=UTC), datetime(2027, 3, 15, tzinfo=UTC))
    assert ledger_days(busy) == ["2027-03-14"]


def test_cancelled_appointments_cannot_be_completed_or_cancelled_again() -> None:
    cancelled = appointment().with_status(CANCELLED, START - timedelta(days=1), "ill")
    assert cancelled.cancel_reason == "ill"
    for status in (COMPLETED, NO_SHOW, CANCELLED):
        with pytest.raises(InvalidTransitionError):
            cancelled.with_status(status, START + timedelta(days=1))


def test_completed_and_no_show_need_the_appointment_to_have_begun() -> None:
    with pytest.raises(InvalidTransitionError):
        appointment().with_status(COMPLETED, START - timedelta(minutes=1))
    done = appointment().with_status(COMPLETED, START + timedelta(minutes=5))
    assert done.status == COMPLETED and not done.active
    assert done.with_status(NO_SHOW, START + timedelta(hours=2)).status == NO_SHOW


def test_moving_keeps_the_length_and_raises_the_sequence() -> None:
    moved = appointment().moved_to(START + timedelta(days=2), "t1")
    assert moved.end - moved.start == timedelta(minutes=60)
    assert moved.sequence == 1 and moved.updated_at == "t1"


def test_the_client_may_change_only_before_the_notice() -> None:
    notice = BookingPolicy(cancellation_notice_minutes=24 * 60, change_grace_minutes=0)
    assert may_change(appointment(), START - timedelta(hours=25), notice)
    assert may_change(appointment(), START - timedelta(hours=24), notice)  # the deadline itself
    assert not may_change(appointment(), START - timedelta(hours=23), notice)
    assert not may_change(appointment(status=CANCELLED), START - timedelta(days=5), notice)


BOOKED = START - timedelta(hours=3)  # inside the 24 h notice from the moment it was booked
GRACE = BookingPolicy(cancellation_notice_minutes=24 * 60, change_grace_minutes=10)


def test_a_booking_made_inside_the_notice_may_be_changed_during_the_grace_minutes() -> None:
    booked = appointment(created_at=iso_z(BOOKED))
    assert may_change(booked, BOOKED + timedelta(minutes=9, seconds=59), GRACE)
    assert may_change(booked, BOOKED + timedelta(minutes=10), GRACE)
    assert not may_change(booked, BOOKED + timedelta(minutes=10, seconds=1), GRACE)
    assert not may_change(booked, BOOKED + timedelta(minutes=10, seconds=59), GRACE)
    assert change_deadline(booked, GRACE) == BOOKED + timedelta(minutes=10)


def test_the_grace_never_reaches_past_the_start_nor_shortens_the_notice() -> None:
    just_before = appointment(created_at=iso_z(START - timedelta(minutes=5)))
    assert change_deadline(just_before, GRACE) == START
    assert not may_change(just_before, START, GRACE)
    early = appointment(created_at=iso_z(START - timedelta(days=3)))
    assert change_deadline(early, GRACE) == START - timedelta(hours=24)
    no_grace = replace(GRACE, change_grace_minutes=0)
    assert not may_change(appointment(created_at=iso_z(BOOKED)), BOOKED + timedelta(minutes=1), no_grace)
