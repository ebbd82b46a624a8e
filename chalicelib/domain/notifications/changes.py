"""What a change to an appointment means for notifications: which notices, and its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.booking.appointments import CANCELLED, IMPORTED, Appointment
from chalicelib.domain.notifications.notices import NoticeKind


class ReminderAction(StrEnum):
    KEEP = "keep"
    SCHEDULE = "schedule"  # (re)create the reminders for the current start and sequence
    DROP = "drop"


@dataclass(frozen=True)
class Plan:
    notices: tuple[NoticeKind, ...] = ()
    reminders: ReminderAction = ReminderAction.KEEP


NOTHING = Plan()


def plan(old: Appointment | None, new: Appointment | None) -> Plan:
    """INSERT (active) -> booked (imported: no notice); active -> cancelled -> cancelled; start
    moved -> rescheduled.

    Other changes (notes, confirming a pending booking, completing) send nothing; an
    appointment that stops being active loses its reminders.
    """
    if new is None:
        return Plan(reminders=ReminderAction.DROP)
    if old is None:
        if not new.active:
            return NOTHING
        # An imported appointment was booked in the old app: no confirmation, only its reminders.
        booked = () if new.source == IMPORTED else (NoticeKind.BOOKED,)
        return Plan(booked, ReminderAction.SCHEDULE)
    if old.active and not new.active:
        notices = (NoticeKind.CANCELLED,) if new.status == CANCELLED else ()
        return Plan(notices, ReminderAction.DROP)
    if new.active and new.start != old.start:
        return Plan((NoticeKind.RESCHEDULED,), ReminderAction.SCHEDULE)
    return NOTHING
