"""Abuse limits as the API applies them: per client address, per provider, per email address."""

from __future__ import annotations

from chalicelib.config import Settings
from chalicelib.services.booking.ports import RateLimiter
from chalicelib.services.shared import Clock


class Limits:
    """The configured limits, counted by ``limiter``; a limit the settings leave out is not counted."""

    def __init__(self, settings: Settings, limiter: RateLimiter, clock: Clock) -> None:
        self._settings = settings
        self._limiter = limiter
        self._clock = clock

    def hit(self, name: str, subject: str) -> None:
        limit = self._settings.limit(name)
        if limit is not None and subject:
            self._limiter.hit(name, subject, limit, self._clock.now())

    def mail(self, provider_id: str, address: str | None) -> None:
        """An email this provider's calendar is about to cause to ``address``."""
        if address:
            self.hit("mail_per_address", f"{provider_id}:{address.strip().lower()}")
