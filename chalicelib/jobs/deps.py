"""What the notification jobs work with; built from the composition root, or by tests."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.adapters.dynamo.notice_reader import NoticeContext, NoticeReader
from chalicelib.adapters.dynamo.notification_store import NotificationStore
from chalicelib.adapters.dynamo.reminder_store import ReminderStore
from chalicelib.config import Settings
from chalicelib.domain.errors import SealedLinkError
from chalicelib.domain.notifications.changes import AppointmentState
from chalicelib.observability import logger
from chalicelib.services.notifications.delivery import Delivery, manage_url
from chalicelib.services.shared import Clock, LinkSealer


@dataclass
class JobDeps:
    settings: Settings
    delivery: Delivery
    store: NotificationStore
    reminders: ReminderStore
    reader: NoticeReader
    sealer: LinkSealer

    @property
    def clock(self) -> Clock:
        return self.delivery.clock

    def link_for(self, state: AppointmentState, context: NoticeContext) -> str:
        token = None
        if context.sealed_token:
            try:
                token = self.sealer.open(state.appointment_id, context.sealed_token)
            except SealedLinkError:
                logger.warning(
                    "Manage link unreadable; sending the page without a token",
                    extra={"appointment_id": state.appointment_id},
                )
        return manage_url(self.settings.public_base_url, state.appointment_id, token)


def job_deps() -> JobDeps:
    from chalicelib import bootstrap

    built = bootstrap.container()
    store = NotificationStore()
    return JobDeps(
        settings=built.settings,
        delivery=Delivery(ledger=store, mailer=built.mailer, clock=built.clock),
        store=store,
        reminders=ReminderStore(),
        reader=NoticeReader(),
        sealer=built.link_sealer,
    )
