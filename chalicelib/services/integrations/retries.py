"""Webhook retries: the failed deliveries whose next attempt fell due, each sent by one sweep.

The reminder sweep's Lambda runs :meth:`WebhookRetries.run` after the reminders, every 5 minutes.
A due retry is taken first (a conditional write that holds it for :data:`LEASE`): of two sweeps
that read it, one sends it; a sweep that dies holding it frees it when the lease ends, and the
next sweep sends it then. The attempt is the same message as the first one (its ``webhook-id``
and body), signed anew; :meth:`WebhookDispatcher.follow_up` then schedules the next one, or gives
up 24 hours after the first, or disables the endpoint after 3 days of failures.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from chalicelib.domain.booking.appointments import iso_z
from chalicelib.observability import logger
from chalicelib.services.integrations.deliveries import DELIVERED, WebhookDispatcher
from chalicelib.services.integrations.ports import DueRetry

# Longer than one attempt can take (10 s timeout, sealer, two writes), shorter than a sweep's period.
LEASE = timedelta(minutes=2)
BATCH = 100  # due retries read per run; the rest wait for the next run
BUDGET_SECONDS = 15.0  # no new attempt starts after this (the sweep's function may give less)


@dataclass
class RetryReport:
    delivered: int = 0
    failed: int = 0
    dropped: int = 0  # due no more: the endpoint was deleted or disabled, or the message expired
    taken_elsewhere: int = 0  # another sweep took it first
    finished: bool = True


@dataclass
class WebhookRetries:
    dispatcher: WebhookDispatcher
    budget_seconds: float = BUDGET_SECONDS
    batch: int = BATCH

    def run(self, budget_seconds: float | None = None) -> RetryReport:
        """Up to :attr:`batch` due retries; none starts after ``budget_seconds`` (default
        :attr:`budget_seconds`), so a run that has none left sends nothing."""
        started = time.monotonic()
        budget = self.budget_seconds if budget_seconds is None else budget_seconds
        report = RetryReport()
        ledger, clock = self.dispatcher.ledger, self.dispatcher.ports.clock
        for due in ledger.due_retries(clock.stamp(), self.batch):
            if time.monotonic() - started >= budget:
                report.finished = False
                break
            if not ledger.take(due, iso_z(clock.now() + LEASE)):
                report.taken_elsewhere += 1
                continue
            self._one(due, report)
        if report != RetryReport():
            logger.info("Webhook retries done", extra=asdict(report))
        return report

    def _one(self, due: DueRetry, report: RetryReport) -> None:
        ledger, store = self.dispatcher.ledger, self.dispatcher.ports.store
        where = (due.provider_id, due.webhook_id, due.event_id)
        webhook = store.get_webhook(due.provider_id, due.webhook_id)
        message = ledger.message_of(*where)
        if webhook is None or not webhook.enabled or message is None:
            ledger.schedule(*where, None, None)
            report.dropped += 1
            return
        made = len(ledger.attempts_of(*where))
        sent = self.dispatcher.send(webhook, message, made + 1)
        self.dispatcher.follow_up(webhook, sent, first_at=due.first_at or sent.attempt.at)
        if sent.attempt.status == DELIVERED:
            report.delivered += 1
        else:
            report.failed += 1
