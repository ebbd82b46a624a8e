"""The ledger's and the reminder store's conditional writes on DynamoDB Local."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.notification_store import NotificationStore
from chalicelib.adapters.dynamo.notify_items import reminder_from_item
from chalicelib.adapters.dynamo.reminder_store import ReminderStore
from chalicelib.config import Settings
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.delivery import ClaimState, NotificationKey
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.domain.notifications.reminders import bucket_of, shard_of
from tests.notify_support import at, failed_markers, stored_marker

pytestmark = pytest.mark.integration
NOW = at("2027-03-01T12:00:00+00:00")
LEASE = timedelta(minutes=5)


@pytest.fixture
def bound(settings_for: Callable[..., Settings], fresh_table: str) -> Iterator[None]:
    bootstrap.reset(bootstrap.build(settings_for(TABLE_NAME=fresh_table)))
    yield
    bootstrap.reset()


def key() -> NotificationKey:
    return NotificationKey(new_id(), "p1", NoticeKind.BOOKED, Recipient.CLIENT, 0)


def test_a_claim_is_exclusive_until_its_lease_ends_and_final_once_sent(bound: None) -> None:
    store, k = NotificationStore(), key()
    assert store.claim(k, NOW, LEASE).state is ClaimState.CLAIMED
    assert store.claim(k, NOW + timedelta(minutes=4), LEASE).state is ClaimState.BUSY
    assert store.claim(k, NOW + timedelta(minutes=6), LEASE).state is ClaimState.CLAIMED
    store.mark_sent(k, NOW, "m-1")
    assert store.claim(k, NOW + timedelta(hours=1), LEASE).state is ClaimState.DONE
    marker = stored_marker(k)
    assert marker is not None and marker.status == "sent" and marker.message_id == "m-1"
    assert "lease_until" not in marker.attribute_values and "expires_at" in marker.attribute_values


def test_a_released_claim_counts_its_rounds_and_a_failure_is_listed(bound: None) -> None:
    store, k = NotificationStore(), key()
    store.claim(k, NOW, LEASE)
    store.mark_retry(k, NOW, "Throttling")
    again = store.claim(k, NOW, LEASE)
    assert (again.state, again.rounds) == (ClaimState.CLAIMED, 1)
    store.mark_failed(k, NOW, "Throttling")
    [failed] = failed_markers()
    assert (failed.appointment_id, failed.status, int(failed.rounds)) == (k.appointment_id, "failed", 2)
    assert failed.GSI1SK.startswith("2027-03-01T12:00:00Z#")
    assert store.claim(k, NOW, LEASE).state is ClaimState.DONE


def test_suppression_is_by_address_whatever_its_case(bound: None) -> None:
    store = NotificationStore()
    store.suppress("Someone@Example.COM ", "bounce", "Permanent/General", "f1", NOW)
    assert store.is_suppressed("someone@example.com")
    assert not store.is_suppressed("someone.else@example.com")


def appointment(start_hours: int, sequence: int = 0) -> Appointment:
    start = NOW + timedelta(hours=start_hours)
    return Appointment(
        id="A" + "0" * 25,
        provider_id="p1",
        service_id="s1",
        service_name="Session",
        start=start,
        end=start + timedelta(hours=1),
        status="confirmed",
        client_id="c1",
        client_timezone="",
        price=Decimal("50.00"),
        currency="EUR",
        sequence=sequence,
    )


def test_scheduling_again_leaves_a_sent_reminder_alone_but_a_move_replaces_it(bound: None) -> None:
    reminders, state = ReminderStore(), appointment(30)
    planned = reminders.schedule(state, [1440, 60], NOW)
    assert [p.offset_minutes for p in planned] == [60, 1440]
    [day_before] = [r for r in reminders.existing(state.id) if int(r.offset_minutes) == 1440]
    waits_in = day_before.GSI1PK
    assert waits_in == f"REMINDER#2027-03-01T18:00#{shard_of(state.id)}"
    reminder = reminder_from_item(day_before)
    assert reminders.claim(reminder, NOW + timedelta(hours=6), LEASE)
    assert not reminders.claim(reminder, NOW + timedelta(hours=6), LEASE), "claimed once"
    reminders.finish(reminder, "sent", NOW + timedelta(hours=6))

    reminders.schedule(state, [1440, 60], NOW)  # the same stream record once more
    kept = {int(r.offset_minutes): r for r in reminders.existing(state.id)}
    assert kept[1440].status == "sent" and "GSI1PK" not in kept[1440].attribute_values

    moved = appointment(50, sequence=1)
    reminders.schedule(moved, [1440, 60], NOW + timedelta(hours=7))
    after = {int(r.offset_minutes): r for r in reminders.existing(state.id)}
    assert after[1440].status == "due" and int(after[1440].sequence) == 1
    assert after[1440].due == "2027-03-02T14:00:00Z"


def test_the_bookmark_only_moves_forward(bound: None) -> None:
    reminders = ReminderStore()
    assert reminders.swept_until() is None
    reminders.advance(NOW + timedelta(minutes=7), NOW)
    reminders.advance(NOW, NOW)
    assert reminders.swept_until() == bucket_of(NOW + timedelta(minutes=7))
