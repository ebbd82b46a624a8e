"""Requests on services that require approval: the provider confirms or declines them.

A request is a ``pending`` appointment: it holds its time and its place in the day counts like a
confirmed one from the moment it is made, so confirming it needs no new check of the slot.
Declining frees both in the same write (``declined`` is not an active status). The emails follow
from the change stream (``domain/notifications/changes.py:plan``).

A request nobody answers is declined by the reminder sweep at its ``answer_by``. Confirming,
declining and that sweep all write the appointment only if its revision is still the one they
read, so when they meet exactly one of them wins: never a confirmed request that is also declined.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import (
    CONFIRMED,
    DECLINED,
    PENDING,
    Appointment,
    NotPendingError,
)
from chalicelib.domain.errors import ConcurrentChangeError, NotFoundError
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


MAX_ATTEMPTS = 4


@dataclass(frozen=True)
class Unanswered:
    """Requests still unanswered at their deadline, declined on the sweep's behalf."""

    repo: BookingRepository
    clock: Clock

    def decline(self, provider_id: str, appointment_id: str, answer_by: datetime) -> Appointment | None:
        """Decline the request if it still waits for an answer by ``answer_by`` and that time has
        come; None when the provider answered first, the client cancelled or moved it (it then
        has another deadline) or it is gone. A write lost to a change of anything else is read
        again and tried again."""
        for attempt in range(MAX_ATTEMPTS):
            current = self.repo.get_appointment(provider_id, appointment_id)
            if current is None or current.status != PENDING or current.answer_by != answer_by:
                return None
            if self.clock.now() < answer_by:
                return None
            try:
                return decline(current, "", Actor.system(), self.repo, self.clock, automatic=True)
            except ConcurrentChangeError:
                if attempt == MAX_ATTEMPTS - 1:
                    raise
        return None
