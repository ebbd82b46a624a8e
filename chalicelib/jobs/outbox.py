"""The table stream consumer: appointment changes -> emails and reminders.

Each record is handled on its own; the first one that cannot finish now is reported as a batch
item failure, so Lambda retries from it (records before it are not sent again, and records
after it are idempotent anyway: every email has its marker).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.adapters.dynamo.booking_items import LINK_KEPT_AFTER_END, state_from_image
from chalicelib.adapters.dynamo.notice_reader import NoticeContext
from chalicelib.adapters.dynamo.table import IMPORTED_ATTRIBUTE, RESTORED_ATTRIBUTE
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.notifications.changes import AppointmentState, ReminderAction, plan
from chalicelib.domain.notifications.delivery import NotificationKey
from chalicelib.domain.notifications.notices import RECIPIENTS, NoticeKind
from chalicelib.jobs.deps import JobDeps, job_deps
from chalicelib.observability import flush_metrics, logger
from chalicelib.services.notifications.delivery import (
    INVALID_NOTICE,
    Notification,
    build_notice,
    deliver,
    give_up,
    manage_url,
)


def lambda_handler(event: dict[str, Any]) -> dict[str, Any]:
    failed = handle_records(event.get("Records", []), job_deps())
    flush_metrics()
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}


def handle_records(records: Iterable[dict[str, Any]], deps: JobDeps) -> list[str]:
    """Sequence numbers to retry: empty when every record is done."""
    for record in records:
        sequence = str(record.get("dynamodb", {}).get("SequenceNumber", ""))
        try:
            handle_record(record, deps)
        except DependencyUnavailableError as error:
            logger.warning("Stream record deferred", extra={"sequence": sequence, "code": error.code})
            return [sequence]
        except Exception:  # noqa: BLE001 - a bug must not skip the record: Lambda retries it
            logger.exception("Stream record failed", extra={"sequence": sequence})
            return [sequence]
    return []


def _stamped(images: dict[str, Any], attribute: str) -> bool:
    new = (images.get("NewImage") or {}).get(attribute)
    return new is not None and new != (images.get("OldImage") or {}).get(attribute)


def is_restore_write(images: dict[str, Any]) -> bool:
    """A write by infra.restore (a new ``restored_at``): the state it brings back was notified already."""
    return _stamped(images, RESTORED_ATTRIBUTE)


def is_import_write(images: dict[str, Any]) -> bool:
    """A write by the import (a new ``imported_at``): it wrote the reminders itself, and an
    appointment booked in the old app gets no confirmation here."""
    return _stamped(images, IMPORTED_ATTRIBUTE)


def handle_record(record: dict[str, Any], deps: JobDeps) -> None:
    images = record.get("dynamodb", {})
    if is_restore_write(images) or is_import_write(images):
        return
    old, new = state_from_image(images.get("OldImage")), state_from_image(images.get("NewImage"))
    todo = plan(old, new)
    current = new or old
    if current is None or (not todo.notices and todo.reminders is ReminderAction.KEEP):
        return
    logger.info(
        "Appointment changed",
        extra={"appointment_id": current.appointment_id, "notices": [k.value for k in todo.notices]},
    )
    if todo.reminders is ReminderAction.DROP:
        deps.reminders.drop(current.appointment_id)
    if not todo.notices and todo.reminders is not ReminderAction.SCHEDULE:
        return
    context = deps.reader.context(current)
    if context is None:
        logger.warning(
            "No provider profile for the appointment", extra={"appointment_id": current.appointment_id}
        )
        return
    if todo.reminders is ReminderAction.SCHEDULE:
        deps.reminders.schedule(current, context.reminder_offsets, deps.clock.now())
        if old is not None:
            deps.reader.keep_link_until(current.appointment_id, current.end + LINK_KEPT_AFTER_END)
    for kind in todo.notices:
        send_notice(kind, current, old, context, deps)


def send_notice(
    kind: NoticeKind,
    state: AppointmentState,
    old: AppointmentState | None,
    context: NoticeContext,
    deps: JobDeps,
) -> None:
    """Every recipient gets their try before a deferral is passed on."""
    # A cancellation carries no manage link: no need to open the sealed token for it.
    url = manage_url(deps.settings.public_base_url, state.appointment_id, None)
    if kind is not NoticeKind.CANCELLED:
        url = deps.link_for(state, context)
    previous = old.start if old is not None else None
    keys = [
        NotificationKey(state.appointment_id, state.provider_id, kind, recipient, state.sequence)
        for recipient in RECIPIENTS[kind]
    ]
    try:
        notice = build_notice(state, context.provider, context.client, url, kind, previous)
    except ValueError:  # e.g. an unknown time zone on the client: retrying cannot help
        for key in keys:
            give_up(key, deps.delivery, INVALID_NOTICE)
        return
    deferred: DependencyUnavailableError | None = None
    for key in keys:
        try:
            deliver(Notification(key, notice), deps.delivery)
        except DependencyUnavailableError as error:
            deferred = error
    if deferred is not None:
        raise deferred
