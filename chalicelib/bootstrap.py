"""Composition root: the one place that wires real adapters to the services, for the API and the jobs.

Built lazily on first use so that importing ``app.py`` (the Lambda cold start) stays cheap; what
only some functions use (the mailer, the jobs' services) is built when first asked for.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.config import Settings

if TYPE_CHECKING:
    from chalicelib.adapters.dynamo.repository import DynamoRepository
    from chalicelib.services.accounts.linking import Linking
    from chalicelib.services.accounts.ports import ProviderEraser
    from chalicelib.services.booking.limits import Limits
    from chalicelib.services.booking.ports import ChallengeStore, OncePerKey
    from chalicelib.services.calendars.ports import BusySource, FeedTokens
    from chalicelib.services.calendars.sync import CalendarSync
    from chalicelib.services.calendars.write_back import WriteBack
    from chalicelib.services.integrations.deliveries import WebhookDispatcher
    from chalicelib.services.integrations.ports import ApiKeyStore, NoticeHistory, WebhookSender
    from chalicelib.services.integrations.retries import WebhookRetries
    from chalicelib.services.integrations.webhooks import WebhookPorts
    from chalicelib.services.notifications.feedback import EmailFeedback
    from chalicelib.services.notifications.outbox import Outbox
    from chalicelib.services.notifications.ports import Mailer
    from chalicelib.services.notifications.reminders import ReminderSweep
    from chalicelib.services.photos.photos import PhotoPorts
    from chalicelib.services.shared import Clock, IdGenerator, LinkSealer, TokenIssuer, TokenVerifier

LOCAL_CREDENTIALS = ("local", "local")


@dataclass
class Container:
    settings: Settings
    repo: DynamoRepository
    verifier: TokenVerifier
    clock: Clock
    ids: IdGenerator
    local_issuer: TokenIssuer | None

    # Built on first use: only the functions that send mail or seal links pay for them.
    @functools.cached_property
    def mailer(self) -> Mailer:
        from chalicelib.adapters.mailers import make_mailer  # the stage's: files or SES

        return make_mailer(self.settings)

    @functools.cached_property
    def limits(self) -> Limits:
        from chalicelib.adapters.dynamo.limit_store import DynamoRateLimiter
        from chalicelib.services.booking.limits import Limits

        return Limits(self.settings, DynamoRateLimiter(), self.clock)

    @functools.cached_property
    def challenges(self) -> ChallengeStore:
        from chalicelib.adapters.dynamo.challenge_store import DynamoChallengeStore

        return DynamoChallengeStore()

    @functools.cached_property
    def link_sealer(self) -> LinkSealer:
        from chalicelib.adapters.links import sealer_for

        return sealer_for(self.settings)

    @functools.cached_property
    def once(self) -> OncePerKey:
        """Idempotency-Key records of page bookings (Powertools, in the table)."""
        from chalicelib.adapters.idempotency import PowertoolsOnce

        return PowertoolsOnce(self.settings, "public_booking")

    @functools.cached_property
    def linking(self) -> Linking:
        """Which provider each verified sign-in reaches (its links cached in this container)."""
        from chalicelib.adapters.dynamo.account_store import DynamoSignInLinks
        from chalicelib.services.accounts.linking import Linking

        return Linking(DynamoSignInLinks(), self.clock)

    @functools.cached_property
    def eraser(self) -> ProviderEraser:
        from chalicelib.adapters.dynamo.account_store import DynamoProviderEraser

        return DynamoProviderEraser()

    @functools.cached_property
    def photos(self) -> PhotoPorts:
        from chalicelib.adapters.photos import photo_ports

        return photo_ports(self.settings, self.repo, lambda: self.link_sealer, self.clock, self.ids)

    @functools.cached_property
    def busy_source(self) -> BusySource:
        """Calendars are read through the outbound guard; loopback and http only locally."""
        from chalicelib.adapters.calendar_source import GuardedBusySource

        return GuardedBusySource(allow_local=self.settings.is_local)

    @functools.cached_property
    def calendar_sync(self) -> CalendarSync:
        from chalicelib.services.calendars.sync import CalendarSync

        return CalendarSync(self.repo, self.repo, self.busy_source, self.link_sealer, self.clock)

    @functools.cached_property
    def feeds(self) -> FeedTokens:
        from chalicelib.adapters.dynamo.feed_store import DynamoFeedTokens

        return DynamoFeedTokens()

    @functools.cached_property
    def api_keys(self) -> ApiKeyStore:
        from chalicelib.adapters.dynamo.api_key_store import DynamoApiKeys

        return DynamoApiKeys()

    @functools.cached_property
    def webhook_sender(self) -> WebhookSender:
        """Webhooks are sent through the outbound guard; loopback and http only locally."""
        from chalicelib.adapters.webhook_sender import GuardedWebhookSender

        return GuardedWebhookSender(allow_local=self.settings.is_local)

    @functools.cached_property
    def webhooks(self) -> WebhookPorts:
        from chalicelib.adapters.dynamo.webhook_store import DynamoWebhooks
        from chalicelib.services.integrations.webhooks import WebhookPorts

        return WebhookPorts(DynamoWebhooks(), self.webhook_sender, self.link_sealer, self.clock, self.ids)

    @functools.cached_property
    def webhook_deliveries(self) -> WebhookDispatcher:
        """The endpoints' delivery log and retries by hand (the stream consumer sends the rest)."""
        from chalicelib.adapters.dynamo.delivery_store import DynamoDeliveryLedger
        from chalicelib.services.integrations.deliveries import WebhookDispatcher

        return WebhookDispatcher(self.webhooks, DynamoDeliveryLedger())

    @functools.cached_property
    def notice_history(self) -> NoticeHistory:
        from chalicelib.adapters.dynamo.notification_store import DynamoNoticeHistory

        return DynamoNoticeHistory()

    @functools.cached_property
    def write_back(self) -> WriteBack:
        """Bookings written to the providers' CalDAV calendars marked ``write``, through the
        outbound guard; their app passwords sealed with the same sealer as manage links."""
        from chalicelib.adapters.caldav_writer import CalDavWriter
        from chalicelib.services.calendars.write_back import StoredWriteTargets, WriteBack

        targets = StoredWriteTargets(self.repo, self.link_sealer)
        return WriteBack(targets, CalDavWriter(allow_local=self.settings.is_local))

    @functools.cached_property
    def jobs(self) -> NotificationJobs:
        return notification_jobs(
            self.settings, self.mailer, self.clock, self.link_sealer, write_back=self.write_back
        )


