"""Who acts decides what may be done: a client, the provider, or the system."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.booking.actors import Actor, Role
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.catalog import Service
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.services.booking import appointment_changes
from chalicelib.services.shared import SystemClock

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
DAY_NOTICE = BookingPolicy(cancellation_notice_minutes=1440)
HIDDEN = Service("s1", "p1", "Staff rehearsal", 30, Decimal("0.00"), "EUR", visible=False)


def appointment(starts_in: timedelta, provider_id: str = "p1") -> Appointment:
    start = NOW + starts_in
    return Appointment(
        id="a1",
        provider_id=provider_id,
        service_id="s1",
        service_name="Session",
        start=start,
        end=start + timedelta(hours=1),
        status="confirmed",
        client_id="c1",
        client_timezone="UTC",
        price=Decimal("50.00"),
        currency="EUR",
    )


def test_each_role_books_under_its_own_source() -> None:
    assert (Actor.client().source, Actor.provider("p1").source, Actor.system().source) == (
        "public",
        "provider",
        "system",
    )
    assert Actor.client("tok").role is Role.CLIENT and Actor.client("tok").manage_token == "tok"


def test_only_a_client_is_kept_from_hidden_services() -> None:
    assert not Actor.client().may_book(HIDDEN)
    assert Actor.provider("p1").may_book(HIDDEN) and Actor.system().may_book(HIDDEN)


def test_the_cancellation_notice_binds_clients_only() -> None:
    soon, later = appointment(timedelta(hours=23)), appointment(timedelta(hours=25))
    client = Actor.client("tok")
    assert not client.may_change(soon, NOW, DAY_NOTICE)
    assert client.may_change(later, NOW, DAY_NOTICE)
    assert Actor.provider("p1").may_change(soon, NOW, DAY_NOTICE)
    assert Actor.system().may_change(soon, NOW, DAY_NOTICE)


def test_a_provider_acts_on_its_own_calendar_only() -> None:
    assert Actor.provider("p1").acts_for(appointment(timedelta(days=2)))
    assert not Actor.provider("p2").acts_for(appointment(timedelta(days=2)))


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the store was used ({name}) for another provider's appointment")


@pytest.mark.parametrize("change", ["cancel", "reschedule"])
def test_another_providers_appointment_is_not_found_and_left_alone(change: str) -> None:
    theirs, me = appointment(timedelta(days=2), provider_id="p2"), Actor.provider("p1")
    store: Any = Untouchable()
    with pytest.raises(NotFoundError):
        if change == "cancel":
            appointment_changes.cancel(theirs, "x", me, DAY_NOTICE, store, SystemClock())
        else:
            appointment_changes.reschedule(
                theirs, NOW + timedelta(days=3), me, DAY_NOTICE, store, SystemClock()
            )
