from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.notifications.changes import Plan, ReminderAction, plan
from chalicelib.domain.notifications.notices import NoticeKind

pytestmark = pytest.mark.unit
BOOKED = Appointment(
    id="a1",
    provider_id="p1",
    service_id="s1",
    service_name="Session",
    start=datetime(2027, 3, 15, 13, tzinfo=UTC),
    end=datetime(2027, 3, 15, 14, tzinfo=UTC),
    status="confirmed",
    client_id="c1",
    client_timezone="",
    price=Decimal("50.00"),
    currency="EUR",
    sequence=0,
)


def test_an_active_insert_is_booked_and_gets_reminders() -> None:
    assert plan(None, BOOKED) == Plan((NoticeKind.BOOKED,), ReminderAction.SCHEDULE)
    assert plan(None, replace(BOOKED, status="pending")).notices == (NoticeKind.BOOKED,)


def test_an_imported_insert_gets_its_reminders_but_no_confirmation() -> None:
    imported = replace(BOOKED, source="import")
    assert plan(None, imported) == Plan((), ReminderAction.SCHEDULE)
    assert plan(imported, replace(imported, status="cancelled")).notices == (NoticeKind.CANCELLED,)


def test_an_inactive_insert_sends_nothing() -> None:
    assert plan(None, replace(BOOKED, status="cancelled")) == Plan()


def test_cancelling_tells_both_and_drops_reminders() -> None:
    assert plan(BOOKED, replace(BOOKED, status="cancelled")) == Plan(
        (NoticeKind.CANCELLED,), ReminderAction.DROP
    )


def test_completing_drops_reminders_silently() -> None:
    assert plan(BOOKED, replace(BOOKED, status="completed")) == Plan((), ReminderAction.DROP)


def test_a_new_start_is_a_reschedule() -> None:
    moved = replace(
        BOOKED, start=BOOKED.start + timedelta(days=1), end=BOOKED.end + timedelta(days=1), sequence=1
    )
    assert plan(BOOKED, moved) == Plan((NoticeKind.RESCHEDULED,), ReminderAction.SCHEDULE)


def test_a_cancel_that_also_moves_is_a_cancel() -> None:
    both = replace(BOOKED, status="cancelled", start=BOOKED.start + timedelta(hours=1))
    assert plan(BOOKED, both).notices == (NoticeKind.CANCELLED,)


def test_other_edits_and_removals() -> None:
    assert plan(BOOKED, replace(BOOKED, cancel_reason="x")) == Plan()
    assert plan(BOOKED, None) == Plan((), ReminderAction.DROP)


def test_a_request_waits_for_its_reminders_until_confirmed() -> None:
    request = replace(BOOKED, status="pending")
    assert plan(None, request) == Plan((NoticeKind.BOOKED,), ReminderAction.KEEP)
    assert plan(request, BOOKED) == Plan((NoticeKind.CONFIRMED,), ReminderAction.SCHEDULE)


def test_a_declined_request_says_who_declined_it() -> None:
    request = replace(BOOKED, status="pending")
    declined = replace(request, status="declined", cancel_reason="Away")
    assert plan(request, declined) == Plan((NoticeKind.DECLINED,), ReminderAction.DROP)
    swept = replace(declined, auto_declined=True)
    assert plan(request, swept).notices == (NoticeKind.AUTO_DECLINED,)


def test_a_client_not_to_be_told_gets_no_reminders() -> None:
    quiet = replace(BOOKED, notify_client=False)
    assert plan(None, quiet) == Plan((NoticeKind.BOOKED,), ReminderAction.KEEP)


def test_a_request_queues_its_answer_deadline_when_made_or_moved_only() -> None:
    deadline = BOOKED.start - timedelta(hours=2)
    request = replace(BOOKED, status="pending", answer_by=deadline)
    assert plan(None, request).await_answer
    assert plan(None, replace(request, answer_by=None)).await_answer is False
    assert plan(request, replace(request, notes="x")).await_answer is False, "same deadline"
    later = request.moved_to(request.start + timedelta(days=1), "t1")
    assert plan(request, replace(later, answer_by=deadline + timedelta(days=1))).await_answer
    assert plan(request, replace(request, status="confirmed", answer_by=None)).await_answer is False
    assert plan(None, BOOKED).await_answer is False
