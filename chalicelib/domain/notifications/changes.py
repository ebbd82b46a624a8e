"""What a change to an appointment means for notifications: which notices, and its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.booking.appointments import (
    CANCELLED,
    CONFIRMED,
    DECLINED,
    IMPORTED,
    PENDING,
    Appointment,
)
from chalicelib.domain.notifications.notices import NoticeKind


class ReminderAction(StrEnum):
    KEEP = "keep"
    SCHEDULE = "schedule"  # (re)create the reminders for the current start and sequence
    DROP = "drop"


@dataclass(frozen=True)
class Plan:
    notices: tuple[NoticeKind, ...] = ()
    reminders: ReminderAction = ReminderAction.KEEP
    # Queue the request's answer deadline (new, or moved with the request): the sweep declines
    # it then if the provider has not answered.
    await_answer: bool = False


NOTHING = Plan()


def plan(old: Appointment | None, new: Appointment | None) -> Plan:
    """What a change means, then held to who may be told (``_told``)."""
    todo = _told(_plan(old, new), new)
    if _new_deadline(old, new):
        return Plan(todo.notices, todo.reminders, await_answer=True)
    return todo


def _new_deadline(old: Appointment | None, new: Appointment | None) -> bool:
    if new is None or new.status != PENDING or new.answer_by is None:
        return False
    return old is None or old.status != PENDING or old.answer_by != new.answer_by


def _told(todo: Plan, new: Appointment | None) -> Plan:
    """Reminders go to the client only: none for a client who is not to be told anything."""
    if new is not None and not new.notify_client and todo.reminders is ReminderAction.SCHEDULE:
        return Plan(todo.notices, ReminderAction.KEEP)
    return todo


def _plan(old: Appointment | None, new: Appointment | None) -> Plan:
    """INSERT (active) -> booked (imported: no notice); active -> cancelled -> cancelled; start
    moved -> rescheduled; pending -> confirmed -> confirmed; pending -> declined -> declined (or
    auto_declined, by the sweep).

    A pending request has no reminders: they are scheduled when it is confirmed. Other changes
    (notes, completing) send nothing; an appointment that stops being active loses its reminders.
    """
    if new is None:
        return Plan(reminders=ReminderAction.DROP)
    if old is None:
        if not new.active:
            return NOTHING
        # An imported appointment was booked in the old app: no confirmation, only its reminders.
        booked = () if new.source == IMPORTED else (NoticeKind.BOOKED,)
        return Plan(booked, ReminderAction.KEEP if new.status == PENDING else ReminderAction.SCHEDULE)
    if old.active and not new.active:
        return Plan(_ended(new), ReminderAction.DROP)
    if old.status == PENDING and new.status == CONFIRMED:
        return Plan((NoticeKind.CONFIRMED,), ReminderAction.SCHEDULE)
    if new.active and new.start != old.start:
        moved = ReminderAction.KEEP if new.status == PENDING else ReminderAction.SCHEDULE
        return Plan((NoticeKind.RESCHEDULED,), moved)
    return NOTHING


def _ended(new: Appointment) -> tuple[NoticeKind, ...]:
    if new.status == CANCELLED:
        return (NoticeKind.CANCELLED,)
    if new.status == DECLINED:
        return (NoticeKind.AUTO_DECLINED if new.auto_declined else NoticeKind.DECLINED,)
    return ()
