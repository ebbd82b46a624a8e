"""The reminder sweep: every 5 minutes, send the reminders that fell due, each once.

It reads each bucket from its bookmark (the first bucket it has not finished) up to now, all
shards, so a run that comes late or after an outage catches up. A reminder is claimed before it
is sent; the appointment is read again first, and one that was cancelled, moved or has already
begun gets nothing.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters.dynamo.models import ReminderItem
from chalicelib.domain.booking.appointments import iso_z, parse_z
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.notifications.changes import AppointmentState
from chalicelib.domain.notifications.delivery import NotificationKey, Outcome
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.domain.notifications.reminders import BUCKET, SHARDS, buckets, sweep_window
from chalicelib.jobs.deps import JobDeps, job_deps
from chalicelib.observability import count, flush_metrics, logger, measure
from chalicelib.services.notifications.delivery import (
    INVALID_NOTICE,
    LEASE,
    Notification,
    build_notice,
    deliver,
    give_up,
)

BUDGET_SECONDS = 40.0  # well inside the function's 60 s timeout; the rest waits for the next run


@dataclass
class SweepReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    deferred: int = 0
    finished: bool = True


def lambda_handler(_event: dict[str, Any]) -> dict[str, Any]:
    report = sweep(job_deps())
    flush_metrics()
    return asdict(report)


def sweep(deps: JobDeps, budget_seconds: float = BUDGET_SECONDS) -> SweepReport:
    now = deps.clock.now()
    started = time.monotonic()
    first, last = sweep_window(deps.reminders.swept_until(), now)
    report = SweepReport()
    for bucket in buckets(first, last):
        for shard in range(SHARDS):
            for item in deps.reminders.due(bucket, shard, now):
                _one(item, deps, report)
        if time.monotonic() - started > budget_seconds and bucket < last:
            deps.reminders.advance(bucket + BUCKET, now)
            report.finished = False
            logger.warning(
                "Reminder sweep stopped early", extra={"next_bucket": (bucket + BUCKET).isoformat()}
            )
            return report
    # The current bucket is not over: the next run reads it again (sent reminders left the index).
    deps.reminders.advance(last, now)
    logger.info("Reminder sweep done", extra=asdict(report))
    return report


def _one(item: ReminderItem, deps: JobDeps, report: SweepReport) -> None:
    now = deps.clock.now()
    if not deps.reminders.claim(item, now, LEASE):
        return
    fields = {"appointment_id": item.appointment_id, "offset_minutes": int(item.offset_minutes)}
    try:
        outcome = _send(item, deps)
    except DependencyUnavailableError as error:
        deps.reminders.requeue(item, deps.clock.now())
        report.deferred += 1
        logger.warning("Reminder deferred", extra={**fields, "code": error.code})
        return
    except Exception:  # noqa: BLE001 - one bad reminder must not stop the others; retried next run
        logger.exception("Reminder failed unexpectedly", extra=fields)
        count("EmailFailures")
        deps.reminders.requeue(item, deps.clock.now())
        report.deferred += 1
        return
    if outcome is None:
        deps.reminders.forget(item)
        report.skipped += 1
        logger.info("Reminder dropped: appointment changed or begun", extra=fields)
        return
    status = {Outcome.SENT: "sent", Outcome.ALREADY_DONE: "sent", Outcome.FAILED: "failed"}.get(
        outcome, "skipped"
    )
    deps.reminders.finish(item, status, deps.clock.now())
    if outcome is Outcome.SENT:
        report.sent += 1
        lag = (deps.clock.now() - parse_z(item.due)).total_seconds()
        measure("ReminderLagSeconds", max(lag, 0.0))
    elif outcome is Outcome.FAILED:
        report.failed += 1
    else:
        report.skipped += 1


def _still_valid(item: ReminderItem, state: AppointmentState, now: datetime) -> bool:
    """Still active, not moved since the reminder was planned, and not begun."""
    return (
        state.active
        and state.sequence == int(item.sequence)
        and iso_z(state.start) == item.start
        and state.start > now
    )


def _send(item: ReminderItem, deps: JobDeps) -> Outcome | None:
    """Send the reminder; None when it no longer applies."""
    state = deps.reader.appointment(item.provider_id, item.appointment_id)
    if state is None or not _still_valid(item, state, deps.clock.now()):
        return None
    context = deps.reader.context(state)
    if context is None:
        return None
    key = NotificationKey(
        state.appointment_id,
        state.provider_id,
        NoticeKind.REMINDER,
        Recipient.CLIENT,
        state.sequence,
        int(item.offset_minutes),
    )
    url = deps.link_for(state, context)
    try:
        notice = build_notice(state, context.provider, context.client, url, NoticeKind.REMINDER)
    except ValueError:  # bad stored data: give up visibly rather than retry every run
        give_up(key, deps.delivery, INVALID_NOTICE)
        return Outcome.FAILED
    return deliver(Notification(key, notice), deps.delivery)
