"""The provider's email when her webhook endpoint is disabled (sent once: the disabling is)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import DependencyUnavailableError, MessageRejectedError
from chalicelib.domain.integrations.webhook_alerts import disabled_email
from chalicelib.domain.integrations.webhooks import Webhook
from chalicelib.observability import count, logger
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.integrations.deliveries import EndpointAlerts
from chalicelib.services.notifications.ports import Mailer


@dataclass
class MailedEndpointAlerts(EndpointAlerts):
    providers: ProviderRepository
    mailer: Mailer
    dashboard_url: str

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
            getattr(provider, "language", None) or "en",
            provider.timezone,
        )
        try:
            self.mailer.send(email)
        except (DependencyUnavailableError, MessageRejectedError):
            # The endpoint stays disabled and shows so in the dashboard; only the email is lost.
            count("WebhookAlertFailures")
            logger.exception("Disabled webhook's email not sent", extra={"webhook_id": webhook.id})
            return
        logger.info("Disabled webhook's email sent", extra={"webhook_id": webhook.id})
