"""The provider's email when her webhook endpoint is disabled (sent once: the disabling is)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import DependencyUnavailableError, MessageRejectedError
from chalicelib.domain.integrations.webhook_alerts import disabled_email
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.domain.notifications.branding import mail_brand, photo_url
from chalicelib.observability import count, logger
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.integrations.deliveries import EndpointAlerts
from chalicelib.services.notifications.ports import Mailer


@dataclass
class MailedEndpointAlerts(EndpointAlerts):
    providers: ProviderRepository
    mailer: Mailer
    base_url: str  # the app's public address: the dashboard is under /app, the photo under /photos

    @property
    def dashboard_url(self) -> str:
        return f"{self.base_url}/app"

    def disabled(self, webhook: Webhook) -> None:
        provider = self.providers.get_provider(webhook.provider_id)
        if provider is None or not provider.email:
            logger.warning("Disabled webhook's provider has no email", extra={"webhook_id": webhook.id})
            return
        email = disabled_email(
            provider.email,
            provider.name,
            webhook.url,
            webhook.failing_since or "",
            self.dashboard_url,
            provider.language,
            provider.timezone,
            # Her own brand on her own email: name, photo and accent (her headline is for clients).
            mail_brand(
                provider.name,
                None,
                provider.accent_color,
                photo_url(self.base_url, provider.photo),
            ),
        )
        try:
            self.mailer.send(email)
        except (DependencyUnavailableError, MessageRejectedError):
            # The endpoint stays disabled and shows so in the dashboard; only the email is lost.
            count("WebhookAlertFailures")
            logger.exception("Disabled webhook's email not sent", extra={"webhook_id": webhook.id})
            return
        logger.info("Disabled webhook's email sent", extra={"webhook_id": webhook.id})
