"""The SES mailer against botocore's Stubber: request shape and error mapping, no network."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.stub import ANY, Stubber

from chalicelib.adapters.ses import SesMailer
from chalicelib.domain.errors import MailerUnavailableError, MessageRejectedError
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.services.shared import Clock
from tests.notice_builders import STAMP, TOKEN, make_notice

pytestmark = pytest.mark.unit

SENDER = "bookings@scheduler.example"
SENT_AT = datetime(2027, 3, 1, 12, 0, 5, tzinfo=UTC)


class FixedClock(Clock):
    def now(self) -> datetime:
        return SENT_AT


class UnreachableClient:
    """Stands in for a client whose network calls fail before SES answers."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def send_email(self, **kwargs: Any) -> dict[str, Any]:
        raise self.error


@pytest.fixture
def client() -> Any:
    return boto3.session.Session().client(
        "sesv2",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret
    )


@pytest.fixture
def stubber(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def confirmation() -> OutgoingEmail:
    return render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(), STAMP)


def expected_request(**extra: Any) -> dict[str, Any]:
    return {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": ["casey@client.example"]},
        "Content": {"Raw": {"Data": ANY}},
        "EmailTags": [{"Name": "notice", "Value": "booked"}, {"Name": "recipient", "Value": "client"}],
        **extra,
    }


def test_send_passes_raw_mime_with_the_calendar_part_and_returns_the_ses_id(
    client: Any, stubber: Stubber
) -> None:
    stubber.add_response("send_email", {"MessageId": "ses-0001"}, expected_request())
    mailer = SesMailer(client, SENDER, clock=FixedClock())
    assert mailer.send(confirmation()) == "ses-0001"

    raw = mailer.request(confirmation())["Content"]["Raw"]["Data"]
    parsed = message_from_bytes(raw, policy=policy.default)
    calendar = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert parsed["Date"] == "Mon, 01 Mar 2027 12:00:05 +0000"


def test_configuration_set_is_sent_only_when_configured(client: Any, stubber: Stubber) -> None:
    stubber.add_response(
        "send_email", {"MessageId": "ses-0002"}, expected_request(ConfigurationSetName="events")
    )
    assert SesMailer(client, SENDER, "events").send(confirmation()) == "ses-0002"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("TooManyRequestsException", 429),
        ("LimitExceededException", 400),
        ("SendingPausedException", 400),
        ("NotFoundException", 404),
        ("InternalFailure", 500),
        ("ServiceUnavailable", 503),
    ],
)
def test_throttling_quota_and_server_errors_are_worth_a_retry(
    client: Any, stubber: Stubber, code: str, status: int
) -> None:
    stubber.add_client_error("send_email", service_error_code=code, http_status_code=status)
    with pytest.raises(MailerUnavailableError) as caught:
        SesMailer(client, SENDER).send(confirmation())
    assert caught.value.details == [{"reason": code}]


@pytest.mark.parametrize(
    "code",
    [
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "BadRequestException",
    ],
)
def test_rejections_are_permanent(client: Any, stubber: Stubber, code: str) -> None:
    stubber.add_client_error("send_email", service_error_code=code, http_status_code=400)
    with pytest.raises(MessageRejectedError) as caught:
        SesMailer(client, SENDER).send(confirmation())
    assert caught.value.details == [{"reason": code}]


def test_rejection_keeps_the_recipient_address_out_of_the_error(client: Any, stubber: Stubber) -> None:
    stubber.add_client_error(
        "send_email",
        service_error_code="MessageRejected",
        service_message="Email address is not verified: casey@client.example",
        http_status_code=400,
    )
    with pytest.raises(MessageRejectedError) as caught:
        SesMailer(client, SENDER).send(confirmation())
    assert "casey@client.example" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="https://email.us-east-1.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://email.us-east-1.amazonaws.com"),
    ],
    ids=["connect", "read-timeout"],
)
def test_network_failures_are_worth_a_retry(error: Exception) -> None:
    mailer = SesMailer(UnreachableClient(error), SENDER)
    with pytest.raises(MailerUnavailableError):
        mailer.send(confirmation())


def test_logs_carry_ids_and_labels_but_no_address_or_token(
    client: Any, stubber: Stubber, caplog: pytest.LogCaptureFixture
) -> None:
    stubber.add_response("send_email", {"MessageId": "ses-0003"}, expected_request())
    stubber.add_client_error("send_email", service_error_code="MessageRejected", http_status_code=400)
    mailer = SesMailer(client, SENDER)
    with caplog.at_level(logging.INFO, logger="scheduler"):
        mailer.send(confirmation())
        with pytest.raises(MessageRejectedError):
            mailer.send(confirmation())
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "ses-0003" in logged
    assert "MessageRejected" in logged
    for secret in ("casey@client.example", "pat@provider.example", TOKEN, "Casey Client"):
        assert secret not in logged


def test_a_sender_is_required() -> None:
    with pytest.raises(ValueError, match="SENDER_EMAIL"):
        SesMailer(UnreachableClient(RuntimeError()), "")
