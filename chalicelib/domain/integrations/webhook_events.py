"""Which webhook events a change to an appointment raises, and each event's stable id. Pure.

The id is made from the appointment's state after the change, so a stream record handled again
gives the same id: the delivery marker (one per event and endpoint) then stops a second send.
"""

from __future__ import annotations

import hashlib

from chalicelib.domain.booking.appointments import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DECLINED,
    NO_SHOW,
    PENDING,
    Appointment,
)

ENDED = {CANCELLED: "booking.cancelled", DECLINED: "booking.declined"}
OUTCOMES = {COMPLETED: "booking.completed", NO_SHOW: "booking.no_show"}


def events_of(old: Appointment | None, new: Appointment | None) -> tuple[str, ...]:
    """The events of one write: a new appointment is ``booking.created``; a status change to
    confirmed, declined, cancelled, completed or no_show its event; a moved start
    ``booking.rescheduled``. A removed item (erasure, expiry) raises no booking event."""
    if new is None:
        return ()
    if old is None:
        return ("booking.created",)
    found: list[str] = []
    if old.status != new.status:
        if old.status == PENDING and new.status == CONFIRMED:
            found.append("booking.confirmed")
        elif new.status in ENDED:
            found.append(ENDED[new.status])
        elif new.status in OUTCOMES:
            found.append(OUTCOMES[new.status])
    if new.start != old.start and new.status not in ENDED:
        found.append("booking.rescheduled")
    return tuple(found)


def event_id(event_type: str, appointment: Appointment) -> str:
    """The same for the same event of the same write (``webhook-id``: receivers dedupe on it)."""
    basis = f"{appointment.id}|{event_type}|{appointment.revision}"
    return "msg_" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


CLIENT_ERASED = "client.erased"


def client_erased_id(client_id: str) -> str:
    """The one ``webhook-id`` of a client's erasure: a client is erased once, so a replayed
    stream record or a second DELETE makes the same id, and the ledger sends it once."""
    basis = f"{client_id}|{CLIENT_ERASED}"
    return "msg_" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
