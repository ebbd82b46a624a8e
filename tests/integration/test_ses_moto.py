"""The SES mailer through a real boto3 sesv2 client against moto's in-process SES."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from icalendar import Calendar
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters.ses import SesMailer
from chalicelib.config import Settings
from chalicelib.domain.errors import MessageRejectedError
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from tests.notice_builders import STAMP, make_notice

pytestmark = pytest.mark.integration

REGION = "us-east-1"
SENDER = "bookings@scheduler.example"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def mailer(aws: None) -> SesMailer:
    # moto, like SES in its sandbox, refuses to send from an unverified identity.
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    settings = Settings.from_env(
        {
            "STAGE": "dev",
            "AWS_REGION": REGION,
            "SENDER_EMAIL": SENDER,
            "SES_CONFIGURATION_SET": "scheduler-events",
        }
    )
    return SesMailer.from_settings(settings)


def sent_messages() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def parsed(raw: str) -> EmailMessage:
    message = message_from_string(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_confirmation_reaches_ses_as_raw_mime_with_the_invite(mailer: SesMailer) -> None:
    email = render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(), STAMP)

    message_id = mailer.send(email)

    [sent] = sent_messages()
    assert sent.id == message_id
    assert sent.source == SENDER
    assert "casey@client.example" in sent.destinations
    assert 'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in sent.raw_data
    message = parsed(sent.raw_data)
    assert message["Subject"] == "Booking confirmed: Coaching session with Pat Provider"
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert isinstance(part, EmailMessage)
    event = Calendar.from_ical(part.get_content()).events[0]
    assert str(event["UID"]) == "appt-123@scheduler"
    assert event.start == make_notice().start


def test_cancellation_reaches_ses_with_a_cancel_part(mailer: SesMailer) -> None:
    email = render(NoticeKind.CANCELLED, Recipient.PROVIDER, make_notice(sequence=1), STAMP)
    mailer.send(email)
    [sent] = sent_messages()
    part = next(p for p in parsed(sent.raw_data).walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "CANCEL"


def test_unverified_sender_is_a_permanent_rejection(aws: None) -> None:
    mailer = SesMailer(boto3.client("sesv2", region_name=REGION), "nobody@unverified.example")
    email = render(NoticeKind.REMINDER, Recipient.CLIENT, make_notice(), STAMP)
    with pytest.raises(MessageRejectedError):
        mailer.send(email)
    assert sent_messages() == []
