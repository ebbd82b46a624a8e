"""The table's change stream consumed: appointment changes -> emails, reminders and webhooks;
a client's erasure -> its ``client.erased`` webhook.

Each record is handled on its own; the first one that cannot finish now is reported back, so
the stream retries from it (records before it are not sent again, and records after it are
idempotent anyway: every email has its marker).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.notifications.changes import ReminderAction, plan
from chalicelib.observability import logger
from chalicelib.services.notifications.notices import Notifier
from chalicelib.services.notifications.ports import (
    AppointmentChange,
    ChangeReader,
    NoticeSource,
    ReminderQueue,
    StreamRecord,
)

if TYPE_CHECKING:
    from chalicelib.services.calendars.write_back import WriteBack
    from chalicelib.services.integrations.deliveries import WebhookDispatcher


@dataclass
class Outbox:
    changes: ChangeReader
    source: NoticeSource
    reminders: ReminderQueue
    notifier: Notifier
    # The provider's CalDAV calendars, written after the emails (None: no write-back wired).
    write_back: WriteBack | None = None
    # The provider's webhook endpoints, sent after the emails (None: no webhooks wired).
    webhooks: WebhookDispatcher | None = None

    def handle(self, records: Iterable[StreamRecord]) -> list[str]:
        """Sequence numbers to retry: empty when every record is done."""
        for record in records:
            try:
                change = self.changes.change(record)
                if change is not None:
                    self.apply(change)
                elif self.webhooks is not None:
                    erased = self.changes.client_erased(record)
                    if erased is not None:
                        self.webhooks.dispatch_client_erased(erased)
            except DependencyUnavailableError as error:
                logger.warning(
                    "Stream record deferred", extra={"sequence": record.sequence, "code": error.code}
                )
                return [record.sequence]
            except Exception:  # noqa: BLE001 - a bug must not skip the record: it is retried
                logger.exception("Stream record failed", extra={"sequence": record.sequence})
                return [record.sequence]
        return []

    def apply(self, change: AppointmentChange) -> None:
        self.notify(change)
        if self.webhooks is not None:
            self.push(change)
        if self.write_back is not None:
            self.write_back.apply(change.old, change.new)

    def push(self, change: AppointmentChange) -> None:
        """The change's webhook events, from the context the emails read; a failure here is
        logged and never holds the record back (each (event, endpoint) has its own marker)."""
        assert self.webhooks is not None
        current = change.new
        if current is None:
            return
        try:
            context = self.source.context(current)
            if context is None:
                return
            url = self.notifier.links.for_client(current.id, context.sealed_token)
            self.webhooks.dispatch(change.old, current, context, url)
        except Exception:  # noqa: BLE001 - webhooks never block emails nor the stream
            logger.exception("Webhook dispatch failed", extra={"appointment_id": current.id})

    def notify(self, change: AppointmentChange) -> None:
        old, new = change.old, change.new
        todo = plan(old, new)
        current = new or old
        if todo.await_answer and new is not None:
            self.reminders.await_answer(new, self.notifier.delivery.clock.now())
        if current is None or (not todo.notices and todo.reminders is ReminderAction.KEEP):
            return
        logger.info(
            "Appointment changed",
            extra={"appointment_id": current.id, "notices": [k.value for k in todo.notices]},
        )
        if todo.reminders is ReminderAction.DROP:
            self.reminders.drop(current.id)
        if not todo.notices and todo.reminders is not ReminderAction.SCHEDULE:
            return
        context = self.source.context(current)
        if context is None:
            logger.warning("No provider profile for the appointment", extra={"appointment_id": current.id})
            return
        if todo.reminders is ReminderAction.SCHEDULE:
            self.reminders.schedule(current, context.reminder_offsets, self.notifier.delivery.clock.now())
            if old is not None:
                self.source.keep_link(current)
        previous = old.start if old is not None else None
        for kind in todo.notices:
            self.notifier.send(kind, current, context, previous)
