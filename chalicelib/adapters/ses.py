"""Mailer on Amazon SES (API v2): each email goes as one raw MIME message, invite included.

Failures become the two domain errors of the Mailer port. Only SES's error code is kept: SES
error messages can quote the recipient's address, so they never reach logs or the raised error.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.domain.errors import DomainError, MailerUnavailableError, MessageRejectedError
from chalicelib.domain.notifications.mail import OutgoingEmail, to_mime
from chalicelib.observability import logger
from chalicelib.services.notifications.ports import Mailer
from chalicelib.services.shared import Clock, SystemClock

if TYPE_CHECKING:
    from chalicelib.config import Settings

# Retrying cannot fix these: the message, the sender or the account is refused.
REJECTED_CODES = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "BadRequestException",
    }
)
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 3  # botocore's own retries (throttling, 5xx) before the error reaches us


class SesClient(Protocol):
    def send_email(self, **kwargs: Any) -> dict[str, Any]: ...


def error_for(error: ClientError) -> DomainError:
    """Rejections are permanent; anything else (throttling, quotas, 5xx, a paused account, a
    missing configuration set) may pass later, and a retry costs less than a lost notification."""
    code = str(error.response.get("Error", {}).get("Code", "Unknown"))
    details = [{"reason": code}]
    if code in REJECTED_CODES:
        return MessageRejectedError(f"SES rejected the message ({code}).", details)
    return MailerUnavailableError(f"SES did not accept the message now ({code}).", details)


class SesMailer(Mailer):
    def __init__(
        self,
        client: SesClient,
        sender: str,
        configuration_set: str = "",
        clock: Clock | None = None,
    ) -> None:
        if not sender:
            raise ValueError("a sender address (SENDER_EMAIL) is required to send with SES")
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set
        self._clock = clock or SystemClock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SesMailer:
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
        )
        client = boto3.client("sesv2", region_name=settings.region, config=config)
        return cls(client, settings.sender_email, settings.ses_configuration_set)

    def request(self, message: OutgoingEmail) -> dict[str, Any]:
        """The SendEmail parameters for ``message``."""
        mime = to_mime(message, self._sender)
        mime["Date"] = format_datetime(self._clock.now())
        params: dict[str, Any] = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [message.to]},
            "Content": {"Raw": {"Data": mime.as_bytes()}},
        }
        if message.tags:
            params["EmailTags"] = [{"Name": k, "Value": v} for k, v in message.tags.items()]
        if self._configuration_set:
            params["ConfigurationSetName"] = self._configuration_set
        return params

    def send(self, message: OutgoingEmail) -> str:
        params = self.request(message)
        try:
            response = self._client.send_email(**params)
        except ClientError as error:
            failure = error_for(error)
            logger.warning("Email not sent", extra={"reason": failure.details[0]["reason"], **message.tags})
            raise failure from None
        except (BotocoreConnectionError, HTTPClientError) as error:
            logger.warning("Email not sent", extra={"reason": type(error).__name__, **message.tags})
            raise MailerUnavailableError(
                "SES could not be reached.", [{"reason": type(error).__name__}]
            ) from error
        message_id = str(response["MessageId"])
        logger.info("Email sent", extra={"message_id": message_id, **message.tags})
        return message_id