@dataclass
class NotificationJobs:
    """The services behind the jobs: the stream consumer, the reminder sweep, the bounce handler."""

    outbox: Outbox
    sweep: ReminderSweep
    feedback: EmailFeedback
    webhook_retries: WebhookRetries


def notification_jobs(
    settings: Settings,
    mailer: Mailer,
    clock: Clock,
    sealer: LinkSealer,
    sleep: Callable[[float], None] = time.sleep,
    write_back: WriteBack | None = None,
) -> NotificationJobs:
    from chalicelib.adapters.dynamo.booking_store import DynamoBookings
    from chalicelib.adapters.dynamo.delivery_store import DynamoDeliveryLedger
    from chalicelib.adapters.dynamo.notice_reader import NoticeReader, StreamImages
    from chalicelib.adapters.dynamo.notification_store import NotificationStore
    from chalicelib.adapters.dynamo.provider_store import DynamoProviders
    from chalicelib.adapters.dynamo.reminder_store import ReminderStore
    from chalicelib.adapters.dynamo.webhook_store import DynamoWebhooks
    from chalicelib.adapters.webhook_sender import GuardedWebhookSender
    from chalicelib.services.booking.approval import Unanswered
    from chalicelib.services.integrations.alerts import MailedEndpointAlerts
    from chalicelib.services.integrations.deliveries import WebhookDispatcher
    from chalicelib.services.integrations.retries import WebhookRetries
    from chalicelib.services.integrations.webhooks import WebhookPorts
    from chalicelib.services.notifications.delivery import Delivery
    from chalicelib.services.notifications.feedback import EmailFeedback
    from chalicelib.services.notifications.notices import ManageLinks, Notifier
    from chalicelib.services.notifications.outbox import Outbox
    from chalicelib.services.notifications.reminders import ReminderSweep
    from chalicelib.services.shared import SortableIds

    ledger, source, reminders = NotificationStore(), NoticeReader(), ReminderStore()
    delivery = Delivery(ledger=ledger, mailer=mailer, clock=clock, sleep=sleep)
    notifier = Notifier(delivery, ManageLinks(settings.public_base_url, sealer))
    hooks = WebhookPorts(
        DynamoWebhooks(), GuardedWebhookSender(allow_local=settings.is_local), sealer, clock, SortableIds()
    )
    alerts = MailedEndpointAlerts(DynamoProviders(), mailer, settings.public_base_url)
    dispatcher = WebhookDispatcher(hooks, DynamoDeliveryLedger(), alerts)
    return NotificationJobs(
        outbox=Outbox(
            StreamImages(),
            source,
            reminders,
            notifier,
            write_back=write_back,
            webhooks=dispatcher,
        ),
        sweep=ReminderSweep(reminders, source, notifier, Unanswered(DynamoBookings(), clock)),
        feedback=EmailFeedback(ledger, clock),
        webhook_retries=WebhookRetries(dispatcher),
    )


_container: Container | None = None
_lock = threading.Lock()


def build(settings: Settings) -> Container:
    from chalicelib.adapters import jwt as jwt_adapter
    from chalicelib.adapters.dynamo import models
    from chalicelib.adapters.dynamo.repository import DynamoRepository
    from chalicelib.adapters.local_issuer import LocalIssuer
    from chalicelib.services.shared import SortableIds, SystemClock

    credentials = LOCAL_CREDENTIALS if settings.dynamodb_endpoint else None
    models.bind(
        settings.table_name,
        settings.region,
        settings.dynamodb_endpoint,
        credentials,
        timeouts=models.Timeouts(
            settings.dynamodb_connect_timeout_seconds,
            settings.dynamodb_read_timeout_seconds,
            settings.dynamodb_max_attempts,
        ),
    )

    issuer: LocalIssuer | None = None
    if settings.is_local:
        issuer = LocalIssuer(settings.var_dir, settings.token_issuer, settings.app_client_id)
        fetcher = issuer.jwks
    elif settings.jwks_url:
        fetcher = jwt_adapter.http_jwks_fetcher(settings.jwks_url)
    else:
        raise ValueError("JWKS_URL is required outside the local stage")
    verifier = jwt_adapter.CognitoStyleVerifier(
        settings.token_issuer, settings.app_client_id, jwt_adapter.JwksCache(fetcher)
    )
    return Container(
        settings=settings,
        repo=DynamoRepository(),
        verifier=verifier,
        clock=SystemClock(),
        ids=SortableIds(),
        local_issuer=issuer,
    )


def container() -> Container:
    global _container
    if _container is None:
        with _lock:
            if _container is None:
                _container = build(Settings.from_env())
    return _container


def settings() -> Settings:
    return container().settings


def reset(replacement: Container | None = None) -> None:
    """Drop (or replace) the wiring; tests use this after changing the environment."""
    global _container
    with _lock:
        _container = replacement
