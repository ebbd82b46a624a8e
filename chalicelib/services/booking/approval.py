"""Requests on services that require approval: the provider confirms or declines them.

A request is a ``pending`` appointment: it holds its time and its place in the day counts like a
confirmed one from the moment it is made, so confirming it needs no new check of the slot.
Declining frees both in the same write (``declined`` is not an active status). The emails follow
from the change stream (``domain/notifications/changes.py:plan``).
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import (
    CONFIRMED,
    DECLINED,
    PENDING,
    Appointment,
    NotPendingError,
)
from chalicelib.domain.errors import NotFoundError
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.shared import Clock


def _pending(appointment: Appointment, by: Actor, action: str) -> None:
    if not by.acts_for(appointment):
        raise NotFoundError("No such appointment.")
    if appointment.status != PENDING:
        raise NotPendingError(f"Only a pending request can be {action}; this one is {appointment.status}.")


def confirm(appointment: Appointment, by: Actor, repo: BookingRepository, clock: Clock) -> Appointment:
    """Pending -> confirmed. The invite's SEQUENCE rises so that calendars replace the tentative
    event of the request with the confirmed one."""
    _pending(appointment, by, "confirmed")
    after = appointment.with_status(CONFIRMED, clock.now())
    after = replace(after, sequence=appointment.sequence + 1)  # still one revision: one write
    repo.save_change(appointment, after)
    return after


def decline(
    appointment: Appointment,
    reason: str,
    by: Actor,
    repo: BookingRepository,
    clock: Clock,
    automatic: bool = False,
) -> Appointment:
    """Pending -> declined, with the reason the client is told; its time and its day's place free.
    ``automatic``: the sweep declined it, unanswered (the provider is told too)."""
    _pending(appointment, by, "declined")
    after = appointment.with_status(DECLINED, clock.now(), reason)
    if automatic:
        after = replace(after, auto_declined=True)
    repo.save_change(appointment, after)
    return after
