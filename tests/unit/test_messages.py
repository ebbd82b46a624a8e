from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location
from chalicelib.domain.notifications.mail import InviteMethod, OutgoingEmail
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import RECIPIENTS, REMOVALS, NoticeKind, Recipient
from tests.notice_builders import MANAGE_URL, STAMP, TOKEN, make_notice

pytestmark = pytest.mark.unit

NY_TIME = "Monday, March 15, 2027, 9:00\u2009\u2013\u20099:30\u202fAM (America/New_York, EDT)"
LONDON_TIME = "Monday, March 15, 2027, 1:00\u2009\u2013\u20091:30\u202fPM (Europe/London, GMT)"
ALL = [(kind, recipient) for kind, recipients in RECIPIENTS.items() for recipient in recipients]
CLIENT_MAILS = [pair for pair in ALL if pair[1] is Recipient.CLIENT]
PROVIDER_MAILS = [pair for pair in ALL if pair[1] is Recipient.PROVIDER]


def mail(kind: NoticeKind, recipient: Recipient, **overrides: object) -> OutgoingEmail:
    return render(kind, recipient, make_notice(**overrides), STAMP)


def test_client_confirmation_shows_the_booking_in_the_clients_zone_with_the_manage_link() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT)
    assert email.to == "casey@client.example"
    assert email.subject == "Booking confirmed: Coaching session with Pat Provider"
    assert "Your appointment is confirmed." in email.text
    assert f"When: {LONDON_TIME}" in email.text
    assert LONDON_TIME in email.html
    assert MANAGE_URL in email.text
    assert NY_TIME not in email.text


def test_provider_new_booking_shows_the_client_and_the_providers_zone() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.PROVIDER)
    assert email.to == "pat@provider.example"
    assert email.subject == "New booking: Coaching session with Casey Client"
    assert "Client: Casey Client <casey@client.example>" in email.text
    assert f"When: {NY_TIME}" in email.text
    assert NY_TIME in email.html
    assert LONDON_TIME not in email.text


@pytest.mark.parametrize(("kind", "recipient"), CLIENT_MAILS)
def test_every_client_email_but_the_cancellation_carries_the_manage_link(
    kind: NoticeKind, recipient: Recipient
) -> None:
    email = mail(kind, recipient)
    expected = kind not in REMOVALS  # a cancellation, or a declined request: nothing left to manage
    assert (MANAGE_URL in email.text) is expected
    assert (MANAGE_URL.replace("&", "&amp;") in email.html) is expected


@pytest.mark.parametrize(("kind", "recipient"), PROVIDER_MAILS)
def test_no_provider_email_ever_contains_the_clients_token(kind: NoticeKind, recipient: Recipient) -> None:
    email = mail(kind, recipient)
    invite = email.invite.ics if email.invite else ""
    assert TOKEN not in email.text + email.html + invite


@pytest.mark.parametrize(("kind", "recipient"), ALL)
def test_user_text_is_escaped_in_html(kind: NoticeKind, recipient: Recipient) -> None:
    email = mail(
        kind,
        recipient,
        service_name="Cut & <b>colour</b>",
        client_name="<script>alert('c')</script>",
        provider_name='Pat "<img src=x onerror=alert(1)>"',
        cancellation_reason="<i>ill</i>",
    )
    for raw in ("<script>", "<b>", "<img", "<i>"):
        assert raw not in email.html
    assert "Cut &amp; &lt;b&gt;colour&lt;/b&gt;" in email.html
    # The plain-text part shows the text exactly as typed.
    assert "Cut & <b>colour</b>" in email.text


def test_manage_link_is_escaped_inside_the_href() -> None:
    url = 'https://book.example.com/book/manage/a?token=t&x="><script>'
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, manage_url=url)
    assert (
        'href="https://book.example.com/book/manage/a?token=t&amp;x=&quot;&gt;&lt;script&gt;"' in email.html
    )


def test_line_breaks_in_names_cannot_forge_headers_or_lines() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.PROVIDER, client_name="Casey\r\nBcc: victim@example.com")
    assert email.subject == "New booking: Coaching session with Casey Bcc: victim@example.com"
    assert "\nBcc:" not in email.text


def test_dst_day_booking_reads_right_for_new_york_provider_and_london_client() -> None:
    notice = make_notice(
        start=datetime(2027, 3, 14, 14, 0, tzinfo=UTC), end=datetime(2027, 3, 14, 15, 0, tzinfo=UTC)
    )
    client = render(NoticeKind.BOOKED, Recipient.CLIENT, notice, STAMP)
    provider = render(NoticeKind.BOOKED, Recipient.PROVIDER, notice, STAMP)
    assert "Sunday, March 14, 2027, 2:00\u2009\u2013\u20093:00\u202fPM (Europe/London, GMT)" in client.text
    assert (
        "Sunday, March 14, 2027, 10:00\u2009\u2013\u200911:00\u202fAM (America/New_York, EDT)"
        in provider.text
    )
    assert client.invite is not None and provider.invite is not None
    assert "DTSTART:20270314T140000Z" in client.invite.ics
    assert "DTSTART:20270314T140000Z" in provider.invite.ics


