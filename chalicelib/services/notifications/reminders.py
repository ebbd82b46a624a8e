"""The reminder sweep: send the reminders that fell due, each once.

It reads each bucket from its bookmark (the first bucket it has not finished) up to now, all
shards, so a run that comes late or after an outage catches up. A reminder is claimed before it
is sent; the appointment is read again first, and one that was cancelled, moved or has already
begun gets nothing.

A pending request's answer deadline waits in the same buckets: when it falls due and the request
is still unanswered, the sweep declines it (``approval.Unanswered``); the declined emails, to the
client and to the provider, follow from that change like any other.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.notifications.delivery import Outcome
from chalicelib.domain.notifications.notices import NoticeKind
from chalicelib.domain.notifications.reminders import ANSWER_BY, BUCKET, SHARDS, buckets, sweep_window
from chalicelib.observability import count, logger, measure
from chalicelib.services.notifications.delivery import LEASE
from chalicelib.services.notifications.notices import Notifier
from chalicelib.services.notifications.ports import NoticeSource, ReminderQueue

if TYPE_CHECKING:
    from chalicelib.domain.notifications.reminders import Reminder
    from chalicelib.services.booking.approval import Unanswered
    from chalicelib.services.shared import Clock

BUDGET_SECONDS = 40.0  # well inside the function's 60 s timeout; the rest waits for the next run
STATUS = {Outcome.SENT: "sent", Outcome.ALREADY_DONE: "sent", Outcome.FAILED: "failed"}


@dataclass
class SweepReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    deferred: int = 0
    declined: int = 0  # requests declined unanswered
    finished: bool = True


@dataclass
class ReminderSweep:
    reminders: ReminderQueue
    source: NoticeSource
    notifier: Notifier
    # Declines the requests whose answer deadline came (None: deadlines wait, nothing declined).
    unanswered: Unanswered | None = None
    budget_seconds: float = BUDGET_SECONDS

    @property
    def clock(self) -> Clock:
        return self.notifier.delivery.clock

    def run(self) -> SweepReport:
        started = time.monotonic()
        now = self.clock.now()
        first, last = sweep_window(self.reminders.swept_until(), now)
        report = SweepReport()
        for bucket in buckets(first, last):
            for shard in range(SHARDS):
                for reminder in self.reminders.due(bucket, shard, now):
                    self._one(reminder, report)
            if time.monotonic() - started > self.budget_seconds and bucket < last:
                self.reminders.advance(bucket + BUCKET, now)
                report.finished = False
                logger.warning(
                    "Reminder sweep stopped early", extra={"next_bucket": (bucket + BUCKET).isoformat()}
                )
                return report
        # The current bucket is not over: the next run reads it again (sent reminders left the index).
        self.reminders.advance(last, now)
        logger.info("Reminder sweep done", extra=asdict(report))
        return report

    def _one(self, reminder: Reminder, report: SweepReport) -> None:
        if not self.reminders.claim(reminder, self.clock.now(), LEASE):
            return
        fields = {"appointment_id": reminder.appointment_id, "offset_minutes": reminder.offset_minutes}
        if reminder.kind == ANSWER_BY:
            self._answer_due(reminder, report)
            return
        try:
            outcome = self._send(reminder)
        except DependencyUnavailableError as error:
            self._requeue(reminder, report)
            logger.warning("Reminder deferred", extra={**fields, "code": error.code})
            return
        except Exception:  # noqa: BLE001 - one bad reminder must not stop the others; retried next run
            logger.exception("Reminder failed unexpectedly", extra=fields)
            count("EmailFailures")
            self._requeue(reminder, report)
            return
        if outcome is None:
            self.reminders.forget(reminder)
            report.skipped += 1
            logger.info("Reminder dropped: appointment changed or begun", extra=fields)
            return
        self.reminders.finish(reminder, STATUS.get(outcome, "skipped"), self.clock.now())
        if outcome is Outcome.SENT:
            report.sent += 1
            measure("ReminderLagSeconds", max((self.clock.now() - reminder.due).total_seconds(), 0.0))
        elif outcome is Outcome.FAILED:
            report.failed += 1
        else:
            report.skipped += 1

    def _answer_due(self, reminder: Reminder, report: SweepReport) -> None:
        """A request's deadline came: decline it if still unanswered, once."""
        fields = {"appointment_id": reminder.appointment_id}
        if self.unanswered is None:
            self._requeue(reminder, report)
            return
        try:
            declined = self.unanswered.decline(reminder.provider_id, reminder.appointment_id, reminder.due)
        except Exception:  # noqa: BLE001 - one bad request must not stop the others; retried next run
            logger.exception("Declining an unanswered request failed", extra=fields)
            self._requeue(reminder, report)
            return
        if declined is None:
            self.reminders.forget(reminder)
            # A request moved meanwhile has a deadline of its own under the same item, which a claim
            # read from the index before the move may have taken: it waits again.
            current = self.source.appointment(reminder.provider_id, reminder.appointment_id)
            if current is not None:
                self.reminders.await_answer(current, self.clock.now())
            report.skipped += 1
            logger.info("Answer deadline dropped: the request was answered or changed", extra=fields)
            return
        self.reminders.finish(reminder, "declined", self.clock.now())
        report.declined += 1
        count("RequestsAutoDeclined")
        logger.info("Unanswered request declined", extra=fields)

    def _requeue(self, reminder: Reminder, report: SweepReport) -> None:
        self.reminders.requeue(reminder, self.clock.now())
        report.deferred += 1

    def _send(self, reminder: Reminder) -> Outcome | None:
        """Send the reminder; None when it no longer applies."""
        appointment = self.source.appointment(reminder.provider_id, reminder.appointment_id)
        if appointment is None or not reminder.applies_to(appointment, self.clock.now()):
            return None
        context = self.source.context(appointment)
        if context is None:
            return None
        [outcome] = self.notifier.send(
            NoticeKind.REMINDER, appointment, context, offset_minutes=reminder.offset_minutes
        )
        return outcome
