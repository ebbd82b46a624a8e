"""What the client's emails say about changing a booking: the policy, or, inside its window, that
it cannot be changed online, whom to ask, and the grace minutes to fix a mistake."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.notifications.layout import MANAGE_LINK_TEXT
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.domain.notifications.policy import ChangePolicy, duration
from tests.notice_builders import BASE, STAMP, make_notice

pytestmark = pytest.mark.unit
DAY_POLICY = ChangePolicy(notice_minutes=1440, grace_minutes=10)
START = BASE.start


def client_text(kind: NoticeKind = NoticeKind.BOOKED, **overrides: object) -> str:
    return render(kind, Recipient.CLIENT, make_notice(**overrides), STAMP).text


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (1440, "24 hours"),
        (60, "1 hour"),
        (90, "90 minutes"),
        (2880, "2 days"),
        (1, "1 minute"),
        (150, "150 minutes"),
    ],
)
def test_a_notice_reads_as_people_say_it(minutes: int, said: str) -> None:
    assert duration(minutes) == said


def test_a_booking_made_days_ahead_states_the_free_cancellation_window() -> None:
    booked = START - timedelta(days=5)
    text = client_text(change_policy=DAY_POLICY, booked_at=booked, written_at=booked)
    assert "Free cancellation or rescheduling up to 24 hours before the start." in text
    assert f"{MANAGE_LINK_TEXT}:\nhttps://" in text


def test_a_booking_made_inside_the_window_says_it_cannot_be_changed_online_and_whom_to_ask() -> None:
    booked = START - timedelta(hours=3)
    no_grace = ChangePolicy(1440, 0)
    text = client_text(change_policy=no_grace, booked_at=booked, written_at=booked)
    assert "cannot be cancelled or changed online" in text
    assert "contact Pat Provider at pat@provider.example" in text
    assert MANAGE_LINK_TEXT not in text
    assert "View your booking:\nhttps://" in text
    html = render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(change_policy=no_grace, booked_at=booked,
                  written_at=booked), STAMP).html  # fmt: skip
    assert MANAGE_LINK_TEXT not in html and "cannot be cancelled or changed online" in html


def test_inside_the_window_the_grace_minutes_are_offered_to_fix_a_mistake() -> None:
    booked = START - timedelta(hours=3)
    text = client_text(change_policy=DAY_POLICY, booked_at=booked, written_at=booked + timedelta(seconds=5))
    assert "cannot be cancelled or changed online" in text
    assert (
        "until Monday, March 15, 2027, 10:10\u202fAM (Europe/London, GMT) (10 minutes after booking)" in text
    )
    assert "Fix a mistake in your booking:\nhttps://" in text


def test_a_reminder_inside_the_window_does_not_offer_changes_online() -> None:
    booked = START - timedelta(days=5)
    text = client_text(
        NoticeKind.REMINDER, change_policy=DAY_POLICY, booked_at=booked, written_at=START - timedelta(hours=1)
    )
    assert "cannot be cancelled or changed online" in text and MANAGE_LINK_TEXT not in text


def test_the_providers_emails_say_nothing_of_the_policy() -> None:
    booked = START - timedelta(hours=3)
    notice = make_notice(change_policy=DAY_POLICY, booked_at=booked, written_at=booked)
    text = render(NoticeKind.BOOKED, Recipient.PROVIDER, notice, STAMP).text
    assert "online" not in text and "Free cancellation" not in text


def test_a_zero_notice_lets_clients_change_until_the_start() -> None:
    booked = START - timedelta(hours=3)
    text = client_text(change_policy=ChangePolicy(0, 10), booked_at=booked, written_at=booked)
    assert "You can cancel or reschedule online until the start." in text
