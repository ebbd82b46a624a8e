"""Booking emails through the real SES adapter on moto, the table and its stream on DynamoDB Local."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib import bootstrap
from chalicelib.adapters.ses import SesMailer
from chalicelib.config import Settings
from chalicelib.jobs import outbox
from chalicelib.observability import metrics
from devtools.streams import StreamPoller
from tests.notify_support import (
    BASE_URL,
    CLIENT_EMAIL,
    PROVIDER_EMAIL,
    SENDER,
    TOKEN,
    Book,
    FixedClock,
    at,
    invite_events,
    make_jobs,
)

pytestmark = pytest.mark.integration
REGION = "us-east-1"


class FlakySes:
    """The sesv2 client, refusing with Throttling for the first ``failures`` calls."""

    def __init__(self, client: Any, failures: int) -> None:
        self.client = client
        self.failures = failures
        self.calls = 0

    def send_email(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            error = {"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded."}}
            raise ClientError(error, "SendEmail")
        result: dict[str, Any] = self.client.send_email(**params)
        return result


def parsed(raw: str) -> EmailMessage:
    message = message_from_string(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def sent() -> list[tuple[str, EmailMessage]]:
    """(recipient address, message) of each email moto's SES accepted."""
    messages = [parsed(m.raw_data) for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages]
    return [(m["To"].addresses[0].addr_spec, m) for m in messages]


@pytest.fixture
def on_moto(
    monkeypatch: pytest.MonkeyPatch,
    ddb_client: Any,
    ddb_endpoint: str,
    settings_for: Callable[..., Settings],
    fresh_table: str,
) -> Iterator[Callable[[int], tuple[Book, StreamPoller, FlakySes]]]:
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL=BASE_URL, SENDER_EMAIL=SENDER)
    with mock_aws():
        bootstrap.reset(bootstrap.build(settings))
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)

        def make(failures: int) -> tuple[Book, StreamPoller, FlakySes]:
            ses = FlakySes(boto3.client("sesv2", region_name=REGION), failures)
            jobs = make_jobs(
                settings, SesMailer(ses, SENDER), FixedClock(at("2027-03-01T12:00:00+00:00")), lambda _: None
            )
            poller = StreamPoller(
                ddb_client,
                ddb_endpoint,
                fresh_table,
                lambda rs: outbox.handle_records(rs, jobs.outbox),
                "TRIM_HORIZON",
            )
            return Book(jobs), poller, ses

        yield make
    bootstrap.reset()


def test_a_booking_sends_exactly_one_confirmation_and_one_provider_notice_through_ses(on_moto: Any) -> None:
    book, poller, _ = on_moto(0)
    booked = book.appointment(book.provider(), at("2027-03-15T13:00:00+00:00"))

    poller.drain()

    messages = sent()
    assert sorted(address for address, _ in messages) == [CLIENT_EMAIL, PROVIDER_EMAIL]
    by_address = dict(messages)
    client = by_address[CLIENT_EMAIL]
    assert client["Subject"].startswith("Booking confirmed")
    body = client.get_body(preferencelist=("plain",))
    assert body is not None and f"/book/manage/{booked.appointment_id}?token={TOKEN}" in body.get_content()
    for message in by_address.values():
        [event] = list(invite_events(message))
        assert event.start == booked.start


def test_ses_failing_three_times_then_recovering_delivers_once_and_the_booking_stands(on_moto: Any) -> None:
    book, poller, ses = on_moto(3)
    booked = book.appointment(book.provider(), at("2027-03-15T13:00:00+00:00"))
    metrics.clear_metrics()

    poller.drain()  # round 1: three attempts fail, the record is reported failed and read again
    poller.drain()

    assert sorted(address for address, _ in sent()) == [CLIENT_EMAIL, PROVIDER_EMAIL]
    assert ses.calls == 5, "3 failed attempts, then one send per recipient"
    assert metrics.metric_set["EmailFailures"]["Value"] == [1.0, 1.0, 1.0]
    assert book.item(booked).status == "confirmed"
    metrics.clear_metrics()
