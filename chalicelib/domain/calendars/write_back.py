"""What an appointment change does to its event on the provider's CalDAV calendars."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.domain.booking.appointments import CANCELLED, CONFIRMED, DECLINED, PENDING, Appointment

# Statuses whose appointment has no event on the calendar (never written, or deleted already).
UNWRITTEN = (PENDING, CANCELLED, DECLINED)


class WriteAction(StrEnum):
    PUT = "put"  # create it, or replace it with the appointment as it is now
    DELETE = "delete"
    NONE = "none"


def _shown(a: Appointment) -> tuple[object, ...]:
    """What the written event shows: a change to anything else writes nothing."""
    return (a.start, a.end, a.status, a.location, a.service_name, a.contact_name, a.sequence)


def decide(old: Appointment | None, new: Appointment | None) -> WriteAction:
    """Booked confirmed, or a request confirmed: PUT; moved (or any change the event shows): PUT
    again; cancelled or declined (or the item gone): DELETE. A pending request is not written
    until it is confirmed. Completed and no-show keep the event as it was."""
    if new is None:
        return WriteAction.DELETE if old is not None and old.status not in UNWRITTEN else WriteAction.NONE
    if new.status == CONFIRMED:
        if old is None or old.status != CONFIRMED or _shown(old) != _shown(new):
            return WriteAction.PUT
        return WriteAction.NONE
    if new.status in (CANCELLED, DECLINED) and (old is None or old.status not in (CANCELLED, DECLINED)):
        return WriteAction.DELETE
    return WriteAction.NONE