def test_cancellation_goes_to_both_with_the_reason_and_a_cancel_invite() -> None:
    for recipient in (Recipient.CLIENT, Recipient.PROVIDER):
        email = mail(NoticeKind.CANCELLED, recipient, cancellation_reason="Feeling unwell.\nSorry!")
        assert email.subject.startswith("Cancelled: Coaching session")
        assert "Reason: Feeling unwell.\nSorry!" in email.text
        assert "Feeling unwell.<br>\nSorry!" in email.html
        assert email.invite is not None and email.invite.method is InviteMethod.CANCEL


def test_reschedule_shows_new_and_previous_time_in_each_recipients_zone() -> None:
    previous = datetime(2027, 3, 12, 15, 0, tzinfo=UTC)
    client = mail(NoticeKind.RESCHEDULED, Recipient.CLIENT, previous_start=previous, sequence=1)
    provider = mail(NoticeKind.RESCHEDULED, Recipient.PROVIDER, previous_start=previous, sequence=1)
    assert f"When: {LONDON_TIME}" in client.text
    assert "Previously: Friday, March 12, 2027, 3:00\u202fPM (Europe/London, GMT)" in client.text
    assert f"When: {NY_TIME}" in provider.text
    assert "Previously: Friday, March 12, 2027, 10:00\u202fAM (America/New_York, EST)" in provider.text
    assert client.invite is not None and client.invite.method is InviteMethod.REQUEST


def test_reminder_goes_to_the_client_only_and_has_no_invite() -> None:
    email = mail(NoticeKind.REMINDER, Recipient.CLIENT)
    assert email.subject == "Reminder: Coaching session with Pat Provider"
    assert LONDON_TIME in email.text
    assert email.invite is None
    with pytest.raises(ValueError, match="not sent to the provider"):
        mail(NoticeKind.REMINDER, Recipient.PROVIDER)


def test_pending_booking_is_worded_as_a_request() -> None:
    client = mail(NoticeKind.BOOKED, Recipient.CLIENT, status="pending")
    provider = mail(NoticeKind.BOOKED, Recipient.PROVIDER, status="pending")
    assert client.subject.startswith("Booking request received:")
    assert "Pat Provider will confirm it." in client.text
    assert provider.subject.startswith("New booking request:")


def test_replies_reach_the_other_party_and_auto_responders_stay_quiet() -> None:
    client = mail(NoticeKind.BOOKED, Recipient.CLIENT)
    provider = mail(NoticeKind.BOOKED, Recipient.PROVIDER)
    assert client.reply_to == "pat@provider.example"
    assert client.from_name == "Pat Provider"
    assert provider.reply_to == "casey@client.example"
    assert client.headers["Auto-Submitted"] == "auto-generated"


def test_tags_name_the_notice_and_role_but_nobody_personally() -> None:
    email = mail(NoticeKind.RESCHEDULED, Recipient.PROVIDER)
    assert dict(email.tags) == {"notice": "rescheduled", "recipient": "provider"}


@pytest.mark.parametrize(("kind", "recipient"), ALL)
def test_every_email_says_where_when_the_service_has_a_place(kind: NoticeKind, recipient: Recipient) -> None:
    email = mail(kind, recipient, location=Location("phone", "+1 212 555 0100"))
    assert "Where: By phone: +1 212 555 0100" in email.text
    assert "By phone: +1 212 555 0100" in email.html


def test_the_providers_new_booking_email_lists_the_answers_and_the_client_s_does_not() -> None:
    answers = (
        Answer("health", "Anything we should know?", "Sore <b>back</b>\nsince May"),
        Answer("consent", "I agree to the terms", True),
    )
    provider = mail(NoticeKind.BOOKED, Recipient.PROVIDER, answers=answers)
    assert "Anything we should know?: Sore <b>back</b>\nsince May" in provider.text
    assert "I agree to the terms: Yes" in provider.text
    assert "Sore &lt;b&gt;back&lt;/b&gt;<br>" in provider.html
    client = mail(NoticeKind.BOOKED, Recipient.CLIENT, answers=answers)
    assert "Sore" not in client.text and "I agree" not in client.text


@pytest.mark.parametrize(("kind", "recipient"), PROVIDER_MAILS)
def test_every_provider_email_shows_the_clients_phone_notes_and_answers(
    kind: NoticeKind, recipient: Recipient
) -> None:
    answers = (Answer("topic", "Topic", "Algebra"),)
    email = mail(
        kind, recipient, client_phone="212.555.0100", client_notes="Use the side door", answers=answers
    )
    assert "Phone: 212.555.0100" in email.text and "212.555.0100" in email.html
    assert "Notes: Use the side door" in email.text
    assert "Topic: Algebra" in email.text


@pytest.mark.parametrize(("kind", "recipient"), CLIENT_MAILS)
def test_no_client_email_repeats_their_phone_notes_or_answers(kind: NoticeKind, recipient: Recipient) -> None:
    answers = (Answer("topic", "Topic", "Algebra"),)
    email = mail(
        kind, recipient, client_phone="212.555.0100", client_notes="Use the side door", answers=answers
    )
    assert "212.555.0100" not in email.text and "side door" not in email.text and "Algebra" not in email.text
