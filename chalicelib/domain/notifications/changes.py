"""What a change to an appointment means for notifications: which notices, and its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, CANCELLED, IMPORTED
from chalicelib.domain.notifications.notices import NoticeKind


@dataclass(frozen=True)
class AppointmentState:
    """An appointment as one stream image shows it: what notices need, as plain values."""

    appointment_id: str
    provider_id: str
    client_id: str
    service_name: str
    start: datetime
    end: datetime
    status: str
    sequence: int
    client_timezone: str = ""
    cancel_reason: str = ""
    contact_name: str = ""  # the name given with this booking (the stored client's may differ)
    source: str = "public"  # who made it: public, provider, or import (the old app's data)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ReminderAction(StrEnum):
    KEEP = "keep"
    SCHEDULE = "schedule"  # (re)create the reminders for the current start and sequence
    DROP = "drop"


@dataclass(frozen=True)
class Plan:
    notices: tuple[NoticeKind, ...] = ()
    reminders: ReminderAction = ReminderAction.KEEP


NOTHING = Plan()


def plan(old: AppointmentState | None, new: AppointmentState | None) -> Plan:
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
