"""Changes to a booking after it is made: cancel, reschedule, and the provider's outcome."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.booking.actors import Actor, Role
from chalicelib.domain.booking.appointments import (
    CANCELLED,
    Appointment,
    InvalidTransitionError,
    TooLateToChangeError,
    iso_z,
)
from chalicelib.domain.booking.service_rules import DayCaps
from chalicelib.domain.errors import CalendarBusyError, ConcurrentChangeError, NotFoundError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.timeline import as_utc
from chalicelib.services.booking.ports import BookingRepository, BookingSnapshot
from chalicelib.services.booking.rules import (
    MAX_ATTEMPTS,
    admit,
    count_days,
    days_around,
    moved_answer_by,
)
from chalicelib.services.shared import Clock


@dataclass(frozen=True)
class Cancellation:
    reason: str = ""


@dataclass(frozen=True)
class Move:
    start: datetime
    override_rules: bool = False  # the provider's only: past her rules, never over another booking
    language: str | None = None  # the client's, from the manage page: their emails' language from now


def apply(
    appointment: Appointment,
    change: Cancellation | Move,
    by: Actor,
    policy: BookingPolicy,
    repo: BookingRepository,
    clock: Clock,
) -> Appointment:
    """Cancel or move it, as ``change`` asks (see ``cancel`` and ``reschedule``)."""
    if isinstance(change, Move):
        return reschedule(
            appointment, change.start, by, policy, repo, clock, change.override_rules, change.language
        )
    return cancel(appointment, change.reason, by, policy, repo, clock)


def _check_actor(appointment: Appointment, by: Actor) -> None:
    if not by.acts_for(appointment):
        raise NotFoundError("No such appointment.")


def cancel(
    appointment: Appointment,
    reason: str,
    by: Actor,
    policy: BookingPolicy,
    repo: BookingRepository,
    clock: Clock,
) -> Appointment:
    """Cancel; a client only while the provider's cancellation notice allows it."""
    _check_actor(appointment, by)
    now = clock.now()
    if not appointment.active:
        raise InvalidTransitionError(f"A {appointment.status} appointment cannot be cancelled.")
    if not by.may_change(appointment, now, policy):
        raise TooLateToChangeError("It is too late to cancel online; please contact the provider.")
    after = replace(appointment.with_status(CANCELLED, now, reason), cancelled_by=by.role.value)
    repo.save_change(appointment, after)
    return after


def reschedule(
    appointment: Appointment,
    start: datetime,
    by: Actor,
    policy: BookingPolicy,
    repo: BookingRepository,
    clock: Clock,
    override_rules: bool = False,
    language: str | None = None,
) -> Appointment:
    """Move it to ``start`` if that is a free slot; the old time frees in the same write.

    With ``override_rules`` (the provider only), ``start`` need only not overlap another
    appointment: hours, notice, window and daily caps do not apply. ``language`` (the client's
    only, from the manage page) becomes the language of the client's emails from this one on."""
    _check_actor(appointment, by)
    current = appointment
    for _ in range(MAX_ATTEMPTS):
        now = clock.now()
        if not current.active:
            raise InvalidTransitionError(f"A {current.status} appointment cannot be rescheduled.")
        if not by.may_change(current, now, policy):
            raise TooLateToChangeError("It is too late to reschedule online; please contact the provider.")
        after = current.moved_to(as_utc(start), iso_z(now))
        if language and by.role is Role.CLIENT:
            after = replace(after, language=language)
        days = days_around(after.start)
        legacy = sorted(set(days) | set(current.ledger_days()))
        snapshot = repo.booking_snapshot(
            current.provider_id,
            current.service_id,
            days,
            days,
            legacy_days=legacy,
            count_days=count_days(after.start),
        )
        if snapshot is None:
            raise NotFoundError("No such appointment.")
        after, caps = _checked_move(snapshot, current, after, now, override_rules and by.may_override)
        try:
            repo.save_change(current, after, caps)
        except ConcurrentChangeError:
            fresh = repo.get_appointment(current.provider_id, current.id)
            if fresh is None:
                raise NotFoundError("No such appointment.") from None
            current = fresh
            continue
        return after
    raise CalendarBusyError("The calendar is busy right now; try again in a moment.")


def _checked_move(
    snapshot: BookingSnapshot, current: Appointment, after: Appointment, now: datetime, override: bool
) -> tuple[Appointment, DayCaps]:
    """``after`` with the day it counts under, and the caps its write holds it to, if its new
    time may be booked (or, overriding, overlaps nobody); else the 409 that says why."""
    buffers = (current.buffer_before_minutes, current.buffer_after_minutes)
    length = int((current.end - current.start).total_seconds() // 60)
    day, caps = admit(snapshot, now, after.start, length, buffers, override, moving=current)
    return replace(after, counted_day=day, answer_by=moved_answer_by(snapshot, after, now)), caps


def set_outcome(
    appointment: Appointment, status: str | None, notes: str | None, repo: BookingRepository, clock: Clock
) -> Appointment:
    """Mark completed / no-show and keep the provider's private notes (a repeated status is no change)."""
    now = clock.now()
    changes: dict[str, object] = {}
    if status and status != appointment.status:
        changes.update(status=appointment.with_status(status, now, appointment.cancel_reason).status)
    if notes is not None and notes != appointment.provider_notes:
        changes.update(provider_notes=notes)
    if not changes:
        return appointment
    after = appointment.changed(iso_z(now), **changes)
    repo.save_change(appointment, after)
    return after
