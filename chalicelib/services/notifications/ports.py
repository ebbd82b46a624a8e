"""What sending notifications needs: a mailer and a ledger of each notification's fate."""

from __future__ import annotations

import abc
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the stdlib email package costs ~15 ms; routes that send no mail skip it
    from chalicelib.domain.notifications.delivery import Claim, NotificationKey
    from chalicelib.domain.notifications.mail import OutgoingEmail


class Mailer(abc.ABC):
    @abc.abstractmethod
    def send(self, message: OutgoingEmail) -> str:
        """Hand the message over for delivery and return its id at the mail service.

        Raise MailerUnavailableError when trying again later may work (throttling, outage) and
        MessageRejectedError when it will not (the service refused this message).
        """


class NotificationLedger(abc.ABC):
    """Where each notification's fate is kept, so that it is sent once, and where suppressed
    addresses are listed."""

    @abc.abstractmethod
    def claim(self, key: NotificationKey, now: datetime, lease: timedelta) -> Claim:
        """Take the right to send it until ``now + lease``, unless it is done or held."""

    @abc.abstractmethod
    def mark_sent(self, key: NotificationKey, now: datetime, message_id: str) -> None: ...

    @abc.abstractmethod
    def mark_retry(self, key: NotificationKey, now: datetime, reason: str) -> None:
        """Release the claim after a failed round; a later claim may try again."""

    @abc.abstractmethod
    def mark_failed(self, key: NotificationKey, now: datetime, reason: str) -> None:
        """Give up on it, visibly (docs/notifications.md says where)."""

    @abc.abstractmethod
    def mark_suppressed(self, key: NotificationKey, now: datetime) -> None: ...

    @abc.abstractmethod
    def is_suppressed(self, address: str) -> bool: ...
