"""What the services need from the outside world, as abstract ports."""

from __future__ import annotations

import abc
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalicelib.domain.provider import Identity, Provider

if TYPE_CHECKING:  # the stdlib email package costs ~15 ms; routes that send no mail skip it
    from chalicelib.domain.mail import OutgoingEmail


class ProviderRepository(abc.ABC):
    @abc.abstractmethod
    def get_provider(self, provider_id: str) -> Provider | None: ...

    @abc.abstractmethod
    def create_provider(self, provider: Provider) -> bool:
        """Store a new provider; False when one with that id already exists."""


class HealthProbe(abc.ABC):
    @abc.abstractmethod
    def check(self) -> None:
        """Raise DependencyUnavailableError when the dependency does not answer."""


class TokenVerifier(abc.ABC):
    @abc.abstractmethod
    def verify(self, token: str) -> Identity:
        """Return the identity of a valid token; raise AuthenticationError otherwise."""


class Mailer(abc.ABC):
    @abc.abstractmethod
    def send(self, message: OutgoingEmail) -> str:
        """Hand the message over for delivery and return its id at the mail service.

        Raise MailerUnavailableError when trying again later may work (throttling, outage) and
        MessageRejectedError when it will not (the service refused this message).
        """


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)
