"""What an appointment change does to its event on the provider's CalDAV calendars."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.domain.booking.appointments import CANCELLED, Appointment


class WriteAction(StrEnum):
    PUT = "put"  # create it, or replace it with the appointment as it is now
    DELETE = "delete"
    NONE = "none"


def _shown(a: Appointment) -> tuple[object, ...]:
    """What the written event shows: a change to anything else writes nothing."""
    return (a.start, a.end, a.status, a.location, a.service_name, a.contact_name, a.sequence)


def decide(old: Appointment | None, new: Appointment | None) -> WriteAction:
    """Booked or confirmed: PUT; moved (or any change the event shows): PUT again; cancelled or
    declined (or the item gone): DELETE. Completed and no-show keep the event as it was."""
    if new is None:
        return WriteAction.DELETE if old is not None and old.status != CANCELLED else WriteAction.NONE
    if new.active:
        if old is None or not old.active or _shown(old) != _shown(new):
            return WriteAction.PUT
        return WriteAction.NONE
    if new.status == CANCELLED and (old is None or old.status != CANCELLED):
        return WriteAction.DELETE
    return WriteAction.NONE
